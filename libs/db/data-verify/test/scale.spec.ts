// Data verify at scale, against a real PostgreSQL: both sides hashed at once and several key ranges of one table at
// a time, a run interrupted and resumed from its checkpoint, and four shards merged into the result of one run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { Client } from 'pg';
import { mergeResults, verifyData, VerifyAbortedError, VerifyInputError, type VerifyProgress, type VerifyResult } from '../src';

jest.setTimeout(180_000);
let pg: TestPostgres;
let dir: string;
beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'dv-scale-'));
}, 60_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await pg?.stop();
});

const DDL = `CREATE TABLE orders (id bigint PRIMARY KEY, customer text, amount numeric(12,2));
  INSERT INTO orders SELECT g, 'c' || g, g / 100.0 FROM generate_series(1, 40000) g;
  CREATE TABLE lines (order_id int, n int, sku text, PRIMARY KEY (order_id, n));
  INSERT INTO lines SELECT o, n, 's' || o || '-' || n FROM generate_series(1, 3000) o, generate_series(1, 4) n;
  CREATE TABLE events (kind text, at int);
  INSERT INTO events SELECT 'k' || (g % 7), g FROM generate_series(1, 500) g;
  CREATE TABLE tiny (id int PRIMARY KEY); INSERT INTO tiny VALUES (1), (2)`;
const CHANGES = `UPDATE orders SET amount = 0 WHERE id IN (7, 20000, 39999); DELETE FROM lines WHERE order_id = 1500 AND n = 2;
  INSERT INTO events VALUES ('extra', 1)`;

async function pair(target = CHANGES): Promise<{ source: string; target: string }> {
  const [s, t] = await Promise.all([pg.createDatabase('sc_src'), pg.createDatabase('sc_tgt')]);
  await Promise.all([pg.exec(s, DDL), pg.exec(t, `${DDL}; ${target}`)]);
  return { source: s, target: t };
}

/** The verdict part of a result: what any way of running the comparison must agree on. */
const verdict = (r: VerifyResult) => ({ identical: r.identical, compared: r.compared, tables: r.tables.map(({ coverage: _, ...t }) => t), warnings: [...r.warnings].sort() });

/** Holds an ACCESS EXCLUSIVE lock on a table until released: every read of it waits meanwhile. */
async function lockTable(url: string, table: string): Promise<{ release: () => Promise<void> }> {
  const c = new Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  await c.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await c.query('COMMIT');
      await c.end();
    },
  };
}

async function waitingVerifyBackends(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'bluegreen-data-verify' AND datname = current_database() AND wait_event_type = 'Lock'",
    );
    return Number(rows[0].n);
  } finally {
    await c.end();
  }
}

describe('verifyData at scale', () => {
  // (The source cannot be the blocked side here: planning has already read its tables inside the snapshot, and a
  // lock request would queue behind that transaction's own locks.)
  it('hashes both sides at once: with the target table locked, the source hashes all its chunks', async () => {
    const urls = await pair('');
    const blocked = 'target';
    const other = 'source';
    let lock: { release: () => Promise<void> } | undefined;
    let released = false;
    let maxAhead = 0;
    const r = await verifyData({
      ...urls,
      tables: ['orders'],
      chunkSize: 2000,
      parallel: 2,
      onProgress: async (p: VerifyProgress) => {
        if (p.phase === 'hash' && !lock) lock = await lockTable(urls[blocked], 'orders'); // planned, nothing hashed yet
        if (p.phase === 'hash' && !released) {
          maxAhead = Math.max(maxAhead, p.hashed[other] - p.hashed[blocked]);
          // The free side runs well ahead (more chunks than it has connections) while the blocked side has not
          // finished one: it does not wait for the other side per chunk.
          if (p.hashed[other] >= 10 && p.hashed[blocked] === 0) {
            released = true;
            await lock?.release();
          }
        }
      },
    });
    expect(released).toBe(true);
    expect(maxAhead).toBeGreaterThanOrEqual(10); // with 2 connections per side; 40,000 rows in 2,000-row chunks
    expect(r.identical).toBe(true);
  });

  it('hashes several key ranges of one table at once on one side (--parallel connections per side)', async () => {
    const urls = await pair('');
    let lock: { release: () => Promise<void> } | undefined;
    const run = verifyData({
      ...urls,
      tables: ['orders'],
      chunkSize: 2000,
      parallel: 3,
      onProgress: async (p) => {
        if (p.phase === 'hash' && !lock) lock = await lockTable(urls.target, 'orders'); // planned, nothing hashed yet
      },
    });
    while (!lock) await new Promise((r) => setTimeout(r, 10));
    // All three target connections end up waiting on the lock, each on its own chunk of the same table.
    let waiting = 0;
    for (let i = 0; i < 150 && waiting < 3; i++) {
      waiting = await waitingVerifyBackends(urls.target);
      if (waiting < 3) await new Promise((r) => setTimeout(r, 20));
    }
    await lock.release();
    expect(waiting).toBe(3);
    expect((await run).identical).toBe(true);
  });

  it('resumes an interrupted run from its checkpoint: same result, the finished chunks not hashed again', async () => {
    const urls = await pair();
    const whole = await verifyData({ ...urls, chunkSize: 1000 });
    expect(whole.identical).toBe(false);

    const checkpoint = join(dir, 'resume.ckpt');
    const abort = new AbortController();
    const first = await verifyData({
      ...urls,
      chunkSize: 1000,
      checkpoint,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'hash' && p.unitsDone >= p.unitsTotal / 2) abort.abort();
      },
    }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(VerifyAbortedError);
    expect((first as Error).message).toContain(`finished chunks are recorded in ${checkpoint}`);

    const resumed = await verifyData({ ...urls, chunkSize: 1000, checkpoint });
    expect(verdict(resumed)).toEqual(verdict(whole));
    expect(resumed.stats.resumedUnits).toBeGreaterThanOrEqual(Math.floor(whole.stats.units / 2));
    expect(resumed.stats.rowsHashed).toBeLessThan(whole.stats.rowsHashed * 0.6);
    // A finished checkpoint gives the same answer again without hashing anything.
    const again = await verifyData({ ...urls, chunkSize: 1000, checkpoint });
    expect(verdict(again)).toEqual(verdict(whole));
    expect(again.stats.rowsHashed).toBe(0);
  });

  it('keeps what a killed process wrote, drops a torn last line, and refuses a checkpoint of another comparison', async () => {
    const urls = await pair();
    const checkpoint = join(dir, 'torn.ckpt');
    const whole = await verifyData({ ...urls, chunkSize: 1000, checkpoint });
    const lines = readFileSync(checkpoint, 'utf8').split('\n').filter(Boolean);
    // Keep the header, the plans and half of the chunks, then half a line (a write cut short by a kill).
    const half = lines.slice(0, Math.ceil(lines.length / 2));
    writeFileSync(checkpoint, `${half.join('\n')}\n${lines[half.length].slice(0, 20)}`);
    const resumed = await verifyData({ ...urls, chunkSize: 1000, checkpoint });
    expect(verdict(resumed)).toEqual(verdict(whole));
    expect(resumed.stats.resumedUnits).toBeGreaterThan(0);

    await expect(verifyData({ ...urls, chunkSize: 500, checkpoint })).rejects.toThrow(/belongs to another comparison: chunkSize differs \(checkpoint: 1000; this run: 500\)/);
    const notOurs = join(dir, 'notes.txt');
    writeFileSync(notOurs, 'my notes\n');
    await expect(verifyData({ ...urls, checkpoint: notOurs })).rejects.toThrow(VerifyInputError);
    expect(readFileSync(notOurs, 'utf8')).toBe('my notes\n'); // never truncated
  });

  it('splits the chunks over 4 shards, disjoint and complete: their merge equals one run', async () => {
    const urls = await pair();
    const whole = await verifyData({ ...urls, chunkSize: 1000 });
    const shards = await Promise.all(
      [1, 2, 3, 4].map((i) => verifyData({ ...urls, chunkSize: 1000, shard: `${i}/4`, checkpoint: join(dir, `shard-${i}.ckpt`) })),
    );
    for (const s of shards) {
      expect(s.complete).toBe(false);
      expect(s.compared).toEqual(whole.compared);
    }
    const units = shards.map((s) => s.stats.units);
    expect(units.reduce((a, b) => a + b, 0)).toBe(whole.stats.units);
    expect(Math.min(...units)).toBeGreaterThan(0);
    const merged = mergeResults(shards.map((result, i) => ({ result, source: `shard-${i + 1}.json` })));
    expect(merged.complete).toBe(true);
    expect(verdict(merged)).toEqual(verdict(whole));
    expect(merged.tables.map((t) => t.coverage)).toEqual(whole.tables.map((t) => t.coverage));

    expect(() => mergeResults(shards.slice(0, 3).map((result, i) => ({ result, source: `shard-${i + 1}.json` })))).toThrow('shard result(s) missing: 4/4 (got 1/4, 2/4, 3/4)');
    expect(() => mergeResults([shards[0], shards[0], shards[1], shards[2]].map((result, i) => ({ result, source: `f${i}.json` })))).toThrow('shard 1/4 given twice (f0.json and f1.json)');
    // Shards that compared nothing merge to "nothing to compare", not to identical.
    const empty = shards.map((r) => ({ result: { ...r, compared: [], tables: [] }, source: 'x' })).map((x, i) => ({ ...x, source: `e${i}.json` }));
    expect(() => mergeResults(empty)).toThrow('nothing to compare: the shard results compared no table');
    expect(mergeResults(empty, { allowEmpty: true }).identical).toBe(true);
  });
});
