import { validateEnvironmentConfig } from '../src';
import { problemsAfter, shippedConfig, type ConfigInput } from './fixtures';

// The dev environment's reviewed config is the valid base; each case breaks one dns/traffic setting.
const base = () => shippedConfig('dev');
const problemsOf = (patch: (c: ConfigInput) => void) => problemsAfter(patch, 'dev');

const enabledDns = {
  enabled: true,
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  recordName: 'api.example.com',
  legacy: { ipAddresses: ['203.0.113.10', '203.0.113.11'] },
};

describe('dns settings', () => {
  it('defaults to disabled with 100/0 weights, the default stages and a 60 s TTL', () => {
    const c = validateEnvironmentConfig(base(), 'test');
    expect(c.dns).toEqual({
      enabled: false,
      weights: { legacy: 100, aws: 0 },
      stages: [5, 10, 25, 50, 75, 100],
      ttlSeconds: 60,
      albHealthCheckPath: '/health',
    });
  });

  it('accepts a complete enabled section and fills the legacy health check defaults', () => {
    const c = validateEnvironmentConfig({ ...base(), dns: { ...enabledDns, weights: { legacy: 90, aws: 10 } } }, 'test');
    expect(c.dns.legacy?.healthCheck).toEqual({ protocol: 'HTTPS', port: 443, path: '/health', intervalSeconds: 30, failureThreshold: 3 });
    expect(c.dns.weights).toEqual({ legacy: 90, aws: 10 });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing zone when enabled', { enabled: true, recordName: 'api.example.com', legacy: { hostname: 'lb.example.net' } }, 'dns.hostedZoneId: is required when dns.enabled is true'],
    ['missing record name when enabled', { enabled: true, hostedZoneId: 'Z123', legacy: { hostname: 'lb.example.net' } }, 'dns.recordName: is required when dns.enabled is true'],
    ['missing legacy when enabled', { enabled: true, hostedZoneId: 'Z123', recordName: 'api.example.com' }, 'dns.legacy: is required when dns.enabled is true (hostname or ipAddresses of the legacy endpoint)'],
    ['weights not summing to 100', { ...enabledDns, weights: { legacy: 80, aws: 10 } }, 'dns.weights: legacy + aws weights must sum to 100, got 80 + 10 = 90'],
    ['weight over 100', { ...enabledDns, weights: { legacy: -40, aws: 140 } }, 'dns.weights.aws: must be 0-100, got 140'],
    ['both hostname and IPs', { ...enabledDns, legacy: { hostname: 'lb.example.net', ipAddresses: ['203.0.113.10'] } }, 'dns.legacy: must set exactly one of hostname or ipAddresses, got both'],
    ['neither hostname nor IPs', { ...enabledDns, legacy: {} }, 'dns.legacy: must set exactly one of hostname or ipAddresses, got neither'],
    ['a bad IP', { ...enabledDns, legacy: { ipAddresses: ['203.0.113.300'] } }, 'dns.legacy.ipAddresses.0: must be an IPv4 address (e.g. 203.0.113.10), got "203.0.113.300"'],
    ['a repeated IP', { ...enabledDns, legacy: { ipAddresses: ['203.0.113.10', '203.0.113.10'] } }, 'dns.legacy.ipAddresses: must not repeat an address, got [203.0.113.10, 203.0.113.10]'],
    ['a bad zone id', { ...enabledDns, hostedZoneId: 'zone-1' }, 'dns.hostedZoneId: must be a Route 53 hosted zone id (Z…), got "zone-1"'],
    ['a bad record name', { ...enabledDns, recordName: 'API.Example.com' }, 'dns.recordName: must be a lowercase DNS name (e.g. lb.example.com), got "API.Example.com"'],
    ['stages not increasing', { ...enabledDns, stages: [10, 5, 100] }, 'dns.stages: must be strictly increasing, got [10, 5, 100]'],
    ['stages not ending at 100', { ...enabledDns, stages: [5, 50] }, 'dns.stages: must end at 100, got [5, 50]'],
    ['a TTL over two days', { ...enabledDns, ttlSeconds: 200000 }, 'dns.ttlSeconds: must be at most 172800, got 200000'],
    ['an interval Route 53 does not offer', { ...enabledDns, legacy: { hostname: 'lb.example.net', healthCheck: { intervalSeconds: 15 } } }, 'dns.legacy.healthCheck.intervalSeconds: must be 10 or 30 (the intervals Route 53 offers), got 15'],
    ['an unknown key', { ...enabledDns, weight: 5 }, 'dns.weight: is not a known setting (check the spelling against the config reference)'],
  ])('refuses %s', (_name, dns, expected) => {
    expect(problemsOf((c) => (c.dns = dns))).toContain(expected);
  });
});

describe('traffic.promotedAt', () => {
  it('accepts an ISO UTC timestamp', () => {
    const config = base();
    (config.services.monolith.traffic as Record<string, unknown>).promotedAt = '2026-11-22T03:00:00Z';
    expect(validateEnvironmentConfig(config, 'test').services.monolith.traffic.promotedAt).toBe('2026-11-22T03:00:00Z');
  });

  it('refuses anything else, naming the field', () => {
    expect(problemsOf((c) => ((c.services.monolith.traffic as Record<string, unknown>).promotedAt = 'yesterday'))).toContain(
      'services.monolith.traffic.promotedAt: must be an ISO 8601 UTC timestamp like 2026-01-31T12:00:00Z, got "yesterday"',
    );
  });
});
