/** What CloudWatch said about one colour over the watch window; `undefined` means no data came back. */
export interface ColourSignals {
  /** RequestCount summed over the window. */
  readonly requests?: number;
  /** HTTPCode_Target_5XX_Count summed over the window. */
  readonly http5xx?: number;
  /** TargetResponseTime p95 over the window, seconds. */
  readonly p95Seconds?: number;
  /** UnHealthyHostCount, maximum over the window. */
  readonly unhealthyHosts?: number;
  /** Names of the colour's alarms (`alarm-<colour>-…`) currently in ALARM. */
  readonly alarmsInAlarm?: readonly string[];
}

/** Things an operator (or another tool, e.g. `bluegreen data verify`) reports; each forces a rollback. */
export interface IncidentFlags {
  readonly dataIntegrityIssue?: string;
  readonly securityIncident?: string;
}

/** The rollback thresholds, from `monitoring.thresholds` of the environment config. */
export interface DecisionThresholds {
  /** Roll back when 5xx / requests exceeds this percent. Default 1. */
  readonly http5xxRatePercent: number;
  /** Roll back when p95 exceeds this many seconds. Default 2. */
  readonly p95LatencySeconds: number;
  /** Roll back when more targets than this are unhealthy. */
  readonly unhealthyHosts: number;
}

export interface DecisionOptions {
  /**
   * Hold (do not advance to the next stage) when a signal reaches this fraction of its threshold. @default 0.8
   */
  readonly warnRatio?: number;
  /** Fewer requests than this in the window cannot show an error rate: hold. @default 1 */
  readonly minRequests?: number;
}

export type Decision = 'continue' | 'hold' | 'rollback';

export interface DecisionResult {
  readonly decision: Decision;
  /** Why, one line per signal that is not plainly fine (empty for a clean `continue`). */
  readonly reasons: readonly string[];
  /** The measured 5xx rate in percent, when it could be computed. */
  readonly http5xxRatePercent?: number;
}

const fmt = (n: number, digits = 2): string => Number(n.toFixed(digits)).toString();

/**
 * The rollback decision matrix (docs/runbooks.md):
 *   error rate > threshold OR p95 > threshold OR unhealthy hosts > threshold OR any colour alarm in ALARM -> rollback
 *   data integrity issue -> rollback;  security incident -> rollback
 *   a signal missing, too few requests, or a signal at >= warnRatio of its threshold -> hold
 *   otherwise -> continue
 * Pure: no clock, no I/O.
 */
export function decide(signals: ColourSignals, thresholds: DecisionThresholds, flags: IncidentFlags = {}, options: DecisionOptions = {}): DecisionResult {
  const warnRatio = options.warnRatio ?? 0.8;
  const minRequests = options.minRequests ?? 1;
  const rollback: string[] = [];
  const hold: string[] = [];

  if (flags.dataIntegrityIssue) rollback.push(`data integrity issue reported: ${flags.dataIntegrityIssue}`);
  if (flags.securityIncident) rollback.push(`security incident reported: ${flags.securityIncident}`);

  let rate: number | undefined;
  if (signals.requests === undefined || signals.http5xx === undefined) {
    hold.push('no request/5xx data in the window: cannot judge the error rate');
  } else if (signals.requests < minRequests) {
    if (signals.http5xx > 0) {
      rollback.push(`${signals.http5xx} 5xx responses with only ${signals.requests} requests counted`);
    } else {
      hold.push(`only ${signals.requests} requests in the window (need ${minRequests}): cannot judge the error rate`);
    }
  } else {
    rate = (signals.http5xx / signals.requests) * 100;
    const text = `5xx rate ${fmt(rate, 3)} % (${signals.http5xx}/${signals.requests})`;
    if (rate > thresholds.http5xxRatePercent) rollback.push(`${text} > ${thresholds.http5xxRatePercent} %`);
    else if (rate >= thresholds.http5xxRatePercent * warnRatio) hold.push(`${text} is near the ${thresholds.http5xxRatePercent} % limit`);
  }

  if (signals.p95Seconds === undefined) {
    hold.push('no p95 latency data in the window');
  } else if (signals.p95Seconds > thresholds.p95LatencySeconds) {
    rollback.push(`p95 latency ${fmt(signals.p95Seconds, 3)} s > ${thresholds.p95LatencySeconds} s`);
  } else if (signals.p95Seconds >= thresholds.p95LatencySeconds * warnRatio) {
    hold.push(`p95 latency ${fmt(signals.p95Seconds, 3)} s is near the ${thresholds.p95LatencySeconds} s limit`);
  }

  if (signals.unhealthyHosts === undefined) {
    hold.push('no unhealthy-host data in the window');
  } else if (signals.unhealthyHosts > thresholds.unhealthyHosts) {
    rollback.push(`${signals.unhealthyHosts} unhealthy target(s) > ${thresholds.unhealthyHosts} allowed`);
  }

  if (signals.alarmsInAlarm === undefined) {
    hold.push('alarm states unknown');
  } else if (signals.alarmsInAlarm.length > 0) {
    rollback.push(`alarm(s) in ALARM: ${signals.alarmsInAlarm.join(', ')}`);
  }

  if (rollback.length > 0) return { decision: 'rollback', reasons: rollback, http5xxRatePercent: rate };
  if (hold.length > 0) return { decision: 'hold', reasons: hold, http5xxRatePercent: rate };
  return { decision: 'continue', reasons: [], http5xxRatePercent: rate };
}
