// Steps `validation`, `migration`, `dns` and the guardrails of the stack, with the real environment files:
// the validator is always there and admitted to every cluster; DMS and Route 53 appear only when their config
// section is enabled (and then validate and plan against the real AWS provider); a guardrail violation anywhere
// in the stack fails synth.
import { join } from 'node:path';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { loadEnvironmentConfig, validateEnvironmentConfig, type EnvironmentConfig, type EnvironmentConfigInput } from '@bluegreen/config';
import { countByType, offlineValidateAndPlan, synthStack, itOffline } from '@bluegreen/testing-terraform';
import { Testing } from 'cdktf';
import { BlueGreenStack } from '../src';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const apps = join(__dirname, '..', '..', '..', '..', 'apps');
const load = (env: string) => loadEnvironmentConfig(join(apps, env, 'environment.yaml'));
const stackOf = (config: EnvironmentConfig) => new BlueGreenStack(Testing.app(), config.environment, { config });
const synth = (config: EnvironmentConfig): Json => JSON.parse(Testing.synth(stackOf(config)));
const resourcesOf = (j: Json, type: string): Json[] => Object.values(j.resource[type] ?? {});

const RDS_CA = 'arn:aws:dms:us-east-1:222222222222:cert:RDSCA';

/** Staging migrating blue -> green with the way back (reverse replication) and the data verify task. */
function stagingWithWayBack(): EnvironmentConfig {
  const base = load('staging') as EnvironmentConfigInput;
  return validateEnvironmentConfig({
    ...base,
    migration: {
      enabled: true,
      source: { kind: 'blue' },
      target: 'green',
      targetCertificateArn: RDS_CA,
      reverse: { enabled: true },
      verifyTask: { enabled: true, image: '222222222222.dkr.ecr.us-east-1.amazonaws.com/bluegreen:1.4.0' },
    },
  });
}

/** Staging with a DMS migration blue -> green and the Route 53 cutover from a legacy load balancer turned on. */
function migratingStaging(): EnvironmentConfig {
  const base = load('staging') as EnvironmentConfigInput;
  return validateEnvironmentConfig({
    ...base,
    migration: { enabled: true, source: { kind: 'blue' }, target: 'green' },
    dns: {
      enabled: true,
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'app.example.com',
      legacy: { hostname: 'lb.onprem.example.com' },
      weights: { legacy: 95, aws: 5 },
    },
  });
}

describe('BlueGreenStack: validation, migration, dns, guardrails', () => {
  const dev = synth(load('dev'));

  it("gives the schema validator every service's schema and role from config, so an event { service } checks that one", () => {
    const [fn] = resourcesOf(synth(load('dev')), 'aws_lambda_function');
    expect(JSON.parse(fn.environment.variables.VALIDATOR_SERVICES)).toEqual({ monolith: { schema: 'public' }, catalog: { schema: 'catalog', appRole: 'catalog_app' } });
    expect(fn.environment.variables.VALIDATOR_SCHEMAS).toBeUndefined();
  });

  it('always has the schema-validator Lambda, named by the contract output, admitted to the blue cluster', () => {
    expect(resourcesOf(dev, 'aws_lambda_function')).toHaveLength(1);
    expect(dev.output.validator_function_name.value).toBe('schema-validator-dev');
    const ingress = resourcesOf(dev, 'aws_vpc_security_group_ingress_rule').map((r) => r.referenced_security_group_id);
    expect(ingress).toEqual(expect.arrayContaining([expect.stringMatching(/aws_security_group\.validation_/)]));
  });

  it('creates no DMS and no Route 53 records while their sections are disabled, and no logical replication', () => {
    expect(resourcesOf(dev, 'aws_dms_replication_instance')).toHaveLength(0);
    expect(resourcesOf(dev, 'aws_dms_replication_task')).toHaveLength(0);
    expect(resourcesOf(dev, 'aws_ecs_task_definition').map((t) => t.family)).not.toContain('task-verify-dev');
    expect(dev.output.dms_reverse_replication_task_arn).toBeUndefined();
    expect(resourcesOf(dev, 'aws_route53_record')).toHaveLength(0);
    const params = resourcesOf(dev, 'aws_rds_cluster_parameter_group').flatMap((g) => g.parameter.map((p: Json) => p.name));
    expect(params).not.toContain('rds.logical_replication');
  });

  it('wires DMS blue -> green (logical replication on the blue source, task failures allowed onto the alarm topic) and the DNS cutover when enabled', () => {
    const j = synth(migratingStaging());
    expect(resourcesOf(j, 'aws_dms_replication_task')).toEqual([expect.objectContaining({ migration_type: 'full-load-and-cdc' })]);
    const groups = Object.entries(j.resource.aws_rds_cluster_parameter_group) as [string, Json][];
    const logical = (prefix: string) =>
      groups.filter(([id]) => id.startsWith(prefix)).flatMap(([, g]) => g.parameter).some((p: Json) => p.name === 'rds.logical_replication' && p.value === '1');
    expect(logical('database_')).toBe(true);
    expect(logical('database-green_')).toBe(false);
    const topicPolicy = resourcesOf(j, 'aws_sns_topic_policy')[0].policy as string;
    expect(topicPolicy).toContain('events.amazonaws.com');
    expect(topicPolicy).toContain('rule/events-dms-task-failed-staging');
    expect(resourcesOf(j, 'aws_cloudwatch_event_rule').map((r) => r.name)).toContain('events-dms-task-failed-staging');
    const records = resourcesOf(j, 'aws_route53_record');
    expect(records.map((r) => r.weighted_routing_policy?.weight).sort((a, b) => a - b)).toEqual([5, 95]);
    expect(j.output.dms_replication_task_arn).toBeDefined();
  });

  itTf('validates and plans the migrating stack against the real AWS provider (offline)', () => {
    const result = offlineValidateAndPlan(synthStack(stackOf(migratingStaging())), 'staging-migrating');
    const counts = countByType(result.plan);
    expect(counts.aws_dms_replication_instance).toBe(1);
    expect(counts.aws_dms_replication_task).toBe(1);
    expect(counts.aws_dms_endpoint).toBe(2);
    expect(counts.aws_route53_record).toBe(2);
    expect(counts.aws_lambda_function).toBe(1);
  }, 300_000);

  it('fails synth on a guardrail violation anywhere in the stack, naming the rule and the construct path', () => {
    const stack = stackOf(load('dev'));
    new VpcEndpoint(stack, 'sneaky-endpoint', { vpcId: stack.network.vpcId, serviceName: 'com.amazonaws.us-east-1.s3' });
    expect(() => Testing.synth(stack)).toThrow(/BG003[\s\S]*sneaky-endpoint/);
  });

  it('has no reverse task, reverse alarms, verify task or green logical decoding in a migration that does not enable them', () => {
    const j = synth(migratingStaging());
    expect(resourcesOf(j, 'aws_dms_replication_task')).toHaveLength(1);
    expect(resourcesOf(j, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name)).not.toContain('alarm-dms-reverse-cdc-latency-target-staging');
    expect(resourcesOf(j, 'aws_ecs_task_definition').map((t) => t.family)).not.toContain('task-verify-staging');
    expect(j.output.dms_reverse_replication_task_arn).toBeUndefined();
    const green = (Object.entries(j.resource.aws_rds_cluster_parameter_group) as [string, Json][]).filter(([id]) => id.startsWith('database-green_')).flatMap(([, g]) => g.parameter);
    expect(green.map((p: Json) => p.name)).not.toContain('rds.logical_replication');
  });

  it('wires the way back when enabled: the reverse task, its alarms, logical decoding on both clusters, the verify task', () => {
    const j = synth(stagingWithWayBack());
    const tasks = resourcesOf(j, 'aws_dms_replication_task');
    expect(tasks.map((t) => [t.replication_task_id, t.migration_type, t.start_replication_task])).toEqual([
      ['dms-task-staging', 'full-load-and-cdc', false],
      ['dms-reverse-task-staging', 'cdc', false],
    ]);
    const endpoints = resourcesOf(j, 'aws_dms_endpoint').filter((e) => String(e.endpoint_id).includes('reverse'));
    expect(endpoints.map((e) => [e.endpoint_id, e.ssl_mode, e.certificate_arn])).toEqual([
      ['dms-reverse-source-staging', 'verify-full', RDS_CA],
      ['dms-reverse-target-staging', 'verify-full', RDS_CA],
    ]);
    expect(resourcesOf(j, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name)).toEqual(expect.arrayContaining(['alarm-dms-reverse-cdc-latency-source-staging', 'alarm-dms-reverse-cdc-latency-target-staging']));
    const groups = Object.entries(j.resource.aws_rds_cluster_parameter_group) as [string, Json][];
    const logical = (prefix: string) => groups.filter(([id]) => id.startsWith(prefix)).flatMap(([, g]) => g.parameter).some((p: Json) => p.name === 'rds.logical_replication' && p.value === '1');
    expect([logical('database_'), logical('database-green_')]).toEqual([true, true]);
    expect(resourcesOf(j, 'aws_ecs_task_definition').map((t) => t.family)).toContain('task-verify-staging');
    expect(j.output.dms_reverse_replication_task_arn).toBeDefined();
    expect(j.output.verify_report_location.value).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.migration_verify-task_report-bucket_[A-Z0-9]+\.bucket\}\/verify\/$/);
    expect(resourcesOf(j, 'aws_s3_bucket').map((b) => b.bucket)).toContain('verify-reports-222222222222-staging');
    expect(JSON.stringify(j)).not.toMatch(/"password"\s*:/);
  });

  itTf('validates and plans the way back against the real AWS provider (offline), every guardrail passing', () => {
    // Synthesizing runs the guardrail aspect: a violation anywhere would throw here.
    const result = offlineValidateAndPlan(synthStack(stackOf(stagingWithWayBack())), 'staging-way-back');
    const counts = countByType(result.plan);
    expect(counts.aws_dms_replication_task).toBe(2);
    expect(counts.aws_dms_endpoint).toBe(4);
    expect(counts.aws_s3_bucket).toBe(2); // ALB access logs + verify reports
    expect(counts.aws_ecs_task_definition).toBe(3); // blue, green, verify
  }, 300_000);
});
