import { Naming, validateEnvironmentConfig } from '@bluegreen/config';
import { Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cutoverDnsPropsFromConfig, LegacyCutoverDns } from '../src';

const dev = () => parse(readFileSync(join(__dirname, '../../../../apps/dev/environment.yaml'), 'utf8'));
const wiring = { naming: new Naming('dev'), albDnsName: 'alb-dev-1.us-east-1.elb.amazonaws.com', albZoneId: 'Z35SXDOTRQ7X7K' };

describe('cutoverDnsPropsFromConfig', () => {
  it('is undefined while dns is disabled (the default)', () => {
    expect(cutoverDnsPropsFromConfig(validateEnvironmentConfig(dev()).dns, wiring)).toBeUndefined();
  });

  it('maps an enabled section to props the construct accepts', () => {
    const c = validateEnvironmentConfig({
      ...dev(),
      dns: { enabled: true, hostedZoneId: 'Z0123456789ABC', recordName: 'api.example.com', legacy: { hostname: 'lb.onprem.example.net', healthCheck: { protocol: 'HTTP', port: 8080 } }, weights: { legacy: 75, aws: 25 } },
    });
    const props = cutoverDnsPropsFromConfig(c.dns, wiring);
    expect(props).toMatchObject({
      hostedZoneId: 'Z0123456789ABC',
      recordName: 'api.example.com',
      legacyHostname: 'lb.onprem.example.net',
      legacyIpAddresses: undefined,
      legacyHealthCheck: { protocol: 'HTTP', port: 8080, path: '/health', intervalSeconds: 30, failureThreshold: 3 },
      albHealthCheck: { path: '/health' },
      weights: { legacy: 75, aws: 25 },
      ttlSeconds: 60,
    });
    if (!props) throw new Error('expected props for an enabled dns section');
    const json = JSON.parse(Testing.synthScope((s) => void new LegacyCutoverDns(s, 'dns', props)));
    const records = Object.values(json.resource.aws_route53_record) as { set_identifier: string; weighted_routing_policy: { weight: number } }[];
    expect(Object.fromEntries(records.map((r) => [r.set_identifier, r.weighted_routing_policy.weight]))).toEqual({ legacy: 75, aws: 25 });
  });
});
