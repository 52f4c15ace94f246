/**
 * The common change kinds (first tier: drops, renames, narrowing, NOT NULL, grants, …), with the expected verdict,
 * against a real PostgreSQL. Each case lives in its
 * own schema of one blue and one green database and is checked with `schemas: [case]`.
 */
import { connect } from '@bluegreen/pg-connect';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { checkCompatibility, introspect, type Change, type Compatibility } from '../src';

interface Case {
  readonly name: string;
  readonly blue: string;
  readonly green: string;
  /** Expected change(s): kind, object (without the case schema prefix), verdict. */
  readonly expect: ReadonlyArray<readonly [string, string, Compatibility]>;
  /** Overall verdict (compatible = no incompatible change). */
  readonly compatible: boolean;
  readonly appRole?: string;
  readonly detail?: RegExp;
}

const T = 'CREATE TABLE orders (id bigint PRIMARY KEY, customer varchar(10) NOT NULL, total integer, note text DEFAULT \'\', status text NOT NULL DEFAULT \'new\');';

const CASES: Case[] = [
  // incompatible
  { name: 'table_dropped', blue: `${T} CREATE TABLE gone (id int);`, green: T, expect: [['table.dropped', 'gone', 'incompatible']], compatible: false },
  { name: 'table_renamed', blue: `${T} CREATE TABLE old_name (id int, v text);`, green: `${T} CREATE TABLE new_name (id int, v text);`, expect: [['table.renamed', 'old_name', 'incompatible']], compatible: false, detail: /renamed to .*new_name/ },
  { name: 'column_dropped', blue: T, green: T.replace(", note text DEFAULT ''", ''), expect: [['column.dropped', 'orders.note', 'incompatible']], compatible: false },
  { name: 'column_renamed', blue: T, green: `${T} ALTER TABLE orders RENAME COLUMN note TO remark;`, expect: [['column.renamed', 'orders.note', 'incompatible']], compatible: false, detail: /renamed to remark \(same type and position\)/ },
  { name: 'view_dropped', blue: `${T} CREATE VIEW v AS SELECT id FROM orders;`, green: T, expect: [['view.dropped', 'v', 'incompatible']], compatible: false },
  { name: 'view_column_dropped', blue: `${T} CREATE VIEW v AS SELECT id, note FROM orders;`, green: `${T} CREATE VIEW v AS SELECT id FROM orders;`, expect: [['view_column.dropped', 'v.note', 'incompatible']], compatible: false },
  { name: 'function_dropped', blue: `${T} CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';`, green: T, expect: [['function.dropped', 'f(a integer)', 'incompatible']], compatible: false },
  { name: 'function_return_type', blue: 'CREATE FUNCTION order_total(bigint) RETURNS numeric LANGUAGE sql AS \'SELECT 1::numeric\';', green: 'CREATE FUNCTION order_total(bigint) RETURNS text LANGUAGE sql AS \'SELECT 1::text\';', expect: [['function.return_type_changed', 'order_total(bigint)', 'incompatible']], compatible: false },
  { name: 'enum_value_dropped', blue: "CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok');", green: "CREATE TYPE mood AS ENUM ('happy', 'sad');", expect: [['enum.value_dropped', 'mood.ok', 'incompatible']], compatible: false },
  { name: 'enum_value_renamed', blue: "CREATE TYPE mood AS ENUM ('happy', 'sad');", green: "CREATE TYPE mood AS ENUM ('happy', 'unhappy');", expect: [['enum.value_renamed', 'mood.sad', 'incompatible']], compatible: false },
  { name: 'type_narrowed', blue: T, green: T.replace('customer varchar(10)', 'customer varchar(5)'), expect: [['column.type_changed', 'orders.customer', 'incompatible']], compatible: false },
  { name: 'type_changed', blue: T, green: T.replace('total integer', 'total text'), expect: [['column.type_changed', 'orders.total', 'incompatible']], compatible: false },
  { name: 'not_null_added', blue: T, green: T.replace('total integer', 'total integer NOT NULL'), expect: [['column.not_null_added', 'orders.total', 'incompatible']], compatible: false },
  { name: 'not_null_column_without_default', blue: T, green: `${T} ALTER TABLE orders ADD COLUMN region text NOT NULL;`, expect: [['column.added', 'orders.region', 'incompatible']], compatible: false },
  { name: 'default_removed_from_not_null', blue: T, green: T.replace("status text NOT NULL DEFAULT 'new'", 'status text NOT NULL'), expect: [['column.default_dropped', 'orders.status', 'incompatible']], compatible: false },
  { name: 'primary_key_dropped', blue: T, green: T.replace('id bigint PRIMARY KEY', 'id bigint NOT NULL'), expect: [['constraint.primary_key_dropped', 'orders.orders_pkey', 'incompatible']], compatible: false },
  { name: 'identity_always_added', blue: 'CREATE TABLE t (id bigint NOT NULL);', green: 'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY);', expect: [['column.identity_added', 't.id', 'incompatible']], compatible: false },
  { name: 'privilege_revoked', blue: `${T} GRANT SELECT, INSERT ON orders TO verdict_app;`, green: `${T} GRANT SELECT ON orders TO verdict_app;`, expect: [['privilege.revoked', 'orders', 'incompatible']], compatible: false },
  { name: 'privilege_lost_by_app_role', blue: `${T} GRANT USAGE ON SCHEMA privilege_lost_by_app_role TO verdict_app; GRANT SELECT, INSERT ON orders TO verdict_app;`, green: `${T} GRANT USAGE ON SCHEMA privilege_lost_by_app_role TO verdict_app; GRANT SELECT ON orders TO verdict_app;`, appRole: 'verdict_app', expect: [['privilege.lost', 'orders', 'incompatible'], ['privilege.revoked', 'orders', 'warning']], compatible: false },
  { name: 'rls_enabled_without_policy', blue: T, green: `${T} ALTER TABLE orders ENABLE ROW LEVEL SECURITY;`, expect: [['table.rls_enabled', 'orders', 'incompatible']], compatible: false },
  { name: 'fk_to_new_table', blue: T, green: `${T} CREATE TABLE regions (code text PRIMARY KEY); ALTER TABLE orders ADD FOREIGN KEY (note) REFERENCES regions (code);`, expect: [['constraint.foreign_key_added', 'orders.orders_note_fkey', 'incompatible']], compatible: false },
  // warning
  { name: 'check_added', blue: T, green: `${T} ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);`, expect: [['constraint.check_added', 'orders.positive', 'warning']], compatible: true },
  { name: 'unique_added', blue: T, green: `${T} ALTER TABLE orders ADD CONSTRAINT one_note UNIQUE (note);`, expect: [['constraint.unique_added', 'orders.one_note', 'warning']], compatible: true },
  { name: 'fk_added', blue: `${T} CREATE TABLE customers (name varchar(10) PRIMARY KEY);`, green: `${T} CREATE TABLE customers (name varchar(10) PRIMARY KEY); ALTER TABLE orders ADD FOREIGN KEY (customer) REFERENCES customers (name);`, expect: [['constraint.foreign_key_added', 'orders.orders_customer_fkey', 'warning']], compatible: true },
  { name: 'trigger_changed', blue: `${T} CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER trg BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION tf();`, green: `${T} CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER trg BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION tf();`, expect: [['trigger.changed', 'orders.trg', 'warning']], compatible: true },
  { name: 'collation_changed', blue: T, green: T.replace('note text', 'note text COLLATE "C"'), expect: [['column.collation_changed', 'orders.note', 'warning']], compatible: true },
  { name: 'index_dropped', blue: `${T} CREATE INDEX orders_note_idx ON orders (note);`, green: T, expect: [['index.dropped', 'orders_note_idx', 'warning']], compatible: true },
  { name: 'unique_index_dropped', blue: `${T} CREATE UNIQUE INDEX orders_note_key ON orders (note);`, green: T, expect: [['index.unique_dropped', 'orders_note_key', 'warning']], compatible: true, detail: /ON CONFLICT/ },
  // f(int) + f(bigint): a call with an untyped parameter (how node-postgres sends it) is no longer unique
  { name: 'overload_added', blue: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS \'SELECT a\';', green: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS \'SELECT a\'; CREATE FUNCTION f(a bigint) RETURNS int LANGUAGE sql AS \'SELECT 1\';', expect: [['function.overload_added', 'f(a bigint)', 'compatible'], ['function.call_ambiguous', 'f(a integer)', 'incompatible']], compatible: false },
  { name: 'default_changed', blue: T, green: T.replace("status text NOT NULL DEFAULT 'new'", "status text NOT NULL DEFAULT 'open'"), expect: [['column.default_changed', 'orders.status', 'warning']], compatible: true },
  // compatible
  { name: 'nullable_column_added', blue: T, green: `${T} ALTER TABLE orders ADD COLUMN shipped_at timestamptz;`, expect: [['column.added', 'orders.shipped_at', 'compatible']], compatible: true },
  { name: 'not_null_column_with_default', blue: T, green: `${T} ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu';`, expect: [['column.added', 'orders.region', 'compatible']], compatible: true },
  { name: 'varchar_widened', blue: T, green: T.replace('customer varchar(10)', 'customer varchar(20)'), expect: [['column.type_changed', 'orders.customer', 'compatible']], compatible: true },
  { name: 'int_to_bigint', blue: T, green: T.replace('total integer', 'total bigint'), expect: [['column.type_changed', 'orders.total', 'compatible']], compatible: true },
  { name: 'numeric_widened', blue: 'CREATE TABLE p (price numeric(8,2));', green: 'CREATE TABLE p (price numeric(12,2));', expect: [['column.type_changed', 'p.price', 'compatible']], compatible: true },
  { name: 'table_added', blue: T, green: `${T} CREATE TABLE audit (id int);`, expect: [['table.added', 'audit', 'compatible']], compatible: true },
  { name: 'enum_value_added', blue: "CREATE TYPE mood AS ENUM ('happy');", green: "CREATE TYPE mood AS ENUM ('happy', 'sad');", expect: [['enum.value_added', 'mood.sad', 'compatible']], compatible: true },
  { name: 'index_added', blue: T, green: `${T} CREATE INDEX ON orders (customer);`, expect: [['index.added', 'orders_customer_idx', 'compatible']], compatible: true },
  { name: 'check_dropped', blue: `${T} ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);`, green: T, expect: [['constraint.check_dropped', 'orders.positive', 'compatible']], compatible: true },
  { name: 'triggers_regrouped', blue: `${T} CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER a BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION tf();`, green: `${T} CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER b BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION tf(); CREATE TRIGGER c BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION tf();`, expect: [['trigger.reorganised', 'orders', 'compatible']], compatible: true },
  { name: 'identical', blue: T, green: T, expect: [], compatible: true },
];

let pg: TestPostgres;
let blueUrl: string;
let greenUrl: string;

beforeAll(async () => {
  pg = await startPostgres();
  [blueUrl, greenUrl] = await Promise.all([pg.createDatabase('verdict_b'), pg.createDatabase('verdict_g')]);
  await pg.exec(pg.adminUrl, 'DO $$ BEGIN CREATE ROLE verdict_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$');
  const script = (side: 'blue' | 'green') => CASES.map((c) => `CREATE SCHEMA ${c.name}; SET search_path = ${c.name}; ${c[side]} RESET search_path;`).join('\n');
  await Promise.all([pg.exec(blueUrl, script('blue')), pg.exec(greenUrl, script('green'))]);
}, 60_000);
afterAll(async () => pg?.stop());

describe('verdict per change kind (real server)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const report = await checkCompatibility({ blue: { url: blueUrl }, green: { url: greenUrl }, schemas: [c.name], appRole: c.appRole });
    const strip = (x: Change) => [x.kind, x.object.slice(c.name.length + 1), x.compatibility];
    expect(report.changes.map(strip)).toEqual(expect.arrayContaining(c.expect.map((e) => [...e])));
    if (c.expect.length === 0) expect(report.changes).toEqual([]);
    expect(report.compatible).toBe(c.compatible);
    if (c.detail) expect(report.changes.map((x) => x.detail).join('\n')).toMatch(c.detail);
    for (const x of report.changes) expect(x.object.startsWith(`${c.name}.`) || x.object === c.name).toBe(true);
  }, 30_000);

  it('reads a database in a fixed number of catalog queries, read-only, whatever its size', async () => {
    const client = await connect({ url: blueUrl, applicationName: 'verdicts' });
    try {
      const seen: string[] = [];
      const snapshot = await introspect(client, { onQuery: (q) => seen.push(q.name) });
      expect(snapshot.catalogQueries).toBe(12);
      expect(seen).toHaveLength(12);
      expect(Object.isFrozen(snapshot.relations)).toBe(true);
      expect(Object.isFrozen(Object.values(snapshot.relations)[0].columns[0])).toBe(true);
      const withRole = await introspect(client, { appRole: 'verdict_app' });
      expect(withRole.catalogQueries).toBe(14);
      // the transaction was READ ONLY and is over
      expect((await client.query("SELECT current_setting('transaction_read_only') AS ro")).rows[0].ro).toBe('off');
    } finally {
      await client.end();
    }
  });
});
