import { z } from 'zod';

/**
 * Database migration with AWS DMS (full load + CDC). Owned by the migration library; off by default.
 * The schema is deliberately small until that library defines what it needs.
 */
export const migrationSchema = z.strictObject({
  /** @default false */
  enabled: z.boolean().default(false),
});

export type MigrationConfig = z.infer<typeof migrationSchema>;
