// The schema gate with --blue-url/--green-url runs @bluegreen/schema-compat against a real PostgreSQL (never a mock);
// only the AWS SDK (target health, alarms) is faked.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { testOutputsJson } from '@bluegreen/testing-aws';
import { mockClient } from 'aws-sdk-client-mock';
import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerTrafficCommands } from '../src/commands/traffic';

const ROOT = join(__dirname, '../../..');
const DEV = readFileSync(join(ROOT, 'apps/dev/environment.yaml'), 'utf8');
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const cwMock = mockClient(CloudWatchClient);
const lambdaMock = mockClient(LambdaClient);

let pg: TestPostgres;
let dir: string;
let file: string;
let outputs: string;
const SCHEMA = 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL, note text);';

beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => pg?.stop());

beforeEach(() => {
  elbMock.reset();
  cwMock.reset();
  lambdaMock.reset();
  elbMock.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] });
  cwMock.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({ MetricAlarms: input.AlarmNames.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })) }));
  dir = mkdtempSync(join(tmpdir(), 'traffic-gate-'));
  file = join(dir, 'environment.yaml');
  outputs = join(dir, 'outputs.json');
  writeFileSync(file, DEV);
  writeFileSync(outputs, testOutputsJson());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function shift(blueUrl: string, greenUrl: string, service = 'monolith'): Promise<{ code: number; out: string }> {
  let out = '';
  let code = -1;
  const program = new Command('bluegreen').exitOverride();
  registerTrafficCommands(program, { root: ROOT, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, setExitCode: (c) => (code = c) });
  await program.parseAsync(['node', 'bluegreen', 'traffic', 'shift', '--env', 'dev', '--config', file, '--outputs', outputs, '--service', service, '--to', 'green', '--percent', service === 'catalog' ? '10' : '5', '--blue-url', blueUrl, '--green-url', greenUrl]);
  return { code, out };
}

describe('traffic shift schema gate with direct URLs (real PostgreSQL)', () => {
  it('passes when green only adds a nullable column, then writes the weights', async () => {
    const blue = await pg.createDatabase('gate_blue');
    const green = await pg.createDatabase('gate_green');
    await pg.exec(blue, SCHEMA);
    await pg.exec(green, `${SCHEMA} ALTER TABLE orders ADD COLUMN channel text;`);
    const r = await shift(blue, green);
    expect(r.out).toContain('gate schema:monolith: PASS - compatible (schema public, direct check of the blue and green databases)');
    expect(r.code).toBe(0);
    expect(loadEnvironmentConfig(file).services.monolith.traffic).toMatchObject({ blue: 95, green: 5 });
    expect(lambdaMock.calls()).toHaveLength(0);
  }, 60_000);

  it('fails (exit 1, config untouched) when green drops a column the old version reads', async () => {
    const blue = await pg.createDatabase('gate_blue');
    const green = await pg.createDatabase('gate_green');
    await pg.exec(blue, SCHEMA);
    await pg.exec(green, 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);');
    const r = await shift(blue, green);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/gate schema:monolith: FAIL - incompatible .*public\.orders\.note/);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
    expect(elbMock.calls()).toHaveLength(0); // stopped before the next gate
  }, 60_000);

  it("checks only the service's own schema, as its role: a break in the monolith's schema does not stop catalog, one in catalog's does", async () => {
    // catalog owns the schema catalog and connects as catalog_app (services.catalog.databaseRole in dev).
    const blue = await pg.createDatabase('gate_blue');
    const green = await pg.createDatabase('gate_green');
    const setup = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'catalog_app') THEN CREATE ROLE catalog_app; END IF; END $$; CREATE SCHEMA catalog; CREATE TABLE catalog.items (id bigint PRIMARY KEY, title text); GRANT USAGE ON SCHEMA catalog TO catalog_app; GRANT SELECT ON catalog.items TO catalog_app;";
    await pg.exec(blue, `${SCHEMA} ${setup}`);
    await pg.exec(green, `CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL); ${setup}`);
    const ok = await shift(blue, green, 'catalog');
    expect(ok.out).toContain('gate schema:catalog: PASS - compatible (schema catalog as catalog_app, direct check of the blue and green databases)');
    expect(ok.code).toBe(0);
    expect(loadEnvironmentConfig(file).services.catalog.traffic).toMatchObject({ blue: 90, green: 10 });
    expect(loadEnvironmentConfig(file).services.monolith.traffic).toMatchObject({ blue: 100, green: 0 });
    writeFileSync(file, DEV);
    await pg.exec(green, 'REVOKE SELECT ON catalog.items FROM catalog_app;');
    const revoked = await shift(blue, green, 'catalog');
    expect(revoked.code).toBe(1);
    expect(revoked.out).toMatch(/gate schema:catalog: FAIL - incompatible .*catalog\.items/);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  }, 60_000);

  it('fails closed (exit 2) when a database cannot be reached', async () => {
    const blue = await pg.createDatabase('gate_blue');
    const r = await shift(blue, 'postgres://nobody:wrong@127.0.0.1:1/none?connect_timeout=2');
    expect(r.code).toBe(2);
    expect(r.out).toContain('gate schema:monolith: ERROR');
    expect(r.out).not.toContain('wrong@'); // no password in the output
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  }, 60_000);
});
