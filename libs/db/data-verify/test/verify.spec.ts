import { DatabaseError } from '@bluegreen/pg-connect';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { formatText, NothingToCompareError, verifyData, VerifyInputError, type TableResult, type VerifyOptions, type VerifyResult } from '../src';

jest.setTimeout(120_000); // real server; the machine may be shared
let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => pg?.stop());

/** Two fresh databases: `common` runs on both, then `source` / `target` on each. */
async function pair(common: string, source = '', target = ''): Promise<{ source: string; target: string }> {
  const [s, t] = await Promise.all([pg.createDatabase('dv_src'), pg.createDatabase('dv_tgt')]);
  await pg.exec(s, common + ';' + source);
  await pg.exec(t, common + ';' + target);
  return { source: s, target: t };
}

async function verify(urls: { source: string; target: string }, extra: Partial<VerifyOptions> = {}): Promise<VerifyResult> {
  return verifyData({ ...urls, ...extra });
}

function table(r: VerifyResult, name: string): TableResult {
  const t = r.tables.find((x) => x.table === name);
  if (!t) throw new Error(`no result for ${name} in ${JSON.stringify(r)}`);
  return t;
}

const ORDERS = `CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2), placed timestamptz, doc jsonb);
  INSERT INTO orders SELECT g, 'c' || g, g / 4.0, timestamptz '2024-03-01 12:00Z' + g * interval '1 minute', jsonb_build_object('n', g, 'tag', 'x')
    FROM generate_series(1, 5000) g`;

describe('verifyData against a real PostgreSQL', () => {
  it('reports identical tables as identical, with row counts', async () => {
    const urls = await pair(`${ORDERS}; CREATE TABLE empty_one (id bigint PRIMARY KEY)`);
    const r = await verify(urls, { chunkSize: 500 });
    expect(r.identical).toBe(true);
    expect(r.tables).toMatchObject([
      { table: 'public.empty_one', status: 'identical', sourceRows: 0, targetRows: 0, differences: [] },
      { table: 'public.orders', status: 'identical', sourceRows: 5000, targetRows: 5000, differences: [] },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('finds one changed value, a missing row and an extra row, by key', async () => {
    const urls = await pair(ORDERS, '', `UPDATE orders SET amount = amount + 0.01 WHERE id = 2345; DELETE FROM orders WHERE id = 17; INSERT INTO orders VALUES (9999, 'new', 1, now(), null)`);
    const r = await verify(urls, { chunkSize: 500 });
    expect(r.identical).toBe(false);
    const t = table(r, 'public.orders');
    expect(t.status).toBe('different');
    expect(t.sourceRows).toBe(5000);
    expect(t.targetRows).toBe(5000);
    expect(t.differences).toEqual([
      { key: { id: '17' }, kind: 'missing_in_target' },
      { key: { id: '2345' }, kind: 'changed' },
      { key: { id: '9999' }, kind: 'missing_in_source' },
    ]);
  });

  it("tells NULL from ''", async () => {
    const urls = await pair(`CREATE TABLE notes (id int PRIMARY KEY, body text, extra text); INSERT INTO notes VALUES (1, 'a', NULL), (2, NULL, 'b'), (3, '', '')`, `INSERT INTO notes VALUES (4, NULL, NULL)`, `INSERT INTO notes VALUES (4, '', NULL)`);
    const r = await verify(urls);
    expect(table(r, 'public.notes').differences).toEqual([{ key: { id: '4' }, kind: 'changed' }]);
  });

  it('ignores physical row order (rows inserted in reverse and rewritten by updates)', async () => {
    const urls = await pair(
      `CREATE TABLE items (id int PRIMARY KEY, v text)`,
      `INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 3000) g`,
      `INSERT INTO items SELECT g, md5(g::text) FROM generate_series(3000, 1, -1) g; UPDATE items SET v = v WHERE id % 3 = 0`,
    );
    const r = await verify(urls, { chunkSize: 250 });
    expect(table(r, 'public.items')).toMatchObject({ table: 'public.items', status: 'identical', sourceRows: 3000, targetRows: 3000, differences: [] });
  });

  it('compares composite keys and reports every key column', async () => {
    const common = `CREATE TABLE lines (order_id int, line_no smallint, sku text, PRIMARY KEY (order_id, line_no));
      INSERT INTO lines SELECT o, l, 'sku-' || o || '-' || l FROM generate_series(1, 400) o, generate_series(1, 5) l`;
    const urls = await pair(common, '', `UPDATE lines SET sku = 'other' WHERE order_id = 200 AND line_no = 3; DELETE FROM lines WHERE order_id = 7 AND line_no = 5`);
    const r = await verify(urls, { chunkSize: 100 });
    expect(table(r, 'public.lines').differences).toEqual([
      { key: { order_id: '7', line_no: '5' }, kind: 'missing_in_target' },
      { key: { order_id: '200', line_no: '3' }, kind: 'changed' },
    ]);
  });

  it('reports a table that exists on one side only', async () => {
    const urls = await pair(`CREATE TABLE shared (id int PRIMARY KEY)`, `CREATE TABLE legacy_only (id int PRIMARY KEY); INSERT INTO legacy_only VALUES (1), (2)`, `CREATE SCHEMA app; CREATE TABLE app.new_only (id int)`);
    const r = await verify(urls);
    expect(r.identical).toBe(false);
    expect(table(r, 'public.legacy_only')).toMatchObject({ table: 'public.legacy_only', status: 'missing_in_target', sourceRows: 2, targetRows: null, differences: [] });
    expect(table(r, 'app.new_only')).toMatchObject({ table: 'app.new_only', status: 'missing_in_source', sourceRows: null, targetRows: 0, differences: [] });
    expect(table(r, 'public.shared').status).toBe('identical');
  });

  it('finds changes at the first and the last key of a multi-chunk table (sampled boundaries)', async () => {
    // Big enough (> 256 pages) that chunk boundaries come from TABLESAMPLE rather than reading every key.
    const common = `CREATE TABLE big (id bigint PRIMARY KEY, a text, b int, c float8, d date);
      INSERT INTO big SELECT g, repeat('x', 40) || g, g % 97, g / 3.0, date '2020-01-01' + (g % 1000) FROM generate_series(1, 80000) g`;
    const urls = await pair(common, '', `UPDATE big SET b = -1 WHERE id = 1; UPDATE big SET c = 0.5 WHERE id = 80000`);
    const r = await verify(urls, { chunkSize: 2000 });
    expect(table(r, 'public.big').differences).toEqual([
      { key: { id: '1' }, kind: 'changed' },
      { key: { id: '80000' }, kind: 'changed' },
    ]);
    // and the lowest/highest keys missing entirely (below the first / above the last boundary)
    await pg.exec(urls.target, 'DELETE FROM big WHERE id IN (1, 80000)');
    const r2 = await verify(urls, { chunkSize: 2000 });
    expect(table(r2, 'public.big').differences).toEqual([
      { key: { id: '1' }, kind: 'missing_in_target' },
      { key: { id: '80000' }, kind: 'missing_in_target' },
    ]);
  });

  it('compares values, not text: jsonb key order, session/database time zone, numeric scale, json whitespace', async () => {
    const common = `CREATE TABLE docs (id int PRIMARY KEY, doc jsonb, at timestamptz, amount numeric, raw json)`;
    const urls = await pair(
      common,
      `SET TimeZone = 'America/New_York'; INSERT INTO docs VALUES (1, '{"a": 1, "b": [1, 2], "c": {"x": null}}', '2024-06-01 08:00:00', 1.5, '{"k": 1, "j": 2}')`,
      `SET TimeZone = 'Asia/Tokyo'; INSERT INTO docs VALUES (1, '{"c": {"x": null}, "b": [1, 2], "a": 1}', '2024-06-01 21:00:00', 1.50, '{ "k":1,   "j":2 }')`,
    );
    // Each database also defaults sessions to a different zone: the tool must not depend on it.
    const dbName = (u: string) => new URL(u).pathname.slice(1);
    await pg.exec(pg.adminUrl, `ALTER DATABASE "${dbName(urls.source)}" SET TimeZone = 'Europe/Berlin'; ALTER DATABASE "${dbName(urls.target)}" SET TimeZone = 'Pacific/Auckland'`);
    const r = await verify(urls);
    expect(table(r, 'public.docs').status).toBe('identical');
    // the same instant text but another instant is a difference
    await pg.exec(urls.target, `UPDATE docs SET at = at + interval '1 second'`);
    expect(table(await verify(urls), 'public.docs').differences).toEqual([{ key: { id: '1' }, kind: 'changed' }]);
  });

  it('compares numerics by value when the two sides declare different scales, and by text when both fix the same scale', async () => {
    const urls = await pair('', `CREATE TABLE prices (id int PRIMARY KEY, p numeric(10,2), q numeric(10,2)); INSERT INTO prices VALUES (1, 1.5, 2)`, `CREATE TABLE prices (id int PRIMARY KEY, p numeric(12,4), q numeric(10,2)); INSERT INTO prices VALUES (1, 1.5, 2)`);
    expect(table(await verify(urls), 'public.prices').status).toBe('identical');
    await pg.exec(urls.target, 'UPDATE prices SET p = 1.5001');
    expect(table(await verify(urls), 'public.prices').differences).toEqual([{ key: { id: '1' }, kind: 'changed' }]);
  });

  it('compares a table without a primary key as a multiset, duplicates counted, with a warning', async () => {
    const common = `CREATE TABLE events (kind text, n int)`;
    const urls = await pair(common, `INSERT INTO events VALUES ('a', 1), ('a', 1), ('b', 2), (NULL, 3)`, `INSERT INTO events VALUES (NULL, 3), ('b', 2), ('a', 1), ('b', 2)`);
    const r = await verify(urls);
    const t = table(r, 'public.events');
    expect(t.status).toBe('different');
    expect(t.sourceRows).toBe(4);
    expect(t.targetRows).toBe(4);
    expect(t.differences).toHaveLength(2);
    expect(t.differences).toEqual(
      expect.arrayContaining([
        { key: { kind: 'a', n: '1' }, kind: 'missing_in_target' },
        { key: { kind: 'b', n: '2' }, kind: 'missing_in_source' },
      ]),
    );
    expect(r.warnings).toContain('public.events: no primary key; compared as a multiset of whole rows (duplicates counted)');

    const same = await pair(common, `INSERT INTO events VALUES ('a', 1), ('a', 1), ('b', 2)`, `INSERT INTO events VALUES ('b', 2), ('a', 1), ('a', 1)`);
    expect(table(await verify(same), 'public.events').status).toBe('identical');
  });

  it('matches rows across chunks when the two servers order text keys differently (collations)', async () => {
    const rows = `INSERT INTO words SELECT w, length(w) FROM (SELECT unnest(ARRAY['a','B','b','A','_x','Z','z','10','9','É','e']) || g AS w FROM generate_series(1, 300) g) s`;
    const urls = await pair('', `CREATE TABLE words (w text COLLATE "C" PRIMARY KEY, n int); ${rows}`, `CREATE TABLE words (w text COLLATE "und-x-icu" PRIMARY KEY, n int); ${rows}`);
    const r = await verify(urls, { chunkSize: 200 });
    expect(table(r, 'public.words')).toMatchObject({ status: 'identical', differences: [] });
    await pg.exec(urls.target, `UPDATE words SET n = 0 WHERE w = 'B7'`);
    expect(table(await verify(urls, { chunkSize: 200 }), 'public.words').differences).toEqual([{ key: { w: 'B7' }, kind: 'changed' }]);
  });

  it('lists at most maxDifferences rows and says there are more', async () => {
    const urls = await pair(ORDERS, '', `UPDATE orders SET customer = 'x' WHERE id <= 300`);
    const r = await verify(urls, { chunkSize: 1000 });
    const t = table(r, 'public.orders');
    expect(t.differences).toHaveLength(100);
    expect(t.differences[0]).toEqual({ key: { id: '1' }, kind: 'changed' });
    expect(r.warnings.some((w) => w.startsWith('public.orders: more than 100 differing rows'))).toBe(true);
  });

  it('treats a column missing in the target as a difference and one only in the target as a warning', async () => {
    const urls = await pair('', `CREATE TABLE p (id int PRIMARY KEY, a int, legacy text); INSERT INTO p VALUES (1, 1, 'x')`, `CREATE TABLE p (id int PRIMARY KEY, a int, added text); INSERT INTO p VALUES (1, 1, 'y')`);
    const r = await verify(urls);
    expect(table(r, 'public.p').status).toBe('different');
    expect(r.warnings).toEqual(expect.arrayContaining([expect.stringContaining('columns missing in target: legacy'), expect.stringContaining('columns only in target: added')]));
  });

  it('compares many tables over several connections per side, and honours --table', async () => {
    const ddl = Array.from({ length: 6 }, (_, i) => `CREATE TABLE t${i} (id int PRIMARY KEY, v int); INSERT INTO t${i} SELECT g, g * ${i} FROM generate_series(1, 500) g`).join(';');
    const urls = await pair(ddl, '', 'UPDATE t4 SET v = 0 WHERE id = 250');
    const r = await verify(urls, { parallel: 3, chunkSize: 100 });
    expect(r.tables.map((t) => `${t.table}:${t.status}`)).toEqual(['public.t0:identical', 'public.t1:identical', 'public.t2:identical', 'public.t3:identical', 'public.t4:different', 'public.t5:identical']);
    const only = await verify(urls, { tables: ['t1', 'public.t2'] });
    expect(only.tables.map((t) => t.table)).toEqual(['public.t1', 'public.t2']);
    expect(only.identical).toBe(true);
    // AWS DMS's control tables on a target are skipped unless asked for
    await pg.exec(urls.target, 'CREATE SCHEMA awsdms_control; CREATE TABLE awsdms_control.awsdms_apply_exceptions (task_name text)');
    expect((await verify(urls)).tables.map((t) => t.table)).not.toContain('awsdms_control.awsdms_apply_exceptions');
    expect((await verify(urls, { excludeSchemas: [] })).tables.map((t) => t.table)).toContain('awsdms_control.awsdms_apply_exceptions');
    await expect(verify(urls, { tables: ['nope'] })).rejects.toThrow(VerifyInputError);
    await expect(verify(urls, { tables: ['nope'] })).rejects.toThrow('table "nope" exists in neither the source nor the target');
  });

  it('fails closed with a classified error: wrong password, unreachable host, statement timeout', async () => {
    const urls = await pair(ORDERS);
    const wrong = new URL(urls.target);
    wrong.password = 'definitely-wrong';
    const auth = await verify({ source: urls.source, target: wrong.toString() }).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(DatabaseError);
    expect((auth as DatabaseError).kind).toBe('authentication');
    expect(String((auth as DatabaseError).message)).not.toContain('definitely-wrong');

    const unreachable = await verify({ source: 'postgres://u:p@127.0.0.1:1/db', target: urls.target }).catch((e: unknown) => e);
    expect((unreachable as DatabaseError).kind).toBe('connection');

    await pg.exec(urls.source, 'CREATE TABLE slow AS SELECT g AS id FROM generate_series(1, 300000) g; ALTER TABLE slow ADD PRIMARY KEY (id)');
    await pg.exec(urls.target, 'CREATE TABLE slow AS SELECT g AS id FROM generate_series(1, 300000) g; ALTER TABLE slow ADD PRIMARY KEY (id)');
    const timeout = await verify(urls, { tables: ['slow'], statementTimeoutMs: 1 }).catch((e: unknown) => e);
    expect((timeout as DatabaseError).kind).toBe('timeout');
  });

  it('reads each side in one snapshot: rows committed after it starts are not seen', async () => {
    const urls = await pair(ORDERS);
    let inserted = false;
    const r = await verify(urls, {
      parallel: 2,
      onProgress: async (p) => {
        // The first call comes after both snapshots were taken and before any table is read.
        if (p.done === 0 && !p.started && !inserted) {
          await pg.exec(urls.target, `INSERT INTO orders VALUES (100000, 'late', 1, now(), null)`);
          inserted = true;
        }
      },
    });
    expect(inserted).toBe(true);
    expect(table(r, 'public.orders')).toMatchObject({ status: 'identical', targetRows: 5000 });
    expect(table(await verify(urls), 'public.orders').differences).toEqual([{ key: { id: '100000' }, kind: 'missing_in_source' }]);
  });
});

describe('verifyData never calls an empty comparison identical', () => {
  it('refuses when neither side has a user table: nothing to compare', async () => {
    const urls = await pair('');
    const err = await verify(urls).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NothingToCompareError);
    expect(err).toBeInstanceOf(VerifyInputError);
    expect((err as Error).message).toBe('nothing to compare: neither the source nor the target has a user table');
  });

  it('refuses when every table is filtered out by --exclude-schema, naming the schemas and what they excluded', async () => {
    const urls = await pair(`CREATE TABLE orders (id int PRIMARY KEY); CREATE SCHEMA app; CREATE TABLE app.lines (id int PRIMARY KEY)`);
    const err = await verify(urls, { excludeSchemas: ['public', 'app'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NothingToCompareError);
    expect((err as Error).message).toBe('nothing to compare: every table is in an excluded schema (excluded: public, app; tables: app.lines, public.orders)');
  });

  it('accepts an empty comparison only when asked to, and says it compared nothing', async () => {
    const urls = await pair('');
    const r = await verify(urls, { allowEmpty: true });
    expect(r.identical).toBe(true);
    expect(r.compared).toEqual([]);
    expect(formatText(r)).toContain('compared 0 tables (an empty comparison was explicitly accepted)');
  });

  it('reports exactly which tables it compared, and warns about an excluded schema that exists nowhere', async () => {
    const urls = await pair(`CREATE TABLE orders (id int PRIMARY KEY); CREATE SCHEMA audit; CREATE TABLE audit.log (id int PRIMARY KEY)`);
    const r = await verify(urls, { excludeSchemas: ['audit', 'pubic'] });
    expect(r.compared).toEqual(['public.orders']);
    expect(r.warnings).toContain('--exclude-schema pubic: no such schema on either side (nothing excluded by it)');
    expect(formatText(r)).toContain('compared 1 table: public.orders');
    const named = await verify(urls, { tables: ['audit.log'] });
    expect(named.compared).toEqual(['audit.log']);
  });
});
