// The stack with several services (the monolith from config plus two carved out): each gets its rule, pair, alarms,
// repository and database admissions; the contract names them all; shifting one of three changes exactly its rule;
// adding services leaves every resource of the monolith as it was; and the whole stack plans with the real provider.
import { join } from 'node:path';
import { loadEnvironmentConfig, Naming, type EnvironmentConfig } from '@bluegreen/config';
import { parseStackContract, STACK_CONTRACT_OUTPUT } from '@bluegreen/contract';
import { deploymentAlarmNames } from '@bluegreen/monitoring';
import { countByType, offlineValidateAndPlan, synthStack, itOffline } from '@bluegreen/testing-terraform';
import { Testing } from 'cdktf';
import { BlueGreenStack, servicesFromConfig, type WiredService } from '../src';
import { baselineEntries, readBaseline } from './single-service-baseline';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const dev = loadEnvironmentConfig(join(__dirname, '..', '..', '..', '..', 'apps', 'dev', 'environment.yaml'));

/** A service carved out of the monolith: its settings, routed by `routing`, with its own images. */
function carvedOut(config: EnvironmentConfig, name: string, routing: WiredService['settings']['routing'], weights = { blue: 100, green: 0 }): WiredService {
  const [monolith] = servicesFromConfig(config, new Naming(config.environmentSuffix));
  const naming = new Naming(config.environmentSuffix);
  const colour = (c: 'blue' | 'green') => ({
    ...monolith.settings[c],
    image: `111111111111.dkr.ecr.us-east-1.amazonaws.com/ecr-${name}-dev:1.0.0`,
    writablePaths: ['/tmp'],
    deploymentAlarmNames: deploymentAlarmNames(naming, { name }, c),
  });
  return {
    ...monolith,
    settings: { ...monolith.settings, name, unqualifiedNames: false, routing, containerPort: 8080, healthCheck: { ...monolith.settings.healthCheck, path: '/health' }, weights, blue: colour('blue'), green: colour('green') },
    configPath: { blue: `services.${name}.blue.database`, green: `services.${name}.green.database` },
  };
}

function threeServices(paymentsWeights?: { blue: number; green: number }): WiredService[] {
  return [
    ...servicesFromConfig(dev, new Naming('dev')),
    carvedOut(dev, 'catalog', { pathPatterns: ['/catalog', '/catalog/*'], priority: 100 }),
    carvedOut(dev, 'payments', { hostHeaders: ['pay.example.com'], pathPatterns: ['/api/*'], priority: 200 }, paymentsWeights),
  ];
}
const stackOf = (services: WiredService[]) => new BlueGreenStack(Testing.app(), 'dev', { config: dev, services });
const synth = (services: WiredService[]): Json => JSON.parse(Testing.synth(stackOf(services)));
const ref = (j: Json, type: string, part: string, attr: string) => {
  const names = Object.keys(j.resource[type] ?? {}).filter((n) => n.includes(part));
  if (names.length !== 1) throw new Error(`${type} ${part}: ${names.length} matches`);
  return `\${${type}.${names[0]}.${attr}}`;
};

describe('BlueGreenStack with several services', () => {
  const json = synth(threeServices());

  it('publishes every service in the contract: the default action for the monolith, listener rules for the others', () => {
    const c = parseStackContract(json.output[STACK_CONTRACT_OUTPUT].value, 'dev synth');
    expect(Object.keys(c.services).sort()).toEqual(['catalog', 'monolith', 'payments']);
    expect(c.defaultService).toBe('monolith');
    expect(c.services.catalog.route).toEqual({ kind: 'listener-rule', ruleArn: ref(json, 'aws_lb_listener_rule', 'service-catalog_https-rule', 'arn') });
    expect(c.services.catalog.testRoute).toEqual({ kind: 'listener-rule', ruleArn: ref(json, 'aws_lb_listener_rule', 'service-catalog_test-rule', 'arn') });
    expect(c.services.payments.ecsServices.green).toBe(ref(json, 'aws_ecs_service', 'service-payments_green_', 'name'));
    expect(c.services.payments.alarms.blue).toEqual(['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'].map((s) => `alarm-payments-blue-${s}-dev`));
    const alarmNames = Object.values<Json>(json.resource.aws_cloudwatch_metric_alarm).map((a) => a.alarm_name);
    for (const s of Object.values(c.services)) for (const name of [...s.alarms.blue, ...s.alarms.green]) expect(alarmNames).toContain(name);
    expect(c.services.catalog.imageRepository?.name).toBe(ref(json, 'aws_ecr_repository', 'service-catalog', 'name'));
  });

  it("admits each service's task security groups to its database, and only those", () => {
    const dbSg = ref(json, 'aws_security_group', 'database_', 'id');
    const admitted = Object.entries<Json>(json.resource.aws_vpc_security_group_ingress_rule)
      .filter(([, r]) => r.security_group_id === dbSg)
      .map(([n]) => n.replace(/_[0-9A-F]{8}$/, ''))
      .sort();
    expect(admitted).toEqual(
      ['database_ingress-ecs-blue', 'database_ingress-ecs-green', 'database_ingress-ecs-catalog-blue', 'database_ingress-ecs-catalog-green', 'database_ingress-ecs-payments-blue', 'database_ingress-ecs-payments-green', 'database_ingress-validator'].sort(),
    );
  });

  it('leaves every resource of the monolith as it was (only the dashboard gains rows)', () => {
    const baseline = readBaseline().dev;
    const now = baselineEntries(json);
    expect(Object.keys(baseline).filter((a) => now[a]?.body !== baseline[a].body)).toEqual([]);
  });

  it('a shift of one service of three changes exactly that service’s listener rule', () => {
    const after = synth(threeServices({ blue: 90, green: 10 }));
    const rule = Object.keys(json.resource.aws_lb_listener_rule).find((n) => n.includes('service-payments_https-rule'));
    const changed: string[] = [];
    const walk = (a: Json, b: Json, path: string) => {
      if (JSON.stringify(a) === JSON.stringify(b)) return;
      if (a && b && typeof a === 'object' && typeof b === 'object') for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], path ? `${path}.${k}` : k);
      else changed.push(path);
    };
    walk(json, after, '');
    expect(changed).toEqual([`resource.aws_lb_listener_rule.${rule}.action.0.forward.target_group.0.weight`, `resource.aws_lb_listener_rule.${rule}.action.0.forward.target_group.1.weight`]);
  });

  it('refuses a service assigned to a green cluster the stack does not have, by its config path', () => {
    const [monolith, catalog] = threeServices();
    const bad: WiredService = { ...catalog, databases: { blue: 'blue', green: 'green' } };
    expect(() => stackOf([monolith, bad])).toThrow("services.catalog.green.database: is 'green' but the stack has no green cluster (database.green.enabled is false)");
  });

  itTf('validates and plans with the real AWS provider: six ECS services, four listener rules, three repositories', () => {
    const result = offlineValidateAndPlan(synthStack(stackOf(threeServices())), 'dev-three-services');
    expect(result.validate.valid).toBe(true);
    expect(countByType(result.plan)).toMatchObject({ aws_ecs_service: 6, aws_lb_target_group: 6, aws_lb_listener: 3, aws_lb_listener_rule: 4, aws_ecr_repository: 3, aws_cloudwatch_metric_alarm: 34 });
  }, 300_000);
});
