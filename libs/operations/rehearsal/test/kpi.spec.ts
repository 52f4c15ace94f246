import { judge } from '../src';
import type { RehearsalFacts } from '../src';
import { percentileSeconds, signalsFromLog } from '../src/lib/adapters';

const cutover = { outcome: 'done', t: 20_000, reverseRunning: true, detail: '4/4 checks passed' };
const rollback = { t: 20_000, stage: 25, reasons: ['5xx rate 2.5 % (1/40) > 1 %'], firstBadSignalT: 19_100 };
const base: RehearsalFacts = {
  watchIntervalMs: 1000,
  stages: [10, 25, 50, 75, 100],
  stagesReached: [10, 25, 50, 75, 100],
  requests: { total: 1000, failed: [], servedBy: { blue: 600, green: 400 } },
  acknowledgedWrites: 500,
  lostWrites: [],
  databaseOfRecord: 'new',
  cutover,
  promoted: { from: 'blue', to: 'green' },
  verify: { identical: true, compared: ['public.items'], detail: 'public.items: identical' },
};
const missed = (f: RehearsalFacts, scenario: Parameters<typeof judge>[0]) => judge(scenario, f).filter((k) => !k.met).map((k) => k.name);

describe('judging a run', () => {
  it('happy: every KPI met, and each one misses on its own', () => {
    expect(missed(base, 'happy')).toEqual([]);
    expect(missed({ ...base, requests: { ...base.requests, failed: [{ kind: 'read', start: 1, end: 2, status: 502, servedBy: 'green' }] } }, 'happy')).toEqual(['failed requests']);
    expect(missed({ ...base, lostWrites: ['w-1'] }, 'happy')).toEqual(['acknowledged writes lost (looked up in the new database)']);
    expect(missed({ ...base, stagesReached: [10, 25] }, 'happy')).toEqual(['stages reached']);
    expect(missed({ ...base, cutover: { ...cutover, reverseRunning: false } }, 'happy')).toEqual(['database cutover']);
    expect(missed({ ...base, promoted: undefined }, 'happy')).toEqual(['promoted']);
    expect(missed({ ...base, verify: { error: 'connection refused' } }, 'happy')).toEqual(['data verify old / new at the end']);
    expect(missed({ ...base, verify: { identical: true, compared: [], detail: '' } }, 'happy')).toEqual(['data verify old / new at the end']);
    // No acknowledged write at all proves nothing about losing them.
    expect(missed({ ...base, acknowledgedWrites: 0 }, 'happy')).toContain('acknowledged writes lost (looked up in the new database)');
  });

  const badGreen: RehearsalFacts = {
    ...base,
    databaseOfRecord: 'old',
    stagesReached: [10, 25],
    cutover: undefined,
    promoted: undefined,
    rollback,
    requests: { total: 500, failed: [{ kind: 'write', start: 19_000, end: 19_100, status: 500, servedBy: 'green' }], servedBy: { blue: 450, green: 50 } },
  };

  it('bad-green: only green failures before the rollback, within the watch interval + 5 s', () => {
    expect(missed(badGreen, 'bad-green')).toEqual([]);
    const blueFailure = { kind: 'read' as const, start: 19_500, end: 19_600, status: 502, servedBy: 'blue' as const };
    expect(missed({ ...badGreen, requests: { ...badGreen.requests, failed: [...badGreen.requests.failed, blueFailure] } }, 'bad-green')).toEqual(['failed requests other than green before the rollback']);
    const afterRollback = { kind: 'read' as const, start: 20_500, end: 20_600, status: 500, servedBy: 'green' as const };
    expect(missed({ ...badGreen, requests: { ...badGreen.requests, failed: [afterRollback] } }, 'bad-green')).toEqual(['failed requests other than green before the rollback']);
    expect(missed({ ...badGreen, rollback: { ...rollback, firstBadSignalT: 13_900 } }, 'bad-green')).toEqual(['first 5xx to rollback']);
    expect(missed({ ...badGreen, rollback: { ...rollback, reasons: ['p95 latency 3 s > 2 s'] } }, 'bad-green')).toEqual(['automatic rollback']);
    expect(missed({ ...badGreen, rollback: undefined }, 'bad-green')).toEqual(expect.arrayContaining(['automatic rollback', 'first 5xx to rollback', 'listener after rollback']));
  });

  it('slow-green needs the latency reason; breaking-schema needs the schema gate at the first stage', () => {
    const slow = { ...badGreen, requests: { ...badGreen.requests, failed: [] }, rollback: { t: 5000, stage: 10, reasons: ['p95 latency 2.529 s > 2 s'] } };
    expect(missed(slow, 'slow-green')).toEqual([]);
    expect(missed({ ...slow, rollback: { ...slow.rollback, reasons: ['5xx rate 2 % > 1 %'] } }, 'slow-green')).toEqual(['automatic rollback']);
    const breaking: RehearsalFacts = {
      ...slow,
      rollback: undefined,
      stagesReached: [],
      requests: { ...slow.requests, servedBy: { blue: 500, green: 0 } },
      gateRefusal: { stage: 10, gate: 'schema', detail: 'incompatible' },
      oldQueryOnNewSchema: { failed: true, detail: 'fails: ERROR 42703' },
    };
    expect(missed(breaking, 'breaking-schema')).toEqual([]);
    expect(missed({ ...breaking, gateRefusal: { stage: 10, gate: 'target-health:green', detail: '' } }, 'breaking-schema')).toEqual(['first shift']);
    expect(missed({ ...breaking, requests: { ...breaking.requests, servedBy: { blue: 490, green: 10 } } }, 'breaking-schema')).toEqual(['requests green served']);
  });

  it('rollback-after-cutover needs every write since cutover on the old database', () => {
    const f: RehearsalFacts = { ...base, databaseOfRecord: 'old', promoted: undefined, dbRollback: { outcome: 'done', t: 30_000, detail: '' }, writesSinceCutover: { acknowledged: 120, onOld: 120 } };
    expect(missed(f, 'rollback-after-cutover')).toEqual([]);
    expect(missed({ ...f, writesSinceCutover: { acknowledged: 120, onOld: 119 } }, 'rollback-after-cutover')).toEqual(['writes since cutover on the old database after rollback']);
    expect(missed({ ...f, writesSinceCutover: { acknowledged: 0, onOld: 0 } }, 'rollback-after-cutover')).toEqual(['writes since cutover on the old database after rollback']);
    expect(missed({ ...f, dbRollback: { outcome: 'blocked', t: 1, detail: '' } }, 'rollback-after-cutover')).toEqual(['database rollback']);
  });
});

describe('CloudWatch from the proxy log', () => {
  const e = (end: number, colour: 'blue' | 'green', status: number, durationMs: number, byProxy = false) => ({ at: end - durationMs, end, colour, status, durationMs, byProxy });
  it('counts target 5xx (not the proxy own 502s) and p95 over the window only', () => {
    const log = [e(100, 'green', 200, 10), e(1500, 'green', 500, 20), e(1600, 'green', 502, 5, true), e(1700, 'blue', 500, 5), e(1800, 'green', 200, 3000)];
    expect(signalsFromLog(log, 'green', 1000, 2000)).toEqual({ requests: 3, http5xx: 1, p95Seconds: 3 });
    expect(signalsFromLog(log, 'green', 2000, 3000)).toEqual({ requests: 0, http5xx: 0, p95Seconds: undefined });
  });
  it('p95 is the nearest rank', () => {
    expect(percentileSeconds(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(0.095);
    expect(percentileSeconds([5], 95)).toBe(0.005);
    expect(percentileSeconds([], 95)).toBeUndefined();
  });
});
