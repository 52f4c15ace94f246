import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@bluegreen/config';
import { TerraformStack, Testing } from 'cdktf';
import { BlueGreenMonitoring, type BlueGreenMonitoringProps } from '../src';

export function monitoringProps(overrides: Partial<BlueGreenMonitoringProps> = {}): BlueGreenMonitoringProps {
  return {
    naming: new Naming('test'),
    region: 'us-east-1',
    accountId: '333333333333',
    loadBalancerArnSuffix: 'app/alb-test/0123456789abcdef',
    blue: { clusterName: 'ecs-cluster-test', serviceName: 'service-blue-test', targetGroupArnSuffix: 'targetgroup/tg-blue-test/aaaaaaaaaaaaaaaa' },
    green: { clusterName: 'ecs-cluster-test', serviceName: 'service-green-test', targetGroupArnSuffix: 'targetgroup/tg-green-test/bbbbbbbbbbbbbbbb' },
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

/**
 * Reads a synthesized JSON document attribute: literal JSON, or `${jsonencode({"k" = v, …})}` as cdktf renders
 * `Fn.jsonencode` (keys are quoted, so `"key" = ` → `"key": ` turns the HCL object into JSON; bare references are re-quoted).
 */
export function decodeJson(value: string): Json {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value);
  if (!m) return JSON.parse(value);
  const json = m[1]
    .replace(/("(?:[^"\\]|\\.)*") = /g, '$1: ')
    // A value that is only a reference is rendered bare (`"k" = aws_x.y.arn`): quote it back as "${aws_x.y.arn}".
    .replace(/([:[,]\s*)((?:aws_|tolist\()[^,\]}\s]*)/g, '$1"${$2}"');
  return JSON.parse(json);
}
