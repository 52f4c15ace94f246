// The structured output `bluegreen` of every shipped environment parses with the contract the command line reads it
// with (parseStackContract), and each name in it is the name of a synthesized resource: a field or a name changed on
// one side alone fails here.
import { join } from 'node:path';
import { loadEnvironmentConfig, validateEnvironmentConfig, type EnvironmentConfig, type EnvironmentConfigInput } from '@bluegreen/config';
import { parseStackContract, STACK_CONTRACT_OUTPUT, type StackContract } from '@bluegreen/contract';
import { Testing } from 'cdktf';
import { BlueGreenStack } from '../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const apps = join(__dirname, '..', '..', '..', '..', 'apps');
const load = (env: string) => loadEnvironmentConfig(join(apps, env, 'environment.yaml'));
const synth = (config: EnvironmentConfig): Json => JSON.parse(Testing.synth(new BlueGreenStack(Testing.app(), config.environment, { config })));

/** `${<type>.<name>.<attr>}` of the one resource of `type` whose name contains `part`. */
function ref(j: Json, type: string, part: string, attr: string): string {
  const names = Object.keys(j.resource[type] ?? {}).filter((n) => n.includes(part));
  if (names.length !== 1) throw new Error(`${type} ${part}: ${names.length} matches`);
  return `\${${type}.${names[0]}.${attr}}`;
}
const contractOf = (j: Json, env: string): StackContract => parseStackContract(j.output[STACK_CONTRACT_OUTPUT].value, `${env} synth`);

describe('the stack contract output', () => {
  const synthesized = Object.fromEntries(['dev', 'staging', 'prod'].map((env) => [env, synth(load(env))]));

  it.each(['dev', 'staging', 'prod'])('%s: parses with the contract schema, one default service', (env) => {
    const c = contractOf(synthesized[env], env);
    expect(c).toMatchObject({ version: 1, environment: env, environmentSuffix: env, region: 'us-east-1', defaultService: 'monolith' });
    // dev has carved catalog out of the monolith; staging and prod run the monolith alone.
    expect(Object.keys(c.services).sort()).toEqual(env === 'dev' ? ['catalog', 'monolith'] : ['monolith']);
    expect(synthesized[env].output[STACK_CONTRACT_OUTPUT].sensitive).toBeUndefined();
  });

  it("names the resources the stack synthesizes: listeners, target groups, ECS services, repository, cluster, topic", () => {
    const j = synthesized.prod;
    const c = contractOf(j, 'prod');
    const s = c.services.monolith;
    expect(c.loadBalancer).toEqual({
      arn: ref(j, 'aws_lb', 'alb', 'arn'),
      arnSuffix: ref(j, 'aws_lb', 'alb', 'arn_suffix'),
      dnsName: ref(j, 'aws_lb', 'alb', 'dns_name'),
      httpsListenerArn: ref(j, 'aws_lb_listener', 'https-listener', 'arn'),
      testListenerArn: ref(j, 'aws_lb_listener', 'test-listener', 'arn'),
    });
    expect(s.route).toEqual({ kind: 'default-action', listenerArn: c.loadBalancer.httpsListenerArn });
    expect(s.testRoute).toEqual({ kind: 'default-action', listenerArn: c.loadBalancer.testListenerArn });
    for (const colour of ['blue', 'green'] as const) {
      expect(s.targetGroups[colour]).toEqual({ arn: ref(j, 'aws_lb_target_group', `target-group-${colour}`, 'arn'), arnSuffix: ref(j, 'aws_lb_target_group', `target-group-${colour}`, 'arn_suffix') });
      expect(s.ecsServices[colour]).toBe(ref(j, 'aws_ecs_service', `compute_${colour}_`, 'name'));
    }
    expect(s.imageRepository).toEqual({ name: ref(j, 'aws_ecr_repository', 'service-monolith', 'name'), url: ref(j, 'aws_ecr_repository', 'service-monolith', 'repository_url') });
    expect(c.ecsClusterName).toBe(ref(j, 'aws_ecs_cluster', 'cluster', 'name'));
    expect(c.alarmTopicArn).toBe(ref(j, 'aws_sns_topic', 'alarm-topic', 'arn'));
    expect(c.validatorFunctionName).toBe(j.resource.aws_lambda_function[Object.keys(j.resource.aws_lambda_function)[0]].function_name);
  });

  it('lists exactly the alarms of each colour, by the names the alarms have, and every service alarm is listed', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const j = synthesized[env];
      const c = contractOf(j, env);
      const alarmNames = Object.values<Json>(j.resource.aws_cloudwatch_metric_alarm).map((a) => a.alarm_name as string);
      const listed = Object.values(c.services).flatMap((s) => [...s.alarms.blue, ...s.alarms.green]);
      for (const name of listed) expect(alarmNames).toContain(name);
      expect([...listed].sort()).toEqual(alarmNames.filter((n) => !n.startsWith('alarm-db-')).sort());
      expect(c.services.monolith.alarms.green).toEqual(['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'].map((s) => `alarm-green-${s}-${env}`));
    }
  });

  it('describes the databases there are: blue always, green with its cluster', () => {
    expect(contractOf(synthesized.dev, 'dev').databases.green).toBeUndefined();
    const staging = contractOf(synthesized.staging, 'staging');
    expect(staging.databases.blue.clusterId).toBe('aurora-blue-staging');
    expect(staging.databases.green).toEqual({
      clusterId: 'aurora-green-staging',
      endpoint: ref(synthesized.staging, 'aws_rds_cluster', 'database-green_', 'endpoint'),
      masterSecretArn: expect.stringContaining('master_user_secret[0].secret_arn'),
    });
  });

  it('describes the DMS migration when one is configured, and omits it otherwise', () => {
    expect(contractOf(synthesized.staging, 'staging').migration).toBeUndefined();
    const base = load('staging') as EnvironmentConfigInput;
    const migrating = validateEnvironmentConfig({ ...base, migration: { enabled: true, source: { kind: 'blue' }, target: 'green' } });
    const j = synth(migrating);
    const c = contractOf(j, 'staging');
    expect(c.migration?.forwardTaskArn).toBe(ref(j, 'aws_dms_replication_task', '', 'replication_task_arn'));
    expect(c.migration?.alarms.length).toBeGreaterThan(0);
    const alarmNames = Object.values<Json>(j.resource.aws_cloudwatch_metric_alarm).map((a) => a.alarm_name);
    for (const name of c.migration?.alarms ?? []) expect(alarmNames).toContain(name);
  });

  it('fails when a field is renamed on the stack side alone', () => {
    const value = structuredClone(synthesized.dev.output[STACK_CONTRACT_OUTPUT].value);
    value.clusterName = value.ecsClusterName;
    delete value.ecsClusterName;
    value.services.monolith.ecsService = value.services.monolith.ecsServices;
    delete value.services.monolith.ecsServices;
    expect(() => parseStackContract(value, 'dev synth')).toThrow(/ecsClusterName[\s\S]*services\.monolith\.ecsServices|services\.monolith\.ecsServices[\s\S]*ecsClusterName/);
  });
});
