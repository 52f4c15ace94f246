import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Naming } from '@bluegreen/config';
import { BlueGreenGuardrails } from '@bluegreen/guardrails';
import { Aspects, Testing } from 'cdktf';
import { alarmsByName, APP, buildStack, decodeJson, namedService, synthJson, type Json } from '../../test/fixture';
import { DEFAULT_THRESHOLDS, deploymentAlarmNames, serviceAlarmNames } from '../index';

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

  it('takes thresholds from props, the documented values as defaults', () => {
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

  it('draws a dashboard: a row per service with blue and green in each graph, then the databases side by side', () => {
    const body = decodeJson((Object.values(json.resource.aws_cloudwatch_dashboard)[0] as Json).dashboard_body);
    const metricWidgets = body.widgets.filter((w: Json) => w.type === 'metric');
    const app = metricWidgets.filter((w: Json) => w.properties.title.startsWith('app:'));
    expect(app.map((w: Json) => w.properties.title)).toEqual(['app: requests', 'app: target 5xx rate (%)', 'app: p95 target response time (s)', 'app: unhealthy targets', 'app: ECS CPU (%)', 'app: ECS memory (%)']);
    expect(new Set(app.map((w: Json) => w.y)).size).toBe(1);
    expect(app.map((w: Json) => w.x)).toEqual([0, 4, 8, 12, 16, 20]);
    for (const w of app) {
      const dims = JSON.stringify(w.properties.metrics);
      expect(dims).toMatch(/tg-blue-test|service-blue-test/);
      expect(dims).toMatch(/tg-green-test|service-green-test/);
    }
    const rate = app[1].properties;
    expect(rate.annotations).toEqual({ horizontal: [{ label: 'alarm', value: 1 }] });
    expect(rate.metrics.filter((m: Json[]) => typeof m[0] === 'object').map((m: Json[]) => m[0].expression)).toEqual(['100 * FILL(errors_blue, 0) / requests_blue', '100 * FILL(errors_green, 0) / requests_green']);
    // The databases: blue on the left, green on the right, same row.
    const blueDb = metricWidgets.filter((w: Json) => w.properties.title.startsWith('blue: Aurora'));
    const greenDb = metricWidgets.filter((w: Json) => w.properties.title.startsWith('green: Aurora'));
    expect(blueDb).toHaveLength(2);
    expect(greenDb.map((w: Json) => [w.x, w.y])).toEqual(blueDb.map((w: Json) => [12, w.y]));
  });

  it('names the deployment alarms of a colour before they exist, and they are among the alarms', () => {
    const names = deploymentAlarmNames(new Naming('test'), APP, 'blue');
    expect(names).toEqual(['alarm-blue-5xx-rate-test', 'alarm-blue-p95-latency-test']);
    for (const n of names) expect(alarms[n]).toBeDefined();
    const { monitoring } = buildStack();
    expect(monitoring.alarmsFor('app', 'green')).toHaveLength(5);
    expect(monitoring.deploymentAlarmsFor('app', 'green')).toHaveLength(2);
    expect(monitoring.alarmNamesFor('app', 'green')).toEqual(serviceAlarmNames(new Naming('test'), APP, 'green'));
    expect(() => monitoring.alarmsFor('payments', 'blue')).toThrow('BlueGreenMonitoring: no service "payments" (services: app)');
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

describe('BlueGreenMonitoring with several services', () => {
  const services = [APP, namedService('payments', { thresholds: { p95LatencySeconds: 0.5, ecsCpuPercent: 60 } }), namedService('catalog')];
  const json = synthJson({ services });
  const alarms = alarmsByName(json);
  const ids = Object.keys(json.resource.aws_cloudwatch_metric_alarm as Record<string, Json>);

  it("names each named service's alarms alarm-<service>-<colour>-<signal>-<suffix>, the unqualified service's as before", () => {
    const signals = ['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'];
    for (const name of ['payments', 'catalog']) {
      for (const colour of ['blue', 'green']) for (const s of signals) expect(alarms[`alarm-${name}-${colour}-${s}-test`]).toBeDefined();
    }
    expect(alarms['alarm-blue-cpu-test']).toBeDefined();
    expect(Object.keys(alarms)).toHaveLength(3 * 2 * 5 + 8);
    // Addresses: the unqualified service keeps `monitoring/<colour>-<signal>`; the others live under service-<name>.
    expect(ids.filter((i) => /^monitoring_blue-cpu_/.test(i))).toHaveLength(1);
    expect(ids.filter((i) => /^monitoring_service-payments_green-5xx-rate_/.test(i))).toHaveLength(1);
  });

  it("watches each service's own ECS services and target groups", () => {
    expect(alarms['alarm-payments-green-memory-test'].dimensions).toEqual({ ClusterName: 'ecs-cluster-test', ServiceName: 'service-payments-green-test' });
    expect(alarms['alarm-catalog-blue-unhealthy-hosts-test'].dimensions).toEqual({ TargetGroup: 'targetgroup/tg-catalog-blue-test/cccccccccccccccc', LoadBalancer: 'app/alb-test/0123456789abcdef' });
    expect(alarms['alarm-catalog-blue-5xx-rate-test'].alarm_description).toBe('catalog blue target 5xx responses above 1 % of requests (rollback signal)');
  });

  it('takes a service’s own thresholds where they differ, the environment’s elsewhere', () => {
    expect(alarms['alarm-payments-blue-p95-latency-test'].threshold).toBe(0.5);
    expect(alarms['alarm-payments-green-cpu-test'].threshold).toBe(60);
    expect(alarms['alarm-payments-green-memory-test'].threshold).toBe(80);
    expect(alarms['alarm-catalog-blue-p95-latency-test'].threshold).toBe(2);
    expect(alarms['alarm-blue-p95-latency-test'].threshold).toBe(2);
  });

  it('gives each service one row on the dashboard', () => {
    const body = decodeJson((Object.values(json.resource.aws_cloudwatch_dashboard)[0] as Json).dashboard_body);
    const rows = ['app', 'payments', 'catalog'].map((name) => body.widgets.filter((w: Json) => w.type === 'metric' && w.properties.title.startsWith(`${name}:`)));
    for (const row of rows) {
      expect(row).toHaveLength(6);
      expect(new Set(row.map((w: Json) => w.y)).size).toBe(1);
    }
    expect(rows[0][0].y).toBeLessThan(rows[1][0].y);
    expect(rows[1][0].y).toBeLessThan(rows[2][0].y);
    expect(rows[1][2].properties.annotations.horizontal[0].value).toBe(0.5);
  });

  it('lists exact names per service and colour', () => {
    const { monitoring } = buildStack({ services });
    expect(monitoring.alarmNamesFor('payments', 'blue')).toEqual(['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'].map((s) => `alarm-payments-blue-${s}-test`));
    expect(deploymentAlarmNames(new Naming('test'), services[1], 'green')).toEqual(['alarm-payments-green-5xx-rate-test', 'alarm-payments-green-p95-latency-test']);
  });

  it('refuses a repeated service, two services with unqualified names, a bad service threshold and more services than a dashboard holds', () => {
    expect(() => buildStack({ services: [APP, namedService('payments'), namedService('payments'), { ...namedService('catalog'), unqualifiedNames: true, thresholds: { http5xxRatePercent: 0 } }] })).toThrow(
      [
        'BlueGreenMonitoring: 3 problems:',
        '  - BlueGreenMonitoring: services[2].name must be unique (services[1] has it too), got "payments"',
        "  - BlueGreenMonitoring: services[3].unqualifiedNames may be set on one service only (services[0] 'app' keeps the unqualified names), got true",
        '  - BlueGreenMonitoring: services[3].thresholds.http5xxRatePercent must be a percent in (0, 100], got 0',
      ].join('\n'),
    );
    const many = Array.from({ length: 71 }, (_, i) => namedService(`s${i}`));
    expect(() => buildStack({ services: many })).toThrow('BlueGreenMonitoring: services must fit one dashboard: 71 services need 502 widgets, CloudWatch allows 500, got 71');
    expect(() => buildStack({ services: [] })).toThrow('BlueGreenMonitoring: services must list at least one service, got []');
  });

  it('passes every guardrail with several services', () => {
    const { stack } = buildStack({ services });
    Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix: 'test' }));
    expect(() => Testing.synth(stack)).not.toThrow();
  });
});
