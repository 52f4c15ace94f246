/**
 * The traffic gate on forward CDC latency while a database migration runs: a traffic shift waits when the new
 * database is behind the old one. Same shape as the traffic library's gates (`{ name, run() }`), so the traffic
 * command adds it to its gate list as it is.
 */
import type { MigrationContract } from '@bluegreen/contract';
import type { DmsPort } from './ports';

export type CdcGateStatus = 'pass' | 'fail' | 'error';

export interface CdcGate {
  readonly name: string;
  run(): Promise<{ readonly status: CdcGateStatus; readonly detail: string }>;
}

/**
 * Pure: the gate's answer from the forward task status and its latency. A task that is not running means no
 * migration is replicating (not started, or stopped after cutover): nothing to wait for. A running task whose
 * latency cannot be read, or has no datapoint, cannot be confirmed caught up: error (fail closed).
 */
export function cdcGateVerdict(
  status: string,
  latency: { readonly source?: number; readonly target?: number } | undefined,
  thresholdSeconds: number,
): { status: CdcGateStatus; detail: string } {
  if (status !== 'running') return { status: 'pass', detail: `forward DMS task is ${status}: no migration replicating` };
  if (!latency || (latency.source === undefined && latency.target === undefined)) {
    return { status: 'error', detail: 'forward DMS task is running but CloudWatch has no CDC latency datapoint: cannot confirm the new database is caught up' };
  }
  const worst = Math.max(latency.source ?? 0, latency.target ?? 0);
  const text = `forward CDC latency ${worst} s (source ${latency.source ?? '?'} s, target ${latency.target ?? '?'} s; limit ${thresholdSeconds} s)`;
  return { status: worst <= thresholdSeconds ? 'pass' : 'fail', detail: text };
}

/** The gate, or undefined when the stack has no migration (then there is nothing to gate on). */
export function forwardCdcLatencyGate(migration: MigrationContract | undefined, dms: DmsPort, thresholdSeconds?: number): CdcGate | undefined {
  if (!migration) return undefined;
  const limit = thresholdSeconds ?? migration.cdcLatencyThresholdSeconds ?? 300;
  return {
    name: 'migration:cdc-latency',
    async run() {
      try {
        const task = await dms.describeTask(migration.forwardTaskArn);
        if (task.status !== 'running') return cdcGateVerdict(task.status, undefined, limit);
        if (!migration.replicationInstanceId) return { status: 'error', detail: 'the stack contract has no migration.replicationInstanceId: cannot read the CDC latency' };
        const latency = await dms.cdcLatency({ taskArn: migration.forwardTaskArn, instanceId: migration.replicationInstanceId }, 10);
        return cdcGateVerdict(task.status, latency, limit);
      } catch (err) {
        return { status: 'error', detail: `forward CDC latency could not be read: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}
