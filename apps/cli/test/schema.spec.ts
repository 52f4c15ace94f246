/**
 * `bluegreen schema check` end to end: the real binary (node apps/cli/bin/bluegreen.js) against real databases.
 */
import { connect } from '@bluegreen/pg-connect';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'bin', 'bluegreen.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, cwd: join(__dirname, '..', '..', '..') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const BASE = `
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(10) NOT NULL);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers(id), note text, status mood DEFAULT 'happy');
CREATE FUNCTION order_total(bigint) RETURNS numeric LANGUAGE sql AS 'SELECT 1::numeric';
`;

let pg: TestPostgres;
let blue: string;
let same: string;
let additive: string;
let breaking: string;
let warningOnly: string;
let emptyBlue: string;
let emptyGreen: string;

beforeAll(async () => {
  pg = await startPostgres();
  [blue, same, additive, breaking, warningOnly, emptyBlue, emptyGreen] = await Promise.all(['blue', 'same', 'additive', 'breaking', 'warning', 'empty_b', 'empty_g'].map((p) => pg.createDatabase(p)));
  await Promise.all([
    pg.exec(blue, BASE),
    pg.exec(same, BASE),
    pg.exec(additive, `${BASE} ALTER TABLE orders ADD COLUMN shipped_at timestamptz; ALTER TABLE customers ALTER COLUMN name TYPE varchar(20); ALTER TYPE mood ADD VALUE 'meh'; CREATE INDEX ON orders (customer_id);`),
    pg.exec(breaking, `${BASE} ALTER TABLE orders DROP COLUMN note; DROP FUNCTION order_total(bigint); CREATE FUNCTION order_total(bigint) RETURNS text LANGUAGE sql AS 'SELECT 1::text';`),
    pg.exec(warningOnly, `${BASE} ALTER TABLE customers ADD CONSTRAINT name_not_empty CHECK (name <> '');`),
  ]);
}, 60_000);
afterAll(async () => pg?.stop());

describe('bluegreen schema check', () => {
  it('exit 0 and compatible JSON for an additive change', async () => {
    const r = await run(['schema', 'check', '--blue', blue, '--green', additive, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.compatible).toBe(true);
    expect(report.summary).toMatchObject({ incompatible: 0 });
    expect(report.catalogQueries).toBe(12);
    expect(typeof report.durationMs).toBe('number');
    expect(report.blue.version).toMatch(/^\d+/);
    expect(report.green.database).toBeTruthy();
    expect(JSON.stringify(report)).not.toMatch(/:[^:@/]+@127/); // no password in the server info
    const objects = report.changes.map((c: { object: string }) => c.object);
    expect(objects).toEqual(expect.arrayContaining(['public.orders.shipped_at', 'public.customers.name', 'public.mood.meh']));
    for (const c of report.changes) expect(Object.keys(c).sort()).toEqual(['compatibility', 'dependsOnRole', 'detail', 'hint', 'kind', 'object']);
  }, 60_000);

  it('exit 0 and "No schema differences" for identical schemas', async () => {
    const r = await run(['schema', 'check', '--blue', blue, '--green', same]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No schema differences');
  }, 60_000);

  it('exit 1 with the breaking changes named, text grouped by verdict', async () => {
    const json = await run(['schema', 'check', '--blue', blue, '--green', breaking, '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.compatible).toBe(false);
    expect(report.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'column.dropped', object: 'public.orders.note', compatibility: 'incompatible' }),
        expect.objectContaining({ kind: 'function.return_type_changed', object: 'public.order_total(bigint)', compatibility: 'incompatible' }),
      ]),
    );
    const text = await run(['schema', 'check', '--blue', blue, '--green', breaking]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/INCOMPATIBLE — the old application will break \(\d+\)/);
    expect(text.stdout).toContain('public.orders.note');
    expect(text.stdout).toMatch(/^INCOMPATIBLE: \d+ change\(s\) break/m);
  }, 60_000);

  it('warnings pass by default and fail with --fail-on warning', async () => {
    const lenient = await run(['schema', 'check', '--blue', blue, '--green', warningOnly, '--format', 'json']);
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.stdout).summary.warning).toBe(1);
    const strict = await run(['schema', 'check', '--blue', blue, '--green', warningOnly, '--fail-on', 'warning']);
    expect(strict.code).toBe(1);
  }, 60_000);

  it('--schema limits the comparison', async () => {
    await pg.exec(same, 'CREATE SCHEMA other; CREATE TABLE other.x (id int)');
    await pg.exec(blue, 'CREATE SCHEMA other; CREATE TABLE other.x (id int, gone int)');
    const r = await run(['schema', 'check', '--blue', blue, '--green', same, '--schema', 'public', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
    const all = await run(['schema', 'check', '--blue', blue, '--green', same, '--format', 'json']);
    expect(all.code).toBe(1);
  }, 60_000);

  it('wrong password: exit 2, classified error on stderr, never compatible', async () => {
    const u = new URL(blue);
    u.password = 'not-the-password';
    const r = await run(['schema', 'check', '--blue', u.toString(), '--green', same, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('28P01');
    expect(r.stderr).toContain('authentication failed');
    expect(r.stderr).not.toContain('not-the-password');
    expect(JSON.parse(r.stdout)).toMatchObject({ compatible: false, error: { kind: 'authentication', code: '28P01', severity: 'FATAL' } });
    const text = await run(['schema', 'check', '--blue', u.toString(), '--green', same]);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
  }, 60_000);

  it('unreachable server: exit 2', async () => {
    const u = new URL(same);
    u.port = '1';
    const r = await run(['schema', 'check', '--blue', blue, '--green', u.toString(), '--connect-timeout', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ECONNREFUSED|cannot connect/);
    expect(r.stdout).not.toMatch(/COMPATIBLE/);
  }, 60_000);

  it('statement timeout (catalog read blocked behind DDL): exit 2', async () => {
    await pg.exec(same, 'CREATE VIEW locked_view AS SELECT 1 AS one');
    const holder = await connect({ url: same, applicationName: 'ddl-holder' });
    try {
      await holder.query('BEGIN; LOCK TABLE locked_view IN ACCESS EXCLUSIVE MODE');
      const r = await run(['schema', 'check', '--blue', blue, '--green', same, '--statement-timeout', '1', '--lock-timeout', '60', '--format', 'json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('57014');
      expect(JSON.parse(r.stdout)).toMatchObject({ compatible: false, error: { kind: 'timeout', code: '57014' } });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  }, 60_000);

  it('a missing --app-role on blue is a configuration error (exit 2); a role lost on green is incompatible', async () => {
    const missing = await run(['schema', 'check', '--blue', blue, '--green', same, '--app-role', 'no_such_role_xyz', '--schema', 'public']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('appRole: role "no_such_role_xyz" does not exist');
    await pg.exec(pg.adminUrl, "DO $$ BEGIN CREATE ROLE cli_app_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    await pg.exec(blue, 'GRANT SELECT, INSERT ON orders TO cli_app_role');
    await pg.exec(additive, 'GRANT SELECT ON orders TO cli_app_role');
    const r = await run(['schema', 'check', '--blue', blue, '--green', additive, '--app-role', 'cli_app_role', '--schema', 'public', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).changes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'privilege.lost', object: 'public.orders', compatibility: 'incompatible' })]));
  }, 60_000);

  it('reports exactly which schemas it compared, in JSON and in text', async () => {
    const json = await run(['schema', 'check', '--blue', blue, '--green', additive, '--schema', 'public', '--format', 'json']);
    expect([0, 1]).toContain(json.code); // a verdict (earlier tests changed grants)
    expect(JSON.parse(json.stdout).compared).toEqual({ schemas: ['public'], objects: expect.any(Number) });
    expect(JSON.parse(json.stdout).compared.objects).toBeGreaterThanOrEqual(4);
    const text = await run(['schema', 'check', '--blue', blue, '--green', additive, '--schema', 'public']);
    expect(text.stdout).toMatch(/^compared: schema public \(\d+ objects\)$/m);
  }, 60_000);

  it('a --schema that exists on neither side is an error naming it, with the closest existing name: exit 2, never compatible', async () => {
    const r = await run(['schema', 'check', '--blue', blue, '--green', same, '--schema', 'pubic', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"pubic"');
    expect(r.stderr).toContain('did you mean "public"?');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ compatible: false, error: { kind: 'configuration' } });
    expect(out.error.message).toContain('"pubic"');
    const text = await run(['schema', 'check', '--blue', blue, '--green', same, '--exclude-schema', 'pubic']);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('"pubic"');
    expect(text.stdout).not.toMatch(/COMPATIBLE/);
  }, 60_000);

  it('zero objects compared is exit 2 "nothing to compare"; --allow-empty accepts it', async () => {
    // both databases hold nothing but the public schema: excluding it leaves nothing
    const excluded = await run(['schema', 'check', '--blue', emptyBlue, '--green', emptyGreen, '--exclude-schema', 'public', '--format', 'json']);
    expect(excluded.code).toBe(2);
    expect(excluded.stderr).toContain('nothing to compare');
    expect(JSON.parse(excluded.stdout)).toMatchObject({ compatible: false, error: { kind: 'nothing-to-compare' }, compared: { schemas: [], objects: 0 } });
    // public is there but empty on both sides: no object was compared either
    const empty = await run(['schema', 'check', '--blue', emptyBlue, '--green', emptyGreen]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('nothing to compare');
    expect(empty.stdout).not.toMatch(/COMPATIBLE/);
    const allowed = await run(['schema', 'check', '--blue', emptyBlue, '--green', emptyGreen, '--allow-empty', '--format', 'json']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ compatible: true, compared: { schemas: ['public'], objects: 0 } });
  }, 60_000);

  it('usage errors exit 64', async () => {
    const r = await run(['schema', 'check', '--blue', 'mysql://x', '--green', blue]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--blue must be a postgres:// or postgresql:// URL');
  }, 60_000);

  describe('--service: the schema and role the environment config names for the service', () => {
    let svcBlue: string;
    let svcGreen: string;
    beforeAll(async () => {
      [svcBlue, svcGreen] = await Promise.all([pg.createDatabase('svc_b'), pg.createDatabase('svc_g')]);
      // dev's catalog owns the schema catalog and connects as catalog_app; the monolith owns public.
      const setup =
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'catalog_app') THEN CREATE ROLE catalog_app; END IF; END $$; CREATE SCHEMA catalog; CREATE TABLE catalog.items (id bigint PRIMARY KEY, title text); GRANT USAGE ON SCHEMA catalog TO catalog_app; GRANT SELECT ON catalog.items TO catalog_app;";
      await pg.exec(svcBlue, `${BASE} ${setup}`);
      // Green breaks the monolith's schema (a dropped column) and takes a grant from catalog_app.
      await pg.exec(svcGreen, `${BASE} ${setup} ALTER TABLE orders DROP COLUMN note; REVOKE SELECT ON catalog.items FROM catalog_app;`);
    }, 60_000);

    it("compares the service's schema only, as its role", async () => {
      const catalog = await run(['schema', 'check', '--blue', svcBlue, '--green', svcGreen, '--env', 'dev', '--service', 'catalog', '--format', 'json']);
      expect(catalog.code).toBe(1);
      const report = JSON.parse(catalog.stdout);
      expect(report).toMatchObject({ appRole: 'catalog_app', compared: { schemas: ['catalog'] } });
      const objects: string[] = report.changes.map((c: { object: string }) => c.object);
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.every((o) => o.startsWith('catalog.items'))).toBe(true); // nothing of public.orders
      expect(report.changes.map((c: { kind: string }) => c.kind)).toContain('privilege.revoked');
      const monolith = await run(['schema', 'check', '--blue', svcBlue, '--green', svcGreen, '--env', 'dev', '--service', 'monolith', '--format', 'json']);
      expect(monolith.code).toBe(1);
      expect(JSON.parse(monolith.stdout)).toMatchObject({ appRole: null, compared: { schemas: ['public'] } });
      expect(JSON.parse(monolith.stdout).changes.map((c: { object: string }) => c.object)).toContain('public.orders.note');
    }, 60_000);

    it('usage errors (exit 64): an unknown service (naming those there are), --service without --env, --service with --schema', async () => {
      const unknown = await run(['schema', 'check', '--blue', svcBlue, '--green', svcGreen, '--env', 'dev', '--service', 'payments']);
      expect(unknown.code).toBe(64);
      expect(unknown.stderr).toContain('--service "payments": environment dev has no such service (services: monolith, catalog)');
      const noEnv = await run(['schema', 'check', '--blue', svcBlue, '--green', svcGreen, '--service', 'catalog']);
      expect(noEnv.code).toBe(64);
      expect(noEnv.stderr).toContain('--service needs --env');
      const both = await run(['schema', 'check', '--blue', svcBlue, '--green', svcGreen, '--env', 'dev', '--service', 'catalog', '--schema', 'public']);
      expect(both.code).toBe(64);
      expect(both.stderr).toContain('--service takes the schema from the config (services.catalog.databaseSchema): leave out --schema');
    }, 60_000);
  });
});
