// A deployed single-service environment becomes one default service without losing anything: every compute and
// monitoring resource it had (ECS services, task definitions, target groups, listeners, roles, security groups, log
// groups, alarms, autoscaling) is synthesized at the same Terraform address with the same body, so `terraform plan`
// of the change can only add resources beside them (the service's image repository) and update the dashboard.
// The baseline was captured from the shipped environments before environments could hold several services.
import { loadEnvironmentConfig } from '@bluegreen/config';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { BlueGreenStack } from '../src';
import { baselineEntries, ENVIRONMENTS, readBaseline, synthEnvironment, type BaselineEntry } from './single-service-baseline';

/** What differs from the baseline: addresses gone, bodies changed, addresses new (in scope). */
function compare(baseline: Record<string, BaselineEntry>, now: Record<string, BaselineEntry>) {
  const missing = Object.keys(baseline).filter((a) => !now[a]);
  const changed = Object.keys(baseline).filter((a) => now[a] && now[a].body !== baseline[a].body);
  const added = Object.keys(now).filter((a) => !baseline[a]);
  return { missing, changed, added };
}

describe('a single-service environment keeps its resources', () => {
  const baseline = readBaseline();

  it.each(ENVIRONMENTS)('%s: every compute and monitoring resource keeps its address and body; only the image repository (and in dev the catalog service) is new', (env) => {
    expect(Object.keys(baseline[env]).length).toBeGreaterThan(50);
    const { missing, changed, added } = compare(baseline[env], baselineEntries(synthEnvironment(env)));
    expect({ missing, changed }).toEqual({ missing: [], changed: [] });
    // dev has carved catalog out of the monolith: its resources are new too, and all of them carry its name.
    const beside = added.map((a) => a.replace(/_[0-9A-F]{8}$/, '')).filter((a) => !(env === 'dev' && /[_-]catalog[_-]/.test(a)));
    expect(beside).toEqual(['aws_ecr_lifecycle_policy.compute_service-monolith_repository-lifecycle', 'aws_ecr_repository.compute_service-monolith_repository']);
    if (env === 'dev') expect(added.length - beside.length).toBeGreaterThan(30);
  });

  it('holds the resources that must not be replaced, by their deployed names', () => {
    const names = Object.values(baseline.prod).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['service-blue-prod', 'service-green-prod', 'tg-blue-prod', 'tg-green-prod', 'alarm-blue-5xx-rate-prod', 'alarm-green-unhealthy-hosts-prod']));
    const addresses = Object.keys(baseline.prod);
    expect(addresses.filter((a) => a.startsWith('aws_lb_listener.'))).toHaveLength(3);
    // 10 service alarms (5 per colour) and 4 for the one database cluster.
    expect(addresses.filter((a) => a.startsWith('aws_cloudwatch_metric_alarm.'))).toHaveLength(14);
  });

  it('the comparison sees a changed body and a moved address (so an empty result means something)', () => {
    const config = loadEnvironmentConfig(join(__dirname, '..', '..', '..', '..', 'apps', 'dev', 'environment.yaml'));
    const m = config.services.monolith;
    const bigger = { ...config, services: { ...config.services, monolith: { ...m, blue: { ...m.blue, cpu: 512 as const, memory: 1024 } } } };
    const now = baselineEntries(JSON.parse(Testing.synth(new BlueGreenStack(Testing.app(), 'dev', { config: bigger }))));
    expect(compare(readBaseline().dev, now).changed.map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['aws_ecs_task_definition.compute_blue_task-definition']);
    const renamed = Object.fromEntries(Object.entries(now).map(([a, e]) => [a.replace('compute_blue_service_', 'compute_service-monolith_blue_service_'), e]));
    expect(compare(readBaseline().dev, renamed).missing.map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['aws_ecs_service.compute_blue_service']);
  });
});
