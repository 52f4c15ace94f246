// Steps `compute` and `monitoring` of the stack, with the real environment files: each colour's tasks use the
// database cluster config assigns them (blue by default, green when enabled and assigned), that cluster alone
// admits them, alarms exist for every cluster, and services wait for their deployment alarms.
import { join } from 'node:path';
import { loadEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import { Testing } from 'cdktf';
import { BlueGreenStack } from '../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const apps = join(__dirname, '..', '..', '..', '..', 'apps');
const load = (env: string) => loadEnvironmentConfig(join(apps, env, 'environment.yaml'));

function synth(config: EnvironmentConfig): Json {
  return JSON.parse(Testing.synth(new BlueGreenStack(Testing.app(), config.environment, { config })));
}
const entries = (j: Json, type: string): [string, Json][] => Object.entries(j.resource[type] ?? {});
const nameOf = (j: Json, type: string, part: string) => {
  const found = entries(j, type).filter(([n]) => n.includes(part));
  if (found.length !== 1) throw new Error(`${type} ${part}: ${found.length} matches`);
  return found[0][0];
};
/** The container definitions' text (a jsonencode expression) of a colour. */
const containerText = (j: Json, colour: string) => entries(j, 'aws_ecs_task_definition').find(([n]) => n.startsWith(`compute_${colour}_`))?.[1].container_definitions as string;
/** Which security groups each cluster's security group admits. */
function admitted(j: Json, cluster: 'database' | 'database-green'): string[] {
  const sg = `\${aws_security_group.${nameOf(j, 'aws_security_group', `${cluster}_`)}.id}`;
  return entries(j, 'aws_vpc_security_group_ingress_rule')
    .filter(([, r]) => r.security_group_id === sg)
    .map(([, r]) => r.referenced_security_group_id)
    .sort();
}
/** The schema-validator Lambda's security group: every cluster admits it (it compares blue with green). */
const validatorSg = (j: Json) => `\${aws_security_group.${nameOf(j, 'aws_security_group', 'validation_')}.id}`;
const taskSg = (j: Json, colour: string) => `\${aws_security_group.${nameOf(j, 'aws_security_group', `compute_${colour}_`)}.id}`;

describe('BlueGreenStack: compute wiring', () => {
  const dev = synth(load('dev'));
  const staging = synth(load('staging'));

  it('connects both colours to the blue cluster by default, which admits both task groups', () => {
    const secret = `aws_rds_cluster.${nameOf(dev, 'aws_rds_cluster', 'database_')}.master_user_secret`;
    for (const colour of ['blue', 'green']) expect(containerText(dev, colour)).toContain(secret);
    const catalogSg = (colour: string) => `\${aws_security_group.${nameOf(dev, 'aws_security_group', `compute_service-catalog_${colour}_`)}.id}`;
    expect(admitted(dev, 'database')).toEqual([taskSg(dev, 'blue'), taskSg(dev, 'green'), catalogSg('blue'), catalogSg('green'), validatorSg(dev)].sort());
  });

  it('connects green to the green cluster when it is enabled and assigned; each cluster admits only its colour (and the schema validator)', () => {
    const blueSecret = `aws_rds_cluster.${nameOf(staging, 'aws_rds_cluster', 'database_')}.master_user_secret`;
    const greenSecret = `aws_rds_cluster.${nameOf(staging, 'aws_rds_cluster', 'database-green_')}.master_user_secret`;
    expect(containerText(staging, 'blue')).toContain(blueSecret);
    expect(containerText(staging, 'blue')).not.toContain(greenSecret);
    expect(containerText(staging, 'green')).toContain(greenSecret);
    expect(containerText(staging, 'green')).not.toContain(blueSecret);
    expect(admitted(staging, 'database')).toEqual([taskSg(staging, 'blue'), validatorSg(staging)].sort());
    expect(admitted(staging, 'database-green')).toEqual([taskSg(staging, 'green'), validatorSg(staging)].sort());
  });

  it('has database alarms for every cluster that exists', () => {
    const names = (j: Json) => entries(j, 'aws_cloudwatch_metric_alarm').map(([, a]) => a.alarm_name as string);
    expect(names(dev).filter((n) => n.startsWith('alarm-db-'))).toHaveLength(4);
    expect(names(staging).filter((n) => n.startsWith('alarm-db-green-'))).toHaveLength(4);
  });

  it('orders each service after its deployment alarms, which watch it by name', () => {
    for (const colour of ['blue', 'green']) {
      const [, service] = entries(dev, 'aws_ecs_service').find(([n]) => n.startsWith(`compute_${colour}_`)) as [string, Json];
      for (const signal of ['5xx-rate', 'p95-latency']) {
        const alarm = nameOf(dev, 'aws_cloudwatch_metric_alarm', `monitoring_${colour}-${signal}_`);
        expect(service.depends_on).toContain(`aws_cloudwatch_metric_alarm.${alarm}`);
        expect(service.alarms.alarm_names).toContain(dev.resource.aws_cloudwatch_metric_alarm[alarm].alarm_name);
      }
      const cpu = dev.resource.aws_cloudwatch_metric_alarm[nameOf(dev, 'aws_cloudwatch_metric_alarm', `monitoring_${colour}-cpu_`)];
      expect(cpu.dimensions).toEqual({ ClusterName: 'ecs-cluster-dev', ServiceName: service.name });
    }
  });

  it("keeps one image repository per service, force-deleted with the environment unless it protects its database", () => {
    const repos = (j: Json) => entries(j, 'aws_ecr_repository').map(([, r]) => [r.name, r.force_delete]).sort();
    expect(repos(dev)).toEqual([
      ['ecr-catalog-dev', true],
      ['ecr-monolith-dev', true],
    ]);
    expect(repos(synth(load('prod')))).toEqual([['ecr-monolith-prod', false]]);
  });

  it('refuses, at construction, a colour assigned to a green cluster that does not exist', () => {
    const config = load('dev');
    const m = config.services.monolith;
    const bad = { ...config, services: { ...config.services, monolith: { ...m, green: { ...m.green, database: 'green' as const } } } };
    expect(() => new BlueGreenStack(Testing.app(), 'dev', { config: bad })).toThrow(/services\.monolith\.green\.database: is 'green' but database\.green\.enabled is false/);
  });
});
