/**
 * Benchmark for `bluegreen data verify`, every number measured side by side in one run.
 *
 *   npm run bench:data                                   # 1,000,000 rows per side + the 10,000,000-row memory run
 *   BENCH_ROWS=200000 BENCH_BIG_ROWS=0 npm run bench:data   # quick look, no memory run
 *   BENCH_RUNS=9 npm run bench:data                      # more rounds (default 5)
 *
 * On the embedded PostgreSQL 16 (or BLUEGREEN_TEST_DATABASE_URL): two databases, each with one identical
 * 5-column table. Measures:
 *   floor      one `SELECT sum(hashtextextended(t::text, 0)) FROM orders t` per side, both sides at once: the
 *              least any checksum of the two tables can cost;
 *   identical  `verifyData` of the two identical tables (defaults: 2 connections per side, 10,000-row chunks);
 *   changed    `verifyData` after changing one row in the target (must find exactly that row);
 *   resume     a run aborted when half of its chunks are done, then the rerun with the same checkpoint, against
 *              one uninterrupted run: time and rows hashed;
 *   memory     peak RSS of the real command line (`bluegreen data verify`, its own process) on BENCH_BIG_ROWS rows.
 * Every round runs floor, identical, changed and resumed back to back (the machine is shared: neighbours in time see
 * the same load); each ratio is the median of the per-round ratios.
 * Targets: identical <= 1.3 x floor; changed <= 1.5 x identical; resume total <= 1.1 x one run; memory <= 200 MB.
 * Exit code 1 when a target or a check fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyData, type VerifyResult } from '@bluegreen/data-verify';
import { startPostgres } from '@bluegreen/testing-postgres';
import { execSql, timed } from './timing';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const runs = (all: number[]) => `[runs: ${all.map((m) => m.toFixed(0)).join(', ')}]`;
const ddl = (rows: number) => `CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), created_at timestamptz NOT NULL, details jsonb);
  INSERT INTO orders SELECT g, 'customer-' || (g % 9973), (g % 100000) / 100.0, timestamptz '2024-01-01 00:00Z' + g * interval '1 second',
                            jsonb_build_object('sku', 'SKU' || (g % 501), 'qty', g % 7)
    FROM generate_series(1, ${rows}) g`;
const FLOOR = 'SELECT sum(hashtextextended(t::text, 0)) FROM orders t';

async function load(urls: string[], rows: number): Promise<number> {
  const t = await timed(() =>
    Promise.all(
      urls.map(async (url) => {
        await execSql(url, ddl(rows));
        await execSql(url, 'VACUUM ANALYZE orders');
      }),
    ),
  );
  return t.ms;
}

/** Peak RSS (MiB) of the real command line verifying the two databases, in its own process. */
function cliPeakRss(source: string, target: string): Promise<{ mib: number; code: number | null; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const probe = join(dir, 'probe.cjs');
  const out = join(dir, 'rss');
  writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', probe, join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'bluegreen.js'), 'data', 'verify', '--format', 'json'], {
      env: { ...process.env, BLUEGREEN_SOURCE_URL: source, BLUEGREEN_TARGET_URL: target },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const kib = Number(readFileSync(out, 'utf8'));
      rmSync(dir, { recursive: true, force: true });
      resolve({ mib: kib / 1024, code, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

async function resumeRun(source: string, target: string): Promise<{ ms: number; rerunMs: number; result: VerifyResult; abortedAt: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ckpt-'));
  const checkpoint = join(dir, 'verify.ckpt');
  try {
    const abort = new AbortController();
    let abortedAt = 0;
    const first = await timed(() =>
      verifyData({
        source,
        target,
        checkpoint,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.phase === 'hash' && p.unitsDone >= p.unitsTotal / 2 && !abort.signal.aborted) {
            abortedAt = p.unitsDone / p.unitsTotal;
            abort.abort();
          }
        },
      }).then(
        () => {
          throw new Error('the first run was expected to be interrupted');
        },
        (err: unknown) => err,
      ),
    );
    if (!(first.value instanceof Error) || first.value.name !== 'VerifyAbortedError') throw first.value;
    const second = await timed(() => verifyData({ source, target, checkpoint }));
    return { ms: first.ms + second.ms, rerunMs: second.ms, result: second.value, abortedAt };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs the measured things back to back, `rounds` times, so each round's numbers share the machine's load of that
 * moment (this machine is shared); the ratios are the medians of the per-round ratios.
 */
async function rounds<K extends string>(n: number, fns: Record<K, () => Promise<unknown>>): Promise<Record<K, number[]>> {
  const out = Object.fromEntries(Object.keys(fns).map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let r = 0; r < n; r++) {
    for (const k of Object.keys(fns) as K[]) out[k].push((await timed(fns[k])).ms);
  }
  return out;
}

async function main(): Promise<number> {
  const pg = await startPostgres();
  let ok = true;
  const verdict = (pass: boolean) => {
    ok &&= pass;
    return pass ? 'PASS' : 'FAIL';
  };
  try {
    const [source, target] = await Promise.all([pg.createDatabase('bench_src'), pg.createDatabase('bench_tgt')]);
    const loadMs = await load([source, target], ROWS);
    // A third database: the target with one row changed (a copy of its files), so identical and changed alternate.
    const changedName = `bench_chg_${Date.now()}`;
    await execSql(pg.adminUrl, `CREATE DATABASE ${changedName} TEMPLATE ${new URL(target).pathname.slice(1)} STRATEGY FILE_COPY`);
    const changedTarget = Object.assign(new URL(target), { pathname: `/${changedName}` }).toString();
    const changedId = Math.floor(ROWS / 2) + 17;
    await execSql(changedTarget, `UPDATE orders SET amount = amount + 0.01 WHERE id = ${changedId}`);
    console.log(`server: ${pg.origin}; rows per side: ${ROWS.toLocaleString('en-US')}; rounds: ${RUNS} (each measures everything back to back)`);
    console.log(`load (both tables, parallel): ${fmt(loadMs)}`);

    // Warm both tables into shared buffers / OS cache so the first measured thing is not penalised.
    await Promise.all([execSql(source, FLOOR), execSql(target, FLOOR), execSql(changedTarget, FLOOR)]);
    let lastIdentical: VerifyResult | undefined;
    let lastChanged: VerifyResult | undefined;
    let lastResume: Awaited<ReturnType<typeof resumeRun>> | undefined;
    const t = await rounds(RUNS, {
      floor: () => Promise.all([execSql(source, FLOOR), execSql(target, FLOOR)]),
      identical: async () => (lastIdentical = await verifyData({ source, target })),
      changed: async () => (lastChanged = await verifyData({ source, target: changedTarget })),
      resumed: async () => (lastResume = await resumeRun(source, target)),
    });
    if (!lastIdentical?.identical) throw new Error(`expected identical, got ${JSON.stringify(lastIdentical?.tables)}`);
    const diffs = lastChanged?.tables[0]?.differences ?? [];
    if (!(diffs.length === 1 && diffs[0].kind === 'changed' && diffs[0].key['id'] === String(changedId))) throw new Error(`expected exactly id ${changedId} changed, got ${JSON.stringify(diffs)}`);
    if (!lastResume?.result.identical) throw new Error('the resumed run did not find the tables identical');

    const per = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]));
    const r1 = per(t.identical, t.floor);
    const r2 = per(t.changed, t.identical);
    const r3 = per(t.resumed, t.identical);
    const show = (label: string, xs: number[]) => console.log(`${label.padEnd(62)} median ${fmt(median(xs))}   ${runs(xs)}`);
    show('floor: sum(hashtextextended(row::text, 0)) per side, both at once', t.floor);
    show('data verify, identical tables (defaults)', t.identical);
    show(`data verify, one changed row (found id ${changedId})`, t.changed);
    show(`data verify aborted at half its chunks + rerun with --checkpoint`, t.resumed);
    console.log(`ratio identical / floor          = ${r1.toFixed(2)}  (target <= 1.3)  ${verdict(r1 <= 1.3)}`);
    console.log(`ratio changed / identical        = ${r2.toFixed(2)}  (target <= 1.5)  ${verdict(r2 <= 1.5)}`);
    console.log(`ratio resumed total / one run    = ${r3.toFixed(2)}  (target <= 1.1)  ${verdict(r3 <= 1.1)}`);
    const rerun = lastResume.result.stats;
    console.log(
      `  (aborted at ${(lastResume.abortedAt * 100).toFixed(0)} %; the rerun took ${rerun.resumedUnits} of ${rerun.units} chunks from the checkpoint and hashed ${((100 * rerun.rowsHashed) / lastIdentical.stats.rowsHashed).toFixed(0)} % of one run's rows in ${fmt(lastResume.rerunMs).trim()})`,
    );

    if (BIG_ROWS > 0) {
      const [bigSource, bigTarget] = await Promise.all([pg.createDatabase('bench_big_src'), pg.createDatabase('bench_big_tgt')]);
      const bigLoad = await load([bigSource, bigTarget], BIG_ROWS);
      const rss = await cliPeakRss(bigSource, bigTarget);
      if (rss.code !== 0) throw new Error(`bluegreen data verify on ${BIG_ROWS} rows exited ${rss.code}`);
      console.log(`memory: ${BIG_ROWS.toLocaleString('en-US')} rows per side (load ${fmt(bigLoad).trim()}): bluegreen data verify took ${fmt(rss.ms).trim()}, peak RSS ${rss.mib.toFixed(0)} MiB  (target <= 200)  ${verdict(rss.mib <= 200)}`);
    }
    return ok ? 0 : 1;
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
