import { z } from 'zod';
import { parseCidr } from '../cidr';

export const cidr = z.string().refine((v) => parseCidr(v) !== undefined, {
  message: 'must be an IPv4 CIDR block with no host bits set (e.g. 10.0.0.0/16)',
});

/** A whole percentage; errors read `must be 0-100, got 140`. */
export const percent = z
  .number()
  .int({ error: 'must be a whole number 0-100' })
  .min(0, { error: 'must be 0-100' })
  .max(100, { error: 'must be 0-100' });

export const positiveInt = z.number().int().positive();

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const logRetentionDays = z
  .number()
  .int()
  .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
    message: `must be one of the CloudWatch Logs retention values (${LOG_RETENTION_DAYS.join(', ')})`,
  });

export const awsArn = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/, 'must be an AWS ARN');
