import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Naming } from '@bluegreen/config';
import { countByType, offlineValidateAndPlan, synthStack, itOffline } from '@bluegreen/testing-terraform';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { LegacyCutoverDns, type LegacyCutoverDnsProps } from '../src';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

Testing.setupJest();

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const ipProps: LegacyCutoverDnsProps = {
  naming: new Naming('qa1'),
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  recordName: 'api.example.com',
  legacyIpAddresses: ['203.0.113.10', '203.0.113.11'],
  albDnsName: 'alb-qa1-1234567890.us-east-1.elb.amazonaws.com',
  albZoneId: 'Z35SXDOTRQ7X7K',
  weights: { legacy: 90, aws: 10 },
};

function synth(props: Partial<LegacyCutoverDnsProps> = {}, base: LegacyCutoverDnsProps = ipProps): { json: string; r: Resources } {
  const json = Testing.synthScope((scope) => {
    new LegacyCutoverDns(scope, 'dns', { ...base, ...props });
  });
  return { json, r: (JSON.parse(json) as { resource: Resources }).resource };
}

describe('LegacyCutoverDns with legacy IPs (A records, alias to the ALB)', () => {
  const { json, r } = synth();

  it('creates two weighted A records under one name with the staged weights and set identifiers legacy / aws', () => {
    expect(json).toHaveResourceWithProperties(Route53Record, {
      zone_id: 'Z0123456789ABCDEFGHIJ',
      name: 'api.example.com',
      type: 'A',
      set_identifier: 'legacy',
      weighted_routing_policy: { weight: 90 },
      ttl: 60,
      records: ['203.0.113.10', '203.0.113.11'],
    });
    expect(json).toHaveResourceWithProperties(Route53Record, {
      name: 'api.example.com',
      type: 'A',
      set_identifier: 'aws',
      weighted_routing_policy: { weight: 10 },
      alias: { name: 'alb-qa1-1234567890.us-east-1.elb.amazonaws.com', zone_id: 'Z35SXDOTRQ7X7K', evaluate_target_health: true },
    });
    // An alias record has no TTL of its own.
    expect(Object.values(r.aws_route53_record).find((x) => x.set_identifier === 'aws')).not.toHaveProperty('ttl');
  });

  it('checks every legacy IP (Host header = record name) behind a calculated check, and the ALB by its DNS name', () => {
    const checks = Object.values(r.aws_route53_health_check);
    expect(checks).toHaveLength(4);
    for (const ip of ['203.0.113.10', '203.0.113.11']) {
      expect(json).toHaveResourceWithProperties(Route53HealthCheck, { ip_address: ip, fqdn: 'api.example.com', type: 'HTTPS', port: 443, resource_path: '/health', request_interval: 30, failure_threshold: 3, enable_sni: true });
    }
    expect(json).toHaveResourceWithProperties(Route53HealthCheck, { type: 'CALCULATED', child_health_threshold: 1, tags: { Name: 'hc-legacy-qa1' } });
    expect(json).toHaveResourceWithProperties(Route53HealthCheck, { fqdn: 'alb-qa1-1234567890.us-east-1.elb.amazonaws.com', type: 'HTTPS', port: 443, tags: { Name: 'hc-aws-qa1' } });
    const records = Object.values(r.aws_route53_record);
    expect(records.every((x) => typeof x.health_check_id === 'string' && String(x.health_check_id).includes('aws_route53_health_check.'))).toBe(true);
    const legacy = records.find((x) => x.set_identifier === 'legacy');
    expect(String(legacy?.health_check_id)).toContain('legacy-health-check');
  });

  it('a single legacy IP needs no calculated check', () => {
    const one = synth({ legacyIpAddresses: ['203.0.113.10'] }).r;
    expect(Object.values(one.aws_route53_health_check).map((h) => h.type)).toEqual(['HTTPS', 'HTTPS']);
  });
});

describe('LegacyCutoverDns with a legacy hostname (CNAMEs)', () => {
  const { json, r } = synth({ legacyIpAddresses: undefined, legacyHostname: 'lb.onprem.example.net', weights: { legacy: 100, aws: 0 }, ttlSeconds: 30, legacyHealthCheck: { protocol: 'HTTP', path: '/status' } });

  it('makes both records CNAMEs with the TTL; the AWS one points at the ALB name', () => {
    expect(json).toHaveResourceWithProperties(Route53Record, { type: 'CNAME', set_identifier: 'legacy', records: ['lb.onprem.example.net'], ttl: 30, weighted_routing_policy: { weight: 100 } });
    expect(json).toHaveResourceWithProperties(Route53Record, { type: 'CNAME', set_identifier: 'aws', records: ['alb-qa1-1234567890.us-east-1.elb.amazonaws.com'], ttl: 30, weighted_routing_policy: { weight: 0 } });
    expect(Object.values(r.aws_route53_record).some((x) => x.alias !== undefined)).toBe(false);
  });

  it('checks the legacy hostname with the configured protocol (HTTP on 80, no SNI)', () => {
    const legacy = Object.values(r.aws_route53_health_check).find((h) => h.fqdn === 'lb.onprem.example.net');
    expect(legacy).toMatchObject({ type: 'HTTP', port: 80, resource_path: '/status' });
    expect(legacy?.enable_sni).toBeUndefined();
  });
});

describe('LegacyCutoverDns props validation', () => {
  it.each<[string, Partial<LegacyCutoverDnsProps>, string]>([
    ['weights not summing to 100', { weights: { legacy: 90, aws: 20 } }, 'weights: legacy + aws must sum to 100, got 90 + 20 = 110'],
    ['a fractional weight', { weights: { legacy: 89.5, aws: 10.5 } }, 'weights.legacy: must be a whole number 0-100, got 89.5'],
    ['both legacy forms', { legacyHostname: 'lb.example.net' }, 'legacyHostname/legacyIpAddresses: must give exactly one, got both'],
    ['neither legacy form', { legacyIpAddresses: undefined }, 'legacyHostname/legacyIpAddresses: must give exactly one, got neither'],
    ['a bad IP', { legacyIpAddresses: ['10.0.0.256'] }, 'legacyIpAddresses[0]: must be an IPv4 address, got "10.0.0.256"'],
    ['a bad zone id', { hostedZoneId: 'example.com' }, 'hostedZoneId: must be a Route 53 hosted zone id (Z…), got "example.com"'],
    ['a bad record name', { recordName: 'API.example.com' }, 'recordName: must be a lowercase DNS name, got "API.example.com"'],
    ['a negative TTL', { ttlSeconds: -1 }, 'ttlSeconds: must be 0-172800, got -1'],
    ['an interval Route 53 lacks', { legacyHealthCheck: { intervalSeconds: 15 as 10 } }, 'legacyHealthCheck.intervalSeconds: must be 10 or 30, got 15'],
  ])('refuses %s, naming the prop', (_n, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('accepts Terraform tokens for the zone and ALB (wired from other resources)', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const v = (name: string) => new TerraformVariable(scope, name, { type: 'string' }).stringValue;
        new LegacyCutoverDns(scope, 'dns', { ...ipProps, hostedZoneId: v('zone'), albDnsName: v('alb_dns'), albZoneId: v('alb_zone') });
      }),
    ).not.toThrow();
  });
});

describe('LegacyCutoverDns against the real AWS provider (offline)', () => {
  itTf('validates and plans two records and four health checks', () => {
    const stack = new TerraformStack(Testing.app(), 'dns-test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new LegacyCutoverDns(stack, 'dns', ipProps);
    const result = offlineValidateAndPlan(synthStack(stack), 'dns-construct');
    expect(countByType(result.plan)).toEqual({ aws_route53_record: 2, aws_route53_health_check: 4 });
  }, 240_000);
});
