import { z } from 'zod';
import { awsArn, cidr } from './common';

/** Fargate's valid cpu/memory pairs (MiB), by cpu units. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
};

/**
 * An image reference with an explicit tag or digest: `registry/name:1.4.2` or `registry/name@sha256:…`; never
 * `latest` (a mutable tag makes a rollback to "the previous image" mean nothing).
 */
export const imageReference = z.string().superRefine((v, ctx) => {
  const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
  if (!/^([a-z0-9.-]+(:\d{1,5})?\/)?[a-z0-9][a-z0-9._\-/]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(v)) {
    return fail('must be an image reference like registry/name:tag (lowercase repository, tag of letters, digits, _ . -)');
  }
  const lastSegment = v.slice(v.lastIndexOf('/') + 1);
  if (!/@sha256:/.test(v) && !lastSegment.includes(':')) return fail('must name an explicit tag or digest (registry/name:tag)');
  if (/:latest(@|$)/.test(v)) return fail("must not use the mutable tag 'latest'");
});

export const colourSchema = z.strictObject({
  /** The container image, with an explicit tag. */
  image: imageReference,
  /** Fargate cpu units. @default 512 */
  cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]).default(512),
  /** MiB; must be a valid Fargate pair with cpu. @default 1024 */
  memory: z.number().int().default(1024),
  /** Tasks the service runs; 0 keeps the colour scaled in. */
  desiredCount: z.number().int().min(0).max(100),
  /** Autoscaling floor (CPU target tracking owns the running count after creation). @default desiredCount */
  minCount: z.number().int().min(0).max(100).optional(),
  /** Autoscaling ceiling; must be 0 while desiredCount is 0 (a parked colour). @default max(desiredCount * 3, 2), or 0 when parked */
  maxCount: z.number().int().min(0).max(100).optional(),
  /** Plain environment values; secrets never go here. @default {} */
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  /**
   * Writable scratch directories (ephemeral task storage) under the read-only root filesystem.
   * @default ['/tmp']
   */
  writablePaths: z
    .array(
      z
        .string()
        .regex(/^\//, 'must be an absolute path (starting with /)')
        .regex(/^[A-Za-z0-9._\-/]*$/, 'must use only letters, digits, ".", "_", "-" and "/"')
        // `/../etc` or `/tmp/./x` would mount somewhere else than it reads; `//` is a typo of the same kind.
        .refine((p) => p === '/' || p.slice(1).split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'), 'must be a normalized path: no "..", "." or empty segments')
        .refine((p) => p !== '/', 'must not be the root filesystem'),
    )
    .max(10)
    .default(['/tmp']),
  /**
   * Values ECS injects from Secrets Manager as environment variables (never plain values in the Terraform JSON). The
   * execution role may read these secrets and no others (besides the database's). @default []
   */
  secrets: z
    .array(
      z.strictObject({
        /** The environment variable the application reads. */
        name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (letters, digits, _)'),
        /** The Secrets Manager secret (its ARN, never its value). */
        secretArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/, 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)'),
        /** A key of the secret's JSON value. @default - the whole secret string */
        jsonKey: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a JSON key of letters, digits, _ . -').optional(),
        /** The customer-managed KMS key encrypting the secret. @default - the AWS managed key (no grant needed) */
        kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'must be a KMS key ARN').optional(),
      }),
    )
    .max(50)
    .default([]),
  /** Which database cluster this colour's tasks use. @default 'blue' */
  database: z.enum(['blue', 'green']).default('blue'),
  /** Extra IAM statements for the task role (what the application itself may do). @default [] */
  taskRolePolicyStatements: z
    .array(
      z.strictObject({
        actions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, 'must be service:Action')).min(1),
        resources: z.array(z.string().min(1)).min(1),
      }),
    )
    .default([]),
});

/** Either `{ arn }` (an existing ACM certificate) or `{ domainName, hostedZoneId }` (a DNS-validated one). */
const certificateSchema = z
  .strictObject({
    /** An existing ACM certificate in the region. */
    arn: awsArn.optional(),
    /** The name to issue a DNS-validated certificate for (with hostedZoneId). */
    domainName: z.string().regex(/^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name').optional(),
    /** The Route 53 hosted zone that holds the validation records (with domainName). */
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id').optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.arn !== undefined && (c.domainName !== undefined || c.hostedZoneId !== undefined)) {
      issue('arn', 'must be given alone: either arn, or domainName with hostedZoneId, not both');
    } else if (c.arn === undefined) {
      if (c.domainName === undefined) issue('domainName', 'is required when no certificate arn is given (or give arn)');
      if (c.hostedZoneId === undefined) issue('hostedZoneId', 'is required with domainName, to hold the DNS validation records');
    }
  });

export const healthCheckSchema = z.strictObject({
  /** The health-check request path on the container port. @default '/health' */
  path: z.string().regex(/^\/[\x21-\x7e]*$/, 'must be an absolute URL path').default('/health'),
  /** HTTP codes that mean healthy. @default '200' */
  matcher: z.string().regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, "must be HTTP codes like '200' or '200-299'").default('200'),
  /** @default 15 */
  intervalSeconds: z.number().int().min(5).max(300).default(15),
  /** @default 5 */
  timeoutSeconds: z.number().int().min(2).max(120).default(5),
  /** @default 3 */
  healthyThreshold: z.number().int().min(2).max(10).default(3),
  /** @default 3 */
  unhealthyThreshold: z.number().int().min(2).max(10).default(3),
});

export const loadBalancerSchema = z.strictObject({
  /** An existing ACM certificate, or a domain and hosted zone for a DNS-validated one. */
  certificate: certificateSchema,
  /** TLS policy of the HTTPS and test listeners (TLS 1.3, with 1.2 unless a 1.3-only policy). @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  sslPolicy: z.enum(['ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06', 'ELBSecurityPolicy-TLS13-1-3-2021-06']).default('ELBSecurityPolicy-TLS13-1-2-2021-06'),
  /** CIDRs allowed on 443/80. @default ['0.0.0.0/0'] */
  ingressCidrs: z.array(cidr).min(1).default(['0.0.0.0/0']),
  /** The test listener's port (HTTPS, forwards to the colour about to receive traffic). @default 8443 */
  testListenerPort: z.number().int().min(1).max(65535).default(8443),
  /** Who may reach the test listener (never the internet by default). @default [] */
  testListenerCidrs: z.array(cidr).default([]),
  /** ALB deletion protection (production keeps it on). */
  deletionProtection: z.boolean(),
  /** Days ALB access-log objects are kept in the (SSE-S3) log bucket. @default 90 */
  accessLogRetentionDays: z.number().int().min(1).max(3650).default(90),
});

/** Environment variables the stack sets itself from the colour's database; config may not set them. */
export const RESERVED_ENVIRONMENT_NAMES = ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USERNAME', 'DB_PASSWORD'] as const;

/** Environment variable names that look like secrets; those belong in Secrets Manager, never in plain values. */
export const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

/**
 * A colour's autoscaling floor and ceiling with the defaults filled in. A parked colour (desiredCount 0) gets
 * 0..0: CPU target tracking cannot scale out from zero tasks, so a parked colour stays parked until config says so.
 */
export function scalingBounds(c: Pick<ColourConfig, 'desiredCount' | 'minCount' | 'maxCount'>): { min: number; max: number } {
  if (c.desiredCount === 0) return { min: c.minCount ?? 0, max: c.maxCount ?? 0 };
  return { min: c.minCount ?? c.desiredCount, max: c.maxCount ?? Math.max(c.desiredCount * 3, 2) };
}

export type ColourConfig = z.infer<typeof colourSchema>;
export type LoadBalancerConfig = z.infer<typeof loadBalancerSchema>;
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;
