import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { Naming } from '@bluegreen/config';
import { Token } from 'cdktf';
import { Construct } from 'constructs';

/** Record weights in percent (legacy + aws = 100): the staged share of the AWS side. */
export interface CutoverWeights {
  readonly legacy: number;
  readonly aws: number;
}

export interface DnsHealthCheckOptions {
  /** @default 'HTTPS' */
  readonly protocol?: 'HTTP' | 'HTTPS';
  /** @default 443 (HTTPS) or 80 (HTTP) */
  readonly port?: number;
  /** @default '/health' */
  readonly path?: string;
  /** Seconds between checks; Route 53 offers 10 or 30. @default 30 */
  readonly intervalSeconds?: 10 | 30;
  /** Consecutive results that flip the status (1-10). @default 3 */
  readonly failureThreshold?: number;
}

export interface LegacyCutoverDnsProps {
  /** Names the health checks `hc-legacy-{suffix}` / `hc-aws-{suffix}`. */
  readonly naming: Naming;
  /** The hosted zone that holds `recordName`. */
  readonly hostedZoneId: string;
  /** The name clients resolve, e.g. `api.example.com`. Must not be the zone apex when the legacy side is a hostname. */
  readonly recordName: string;
  /**
   * The legacy (on-premise) load balancer's hostname. Both records are then CNAMEs (Route 53 cannot mix a CNAME and
   * an alias A record under one name). Exactly one of `legacyHostname` / `legacyIpAddresses`.
   * @default - none; give `legacyIpAddresses`
   */
  readonly legacyHostname?: string;
  /**
   * The legacy load balancer's IPv4 addresses. Both records are then A records, the AWS one an alias to the ALB.
   * @default - none; give `legacyHostname`
   */
  readonly legacyIpAddresses?: readonly string[];
  /** The environment's ALB DNS name (`aws_lb.dns_name`). */
  readonly albDnsName: string;
  /** The ALB's canonical hosted zone id (`aws_lb.zone_id`), for the alias. */
  readonly albZoneId: string;
  /** Record weights (0-100 each, summing to 100); from `dns.weights` of the environment config. */
  readonly weights: CutoverWeights;
  /** TTL of the legacy records and of the AWS CNAME (alias records have none). 60 s during a migration. @default 60 */
  readonly ttlSeconds?: number;
  /** Health check of the legacy endpoint. @default - HTTPS 443 /health every 30 s, 3 failures */
  readonly legacyHealthCheck?: DnsHealthCheckOptions;
  /** Health check of the ALB. @default - HTTPS 443 /health every 30 s, 3 failures */
  readonly albHealthCheck?: DnsHealthCheckOptions;
  /** Alias records also follow the ALB's own target health. @default true */
  readonly evaluateTargetHealth?: boolean;
}

const HOSTNAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function checkHealth(name: string, o: DnsHealthCheckOptions | undefined, problems: string[]): void {
  if (!o) return;
  if (o.protocol !== undefined && o.protocol !== 'HTTP' && o.protocol !== 'HTTPS') problems.push(`${name}.protocol: must be 'HTTP' or 'HTTPS', got ${JSON.stringify(o.protocol)}`);
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)) problems.push(`${name}.port: must be 1-65535, got ${o.port}`);
  if (o.path !== undefined && !/^\/[\x21-\x7e]*$/.test(o.path)) problems.push(`${name}.path: must be an absolute URL path, got ${JSON.stringify(o.path)}`);
  if (o.intervalSeconds !== undefined && o.intervalSeconds !== 10 && o.intervalSeconds !== 30) problems.push(`${name}.intervalSeconds: must be 10 or 30, got ${o.intervalSeconds}`);
  if (o.failureThreshold !== undefined && (!Number.isInteger(o.failureThreshold) || o.failureThreshold < 1 || o.failureThreshold > 10)) {
    problems.push(`${name}.failureThreshold: must be 1-10, got ${o.failureThreshold}`);
  }
}

function validate(p: LegacyCutoverDnsProps): void {
  const problems: string[] = [];
  const known = (v: string) => !Token.isUnresolved(v);
  if (known(p.hostedZoneId) && !/^Z[A-Z0-9]{1,31}$/.test(p.hostedZoneId)) problems.push(`hostedZoneId: must be a Route 53 hosted zone id (Z…), got ${JSON.stringify(p.hostedZoneId)}`);
  if (known(p.recordName) && !HOSTNAME.test(p.recordName)) problems.push(`recordName: must be a lowercase DNS name, got ${JSON.stringify(p.recordName)}`);
  if ((p.legacyHostname === undefined) === (p.legacyIpAddresses === undefined)) {
    problems.push(`legacyHostname/legacyIpAddresses: must give exactly one, got ${p.legacyHostname === undefined ? 'neither' : 'both'}`);
  }
  if (p.legacyHostname !== undefined && known(p.legacyHostname) && !HOSTNAME.test(p.legacyHostname)) problems.push(`legacyHostname: must be a lowercase DNS name, got ${JSON.stringify(p.legacyHostname)}`);
  if (p.legacyIpAddresses !== undefined) {
    if (p.legacyIpAddresses.length === 0 || p.legacyIpAddresses.length > 8) problems.push(`legacyIpAddresses: must have 1-8 addresses, got ${p.legacyIpAddresses.length}`);
    p.legacyIpAddresses.forEach((ip, i) => {
      if (!IPV4.test(ip)) problems.push(`legacyIpAddresses[${i}]: must be an IPv4 address, got ${JSON.stringify(ip)}`);
    });
    if (new Set(p.legacyIpAddresses).size !== p.legacyIpAddresses.length) problems.push(`legacyIpAddresses: must not repeat an address, got ${JSON.stringify(p.legacyIpAddresses)}`);
  }
  for (const side of ['legacy', 'aws'] as const) {
    const w = p.weights[side];
    if (!Number.isInteger(w) || w < 0 || w > 100) problems.push(`weights.${side}: must be a whole number 0-100, got ${w}`);
  }
  if (p.weights.legacy + p.weights.aws !== 100) problems.push(`weights: legacy + aws must sum to 100, got ${p.weights.legacy} + ${p.weights.aws} = ${p.weights.legacy + p.weights.aws}`);
  if (p.ttlSeconds !== undefined && (!Number.isInteger(p.ttlSeconds) || p.ttlSeconds < 0 || p.ttlSeconds > 172800)) problems.push(`ttlSeconds: must be 0-172800, got ${p.ttlSeconds}`);
  checkHealth('legacyHealthCheck', p.legacyHealthCheck, problems);
  checkHealth('albHealthCheck', p.albHealthCheck, problems);
  if (problems.length > 0) throw new Error(`LegacyCutoverDns: invalid props:\n  - ${problems.join('\n  - ')}`);
}

function healthCheckConfig(o: DnsHealthCheckOptions = {}) {
  const protocol = o.protocol ?? 'HTTPS';
  return {
    type: protocol,
    port: o.port ?? (protocol === 'HTTPS' ? 443 : 80),
    resourcePath: o.path ?? '/health',
    requestInterval: o.intervalSeconds ?? 30,
    failureThreshold: o.failureThreshold ?? 3,
    ...(protocol === 'HTTPS' ? { enableSni: true } : {}),
  };
}

/**
 * Route 53 weighted records that move clients from a legacy (on-premise) endpoint to this environment's ALB in
 * stages: two records under one name, `set_identifier` `legacy` and `aws`, with the staged weights
 * from config, a short TTL (60 s) during the migration, and health checks on both sides so Route 53 stops answering
 * with a side that is down (a weight-0 record is still used when every weighted one is unhealthy).
 *
 * Legacy IPs give A records (the AWS one an alias to the ALB); a legacy hostname gives CNAMEs on both sides.
 * With several legacy IPs, each gets a health check and a calculated check (healthy while at least one is) guards
 * the legacy record.
 */
export class LegacyCutoverDns extends Construct {
  /** `A` (legacy IPs; alias to the ALB) or `CNAME` (legacy hostname). */
  public readonly recordType: 'A' | 'CNAME';
  public readonly recordName: string;
  /** The health check guarding the legacy record (a calculated one when there are several legacy IPs). */
  public readonly legacyHealthCheckId: string;
  public readonly albHealthCheckId: string;
  /** Terraform ids of the two weighted records. */
  public readonly legacyRecordId: string;
  public readonly awsRecordId: string;

  constructor(scope: Construct, id: string, props: LegacyCutoverDnsProps) {
    super(scope, id);
    validate(props);
    const { naming } = props;
    const ttl = props.ttlSeconds ?? 60;
    this.recordType = props.legacyIpAddresses ? 'A' : 'CNAME';
    this.recordName = props.recordName;
    const legacyHc = healthCheckConfig(props.legacyHealthCheck);

    let legacyCheck: Route53HealthCheck;
    if (props.legacyHostname !== undefined) {
      legacyCheck = new Route53HealthCheck(this, 'legacy-health-check', { ...legacyHc, fqdn: props.legacyHostname, tags: { Name: naming.name('hc-legacy') } });
    } else {
      const ips = props.legacyIpAddresses ?? [];
      // The fqdn sets the Host header (and SNI) the legacy servers expect when checked by IP.
      const perIp = ips.map(
        (ip, i) => new Route53HealthCheck(this, ips.length === 1 ? 'legacy-health-check' : `legacy-health-check-${i}`, { ...legacyHc, ipAddress: ip, fqdn: props.recordName, tags: { Name: naming.name(ips.length === 1 ? 'hc-legacy' : `hc-legacy-${i}`) } }),
      );
      legacyCheck =
        perIp.length === 1
          ? perIp[0]
          : new Route53HealthCheck(this, 'legacy-health-check', {
              type: 'CALCULATED',
              childHealthchecks: perIp.map((h) => h.id),
              childHealthThreshold: 1,
              tags: { Name: naming.name('hc-legacy') },
            });
    }
    const albCheck = new Route53HealthCheck(this, 'alb-health-check', {
      ...healthCheckConfig({ ...props.albHealthCheck, path: props.albHealthCheck?.path ?? '/health' }),
      fqdn: props.albDnsName,
      tags: { Name: naming.name('hc-aws') },
    });

    const legacy = new Route53Record(this, 'legacy', {
      zoneId: props.hostedZoneId,
      name: props.recordName,
      type: this.recordType,
      setIdentifier: 'legacy',
      weightedRoutingPolicy: { weight: props.weights.legacy },
      ttl,
      records: props.legacyHostname !== undefined ? [props.legacyHostname] : [...(props.legacyIpAddresses ?? [])],
      healthCheckId: legacyCheck.id,
    });
    const aws = new Route53Record(this, 'aws', {
      zoneId: props.hostedZoneId,
      name: props.recordName,
      type: this.recordType,
      setIdentifier: 'aws',
      weightedRoutingPolicy: { weight: props.weights.aws },
      healthCheckId: albCheck.id,
      ...(this.recordType === 'A'
        ? { alias: { name: props.albDnsName, zoneId: props.albZoneId, evaluateTargetHealth: props.evaluateTargetHealth ?? true } }
        : { ttl, records: [props.albDnsName] }),
    });

    this.legacyHealthCheckId = legacyCheck.id;
    this.albHealthCheckId = albCheck.id;
    this.legacyRecordId = legacy.id;
    this.awsRecordId = aws.id;
  }
}
