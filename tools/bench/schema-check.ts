/**
 * Benchmark for `bluegreen schema check` and the schema-validator Lambda.
 *
 *   npm run bench:schema                     # 2,000 tables per database (the size), plus 200 for the query count
 *   BENCH_TABLES=500 npm run bench:schema    # another size
 *
 * Each database: N tables of 12 columns, 2 indexes (primary key + one secondary) and 1 foreign key each; green is
 * blue plus a few changes. Measures, best of BENCH_RUNS:
 *   check     checkCompatibility(blue, green): both connections, both catalog reads (in parallel), the diff;
 *   pg_dump   `pg_dump --schema-only` of blue and of green, run in parallel (the same shape as the check) and one
 *             after the other; check and pg_dump runs alternate, side by side in one run, so load affects both.
 * Targets: check <= 3 s and <= 1.1 x pg_dump of both databases (in parallel); catalog queries the same at 200 and
 * at N tables (printed, with and without an application role); Lambda bundle < 1 MB; loading the bundled handler
 * < 150 ms. Exit code 1 when a target is missed.
 *
 * pg_dump refuses a server of a newer major version. The pg_dump used is $BLUEGREEN_PG_DUMP, else the one in
 * the PostgreSQL binaries on PATH or under /usr/lib/postgresql/<major>/bin; when its major version is older than
 * the embedded server's, the comparison runs on a second server started from pg_dump's own binaries (same major),
 * and the bench says so.
 */
import { checkCompatibility } from '@bluegreen/schema-compat';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { best, execSql, timed } from './timing';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

const TABLES = Number(process.env.BENCH_TABLES ?? 2000);
const SMALL = Number(process.env.BENCH_SMALL_TABLES ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const bestOf = <T>(fn: () => Promise<T>) => best(fn, RUNS);
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;




/** N tables: id, parent_id (FK to the previous table), 10 more columns; PK + one secondary index. */
function schemaSql(tables: number): string {
  const parts: string[] = ["CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');"];
  for (let i = 0; i < tables; i++) {
    const t = `t${String(i).padStart(5, '0')}`;
    const parent = i === 0 ? t : `t${String(i - 1).padStart(5, '0')}`;
    parts.push(
      `CREATE TABLE ${t} (id bigint PRIMARY KEY, parent_id bigint REFERENCES ${parent}(id), name varchar(80) NOT NULL, note text, amount numeric(12,2) DEFAULT 0, ` +
        `qty integer NOT NULL DEFAULT 1, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz, active boolean DEFAULT true, ` +
        `data jsonb, status status DEFAULT 'new', code char(8)); CREATE INDEX ${t}_name_idx ON ${t} (name);`,
    );
  }
  return parts.join('\n');
}

const GREEN_CHANGES = `ALTER TABLE t00010 DROP COLUMN note; ALTER TABLE t00020 ADD COLUMN extra text; ALTER TABLE t00030 ALTER COLUMN name TYPE varchar(120);
  ALTER TYPE status ADD VALUE 'cancelled'; CREATE INDEX t00040_qty_idx ON t00040 (qty); ALTER TABLE t00050 ALTER COLUMN updated_at SET NOT NULL;`;

interface Server {
  readonly label: string;
  readonly adminUrl: string;
  createDatabase(name: string, template?: string): Promise<string>;
  stop(): Promise<void>;
}

function fromTestPostgres(pg: TestPostgres, label: string): Server {
  return {
    label,
    adminUrl: pg.adminUrl,
    async createDatabase(name, template) {
      await execSql(pg.adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template ?? 'template0'} ${template ? 'STRATEGY FILE_COPY' : ''}`);
      const u = new URL(pg.adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop: () => pg.stop(),
  };
}

function majorOf(versionText: string): number {
  const m = /(\d+)(?:\.\d+)?/.exec(versionText);
  return m ? Number(m[1]) : 0;
}

/** pg_dump candidates: $BLUEGREEN_PG_DUMP, PATH, /usr/lib/postgresql/<major>/bin (newest first). */
function findPgDump(): { path: string; major: number } | undefined {
  const candidates: string[] = [];
  if (process.env.BLUEGREEN_PG_DUMP) candidates.push(process.env.BLUEGREEN_PG_DUMP);
  const which = spawnSync('which', ['pg_dump'], { encoding: 'utf8' });
  if (which.status === 0) candidates.push(which.stdout.trim());
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) for (const v of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(join(debian, v, 'bin', 'pg_dump'));
  const found = candidates
    .filter((p) => existsSync(p))
    .map((path) => ({ path, major: majorOf(spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.replace(/^\D+/, '')) }));
  // newest first; among equals, one with server binaries next to it (needed when it is older than the server)
  const withServer = (p: string) => (existsSync(join(dirname(p), 'postgres')) ? 1 : 0);
  return found.sort((a, b) => b.major - a.major || withServer(b.path) - withServer(a.path))[0];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A throwaway server from the binaries next to pg_dump (so pg_dump and server share a major version). */
async function startServerFrom(binDir: string, major: number): Promise<Server> {
  const base = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  chmodSync(base, 0o755);
  const data = join(base, 'data');
  mkdirSync(data, { mode: 0o700 });
  const root = userInfo().uid === 0;
  const owner = root ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : undefined;
  const sock = join(base, 'sock');
  mkdirSync(sock);
  if (owner) {
    chownSync(data, owner.uid, owner.gid);
    chownSync(sock, owner.uid, owner.gid);
  }
  const pw = join(base, 'pw');
  writeFileSync(pw, 'bench\n', { mode: 0o644 });
  execFileSync(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pw}`, '--locale=C.UTF-8', '--encoding=UTF8', '--no-sync'], { ...(owner ?? {}), stdio: 'ignore' });
  const port = await freePort();
  const server = spawn(join(binDir, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${sock}`, '-c', 'fsync=off', '-c', 'full_page_writes=off'], { ...(owner ?? {}), stdio: 'ignore' });
  const adminUrl = `postgres://postgres:bench@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    try {
      await execSql(adminUrl, 'SELECT 1');
      break;
    } catch (err) {
      if (i > 300) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    label: `PostgreSQL ${major} from ${binDir}`,
    adminUrl,
    async createDatabase(name, template) {
      await execSql(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template ?? 'template0'}${template && major >= 15 ? ' STRATEGY FILE_COPY' : ''}`);
      return adminUrl.replace(/\/postgres$/, `/${name}`);
    },
    async stop() {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGINT');
      await exited;
      rmSync(base, { recursive: true, force: true });
    },
  };
}

async function prepare(server: Server, tables: number, tag: string): Promise<{ blue: string; green: string }> {
  await execSql(server.adminUrl, APP_ROLE_SQL);
  const blue = await server.createDatabase(`bench_${tag}_blue`);
  await execSql(blue, `${schemaSql(tables)} ${APP_GRANTS_SQL}`);
  const green = await server.createDatabase(`bench_${tag}_green`, `bench_${tag}_blue`);
  await execSql(green, GREEN_CHANGES);
  await Promise.all([execSql(blue, 'ANALYZE'), execSql(green, 'ANALYZE')]);
  return { blue, green };
}

const check = (blue: string, green: string, appRole?: string) => checkCompatibility({ blue: { url: blue, statementTimeoutMs: 60_000 }, green: { url: green, statementTimeoutMs: 60_000 }, appRole });

/** The role an application would connect as: SELECT/INSERT/UPDATE/DELETE on every table, granted through a group. */
const APP_ROLE_SQL = `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_app') THEN CREATE ROLE bench_app; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_writers') THEN CREATE ROLE bench_writers; END IF;
END $$; GRANT bench_writers TO bench_app;`;
const APP_GRANTS_SQL = 'GRANT USAGE ON SCHEMA public TO bench_writers; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bench_writers;';

function pgDump(pgDumpPath: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(pgDumpPath, ['--schema-only', '--no-owner', '-f', '/dev/null', url], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`pg_dump exited ${code}: ${err.trim()}`))));
  });
}

async function main(): Promise<number> {
  const failures: string[] = [];
  const target = (ok: boolean, text: string) => {
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
    if (!ok) failures.push(text);
  };

  const pg = await startPostgres();
  const main = fromTestPostgres(pg, pg.origin);
  let other: Server | undefined;
  try {
    const version = await (async () => {
      const c = new Client({ connectionString: main.adminUrl });
      await c.connect();
      const v = (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
      await c.end();
      return v;
    })();
    console.log(`server: ${main.label} (PostgreSQL ${version}); ${TABLES} tables per database (12 columns, 2 indexes, 1 FK each); best of ${RUNS}`);
    console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at start`);

    const small = await timed(() => prepare(main, SMALL, 's'));
    const large = await timed(() => prepare(main, TABLES, 'l'));
    console.log(`setup: ${SMALL} tables ${fmt(small.ms)}, ${TABLES} tables ${fmt(large.ms)} (blue; green copied from it and changed)`);

    const smallCheck = await bestOf(() => check(small.value.blue, small.value.green));
    const largeCheck = await bestOf(() => check(large.value.blue, large.value.green));
    console.log(`check ${String(SMALL).padStart(5)} tables: ${fmt(smallCheck.ms)}  (runs: ${smallCheck.all.map((x) => x.toFixed(0)).join(', ')} ms) catalog queries per database: ${smallCheck.value.catalogQueries}; changes: ${smallCheck.value.summary.total} (${smallCheck.value.summary.incompatible} incompatible)`);
    console.log(`check ${String(TABLES).padStart(5)} tables: ${fmt(largeCheck.ms)}  (runs: ${largeCheck.all.map((x) => x.toFixed(0)).join(', ')} ms) catalog queries per database: ${largeCheck.value.catalogQueries}; changes: ${largeCheck.value.summary.total} (${largeCheck.value.summary.incompatible} incompatible)`);
    target(largeCheck.ms <= 3000, `whole check of ${TABLES} + ${TABLES} tables within 3 s: ${largeCheck.ms.toFixed(0)} ms`);
    target(smallCheck.value.catalogQueries === largeCheck.value.catalogQueries, `catalog queries do not grow with the table count: ${smallCheck.value.catalogQueries} at ${SMALL} tables, ${largeCheck.value.catalogQueries} at ${TABLES}`);
    target(largeCheck.value.summary.incompatible === 2 && largeCheck.value.changes.some((c) => c.object === 'public.t00010.note'), 'the check finds the planted changes (dropped column, NOT NULL added)');
    const withRole = await bestOf(() => check(large.value.blue, large.value.green, 'bench_app'));
    const smallWithRole = await check(small.value.blue, small.value.green, 'bench_app');
    console.log(`check ${String(TABLES).padStart(5)} tables with --app-role: ${fmt(withRole.ms)}  (runs: ${withRole.all.map((x) => x.toFixed(0)).join(', ')} ms) catalog queries per database: ${withRole.value.catalogQueries} (${smallWithRole.catalogQueries} at ${SMALL} tables)`);
    target(smallWithRole.catalogQueries === withRole.value.catalogQueries, `catalog queries with an application role do not grow either: ${smallWithRole.catalogQueries} at ${SMALL} tables, ${withRole.value.catalogQueries} at ${TABLES}`);

    const dump = findPgDump();
    if (!dump) {
      target(false, 'pg_dump comparison: no pg_dump found (set BLUEGREEN_PG_DUMP)');
    } else {
      let dumpServer: Server | undefined = main;
      let blue = large.value.blue;
      let green = large.value.green;
      const serverMajor = majorOf(version);
      console.log(`pg_dump: ${dump.path} (PostgreSQL ${dump.major})`);
      if (dump.major < serverMajor) {
        // pg_dump refuses a newer server; compare on a server of pg_dump's own version instead (same schema, same check)
        console.log(`pg_dump ${dump.major} cannot dump a PostgreSQL ${serverMajor} server (it refuses newer majors): the comparison runs on a second server started from pg_dump's own binaries.`);
        const binDir = dirname(dump.path);
        if (existsSync(join(binDir, 'postgres')) && existsSync(join(binDir, 'initdb'))) {
          other = await startServerFrom(binDir, dump.major);
          dumpServer = other;
          console.log(`comparison server: ${other.label}`);
          const dbs = await prepare(other, TABLES, 'l');
          blue = dbs.blue;
          green = dbs.green;
        } else {
          target(false, `pg_dump comparison: pg_dump ${dump.major} is older than the server (${serverMajor}) and no server binaries sit next to it; set BLUEGREEN_PG_DUMP`);
          dumpServer = undefined;
        }
      }
      if (dumpServer) {
        // side by side: check and pg_dump alternate on the same databases, so the machine's load hits both alike
        const checks: number[] = [];
        const parallel: number[] = [];
        const sequential: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          checks.push((await timed(() => check(blue, green))).ms);
          parallel.push((await timed(() => Promise.all([pgDump(dump.path, blue), pgDump(dump.path, green)]))).ms);
          sequential.push((await pgDump(dump.path, blue)) + (await pgDump(dump.path, green)));
        }
        const [c, p, q] = [Math.min(...checks), Math.min(...parallel), Math.min(...sequential)];
        const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
        console.log(`on ${dumpServer.label}, ${TABLES} + ${TABLES} tables, best of ${RUNS}, alternating:`);
        console.log(`  check (both databases, in parallel):                     ${fmt(c)}  (runs: ${runs(checks)} ms)`);
        console.log(`  pg_dump --schema-only, blue and green in parallel:       ${fmt(p)}  (runs: ${runs(parallel)} ms)`);
        console.log(`  pg_dump --schema-only, blue then green (sum of the two): ${fmt(q)}  (runs: ${runs(sequential)} ms)`);
        target(c <= 1.1 * p, `check within 1.1 x pg_dump --schema-only of both databases (in parallel): ${c.toFixed(0)} ms vs 1.1 x ${p.toFixed(0)} = ${(1.1 * p).toFixed(0)} ms (ratio ${(c / p).toFixed(2)}; vs the sum of the two dumps: ${(c / q).toFixed(2)})`);
      }
    }

    // the app's own build (apps/schema-validator/build.ts), as `nx build` runs it
    const repo = join(__dirname, '..', '..');
    const outDir = join(repo, 'tmp', 'bench-schema-validator');
    execFileSync(join(repo, 'node_modules', '.bin', 'tsx'), ['--tsconfig', 'apps/schema-validator/tsconfig.json', 'apps/schema-validator/build.ts', 'tmp/bench-schema-validator'], { cwd: repo, stdio: 'ignore' });
    const bundle = { outDir, file: join(outDir, 'index.js'), bytes: statSync(join(outDir, 'index.js')).size };
    target(bundle.bytes < 1024 * 1024, `Lambda bundle within 1 MB: ${(bundle.bytes / 1024).toFixed(1)} KiB`);
    const loads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const out = execFileSync(process.execPath, ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(bundle.file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`], { encoding: 'utf8' });
      loads.push(Number(out));
    }
    loads.sort((a, b) => a - b);
    const median = loads[2];
    target(median < 150, `loading the bundled handler within 150 ms: median ${median.toFixed(1)} ms of 5 fresh processes (${loads.map((x) => x.toFixed(0)).join(', ')} ms)`);
    rmSync(bundle.outDir, { recursive: true, force: true });
  } finally {
    await other?.stop();
    await main.stop();
  }
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' / ')}`);
  console.log(failures.length === 0 ? '\nall targets met' : `\n${failures.length} target(s) missed`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
