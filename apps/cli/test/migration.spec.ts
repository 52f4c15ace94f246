// `bluegreen migration status|cutover|rollback` in process, the AWS SDK faked at its boundary.
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DatabaseMigrationServiceClient, DescribeReplicationTasksCommand, DescribeTableStatisticsCommand, StartReplicationTaskCommand, StopReplicationTaskCommand } from '@aws-sdk/client-database-migration-service';
import { STACK_CONTRACT_VERSION } from '@bluegreen/contract';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main';

const FWD = 'arn:aws:dms:us-east-1:111111111111:task:FWD';
const REV = 'arn:aws:dms:us-east-1:111111111111:task:REV';
const dms = mockClient(DatabaseMigrationServiceClient);
const cw = mockClient(CloudWatchClient);
let dir: string;
let out = '';
let err = '';

const contract = (migration?: object) => ({
  version: STACK_CONTRACT_VERSION,
  environment: 'prod',
  environmentSuffix: 'prod',
  region: 'us-east-1',
  accountId: '111111111111',
  loadBalancer: { arn: 'arn:alb', arnSuffix: 'app/alb/1', dnsName: 'alb.example', httpsListenerArn: 'arn:listener' },
  ecsClusterName: 'ecs-prod',
  services: { app: { name: 'app', route: { kind: 'default-action', listenerArn: 'arn:listener' }, targetGroups: { blue: { arn: 'a', arnSuffix: 'a' }, green: { arn: 'b', arnSuffix: 'b' } }, ecsServices: { blue: 'b', green: 'g' }, alarms: { blue: [], green: [] } } },
  defaultService: 'app',
  databases: { blue: { clusterId: 'aurora-blue-prod', endpoint: 'blue.example', masterSecretArn: 'arn:s1' }, green: { clusterId: 'aurora-green-prod', endpoint: 'green.example', masterSecretArn: 'arn:s2' } },
  alarmTopicArn: 'arn:sns',
  ...(migration ? { migration } : {}),
});
const MIGRATION = { forwardTaskArn: FWD, reverseTaskArn: REV, alarms: ['alarm-dms-cdc-latency-target-prod'], replicationInstanceId: 'dms-prod', cdcLatencyThresholdSeconds: 60 };

function outputs(value: object): string {
  const file = join(dir, `outputs-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ bluegreen: { value, type: 'object', sensitive: false } }));
  return file;
}
function verifyReport(identical: boolean): string {
  const file = join(dir, 'verify.json');
  writeFileSync(file, JSON.stringify({ identical, complete: true, source: 'old:5432/app', target: 'new:5432/app', compared: ['public.orders'], tables: [], convergedChunks: [], warnings: [], stats: {} }));
  return file;
}
const status: Record<string, string> = {};
async function run(...args: string[]): Promise<number> {
  out = '';
  err = '';
  process.exitCode = undefined;
  return main(['node', 'bluegreen', ...args]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-migration-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  dms.reset();
  cw.reset();
  status[FWD] = 'running';
  status[REV] = 'ready';
  dms.on(DescribeReplicationTasksCommand).callsFake((input: { Filters: { Values: string[] }[] }) => ({ ReplicationTasks: [{ Status: status[input.Filters[0].Values[0]] }] }));
  dms.on(DescribeTableStatisticsCommand).resolves({ TableStatistics: [{ SchemaName: 'public', TableName: 'orders', ValidationState: 'Validated' }] });
  dms.on(StopReplicationTaskCommand).callsFake((input: { ReplicationTaskArn: string }) => ((status[input.ReplicationTaskArn] = 'stopped'), {}));
  dms.on(StartReplicationTaskCommand).callsFake((input: { ReplicationTaskArn: string }) => ((status[input.ReplicationTaskArn] = 'running'), {}));
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'source', Values: [1] }, { Id: 'target', Values: [2] }] });
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => jest.restoreAllMocks());

describe('bluegreen migration', () => {
  it('status: both tasks, exit 0; JSON has every value', async () => {
    expect(await run('migration', 'status', '--env', 'prod', '--outputs', outputs(contract(MIGRATION)))).toBe(0);
    expect(out).toContain('forward task arn:aws:dms:us-east-1:111111111111:task:FWD');
    expect(out).toContain('reverse task arn:aws:dms:us-east-1:111111111111:task:REV');
    expect(await run('migration', 'status', '--env', 'prod', '--outputs', outputs(contract(MIGRATION)), '--format', 'json')).toBe(0);
    expect(JSON.parse(out).forward.latency).toEqual({ ok: true, value: { source: 1, target: 2 } });
  });

  it('cutover: prints the checks and the ordered steps (exit 0), touches nothing', async () => {
    expect(await run('migration', 'cutover', '--env', 'prod', '--outputs', outputs(contract(MIGRATION)), '--verify-report', verifyReport(true))).toBe(0);
    expect(out).toMatch(/1\. .*Stop writes on the old database \(aurora-blue-prod\)[\s\S]*5\. .*Start the reverse task[\s\S]*6\. .*aurora-green-prod/);
    expect(dms.commandCalls(StartReplicationTaskCommand)).toHaveLength(0);
  });

  it('cutover --execute --writes-stopped: stops forward, starts reverse', async () => {
    expect(await run('migration', 'cutover', '--env', 'prod', '--outputs', outputs(contract(MIGRATION)), '--verify-report', verifyReport(true), '--execute', '--writes-stopped')).toBe(0);
    expect(status).toEqual({ [FWD]: 'stopped', [REV]: 'running' });
    expect(out).toContain('DONE');
  });

  it('cutover exits 1 on a verify with differences, 2 without a report or a migration', async () => {
    expect(await run('migration', 'cutover', '--env', 'prod', '--outputs', outputs(contract(MIGRATION)), '--verify-report', verifyReport(false))).toBe(1);
    expect(out).toContain('BLOCKED');
    expect(await run('migration', 'cutover', '--env', 'prod', '--outputs', outputs(contract(MIGRATION)))).toBe(2);
    expect(await run('migration', 'status', '--env', 'prod', '--outputs', outputs(contract()))).toBe(2);
    expect(err).toContain('environment prod has no database migration');
  });

  it('rollback: blocked (exit 1) without a reverse task; usage errors are 64', async () => {
    expect(await run('migration', 'rollback', '--env', 'prod', '--outputs', outputs(contract({ ...MIGRATION, reverseTaskArn: undefined })), '--verify-report', verifyReport(true))).toBe(1);
    expect(await run('migration', 'rollback', '--env', 'PROD!')).toBe(64);
  });
});
