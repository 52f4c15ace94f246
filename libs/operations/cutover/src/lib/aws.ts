/**
 * The AWS SDK implementation of {@link DmsPort}: DMS for task state, table validation and start/stop; CloudWatch for
 * the CDC latency metrics (the DMS API has none). Every call has a connect and a request timeout and a bounded
 * number of attempts (the SDK's standard retry with backoff).
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DatabaseMigrationServiceClient,
  DescribeReplicationTasksCommand,
  DescribeTableStatisticsCommand,
  StartReplicationTaskCommand,
  StopReplicationTaskCommand,
} from '@aws-sdk/client-database-migration-service';
import type { CdcLatency, DmsPort, StartRequest, TaskRef, TaskState, ValidationSummary } from './ports';

export interface AwsDmsPortOptions {
  readonly region: string;
  /** TCP connect timeout per attempt. @default 3000 */
  readonly connectTimeoutMs?: number;
  /** Whole-request timeout per attempt. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Attempts per call, the first included. @default 3 */
  readonly maxAttempts?: number;
}

/** The SDK clients with the deadlines and retry budget of {@link AwsDmsPortOptions}. */
export function dmsClients(o: AwsDmsPortOptions): { dms: DatabaseMigrationServiceClient; cloudwatch: CloudWatchClient } {
  // The SDK builds its Node HTTP handler from these options (connect and whole-request deadline per attempt).
  // throwOnRequestTimeout: without it this SDK only logs a warning when an attempt's request timeout passes.
  const requestTimeout = o.requestTimeoutMs ?? 10_000;
  const requestHandler = { connectionTimeout: o.connectTimeoutMs ?? 3_000, requestTimeout, socketTimeout: requestTimeout, throwOnRequestTimeout: true };
  const common = { region: o.region, maxAttempts: o.maxAttempts ?? 3, requestHandler };
  return { dms: new DatabaseMigrationServiceClient(common), cloudwatch: new CloudWatchClient(common) };
}

const FAILED = /mismatch|fail|error|cancel|suspend/i;

/** Classifies a DMS `ValidationState`. */
export function validationClass(state: string | undefined): 'validated' | 'failed' | 'pending' {
  if (state === 'Validated') return 'validated';
  if (state && FAILED.test(state)) return 'failed';
  return 'pending';
}

/** The resource id a DMS task's metrics are dimensioned by: the last field of its ARN. */
export const taskResourceId = (taskArn: string): string => taskArn.split(':').pop() ?? taskArn;

export function awsDmsPort(clients: { dms: DatabaseMigrationServiceClient; cloudwatch: CloudWatchClient }): DmsPort {
  const { dms, cloudwatch } = clients;
  return {
    async describeTask(taskArn: string): Promise<TaskState> {
      const res = await dms.send(new DescribeReplicationTasksCommand({ Filters: [{ Name: 'replication-task-arn', Values: [taskArn] }], WithoutSettings: true }));
      const t = res.ReplicationTasks?.[0];
      if (!t || !t.Status) throw new Error(`DMS task ${taskArn} not found (is the stack deployed, and is this the right account and region?)`);
      return {
        arn: taskArn,
        status: t.Status,
        ...(t.StopReason ? { stopReason: t.StopReason } : {}),
        ...(t.LastFailureMessage ? { lastError: t.LastFailureMessage } : {}),
        ...(t.MigrationType ? { migrationType: t.MigrationType } : {}),
        ...(t.ReplicationTaskStats?.FullLoadProgressPercent !== undefined ? { fullLoadPercent: t.ReplicationTaskStats.FullLoadProgressPercent } : {}),
      };
    },

    async validation(taskArn: string): Promise<ValidationSummary> {
      let validated = 0;
      let pending = 0;
      let failed = 0;
      let tables = 0;
      const failedTables: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const res = await dms.send(new DescribeTableStatisticsCommand({ ReplicationTaskArn: taskArn, Marker: marker, MaxRecords: 500 }));
        for (const s of res.TableStatistics ?? []) {
          tables++;
          const c = validationClass(s.ValidationState);
          if (c === 'validated') validated++;
          else if (c === 'pending') pending++;
          else {
            failed++;
            if (failedTables.length < 20) failedTables.push(`${s.SchemaName}.${s.TableName} (${s.ValidationState})`);
          }
        }
        marker = res.Marker;
        if (++pages > 1000) throw new Error(`DescribeTableStatistics of ${taskArn}: more than 1000 pages, stopped`);
      } while (marker);
      return { tables, validated, pending, failed, failedTables };
    },

    async cdcLatency(task: TaskRef, minutes: number): Promise<CdcLatency> {
      const end = new Date();
      const start = new Date(end.getTime() - minutes * 60_000);
      const dims = [
        { Name: 'ReplicationInstanceIdentifier', Value: task.instanceId },
        { Name: 'ReplicationTaskIdentifier', Value: taskResourceId(task.taskArn) },
      ];
      const q = (id: string, metric: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/DMS', MetricName: metric, Dimensions: dims }, Period: 60, Stat: 'Maximum' }, ReturnData: true });
      const res = await cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: [q('source', 'CDCLatencySource'), q('target', 'CDCLatencyTarget')], StartTime: start, EndTime: end, ScanBy: 'TimestampDescending' }));
      // The newest datapoint of each (ScanBy TimestampDescending): the latency now, not the worst of the window.
      const newest = (id: string) => res.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0];
      const source = newest('source');
      const target = newest('target');
      return { ...(source !== undefined ? { source } : {}), ...(target !== undefined ? { target } : {}) };
    },

    async startTask(taskArn: string, request: StartRequest): Promise<void> {
      await dms.send(new StartReplicationTaskCommand({ ReplicationTaskArn: taskArn, StartReplicationTaskType: request.kind }));
    },

    async stopTask(taskArn: string): Promise<void> {
      await dms.send(new StopReplicationTaskCommand({ ReplicationTaskArn: taskArn }));
    },
  };
}
