// bluegreen data verify as a user runs it at scale: killed halfway and resumed with --checkpoint, four --shard
// workers merged with `data verify merge`, connection settings from the verify task's environment, and progress
// only on a terminal.
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { progressReporter } from '../src/commands/data';

jest.setTimeout(180_000);
const BIN = join(__dirname, '..', 'bin', 'bluegreen.js');
let pg: TestPostgres;
let dir: string;
beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'cli-dv-'));
}, 60_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await pg?.stop();
});

function bluegreen(args: string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}

const DDL = (rows: number) => `CREATE TABLE orders (id bigint PRIMARY KEY, note text, amount numeric(12,2));
  INSERT INTO orders SELECT g, repeat('n', 50) || g, g / 100.0 FROM generate_series(1, ${rows}) g;
  CREATE TABLE lines (id int PRIMARY KEY, sku text); INSERT INTO lines SELECT g, 's' || g FROM generate_series(1, 5000) g`;
async function pair(rows = 40_000): Promise<{ source: string; target: string }> {
  const [s, t] = await Promise.all([pg.createDatabase('cs_src'), pg.createDatabase('cs_tgt')]);
  await Promise.all([pg.exec(s, DDL(rows)), pg.exec(t, `${DDL(rows)}; UPDATE orders SET amount = 0 WHERE id IN (3, ${rows - 7}); DELETE FROM lines WHERE id = 4000`)]);
  return { source: s, target: t };
}
const verdict = (json: string) => {
  const r = JSON.parse(json);
  return { identical: r.identical, compared: r.compared, tables: r.tables.map((t: { coverage: unknown }) => ({ ...t, coverage: undefined })) };
};

describe('bluegreen data verify at scale', () => {
  it('killed halfway (SIGKILL), a rerun with the same --checkpoint gives the uninterrupted result', async () => {
    const db = await pair(200_000);
    const args = ['data', 'verify', '--source', db.source, '--target', db.target, '--format', 'json', '--chunk-size', '2000'];
    const whole = await bluegreen(args);
    expect(whole.code).toBe(1);

    const checkpoint = join(dir, 'killed.ckpt');
    const units = () => (existsSync(checkpoint) ? readFileSync(checkpoint, 'utf8').split('\n').filter((l) => l.startsWith('{"unit"')).length : 0);
    const killed = await bluegreen([...args, '--checkpoint', checkpoint], {}, (kill) => {
      const timer = setInterval(() => {
        if (units() >= 40) {
          clearInterval(timer);
          kill();
        }
      }, 5);
    });
    expect(killed.signal).toBe('SIGKILL');
    const recorded = units();
    expect(recorded).toBeGreaterThanOrEqual(40);
    expect(recorded).toBeLessThan(103);

    const resumed = await bluegreen([...args, '--checkpoint', checkpoint]);
    expect(resumed.code).toBe(1);
    expect(verdict(resumed.stdout)).toEqual(verdict(whole.stdout));
    expect(JSON.parse(resumed.stdout).stats.resumedUnits).toBe(recorded);
  });

  it('4 --shard workers, each with its own checkpoint, merged by data verify merge = one run (exit 1 both)', async () => {
    const db = await pair();
    const args = ['data', 'verify', '--source', db.source, '--target', db.target, '--format', 'json', '--chunk-size', '1000'];
    const whole = await bluegreen(args);
    const shards = await Promise.all([1, 2, 3, 4].map((i) => bluegreen([...args, '--shard', `${i}/4`, '--checkpoint', join(dir, `s${i}.ckpt`)])));
    const files = shards.map((s, i) => {
      const f = join(dir, `shard-${i + 1}.json`);
      writeFileSync(f, s.stdout);
      return f;
    });
    const merged = await bluegreen(['data', 'verify', 'merge', ...files, '--format', 'json']);
    expect(merged.code).toBe(whole.code);
    expect(verdict(merged.stdout)).toEqual(verdict(whole.stdout));
    const text = await bluegreen(['data', 'verify', 'merge', ...files]);
    expect(text.stdout).toContain('DIFFERENT: 2 of 2 tables differ.');
    const missing = await bluegreen(['data', 'verify', 'merge', ...files.slice(1)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard result(s) missing: 1/4');
    const one = await bluegreen([...args, '--shard', '1/4']);
    expect(one.stdout).toContain('"complete": false');
  });

  it('takes its connections from BLUEGREEN_{SOURCE,TARGET}_* (the verify task), and refuses a partial set by name', async () => {
    const db = await pair();
    const envOf = (prefix: string, url: string) => {
      const u = new URL(url);
      return { [`${prefix}_HOST`]: u.hostname, [`${prefix}_PORT`]: u.port, [`${prefix}_USER`]: u.username, [`${prefix}_PASSWORD`]: decodeURIComponent(u.password), [`${prefix}_DATABASE`]: u.pathname.slice(1) };
    };
    const env = { ...envOf('BLUEGREEN_SOURCE', db.source), ...envOf('BLUEGREEN_TARGET', db.target) };
    const run = await bluegreen(['data', 'verify', '--format', 'json', '--table', 'lines'], env);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).tables[0].differences).toEqual([{ key: { id: '4000' }, kind: 'missing_in_target' }]);
    const partial = await bluegreen(['data', 'verify'], { ...env, BLUEGREEN_TARGET_PASSWORD: '' });
    expect(partial.code).toBe(64);
    expect(partial.stderr).toContain('BLUEGREEN_TARGET_HOST is set but BLUEGREEN_TARGET_PASSWORD is not');
    expect(partial.stderr).not.toContain(decodeURIComponent(new URL(db.target).password));
  });
});

describe('progress', () => {
  const progress = { phase: 'hash' as const, done: 1, total: 3, unitsDone: 40, unitsTotal: 100, rowsDone: 400_000, rowsTotal: 1_000_000, hashed: { source: 41, target: 40 }, elapsedMs: 2000, etaMs: 3000 };
  it('draws rows, tables and ETA on a terminal', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let drawn = '';
    stream.on('data', (d: Buffer) => (drawn += d.toString()));
    const r = progressReporter(stream as unknown as NodeJS.WriteStream);
    r.onProgress?.(progress);
    r.onProgress?.({ ...progress, unitsDone: 41 });
    r.stop();
    expect(drawn).toContain('400,000/1,000,000 rows');
    expect(drawn).toContain('1/3 tables');
    expect(drawn).toContain('ETA 3s');
  });
  it('draws nothing when stderr is not a terminal (CI logs, pipes, JSON consumers)', () => {
    const stream = new PassThrough();
    let drawn = '';
    stream.on('data', (d: Buffer) => (drawn += d.toString()));
    const r = progressReporter(stream as unknown as NodeJS.WriteStream);
    expect(r.onProgress).toBeUndefined();
    r.stop();
    expect(drawn).toBe('');
  });
});
