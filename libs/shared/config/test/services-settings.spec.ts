// The services section: dev's two services as shipped, every problem of a bad services map by field (all at once),
// the settings of a one-service config that moved, and resolveService (the one way every command picks a service).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveService, ServiceSelectionError, validateEnvironmentConfig, defaultServiceName } from '../src';
import { problemsAfter, shippedConfig, type ConfigInput } from './fixtures';

const dev = () => validateEnvironmentConfig(shippedConfig('dev'), 'dev');
/** dev with a third service, `payments`, routed by `routing` (its own schema unless given). */
const withPayments = (c: ConfigInput, patch: Record<string, unknown> = {}) => {
  c.services.payments = { ...structuredClone(c.services.catalog), databaseSchema: 'payments', routing: { pathPatterns: ['/payments/*'], priority: 200 }, ...patch };
};

describe('services', () => {
  it('dev ships the monolith as the default route and catalog carved out by path', () => {
    const c = dev();
    expect(Object.keys(c.services)).toEqual(['monolith', 'catalog']);
    expect(defaultServiceName(c)).toBe('monolith');
    expect(c.services.monolith).toMatchObject({ unqualifiedNames: true, databaseSchema: 'public', routing: { default: true, pathPatterns: [], hostHeaders: [] } });
    expect(c.services.catalog).toMatchObject({ unqualifiedNames: false, databaseSchema: 'catalog', routing: { default: false, pathPatterns: ['/catalog', '/catalog/*'], priority: 100 }, containerPort: 8080 });
    expect(c.services.catalog.thresholds).toEqual({ p95LatencySeconds: 0.5 });
    expect(c.services.catalog.traffic).toMatchObject({ live: 'blue', blue: 100, green: 0 });
  });

  it('staging and prod ship one service, the default route keeping its single-service names', () => {
    for (const env of ['staging', 'prod']) {
      const c = validateEnvironmentConfig(shippedConfig(env), env);
      expect(Object.keys(c.services)).toEqual(['monolith']);
      expect(c.services.monolith).toMatchObject({ unqualifiedNames: true, routing: { default: true } });
    }
  });

  it.each<[string, (c: ConfigInput) => void, string[]]>([
    ['no service', (c) => (c.services = {}), ['services: must list at least one service (exactly one with routing.default: true), got none']],
    [
      'no default service',
      (c) => (c.services.monolith.routing = { pathPatterns: ['/'], priority: 1 }),
      ['services: must have exactly one default service (routing: { default: true }: it answers every request no rule matches), got none among monolith, catalog'],
    ],
    [
      'two default services',
      (c) => (c.services.catalog.routing = { default: true }),
      ['services.catalog.routing.default: must be true for one service only: monolith is the default service already (a load balancer has one default action), got true'],
    ],
    ['a priority taken twice', (c) => withPayments(c, { routing: { pathPatterns: ['/payments/*'], priority: 100 } }), ['services.payments.routing.priority: must be unique on the listener: catalog has it already, got 100']],
    [
      'a path pattern routed to two services',
      (c) => withPayments(c, { routing: { pathPatterns: ['/payments/*', '/catalog/*'], priority: 200 } }),
      ['services.payments.routing.pathPatterns.1: must not be routed to two services: catalog has "/catalog/*" already, got "/catalog/*"'],
    ],
    [
      'a host header routed to two services',
      (c) => {
        c.services.catalog.routing = { hostHeaders: ['Shop.example.com'], priority: 100 };
        withPayments(c, { routing: { hostHeaders: ['shop.example.com'], priority: 200 } });
      },
      ['services.payments.routing.hostHeaders.0: must not be routed to two services: catalog has "shop.example.com" already, got "shop.example.com"'],
    ],
    [
      'a schema owned twice',
      (c) => withPayments(c, { databaseSchema: 'catalog' }),
      ['services.payments.databaseSchema: must be owned by one service only: catalog owns it already (each service owns its own schema), got "catalog"'],
    ],
    [
      'nothing for a name that fits the target group (tg-recommendations-green-dev: 28 of 32 characters)',
      (c) => {
        c.services['recommendations'] = c.services.catalog;
        delete c.services.catalog;
      },
      [],
    ],
    [
      'a name breaking the 32 characters of a target group',
      (c) => {
        c.services['recommendation-engine'] = c.services.catalog;
        delete c.services.catalog;
      },
      [
        'services.recommendation-engine: its name makes the target group name "tg-recommendation-engine-green-dev" 34 characters; AWS allows 32, so with environmentSuffix "dev" a service name may have at most 19 characters, got "recommendation-engine"',
      ],
    ],
    [
      'a reserved and a malformed name',
      (c) => {
        c.services.db = { ...structuredClone(c.services.catalog), databaseSchema: 'db1', routing: { pathPatterns: ['/db'], priority: 300 } };
        c.services.Shop_1 = { ...structuredClone(c.services.catalog), databaseSchema: 'shop', routing: { pathPatterns: ['/shop'], priority: 400 } };
      },
      [
        'services.db: must not be named db, blue, green (they collide with other resource names), got "db"',
        'services.Shop_1: must be named in lowercase letters and digits in hyphen-separated words, starting with a letter, got "Shop_1"',
      ],
    ],
    [
      'a default service with paths',
      (c) => (c.services.monolith.routing = { default: true, pathPatterns: ['/'], priority: 5 }),
      ['services.monolith.routing: of the default service must be { default: true } alone (it answers what no rule matches; remove pathPatterns, priority), got {"default":true,"pathPatterns":["/"],"hostHeaders":[],"priority":5}'],
    ],
    [
      'a rule without priority or conditions',
      (c) => (c.services.catalog.routing = {}),
      [
        'services.catalog.routing.priority: is required for a service that is not the default (a listener rule needs a priority, 1-50000, lowest evaluated first)',
        'services.catalog.routing: must give pathPatterns and/or hostHeaders (or be the default service with default: true), got {"default":false,"pathPatterns":[],"hostHeaders":[]}',
      ],
    ],
    [
      'more than five condition values and a repeated path',
      (c) => (c.services.catalog.routing = { pathPatterns: ['/a', '/b', '/c', '/a'], hostHeaders: ['x.example.com', 'y.example.com'], priority: 100 }),
      ['services.catalog.routing: may hold at most 5 path patterns and host headers together (an ALB rule limit), got 6', 'services.catalog.routing.pathPatterns.3: must not repeat "/a" (listed earlier in services.catalog.routing.pathPatterns), got "/a"'],
    ],
    [
      'a bad path pattern and host header',
      (c) => (c.services.catalog.routing = { pathPatterns: ['catalog'], hostHeaders: ['localhost'], priority: 100 }),
      [
        'services.catalog.routing.pathPatterns.0: must be an ALB path pattern: up to 128 characters starting with \'/\', letters, digits, _ - . $ / ~ " \' @ : + & and the wildcards * ?, got "catalog"',
        "services.catalog.routing.hostHeaders.0: must be a host name with at least one '.': up to 128 characters of letters, digits, - . and the wildcards * ?, got \"localhost\"",
      ],
    ],
    [
      'two services keeping the single-service names',
      (c) => (c.services.catalog.unqualifiedNames = true),
      ['services.catalog.unqualifiedNames: must be true for one service only: monolith keeps the single-service names already (two would get the same resource names), got true'],
    ],
    [
      'a secret repeating an environment variable, and a reserved one',
      (c) => {
        c.services.catalog.blue.environment = { STRIPE_KEY_ID: 'x' };
        c.services.catalog.blue.secrets = [
          { name: 'STRIPE_KEY_ID', secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:catalog/stripe-AbCdEf' },
          { name: 'DB_PASSWORD', secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:catalog/db-AbCdEf' },
        ];
      },
      [
        'services.catalog.blue.secrets.0.name: must not repeat an environment variable or another secret, got "STRIPE_KEY_ID"',
        'services.catalog.blue.secrets.1.name: is set by the stack from services.catalog.blue.database (DB_HOST, DB_PORT, DB_NAME, DB_USERNAME, DB_PASSWORD are reserved), got "DB_PASSWORD"',
      ],
    ],
    ['a secret that is not a Secrets Manager ARN', (c) => (c.services.catalog.green.secrets = [{ name: 'TOKEN', secretArn: 'arn:aws:ssm:us-east-1:111111111111:parameter/x' }]), [
      'services.catalog.green.secrets.0.secretArn: must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got "arn:aws:ssm:us-east-1:111111111111:parameter/x"',
    ]],
    ['a service threshold out of range', (c) => (c.services.catalog.thresholds = { http5xxRatePercent: 0, dbConnections: 10 }), [
      'services.catalog.thresholds.http5xxRatePercent: must be at least 0.01, got 0',
      'services.catalog.thresholds.dbConnections: is not a known setting (check the spelling against the config reference)',
    ]],
    ["catalog's weights on a parked colour", (c) => {
      Object.assign(c.services.catalog.traffic, { blue: 90, green: 10 });
      Object.assign(c.services.catalog.green, { desiredCount: 0 });
    }, ['services.catalog.traffic.green: colour green has weight 10 but services.catalog.green.desiredCount is 0: a colour receiving traffic needs tasks, got 10']],
  ])('refuses %s, by field', (_name, patch, expected) => {
    expect(problemsAfter(patch)).toEqual(expected);
  });

  it('reports every problem of the services map at once', () => {
    const p = problemsAfter((c) => {
      c.services.catalog.routing = { default: true };
      withPayments(c, { databaseSchema: 'public', routing: { pathPatterns: ['/payments/*'], priority: 100 } });
      c.services.payments.traffic.blue = 50;
    });
    expect(p.map((l) => l.slice(0, l.indexOf(':')))).toEqual(['services.payments.traffic', 'services.catalog.routing.default', 'services.payments.databaseSchema']);
    expect(p).toHaveLength(3);
  });

  it('a file that still describes one service under compute and traffic says where they moved', () => {
    const p = problemsAfter((c) => {
      c.compute = c.services.monolith;
      c.traffic = c.compute.traffic;
      delete c.services;
    });
    expect(p).toEqual([
      expect.stringMatching(/^compute: moved into services: .*services\.monolith with unqualifiedNames: true .*routing: \{ default: true \}/),
      expect.stringMatching(/^traffic: moved into services\.<name>\.traffic: /),
    ]);
  });
});

describe('docs/carving-a-service.md', () => {
  it("its payments service (step 2) is valid in dev's config, beside the monolith and catalog", () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'carving-a-service.md'), 'utf8');
    const step2 = doc.slice(doc.indexOf('## 2. Route at 0 %'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(step2)?.[1] ?? '';
    const payments = (parse(yaml.replace(/<[^>]+>/g, '2.3.1')) as { services: Record<string, unknown> }).services.payments;
    expect(payments).toBeDefined();
    const c = shippedConfig('dev');
    c.services.payments = payments;
    const config = validateEnvironmentConfig(c, 'dev with payments');
    expect(config.services.payments).toMatchObject({ databaseSchema: 'payments', routing: { priority: 200, pathPatterns: ['/payments', '/payments/*'] }, traffic: { live: 'blue', blue: 100, green: 0 } });
  });
});

describe('resolveService', () => {
  it('returns the service named', () => {
    const r = resolveService(dev(), 'catalog');
    expect(r.name).toBe('catalog');
    expect(r.service.databaseSchema).toBe('catalog');
  });

  it('needs a name when the environment has several services, and lists them', () => {
    expect(() => resolveService(dev())).toThrow(new ServiceSelectionError('--service is required: environment dev has 2 services (monolith, catalog)', []));
    expect(() => resolveService(dev(), 'payments')).toThrow('--service "payments": environment dev has no such service (services: monolith, catalog)');
    expect(() => resolveService(dev(), 'constructor')).toThrow(ServiceSelectionError);
    try {
      resolveService(dev(), 'toString');
    } catch (err) {
      expect((err as ServiceSelectionError).services).toEqual(['monolith', 'catalog']);
    }
  });

  it('takes the only service when none is named', () => {
    const prod = validateEnvironmentConfig(shippedConfig('prod'), 'prod');
    expect(resolveService(prod).name).toBe('monolith');
    expect(resolveService(prod, 'monolith').name).toBe('monolith');
  });
});
