import { z } from 'zod';
import { percent } from './common';
import { DEFAULT_STAGES } from './traffic';

const hostname = z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/, 'must be a lowercase DNS name (e.g. lb.example.com)');
const ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, 'must be an IPv4 address (e.g. 203.0.113.10)');

export const dnsHealthCheckSchema = z.strictObject({
  /** How Route 53 checks the endpoint. @default 'HTTPS' */
  protocol: z.enum(['HTTP', 'HTTPS']).default('HTTPS'),
  /** The port checked. @default 443 */
  port: z.number().int().min(1).max(65535).default(443),
  /** The URL path checked; a 2xx/3xx answer is healthy. @default '/health' */
  path: z.string().regex(/^\/[\x21-\x7e]*$/, 'must be an absolute URL path').default('/health'),
  /** Seconds between checks (Route 53 allows 10 or 30). @default 30 */
  intervalSeconds: z.number().refine((v) => v === 10 || v === 30, { message: 'must be 10 or 30 (the intervals Route 53 offers)' }).default(30),
  /** Consecutive results that flip the status. @default 3 */
  failureThreshold: z.number().int().min(1).max(10).default(3),
});

/**
 * The legacy (on-premise) endpoint traffic moves away from: a load balancer hostname (records become CNAMEs) or
 * its IPv4 addresses (records become A records, the AWS side an alias to the ALB). Exactly one of the two.
 */
export const legacyEndpointSchema = z.strictObject({
  /** The legacy load balancer's DNS name; the records become CNAMEs. */
  hostname: hostname.optional(),
  /** The legacy load balancer's IPv4 addresses (1-8); the records become A records, the AWS one an alias. */
  ipAddresses: z.array(ipv4).min(1).max(8).optional(),
  /** Route 53 health check of the legacy endpoint (by hostname, or per IP with the record name as Host). */
  healthCheck: dnsHealthCheckSchema.default({ protocol: 'HTTPS', port: 443, path: '/health', intervalSeconds: 30, failureThreshold: 3 }),
});

/**
 * Route 53 weighted records moving traffic from a legacy endpoint to this environment's ALB. Off by
 * default; when enabled, hostedZoneId, recordName and legacy are required and the weights sum to 100.
 */
export const dnsSchema = z
  .strictObject({
    /** Create the weighted legacy/aws records and their health checks (construct `dns`). @default false */
    enabled: z.boolean().default(false),
    /** The public hosted zone that holds recordName. */
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id (Z…)').optional(),
    /** The name users resolve, e.g. api.example.com (not the zone apex when the legacy endpoint is a hostname). */
    recordName: hostname.optional(),
    /** The legacy (on-premise) side: its endpoint (exactly one of hostname or ipAddresses); its share is dns.weights.legacy. */
    legacy: legacyEndpointSchema.optional(),
    /** Record weights in percent; they sum to 100. @default { legacy: 100, aws: 0 } */
    weights: z
      .strictObject({
        legacy: percent,
        /** Share pointing at this environment's ALB; moved by `bluegreen traffic shift --dns`. */
        aws: percent,
      })
      .default({ legacy: 100, aws: 0 }),
    /** Staged percentages for the AWS side (same rules as traffic.stages). @default [5, 10, 25, 50, 75, 100] */
    stages: z.array(z.number().int().min(1).max(100)).min(1).default([...DEFAULT_STAGES]),
    /** TTL of the legacy records (and of the AWS CNAME); 60 s during a migration, so clients follow a change within a minute. @default 60 */
    ttlSeconds: z.number().int().min(0).max(172800).default(60),
    /** The health-check path on the ALB side. @default '/health' */
    albHealthCheckPath: z.string().regex(/^\/[\x21-\x7e]*$/, 'must be an absolute URL path').default('/health'),
  })
  .superRefine((d, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (d.weights.legacy + d.weights.aws !== 100) {
      issue(['weights'], `legacy + aws weights must sum to 100, got ${d.weights.legacy} + ${d.weights.aws} = ${d.weights.legacy + d.weights.aws}`);
    }
    if (d.stages.some((s, i) => i > 0 && s <= d.stages[i - 1])) issue(['stages'], `must be strictly increasing, got [${d.stages.join(', ')}]`);
    if (d.stages[d.stages.length - 1] !== 100) issue(['stages'], `must end at 100, got [${d.stages.join(', ')}]`);
    if (d.legacy && (d.legacy.hostname === undefined) === (d.legacy.ipAddresses === undefined)) {
      issue(['legacy'], `must set exactly one of hostname or ipAddresses, got ${d.legacy.hostname === undefined ? 'neither' : 'both'}`);
    }
    if (d.legacy?.ipAddresses && new Set(d.legacy.ipAddresses).size !== d.legacy.ipAddresses.length) {
      issue(['legacy', 'ipAddresses'], `must not repeat an address, got [${d.legacy.ipAddresses.join(', ')}]`);
    }
    if (!d.enabled) return;
    if (d.hostedZoneId === undefined) issue(['hostedZoneId'], 'is required when dns.enabled is true');
    if (d.recordName === undefined) issue(['recordName'], 'is required when dns.enabled is true');
    if (d.legacy === undefined) issue(['legacy'], 'is required when dns.enabled is true (hostname or ipAddresses of the legacy endpoint)');
  });

export type DnsConfig = z.infer<typeof dnsSchema>;
export type LegacyEndpointConfig = z.infer<typeof legacyEndpointSchema>;
export type DnsHealthCheckConfig = z.infer<typeof dnsHealthCheckSchema>;
