// The AWS adapter against the SDK, faked at its boundary (aws-sdk-client-mock): the requests it sends and how it
// reads the answers.
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DatabaseMigrationServiceClient,
  DescribeReplicationTasksCommand,
  DescribeTableStatisticsCommand,
  StartReplicationTaskCommand,
  StopReplicationTaskCommand,
} from '@aws-sdk/client-database-migration-service';
import { mockClient } from 'aws-sdk-client-mock';
import { awsDmsPort, dmsClients, forwardCdcLatencyGate, taskResourceId } from '../src';

const TASK = 'arn:aws:dms:us-east-1:111111111111:task:ABCDEF123';
const dms = mockClient(DatabaseMigrationServiceClient);
const cw = mockClient(CloudWatchClient);
beforeEach(() => {
  dms.reset();
  cw.reset();
});
const port = () => awsDmsPort(dmsClients({ region: 'us-east-1' }));

describe('awsDmsPort', () => {
  it('reads a task by ARN: status, stop reason, last error, full load progress', async () => {
    dms.on(DescribeReplicationTasksCommand).resolves({
      ReplicationTasks: [{ Status: 'failed', StopReason: 'Stop Reason FATAL_ERROR', LastFailureMessage: 'relation "x" does not exist', MigrationType: 'cdc', ReplicationTaskStats: { FullLoadProgressPercent: 100 } }],
    });
    expect(await port().describeTask(TASK)).toEqual({ arn: TASK, status: 'failed', stopReason: 'Stop Reason FATAL_ERROR', lastError: 'relation "x" does not exist', migrationType: 'cdc', fullLoadPercent: 100 });
    expect(dms.commandCalls(DescribeReplicationTasksCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'replication-task-arn', Values: [TASK] }], WithoutSettings: true });
    dms.on(DescribeReplicationTasksCommand).resolves({ ReplicationTasks: [] });
    await expect(port().describeTask(TASK)).rejects.toThrow(`DMS task ${TASK} not found`);
  });

  it('sums table validation over every page and names the failed tables', async () => {
    dms
      .on(DescribeTableStatisticsCommand, { Marker: undefined })
      .resolves({ Marker: 'p2', TableStatistics: [{ SchemaName: 'public', TableName: 'a', ValidationState: 'Validated' }, { SchemaName: 'public', TableName: 'b', ValidationState: 'Mismatched records' }] })
      .on(DescribeTableStatisticsCommand, { Marker: 'p2' })
      .resolves({ TableStatistics: [{ SchemaName: 'public', TableName: 'c', ValidationState: 'Pending records' }, { SchemaName: 'app', TableName: 'd', ValidationState: 'Suspended' }] });
    expect(await port().validation(TASK)).toEqual({ tables: 4, validated: 1, pending: 1, failed: 2, failedTables: ['public.b (Mismatched records)', 'app.d (Suspended)'] });
  });

  it('reads CDC latency from CloudWatch by instance and task resource id, newest datapoint; no datapoint stays unknown', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'source', Values: [3, 90] }, { Id: 'target', Values: [] }] });
    expect(await port().cdcLatency({ taskArn: TASK, instanceId: 'dms-prod' }, 10)).toEqual({ source: 3 });
    const q = cw.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries ?? [];
    expect(q.map((x) => x.MetricStat?.Metric?.MetricName)).toEqual(['CDCLatencySource', 'CDCLatencyTarget']);
    expect(q[0].MetricStat?.Metric?.Dimensions).toEqual([
      { Name: 'ReplicationInstanceIdentifier', Value: 'dms-prod' },
      { Name: 'ReplicationTaskIdentifier', Value: 'ABCDEF123' },
    ]);
    expect(taskResourceId(TASK)).toBe('ABCDEF123');
  });

  it('starts and stops tasks', async () => {
    dms.on(StartReplicationTaskCommand).resolves({}).on(StopReplicationTaskCommand).resolves({});
    await port().startTask(TASK, { kind: 'start-replication' });
    await port().stopTask(TASK);
    expect(dms.commandCalls(StartReplicationTaskCommand)[0].args[0].input).toEqual({ ReplicationTaskArn: TASK, StartReplicationTaskType: 'start-replication' });
    expect(dms.commandCalls(StopReplicationTaskCommand)[0].args[0].input).toEqual({ ReplicationTaskArn: TASK });
  });

  it('builds clients with a connect and request deadline and a bounded retry budget', async () => {
    const { dms: client, cloudwatch } = dmsClients({ region: 'us-east-1', connectTimeoutMs: 1234, requestTimeoutMs: 5678, maxAttempts: 2 });
    for (const c of [client, cloudwatch]) {
      expect(await c.config.maxAttempts()).toBe(2);
      const handler = c.config.requestHandler as unknown as { configProvider: Promise<{ connectionTimeout: number; requestTimeout: number }> };
      expect(await handler.configProvider).toMatchObject({ connectionTimeout: 1234, requestTimeout: 5678 });
    }
  });
});

describe('forwardCdcLatencyGate (for the traffic command)', () => {
  const migration = { forwardTaskArn: TASK, alarms: [], replicationInstanceId: 'dms-prod', cdcLatencyThresholdSeconds: 60 };
  it('fails a shift while the forward task is behind, passes when caught up, errors when it cannot read', async () => {
    dms.on(DescribeReplicationTasksCommand).resolves({ ReplicationTasks: [{ Status: 'running' }] });
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'source', Values: [2] }, { Id: 'target', Values: [75] }] });
    const gate = forwardCdcLatencyGate(migration, port());
    expect(gate?.name).toBe('migration:cdc-latency');
    expect(await gate?.run()).toEqual({ status: 'fail', detail: 'forward CDC latency 75 s (source 2 s, target 75 s; limit 60 s)' });
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'source', Values: [2] }, { Id: 'target', Values: [1] }] });
    expect((await gate?.run())?.status).toBe('pass');
    cw.on(GetMetricDataCommand).rejects(new Error('Rate exceeded'));
    expect(await gate?.run()).toEqual({ status: 'error', detail: 'forward CDC latency could not be read: Rate exceeded' });
    expect(forwardCdcLatencyGate(undefined, port())).toBeUndefined();
  });
});
