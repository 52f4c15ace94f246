import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { createServer, type Server } from 'node:net';
import { classifyPgError, connect, DatabaseError, describeTarget, exportSnapshot, readOnlySnapshot, serverInfo, withClient } from '../src';

let pg: TestPostgres;
let url: string;

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.createDatabase('pgconnect');
}, 60_000);
afterAll(async () => pg?.stop());

function withPassword(u: string, password: string): string {
  const x = new URL(u);
  x.password = password;
  return x.toString();
}

async function caught(p: Promise<unknown>): Promise<DatabaseError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseError);
    return err as DatabaseError;
  }
  throw new Error('expected a rejection');
}

describe('connect', () => {
  it('sets application_name and the session timeouts from the first statement', async () => {
    const client = await connect({ url, applicationName: 'pg-connect-test', statementTimeoutMs: 1234, lockTimeoutMs: 567, idleInTransactionTimeoutMs: 8900 });
    try {
      const { rows } = await client.query(
        "SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('idle_in_transaction_session_timeout') AS it",
      );
      expect(rows[0]).toEqual({ app: 'pg-connect-test', st: '1234ms', lt: '567ms', it: '8900ms' });
      const info = await serverInfo(client);
      expect(info.versionNum).toBeGreaterThanOrEqual(140000);
      expect(info.user).toBe('postgres');
    } finally {
      await client.end();
    }
  });

  it('classifies a wrong password as authentication (28P01) and never echoes the password', async () => {
    const err = await caught(connect({ url: withPassword(url, 'definitely-wrong-pw'), applicationName: 't' }));
    expect(err.kind).toBe('authentication');
    expect(err.code).toBe('28P01');
    expect(err.severity).toBe('FATAL');
    expect(JSON.stringify(err.toJSON())).not.toContain('definitely-wrong-pw');
    expect(err.format()).toContain('28P01');
  });

  it('classifies an unreachable port as connection', async () => {
    const dead = new URL(url);
    dead.port = '1'; // privileged port nobody listens on
    const err = await caught(connect({ url: dead.toString(), applicationName: 't', connectTimeoutMs: 3000 }));
    expect(err.kind).toBe('connection');
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.target).toBe('127.0.0.1:1/' + new URL(url).pathname.slice(1));
  });

  it('classifies a server that accepts TCP but never answers as timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await caught(connect({ url: `postgres://u:p@127.0.0.1:${port}/db`, applicationName: 't', connectTimeoutMs: 300 }));
      expect(err.kind).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  it('classifies a statement timeout (57014) as timeout', async () => {
    const err = await caught(withClient({ url, applicationName: 't', statementTimeoutMs: 100 }, (c) => c.query('SELECT pg_sleep(2)')));
    expect(err.kind).toBe('timeout');
    expect(err.code).toBe('57014');
    expect(err.message).toMatch(/statement timeout/);
  });

  it('classifies a lock timeout (55P03) as timeout', async () => {
    await pg.exec(url, 'CREATE TABLE IF NOT EXISTS locked (id int)');
    const holder = await connect({ url, applicationName: 'holder' });
    try {
      await holder.query('BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
      const err = await caught(withClient({ url, applicationName: 't', lockTimeoutMs: 100 }, (c) => c.query('SELECT * FROM locked')));
      expect(err.kind).toBe('timeout');
      expect(err.code).toBe('55P03');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('classifies insufficient privilege (42501) as permission', async () => {
    await pg.exec(url, "DROP ROLE IF EXISTS pgc_nobody; CREATE ROLE pgc_nobody LOGIN PASSWORD 'pw-nobody'; CREATE TABLE IF NOT EXISTS secret_t (id int); REVOKE ALL ON secret_t FROM PUBLIC");
    const u = new URL(url);
    u.username = 'pgc_nobody';
    u.password = 'pw-nobody';
    const err = await caught(withClient({ url: u.toString(), applicationName: 't' }, (c) => c.query('SELECT * FROM secret_t')));
    expect(err.kind).toBe('permission');
    expect(err.code).toBe('42501');
  });

  it('classifies a missing database (3D000) as connection', async () => {
    const u = new URL(url);
    u.pathname = '/no_such_database_here';
    const err = await caught(connect({ url: u.toString(), applicationName: 't' }));
    expect(err.kind).toBe('connection');
    expect(err.code).toBe('3D000');
  });

  it('rejects bad options by name', async () => {
    await expect(connect({ url, applicationName: 't', statementTimeoutMs: -1 })).rejects.toThrow(/statementTimeoutMs must be a non-negative integer/);
    await expect(connect({ applicationName: 't' })).rejects.toThrow(/one of url or config/);
  });
});

describe('readOnlySnapshot', () => {
  it('refuses writes and sees one snapshot', async () => {
    await pg.exec(url, 'CREATE TABLE IF NOT EXISTS snap (id int)');
    const writer = await connect({ url, applicationName: 'writer' });
    const reader = await connect({ url, applicationName: 'reader' });
    try {
      const counts = await readOnlySnapshot(reader, async (c) => {
        const before = (await c.query('SELECT count(*)::int AS n FROM snap')).rows[0].n as number;
        await writer.query('INSERT INTO snap VALUES (1)');
        const after = (await c.query('SELECT count(*)::int AS n FROM snap')).rows[0].n as number;
        return { before, after };
      });
      expect(counts.after).toBe(counts.before);
      const err = await caught(readOnlySnapshot(reader, (c) => c.query('CREATE TABLE nope (id int)')));
      expect(err.code).toBe('25006'); // read_only_sql_transaction
      expect(err.kind).toBe('query');
      // the transaction was rolled back: the client is usable again
      expect((await reader.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await writer.end();
      await reader.end();
    }
  });
});

describe('exportSnapshot', () => {
  it('lets a second connection read exactly the snapshot of the first', async () => {
    await pg.exec(url, 'CREATE TABLE IF NOT EXISTS shared_snap (id int)');
    const writer = await connect({ url, applicationName: 'writer' });
    const leader = await connect({ url, applicationName: 'leader' });
    const follower = await connect({ url, applicationName: 'follower' });
    try {
      const seen = await readOnlySnapshot(leader, async (c) => {
        const id = await exportSnapshot(c);
        const before = (await c.query('SELECT count(*)::int AS n FROM shared_snap')).rows[0].n as number;
        await writer.query('INSERT INTO shared_snap VALUES (1)');
        const imported = await readOnlySnapshot(follower, async (f) => (await f.query('SELECT count(*)::int AS n FROM shared_snap')).rows[0].n as number, { snapshot: id });
        const fresh = await readOnlySnapshot(follower, async (f) => (await f.query('SELECT count(*)::int AS n FROM shared_snap')).rows[0].n as number);
        return { before, imported, fresh };
      });
      expect(seen.imported).toBe(seen.before);
      expect(seen.fresh).toBe(seen.before + 1);
      await expect(readOnlySnapshot(follower, async () => 1, { snapshot: "x'; DROP TABLE t; --" })).rejects.toThrow(/snapshot must be an id/);
    } finally {
      await writer.end();
      await leader.end();
      await follower.end();
    }
  });
});

describe('describeTarget', () => {
  it.each([
    ['postgres://app:s3cr%40t@db.example:5432/app', 'db.example:5432/app'],
    ['postgres://app@h/db', 'h:5432/db'],
    ['postgres://u:hunter22@[::1/b', 'postgres://u:***@[::1/b'],
  ])('%s names the target without credentials', (input, expected) => {
    expect(describeTarget(input)).toBe(expected);
  });
});

describe('classifyPgError', () => {
  it('maps SQLSTATEs and network codes', () => {
    expect(classifyPgError(Object.assign(new Error('x'), { code: '28000', severity: 'FATAL' })).kind).toBe('authentication');
    expect(classifyPgError(Object.assign(new Error('x'), { code: '42P01', severity: 'ERROR' })).kind).toBe('query');
    expect(classifyPgError(Object.assign(new Error('getaddrinfo ENOTFOUND nohost'), { code: 'ENOTFOUND' })).kind).toBe('connection');
    expect(classifyPgError(Object.assign(new Error('self-signed certificate'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })).kind).toBe('connection');
    expect(classifyPgError(new Error('Query read timeout')).kind).toBe('timeout');
    const already = classifyPgError(new Error('Connection terminated unexpectedly'));
    expect(already.kind).toBe('connection');
    expect(classifyPgError(already)).toBe(already);
  });
});

describe('driver errors never carry credentials', () => {
  it('a message, detail and cause quoting a connection string come out redacted', () => {
    const pw = 'S3cret-in-driver-error';
    const raw = Object.assign(new Error(`getaddrinfo ENOTFOUND for postgres://app:${pw}@[::1/b`), { code: 'ENOTFOUND', detail: `conninfo host=x password=${pw}` });
    const e = classifyPgError(raw, 'x:5432/db');
    expect(e.message).not.toContain(pw);
    expect(e.message).toContain('postgres://app:***@[::1/b');
    expect(JSON.stringify(e.toJSON())).not.toContain(pw);
    expect(String((e.cause as Error).message)).not.toContain(pw);
    expect(String((e.cause as Error).stack)).not.toContain(pw);
    const q = classifyPgError(Object.assign(new Error('syntax error'), { code: '42601', severity: 'ERROR', detail: `PGPASSWORD=${pw}` }));
    expect(q.detail).toBe('PGPASSWORD=***');
  });
});
