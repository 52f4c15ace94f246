/**
 * `bluegreen migration status|cutover|rollback` as library functions `(options, ports) -> result`: the command line
 * parses, calls one of these, prints the result and maps `outcome` to its exit code.
 */
import type { MigrationContract } from '@bluegreen/contract';
import {
  cutoverSteps,
  latencyCheck,
  readiness,
  reverseReadyCheck,
  rollbackSteps,
  validationCheck,
  verifyCheck,
  type Check,
  type Readiness,
  type Step,
  type VerifyEvidence,
} from './decision';
import { read, type CdcLatency, type DmsPort, type Read, type TaskState, type ValidationSummary } from './ports';

export interface MigrationPorts {
  readonly dms: DmsPort;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Minutes of CloudWatch data a latency read looks at. */
const LATENCY_WINDOW_MINUTES = 10;

export interface TaskReport {
  readonly role: 'forward' | 'reverse';
  readonly taskArn: string;
  readonly state: Read<TaskState>;
  readonly latency: Read<CdcLatency>;
  readonly validation: Read<ValidationSummary>;
}

export interface MigrationStatus {
  readonly forward: TaskReport;
  /** Undefined when the stack has no reverse task. */
  readonly reverse?: TaskReport;
  /** `ok`: every value read, no task failed, latencies within the threshold. `attention`: a finding. `unknown`: a value could not be read. */
  readonly outcome: 'ok' | 'attention' | 'unknown';
  readonly notes: readonly string[];
}

function instanceOf(m: MigrationContract): Read<string> {
  return m.replicationInstanceId ? { ok: true, value: m.replicationInstanceId } : { ok: false, error: 'the stack contract has no migration.replicationInstanceId (redeploy the stack with this version)' };
}

async function taskReport(role: 'forward' | 'reverse', taskArn: string, m: MigrationContract, dms: DmsPort): Promise<TaskReport> {
  const instance = instanceOf(m);
  const [state, latency, validation] = await Promise.all([
    read(() => dms.describeTask(taskArn)),
    instance.ok ? read(() => dms.cdcLatency({ taskArn, instanceId: instance.value }, LATENCY_WINDOW_MINUTES)) : Promise.resolve(instance as Read<CdcLatency>),
    read(() => dms.validation(taskArn)),
  ]);
  return { role, taskArn, state, latency, validation };
}

/** Forward and reverse task state, CDC latency, validation state and last error; every unread value says why. */
export async function migrationStatus(options: { readonly migration: MigrationContract }, ports: MigrationPorts): Promise<MigrationStatus> {
  const m = options.migration;
  const [forward, reverse] = await Promise.all([taskReport('forward', m.forwardTaskArn, m, ports.dms), m.reverseTaskArn ? taskReport('reverse', m.reverseTaskArn, m, ports.dms) : Promise.resolve(undefined)]);
  const threshold = m.cdcLatencyThresholdSeconds ?? 300;
  const notes: string[] = [];
  let unknown = false;
  let attention = false;
  for (const r of [forward, reverse]) {
    if (!r) continue;
    if (!r.state.ok) unknown = true;
    else if (r.state.value.status === 'failed') {
      attention = true;
      notes.push(`${r.role} task failed: ${r.state.value.lastError ?? r.state.value.stopReason ?? 'no message'}`);
    }
    if (r.state.ok && r.state.value.status === 'running') {
      if (!r.latency.ok) unknown = true;
      else {
        const worst = Math.max(r.latency.value.source ?? 0, r.latency.value.target ?? 0);
        if (worst > threshold) {
          attention = true;
          notes.push(`${r.role} task is ${worst} s behind (alarm threshold ${threshold} s)${r.role === 'reverse' ? ': the way back is falling behind, see the runbook' : ''}`);
        }
      }
    }
    if (!r.validation.ok) unknown = true;
    else if (r.validation.value.failed > 0) {
      attention = true;
      notes.push(`${r.role} task: ${r.validation.value.failed} table(s) failed validation`);
    }
  }
  if (!reverse) notes.push('no reverse task: cutover would have no way back (migration.reverse.enabled)');
  return { forward, reverse, outcome: attention ? 'attention' : unknown ? 'unknown' : 'ok', notes };
}

export interface SwitchOptions {
  readonly migration: MigrationContract;
  /** The data verify report for this direction (`--verify-report`), when given. */
  readonly verify?: VerifyEvidence;
  /** Oldest verify report accepted. @default 30 min */
  readonly maxVerifyAgeMs?: number;
  /** Forward (cutover) or reverse (rollback) latency at most this before the switch. @default the contract's threshold, else 60 */
  readonly maxLatencySeconds?: number;
  /** Latency the drain waits for. @default 5 */
  readonly drainSeconds?: number;
  /** How long the drain and the task start may take. @default 15 min */
  readonly timeoutMs?: number;
  /** Perform the automatic steps (`--execute`); without it the steps are only printed. */
  readonly execute: boolean;
  /** The operator confirms the writes are stopped (`--writes-stopped`): required by `execute`. */
  readonly writesStopped: boolean;
  /** For the step texts. */
  readonly databases: { readonly old: string; readonly new: string };
}

export interface StepOutcome {
  readonly step: Step;
  readonly result: 'done' | 'skipped' | 'operator' | 'failed' | 'not-reached';
  readonly detail?: string;
}

export interface SwitchResult {
  readonly direction: 'cutover' | 'rollback';
  readonly checks: readonly Check[];
  readonly readiness: Readiness;
  readonly steps: readonly StepOutcome[];
  /** `ready`/`done`: exit 0. `blocked`/`failed`: exit 1. `unknown`: exit 2. */
  readonly outcome: 'ready' | 'done' | 'blocked' | 'failed' | 'unknown';
}

async function waitFor(ports: MigrationPorts, timeoutMs: number, what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = ports.now().getTime() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (ports.now().getTime() >= deadline) throw new Error(`${what}: not reached within ${Math.round(timeoutMs / 1000)} s`);
    await ports.sleep(15_000);
  }
}

async function run(direction: 'cutover' | 'rollback', o: SwitchOptions, ports: MigrationPorts): Promise<SwitchResult> {
  const m = o.migration;
  const instance = instanceOf(m);
  const maxLatency = o.maxLatencySeconds ?? m.cdcLatencyThresholdSeconds ?? 60;
  const drainSeconds = o.drainSeconds ?? 5;
  const timeoutMs = o.timeoutMs ?? 15 * 60_000;
  // The replication that must be caught up before the switch, and the one that becomes the way back.
  const leading = direction === 'cutover' ? m.forwardTaskArn : m.reverseTaskArn;
  const latencyOf = (arn: string) => (instance.ok ? read(() => ports.dms.cdcLatency({ taskArn: arn, instanceId: instance.value }, LATENCY_WINDOW_MINUTES)) : Promise.resolve(instance as Read<CdcLatency>));

  const checks: Check[] = [];
  if (direction === 'cutover') {
    const [fState, fLatency, fValidation, rState] = await Promise.all([
      read(() => ports.dms.describeTask(m.forwardTaskArn)),
      latencyOf(m.forwardTaskArn),
      read(() => ports.dms.validation(m.forwardTaskArn)),
      m.reverseTaskArn ? read(() => ports.dms.describeTask(m.reverseTaskArn as string)) : Promise.resolve(undefined),
    ]);
    checks.push(latencyCheck('forward-latency', fState, fLatency, maxLatency), validationCheck(fValidation), verifyCheck(o.verify, o.maxVerifyAgeMs ?? 30 * 60_000), reverseReadyCheck(m.reverseTaskArn !== undefined, rState));
  } else {
    if (!leading) {
      checks.push({ check: 'reverse-latency', status: 'fail', detail: 'no reverse replication task: a rollback would lose the writes made on the new database since cutover' });
    } else {
      const [rState, rLatency] = await Promise.all([read(() => ports.dms.describeTask(leading)), latencyOf(leading)]);
      checks.push(latencyCheck('reverse-latency', rState, rLatency, maxLatency));
    }
    checks.push(verifyCheck(o.verify, o.maxVerifyAgeMs ?? 30 * 60_000));
  }
  const ready = readiness(checks);
  const steps = (direction === 'cutover' ? cutoverSteps : rollbackSteps)({ oldDatabase: o.databases.old, newDatabase: o.databases.new, drainSeconds });
  const planned = (result: StepOutcome['result']) => steps.map((step) => ({ step, result: step.by === 'operator' ? ('operator' as const) : result }));
  if (ready !== 'ready') return { direction, checks, readiness: ready, steps: planned('not-reached'), outcome: ready };
  if (!o.execute) return { direction, checks, readiness: ready, steps: planned('not-reached'), outcome: 'ready' };
  if (!o.writesStopped) {
    return {
      direction,
      checks: [...checks, { check: 'writes-stopped', status: 'fail', detail: 'confirm the first step with --writes-stopped before --execute (the command cannot see the application)' }],
      readiness: 'blocked',
      steps: planned('not-reached'),
      outcome: 'blocked',
    };
  }

  const outcomes: StepOutcome[] = [];
  let failed = false;
  for (const step of steps) {
    if (failed) {
      outcomes.push({ step, result: 'not-reached' });
      continue;
    }
    if (step.by === 'operator') {
      outcomes.push({ step, result: 'operator', detail: step.id === 'stop-writes' ? 'confirmed by --writes-stopped' : step.id === 'verify' ? 'the --verify-report check above' : undefined });
      continue;
    }
    try {
      if (step.id === 'drain') {
        let last = '';
        await waitFor(ports, timeoutMs, 'drain', async () => {
          const l = await latencyOf(leading as string);
          if (!l.ok) throw new Error(`CDC latency could not be read: ${l.error}`);
          last = `source ${l.value.source ?? '?'} s, target ${l.value.target ?? '?'} s`;
          return l.value.source !== undefined && l.value.target !== undefined && Math.max(l.value.source, l.value.target) <= drainSeconds;
        });
        outcomes.push({ step, result: 'done', detail: `CDC latency ${last}` });
      } else if (step.id === 'stop-forward' || step.id === 'stop-reverse') {
        const arn = step.id === 'stop-forward' ? m.forwardTaskArn : (m.reverseTaskArn as string);
        await ports.dms.stopTask(arn);
        await waitFor(ports, timeoutMs, `${step.id}: task stopped`, async () => (await ports.dms.describeTask(arn)).status === 'stopped');
        outcomes.push({ step, result: 'done' });
      } else if (step.id === 'start-reverse') {
        const arn = m.reverseTaskArn as string;
        const startedAt = ports.now();
        const state = await ports.dms.describeTask(arn);
        await ports.dms.startTask(arn, { kind: state.status === 'stopped' ? 'resume-processing' : 'start-replication' });
        await waitFor(ports, timeoutMs, 'start-reverse: task running', async () => {
          const s = await ports.dms.describeTask(arn);
          if (s.status === 'failed') throw new Error(`reverse task failed to start: ${s.lastError ?? s.stopReason ?? 'no message'}`);
          return s.status === 'running';
        });
        outcomes.push({ step, result: 'done', detail: `started ${startedAt.toISOString()} (its CDC start position)` });
      }
    } catch (err) {
      failed = true;
      outcomes.push({ step, result: 'failed', detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return { direction, checks, readiness: ready, steps: outcomes, outcome: failed ? 'failed' : 'done' };
}

/** Checks (forward latency, validation, a clean data verify, reverse task ready), then the ordered cutover steps. */
export function migrationCutover(options: SwitchOptions, ports: MigrationPorts): Promise<SwitchResult> {
  return run('cutover', options, ports);
}

/** The reverse order: reverse latency caught up and a clean verify new -> old, then the rollback steps. */
export function migrationRollback(options: SwitchOptions, ports: MigrationPorts): Promise<SwitchResult> {
  return run('rollback', options, ports);
}
