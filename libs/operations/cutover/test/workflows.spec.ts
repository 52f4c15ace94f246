import { migrationCutover, migrationRollback, migrationStatus, formatStatus, formatSwitch, type CdcLatency, type DmsPort, type MigrationPorts, type SwitchOptions, type TaskState, type VerifyEvidence } from '../src';

const FWD = 'arn:aws:dms:us-east-1:111111111111:task:FWD';
const REV = 'arn:aws:dms:us-east-1:111111111111:task:REV';
const migration = { forwardTaskArn: FWD, reverseTaskArn: REV, alarms: [], replicationInstanceId: 'dms-prod', cdcLatencyThresholdSeconds: 60 };

/** A DMS that behaves like one: tasks with a status, latencies, start/stop changing the status; every call logged. */
function fakeDms(init: { fwd?: string; rev?: string; latency?: Record<string, CdcLatency>; unreadable?: string[] } = {}) {
  const status: Record<string, string> = { [FWD]: init.fwd ?? 'running', [REV]: init.rev ?? 'ready' };
  const latency: Record<string, CdcLatency> = init.latency ?? { [FWD]: { source: 1, target: 2 }, [REV]: { source: 0, target: 0 } };
  const calls: string[] = [];
  const fail = (what: string) => {
    if (init.unreadable?.includes(what)) throw new Error(`${what}: AccessDeniedException`);
  };
  const port: DmsPort = {
    async describeTask(arn): Promise<TaskState> {
      fail('describeTask');
      return { arn, status: status[arn] };
    },
    async validation() {
      fail('validation');
      return { tables: 2, validated: 2, pending: 0, failed: 0, failedTables: [] };
    },
    async cdcLatency(t) {
      fail('cdcLatency');
      return latency[t.taskArn];
    },
    async startTask(arn, r) {
      calls.push(`start ${arn === FWD ? 'forward' : 'reverse'} (${r.kind})`);
      status[arn] = 'running';
    },
    async stopTask(arn) {
      calls.push(`stop ${arn === FWD ? 'forward' : 'reverse'}`);
      status[arn] = 'stopped';
    },
  };
  return { port, calls, status, latency };
}

const ports = (dms: DmsPort): MigrationPorts => ({ dms, now: () => new Date('2026-01-01T00:00:00Z'), sleep: async () => undefined });
const clean: VerifyEvidence = { identical: true, complete: true, compared: ['public.orders'], source: 'old:5432/app', target: 'new:5432/app', ageMs: 120_000 };
const opts = (over: Partial<SwitchOptions> = {}): SwitchOptions => ({ migration, verify: clean, execute: false, writesStopped: false, databases: { old: 'aurora-blue-prod', new: 'aurora-green-prod' }, ...over });

describe('migration status', () => {
  it('reports both tasks, their CDC latency, validation and last error; OK when healthy', async () => {
    const s = await migrationStatus({ migration }, ports(fakeDms().port));
    expect(s.outcome).toBe('ok');
    expect(s.forward.state).toEqual({ ok: true, value: { arn: FWD, status: 'running' } });
    expect(s.reverse?.state).toEqual({ ok: true, value: { arn: REV, status: 'ready' } });
    expect(formatStatus(s)).toContain('forward task arn:aws:dms:us-east-1:111111111111:task:FWD\n  state:       running');
  });
  it('flags a reverse task falling behind, and a value it cannot read as unknown (never a default)', async () => {
    const behind = fakeDms({ rev: 'running', latency: { [FWD]: {}, [REV]: { source: 1, target: 900 } } });
    const s = await migrationStatus({ migration }, ports(behind.port));
    expect(s.outcome).toBe('attention');
    expect(s.notes).toContain('reverse task is 900 s behind (alarm threshold 60 s): the way back is falling behind, see the runbook');
    const unread = await migrationStatus({ migration }, ports(fakeDms({ unreadable: ['cdcLatency'] }).port));
    expect(unread.outcome).toBe('unknown');
    expect(formatStatus(unread)).toContain('CDC latency: unknown (cdcLatency: AccessDeniedException)');
  });
});

describe('migration cutover', () => {
  it('is READY when every check passes and prints the ordered steps without doing anything', async () => {
    const dms = fakeDms();
    const r = await migrationCutover(opts(), ports(dms.port));
    expect(r.outcome).toBe('ready');
    expect(r.checks.map((c) => `${c.check}:${c.status}`)).toEqual(['forward-latency:pass', 'forward-validation:pass', 'data-verify:pass', 'reverse-task:pass']);
    expect(r.steps.map((s) => s.step.id)).toEqual(['stop-writes', 'drain', 'verify', 'stop-forward', 'start-reverse', 'switch']);
    expect(dms.calls).toEqual([]);
    expect(formatSwitch(r)).toContain('READY: every check passed.');
  });

  it('performs the automatic steps in order with --execute --writes-stopped: drain, stop forward, start reverse', async () => {
    const dms = fakeDms();
    const r = await migrationCutover(opts({ execute: true, writesStopped: true }), ports(dms.port));
    expect(r.outcome).toBe('done');
    expect(dms.calls).toEqual(['stop forward', 'start reverse (start-replication)']);
    expect(r.steps.map((s) => `${s.step.id}:${s.result}`)).toEqual(['stop-writes:operator', 'drain:done', 'verify:operator', 'stop-forward:done', 'start-reverse:done', 'switch:operator']);
    expect(dms.status[REV]).toBe('running');
  });

  it.each([
    ['the forward task is behind', { latency: { [FWD]: { source: 1, target: 120 }, [REV]: {} } }, {}, 'blocked', 'forward-latency'],
    ['the reverse task already runs', { rev: 'running' }, {}, 'blocked', 'reverse-task'],
    ['the verify found differences', {}, { verify: { ...clean, identical: false } }, 'blocked', 'data-verify'],
    ['no verify report', {}, { verify: undefined }, 'unknown', 'data-verify'],
    ['the forward task cannot be read', { unreadable: ['describeTask'] }, {}, 'unknown', 'forward-latency'],
    ['no reverse task configured', {}, { migration: { ...migration, reverseTaskArn: undefined } }, 'blocked', 'reverse-task'],
  ] as const)('does nothing when %s (%s)', async (_n, dmsInit, over, outcome, check) => {
    const dms = fakeDms(dmsInit as Parameters<typeof fakeDms>[0]);
    const r = await migrationCutover(opts({ ...over, execute: true, writesStopped: true }), ports(dms.port));
    expect(r.outcome).toBe(outcome);
    expect(r.checks.find((c) => c.check === check)?.status).toBe(outcome === 'blocked' ? 'fail' : 'unknown');
    expect(dms.calls).toEqual([]);
  });

  it('refuses to execute until the operator confirms the writes are stopped', async () => {
    const dms = fakeDms();
    const r = await migrationCutover(opts({ execute: true }), ports(dms.port));
    expect(r.outcome).toBe('blocked');
    expect(r.checks.at(-1)).toMatchObject({ check: 'writes-stopped', status: 'fail' });
    expect(dms.calls).toEqual([]);
  });

  it('stops at a drain that does not finish in time, and does not touch the tasks', async () => {
    const dms = fakeDms({ latency: { [FWD]: { source: 30, target: 40 }, [REV]: {} } });
    let t = 0;
    const p: MigrationPorts = { dms: dms.port, now: () => new Date(t), sleep: async (ms) => void (t += ms) };
    const r = await migrationCutover(opts({ execute: true, writesStopped: true, timeoutMs: 60_000 }), p);
    expect(r.outcome).toBe('failed');
    expect(r.steps.find((s) => s.step.id === 'drain')).toMatchObject({ result: 'failed', detail: 'drain: not reached within 60 s' });
    expect(r.steps.find((s) => s.step.id === 'start-reverse')?.result).toBe('not-reached');
    expect(dms.calls).toEqual([]);
  });
});

describe('migration rollback', () => {
  it('drains the reverse task and stops it, the reverse order of cutover', async () => {
    const dms = fakeDms({ fwd: 'stopped', rev: 'running' });
    const r = await migrationRollback(opts({ execute: true, writesStopped: true, verify: { ...clean, source: 'new:5432/app', target: 'old:5432/app' } }), ports(dms.port));
    expect(r.outcome).toBe('done');
    expect(r.steps.map((s) => s.step.id)).toEqual(['stop-writes', 'drain', 'verify', 'stop-reverse', 'switch']);
    expect(dms.calls).toEqual(['stop reverse']);
  });
  it('is blocked without a reverse task: the writes since cutover would be lost', async () => {
    const r = await migrationRollback(opts({ migration: { ...migration, reverseTaskArn: undefined } }), ports(fakeDms().port));
    expect(r.outcome).toBe('blocked');
    expect(r.checks[0].detail).toContain('would lose the writes made on the new database since cutover');
  });
});
