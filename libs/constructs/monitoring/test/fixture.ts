import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@bluegreen/config';
import { TerraformStack, Testing } from 'cdktf';
import { BlueGreenMonitoring, type BlueGreenMonitoringProps, type ServiceAlarmTargets } from '../src';

/** The service of an environment from before services: unqualified alarm names. */
export const APP: ServiceAlarmTargets = {
  name: 'app',
  unqualifiedNames: true,
  blue: { clusterName: 'ecs-cluster-test', serviceName: 'service-blue-test', targetGroupArnSuffix: 'targetgroup/tg-blue-test/aaaaaaaaaaaaaaaa' },
  green: { clusterName: 'ecs-cluster-test', serviceName: 'service-green-test', targetGroupArnSuffix: 'targetgroup/tg-green-test/bbbbbbbbbbbbbbbb' },
};

/** A named service: `alarm-<name>-<colour>-<signal>-test`. */
export function namedService(name: string, overrides: Partial<ServiceAlarmTargets> = {}): ServiceAlarmTargets {
  return {
    name,
    blue: { clusterName: 'ecs-cluster-test', serviceName: `service-${name}-blue-test`, targetGroupArnSuffix: `targetgroup/tg-${name}-blue-test/cccccccccccccccc` },
    green: { clusterName: 'ecs-cluster-test', serviceName: `service-${name}-green-test`, targetGroupArnSuffix: `targetgroup/tg-${name}-green-test/dddddddddddddddd` },
    ...overrides,
  };
}
import { decodeJsonAttribute } from '@bluegreen/guardrails';

export function monitoringProps(overrides: Partial<BlueGreenMonitoringProps> = {}): BlueGreenMonitoringProps {
  return {
    naming: new Naming('test'),
    region: 'us-east-1',
    accountId: '333333333333',
    loadBalancerArnSuffix: 'app/alb-test/0123456789abcdef',
    services: [APP],
    databases: { blue: 'aurora-blue-test', green: 'aurora-green-test' },
    alarmEmails: ['oncall@example.com'],
    ...overrides,
  };
}

export function buildStack(overrides: Partial<BlueGreenMonitoringProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'monitoring-test');
  new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    defaultTags: [{ tags: { Environment: 'test', Project: 'bluegreen', Owner: 'platform-team', CostCenter: 'cc-1234', ManagedBy: 'cdktf' } }],
  });
  const monitoring = new BlueGreenMonitoring(stack, 'monitoring', monitoringProps(overrides));
  return { stack, monitoring };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function synthJson(overrides: Partial<BlueGreenMonitoringProps> = {}): Json {
  return JSON.parse(Testing.synth(buildStack(overrides).stack));
}

/** Alarms by alarm_name. */
export function alarmsByName(json: Json): Record<string, Json> {
  return Object.fromEntries(Object.values(json.resource.aws_cloudwatch_metric_alarm as Record<string, Json>).map((a) => [a.alarm_name, a]));
}

/** Reads a synthesized JSON-document attribute (literal JSON or `${jsonencode(...)}`), as the guardrails do. */
export function decodeJson(value: string): Json {
  return decodeJsonAttribute(value) as Json;
}
