// The stack with several services (dev's monolith and catalog plus payments, all from config): each gets its rule, pair, alarms,
// repository and database admissions; the contract names them all; shifting one of three changes exactly its rule;
// adding services leaves every resource of the monolith as it was; and the whole stack plans with the real provider.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Naming, parseConfigYaml, validateEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import { parseStackContract, STACK_CONTRACT_OUTPUT } from '@bluegreen/contract';
import { countByType, offlineValidateAndPlan, synthStack, itOffline } from '@bluegreen/testing-terraform';
import { Testing } from 'cdktf';
import { BlueGreenStack, servicesFromConfig, type WiredService } from '../src';
import { baselineEntries, readBaseline } from './single-service-baseline';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const devFile = join(__dirname, '..', '..', '..', '..', 'apps', 'dev', 'environment.yaml');

/**
 * dev as shipped (the monolith and catalog) plus `payments`, carved out by host and path, written into the config
 * as an operator would: the services map goes through config validation and the stack's mapping like any other.
 */
function threeServicesConfig(paymentsWeights = { blue: 100, green: 0 }): EnvironmentConfig {
  const { value } = parseConfigYaml(readFileSync(devFile, 'utf8'));
  const input = value as Json;
  input.services.payments = {
    ...structuredClone(input.services.catalog),
    routing: { hostHeaders: ['pay.example.com'], pathPatterns: ['/api/*'], priority: 200 },
    databaseSchema: 'payments',
    blue: { ...input.services.catalog.blue, image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/ecr-payments-dev:1.0.0' },
    green: { ...input.services.catalog.green, image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/ecr-payments-dev:1.0.0' },
    traffic: { ...input.services.catalog.traffic, ...paymentsWeights },
  };
  return validateEnvironmentConfig(input, 'dev with payments');
}
const dev = threeServicesConfig();
const threeServices = (paymentsWeights?: { blue: number; green: number }): WiredService[] => servicesFromConfig(threeServicesConfig(paymentsWeights), new Naming('dev'));
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

  // The plan proof of a shift of one service of three, with the real provider. `terraform apply` cannot run offline,
  // so there is no deployed state to plan the shift against; a crafted state (see the plan review's fixtures) would
  // put values into it that no AWS API ever returned, for ~300 resources. Instead Terraform plans the configuration
  // before and after the shift, each from scratch, and the two plans are compared resource by resource: the same
  // addresses, and planned values equal everywhere except one attribute of one resource. Against any state in sync
  // with the first configuration, the second can therefore plan nothing but an update of that attribute: the
  // weights of the payments HTTPS rule. (Values Terraform knows only after apply are `unknown` in both plans and
  // compared as such: an id change could not hide there, since the addresses and known inputs are identical.)
  itTf('plans with the real AWS provider, and a shift of one service of three changes exactly its listener rule in the plan', () => {
    const before = offlineValidateAndPlan(synthStack(stackOf(threeServices())), 'dev-three-services');
    expect(before.validate.valid).toBe(true);
    expect(countByType(before.plan)).toMatchObject({ aws_ecs_service: 6, aws_lb_target_group: 6, aws_lb_listener: 3, aws_lb_listener_rule: 4, aws_ecr_repository: 3, aws_cloudwatch_metric_alarm: 34 });
    const after = offlineValidateAndPlan(synthStack(stackOf(threeServices({ blue: 90, green: 10 }))), 'dev-three-services-payments-10');
    const planned = (p: Json): Map<string, Json> => new Map((p.planned_values.root_module.resources as Json[]).map((r) => [r.address, r.values]));
    const [a, b] = [planned(before.plan), planned(after.plan)];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect(a.size).toBeGreaterThan(200);
    const differing = [...a.keys()].filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)));
    const rule = [...a.keys()].find((k) => k.startsWith('aws_lb_listener_rule.') && k.includes('service-payments_https-rule'));
    expect(rule).toBeDefined();
    expect(differing).toEqual([rule]);
    // A set in the plan (ordered by target group ARN, unknown before apply): the weights, sorted.
    const weights = (v: Json) => v.action[0].forward[0].target_group.map((t: Json) => t.weight).sort((x: number, y: number) => x - y);
    expect([weights(a.get(rule as string)), weights(b.get(rule as string))]).toEqual([
      [0, 100],
      [10, 90],
    ]);
    // The unknowns agree too: nothing becomes "known after apply" in one plan but not the other.
    const unknowns = (p: Json) => JSON.stringify(Object.fromEntries((p.resource_changes as Json[]).map((c) => [c.address, c.change.after_unknown])));
    expect(unknowns(after.plan)).toBe(unknowns(before.plan));
  }, 600_000);
});
