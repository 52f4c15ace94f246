import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Naming } from '@bluegreen/config';
import { BlueGreenGuardrails } from '@bluegreen/guardrails';
import { Aspects, Testing } from 'cdktf';
import { alarmsByName, buildStack, decodeJson, synthJson, type Json } from '../../test/fixture';
import { DEFAULT_THRESHOLDS, deploymentAlarmNames } from '../index';

const topicRef = (json: Json) => `\${${'aws_sns_topic'}.${Object.keys(json.resource.aws_sns_topic)[0]}.arn}`;

describe('BlueGreenMonitoring', () => {
  const json = synthJson();
  const alarms = alarmsByName(json);

  it('creates every service alarm for both colours and every database alarm for both clusters, named by contract', () => {
    expect(Object.keys(alarms).sort()).toEqual(
      [
        ...['blue', 'green'].flatMap((c) => ['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'].map((s) => `alarm-${c}-${s}-test`)),
        ...['blue', 'green'].flatMap((c) => ['connections', 'cpu', 'freeable-memory', 'replica-lag'].map((s) => `alarm-db-${c}-${s}-test`)),
      ].sort(),
    );
  });

  it('sends every alarm and its recovery to the topic', () => {
    for (const [name, a] of Object.entries(alarms)) {
      expect({ name, alarm: a.alarm_actions, ok: a.ok_actions }).toEqual({ name, alarm: [topicRef(json)], ok: [topicRef(json)] });
    }
  });

  it('watches ECS CPU and memory by cluster and service', () => {
    expect(alarms['alarm-blue-cpu-test']).toMatchObject({
      namespace: 'AWS/ECS',
      metric_name: 'CPUUtilization',
      dimensions: { ClusterName: 'ecs-cluster-test', ServiceName: 'service-blue-test' },
      comparison_operator: 'GreaterThanThreshold',
      threshold: 80,
    });
    expect(alarms['alarm-green-memory-test']).toMatchObject({
      namespace: 'AWS/ECS',
      metric_name: 'MemoryUtilization',
      dimensions: { ClusterName: 'ecs-cluster-test', ServiceName: 'service-green-test' },
      threshold: 80,
    });
  });

  it('alarms on the 5xx RATE (metric math over 5xx count and request count), missing data not breaching', () => {
    const a = alarms['alarm-green-5xx-rate-test'];
    expect(a.threshold).toBe(1);
    expect(a.treat_missing_data).toBe('notBreaching');
    expect(a.metric_name).toBeUndefined();
    const q = Object.fromEntries(a.metric_query.map((m: Json) => [m.id, m]));
    expect(q.rate).toMatchObject({ expression: '100 * FILL(errors, 0) / requests', return_data: true });
    const dims = { TargetGroup: 'targetgroup/tg-green-test/bbbbbbbbbbbbbbbb', LoadBalancer: 'app/alb-test/0123456789abcdef' };
    expect(q.errors.metric).toMatchObject({ namespace: 'AWS/ApplicationELB', metric_name: 'HTTPCode_Target_5XX_Count', stat: 'Sum', dimensions: dims });
    expect(q.requests.metric).toMatchObject({ namespace: 'AWS/ApplicationELB', metric_name: 'RequestCount', stat: 'Sum', dimensions: dims });
  });

  it('alarms on p95 latency above 2 s with an extended statistic, and on unhealthy hosts', () => {
    expect(alarms['alarm-blue-p95-latency-test']).toMatchObject({ metric_name: 'TargetResponseTime', extended_statistic: 'p95', threshold: 2 });
    expect(alarms['alarm-blue-p95-latency-test'].statistic).toBeUndefined();
    expect(alarms['alarm-blue-unhealthy-hosts-test']).toMatchObject({ metric_name: 'UnHealthyHostCount', statistic: 'Maximum', threshold: 0 });
  });

  it('watches each Aurora cluster: connections, CPU, freeable memory (floor), replica lag (max)', () => {
    expect(alarms['alarm-db-blue-connections-test']).toMatchObject({
      namespace: 'AWS/RDS',
      metric_name: 'DatabaseConnections',
      dimensions: { DBClusterIdentifier: 'aurora-blue-test' },
      threshold: 400,
    });
    expect(alarms['alarm-db-green-freeable-memory-test']).toMatchObject({ metric_name: 'FreeableMemory', comparison_operator: 'LessThanThreshold', threshold: 256 * 1024 * 1024 });
    expect(alarms['alarm-db-green-replica-lag-test']).toMatchObject({ metric_name: 'AuroraReplicaLag', statistic: 'Maximum', threshold: 1000 });
    expect(alarms['alarm-db-blue-cpu-test']).toMatchObject({ metric_name: 'CPUUtilization', namespace: 'AWS/RDS' });
  });

  it('has no green database alarms without a green cluster', () => {
    const names = Object.keys(alarmsByName(synthJson({ databases: { blue: 'aurora-blue-test' } })));
    expect(names.filter((n) => n.startsWith('alarm-db-green-'))).toEqual([]);
    expect(names.filter((n) => n.startsWith('alarm-db-blue-'))).toHaveLength(4);
  });

  it('takes thresholds from props, seed values as defaults', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({ http5xxRatePercent: 1, p95LatencySeconds: 2 });
    const a = alarmsByName(synthJson({ thresholds: { http5xxRatePercent: 0.5, p95LatencySeconds: 1.5, ecsCpuPercent: 70, dbConnections: 1000 } }));
    expect(a['alarm-blue-5xx-rate-test'].threshold).toBe(0.5);
    expect(a['alarm-green-p95-latency-test'].threshold).toBe(1.5);
    expect(a['alarm-green-cpu-test'].threshold).toBe(70);
    expect(a['alarm-db-blue-connections-test'].threshold).toBe(1000);
  });

  it('uses an SNS topic without a customer-managed key, with e-mail subscriptions and a publish policy for CloudWatch', () => {
    const stack = buildStack().stack;
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(SnsTopic, { name: 'alarms-test' });
    expect(Object.values(json.resource.aws_sns_topic)[0]).not.toHaveProperty('kms_master_key_id');
    expect(synth).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'oncall@example.com' });
    const policy = decodeJson((Object.values(json.resource.aws_sns_topic_policy)[0] as Json).policy);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } } }),
    );
    expect(synthJson({ alarmEmails: [] }).resource.aws_sns_topic_subscription).toBeUndefined();
  });

  it('draws a dashboard with blue on the left and green on the right', () => {
    const body = decodeJson((Object.values(json.resource.aws_cloudwatch_dashboard)[0] as Json).dashboard_body);
    const metricWidgets = body.widgets.filter((w: Json) => w.type === 'metric');
    const blue = metricWidgets.filter((w: Json) => w.properties.title.startsWith('blue:'));
    const green = metricWidgets.filter((w: Json) => w.properties.title.startsWith('green:'));
    expect(blue.length).toBeGreaterThanOrEqual(5);
    expect(green.length).toBe(blue.length);
    for (const w of blue) expect(w.x).toBe(0);
    for (const w of green) expect(w.x).toBe(12);
    // Side by side: each green widget sits on the same row as the blue widget with the same signal.
    for (const w of blue) {
      const twin = green.find((g: Json) => g.properties.title === w.properties.title.replace('blue:', 'green:'));
      expect(twin?.y).toBe(w.y);
    }
  });

  it('names the deployment alarms of a colour before they exist, and they are among the alarms', () => {
    const names = deploymentAlarmNames(new Naming('test'), 'blue');
    expect(names).toEqual(['alarm-blue-5xx-rate-test', 'alarm-blue-p95-latency-test']);
    for (const n of names) expect(alarms[n]).toBeDefined();
    const { monitoring } = buildStack();
    expect(monitoring.alarmsFor('green')).toHaveLength(5);
    expect(monitoring.deploymentAlarmsFor('green')).toHaveLength(2);
  });

  it('refuses bad props by name', () => {
    expect(() => buildStack({ thresholds: { http5xxRatePercent: 0 } })).toThrow(/thresholds\.http5xxRatePercent must be a percent in \(0, 100\], got 0/);
    expect(() => buildStack({ alarmEmails: ['nobody'] })).toThrow(/alarmEmails must hold e-mail addresses, got "nobody"/);
    expect(() => buildStack({ databases: {} })).toThrow(/databases must name at least one cluster/);
    expect(() => buildStack({ periodSeconds: 45 })).toThrow(/periodSeconds must be 10, 30 or a multiple of 60, got 45/);
  });

  it('passes every guardrail (names end with the suffix, tags, …)', () => {
    const { stack } = buildStack();
    Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix: 'test' }));
    expect(() => Testing.synth(stack)).not.toThrow();
    // The aspect really inspects these resources: under another suffix every name is refused.
    const other = buildStack().stack;
    Aspects.of(other).add(new BlueGreenGuardrails({ environmentSuffix: 'other' }));
    expect(() => Testing.synth(other)).toThrow(/BG001/);
  });
});
