/**
 * What the migration workflows need from AWS DMS, named for the workflow (not for the SDK). The AWS adapter
 * (./aws.ts) is one implementation; tests and local rehearsals bring others.
 */

/** A DMS replication task as the workflows see it. */
export interface TaskState {
  readonly arn: string;
  /** DMS's status text: `creating`, `ready`, `starting`, `running`, `stopping`, `stopped`, `failed`, `modifying`, `deleting`, … */
  readonly status: string;
  /** Why it stopped (`Stop Reason FULL_LOAD_ONLY_FINISHED`, `Stop Reason NORMAL`, …). */
  readonly stopReason?: string;
  /** The last failure message DMS recorded. */
  readonly lastError?: string;
  /** `full-load`, `cdc`, `full-load-and-cdc`. */
  readonly migrationType?: string;
  /** Full load progress, percent. */
  readonly fullLoadPercent?: number;
}

/** Row validation of a task's tables (DescribeTableStatistics `ValidationState`). */
export interface ValidationSummary {
  readonly tables: number;
  /** `Validated`. */
  readonly validated: number;
  /** `Pending records`, `Pending validation`, `Not enabled`… not yet validated. */
  readonly pending: number;
  /** `Mismatched records`, `Failed`, `Error`, `Cancelled`, `Suspended`. */
  readonly failed: number;
  /** `schema.table (state)` of the failed ones, at most 20. */
  readonly failedTables: readonly string[];
}

/** CDC latency in seconds, the newest datapoint of the window; undefined when CloudWatch has none. */
export interface CdcLatency {
  readonly source?: number;
  readonly target?: number;
}

export interface TaskRef {
  readonly taskArn: string;
  /** The replication instance identifier (metric dimension). */
  readonly instanceId: string;
}

export interface StartRequest {
  /** `start-replication` (first start), `resume-processing` (after a stop). */
  readonly kind: 'start-replication' | 'resume-processing';
}

export interface DmsPort {
  describeTask(taskArn: string): Promise<TaskState>;
  validation(taskArn: string): Promise<ValidationSummary>;
  /** Over the last `minutes` minutes. */
  cdcLatency(task: TaskRef, minutes: number): Promise<CdcLatency>;
  startTask(taskArn: string, request: StartRequest): Promise<void>;
  stopTask(taskArn: string): Promise<void>;
}

/** A value read from outside, or why it could not be read: never a default in its place. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export async function read<T>(fn: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
