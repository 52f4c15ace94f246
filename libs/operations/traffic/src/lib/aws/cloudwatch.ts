import { DescribeAlarmsCommand, GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { ColourSignals } from '../decision';

export interface AlarmState {
  readonly name: string;
  readonly state: string;
  readonly reason?: string;
}

/** DescribeAlarms by name prefix (e.g. `alarm-green-`), following NextToken; metric and composite alarms. */
export async function describeAlarmsByPrefix(cw: CloudWatchClient, prefix: string): Promise<AlarmState[]> {
  const alarms: AlarmState[] = [];
  let token: string | undefined;
  do {
    const res = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: token }));
    for (const a of [...(res.MetricAlarms ?? []), ...(res.CompositeAlarms ?? [])]) {
      if (a.AlarmName) alarms.push({ name: a.AlarmName, state: a.StateValue ?? 'INSUFFICIENT_DATA', reason: a.StateReason });
    }
    token = res.NextToken;
  } while (token);
  return alarms;
}

export interface MetricWindow {
  /** `app/<name>/<id>` (the `alb_arn_suffix` output). */
  readonly albArnSuffix: string;
  /** `targetgroup/<name>/<id>` (the `<colour>_target_group_arn_suffix` output). */
  readonly targetGroupArnSuffix: string;
  readonly start: Date;
  readonly end: Date;
}

/** The GetMetricData queries for one colour's target group over a window (one period covering the window). */
export function colourMetricQueries(w: MetricWindow): MetricDataQuery[] {
  const seconds = Math.max(60, Math.ceil((w.end.getTime() - w.start.getTime()) / 60_000) * 60);
  const dims = [
    { Name: 'LoadBalancer', Value: w.albArnSuffix },
    { Name: 'TargetGroup', Value: w.targetGroupArnSuffix },
  ];
  const q = (id: string, metric: string, stat: string): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metric, Dimensions: dims }, Period: seconds, Stat: stat },
    ReturnData: true,
  });
  return [
    q('requests', 'RequestCount', 'Sum'),
    q('http5xx', 'HTTPCode_Target_5XX_Count', 'Sum'),
    q('p95', 'TargetResponseTime', 'p95'),
    q('unhealthy', 'UnHealthyHostCount', 'Maximum'),
  ];
}

/**
 * GetMetricData for a colour: requests and 5xx summed, p95 and unhealthy hosts as their maximum over the returned
 * periods. A metric with no datapoints is `undefined` (the decision matrix holds on missing data). CloudWatch omits
 * zero-sum periods, so 5xx with no datapoints while requests have some counts as 0.
 */
export async function getColourSignals(cw: CloudWatchClient, w: MetricWindow): Promise<Omit<ColourSignals, 'alarmsInAlarm'>> {
  const values: Record<string, number[]> = {};
  let token: string | undefined;
  do {
    const res = await cw.send(new GetMetricDataCommand({ MetricDataQueries: colourMetricQueries(w), StartTime: w.start, EndTime: w.end, ScanBy: 'TimestampDescending', NextToken: token }));
    for (const r of res.MetricDataResults ?? []) {
      if (r.Id) (values[r.Id] ??= []).push(...(r.Values ?? []));
    }
    token = res.NextToken;
  } while (token);
  const sum = (id: string) => (values[id]?.length ? values[id].reduce((a, b) => a + b, 0) : undefined);
  const max = (id: string) => (values[id]?.length ? Math.max(...values[id]) : undefined);
  const requests = sum('requests');
  // A window with requests but no 5xx datapoints had zero 5xx (CloudWatch reports no datapoint for a zero sum).
  const http5xx = sum('http5xx') ?? (requests !== undefined ? 0 : undefined);
  return { requests, http5xx, p95Seconds: max('p95'), unhealthyHosts: max('unhealthy') };
}
