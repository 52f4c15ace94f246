import type { DnsConfig, Naming } from '@bluegreen/config';
import type { LegacyCutoverDnsProps } from './legacy-cutover-dns';

/** What the stack supplies beside the config: the naming and the ALB to alias to. */
export interface CutoverDnsWiring {
  readonly naming: Naming;
  /** `aws_lb.dns_name` of the environment's ALB. */
  readonly albDnsName: string;
  /** `aws_lb.zone_id` of the environment's ALB. */
  readonly albZoneId: string;
}

/**
 * Maps the validated `dns` section of the environment config to {@link LegacyCutoverDnsProps}; undefined when
 * `dns.enabled` is false (then the stack creates nothing). The config schema already requires hostedZoneId,
 * recordName and legacy when enabled; this throws naming the field if it is ever handed an unvalidated section.
 */
export function cutoverDnsPropsFromConfig(dns: DnsConfig, wiring: CutoverDnsWiring): LegacyCutoverDnsProps | undefined {
  if (!dns.enabled) return undefined;
  const missing = (['hostedZoneId', 'recordName', 'legacy'] as const).filter((k) => dns[k] === undefined);
  if (missing.length > 0) throw new Error(`dns: ${missing.map((k) => `dns.${k} is required when dns.enabled is true`).join('; ')}`);
  const legacy = dns.legacy as NonNullable<DnsConfig['legacy']>;
  return {
    naming: wiring.naming,
    hostedZoneId: dns.hostedZoneId as string,
    recordName: dns.recordName as string,
    legacyHostname: legacy.hostname,
    legacyIpAddresses: legacy.ipAddresses,
    legacyHealthCheck: { ...legacy.healthCheck, intervalSeconds: legacy.healthCheck.intervalSeconds as 10 | 30 },
    albDnsName: wiring.albDnsName,
    albZoneId: wiring.albZoneId,
    albHealthCheck: { path: dns.albHealthCheckPath },
    weights: dns.weights,
    ttlSeconds: dns.ttlSeconds,
  };
}
