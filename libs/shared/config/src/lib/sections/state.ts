import { z } from 'zod';

export const stateSchema = z.strictObject({
  /** The S3 bucket created by apps/state-backend. */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'),
  /** Object key of this environment's state. @default '<environment>/terraform.tfstate' */
  key: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+\.tfstate$/, 'must be an S3 key ending in .tfstate').optional(),
  /** KMS key (alias or ARN) of the state bucket; omit for the bucket's default encryption. */
  kmsKeyId: z.string().min(1).optional(),
});

export type StateConfig = z.infer<typeof stateSchema>;
