/**
 * Benchmark for `bluegreen data verify` (issue 7).
 *
 *   npm run bench:data                      # 1,000,000 rows (the size)
 *   BENCH_ROWS=200000 npm run bench:data    # smaller, for a quick look
 *
 * On the embedded PostgreSQL 16 (or BLUEGREEN_TEST_DATABASE_URL): two databases, each with one identical
 * 5-column table. Measures, in the same run:
 *   baseline  `SELECT sum(hashtext(t::text)) FROM t` once on each table (one query per table, one after the other:
 *             the time PostgreSQL takes to hash each whole table once);
 *   identical `verifyData` of the two identical tables;
 *   changed   `verifyData` after changing one row in the target (must find exactly that row).
 * Targets: identical <= 1.5 x baseline; changed <= 2 x identical. Exit code 1 when a target or a check fails.
 */
import { startPostgres } from '@bluegreen/testing-postgres';
import { best, execSql, timed } from './timing';
import { verifyData } from '@bluegreen/data-verify';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const bestOf = <T>(fn: () => Promise<T>) => best(fn, RUNS);




const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

async function main(): Promise<number> {
  const pg = await startPostgres();
  try {
    const source = await pg.createDatabase('bench_src');
    const target = await pg.createDatabase('bench_tgt');
    const ddl = `CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), created_at timestamptz NOT NULL, details jsonb);
      INSERT INTO orders SELECT g, 'customer-' || (g % 9973), (g % 100000) / 100.0, timestamptz '2024-01-01 00:00Z' + g * interval '1 second',
                                jsonb_build_object('sku', 'SKU' || (g % 501), 'qty', g % 7)
        FROM generate_series(1, ${ROWS}) g`;
    const load = await timed(() => Promise.all([source, target].map(async (url) => {
      await execSql(url, ddl);
      await execSql(url, 'VACUUM ANALYZE orders');
    })));
    console.log(`server: ${pg.origin}; rows per table: ${ROWS.toLocaleString('en-US')}; runs: ${RUNS} (best of)`);
    console.log(`load (both tables, parallel): ${fmt(load.ms)}`);

    // Warm both tables into shared buffers / OS cache so the first measured thing is not penalised.
    await Promise.all([execSql(source, 'SELECT sum(hashtext(t::text)) FROM orders t'), execSql(target, 'SELECT sum(hashtext(t::text)) FROM orders t')]);

    const baseline = await bestOf(async () => {
      await execSql(source, 'SELECT sum(hashtext(t::text)) FROM orders t');
      await execSql(target, 'SELECT sum(hashtext(t::text)) FROM orders t');
    });
    const single = await bestOf(() => execSql(source, 'SELECT sum(hashtext(t::text)) FROM orders t'));
    const identical = await bestOf(() => verifyData({ source, target }));
    if (!identical.value.identical) throw new Error(`expected identical, got ${JSON.stringify(identical.value.tables)}`);

    const changedId = Math.floor(ROWS / 2) + 17;
    await execSql(target, `UPDATE orders SET amount = amount + 0.01 WHERE id = ${changedId}`);
    const changed = await bestOf(() => verifyData({ source, target }));
    const diffs = changed.value.tables[0]?.differences ?? [];
    const found = diffs.length === 1 && diffs[0].kind === 'changed' && diffs[0].key['id'] === String(changedId);
    if (!found) throw new Error(`expected exactly id ${changedId} changed, got ${JSON.stringify(diffs)}`);

    const r1 = identical.ms / baseline.ms;
    const r2 = changed.ms / identical.ms;
    console.log(`baseline: hash each table once (source then target): ${fmt(baseline.ms)}   [runs: ${baseline.all.map((m) => m.toFixed(0)).join(', ')}]`);
    console.log(`          (one table alone:                           ${fmt(single.ms)})`);
    console.log(`data verify, identical tables:                        ${fmt(identical.ms)}   [runs: ${identical.all.map((m) => m.toFixed(0)).join(', ')}]`);
    console.log(`data verify, one changed row (found id ${changedId}):   ${fmt(changed.ms)}   [runs: ${changed.all.map((m) => m.toFixed(0)).join(', ')}]`);
    console.log(`ratio identical / baseline = ${r1.toFixed(2)}  (target <= 1.5)  ${r1 <= 1.5 ? 'PASS' : 'FAIL'}`);
    console.log(`ratio changed / identical  = ${r2.toFixed(2)}  (target <= 2.0)  ${r2 <= 2 ? 'PASS' : 'FAIL'}`);
    console.log(`(identical / one-table baseline = ${(identical.ms / single.ms).toFixed(2)}, for reference)`);
    return r1 <= 1.5 && r2 <= 2 ? 0 : 1;
  } finally {
    await pg.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench:data failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 2;
  },
);
