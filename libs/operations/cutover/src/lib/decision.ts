/**
 * The decisions of a database cutover and rollback, pure: which checks pass, and the ordered steps. Every input that
 * could not be read is `unknown` and makes the answer "could not decide", never "ready".
 */
import type { CdcLatency, Read, TaskState, ValidationSummary } from './ports';

export type CheckStatus = 'pass' | 'fail' | 'unknown';

export interface Check {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

/** What a data verify run said, as far as the cutover cares (the `--format json` output of `bluegreen data verify`). */
export interface VerifyEvidence {
  readonly identical: boolean;
  readonly complete: boolean;
  readonly compared: readonly string[];
  /** Redacted `host:port/db` of each side. */
  readonly source: string;
  readonly target: string;
  /** How old the report is. */
  readonly ageMs: number;
}

const worst = (l: CdcLatency): number | undefined => (l.source === undefined && l.target === undefined ? undefined : Math.max(l.source ?? 0, l.target ?? 0));

/** A replication task whose CDC must be running, with latency at most `maxSeconds`. */
export function latencyCheck(name: string, state: Read<TaskState>, latency: Read<CdcLatency>, maxSeconds: number): Check {
  if (!state.ok) return { check: name, status: 'unknown', detail: `task state could not be read: ${state.error}` };
  if (state.value.status !== 'running') {
    const why = [state.value.stopReason, state.value.lastError].filter(Boolean).join('; ');
    return { check: name, status: 'fail', detail: `task is ${state.value.status}, not running${why ? ` (${why})` : ''}` };
  }
  if (!latency.ok) return { check: name, status: 'unknown', detail: `CDC latency could not be read: ${latency.error}` };
  const w = worst(latency.value);
  if (w === undefined) return { check: name, status: 'unknown', detail: 'no CDC latency datapoints in the window (is CDC running yet? full load still going?)' };
  const text = `CDC latency source ${latency.value.source ?? '?'} s, target ${latency.value.target ?? '?'} s (limit ${maxSeconds} s)`;
  return { check: name, status: w <= maxSeconds ? 'pass' : 'fail', detail: text };
}

export function validationCheck(validation: Read<ValidationSummary>): Check {
  const check = 'forward-validation';
  if (!validation.ok) return { check, status: 'unknown', detail: `table validation could not be read: ${validation.error}` };
  const v = validation.value;
  if (v.tables === 0) return { check, status: 'unknown', detail: 'the task reports no tables (nothing validated)' };
  if (v.failed > 0) return { check, status: 'fail', detail: `${v.failed} of ${v.tables} table(s) failed DMS validation: ${v.failedTables.join(', ')}` };
  if (v.pending > 0) return { check, status: 'fail', detail: `${v.pending} of ${v.tables} table(s) not validated yet` };
  return { check, status: 'pass', detail: `${v.validated} of ${v.tables} table(s) validated` };
}

export function verifyCheck(evidence: VerifyEvidence | undefined, maxAgeMs: number, expected?: { source: string; target: string }): Check {
  const check = 'data-verify';
  if (!evidence) return { check, status: 'unknown', detail: 'no data verify report given (run bluegreen data verify --format json > verify.json, then --verify-report verify.json)' };
  if (!evidence.complete) return { check, status: 'unknown', detail: 'the report is one shard of a verification: merge every shard first (bluegreen data verify merge)' };
  if (evidence.compared.length === 0) return { check, status: 'unknown', detail: 'the report compared no table' };
  if (expected && (evidence.source !== expected.source || evidence.target !== expected.target)) {
    return { check, status: 'unknown', detail: `the report compares ${evidence.source} -> ${evidence.target}, expected ${expected.source} -> ${expected.target}` };
  }
  if (evidence.ageMs > maxAgeMs) return { check, status: 'unknown', detail: `the report is ${Math.round(evidence.ageMs / 60_000)} min old (limit ${Math.round(maxAgeMs / 60_000)} min): verify again` };
  if (!evidence.identical) return { check, status: 'fail', detail: `the report found differences in ${evidence.compared.length} compared table(s)` };
  return { check, status: 'pass', detail: `identical: ${evidence.compared.length} table(s), ${Math.round(evidence.ageMs / 60_000)} min ago` };
}

/** The way back must exist and be idle before cutover: created (ready) or stopped, not running, not failed. */
export function reverseReadyCheck(reverseConfigured: boolean, state: Read<TaskState> | undefined): Check {
  const check = 'reverse-task';
  if (!reverseConfigured || !state) return { check, status: 'fail', detail: 'no reverse replication task: there would be no way back without losing writes (set migration.reverse.enabled: true and deploy)' };
  if (!state.ok) return { check, status: 'unknown', detail: `reverse task state could not be read: ${state.error}` };
  const s = state.value.status;
  if (s === 'ready' || s === 'stopped') return { check, status: 'pass', detail: `reverse task is ${s}, ready to start at cutover` };
  return { check, status: 'fail', detail: `reverse task is ${s}${state.value.lastError ? ` (${state.value.lastError})` : ''}; it must be ready or stopped before cutover` };
}

export type Readiness = 'ready' | 'blocked' | 'unknown';

/** All pass: ready. Any fail: blocked (exit 1). Otherwise something could not be read: unknown (exit 2). */
export function readiness(checks: readonly Check[]): Readiness {
  if (checks.some((c) => c.status === 'fail')) return 'blocked';
  if (checks.some((c) => c.status === 'unknown')) return 'unknown';
  return 'ready';
}

export interface Step {
  readonly id: 'stop-writes' | 'drain' | 'verify' | 'start-reverse' | 'stop-forward' | 'switch' | 'stop-reverse' | 'resume-forward';
  /** `auto`: `--execute` performs it; `operator`: a person does it (the command says exactly what). */
  readonly by: 'auto' | 'operator';
  readonly text: string;
}

export interface StepContext {
  readonly oldDatabase: string;
  readonly newDatabase: string;
  readonly drainSeconds: number;
}

/** Cutover, in order: stop writes, drain, verify, start reverse, switch. */
export function cutoverSteps(c: StepContext): Step[] {
  return [
    { id: 'stop-writes', by: 'operator', text: `Stop writes on the old database (${c.oldDatabase}): the application's maintenance mode, or revoke its INSERT/UPDATE/DELETE grants` },
    { id: 'drain', by: 'auto', text: `Wait until the forward task has applied everything: CDC latency at most ${c.drainSeconds} s on both sides` },
    { id: 'verify', by: 'operator', text: `bluegreen data verify --source <old> --target <new> --format json > verify.json: must exit 0 (writes are stopped: no --recheck needed)` },
    { id: 'stop-forward', by: 'auto', text: 'Stop the forward task (old -> new): nothing more is written on the old database' },
    { id: 'start-reverse', by: 'auto', text: `Start the reverse task (new -> old, CDC only) now: its start position is this instant, before any write reaches ${c.newDatabase}` },
    { id: 'switch', by: 'operator', text: `Point the application at the new database (${c.newDatabase}: compute.<colour>.database, then bluegreen traffic shift) and allow writes there` },
  ];
}

/** Rollback, the reverse order: stop writes on the new database, drain the reverse task, verify, switch back. */
export function rollbackSteps(c: StepContext): Step[] {
  return [
    { id: 'stop-writes', by: 'operator', text: `Stop writes on the new database (${c.newDatabase})` },
    { id: 'drain', by: 'auto', text: `Wait until the reverse task has applied everything: CDC latency at most ${c.drainSeconds} s on both sides` },
    { id: 'verify', by: 'operator', text: 'bluegreen data verify --source <new> --target <old> --format json > verify.json: must exit 0' },
    { id: 'stop-reverse', by: 'auto', text: 'Stop the reverse task (new -> old)' },
    { id: 'switch', by: 'operator', text: `Point the application back at the old database (${c.oldDatabase}) and allow writes there` },
  ];
}
