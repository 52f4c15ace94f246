import { cdcGateVerdict, latencyCheck, readiness, reverseReadyCheck, validationCheck, verifyCheck, type Check, type Read, type TaskState, type VerifyEvidence } from '../src';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const err = (error: string): Read<never> => ({ ok: false, error });
const task = (status: string, extra: Partial<TaskState> = {}): Read<TaskState> => ok({ arn: 'arn:task', status, ...extra });

describe('latencyCheck', () => {
  it.each([
    ['running, caught up', task('running'), ok({ source: 1, target: 2 }), 'pass', 'CDC latency source 1 s, target 2 s (limit 60 s)'],
    ['running, target behind', task('running'), ok({ source: 1, target: 61 }), 'fail', 'target 61 s'],
    ['running, no datapoints', task('running'), ok({}), 'unknown', 'no CDC latency datapoints'],
    ['running, one side only', task('running'), ok({ target: 3 }), 'pass', 'source ? s, target 3 s'],
    ['stopped', task('stopped', { stopReason: 'Stop Reason NORMAL' }), ok({}), 'fail', 'task is stopped, not running (Stop Reason NORMAL)'],
    ['failed with error', task('failed', { lastError: 'ERROR: relation "x" does not exist' }), ok({}), 'fail', 'relation "x" does not exist'],
    ['state unreadable', err('AccessDenied'), ok({ source: 0 }), 'unknown', 'task state could not be read: AccessDenied'],
    ['latency unreadable', task('running'), err('throttled'), 'unknown', 'CDC latency could not be read: throttled'],
  ] as const)('%s -> %s', (_name, state, latency, status, detail) => {
    const c = latencyCheck('forward-latency', state, latency, 60);
    expect(c.status).toBe(status);
    expect(c.detail).toContain(detail);
  });
});

describe('validationCheck', () => {
  const v = (validated: number, pending: number, failed: number, failedTables: string[] = []) => ok({ tables: validated + pending + failed, validated, pending, failed, failedTables });
  it.each([
    ['all validated', v(3, 0, 0), 'pass'],
    ['one mismatched', v(2, 0, 1, ['public.orders (Mismatched records)']), 'fail'],
    ['one pending', v(2, 1, 0), 'fail'],
    ['no tables', v(0, 0, 0), 'unknown'],
    ['unreadable', err('timeout'), 'unknown'],
  ] as const)('%s -> %s', (_n, input, status) => expect(validationCheck(input).status).toBe(status));
});

describe('verifyCheck', () => {
  const e = (over: Partial<VerifyEvidence> = {}): VerifyEvidence => ({ identical: true, complete: true, compared: ['public.orders'], source: 'a:5432/app', target: 'b:5432/app', ageMs: 60_000, ...over });
  it.each([
    ['clean and recent', e(), 'pass'],
    ['differences', e({ identical: false }), 'fail'],
    ['no report', undefined, 'unknown'],
    ['one shard only', e({ complete: false }), 'unknown'],
    ['compared nothing', e({ compared: [] }), 'unknown'],
    ['too old', e({ ageMs: 31 * 60_000 }), 'unknown'],
  ] as const)('%s -> %s', (_n, evidence, status) => expect(verifyCheck(evidence, 30 * 60_000).status).toBe(status));
  it('refuses a report of another pair of databases', () => {
    expect(verifyCheck(e(), 30 * 60_000, { source: 'a:5432/app', target: 'c:5432/app' })).toMatchObject({ status: 'unknown', detail: expect.stringContaining('expected a:5432/app -> c:5432/app') });
  });
});

describe('reverseReadyCheck', () => {
  it.each([
    ['not configured', false, undefined, 'fail'],
    ['ready (created, never started)', true, task('ready'), 'pass'],
    ['stopped', true, task('stopped'), 'pass'],
    ['already running', true, task('running'), 'fail'],
    ['failed', true, task('failed'), 'fail'],
    ['unreadable', true, err('AccessDenied'), 'unknown'],
  ] as const)('%s -> %s', (_n, configured, state, status) => expect(reverseReadyCheck(configured, state).status).toBe(status));
});

describe('readiness', () => {
  const c = (status: Check['status']): Check => ({ check: 'x', status, detail: '' });
  it.each([
    [[c('pass'), c('pass')], 'ready'],
    [[c('pass'), c('unknown')], 'unknown'],
    [[c('unknown'), c('fail')], 'blocked'],
    [[], 'ready'],
  ] as const)('%j -> %s', (checks, expected) => expect(readiness(checks)).toBe(expected));
});

describe('cdcGateVerdict (the traffic gate while a migration runs)', () => {
  it.each([
    ['no migration replicating', 'stopped', undefined, 'pass'],
    ['task ready, never started', 'ready', undefined, 'pass'],
    ['caught up', 'running', { source: 2, target: 4 }, 'pass'],
    ['behind', 'running', { source: 2, target: 400 }, 'fail'],
    ['running without datapoints', 'running', {}, 'error'],
    ['running, latency unknown', 'running', undefined, 'error'],
  ] as const)('%s -> %s', (_n, status, latency, expected) => expect(cdcGateVerdict(status, latency, 300).status).toBe(expected));
});
