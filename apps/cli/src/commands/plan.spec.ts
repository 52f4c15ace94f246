import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createOutput } from '../output';
import { runPlanReview } from './plan';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
// Plans produced offline by the real terraform CLI (libs/operations/plan-review/test/generate.ts).
const FIXTURES = join(ROOT, 'libs', 'operations', 'plan-review', 'test', 'fixtures');

function run(file: string, options: Parameters<typeof runPlanReview>[1]) {
  let out = '';
  let err = '';
  const code = runPlanReview(file, options, createOutput('plan review', { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } }));
  return { code, out, err };
}

describe('bluegreen plan review', () => {
  it('a forced Aurora replacement exits 1 under --fail-on replace-stateful', () => {
    const r = run(join(FIXTURES, 'replace-db.json'), { failOn: 'replace-stateful' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('**replace-stateful** `aws_rds_cluster.cluster`');
  });

  it('a weight-only change exits 0 with a short summary', () => {
    const r = run(join(FIXTURES, 'weight.json'), { failOn: 'replace-stateful,destroy', title: 'Plan: dev' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^### Plan: dev\n/);
    expect(r.out).toContain('blue 100 → 90, green 0 → 10');
  });

  it('--format json prints the review object', () => {
    const r = run(join(FIXTURES, 'added.json'), { format: 'json' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ counts: { create: 1 }, blocking: [] });
  });

  it('unreadable input exits 2 naming the problem; bad options exit 64', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-review-'));
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ format_version: '1.0', values: {} }));
    expect(run(join(dir, 'missing.json'), {})).toMatchObject({ code: 2, err: expect.stringContaining('cannot read') });
    expect(run(join(dir, 'state.json'), {})).toMatchObject({ code: 2, err: expect.stringContaining('resource_changes: missing') });
    expect(run(join(FIXTURES, 'weight.json'), { format: 'html' })).toMatchObject({ code: 64, err: expect.stringContaining('--format: must be markdown, text, json, got "html"') });
    expect(run(join(FIXTURES, 'weight.json'), { failOn: 'boom' })).toMatchObject({ code: 64 });
  });

  it('works end to end through the bin (exit code reaches the shell)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'apps/cli/bin/bluegreen.js'), 'plan', 'review', join(FIXTURES, 'replace-db.json'), '--fail-on', 'replace-stateful'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Red flags');
  }, 60_000);
});
