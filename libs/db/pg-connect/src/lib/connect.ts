import type { ConnectionOptions } from 'node:tls';
import { Client, type ClientConfig } from 'pg';
import { classifyPgError } from './errors';
import { describeTarget } from './redact';

export interface ConnectOptions {
  /** `postgres://user:password@host:port/db`. Either `url` or `config` (or both: `config` fields win). */
  readonly url?: string;
  /** Explicit `pg` client settings (host, port, user, password, database, …). */
  readonly config?: ClientConfig;
  /** Shown in `pg_stat_activity.application_name`, e.g. `bluegreen-schema-check`. */
  readonly applicationName: string;
  /** Server-side `statement_timeout`. @default 30000 */
  readonly statementTimeoutMs?: number;
  /** Server-side `lock_timeout`: catalog reads must never queue behind DDL. @default 5000 */
  readonly lockTimeoutMs?: number;
  /** Server-side `idle_in_transaction_session_timeout`. @default 60000 */
  readonly idleInTransactionTimeoutMs?: number;
  /** Give up establishing the connection (TCP + TLS + auth) after this long. @default 10000 */
  readonly connectTimeoutMs?: number;
  /**
   * TLS settings. When given, they replace any `ssl`/`sslmode` parameters of `url`.
   * @default - whatever `url`/`config` say (no TLS unless they ask for it)
   */
  readonly ssl?: boolean | ConnectionOptions;
}

const SSL_URL_PARAMS = ['ssl', 'sslmode', 'sslcert', 'sslkey', 'sslrootcert', 'sslpassword', 'uselibpqcompat'];

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`connect: ${name} must be a non-negative integer (milliseconds), got ${String(value)}`);
  return value;
}

function stripSslParams(url: string): string {
  try {
    const u = new URL(url);
    for (const p of SSL_URL_PARAMS) u.searchParams.delete(p);
    return u.toString();
  } catch {
    return url;
  }
}

/** The redacted `host:port/db` a set of options points at. */
export function targetOf(options: Pick<ConnectOptions, 'url' | 'config'>): string {
  if (options.config?.host || options.config?.database) {
    return `${options.config.host ?? 'localhost'}:${options.config.port ?? 5432}/${options.config.database ?? ''}`;
  }
  return options.url ? describeTarget(options.url) : 'localhost:5432';
}

/**
 * Opens a connection with session timeouts and an application name set in the startup packet (so they hold from
 * the first statement). Every failure is thrown as a classified {@link DatabaseError}; the password never
 * appears in it.
 */
export async function connect(options: ConnectOptions): Promise<Client> {
  if (!options.url && !options.config) throw new TypeError('connect: one of url or config is required');
  if (!options.applicationName) throw new TypeError('connect: applicationName is required');
  const statementTimeout = positive('statementTimeoutMs', options.statementTimeoutMs, 30_000);
  const lockTimeout = positive('lockTimeoutMs', options.lockTimeoutMs, 5_000);
  const idleTimeout = positive('idleInTransactionTimeoutMs', options.idleInTransactionTimeoutMs, 60_000);
  const connectTimeout = positive('connectTimeoutMs', options.connectTimeoutMs, 10_000);
  const target = targetOf(options);

  const config: ClientConfig = {
    ...(options.url ? { connectionString: options.ssl !== undefined ? stripSslParams(options.url) : options.url } : {}),
    ...options.config,
    application_name: options.applicationName,
    statement_timeout: statementTimeout,
    lock_timeout: lockTimeout,
    idle_in_transaction_session_timeout: idleTimeout,
    // Client-side backstop for a server that stops answering (network partition): the server's statement_timeout
    // cannot fire then. Generous so that the server-side timeout (with its SQLSTATE) is what users normally see.
    query_timeout: statementTimeout > 0 ? statementTimeout + 5_000 : undefined,
    connectionTimeoutMillis: connectTimeout,
    ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
  };
  const client = new Client(config);
  // A connection that dies while idle emits 'error'; without a listener Node would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw classifyPgError(err, target);
  }
  return client;
}

/** Connects, runs `fn`, always closes. Errors are classified. */
export async function withClient<T>(options: ConnectOptions, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(options);
  try {
    return await fn(client);
  } catch (err) {
    throw classifyPgError(err, targetOf(options));
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface SnapshotOptions {
  /**
   * Adopt a snapshot exported by another session ({@link exportSnapshot}) so several connections read exactly the
   * same data. The exporting transaction must stay open until every importer has started.
   * @default - a fresh snapshot
   */
  readonly snapshot?: string;
}

const SNAPSHOT_ID = /^[0-9A-Fa-f]+-[0-9A-Fa-f]+(-[0-9A-Fa-f]+)?$/;

/**
 * Runs `fn` inside `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`: every query in it sees one consistent
 * snapshot and the server refuses any write. COMMIT on success, ROLLBACK on failure (the original error wins).
 */
export async function readOnlySnapshot<T>(client: Client, fn: (client: Client) => Promise<T>, options: SnapshotOptions = {}): Promise<T> {
  if (options.snapshot !== undefined && !SNAPSHOT_ID.test(options.snapshot)) {
    throw new TypeError(`readOnlySnapshot: snapshot must be an id returned by pg_export_snapshot() (like 00000003-0000001B-1), got ${JSON.stringify(options.snapshot)}`);
  }
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let result: T;
  try {
    // SET TRANSACTION SNAPSHOT takes no bind parameters; the id was checked against SNAPSHOT_ID above.
    if (options.snapshot !== undefined) await client.query(`SET TRANSACTION SNAPSHOT '${options.snapshot}'`);
    result = await fn(client);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw classifyPgError(err);
  }
  await client.query('COMMIT');
  return result;
}

/**
 * Inside a {@link readOnlySnapshot} callback: exports the transaction's snapshot (`pg_export_snapshot()`) for other
 * connections to adopt with `readOnlySnapshot(other, fn, { snapshot })`. Valid while this transaction is open.
 */
export async function exportSnapshot(client: Client): Promise<string> {
  const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
  return rows[0].id;
}

export interface ServerInfo {
  /** `server_version`, e.g. `16.4`. */
  readonly version: string;
  /** `server_version_num`, e.g. 160004. */
  readonly versionNum: number;
  readonly database: string;
  readonly user: string;
  /** Redacted `host:port/db` (no credentials). */
  readonly target?: string;
}

/** Version, database and user of the connected server (one query). */
export async function serverInfo(client: Client, target?: string): Promise<ServerInfo> {
  const { rows } = await client.query<{ version: string; num: string; database: string; user: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num, current_database() AS database, current_user AS user",
  );
  const row = rows[0];
  return Object.freeze({ version: row.version, versionNum: Number(row.num), database: row.database, user: row.user, ...(target ? { target } : {}) });
}
