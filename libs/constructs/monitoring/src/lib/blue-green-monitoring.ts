import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { DEFAULT_THRESHOLDS as CONFIG_DEFAULT_THRESHOLDS, type Naming } from '@bluegreen/config';
import { COLOUR_ALARM_SIGNALS, colourAlarmType, COLOURS, unqualifiedColourAlarmType, type Colour } from '@bluegreen/contract';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export type { Colour };

/** Alarm thresholds. The rollback signals of docs/design.md are the defaults. */
export interface AlarmThresholds {
  /** ECS service CPU, percent. @default 80 */
  readonly ecsCpuPercent?: number;
  /** ECS service memory, percent. @default 80 */
  readonly ecsMemoryPercent?: number;
  /** Target 5xx responses as a percent of requests. @default 1 (a rollback signal) */
  readonly http5xxRatePercent?: number;
  /** p95 target response time, seconds. @default 2 (a rollback signal) */
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

/** The default thresholds, from the config library (one source for both). */
export const DEFAULT_THRESHOLDS: Required<AlarmThresholds> = CONFIG_DEFAULT_THRESHOLDS;

/** The thresholds a service may set for itself (its ECS services and target groups). */
export type ServiceAlarmThresholds = Pick<AlarmThresholds, 'ecsCpuPercent' | 'ecsMemoryPercent' | 'http5xxRatePercent' | 'p95LatencySeconds' | 'unhealthyHosts'>;

/** What a colour's alarms watch. */
export interface ColourTargets {
  readonly clusterName: string;
  readonly serviceName: string;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension. */
  readonly targetGroupArnSuffix: string;
}

/** How a service's alarms are named: `alarm-<service>-<colour>-<signal>-<suffix>`, or unqualified. */
export interface AlarmService {
  readonly name: string;
  /**
   * The service keeps the alarm names and Terraform addresses an environment had before it listed several services
   * (`alarm-<colour>-<signal>-<suffix>`, `monitoring/<colour>-<signal>`). At most one service. @default false
   */
  readonly unqualifiedNames?: boolean;
}

/** One service's two colours, as its alarms and its dashboard row watch them. */
export interface ServiceAlarmTargets extends AlarmService {
  readonly blue: ColourTargets;
  readonly green: ColourTargets;
  /** This service's thresholds where they differ from `thresholds`. @default - the environment's */
  readonly thresholds?: ServiceAlarmThresholds;
}

export interface BlueGreenMonitoringProps {
  readonly naming: Naming;
  readonly region: string;
  /** `app/<name>/<id>`: the LoadBalancer dimension. */
  readonly loadBalancerArnSuffix: string;
  /** Every service behind the load balancer (at least one). */
  readonly services: readonly ServiceAlarmTargets[];
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

/** The signals of a colour's service alarms (the contract's list): `alarm-<service>-<colour>-<signal>-<suffix>`. */
export const SERVICE_SIGNALS = COLOUR_ALARM_SIGNALS;
export type ServiceSignal = (typeof SERVICE_SIGNALS)[number];
/** The signals of a database cluster's alarms: `alarm-db-<colour>-<signal>-<suffix>`. */
export const DATABASE_SIGNALS = ['connections', 'cpu', 'freeable-memory', 'replica-lag'] as const;
export type DatabaseSignal = (typeof DATABASE_SIGNALS)[number];
/** The signals that roll back an ECS deployment of a colour (the rollback signals). */
export const DEPLOYMENT_SIGNALS: readonly ServiceSignal[] = ['5xx-rate', 'p95-latency'];

/**
 * `alarm-<service>-<colour>-<signal>-<suffix>` (`colourAlarmType` of the stack contract), or
 * `alarm-<colour>-<signal>-<suffix>` for the service with unqualified names. Tools read the exact names from the
 * stack contract, never a prefix.
 */
export function serviceAlarmName(naming: Naming, service: AlarmService, colour: Colour, signal: ServiceSignal): string {
  return naming.name(service.unqualifiedNames ? unqualifiedColourAlarmType(colour, signal) : colourAlarmType(service.name, colour, signal), 255);
}

/** Every alarm name of a colour of a service, in SERVICE_SIGNALS order. */
export function serviceAlarmNames(naming: Naming, service: AlarmService, colour: Colour): string[] {
  return SERVICE_SIGNALS.map((s) => serviceAlarmName(naming, service, colour, s));
}

/** `alarm-db-<colour>-<signal>-<suffix>`. */
export function databaseAlarmName(naming: Naming, colour: Colour, signal: DatabaseSignal): string {
  return naming.name(`alarm-db-${colour}-${signal}`);
}

/**
 * The names of the alarms that roll back a deployment of a colour. Known before the alarms exist, so the ECS
 * service can name them without a reference (alarms watch the service; a reference back would be a cycle).
 */
export function deploymentAlarmNames(naming: Naming, service: AlarmService, colour: Colour): string[] {
  return DEPLOYMENT_SIGNALS.map((s) => serviceAlarmName(naming, service, colour, s));
}

/** CloudWatch allows 500 widgets on a dashboard. */
const MAX_WIDGETS = 500;
/** The dashboard: a title, per service a heading and a row of six widgets, two rows of two for the databases. */
const widgetCount = (services: number) => 1 + services * (1 + ROW_WIDGETS) + 4;
const ROW_WIDGETS = 6;

function validate(p: BlueGreenMonitoringProps, t: Required<AlarmThresholds>): void {
  const problems: string[] = [];
  const bad = (prop: string, rule: string, value: unknown) => problems.push(`BlueGreenMonitoring: ${prop} ${rule}, got ${JSON.stringify(value)}`);
  const period = p.periodSeconds ?? 60;
  if (![10, 30, 60].includes(period) && period % 60 !== 0) bad('periodSeconds', 'must be 10, 30 or a multiple of 60', period);
  const evals = p.evaluationPeriods ?? 3;
  if (!Number.isInteger(evals) || evals < 1) bad('evaluationPeriods', 'must be a whole number >= 1', evals);
  const serviceThresholds = (prefix: string, th: ServiceAlarmThresholds) => {
    for (const key of ['ecsCpuPercent', 'ecsMemoryPercent', 'http5xxRatePercent'] as const) {
      const v = th[key];
      if (v !== undefined && (v <= 0 || v > 100)) bad(`${prefix}.${key}`, 'must be a percent in (0, 100]', v);
    }
    if (th.p95LatencySeconds !== undefined && th.p95LatencySeconds <= 0) bad(`${prefix}.p95LatencySeconds`, 'must be positive', th.p95LatencySeconds);
    if (th.unhealthyHosts !== undefined && (!Number.isInteger(th.unhealthyHosts) || th.unhealthyHosts < 0)) bad(`${prefix}.unhealthyHosts`, 'must be a whole number >= 0', th.unhealthyHosts);
  };
  serviceThresholds('thresholds', t);
  if (t.dbCpuPercent <= 0 || t.dbCpuPercent > 100) bad('thresholds.dbCpuPercent', 'must be a percent in (0, 100]', t.dbCpuPercent);
  for (const e of p.alarmEmails ?? []) if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) bad('alarmEmails', 'must hold e-mail addresses', e);
  if (!p.databases.blue && !p.databases.green) bad('databases', 'must name at least one cluster', p.databases);
  if (p.services.length === 0) bad('services', 'must list at least one service', p.services);
  const names = new Map<string, number>();
  let unqualified: number | undefined;
  p.services.forEach((s, i) => {
    const first = names.get(s.name);
    if (first !== undefined) bad(`services[${i}].name`, `must be unique (services[${first}] has it too)`, s.name);
    names.set(s.name, i);
    if (s.unqualifiedNames) {
      if (unqualified !== undefined) bad(`services[${i}].unqualifiedNames`, `may be set on one service only (services[${unqualified}] '${p.services[unqualified].name}' keeps the unqualified names)`, true);
      unqualified ??= i;
    }
    if (s.thresholds) serviceThresholds(`services[${i}].thresholds`, s.thresholds);
  });
  if (widgetCount(p.services.length) > MAX_WIDGETS) {
    bad('services', `must fit one dashboard: ${p.services.length} services need ${widgetCount(p.services.length)} widgets, CloudWatch allows ${MAX_WIDGETS}`, p.services.length);
  }
  if (problems.length === 1) throw new Error(problems[0]);
  if (problems.length > 1) throw new Error(`BlueGreenMonitoring: ${problems.length} problems:\n  - ${problems.join('\n  - ')}`);
}

/**
 * Alarms for both colours of every service, one SNS topic they all notify (alarm and OK), and a dashboard with a row
 * per service (blue and green side by side in each graph) and the databases.
 *
 * - Per service and colour (ECS service + target group), named `alarm-<service>-<colour>-<signal>-<suffix>` (or
 *   unqualified, `alarm-<colour>-<signal>-<suffix>`, for the one service that keeps them): `cpu`, `memory` (AWS/ECS by ClusterName + ServiceName), `5xx-rate`
 *   (metric math: 100 × HTTPCode_Target_5XX_Count / RequestCount, missing data not breaching), `p95-latency`
 *   (TargetResponseTime p95), `unhealthy-hosts` (UnHealthyHostCount max).
 * - Per database cluster: `connections`, `cpu`, `freeable-memory` (below the floor), `replica-lag` (max).
 * - The topic uses no customer-managed key: KMS is reserved for Aurora, Secrets Manager and S3 (docs/design.md);
 *   SNS encrypts at rest with its service key only when asked, and alarm payloads carry no secrets.
 */
export class BlueGreenMonitoring extends Construct {
  public readonly topicArn: string;
  public readonly topicName: string;
  public readonly dashboardName: string;
  /** Every alarm, by name. */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  private readonly naming: Naming;
  private readonly services: ReadonlyMap<string, AlarmService>;

  constructor(scope: Construct, id: string, props: BlueGreenMonitoringProps) {
    super(scope, id);
    const t: Required<AlarmThresholds> = { ...DEFAULT_THRESHOLDS, ...(props.thresholds ?? {}) };
    validate(props, t);
    const { naming } = props;
    this.naming = naming;
    this.services = new Map(props.services.map((s) => [s.name, s]));
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
    const alarm = (scope: Construct, cid: string, config: Omit<CloudwatchMetricAlarmConfig, 'alarmActions' | 'okActions' | 'evaluationPeriods'>) => {
      alarms[config.alarmName] = new CloudwatchMetricAlarm(scope, cid, {
        evaluationPeriods,
        datapointsToAlarm: evaluationPeriods,
        ...config,
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      });
    };
    const lb = props.loadBalancerArnSuffix;
    for (const service of props.services) {
      // The unqualified service keeps today's addresses (`monitoring/<colour>-<signal>`); every other lives under
      // `monitoring/service-<name>/`.
      const scope = service.unqualifiedNames ? this : new Construct(this, `service-${service.name}`);
      const st = { ...t, ...(service.thresholds ?? {}) };
      for (const colour of COLOURS) {
        const c = service[colour];
        const ecsDims = { ClusterName: c.clusterName, ServiceName: c.serviceName };
        const tgDims = { TargetGroup: c.targetGroupArnSuffix, LoadBalancer: lb };
        const name = (s: ServiceSignal) => serviceAlarmName(naming, service, colour, s);
        // How descriptions name it: `blue`, or `payments blue`.
        const who = service.unqualifiedNames ? colour : `${service.name} ${colour}`;
        alarm(scope, `${colour}-cpu`, {
          alarmName: name('cpu'),
          alarmDescription: `${who} ECS service CPU above ${st.ecsCpuPercent} %`,
          namespace: 'AWS/ECS',
          metricName: 'CPUUtilization',
          dimensions: ecsDims,
          statistic: 'Average',
          period,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: st.ecsCpuPercent,
          treatMissingData: 'notBreaching',
        });
        alarm(scope, `${colour}-memory`, {
          alarmName: name('memory'),
          alarmDescription: `${who} ECS service memory above ${st.ecsMemoryPercent} %`,
          namespace: 'AWS/ECS',
          metricName: 'MemoryUtilization',
          dimensions: ecsDims,
          statistic: 'Average',
          period,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: st.ecsMemoryPercent,
          treatMissingData: 'notBreaching',
        });
        alarm(scope, `${colour}-5xx-rate`, {
          alarmName: name('5xx-rate'),
          alarmDescription: `${who} target 5xx responses above ${st.http5xxRatePercent} % of requests (rollback signal)`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: st.http5xxRatePercent,
          treatMissingData: 'notBreaching',
          metricQuery: [
            { id: 'rate', expression: '100 * FILL(errors, 0) / requests', label: `${who} 5xx rate (%)`, returnData: true },
            { id: 'errors', metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: tgDims, stat: 'Sum', period } },
            { id: 'requests', metric: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: tgDims, stat: 'Sum', period } },
          ],
        });
        alarm(scope, `${colour}-p95-latency`, {
          alarmName: name('p95-latency'),
          alarmDescription: `${who} p95 target response time above ${st.p95LatencySeconds} s (rollback signal)`,
          namespace: 'AWS/ApplicationELB',
          metricName: 'TargetResponseTime',
          dimensions: tgDims,
          extendedStatistic: 'p95',
          period,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: st.p95LatencySeconds,
          treatMissingData: 'notBreaching',
          evaluateLowSampleCountPercentiles: 'ignore',
        });
        alarm(scope, `${colour}-unhealthy-hosts`, {
          alarmName: name('unhealthy-hosts'),
          alarmDescription: `${who} targets failing health checks (more than ${st.unhealthyHosts})`,
          namespace: 'AWS/ApplicationELB',
          metricName: 'UnHealthyHostCount',
          dimensions: tgDims,
          statistic: 'Maximum',
          period,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: st.unhealthyHosts,
          treatMissingData: 'notBreaching',
        });
      }
    }
    for (const colour of COLOURS) {
      const cluster = props.databases[colour];
      if (!cluster) continue;
      const dims = { DBClusterIdentifier: cluster };
      const name = (s: DatabaseSignal) => databaseAlarmName(naming, colour, s);
      const rds = { namespace: 'AWS/RDS', dimensions: dims, period };
      alarm(this, `db-${colour}-connections`, {
        ...rds,
        alarmName: name('connections'),
        alarmDescription: `Aurora ${colour}: connections above ${t.dbConnections}`,
        metricName: 'DatabaseConnections',
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.dbConnections,
        treatMissingData: 'notBreaching',
      });
      alarm(this, `db-${colour}-cpu`, {
        ...rds,
        alarmName: name('cpu'),
        alarmDescription: `Aurora ${colour}: CPU above ${t.dbCpuPercent} %`,
        metricName: 'CPUUtilization',
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: t.dbCpuPercent,
        treatMissingData: 'notBreaching',
      });
      alarm(this, `db-${colour}-freeable-memory`, {
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
      alarm(this, `db-${colour}-replica-lag`, {
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

  /** The exact alarm names of one colour of a service (SERVICE_SIGNALS order): what the stack contract lists. */
  alarmNamesFor(service: string, colour: Colour): string[] {
    return serviceAlarmNames(this.naming, this.service(service), colour);
  }

  /** The alarms of one colour of a service. */
  alarmsFor(service: string, colour: Colour): CloudwatchMetricAlarm[] {
    return this.alarmNamesFor(service, colour).map((n) => this.alarms[n]);
  }

  /** The alarms that roll back a deployment of a colour of a service (see {@link deploymentAlarmNames}). */
  deploymentAlarmsFor(service: string, colour: Colour): CloudwatchMetricAlarm[] {
    return deploymentAlarmNames(this.naming, this.service(service), colour).map((n) => this.alarms[n]);
  }

  private service(name: string): AlarmService {
    const s = this.services.get(name);
    if (!s) throw new Error(`BlueGreenMonitoring: no service ${JSON.stringify(name)} (services: ${[...this.services.keys()].join(', ')})`);
    return s;
  }
}

type Widget = Record<string, unknown>;

function dashboardBody(p: BlueGreenMonitoringProps, t: Required<AlarmThresholds>): { widgets: Widget[] } {
  const widgets: Widget[] = [];
  const period = p.periodSeconds ?? 60;
  const lb = p.loadBalancerArnSuffix;
  const metric = (x: number, y: number, width: number, title: string, metrics: unknown[][], stat: string, threshold?: number): Widget => ({
    type: 'metric',
    x,
    y,
    width,
    height: 6,
    properties: {
      title,
      region: p.region,
      view: 'timeSeries',
      stat,
      period,
      metrics,
      ...(threshold !== undefined ? { annotations: { horizontal: [{ label: 'alarm', value: threshold }] } } : {}),
    },
  });
  let y = 0;
  widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: '## Services: blue and green of each, side by side in every graph' } });
  y += 1;

  // One row per service: six graphs, each with its blue and its green line.
  const width = 24 / ROW_WIDGETS;
  for (const service of p.services) {
    const st = { ...t, ...(service.thresholds ?? {}) };
    const tg = (c: Colour) => ['TargetGroup', service[c].targetGroupArnSuffix, 'LoadBalancer', lb];
    const svc = (c: Colour) => ['ClusterName', service[c].clusterName, 'ServiceName', service[c].serviceName];
    const look = (c: Colour) => ({ label: c, color: COLOUR_HEX[c] });
    widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: `### ${service.name}` } });
    y += 1;
    const row: [string, (c: Colour) => unknown[][], string, number | undefined][] = [
      ['requests', (c) => [['AWS/ApplicationELB', 'RequestCount', ...tg(c), { ...look(c), stat: 'Sum' }]], 'Sum', undefined],
      [
        'target 5xx rate (%)',
        (c) => [
          [{ expression: `100 * FILL(errors_${c}, 0) / requests_${c}`, id: `rate_${c}`, ...look(c) }],
          ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', ...tg(c), { id: `errors_${c}`, stat: 'Sum', visible: false }],
          ['AWS/ApplicationELB', 'RequestCount', ...tg(c), { id: `requests_${c}`, stat: 'Sum', visible: false }],
        ],
        'Sum',
        st.http5xxRatePercent,
      ],
      ['p95 target response time (s)', (c) => [['AWS/ApplicationELB', 'TargetResponseTime', ...tg(c), { ...look(c), stat: 'p95' }]], 'p95', st.p95LatencySeconds],
      ['unhealthy targets', (c) => [['AWS/ApplicationELB', 'UnHealthyHostCount', ...tg(c), { ...look(c), stat: 'Maximum' }]], 'Maximum', st.unhealthyHosts],
      ['ECS CPU (%)', (c) => [['AWS/ECS', 'CPUUtilization', ...svc(c), look(c)]], 'Average', st.ecsCpuPercent],
      ['ECS memory (%)', (c) => [['AWS/ECS', 'MemoryUtilization', ...svc(c), look(c)]], 'Average', st.ecsMemoryPercent],
    ];
    row.forEach(([title, metrics, stat, threshold], i) => {
      widgets.push(metric(i * width, y, width, `${service.name}: ${title}`, COLOURS.flatMap((c) => metrics(c)), stat, threshold));
    });
    y += 6;
  }

  // The databases: blue on the left, green on the right.
  widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: '## Aurora: blue (left) and green (right)' } });
  y += 1;
  const db = (c: Colour) => p.databases[c];
  const dbRow = (title: string, metrics: (cluster: string) => unknown[][], threshold?: number) => {
    COLOURS.forEach((colour, i) => {
      const cluster = db(colour);
      if (cluster) widgets.push(metric(i * 12, y, 12, `${colour}: ${title}`, metrics(cluster), 'Maximum', threshold));
    });
    y += 6;
  };
  dbRow('Aurora connections', (cluster) => [['AWS/RDS', 'DatabaseConnections', 'DBClusterIdentifier', cluster, { stat: 'Maximum' }]], t.dbConnections);
  dbRow('Aurora CPU (%) and replica lag (ms)', (cluster) => [
    ['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', cluster, { stat: 'Maximum' }],
    ['AWS/RDS', 'AuroraReplicaLag', 'DBClusterIdentifier', cluster, { stat: 'Maximum', yAxis: 'right' }],
  ]);
  return { widgets };
}

/** The colours' line colours on the dashboard. */
const COLOUR_HEX: Readonly<Record<Colour, string>> = { blue: '#1f77b4', green: '#2ca02c' };
