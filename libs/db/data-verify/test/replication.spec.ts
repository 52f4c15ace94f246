// Verification under REAL PostgreSQL logical replication: two embedded servers, a publication on the source and a
// subscription on the target, a writer inserting and updating on the source while data verify runs. Rows in flight
// differ at first and converge on a recheck (identical, reported apart as converged); with the subscription
// disabled, the real differences are reported as different.
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { Client } from 'pg';
import { verifyData, type VerifyProgress } from '../src';

jest.setTimeout(240_000);
const LOGICAL = { wal_level: 'logical', max_replication_slots: 10, max_wal_senders: 10, max_logical_replication_workers: 8 };

let publisher: TestPostgres;
let subscriber: TestPostgres;
beforeAll(async () => {
  // Two clusters: a subscription to a database of its own cluster would wait forever for its slot.
  [publisher, subscriber] = await Promise.all([startPostgres({ settings: LOGICAL }), startPostgres({ settings: LOGICAL, dedicated: true })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([publisher?.stop(), subscriber?.stop()]);
});

const TABLES = `CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(14,2) NOT NULL, updated timestamptz NOT NULL);
  CREATE TABLE ledger (id bigint PRIMARY KEY, account bigint NOT NULL, amount numeric(14,2) NOT NULL)`;
const ROWS = `INSERT INTO accounts SELECT g, 'owner-' || g, g, timestamptz '2025-01-01Z' + g * interval '1 minute' FROM generate_series(1, 20000) g;
  INSERT INTO ledger SELECT g, g % 20000 + 1, g / 10.0 FROM generate_series(1, 20000) g`;

async function query<T extends object = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A source database published to a target database on the other server, initial copy done. */
async function replicated(): Promise<{ source: string; target: string; sub: string }> {
  const source = await publisher.createDatabase('rep_src');
  const target = await subscriber.createDatabase('rep_tgt');
  await publisher.exec(source, `${TABLES}; ${ROWS}; CREATE PUBLICATION verify_pub FOR TABLE accounts, ledger`);
  await subscriber.exec(target, TABLES);
  const u = new URL(source);
  const sub = `sub_${new URL(target).pathname.slice(1)}`;
  const conninfo = `host=${u.hostname} port=${u.port} dbname=${u.pathname.slice(1)} user=${decodeURIComponent(u.username)} password=${decodeURIComponent(u.password)}`;
  await subscriber.exec(target, `CREATE SUBSCRIPTION ${sub} CONNECTION '${conninfo}' PUBLICATION verify_pub`);
  await until('the initial copy', async () => {
    const rows = await query<{ n: string }>(target, "SELECT count(*) AS n FROM pg_subscription_rel WHERE srsubstate <> 'r'");
    return rows[0].n === '0';
  });
  return { source, target, sub };
}

/** Inserts and updates on the source until stopped (each statement its own transaction). */
function writer(url: string): { stop: () => Promise<number> } {
  let running = true;
  let writes = 0;
  const done = (async () => {
    const c = new Client({ connectionString: url });
    await c.connect();
    let next = 1_000_000;
    try {
      while (running) {
        const id = 1 + Math.floor(Math.random() * 20000);
        await c.query('UPDATE accounts SET balance = balance + 1, updated = now() WHERE id = $1', [id]);
        await c.query('INSERT INTO ledger VALUES ($1, $2, 1)', [next++, id]);
        writes += 2;
        await new Promise((r) => setTimeout(r, 2));
      }
    } finally {
      await c.end();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return writes;
    },
  };
}

describe('verifyData under PostgreSQL logical replication', () => {
  it('rechecks chunks that differ while replication catches up: they converge and the result is identical', async () => {
    const { source, target, sub } = await replicated();
    // Replication lag made certain: the subscription is paused while rows change on the source, and resumes only
    // after both snapshots are taken, so the first pass sees those rows differ.
    await subscriber.exec(target, `ALTER SUBSCRIPTION ${sub} DISABLE`);
    await publisher.exec(source, `UPDATE accounts SET balance = 0 WHERE id IN (5, 10005, 19999); INSERT INTO ledger VALUES (900000, 1, 1); DELETE FROM ledger WHERE id = 77`);
    const w = writer(source);
    let resumed = false;
    const phases = new Set<string>();
    try {
      const r = await verifyData({
        source,
        target,
        chunkSize: 1000,
        recheck: { count: 8, delayMs: 750 },
        onProgress: async (p: VerifyProgress) => {
          phases.add(p.phase);
          if (p.phase === 'hash' && !resumed) {
            resumed = true;
            await subscriber.exec(target, `ALTER SUBSCRIPTION ${sub} ENABLE`);
          }
        },
      });
      expect(resumed).toBe(true);
      expect(phases).toContain('recheck');
      expect(r.tables.map((t) => [t.table, t.status, t.differences])).toEqual([
        ['public.accounts', 'identical', []],
        ['public.ledger', 'identical', []],
      ]);
      expect(r.identical).toBe(true);
      // The chunks holding the changed rows differed at first and converged: reported apart, not as differences.
      const converged = r.tables.reduce((n, t) => n + t.converged, 0);
      expect(converged).toBeGreaterThanOrEqual(3);
      expect(r.convergedChunks.map((c) => c.table)).toEqual(expect.arrayContaining(['public.accounts', 'public.ledger']));
      expect(r.convergedChunks.every((c) => c.attempts >= 1 && /^id (>=|<) /.test(c.range))).toBe(true);
    } finally {
      expect(await w.stop()).toBeGreaterThan(0);
    }
  });

  it('with replication stopped, reports the real differences as different after every recheck', async () => {
    const { source, target, sub } = await replicated();
    await subscriber.exec(target, `ALTER SUBSCRIPTION ${sub} DISABLE`);
    await publisher.exec(source, `UPDATE accounts SET owner = 'changed' WHERE id = 4242; DELETE FROM ledger WHERE id = 9; INSERT INTO ledger VALUES (800000, 2, 2)`);
    const r = await verifyData({ source, target, chunkSize: 1000, recheck: { count: 2, delayMs: 200 } });
    expect(r.identical).toBe(false);
    expect(r.stats.recheckRounds).toBe(2);
    const by = Object.fromEntries(r.tables.map((t) => [t.table, t]));
    expect(by['public.accounts']).toMatchObject({ status: 'different', converged: 0, differences: [{ key: { id: '4242' }, kind: 'changed' }] });
    expect(by['public.ledger']).toMatchObject({
      status: 'different',
      converged: 0,
      differences: [
        { key: { id: '9' }, kind: 'missing_in_source' },
        { key: { id: '800000' }, kind: 'missing_in_target' },
      ],
    });
    expect(r.convergedChunks).toEqual([]);
  });
});
