/**
 * The five scenarios end to end, short form: real PostgreSQL servers, logical replication, app processes, the proxy
 * and live load. `happy` runs through the command line (`npx bluegreen rehearse … --report`), the others through the
 * library function; then a run interrupted with Ctrl-C must leave no stand-in behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rehearse, type RehearsalResult, type ScenarioName } from '../../src';
import { CHROMIUM_MISSING, withPage } from '../browser';

const ROOT = resolve(__dirname, '../../../../..');
const CLI = join(ROOT, 'apps/cli/bin/bluegreen.js');
const timings: Record<string, number> = {};

function cli(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', rej);
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

const refused = (port: number) =>
  new Promise<boolean>((res) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      res(false);
    });
    s.once('error', () => res(true));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the result has no ${what}`);
  return value;
}
const factsOf = (r: RehearsalResult) => must(r.facts, 'facts (the rehearsal did not run to its end)');

function expectCommon(r: RehearsalResult) {
  const unmet = r.kpis.filter((k) => !k.met);
  expect({ outcome: r.outcome, error: r.error, unmet }).toEqual({ outcome: 'met', error: undefined, unmet: [] });
  expect(r.facts?.lostWrites).toEqual([]);
  expect(r.facts?.acknowledgedWrites).toBeGreaterThan(0);
  expect(r.facts?.verify).toMatchObject({ identical: true, compared: ['public.items'] });
}

async function library(scenario: ScenarioName): Promise<RehearsalResult> {
  const started = Date.now();
  const r = await rehearse({ env: 'dev', scenario, root: ROOT });
  timings[scenario] = Date.now() - started;
  return r;
}

describe('bluegreen rehearse, every scenario', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'bluegreen-rehearse-e2e-'))));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`rehearsal e2e timings (s): ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}\n`);
  });

  it('happy, through the command line: exit 0, zero failed requests, the HTML report renders with nothing loaded', async () => {
    const report = join(dir, 'happy.html');
    const started = Date.now();
    const run = await cli(['rehearse', '--env', 'dev', '--scenario', 'happy', '--format', 'json', '--report', report, '--quiet']);
    timings['happy (command line)'] = Date.now() - started;
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: `report: ${report}\n` });
    const r = JSON.parse(run.stdout) as RehearsalResult;
    expectCommon(r);
    expect(r.facts?.requests.failed).toEqual([]);
    expect(r.facts?.stagesReached).toEqual([10, 25, 50, 75, 100]);
    expect(r.facts?.cutover).toMatchObject({ outcome: 'done', reverseRunning: true });
    // The report opened in the browser: required in CI (.ci/run installs it); elsewhere only when there is one.
    if (CHROMIUM_MISSING && process.env.CI === 'true') throw new Error(`CI=true: the report's browser check cannot run: ${CHROMIUM_MISSING}`);
    if (!CHROMIUM_MISSING) {
      const seen = await withPage(report, async (page, s) => ({ ...s, series: await page.locator('svg#timeline path.series').count() }));
      expect(seen).toEqual({ consoleErrors: [], requests: [], series: expect.any(Number) });
      expect(seen.series).toBeGreaterThanOrEqual(5);
    }
    expect(readFileSync(report, 'utf8')).toContain('every KPI met');
  });

  it('bad-green: the watch rolls back on its own; only requests green served before it fail; within the interval + 5 s', async () => {
    const r = await library('bad-green');
    expectCommon(r);
    const rb = must(factsOf(r).rollback, 'rollback');
    expect(rb.reasons.join()).toMatch(/5xx rate/);
    expect(rb.stage).toBeGreaterThanOrEqual(25);
    expect(factsOf(r).requests.failed.length).toBeGreaterThan(0);
    for (const f of factsOf(r).requests.failed) {
      expect(f.servedBy).toBe('green');
      expect(f.start).toBeLessThanOrEqual(rb.t);
    }
    expect(rb.t - must(rb.firstBadSignalT, 'first 5xx time')).toBeLessThanOrEqual(factsOf(r).watchIntervalMs + 5000);
  });

  it('slow-green: rollback with the latency reason', async () => {
    const r = await library('slow-green');
    expectCommon(r);
    expect(must(factsOf(r).rollback, 'rollback').reasons.join()).toMatch(/p95 latency/);
  });

  it('breaking-schema: the first shift is refused by the schema gate', async () => {
    const r = await library('breaking-schema');
    expectCommon(r);
    expect(factsOf(r).gateRefusal).toMatchObject({ gate: 'schema', stage: 10 });
    expect(factsOf(r).requests.servedBy.green).toBe(0);
  });

  it('rollback-after-cutover: every write made since cutover is on the old database', async () => {
    const r = await library('rollback-after-cutover');
    expectCommon(r);
    expect(factsOf(r).databaseOfRecord).toBe('old');
    const w = must(factsOf(r).writesSinceCutover, 'writes since cutover');
    expect(w.acknowledged).toBeGreaterThan(0);
    expect(w.onOld).toBe(w.acknowledged);
    expect(factsOf(r).requests.failed).toEqual([]);
  });

  it('Ctrl-C: exit 2 and every stand-in stopped (app processes, proxy, both PostgreSQL servers)', async () => {
    let sent = false;
    const run = await cli(['rehearse', '--env', 'dev', '--scenario', 'happy'], (text, child) => {
      if (!sent && /stage +listener: blue 90/.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('could not run the rehearsal: interrupted');
    const pids = [...run.stderr.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    const ports = [...run.stderr.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    expect(ports).toHaveLength(3);
    expect(pids.filter(alive)).toEqual([]);
    for (const p of ports) expect(await refused(p)).toBe(true);
  });
});
