// The schema gate with --blue-url/--green-url runs @bluegreen/schema-compat against a real PostgreSQL (never a mock);
// only the AWS SDK (target health, alarms) is faked.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { testContract, testOutputsJson } from '@bluegreen/testing-aws';
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
  cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: testContract().services.monolith.alarms.green.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })) });
  dir = mkdtempSync(join(tmpdir(), 'traffic-gate-'));
  file = join(dir, 'environment.yaml');
  outputs = join(dir, 'outputs.json');
  writeFileSync(file, DEV);
  writeFileSync(outputs, testOutputsJson());
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function shift(blueUrl: string, greenUrl: string): Promise<{ code: number; out: string }> {
  let out = '';
  let code = -1;
  const program = new Command('bluegreen').exitOverride();
  registerTrafficCommands(program, { root: ROOT, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, setExitCode: (c) => (code = c) });
  await program.parseAsync(['node', 'bluegreen', 'traffic', 'shift', '--env', 'dev', '--config', file, '--outputs', outputs, '--to', 'green', '--percent', '5', '--blue-url', blueUrl, '--green-url', greenUrl]);
  return { code, out };
}

describe('traffic shift schema gate with direct URLs (real PostgreSQL)', () => {
  it('passes when green only adds a nullable column, then writes the weights', async () => {
    const blue = await pg.createDatabase('gate_blue');
    const green = await pg.createDatabase('gate_green');
    await pg.exec(blue, SCHEMA);
    await pg.exec(green, `${SCHEMA} ALTER TABLE orders ADD COLUMN channel text;`);
    const r = await shift(blue, green);
    expect(r.out).toContain('gate schema: PASS - compatible (direct check of the blue and green databases)');
    expect(r.code).toBe(0);
    expect(loadEnvironmentConfig(file).traffic).toMatchObject({ blue: 95, green: 5 });
    expect(lambdaMock.calls()).toHaveLength(0);
  }, 60_000);

  it('fails (exit 1, config untouched) when green drops a column the old version reads', async () => {
    const blue = await pg.createDatabase('gate_blue');
    const green = await pg.createDatabase('gate_green');
    await pg.exec(blue, SCHEMA);
    await pg.exec(green, 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);');
    const r = await shift(blue, green);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/gate schema: FAIL - incompatible .*public\.orders\.note/);
    expect(readFileSync(file, 'utf8')).toBe(DEV);
    expect(elbMock.calls()).toHaveLength(0); // stopped before the next gate
  }, 60_000);

  it('fails closed (exit 2) when a database cannot be reached', async () => {
    const blue = await pg.createDatabase('gate_blue');
    const r = await shift(blue, 'postgres://nobody:wrong@127.0.0.1:1/none?connect_timeout=2');
    expect(r.code).toBe(2);
    expect(r.out).toContain('gate schema: ERROR');
    expect(r.out).not.toContain('wrong@'); // no password in the output
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  }, 60_000);
});
