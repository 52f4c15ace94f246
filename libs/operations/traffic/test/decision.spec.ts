import { decide, type ColourSignals, type IncidentFlags } from '../src';

const T = { http5xxRatePercent: 1, p95LatencySeconds: 2, unhealthyHosts: 0 };
const ok: ColourSignals = { requests: 10_000, http5xx: 10, p95Seconds: 0.4, unhealthyHosts: 0, alarmsInAlarm: [] };

type Row = [string, Partial<ColourSignals> & { _omit?: (keyof ColourSignals)[] }, IncidentFlags, 'continue' | 'hold' | 'rollback', string | undefined];

describe('decide (rollback decision matrix, table)', () => {
  it.each<Row>([
    ['all healthy', {}, {}, 'continue', undefined],
    ['5xx rate exactly 1 % is not above the limit (but near it)', { http5xx: 100 }, {}, 'hold', '5xx rate 1 % (100/10000) is near the 1 % limit'],
    ['5xx rate 1.01 %', { http5xx: 101 }, {}, 'rollback', '5xx rate 1.01 % (101/10000) > 1 %'],
    ['5xx rate 5 %', { http5xx: 500 }, {}, 'rollback', '> 1 %'],
    ['5xx rate 0.79 % is fine', { http5xx: 79 }, {}, 'continue', undefined],
    ['5xx rate 0.8 % holds', { http5xx: 80 }, {}, 'hold', 'near the 1 % limit'],
    ['p95 2.0 s is not above 2 s (but near it)', { p95Seconds: 2 }, {}, 'hold', 'p95 latency 2 s is near the 2 s limit'],
    ['p95 2.1 s', { p95Seconds: 2.1 }, {}, 'rollback', 'p95 latency 2.1 s > 2 s'],
    ['p95 1.5 s is fine', { p95Seconds: 1.5 }, {}, 'continue', undefined],
    ['one unhealthy host', { unhealthyHosts: 1 }, {}, 'rollback', '1 unhealthy target(s) > 0 allowed'],
    ['an alarm in ALARM', { alarmsInAlarm: ['alarm-green-cpu-dev'] }, {}, 'rollback', 'alarm(s) in ALARM: alarm-green-cpu-dev'],
    ['data integrity issue with healthy metrics', {}, { dataIntegrityIssue: 'row counts differ on orders' }, 'rollback', 'data integrity issue reported: row counts differ on orders'],
    ['security incident with healthy metrics', {}, { securityIncident: 'GuardDuty finding' }, 'rollback', 'security incident reported: GuardDuty finding'],
    ['no request data', { _omit: ['requests', 'http5xx'] }, {}, 'hold', 'no request/5xx data in the window'],
    ['zero requests', { requests: 0, http5xx: 0 }, {}, 'hold', 'only 0 requests in the window'],
    ['5xx with zero requests counted', { requests: 0, http5xx: 3 }, {}, 'rollback', '3 5xx responses with only 0 requests counted'],
    ['no latency data', { _omit: ['p95Seconds'] }, {}, 'hold', 'no p95 latency data'],
    ['unknown alarm states', { _omit: ['alarmsInAlarm'] }, {}, 'hold', 'alarm states unknown'],
    ['missing data does not hide a breach', { _omit: ['p95Seconds'], http5xx: 300 }, {}, 'rollback', '5xx rate 3 %'],
  ])('%s -> %s', (_name, patch, flags, expected, reason) => {
    const signals: Record<string, unknown> = { ...ok, ...patch };
    for (const k of patch._omit ?? []) delete signals[k];
    delete signals._omit;
    const r = decide(signals as ColourSignals, T, flags);
    expect(r.decision).toBe(expected);
    if (reason === undefined) expect(r.reasons).toEqual([]);
    else expect(r.reasons.join('\n')).toContain(reason);
  });

  it('reports every breached signal, not just the first', () => {
    const r = decide({ ...ok, http5xx: 300, p95Seconds: 3, unhealthyHosts: 2, alarmsInAlarm: ['alarm-green-5xx-rate-dev'] }, T, { securityIncident: 'x' });
    expect(r.decision).toBe('rollback');
    expect(r.reasons).toHaveLength(5);
    expect(r.http5xxRatePercent).toBeCloseTo(3);
  });

  it('uses the thresholds from config, not constants', () => {
    expect(decide({ ...ok, http5xx: 300 }, { ...T, http5xxRatePercent: 5 }).decision).toBe('continue');
    expect(decide({ ...ok, unhealthyHosts: 1 }, { ...T, unhealthyHosts: 1 }).decision).toBe('continue');
    expect(decide({ ...ok, p95Seconds: 0.6 }, { ...T, p95LatencySeconds: 0.5 }).decision).toBe('rollback');
  });

  it('honours warnRatio and minRequests', () => {
    expect(decide({ ...ok, http5xx: 80 }, T, {}, { warnRatio: 0.9 }).decision).toBe('continue');
    expect(decide({ ...ok, requests: 50, http5xx: 0 }, T, {}, { minRequests: 100 }).decision).toBe('hold');
  });
});
