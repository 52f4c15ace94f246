import { z } from 'zod';
import { awsArn, cidr, logRetentionDays } from './common';

const identifier = z.string().regex(/^[A-Za-z_%][A-Za-z0-9_$%-]{0,62}$/, "must be a PostgreSQL name or a DMS wildcard pattern ('%' matches any)");
const secretArn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN');

/** A rule of the DMS table mapping: `schema`.`table`, with `%` as the DMS wildcard. */
export const migrationTableRuleSchema = z.strictObject({
  schema: identifier,
  /** @default '%' (every table of the schema) */
  table: identifier.default('%'),
});

/**
 * The server DMS reads from. `legacy`: a PostgreSQL outside this stack (on-premise, EC2, another account), TLS
 * verify-full against its CA certificate. `blue`: this environment's own blue Aurora cluster (then the blue
 * cluster parameter group must set `rds.logical_replication = 1`, see migration.requiresLogicalReplication).
 */
export const migrationSourceSchema = z.strictObject({
  kind: z.enum(['legacy', 'blue']),
  /** Legacy only: the port the source listens on (security group egress; must match the secret's `port`). @default 5432 */
  port: z.number().int().min(1).max(65535).default(5432),
  /** Legacy only: the database to migrate (blue: the cluster's database). */
  databaseName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, 'must be a PostgreSQL database name').optional(),
  /**
   * Legacy only: the Secrets Manager secret DMS connects with, JSON `{host, port, username, password}` of a
   * replication user (host and port live in the secret: the AWS provider refuses them next to it). The password is
   * never in config or Terraform.
   */
  secretArn: secretArn.optional(),
  /** Legacy only: the KMS key that encrypts secretArn, when it is a customer-managed key (DMS must decrypt it). */
  secretKmsKeyArn: awsArn.optional(),
  /** Legacy only: the source's CA certificate for TLS verify-full: an imported DMS certificate or a PEM file. */
  certificate: z
    .strictObject({
      /** An existing `aws_dms_certificate` ARN. */
      arn: awsArn.optional(),
      /** A PEM file, relative to the environment's config file; imported as a DMS certificate. */
      pemFile: z.string().regex(/\.(pem|crt)$/, 'must be a .pem or .crt file path').optional(),
    })
    .optional(),
  /** Legacy only: where the source server lives; the replication instance may reach it on `port` only. */
  allowedCidrs: z.array(cidr).min(1).max(10).optional(),
});

/**
 * The way back: a CDC-only DMS task from the migration target (the new database) to the source (the old one),
 * created stopped and started by `bluegreen migration cutover` at the cutover instant (writes stopped, forward task
 * drained and stopped), so every write made on the new database after cutover also lands on the old one.
 */
export const reverseReplicationSchema = z.strictObject({
  /** @default false */
  enabled: z.boolean().default(false),
  /**
   * The secret DMS reads the new database with (a replication user there: `rds_replication`). @default - the
   * connection secret the stack creates for the target cluster (`secret-dms-<colour>-<suffix>`)
   */
  sourceSecretArn: secretArn.optional(),
  /** The KMS key of sourceSecretArn, when customer-managed. */
  sourceSecretKmsKeyArn: awsArn.optional(),
  /**
   * The secret DMS writes the old database with (a user with INSERT/UPDATE/DELETE on the migrated tables).
   * @default - the forward source's secret (then that user needs write grants too)
   */
  targetSecretArn: secretArn.optional(),
  /** The KMS key of targetSecretArn, when customer-managed. */
  targetSecretKmsKeyArn: awsArn.optional(),
  /** Reverse CDC latency (either side) above this many seconds raises an alarm. @default - cdcLatencyAlarmSeconds */
  cdcLatencyAlarmSeconds: z.number().int().min(10).max(86_400).optional(),
});

/**
 * A one-off ECS Fargate task definition that runs `bluegreen data verify` next to the databases (private subnets),
 * reading the two connection secrets and writing its JSON report to an S3 bucket the stack creates
 * (`s3-verify-reports-<account>-<suffix>`). Run one task per `--shard i/n` for a large database.
 */
export const verifyTaskSchema = z.strictObject({
  /** @default false */
  enabled: z.boolean().default(false),
  /** A container image with the bluegreen command line as its entrypoint (required when enabled). */
  image: z.string().regex(/^[a-z0-9][a-z0-9._/:@-]{2,254}$/, 'must be a container image reference like 111111111111.dkr.ecr.us-east-1.amazonaws.com/bluegreen:1.4.0').optional(),
  /** Fargate CPU units. @default 1024 */
  cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]).default(1024),
  /** MiB. @default 2048 */
  memory: z.number().int().min(512).max(30_720).default(2048),
  /** Where the image keeps the CA bundle that verifies both databases' TLS certificates (verify-full). */
  caBundlePath: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute path').default('/etc/ssl/certs/rds-global-bundle.pem'),
  /** Days the reports are kept. @default 90 */
  reportRetentionDays: z.number().int().min(1).max(3650).default(90),
  /** Retention of the task's log group. @default 30 */
  logRetentionDays: logRetentionDays.default(30),
});

export const replicationInstanceSchema = z.strictObject({
  /** @default 'dms.t3.medium' */
  instanceClass: z.string().regex(/^dms\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a DMS instance class like dms.r5.large').default('dms.t3.medium'),
  /** GiB. @default 50 */
  allocatedStorageGb: z.number().int().min(5).max(6144).default(50),
  /** A standby in a second AZ (required in a production environment). */
  multiAz: z.boolean().default(false),
  /** DMS engine version, e.g. 3.5.4. @default - the DMS default */
  engineVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must look like 3.5.4').optional(),
  /** A customer-managed KMS key to encrypt the instance's storage. @default - one is created */
  kmsKeyArn: awsArn.optional(),
});

/**
 * Database migration with AWS DMS: full load, then change data capture until cutover. Off by
 * default; when enabled, `source` is required. `bluegreen data verify` gates the cutover (docs/database-migration.md).
 */
export const migrationSchema = z
  .strictObject({
    /** @default false */
    enabled: z.boolean().default(false),
    source: migrationSourceSchema.optional(),
    /**
     * Where the data goes: the green cluster (database.green.enabled must be true), or the blue one (only when the
     * source is legacy: moving a legacy database into this environment's first cluster). @default 'green'
     */
    target: z.enum(['green', 'blue']).default('green'),
    /** For TLS verify-full on the Aurora target: an imported DMS certificate of the RDS CA. @default - ssl_mode require */
    targetCertificateArn: awsArn.optional(),
    replicationInstance: replicationInstanceSchema.prefault({}),
    /** Schemas/tables to migrate (DMS selection rules, `%` wildcard). @default [{ schema: 'public', table: '%' }] */
    include: z.array(migrationTableRuleSchema).min(1).max(100).default([{ schema: 'public', table: '%' }]),
    /** Excluded from the include rules. @default [] */
    exclude: z.array(migrationTableRuleSchema).max(100).default([]),
    /** Create the replication task started (apply starts the full load). @default false: start it deliberately */
    startTask: z.boolean().default(false),
    /** CDC latency (source or target) above this many seconds raises an alarm. @default 300 */
    cdcLatencyAlarmSeconds: z.number().int().min(10).max(86_400).default(300),
    /**
     * Create the account-wide DMS service roles `dms-vpc-role` and `dms-cloudwatch-logs-role` (AWS fixed names: one
     * per account). Turn off in every environment but one when several share an account. @default true
     */
    createServiceRoles: z.boolean().default(true),
    /** Retention of the DMS task log group. @default 30 */
    logRetentionDays: logRetentionDays.default(30),
    /** Reverse replication new -> old, the way back after cutover. Off by default. */
    reverse: reverseReplicationSchema.prefault({}),
    /** The one-off data verify task next to the databases. Off by default. */
    verifyTask: verifyTaskSchema.prefault({}),
  })
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const s = m.source;
    if (s?.kind === 'legacy') {
      const need = (field: keyof typeof s, what: string) => {
        if (s[field] === undefined) issue(['source', field], `is required when source.kind is 'legacy' (${what})`);
      };
      need('databaseName', 'the database to migrate');
      need('secretArn', 'Secrets Manager secret with the replication user');
      need('certificate', 'CA certificate for TLS verify-full: arn or pemFile');
      need('allowedCidrs', 'where the legacy server lives');
      if (s.certificate && (s.certificate.arn === undefined) === (s.certificate.pemFile === undefined)) {
        issue(['source', 'certificate'], `must set exactly one of arn or pemFile, got ${s.certificate.arn === undefined ? 'neither' : 'both'}`);
      }
    }
    if (s?.kind === 'blue') {
      for (const field of ['databaseName', 'secretArn', 'secretKmsKeyArn', 'certificate', 'allowedCidrs'] as const) {
        if (s[field] !== undefined) issue(['source', field], `must not be set when source.kind is 'blue' (the blue cluster provides it), got ${JSON.stringify(s[field])}`);
      }
      if (m.target === 'blue') issue(['target'], `must be 'green' when source.kind is 'blue' (a cluster cannot replicate into itself), got 'blue'`);
    }
    const key = (r: { schema: string; table: string }) => `${r.schema}.${r.table}`;
    const included = new Set(m.include.map(key));
    if (included.size !== m.include.length) issue(['include'], `must not repeat a rule, got [${m.include.map(key).join(', ')}]`);
    for (const [i, r] of m.exclude.entries()) {
      if (included.has(key(r))) issue(['exclude', i], `excludes exactly what an include rule selects (${key(r)}): nothing would be migrated from it`);
    }
    if (m.enabled && !s) issue(['source'], "is required when migration.enabled is true (kind 'legacy' with its settings, or kind 'blue')");
    if (m.reverse.enabled && !m.enabled) issue(['reverse', 'enabled'], 'needs migration.enabled: true (the reverse task runs on the migration\'s replication instance)');
    if (m.reverse.enabled && m.targetCertificateArn === undefined) {
      issue(['targetCertificateArn'], 'is required when reverse.enabled is true: both Aurora endpoints of the reverse task use TLS verify-full against the RDS CA (an imported DMS certificate)');
    }
    if (m.verifyTask.enabled && !m.enabled) issue(['verifyTask', 'enabled'], 'needs migration.enabled: true (it verifies the migration\'s two databases)');
    if (m.verifyTask.enabled && m.verifyTask.image === undefined) issue(['verifyTask', 'image'], 'is required when verifyTask.enabled is true (an image with the bluegreen command line)');
  });

export type MigrationConfig = z.infer<typeof migrationSchema>;
export type MigrationSourceConfig = z.infer<typeof migrationSourceSchema>;
export type MigrationTableRule = z.infer<typeof migrationTableRuleSchema>;
export type ReplicationInstanceConfig = z.infer<typeof replicationInstanceSchema>;

export type ReverseReplicationConfig = z.infer<typeof reverseReplicationSchema>;
export type VerifyTaskConfig = z.infer<typeof verifyTaskSchema>;

/**
 * Whether a cluster of this stack is the source of a DMS change data capture, so its cluster parameter group must
 * set `rds.logical_replication = 1` (logical decoding): blue when it is the forward source; the migration target
 * (the new database) when reverse replication reads from it.
 */
export function requiresLogicalReplication(m: Pick<MigrationConfig, 'enabled' | 'source'> & { readonly target?: 'blue' | 'green'; readonly reverse?: { readonly enabled: boolean } }, colour: 'blue' | 'green' = 'blue'): boolean {
  if (!m.enabled) return false;
  const forwardSource = m.source?.kind === 'blue' && colour === 'blue';
  const reverseSource = m.reverse?.enabled === true && (m.target ?? 'green') === colour;
  return forwardSource || reverseSource;
}
