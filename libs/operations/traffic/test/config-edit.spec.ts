import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadEnvironmentConfig } from '@bluegreen/config';
import { applyConfigEdits, dnsWeightEdits, editConfigFile, finalizeEdits, promoteEdits, TrafficRuleError, weightEdits } from '../src';

const DEV = readFileSync(join(__dirname, '../../../../apps/dev/environment.yaml'), 'utf8');

/** Lines removed (`- …`) and added (`+ …`) between two texts, order-insensitive: a small line diff. */
function changedLines(a: string, b: string): string[] {
  const count = (t: string) => t.split('\n').reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const x = count(a);
  const y = count(b);
  const out: string[] = [];
  for (const [l, n] of x) for (let i = 0; i < n - (y.get(l) ?? 0); i++) out.push(`- ${l}`);
  for (const [l, n] of y) for (let i = 0; i < n - (x.get(l) ?? 0); i++) out.push(`+ ${l}`);
  return out;
}

describe('applyConfigEdits', () => {
  it('changes only the two weight lines and keeps every comment', () => {
    const r = applyConfigEdits(DEV, weightEdits('monolith', { blue: 90, green: 10 }));
    expect(changedLines(DEV, r.text)).toEqual(['-       blue: 100', '-       green: 0', '+       blue: 90', '+       green: 10']);
    expect(r.text).toContain('# dev: one NAT gateway');
    expect(r.config.services.monolith.traffic).toMatchObject({ blue: 90, green: 10 });
    expect(r.changes).toEqual([
      { field: 'services.monolith.traffic.blue', from: 100, to: 90 },
      { field: 'services.monolith.traffic.green', from: 0, to: 10 },
    ]);
  });

  it.each(['dev', 'staging', 'prod'])('edits %s and back without changing any other byte (no layout the edit would rewrite)', (env) => {
    const text = readFileSync(join(__dirname, `../../../../apps/${env}/environment.yaml`), 'utf8');
    const there = applyConfigEdits(text, weightEdits('monolith', { blue: 50, green: 50 }));
    const back = applyConfigEdits(there.text, weightEdits('monolith', { blue: 100, green: 0 }));
    expect(back.text).toBe(text);
  });

  it('is a no-op (same text, no changes) when the weights are already set', () => {
    const r = applyConfigEdits(DEV, weightEdits('monolith', { blue: 100, green: 0 }));
    expect(r.changes).toEqual([]);
    expect(r.text).toBe(DEV);
  });

  it('keeps an inline comment on an edited value', () => {
    const text = DEV.replace('  green: 0\n', '  green: 0 # canary weight\n');
    const r = applyConfigEdits(text, weightEdits('monolith', { blue: 95, green: 5 }));
    expect(r.text).toContain('  green: 5 # canary weight\n');
  });

  it('re-validates: weights that would give traffic to a colour without tasks are refused, naming the field', () => {
    const parked = [
      { path: ['services', 'monolith', 'green', 'desiredCount'], value: 0 },
      { path: ['services', 'monolith', 'green', 'maxCount'], value: 0 },
    ];
    expect(() => applyConfigEdits(DEV, parked)).not.toThrow();
    expect(() => applyConfigEdits(DEV, [...parked, ...weightEdits('monolith', { blue: 90, green: 10 })])).toThrow(/services\.monolith\.traffic\.green: colour green has weight 10 but services\.monolith\.green\.desiredCount is 0/);
  });

  it('refuses weights that do not sum to 100', () => {
    let err: unknown;
    try {
      applyConfigEdits(DEV, [{ path: ['services', 'monolith', 'traffic', 'green'], value: 10 }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as ConfigValidationError).problems.map((p) => p.field)).toContain('services.monolith.traffic');
  });

  it('creates dns.weights when the file has no dns section yet (and validates it)', () => {
    expect(() => applyConfigEdits(DEV, dnsWeightEdits({ legacy: 90, aws: 10 }))).not.toThrow();
    expect(() => applyConfigEdits(DEV, dnsWeightEdits({ legacy: 90, aws: 20 }))).toThrow(/dns\.weights: legacy \+ aws weights must sum to 100/);
  });
});

describe('editConfigFile (atomic write)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'traffic-edit-'));
    file = join(dir, 'environment.yaml');
    writeFileSync(file, DEV);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the edited file and leaves no temp file behind', () => {
    editConfigFile(file, weightEdits('monolith', { blue: 90, green: 10 }));
    expect(loadEnvironmentConfig(file).services.monolith.traffic).toMatchObject({ blue: 90, green: 10 });
    expect(readdirSync(dir)).toEqual(['environment.yaml']);
  });

  it('writes nothing when the result is invalid', () => {
    expect(() => editConfigFile(file, [{ path: ['services', 'monolith', 'traffic', 'green'], value: 150 }])).toThrow(ConfigValidationError);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
    expect(readdirSync(dir)).toEqual(['environment.yaml']);
  });

  it('writes nothing on a dry run', () => {
    const r = editConfigFile(file, weightEdits('monolith', { blue: 95, green: 5 }), { dryRun: true });
    expect(r.changes).toHaveLength(2);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  });
});

describe('promote and finalize', () => {
  const atFull = applyConfigEdits(DEV, weightEdits('monolith', { blue: 0, green: 100 }));
  const now = new Date('2026-11-22T03:00:00.123Z');

  it('refuses to promote before the candidate has 100 %', () => {
    const half = applyConfigEdits(DEV, weightEdits('monolith', { blue: 50, green: 50 }));
    expect(() => promoteEdits(half.config, 'monolith', now)).toThrow(new TrafficRuleError('cannot promote green: it receives 50 %, promotion needs 100 % (bluegreen traffic shift --service monolith --to green --percent 100 first)'));
  });

  it('promotes: live flips and promotedAt records the time (to the second)', () => {
    const p = promoteEdits(atFull.config, 'monolith', now);
    expect(p).toMatchObject({ from: 'blue', to: 'green' });
    const r = applyConfigEdits(atFull.text, p.edits);
    expect(r.config.services.monolith.traffic).toMatchObject({ live: 'green', promotedAt: '2026-11-22T03:00:00Z', blue: 0, green: 100 });
    expect(changedLines(atFull.text, r.text)).toEqual(['-       live: blue', '+       live: green', '+       promotedAt: 2026-11-22T03:00:00Z']);
    // Appended to the monolith's traffic, before the next service.
    expect(r.text).toMatch(/\n {6}stages: \[10, 25, 50, 75, 100\]\n {6}promotedAt: 2026-11-22T03:00:00Z\n {2}catalog:\n/);
  });

  it('finalize refuses inside the rollback window (60 min default) unless forced, then scales the old colour to zero', () => {
    const promoted = applyConfigEdits(atFull.text, promoteEdits(atFull.config, 'monolith', now).edits);
    const in59 = new Date(now.getTime() + 59 * 60_000);
    expect(() => finalizeEdits(promoted.config, 'monolith', in59)).toThrow(/rollback window is still open until 2026-11-22T04:00:00Z \(1 min left\)/);
    expect(finalizeEdits(promoted.config, 'monolith', in59, true).old).toBe('blue');
    const f = finalizeEdits(promoted.config, 'monolith', new Date(now.getTime() + 61 * 60_000));
    const r = applyConfigEdits(promoted.text, f.edits);
    expect(r.config.services.monolith.blue.desiredCount).toBe(0);
    expect(r.config.services.monolith.traffic.promotedAt).toBeUndefined();
    expect(r.changes.map((c) => c.field)).toEqual(['services.monolith.blue.desiredCount', 'services.monolith.traffic.promotedAt']);
  });

  it('finalize also zeroes explicit autoscaling bounds of the old colour', () => {
    const bounded = applyConfigEdits(atFull.text, [
      { path: ['services', 'monolith', 'blue', 'minCount'], value: 1 },
      { path: ['services', 'monolith', 'blue', 'maxCount'], value: 4 },
    ]);
    const promoted = applyConfigEdits(bounded.text, promoteEdits(bounded.config, 'monolith', now).edits);
    const f = finalizeEdits(promoted.config, 'monolith', new Date(now.getTime() + 2 * 3600_000));
    const r = applyConfigEdits(promoted.text, f.edits);
    expect(r.config.services.monolith.blue).toMatchObject({ desiredCount: 0, minCount: 0, maxCount: 0 });
  });

  it('finalize without a promotion says so', () => {
    expect(() => finalizeEdits(atFull.config, 'monolith', now)).toThrow(/nothing to finalize/);
  });
});
