import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(240_000); // each case spawns the real command line; a loaded machine makes that slow
const BIN = join(__dirname, '..', 'bin', 'bluegreen.js');

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => pg?.stop());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command line (`node apps/cli/bin/bluegreen.js data verify …`) as a user would. */
function bluegreen(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function pair(common: string, target = ''): Promise<{ source: string; target: string }> {
  const [s, t] = await Promise.all([pg.createDatabase('cli_src'), pg.createDatabase('cli_tgt')]);
  await pg.exec(s, common);
  await pg.exec(t, common + ';' + target);
  return { source: s, target: t };
}

const SCHEMA = `CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2), note text);
  INSERT INTO orders SELECT g, g, 'n' || g FROM generate_series(1, 2000) g;
  CREATE TABLE audit (at text, what text)`;

describe('bluegreen data verify', () => {
  it('exits 0 with the documented JSON when the data is identical', async () => {
    const db = await pair(SCHEMA);
    const run = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target, '--format', 'json']);
    expect(run.stderr).toBe(''); // not a TTY: no progress bar
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      identical: true,
      complete: true,
      compared: ['public.audit', 'public.orders'],
      tables: [
        { table: 'public.audit', status: 'identical', sourceRows: 0, targetRows: 0, differences: [], converged: 0, coverage: { units: 1, done: '0' } },
        { table: 'public.orders', status: 'identical', sourceRows: 2000, targetRows: 2000, differences: [], converged: 0 },
      ],
      convergedChunks: [],
      warnings: ['public.audit: no primary key; compared as a multiset of whole rows (duplicates counted)'],
    });
    expect(out.source).toMatch(/^127\.0\.0\.1:\d+\/cli_src_/);
    expect(JSON.stringify(out)).not.toContain(new URL(db.source).password);
  });

  it('exits 1 and lists the differing rows (json and text)', async () => {
    const db = await pair(SCHEMA, `UPDATE orders SET note = '' WHERE id = 1; UPDATE orders SET note = NULL WHERE id = 2000; DELETE FROM orders WHERE id = 7`);
    const json = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target, '--format', 'json', '--table', 'orders', '--chunk-size', '100', '--parallel', '1']);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out.identical).toBe(false);
    expect(out.tables).toMatchObject([
      {
        table: 'public.orders',
        status: 'different',
        sourceRows: 2000,
        targetRows: 1999,
        differences: [
          { key: { id: '1' }, kind: 'changed' },
          { key: { id: '7' }, kind: 'missing_in_target' },
          { key: { id: '2000' }, kind: 'changed' },
        ],
      },
    ]);
    const text = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/public\.orders\s+different\s+2000\s+1999/);
    expect(text.stdout).toContain('missing in target  id="7"');
    expect(text.stdout).toContain('DIFFERENT: 1 of 2 tables differ.');
  });

  it('exits 2 on a wrong password, without echoing it', async () => {
    const db = await pair(SCHEMA);
    const wrong = new URL(db.target);
    wrong.password = 'not-the-password-123';
    const run = await bluegreen(['data', 'verify', '--source', db.source, '--target', wrong.toString(), '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('could not verify');
    expect(run.stderr).toContain('28P01');
    expect(run.stderr + run.stdout).not.toContain('not-the-password-123');
    expect(JSON.parse(run.stdout)).toMatchObject({ identical: false, error: { kind: 'authentication', code: '28P01' } });
  });

  it('exits 2 on an unreachable host (URLs from the environment)', async () => {
    const db = await pair(SCHEMA);
    const run = await bluegreen(['data', 'verify', '--connect-timeout', '5'], { BLUEGREEN_SOURCE_URL: db.source, BLUEGREEN_TARGET_URL: 'postgres://app:pw@127.0.0.1:1/app' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/could not verify: .*connection refused/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a table that exists nowhere and 64 for a bad option', async () => {
    const db = await pair(SCHEMA);
    const missing = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target, '--table', 'public.nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('table "public.nope" exists in neither the source nor the target');
    const usage = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target, '--parallel', 'many']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain('--parallel must be an integer 1-64, got "many"');
  });

  it('exits 2 "nothing to compare" when every table is filtered out by --exclude-schema', async () => {
    const db = await pair(SCHEMA);
    const filtered = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target, '--exclude-schema', 'public', '--format', 'json']);
    expect(filtered.code).toBe(2);
    expect(filtered.stderr).toContain('nothing to compare: every table is in an excluded schema (excluded: public; tables: public.audit, public.orders)');
    expect(JSON.parse(filtered.stdout)).toMatchObject({ identical: false, compared: [], error: { kind: 'nothing-to-compare' } });
  });

  it('exits 2 "nothing to compare" when neither side has a user table, 0 only with --allow-empty', async () => {
    const empty = await pair('');
    const none = await bluegreen(['data', 'verify', '--source', empty.source, '--target', empty.target]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nothing to compare: neither the source nor the target has a user table');
    expect(none.stdout).not.toContain('IDENTICAL');

    const accepted = await bluegreen(['data', 'verify', '--source', empty.source, '--target', empty.target, '--allow-empty']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('compared 0 tables (an empty comparison was explicitly accepted)');
  });

  it('names the tables it compared, in text and JSON', async () => {
    const db = await pair(SCHEMA);
    const json = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target, '--format', 'json', '--table', 'orders']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).compared).toEqual(['public.orders']);
    const text = await bluegreen(['data', 'verify', '--source', db.source, '--target', db.target]);
    expect(text.stdout).toContain('compared 2 tables: public.audit, public.orders');
  });
});
