// The way back: the reverse task new -> old, its endpoints, alarms and failure events; absent unless asked for.
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { Naming } from '@bluegreen/config';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { DmsMigration, type DmsMigrationProps } from '../src';
import { greenTarget, legacySource } from './fixture';

Testing.setupJest();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const RDS_CA = 'arn:aws:dms:us-east-1:111111111111:cert:RDSCA';
const base: DmsMigrationProps = {
  naming: new Naming('qa1'),
  region: 'us-east-1',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  multiAz: false,
  source: legacySource,
  target: { ...greenTarget, certificateArn: RDS_CA },
  alarmTopicArn: 'arn:aws:sns:us-east-1:111111111111:alarms-qa1',
};
function synth(props: Partial<DmsMigrationProps> = {}) {
  let construct: DmsMigration | undefined;
  const json = Testing.synthScope((scope) => {
    construct = new DmsMigration(scope, 'migration', { ...base, ...props });
  });
  return { json, parsed: JSON.parse(json) as Json, construct: construct as DmsMigration };
}
const all = (j: Json, type: string): Json[] => Object.values(j.resource[type] ?? {});

describe('DmsMigration reverse replication', () => {
  const { json, parsed, construct } = synth({ reverse: {} });

  it('adds a CDC-only task new -> old on the same instance, created stopped (cutover starts it)', () => {
    expect(json).toHaveResourceWithProperties(DmsReplicationTask, { replication_task_id: 'dms-reverse-task-qa1', migration_type: 'cdc', start_replication_task: false });
    const reverse = all(parsed, 'aws_dms_replication_task').find((t) => t.replication_task_id === 'dms-reverse-task-qa1');
    expect(reverse.source_endpoint_arn).toMatch(/aws_dms_endpoint\.migration_reverse-source-endpoint_/);
    expect(reverse.target_endpoint_arn).toMatch(/aws_dms_endpoint\.migration_reverse-target-endpoint_/);
    expect(reverse.replication_instance_arn).toMatch(/aws_dms_replication_instance\.migration_replication-instance_/);
    expect(JSON.parse(reverse.table_mappings)).toEqual(JSON.parse(all(parsed, 'aws_dms_replication_task').find((t) => t.migration_type === 'full-load-and-cdc').table_mappings));
    expect(construct.reverseTaskArn).toBeDefined();
  });

  it('reads the new database and writes the old one over TLS verify-full, credentials from Secrets Manager via the access role', () => {
    expect(json).toHaveResourceWithProperties(DmsEndpoint, { endpoint_id: 'dms-reverse-source-qa1', endpoint_type: 'source', engine_name: 'aurora-postgresql', ssl_mode: 'verify-full', certificate_arn: RDS_CA });
    expect(json).toHaveResourceWithProperties(DmsEndpoint, { endpoint_id: 'dms-reverse-target-qa1', endpoint_type: 'target', engine_name: 'postgres', ssl_mode: 'verify-full', secrets_manager_arn: legacySource.secretArn });
    for (const e of all(parsed, 'aws_dms_endpoint')) {
      expect(e.secrets_manager_access_role_arn).toMatch(/aws_iam_role\.migration_secrets-access-role_/);
      for (const field of ['password', 'username', 'server_name']) expect(e[field]).toBeUndefined();
    }
    const source = all(parsed, 'aws_dms_endpoint').find((e) => e.endpoint_id === 'dms-reverse-source-qa1');
    expect(source.postgres_settings).toMatchObject({ heartbeat_enable: true });
    expect(source.secrets_manager_arn).toMatch(/aws_secretsmanager_secret\.migration_green-connection-secret_/);
  });

  it('lets the access role read a separate writer secret for the old database when given', () => {
    const writer = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:legacy-writer-XyZ';
    const { parsed: p } = synth({ reverse: { targetSecretArn: writer } });
    const policy = JSON.parse(all(p, 'aws_iam_role_policy')[0].policy);
    expect(policy.Statement[0].Resource).toEqual([legacySource.secretArn, expect.stringMatching(/green-connection-secret/), writer]);
  });

  it('alarms on the reverse CDC latency and sends either task failing to the topic', () => {
    for (const side of ['source', 'target']) {
      expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, { alarm_name: `alarm-dms-reverse-cdc-latency-${side}-qa1`, metric_name: `CDCLatency${side === 'source' ? 'Source' : 'Target'}`, threshold: 300, alarm_actions: [base.alarmTopicArn] });
    }
    const alarm = all(parsed, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === 'alarm-dms-reverse-cdc-latency-target-qa1');
    expect(alarm.dimensions.ReplicationTaskIdentifier).toMatch(/migration_reverse-replication-task_/);
    const rule = JSON.parse(all(parsed, 'aws_cloudwatch_event_rule')[0].event_pattern);
    expect(rule.resources).toHaveLength(2);
    expect(construct.contract).toEqual({
      forwardTaskArn: construct.replicationTaskArn,
      reverseTaskArn: construct.reverseTaskArn,
      alarms: ['alarm-dms-cdc-latency-source-qa1', 'alarm-dms-cdc-latency-target-qa1', 'alarm-dms-reverse-cdc-latency-source-qa1', 'alarm-dms-reverse-cdc-latency-target-qa1'],
      replicationInstanceId: 'dms-qa1',
      reverseAlarms: ['alarm-dms-reverse-cdc-latency-source-qa1', 'alarm-dms-reverse-cdc-latency-target-qa1'],
      cdcLatencyThresholdSeconds: 300,
    });
    expect(construct.targetNeedsLogicalReplication).toBe(true);
  });

  it('is absent unless asked for: one task, two endpoints, two alarms', () => {
    const { parsed: p, construct: c } = synth({ target: greenTarget });
    expect(all(p, 'aws_dms_replication_task')).toHaveLength(1);
    expect(all(p, 'aws_dms_endpoint')).toHaveLength(2);
    expect(all(p, 'aws_cloudwatch_metric_alarm')).toHaveLength(2);
    expect(c.reverseTaskArn).toBeUndefined();
    expect(c.contract.reverseTaskArn).toBeUndefined();
    expect(c.targetNeedsLogicalReplication).toBe(false);
  });

  it('refuses reverse replication without TLS verify-full on the Aurora ends', () => {
    expect(() => synth({ target: greenTarget, reverse: {} })).toThrow('target.certificateArn: is required with reverse');
    expect(() => synth({ source: { ...greenTarget, colour: 'blue', securityGroupId: 'sg-blue' }, reverse: {} })).toThrow('source.certificateArn: is required with reverse');
  });
});
