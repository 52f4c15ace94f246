import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { configContentHash, ConfigValidationError, parseConfigYaml, resolveService, validateEnvironmentConfigText, type Colour, type EnvironmentConfig } from '@bluegreen/config';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { otherColour, type Weights } from './stages';

/** One change to the config file: set a value, or delete the key when `value` is undefined. */
export interface ConfigEdit {
  readonly path: readonly string[];
  readonly value: string | number | undefined;
}

export interface AppliedEdit {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface EditResult {
  /** The new file text (comments and layout of untouched lines preserved). */
  readonly text: string;
  /** The re-validated config the new text describes. */
  readonly config: EnvironmentConfig;
  /** What changed, field by field (edits that set the same value are left out). */
  readonly changes: readonly AppliedEdit[];
}

function applyToDocument(doc: Document, edits: readonly ConfigEdit[], source: string): AppliedEdit[] {
  const changes: AppliedEdit[] = [];
  for (const edit of edits) {
    const parent = edit.path.length > 1 ? doc.getIn(edit.path.slice(0, -1), true) : doc.contents;
    if (parent !== undefined && !isMap(parent)) throw new ConfigValidationError(source, [{ field: edit.path.slice(0, -1).join('.'), message: 'must be a mapping in the config file to edit it' }]);
    const before = doc.getIn(edit.path, true);
    if (before !== undefined && !isScalar(before)) throw new ConfigValidationError(source, [{ field: edit.path.join('.'), message: 'must be a plain value in the config file to edit it (not a mapping, list or alias)' }]);
    const from = isScalar(before) ? before.value : undefined;
    if (from === edit.value) continue;
    if (edit.value === undefined) doc.deleteIn(edit.path);
    else doc.setIn(edit.path, edit.value);
    changes.push({ field: edit.path.join('.'), from, to: edit.value });
  }
  return changes;
}

function parseForEdit(text: string, source: string): Document {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigValidationError(source, doc.errors.map((e) => ({ field: '(yaml)', message: e.message })));
  return doc;
}

/**
 * Applies edits to an environment config's YAML text through the `yaml` Document API, so comments, key order and
 * quoting of everything else stay as reviewed. Re-validates the result with @bluegreen/config and throws
 * ConfigValidationError (listing every problem by field) rather than return an invalid config.
 */
export function applyConfigEdits(text: string, edits: readonly ConfigEdit[], source = 'environment config'): EditResult {
  const doc = parseForEdit(text, source);
  const changes = applyToDocument(doc, edits, source);
  if (changes.length === 0) return { text, config: validateEnvironmentConfigText(text, source), changes };
  // flowCollectionPadding false keeps `[a, b]` flow sequences exactly as written.
  const next = doc.toString({ flowCollectionPadding: false });
  return { text: next, config: validateEnvironmentConfigText(next, source), changes };
}

/** Result of an edit that checked only the fields it touched (see {@link applyWeightEdits}). */
export interface MinimalEditResult {
  readonly text: string;
  readonly changes: readonly AppliedEdit[];
}

/** Where a service's traffic settings live: `services.<service>.traffic`. */
export const trafficPath = (service: string): string[] => ['services', service, 'traffic'];

/** Is `path` a setting of one service's `traffic` (`services.<service>.traffic.<key>`)? */
const isServiceTraffic = (p: readonly string[]): boolean => p.length === 4 && p[0] === 'services' && p[2] === 'traffic';

/**
 * The last-resort edit: applies weight edits (`services.<service>.traffic.*`, `dns.weights.*`) with a minimal parse,
 * checking only what it touches (YAML syntax, each weight pair an integer 0-100 summing to 100, `traffic.live` a
 * colour), so a rollback works while unrelated parts of the file are invalid. Comments and layout are kept.
 */
export function applyWeightEdits(text: string, edits: readonly ConfigEdit[], source = 'environment config'): MinimalEditResult {
  const allowed = (p: readonly string[]) => isServiceTraffic(p) || (p[0] === 'dns' && p[1] === 'weights' && p.length === 3);
  const outside = edits.filter((e) => !allowed(e.path));
  if (outside.length > 0) throw new ConfigValidationError(source, outside.map((e) => ({ field: e.path.join('.'), message: "is not a service's traffic or a DNS weight setting: the minimal edit changes only those" })));
  const doc = parseForEdit(text, source);
  const changes = applyToDocument(doc, edits, source);
  const problems: { field: string; message: string }[] = [];
  const services = [...new Set(edits.filter((e) => isServiceTraffic(e.path)).map((e) => e.path[1]))];
  const pairs: (readonly [readonly string[], string, string])[] = [...services.map((name) => [trafficPath(name), 'blue', 'green'] as const), [['dns', 'weights'], 'legacy', 'aws']];
  for (const [prefix, a, b] of pairs) {
    if (!edits.some((e) => prefix.every((k, i) => e.path[i] === k))) continue;
    const value = (k: string) => doc.getIn([...prefix, k]);
    const [va, vb] = [value(a), value(b)];
    for (const [k, v] of [[a, va], [b, vb]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) problems.push({ field: [...prefix, k].join('.'), message: `must be 0-100, got ${JSON.stringify(v ?? null)}` });
    }
    if (typeof va === 'number' && typeof vb === 'number' && va + vb !== 100) problems.push({ field: prefix.join('.'), message: `${a} + ${b} weights must sum to 100, got ${va} + ${vb} = ${va + vb}` });
  }
  for (const name of services) {
    if (!edits.some((e) => isServiceTraffic(e.path) && e.path[1] === name && e.path[3] === 'live')) continue;
    const live = doc.getIn([...trafficPath(name), 'live']);
    if (live !== 'blue' && live !== 'green') problems.push({ field: [...trafficPath(name), 'live'].join('.'), message: `must be one of "blue", "green", got ${JSON.stringify(live ?? null)}` });
  }
  if (problems.length > 0) throw new ConfigValidationError(source, problems);
  return { text: changes.length === 0 ? text : doc.toString({ flowCollectionPadding: false }), changes };
}

// ----- transactions: lock, compare-and-swap, atomic write -----

/** Who holds an environment config's lock (written into the lock file). */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  readonly nonce: string;
}

/** The config is being edited by another command right now; the message names it. Retry in a moment. */
export class ConfigLockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: Partial<LockHolder> | undefined,
    readonly lockFile: string,
  ) {
    const who = holder?.command
      ? `'${holder.command}' (pid ${holder.pid ?? '?'} on ${holder.host ?? '?'}, since ${holder.since ?? '?'})`
      : 'another command (its lock file is still being written)';
    super(`${file} is being edited by ${who}: nothing was written; run the command again once it has finished (if that process is gone, remove ${lockFile})`);
    this.name = 'ConfigLockedError';
  }
}

/** The file changed after the command read it (another edit landed in between): nothing was written. */
export class ConfigConflictError extends Error {
  constructor(
    readonly file: string,
    readonly command: string,
    readonly expectedHash: string,
    readonly actualHash: string,
  ) {
    super(
      `${file} changed after '${command}' read it (another command, such as a rollback, edited it in between; read ${expectedHash.slice(0, 12)}, now ${actualHash.slice(0, 12)}): nothing was written; read the config again and re-run if the change still makes sense`,
    );
    this.name = 'ConfigConflictError';
  }
}

/** The config file is read-only: it is not replaced (someone made it so on purpose). */
export class ConfigReadOnlyError extends Error {
  constructor(
    readonly file: string,
    readonly mode: number,
  ) {
    super(`${file} is read-only (mode ${(mode & 0o777).toString(8).padStart(3, '0')}): refusing to replace it; nothing was written (make it writable if this edit is intended)`);
    this.name = 'ConfigReadOnlyError';
  }
}

/** The lock file beside a config: `<file>.lock`. */
export const lockFileOf = (file: string): string => `${file}.lock`;

/** @default 5000: locks are held only while re-reading and writing (milliseconds), never across gates or synth. */
export const DEFAULT_LOCK_WAIT_MS = 5_000;
/** @default 30000: a lock older than this is stale whatever its holder (no edit holds it for more than a moment). */
export const DEFAULT_STALE_LOCK_MS = 30_000;

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function readHolder(lock: string): { holder?: Partial<LockHolder>; stat?: Stats } {
  try {
    const stat = statSync(lock);
    const text = readFileSync(lock, 'utf8');
    try {
      return { holder: JSON.parse(text) as Partial<LockHolder>, stat };
    } catch {
      return { stat }; // being written, or torn by a crash: judged by age
    }
  } catch {
    return {};
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(holder: Partial<LockHolder> | undefined, stat: Stats, staleMs: number, now: number): boolean {
  const since = holder?.since ? Date.parse(holder.since) : NaN;
  const age = now - (Number.isFinite(since) ? Math.min(since, stat.mtimeMs) : stat.mtimeMs);
  if (age > staleMs) return true;
  return holder?.host === hostname() && typeof holder.pid === 'number' && holder.pid !== process.pid && !pidAlive(holder.pid);
}

/**
 * Removes a stale lock, but only the one that was judged stale: a breaker lock (`<lock>.break`, O_EXCL) makes
 * two processes that both saw it stale take turns, and the nonce check keeps either from removing a fresh lock
 * that replaced it meanwhile.
 */
function breakStaleLock(lock: string, judged: Partial<LockHolder> | undefined, judgedMtime: number, staleMs: number): void {
  const breaker = `${lock}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, 'wx');
  } catch {
    try {
      if (Date.now() - statSync(breaker).mtimeMs > staleMs) unlinkSync(breaker);
    } catch {
      // gone already
    }
    return;
  }
  try {
    const now = readHolder(lock);
    const same = now.stat !== undefined && (judged?.nonce !== undefined ? now.holder?.nonce === judged.nonce : now.holder === undefined && now.stat.mtimeMs === judgedMtime);
    if (same) unlinkSync(lock);
  } catch {
    // someone else removed it: fine
  } finally {
    closeSync(fd);
    rmSync(breaker, { force: true });
  }
}

/**
 * Takes the exclusive lock of `file` (O_EXCL create of `<file>.lock` holding pid, host, command and time).
 * Waits up to `waitMs` for a live holder, breaks a stale one (dead pid on this host, or older than `staleMs`),
 * and throws {@link ConfigLockedError} naming the holder when the wait runs out. Returns the release function.
 */
export function lockConfigFile(file: string, command: string, options: { waitMs?: number; staleMs?: number } = {}): () => void {
  const lock = lockFileOf(file);
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_LOCK_MS;
  const deadline = Date.now() + waitMs;
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, `${JSON.stringify({ ...me, since: new Date().toISOString() })}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return () => {
        // Remove only our own lock (a stale-lock breaker may have replaced it if we overran staleMs).
        if (readHolder(lock).holder?.nonce === me.nonce) rmSync(lock, { force: true });
      };
    }
    const { holder, stat } = readHolder(lock);
    if (stat && isStale(holder, stat, staleMs, Date.now())) {
      breakStaleLock(lock, holder, stat.mtimeMs, staleMs);
      continue;
    }
    if (Date.now() >= deadline) throw new ConfigLockedError(file, holder, lock);
    sleepSync(Math.min(10 + attempt * 5, 50));
  }
}

/**
 * Writes a file atomically: a temp file in the same directory (same mode), fsync, rename over the original, fsync
 * the directory. A reader sees the old or the new text, never a torn one; a crash leaves the old file.
 * Refuses (ConfigReadOnlyError) to replace a file without write permission bits.
 */
export function writeFileAtomic(file: string, text: string): void {
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // new file: default mode
  }
  if ((mode & 0o222) === 0) throw new ConfigReadOnlyError(file, mode);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // directories cannot be fsynced on every platform; the rename itself is atomic
  }
}

export interface EditEnvironmentConfigRequest {
  readonly path: string;
  /**
   * Hash ({@link configContentHash}, as `readEnvironmentConfig` returns it) of the content the command read and
   * based its decision on. The edit is refused ({@link ConfigConflictError}) when the file changed since.
   * Leave it out only for an edit that must pre-empt (rollback): it then applies to whatever the file says now.
   */
  readonly expectedHash?: string;
  /** The edits, or a function computing them from the text as it is under the lock (for a pre-empting edit). */
  readonly edits: readonly ConfigEdit[] | ((currentText: string) => readonly ConfigEdit[]);
  /** Who is editing (shown to anyone who finds the lock held), e.g. `traffic shift --to green --percent 10`. */
  readonly command: string;
  /** `full`: re-validate the whole config. `weights`: {@link applyWeightEdits} only. @default 'full' */
  readonly validate?: 'full' | 'weights';
  /** Compute and check everything, write nothing. @default false */
  readonly dryRun?: boolean;
  readonly lock?: { readonly waitMs?: number; readonly staleMs?: number };
}

export interface EditOutcome {
  readonly text: string;
  /** The re-validated config (with `validate: 'full'`). */
  readonly config?: EnvironmentConfig;
  readonly changes: readonly AppliedEdit[];
  /** Hash of the content the edit was applied to, and of the content now on disk (or that would be). */
  readonly hashBefore: string;
  readonly hashAfter: string;
  readonly written: boolean;
}

/**
 * Edits an environment's config as a transaction: takes the exclusive lock beside it, re-reads the file under the
 * lock, refuses when it changed since the command read it (`expectedHash`), refuses a read-only file, applies the
 * edits through the YAML Document API, validates, and writes atomically. Nothing is written on any error.
 */
export function editEnvironmentConfig(request: EditEnvironmentConfigRequest): EditOutcome {
  const { path } = request;
  const release = request.dryRun ? () => undefined : lockConfigFile(path, request.command, request.lock);
  try {
    const text = readFileSync(path, 'utf8');
    const hashBefore = configContentHash(text);
    if (request.expectedHash !== undefined && request.expectedHash !== hashBefore) throw new ConfigConflictError(path, request.command, request.expectedHash, hashBefore);
    const mode = statSync(path).mode;
    if ((mode & 0o222) === 0) throw new ConfigReadOnlyError(path, mode);
    const edits = typeof request.edits === 'function' ? request.edits(text) : request.edits;
    const result = request.validate === 'weights' ? applyWeightEdits(text, edits, path) : applyConfigEdits(text, edits, path);
    const write = !request.dryRun && result.changes.length > 0;
    if (write) writeFileAtomic(path, result.text);
    return { text: result.text, config: 'config' in result ? (result as EditResult).config : undefined, changes: result.changes, hashBefore, hashAfter: configContentHash(result.text), written: write };
  } finally {
    release();
  }
}

/**
 * Reads, edits, re-validates and atomically writes an environment config file under its lock. Nothing is written
 * on error. Pass `expectedHash` (from `readEnvironmentConfig`) so an edit that landed since the command read the
 * file is not silently overwritten.
 */
export function editConfigFile(file: string, edits: readonly ConfigEdit[], options: { dryRun?: boolean; expectedHash?: string; command?: string } = {}): EditResult {
  const r = editEnvironmentConfig({ path: file, edits, expectedHash: options.expectedHash, dryRun: options.dryRun, command: options.command ?? 'bluegreen config edit' });
  return { text: r.text, config: r.config as EnvironmentConfig, changes: r.changes };
}

// ----- rollback: the edit that never waits and never depends on the rest of the file -----

/** What a rollback sets, read from the config text with a minimal parse. */
export interface RollbackPlan {
  /** The service rolled back (the one asked for, or the environment's only one). */
  readonly service: string;
  readonly target: Colour;
  readonly weights: Weights;
  /** A promotion's rollback window is open: the previous colour becomes live again. */
  readonly undoPromotion: boolean;
  /** The service's `traffic.live` and `traffic.promotedAt` as the file says them. */
  readonly live: Colour;
  readonly promotedAt?: string;
  readonly edits: readonly ConfigEdit[];
  /** `environment` as the file says it (undefined when missing or not a string). */
  readonly environment?: string;
}

/**
 * The service a rollback works on, from the config text alone: the one named (it must be listed under `services`), or
 * the only one. Throws ServiceSelectionError (a usage error listing the services) otherwise.
 */
function rollbackService(doc: Document, source: string, name: string | undefined): string {
  const services = doc.get('services');
  if (!isMap(services)) throw new ConfigValidationError(source, [{ field: 'services', message: 'must list the services (a mapping by name) to know which one to roll back' }]);
  const names = services.items.map((i) => (isScalar(i.key) ? String(i.key.value) : String(i.key)));
  const environment = doc.get('environment');
  return resolveService({ environment: typeof environment === 'string' ? environment : source, services: Object.fromEntries(names.map((n) => [n, n])) }, name).name;
}

/**
 * The rollback decision for one service from the config text alone (its `traffic.live`, `traffic.promotedAt`, the
 * other colour's `desiredCount`, and `dns.enabled`): 100 % to the live colour, or, while a promotion's rollback
 * window is open (promotedAt set and the old colour still has tasks), to the colour live before it. Edits nothing
 * of any other service.
 */
export function planRollback(text: string, options: { service?: string; dns?: boolean; source?: string; now?: Date } = {}): RollbackPlan {
  const source = options.source ?? 'environment config';
  const { doc } = parseConfigYaml(text, source);
  const service = rollbackService(doc, source, options.service);
  const traffic = trafficPath(service);
  const live = doc.getIn([...traffic, 'live']) ?? 'blue';
  if (live !== 'blue' && live !== 'green') throw new ConfigValidationError(source, [{ field: [...traffic, 'live'].join('.'), message: `must be one of "blue", "green" to know where to roll back to, got ${JSON.stringify(live)}` }]);
  const promotedAt = doc.getIn([...traffic, 'promotedAt']);
  const oldCount = doc.getIn(['services', service, otherColour(live), 'desiredCount']);
  const undoPromotion = promotedAt !== undefined && promotedAt !== null && (typeof oldCount !== 'number' || oldCount > 0);
  const target: Colour = undoPromotion ? otherColour(live) : live;
  const weights: Weights = target === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
  const dnsEnabled = doc.getIn(['dns', 'enabled']) === true;
  const environment = doc.get('environment');
  const edits: ConfigEdit[] = [
    ...weightEdits(service, weights),
    ...(undoPromotion ? [{ path: [...traffic, 'live'], value: target }, { path: [...traffic, 'promotedAt'], value: undefined }] : []),
    ...(options.dns && dnsEnabled ? dnsWeightEdits({ legacy: 100, aws: 0 }) : []),
    // A new version of the file even when the weights already match: a shift that read it earlier must refuse.
    { path: [...traffic, 'rolledBackAt'], value: (options.now ?? new Date()).toISOString() },
  ];
  return { service, target, weights, undoPromotion, live, promotedAt: promotedAt === undefined || promotedAt === null ? undefined : String(promotedAt), edits, environment: typeof environment === 'string' ? environment : undefined };
}

/**
 * `traffic rollback`'s config edit. Pre-empts: it takes the lock (held by others only for a moment, never across a
 * shift's gates), decides from the file as it is under the lock, and writes without compare-and-swap, so a shift
 * that read the file earlier refuses afterwards. Validates only the weights it writes ({@link applyWeightEdits}),
 * so it works while unrelated parts of the config are invalid.
 */
export function rollbackEnvironmentConfig(request: {
  path: string;
  /** The service to roll back. @default - the environment's only service (required when it has several) */
  service?: string;
  dns?: boolean;
  command?: string;
  dryRun?: boolean;
  expectEnvironment?: string;
  now?: Date;
  lock?: { waitMs?: number; staleMs?: number };
}): RollbackPlan & EditOutcome {
  let plan: RollbackPlan | undefined;
  const outcome = editEnvironmentConfig({
    path: request.path,
    command: request.command ?? 'traffic rollback',
    dryRun: request.dryRun,
    validate: 'weights',
    lock: request.lock,
    edits: (text) => {
      plan = planRollback(text, { service: request.service, dns: request.dns, source: request.path, now: request.now });
      if (request.expectEnvironment !== undefined && plan.environment !== undefined && plan.environment !== request.expectEnvironment) {
        throw new ConfigValidationError(request.path, [{ field: 'environment', message: `must be "${request.expectEnvironment}" (the environment asked for), got ${JSON.stringify(plan.environment)}` }]);
      }
      return plan.edits;
    },
  });
  return { ...(plan as RollbackPlan), ...outcome };
}

/** The edits that set one service's listener weights (`services.<service>.traffic.blue` and `.green`). */
export function weightEdits(service: string, weights: Weights): ConfigEdit[] {
  return [
    { path: [...trafficPath(service), 'blue'], value: weights.blue },
    { path: [...trafficPath(service), 'green'], value: weights.green },
  ];
}

/** Thrown when a promote/finalize is not allowed now; the message says why and what to do. */
export class TrafficRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficRuleError';
  }
}

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `--service` as the commands show it: ` --service <name>`, or nothing for an environment's only service. */
const serviceFlag = (config: EnvironmentConfig, service: string): string => (Object.keys(config.services).length > 1 ? ` --service ${service}` : '');

/**
 * `traffic promote` of one service: its candidate colour, at 100 %, becomes live; the promotion time starts the
 * rollback window (`services.<service>.traffic.promotedAt`). The old colour keeps its tasks until `promote --finalize`.
 */
export function promoteEdits(config: EnvironmentConfig, service: string, now: Date): { edits: ConfigEdit[]; from: Colour; to: Colour } {
  const t = resolveService(config, service).service.traffic;
  const from = t.live;
  const to = otherColour(from);
  if (t[to] !== 100) {
    throw new TrafficRuleError(`cannot promote ${to}: it receives ${t[to]} %, promotion needs 100 % (bluegreen traffic shift${serviceFlag(config, service)} --to ${to} --percent 100 first)`);
  }
  return {
    from,
    to,
    edits: [
      { path: [...trafficPath(service), 'live'], value: to },
      { path: [...trafficPath(service), 'promotedAt'], value: isoSeconds(now) },
    ],
  };
}

/** When the rollback window of a service's last promotion ends, or undefined when no promotion is pending. */
export function rollbackWindowEnd(config: EnvironmentConfig, service: string): Date | undefined {
  const t = resolveService(config, service).service.traffic;
  if (!t.promotedAt) return undefined;
  return new Date(Date.parse(t.promotedAt) + t.rollbackWindowMinutes * 60_000);
}

/**
 * `traffic promote --finalize`: once promotedAt + rollbackWindowMinutes has passed, the old colour scales to zero
 * (desiredCount 0, and minCount/maxCount 0 where they are set, since a parked colour cannot autoscale) and
 * promotedAt is cleared. Refuses inside the window unless `force`.
 */
export function finalizeEdits(config: EnvironmentConfig, service: string, now: Date, force = false): { edits: ConfigEdit[]; old: Colour } {
  const s = resolveService(config, service).service;
  const end = rollbackWindowEnd(config, service);
  if (!end) throw new TrafficRuleError(`nothing to finalize: services.${service}.traffic.promotedAt is not set (run bluegreen traffic promote${serviceFlag(config, service)} first)`);
  const old = otherColour(s.traffic.live);
  if (s.traffic[old] > 0) throw new TrafficRuleError(`cannot scale ${old} to zero: it still receives ${s.traffic[old]} %`);
  if (now.getTime() < end.getTime() && !force) {
    const minutes = Math.ceil((end.getTime() - now.getTime()) / 60_000);
    throw new TrafficRuleError(`the rollback window is still open until ${isoSeconds(end)} (${minutes} min left); ${old} keeps its tasks until then (or pass --force)`);
  }
  const colour = ['services', service, old];
  const edits: ConfigEdit[] = [{ path: [...colour, 'desiredCount'], value: 0 }];
  if ((s[old].minCount ?? 0) > 0) edits.push({ path: [...colour, 'minCount'], value: 0 });
  if ((s[old].maxCount ?? 0) > 0) edits.push({ path: [...colour, 'maxCount'], value: 0 });
  edits.push({ path: [...trafficPath(service), 'promotedAt'], value: undefined });
  return { edits, old };
}

/** The edits that set the Route 53 weights (`dns.weights.legacy`, `dns.weights.aws`). */
export function dnsWeightEdits(weights: { readonly legacy: number; readonly aws: number }): ConfigEdit[] {
  return [
    { path: ['dns', 'weights', 'legacy'], value: weights.legacy },
    { path: ['dns', 'weights', 'aws'], value: weights.aws },
  ];
}
