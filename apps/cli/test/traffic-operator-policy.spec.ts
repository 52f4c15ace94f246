// The operator policy is the list of IAM actions in @bluegreen/contract (OPERATOR_ACTIONS). This test runs every
// command that calls AWS through the real command line, with every SDK client faked at its boundary
// (aws-sdk-client-mock) and answering enough for the command to go all the way, and fails when a command sends an
// SDK command that the list does not give that command.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DatabaseMigrationServiceClient } from '@aws-sdk/client-database-migration-service';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { OPERATOR_ACTIONS, OPERATOR_COMMANDS, operatorSdkCommandsOf, type OperatorCommand } from '@bluegreen/contract';
import { TEST_ARNS, testContract, testStateDocument } from '@bluegreen/testing-aws';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main';

const ROOT = join(__dirname, '../../..');
const contract = testContract({ migration: { forwardTaskArn: TEST_ARNS.forwardTask, reverseTaskArn: TEST_ARNS.reverseTask, alarms: ['alarm-dms-cdc-latency-dev'], replicationInstanceId: 'dms-dev', cdcLatencyThresholdSeconds: 60 } });
const state = testStateDocument(5, { bluegreen: { value: contract, type: ['object', {}] } });
const payload = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const alarms = (names: readonly string[]) => ({ MetricAlarms: names.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })) });

/** Every client answers whatever it is asked with something plausible, and records what was sent. */
const mocks: Array<AwsStub<object, { $metadata: object }, object>> = [];
function fake<T>(client: new (config: object) => T, answer: (command: string, input: Record<string, unknown>) => unknown) {
  const m = mockClient(client as never) as unknown as AwsStub<object, { $metadata: object }, object>;
  mocks.push(m);
  return { m, answer };
}
const all = [
  fake(S3Client, () => ({ Body: { transformToString: async () => state }, LastModified: new Date('2026-11-22T03:00:00Z') })),
  fake(ElasticLoadBalancingV2Client, (cmd) =>
    cmd === 'DescribeListenersCommand'
      ? { Listeners: [{ DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: TEST_ARNS.blueTargetGroup, Weight: 90 }, { TargetGroupArn: TEST_ARNS.greenTargetGroup, Weight: 10 }] } }] }] }
      : cmd === 'DescribeRulesCommand'
        ? { Rules: [{ Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: TEST_ARNS.catalogBlueTargetGroup, Weight: 100 }, { TargetGroupArn: TEST_ARNS.catalogGreenTargetGroup, Weight: 0 }] } }] }] }
        : cmd === 'DescribeTargetHealthCommand'
        ? { TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] }
        : {},
  ),
  fake(CloudWatchClient, (cmd, input) =>
    cmd === 'DescribeAlarmsCommand'
      ? alarms((input.AlarmNames as string[]) ?? [])
      : { MetricDataResults: [{ Id: 'requests', Values: [5000] }, { Id: 'http5xx', Values: [1] }, { Id: 'p95', Values: [0.2] }, { Id: 'unhealthy', Values: [0] }, { Id: 'source', Values: [3] }, { Id: 'target', Values: [4] }] },
  ),
  fake(ECSClient, () => ({ services: [{ serviceName: 'ecs-service-blue-dev', status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 }] })),
  fake(LambdaClient, () => ({ StatusCode: 200, Payload: payload({ ok: true, compatible: true, changes: [] }) })),
  fake(DatabaseMigrationServiceClient, (cmd, input) => {
    // A task stops when asked and runs when started, so the cutover and rollback steps go all the way.
    const arn = (input.ReplicationTaskArn as string) ?? ((input.Filters as Array<{ Values: string[] }>)?.[0]?.Values[0] as string);
    if (cmd === 'StopReplicationTaskCommand') tasks[arn] = 'stopped';
    if (cmd === 'StartReplicationTaskCommand') tasks[arn] = 'running';
    if (cmd === 'DescribeReplicationTasksCommand') return { ReplicationTasks: [{ Status: tasks[arn] ?? 'running', MigrationType: 'full-load-and-cdc' }] };
    if (cmd === 'DescribeTableStatisticsCommand') return { TableStatistics: [{ SchemaName: 'public', TableName: 'orders', ValidationState: 'Validated' }] };
    return {};
  }),
];

let dir: string;
let file: string;
let tasks: Record<string, string> = {};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'operator-policy-'));
  file = join(dir, 'environment.yaml');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  // dev as shipped (monolith + catalog), the monolith at 90/10.
  writeFileSync(file, readFileSync(join(ROOT, 'apps/dev/environment.yaml'), 'utf8').replace('      blue: 100\n      green: 0', '      blue: 90\n      green: 10'));
  for (const { m, answer } of all) {
    m.reset();
    m.onAnyCommand().callsFake((input: Record<string, unknown>, getClient: unknown) => {
      void getClient;
      const last = m.calls()[m.calls().length - 1];
      return answer((last.args[0] as object).constructor.name, input);
    });
  }
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

/** The SDK commands a run sent, by class name. */
const sent = () => new Set(mocks.flatMap((m) => m.calls().map((c) => (c.args[0] as object).constructor.name)));

const verify = join(tmpdir(), `operator-policy-verify-${process.pid}.json`);
/** Where the DMS tasks stand before each command: before a cutover, or after it (for the way back). */
const taskStates: Partial<Record<OperatorCommand, Record<string, string>>> = {
  'migration rollback': { [TEST_ARNS.forwardTask]: 'stopped', [TEST_ARNS.reverseTask]: 'running' },
};
const runs: Record<OperatorCommand, string[]> = {
  'traffic status': ['traffic', 'status', '--env', 'dev', '--config', '<file>'],
  'traffic shift': ['traffic', 'shift', '--env', 'dev', '--config', '<file>', '--service', 'monolith', '--to', 'green', '--percent', '25'],
  'traffic watch': ['traffic', 'watch', '--env', 'dev', '--config', '<file>', '--service', 'monolith', '--minutes', '0'],
  'traffic rollback': ['traffic', 'rollback', '--env', 'dev', '--config', '<file>', '--service', 'monolith'],
  'state show': ['state', 'show', '--env', 'dev', '--config', '<file>'],
  'migration status': ['migration', 'status', '--env', 'dev'],
  'migration cutover': ['migration', 'cutover', '--env', 'dev', '--execute', '--writes-stopped', '--verify-report', verify],
  'migration rollback': ['migration', 'rollback', '--env', 'dev', '--execute', '--writes-stopped', '--verify-report', verify],
};

describe('operator policy: every SDK command a command sends is in OPERATOR_ACTIONS for that command', () => {
  beforeAll(() => writeFileSync(verify, JSON.stringify({ identical: true, complete: true, source: 'old:5432/app', target: 'new:5432/app', compared: ['public.orders'], tables: [], convergedChunks: [], warnings: [], stats: {} })));
  afterAll(() => rmSync(verify, { force: true }));

  it.each(OPERATOR_COMMANDS.map((c) => [c]))('%s', async (command) => {
    process.exitCode = undefined;
    tasks = { [TEST_ARNS.forwardTask]: 'running', [TEST_ARNS.reverseTask]: 'ready', ...taskStates[command] };
    await main(['node', 'bluegreen', ...runs[command].map((a) => (a === '<file>' ? file : a))]);
    const used = sent();
    expect(used.size).toBeGreaterThan(0); // it really went to AWS (through the fakes)
    if (command === 'migration cutover') expect(used.has('StopReplicationTaskCommand') && used.has('StartReplicationTaskCommand')).toBe(true);
    if (command === 'migration rollback') expect(used.has('StopReplicationTaskCommand')).toBe(true);
    const allowed = operatorSdkCommandsOf(command);
    expect([...used].filter((c) => !allowed.has(c))).toEqual([]);
    // Outputs came from the remote state object (no --outputs, no terraform).
    if (command !== 'state show') expect(used.has('GetObjectCommand')).toBe(true);
  });

  it('the check can fail: rollback sends ModifyListener, which status may not', async () => {
    await main(['node', 'bluegreen', 'traffic', 'rollback', '--env', 'dev', '--config', file, '--service', 'monolith']);
    expect(sent().has('ModifyListenerCommand')).toBe(true);
    expect(operatorSdkCommandsOf('traffic status').has('ModifyListenerCommand')).toBe(false);
  });

  it("a rollback of catalog sends ModifyRule on catalog's rule (in the list), and no ModifyListener; status reads both forwards", async () => {
    await main(['node', 'bluegreen', 'traffic', 'rollback', '--env', 'dev', '--config', file, '--service', 'catalog']);
    const elb = mocks[1].calls().map((c) => [(c.args[0] as object).constructor.name, (c.args[0] as { input: Record<string, unknown> }).input]);
    expect(elb.filter(([n]) => String(n).startsWith('Modify'))).toEqual([['ModifyRuleCommand', expect.objectContaining({ RuleArn: TEST_ARNS.catalogRule })]]);
    expect(operatorSdkCommandsOf('traffic rollback').has('ModifyRuleCommand')).toBe(true);
    for (const m of mocks) m.resetHistory();
    await main(['node', 'bluegreen', 'traffic', 'status', '--env', 'dev', '--config', file]);
    expect(sent()).toEqual(expect.objectContaining({}));
    expect([...sent()].filter((c) => c.startsWith('Describe')).sort()).toEqual(['DescribeAlarmsCommand', 'DescribeListenersCommand', 'DescribeRulesCommand', 'DescribeServicesCommand', 'DescribeTargetHealthCommand']);
  });

  it('every action names its resource, and "*" only with its reason', () => {
    for (const a of OPERATOR_ACTIONS) {
      expect(a.action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      if (a.resource === '*') expect(a.starReason).toBeTruthy();
      else expect(a.starReason).toBeUndefined();
    }
  });
});

describe('docs/operating.md shows the operator policy as the list says it', () => {
  const doc = readFileSync(join(ROOT, 'docs/operating.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- operator-policy:begin -->'), doc.indexOf('<!-- operator-policy:end -->'));
  const rows = table
    .split('\n')
    .filter((l) => /^\| `/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));
  /** `traffic status, shift; state show` -> ['traffic status', 'traffic shift', 'state show'] */
  const commands = (cell: string) =>
    cell.split(';').flatMap((group) => {
      const [first, ...rest] = group.trim().split(/,\s*/);
      const [noun] = first.split(' ');
      return [first, ...rest.map((verb) => `${noun} ${verb}`)];
    });

  it('one row per action, with its commands and, for "*", its reason', () => {
    expect(rows.map((r) => r[1].replace(/`/g, '')).sort()).toEqual([...new Set(OPERATOR_ACTIONS.map((a) => a.action))].sort());
    for (const r of rows) {
      const action = r[1].replace(/`/g, '');
      const listed = OPERATOR_ACTIONS.filter((a) => a.action === action);
      expect({ action, commands: commands(r[3]).sort() }).toEqual({ action, commands: [...new Set(listed.flatMap((a) => a.commands))].sort() });
      const star = listed.find((a) => a.resource === '*');
      if (star) expect(r[2]).toBe(`\`*\`: ${star.starReason}`);
      else expect(r[2]).not.toContain('`*`');
    }
  });
});
