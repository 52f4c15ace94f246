import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { DEFAULT_THRESHOLDS as CONFIG_DEFAULT_THRESHOLDS, type Naming } from '@bluegreen/config';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export type Colour = 'blue' | 'green';
const COLOURS: readonly Colour[] = ['blue', 'green'];

/** Alarm thresholds. Seed values are the defaults. */
export interface AlarmThresholds {
  /** ECS service CPU, percent. @default 80 */
  readonly ecsCpuPercent?: number;
  /** ECS service memory, percent. @default 80 */
  readonly ecsMemoryPercent?: number;
  /** Target 5xx responses as a percent of requests. @default 1 (seed rollback signal) */
  readonly http5xxRatePercent?: number;
  /** p95 target response time, seconds. @default 2 (seed rollback signal) */
  readonly p95LatencySeconds?: number;
  /** Unhealthy targets tolerated. @default 0 */
  readonly unhealthyHosts?: number;
  /** Aurora DatabaseConnections. @default 400 */
  readonly dbConnections?: number;
  /** Aurora CPU, percent. @default 80 */
  readonly dbCpuPercent?: number;
  /** Aurora FreeableMemory floor, MiB. @default 256 */
  readonly dbFreeableMemoryMiB?: number;
  /** AuroraReplicaLag ceiling, milliseconds. @default 1000 */
  readonly dbReplicaLagMs?: number;
}

/** The seed values, from the config library (one source for both). */
export const DEFAULT_THRESHOLDS: Required<AlarmThresholds> = CONFIG_DEFAULT_THRESHOLDS;

/** What a colour's alarms watch. */
export interface ColourTargets {
  readonly clusterName: string;
  readonly serviceName: string;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension. */
  readonly targetGroupArnSuffix: string;
}

export interface BlueGreenMonitoringProps {
  readonly naming: Naming;
  readonly region: string;
  /** `app/<name>/<id>`: the LoadBalancer dimension. */
  readonly loadBalancerArnSuffix: string;
  readonly blue: ColourTargets;
  readonly green: ColourTargets;
  /** Aurora cluster identifiers by colour; green only when that cluster exists. */
  readonly databases: Readonly<Partial<Record<Colour, string>>>;
  /** E-mail subscriptions of the alarm topic (each must confirm). @default [] */
  readonly alarmEmails?: readonly string[];
  /** @default 60 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly evaluationPeriods?: number;
  /** @default DEFAULT_THRESHOLDS */
  readonly thresholds?: AlarmThresholds;
  /** The account that owns the topic (only its CloudWatch alarms may publish). */
  readonly accountId: string;
  /**
   * Names of EventBridge rules of this account that may publish to the topic (e.g. the DMS task-failure rule).
   * @default []
   */
  readonly eventRuleNames?: readonly string[];
}

/** The signals of a colour's service alarms: `alarm-<colour>-<signal>-<suffix>`. */
export const SERVICE_SIGNALS = ['cpu', 'memory', '5xx-rate', 'p95-latency', 'unhealthy-hosts'] as const;
export type ServiceSignal = (typeof SERVICE_SIGNALS)[number];
/** The signals of a database cluster's alarms: `alarm-db-<colour>-<signal>-<suffix>`. */
export const DATABASE_SIGNALS = ['connections', 'cpu', 'freeable-memory', 'replica-lag'] as const;
export type DatabaseSignal = (typeof DATABASE_SIGNALS)[number];
/** The signals that roll back an ECS deployment of a colour (the seed's rollback signals). */
export const DEPLOYMENT_SIGNALS: readonly ServiceSignal[] = ['5xx-rate', 'p95-latency'];

/** `alarm-<colour>-<signal>-<suffix>` (COMMON.md contract: tools find a colour's alarms by `alarm-<colour>-`). */
export function serviceAlarmName(naming: Naming, colour: Colour, signal: ServiceSignal): string {
  return naming.name(`alarm-${colour}-${signal}`);
}

/** `alarm-db-<colour>-<signal>-<suffix>`. */
export function databaseAlarmName(naming: Naming, colour: Colour, signal: DatabaseSignal): string {
  return naming.name(`alarm-db-${colour}-${signal}`);
}

/**
 * The names of the alarms that roll back a deployment of a colour. Known before the alarms exist, so the ECS
 * service can name them without a reference (alarms watch the service; a reference back would be a cycle).
 */
export function deploymentAlarmNames(naming: Naming, colour: Colour): string[] {
  return DEPLOYMENT_SIGNALS.map((s) => serviceAlarmName(naming, colour, s));
}

function validate(p: BlueGreenMonitoringProps, t: Required<AlarmThresholds>): void {
  const bad = (prop: string, rule: string, value: unknown): never => {
    throw new Error(`BlueGreenMonitoring: ${prop} ${rule}, got ${JSON.stringify(value)}`);
  };
  const period = p.periodSeconds ?? 60;
  if (![10, 30, 60].includes(period) && period % 60 !== 0) bad('periodSeconds', 'must be 10, 30 or a multiple of 60', period);
  const evals = p.evaluationPeriods ?? 3;
  if (!Number.isInteger(evals) || evals < 1) bad('evaluationPeriods', 'must be a whole number >= 1', evals);
  for (const key of ['ecsCpuPercent', 'ecsMemoryPercent', 'dbCpuPercent'] as const) if (t[key] <= 0 || t[key] > 100) bad(`thresholds.${key}`, 'must be a percent in (0, 100]', t[key]);
  if (t.http5xxRatePercent <= 0 || t.http5xxRatePercent > 100) bad('thresholds.http5xxRatePercent', 'must be a percent in (0, 100]', t.http5xxRatePercent);
  if (t.p95LatencySeconds <= 0) bad('thresholds.p95LatencySeconds', 'must be positive', t.p95LatencySeconds);
  for (const e of p.alarmEmails ?? []) if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) bad('alarmEmails', 'must hold e-mail addresses', e);
  if (!p.databases.blue && !p.databases.green) bad('databases', 'must name at least one cluster', p.databases);
}

/**
 * Alarms for both colours, one SNS topic they all notify (alarm and OK), and a dashboard with blue and green side by
 * side.
 *
 * - Per colour (ECS service + target group): `cpu`, `memory` (AWS/ECS by ClusterName + ServiceName), `5xx-rate`
 *   (metric math: 100 × HTTPCode_Target_5XX_Count / RequestCount, missing data not breaching), `p95-latency`
 *   (TargetResponseTime p95), `unhealthy-hosts` (UnHealthyHostCount max).
 * - Per database cluster: `connections`, `cpu`, `freeable-memory` (below the floor), `replica-lag` (max).
 * - The topic uses no customer-managed key: KMS is reserved for Aurora, Secrets Manager and S3 (seed 004);
 *   SNS encrypts at rest with its service key only when asked, and alarm payloads carry no secrets.
 */
export class BlueGreenMonitoring extends Construct {
  public readonly topicArn: string;
  public readonly topicName: string;
  public readonly dashboardName: string;
  /** Every alarm, by name. */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  private readonly naming: Naming;

  constructor(scope: Construct, id: string, props: BlueGreenMonitoringProps) {
    super(scope, id);
    const t: Required<AlarmThresholds> = { ...DEFAULT_THRESHOLDS, ...(props.thresholds ?? {}) };
    validate(props, t);
    const { naming } = props;
    this.naming = naming;
    const period = props.periodSeconds ?? 60;
    const evaluationPeriods = props.evaluationPeriods ?? 3;

    // --- Topic.
    const topic = new SnsTopic(this, 'alarm-topic', { name: naming.name('alarms') });
    this.topicArn = topic.arn;
    this.topicName = topic.name;
    new SnsTopicPolicy(this, 'alarm-topic-policy', {
      arn: topic.arn,
      // Fn.jsonencode, not JSON.stringify: a JSON string holding references breaks `cdktf synth --hcl`.
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountManagesTopic',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
            Resource: topic.arn,
          },
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
          ...((props.eventRuleNames ?? []).length === 0
            ? []
            : [
                {
                  Sid: 'EventBridgeRulesPublish',
                  Effect: 'Allow',
                  Principal: { Service: 'events.amazonaws.com' },
                  Action: 'sns:Publish',
                  Resource: topic.arn,
                  Condition: {
                    ArnEquals: { 'aws:SourceArn': (props.eventRuleNames ?? []).map((name) => `arn:aws:events:${props.region}:${props.accountId}:rule/${name}`) },
                  },
                },
              ]),
        ],
      }),
    });
    (props.alarmEmails ?? []).forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint: email });
    });

    // --- Alarms.
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    const alarm = (cid: string, config: Omit<CloudwatchMetricAlarmConfig, 'alarmActions' | 'okActions' | 'evaluationPeriods'>) => {
      alarms[config.alarmName] = new CloudwatchMetricAlarm(this, cid, {
        evaluationPeriods,
        datapointsToAlarm: evaluationPeriods,
        ...config,
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      });
    };
    const lb = props.loadBalancerArnSuffix;
    for (const colour of COLOURS) {
      const c = props[colour];
      const ecsDims = { ClusterName: c.clusterName, ServiceName: c.serviceName };
      const tgDims = { TargetGroup: c.targetGroupArnSuffix, LoadBalancer: lb };
      const name = (s: ServiceSignal) => serviceAlarmName(naming, colour, s);
      alarm(`${colour}-cpu`, {
        alarmName: name('cpu'),
        alarmDescription: `${colour} ECS service CPU above ${t.ecsCpuPercent} %`,
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: ecsDims,
        statistic: 'Average',
        period,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.ecsCpuPercent,
        treatMissingData: 'notBreaching',
      });
      alarm(`${colour}-memory`, {
        alarmName: name('memory'),
        alarmDescription: `${colour} ECS service memory above ${t.ecsMemoryPercent} %`,
        namespace: 'AWS/ECS',
        metricName: 'MemoryUtilization',
        dimensions: ecsDims,
        statistic: 'Average',
        period,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.ecsMemoryPercent,
        treatMissingData: 'notBreaching',
      });
      alarm(`${colour}-5xx-rate`, {
        alarmName: name('5xx-rate'),
        alarmDescription: `${colour} target 5xx responses above ${t.http5xxRatePercent} % of requests (rollback signal)`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.http5xxRatePercent,
        treatMissingData: 'notBreaching',
        metricQuery: [
          { id: 'rate', expression: '100 * FILL(errors, 0) / requests', label: `${colour} 5xx rate (%)`, returnData: true },
          { id: 'errors', metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: tgDims, stat: 'Sum', period } },
          { id: 'requests', metric: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: tgDims, stat: 'Sum', period } },
        ],
      });
      alarm(`${colour}-p95-latency`, {
        alarmName: name('p95-latency'),
        alarmDescription: `${colour} p95 target response time above ${t.p95LatencySeconds} s (rollback signal)`,
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: tgDims,
        extendedStatistic: 'p95',
        period,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.p95LatencySeconds,
        treatMissingData: 'notBreaching',
        evaluateLowSampleCountPercentiles: 'ignore',
      });
      alarm(`${colour}-unhealthy-hosts`, {
        alarmName: name('unhealthy-hosts'),
        alarmDescription: `${colour} targets failing health checks (more than ${t.unhealthyHosts})`,
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: tgDims,
        statistic: 'Maximum',
        period,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.unhealthyHosts,
        treatMissingData: 'notBreaching',
      });
    }
    for (const colour of COLOURS) {
      const cluster = props.databases[colour];
      if (!cluster) continue;
      const dims = { DBClusterIdentifier: cluster };
      const name = (s: DatabaseSignal) => databaseAlarmName(naming, colour, s);
      const rds = { namespace: 'AWS/RDS', dimensions: dims, period };
      alarm(`db-${colour}-connections`, {
        ...rds,
        alarmName: name('connections'),
        alarmDescription: `Aurora ${colour}: connections above ${t.dbConnections}`,
        metricName: 'DatabaseConnections',
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.dbConnections,
        treatMissingData: 'notBreaching',
      });
      alarm(`db-${colour}-cpu`, {
        ...rds,
        alarmName: name('cpu'),
        alarmDescription: `Aurora ${colour}: CPU above ${t.dbCpuPercent} %`,
        metricName: 'CPUUtilization',
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.dbCpuPercent,
        treatMissingData: 'notBreaching',
      });
      alarm(`db-${colour}-freeable-memory`, {
        ...rds,
        alarmName: name('freeable-memory'),
        alarmDescription: `Aurora ${colour}: freeable memory below ${t.dbFreeableMemoryMiB} MiB`,
        metricName: 'FreeableMemory',
        statistic: 'Minimum',
        comparisonOperator: 'LessThanThreshold',
        threshold: t.dbFreeableMemoryMiB * 1024 * 1024,
        // No data from a running cluster is itself a problem worth a look.
        treatMissingData: 'missing',
      });
      alarm(`db-${colour}-replica-lag`, {
        ...rds,
        alarmName: name('replica-lag'),
        alarmDescription: `Aurora ${colour}: replica lag above ${t.dbReplicaLagMs} ms`,
        metricName: 'AuroraReplicaLag',
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.dbReplicaLagMs,
        treatMissingData: 'notBreaching',
      });
    }
    this.alarms = alarms;

    // --- Dashboard: blue on the left, green on the right, one row per signal.
    const dashboardName = naming.name('bluegreen');
    new CloudwatchDashboard(this, 'dashboard', { dashboardName, dashboardBody: Fn.jsonencode(dashboardBody(props, t)) });
    this.dashboardName = dashboardName;
  }

  /** The alarms of one colour's service (names start with `alarm-<colour>-`). */
  alarmsFor(colour: Colour): CloudwatchMetricAlarm[] {
    return SERVICE_SIGNALS.map((s) => this.alarms[serviceAlarmName(this.naming, colour, s)]);
  }

  /** The alarms that roll back a deployment of a colour (see {@link deploymentAlarmNames}). */
  deploymentAlarmsFor(colour: Colour): CloudwatchMetricAlarm[] {
    return deploymentAlarmNames(this.naming, colour).map((n) => this.alarms[n]);
  }
}

type Widget = Record<string, unknown>;

function dashboardBody(p: BlueGreenMonitoringProps, t: Required<AlarmThresholds>): { widgets: Widget[] } {
  const widgets: Widget[] = [];
  let y = 0;
  const row = (title: string, metrics: (colour: Colour) => unknown[][] | undefined, threshold?: number) => {
    COLOURS.forEach((colour, i) => {
      const m = metrics(colour);
      if (!m) return;
      widgets.push({
        type: 'metric',
        x: i * 12,
        y,
        width: 12,
        height: 6,
        properties: {
          title: `${colour}: ${title}`,
          region: p.region,
          view: 'timeSeries',
          stat: 'Average',
          period: p.periodSeconds ?? 60,
          metrics: m,
          ...(threshold !== undefined ? { annotations: { horizontal: [{ label: 'alarm', value: threshold }] } } : {}),
        },
      });
    });
    y += 6;
  };
  const lb = p.loadBalancerArnSuffix;
  const tg = (c: Colour) => ['TargetGroup', p[c].targetGroupArnSuffix, 'LoadBalancer', lb];
  const svc = (c: Colour) => ['ClusterName', p[c].clusterName, 'ServiceName', p[c].serviceName];
  widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: '## Blue (left) and green (right)' } });
  y += 1;
  row('requests', (c) => [['AWS/ApplicationELB', 'RequestCount', ...tg(c), { stat: 'Sum' }]]);
  row(
    'target 5xx rate (%)',
    (c) => [
      [{ expression: '100 * FILL(errors, 0) / requests', label: '5xx %', id: 'rate' }],
      ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', ...tg(c), { id: 'errors', stat: 'Sum', visible: false }],
      ['AWS/ApplicationELB', 'RequestCount', ...tg(c), { id: 'requests', stat: 'Sum', visible: false }],
    ],
    t.http5xxRatePercent,
  );
  row('p95 target response time (s)', (c) => [['AWS/ApplicationELB', 'TargetResponseTime', ...tg(c), { stat: 'p95' }]], t.p95LatencySeconds);
  row('healthy / unhealthy targets', (c) => [
    ['AWS/ApplicationELB', 'HealthyHostCount', ...tg(c), { stat: 'Minimum' }],
    ['AWS/ApplicationELB', 'UnHealthyHostCount', ...tg(c), { stat: 'Maximum' }],
  ]);
  row('ECS CPU and memory (%)', (c) => [
    ['AWS/ECS', 'CPUUtilization', ...svc(c)],
    ['AWS/ECS', 'MemoryUtilization', ...svc(c)],
  ]);
  const db = (c: Colour) => p.databases[c];
  row('Aurora connections', (c) => (db(c) ? [['AWS/RDS', 'DatabaseConnections', 'DBClusterIdentifier', db(c), { stat: 'Maximum' }]] : undefined), t.dbConnections);
  row('Aurora CPU (%) and replica lag (ms)', (c) =>
    db(c)
      ? [
          ['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', db(c), { stat: 'Maximum' }],
          ['AWS/RDS', 'AuroraReplicaLag', 'DBClusterIdentifier', db(c), { stat: 'Maximum', yAxis: 'right' }],
        ]
      : undefined,
  );
  return { widgets };
}
