import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DmsCertificate } from '@cdktf/provider-aws/lib/dms-certificate';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationSubnetGroup } from '@cdktf/provider-aws/lib/dms-replication-subnet-group';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Naming } from '@bluegreen/config';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { DmsMigration, renderTableMappings, type DmsMigrationProps } from '../src';
import { greenTarget, legacySource, PEM } from './fixture';

Testing.setupJest();

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const base: DmsMigrationProps = {
  naming: new Naming('qa1'),
  region: 'us-east-1',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  multiAz: false,
  source: legacySource,
  target: greenTarget,
  alarmTopicArn: 'arn:aws:sns:us-east-1:111111111111:alarms-qa1',
};

function synth(props: Partial<DmsMigrationProps> = {}) {
  let construct: DmsMigration | undefined;
  const json = Testing.synthScope((scope) => {
    construct = new DmsMigration(scope, 'migration', { ...base, ...props });
  });
  return { json, resources: (JSON.parse(json) as { resource: Resources }).resource, construct: construct as DmsMigration };
}
const values = (r: Resources, type: string) => Object.values(r[type] ?? {});

describe('DmsMigration', () => {
  const { json, resources, construct } = synth();

  it('puts a private, KMS-encrypted replication instance in the private subnets, with its own security group', () => {
    expect(json).toHaveResourceWithProperties(DmsReplicationSubnetGroup, { replication_subnet_group_id: 'dms-subnets-qa1', subnet_ids: ['subnet-a', 'subnet-b', 'subnet-c'] });
    expect(json).toHaveResourceWithProperties(DmsReplicationInstance, {
      replication_instance_id: 'dms-qa1',
      publicly_accessible: false,
      multi_az: false,
      allocated_storage: 50,
      replication_instance_class: 'dms.t3.medium',
    });
    const instance = values(resources, 'aws_dms_replication_instance')[0];
    expect(instance.kms_key_arn).toMatch(/^\$\{aws_kms_key\.migration_kms-key_[A-Z0-9]+\.arn\}$/);
    expect(instance.vpc_security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.migration_security-group_/)]);
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 7 });
  });

  it('is multi-AZ when asked (prod) and uses a key passed in instead of creating one', () => {
    const { json: j, resources: r } = synth({ multiAz: true, kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/abc' });
    expect(j).toHaveResourceWithProperties(DmsReplicationInstance, { multi_az: true, kms_key_arn: 'arn:aws:kms:us-east-1:111111111111:key/abc' });
    expect(values(r, 'aws_kms_key')).toHaveLength(0);
  });

  it('reads host, port and credentials from Secrets Manager through an access role, never a password, and verifies the legacy TLS certificate', () => {
    expect(json).toHaveResourceWithProperties(DmsEndpoint, {
      endpoint_id: 'dms-source-qa1',
      endpoint_type: 'source',
      engine_name: 'postgres',
      database_name: 'orders',
      ssl_mode: 'verify-full',
      secrets_manager_arn: legacySource.secretArn,
    });
    expect(json).toHaveResourceWithProperties(DmsEndpoint, { endpoint_id: 'dms-target-qa1', endpoint_type: 'target', engine_name: 'aurora-postgresql', database_name: 'app', ssl_mode: 'require' });
    for (const e of values(resources, 'aws_dms_endpoint')) {
      for (const field of ['password', 'username', 'server_name', 'port']) expect(e[field]).toBeUndefined();
      expect(e.secrets_manager_access_role_arn).toMatch(/aws_iam_role\.migration_secrets-access-role_/);
    }
    // The green cluster's connection secret is created empty, KMS-encrypted; the operator puts the value in.
    expect(json).toHaveResourceWithProperties(SecretsmanagerSecret, { name: 'secret-dms-green-qa1', recovery_window_in_days: 0 });
    expect(values(resources, 'aws_secretsmanager_secret_version')).toHaveLength(0);
    const target = values(resources, 'aws_dms_endpoint').find((e) => e.endpoint_type === 'target') as Record<string, unknown>;
    expect(target.secrets_manager_arn).toMatch(/aws_secretsmanager_secret\.migration_green-connection-secret_[A-Z0-9]+\.arn/);
    expect(Object.keys(construct.connectionSecretArns)).toEqual(['green']);
    expect(json).toHaveResourceWithProperties(DmsCertificate, { certificate_id: 'dms-source-ca-qa1', certificate_pem: PEM });
    const source = values(resources, 'aws_dms_endpoint').find((e) => e.endpoint_type === 'source') as Record<string, unknown>;
    expect(source.certificate_arn).toMatch(/aws_dms_certificate\.migration_source-certificate_/);
    expect(json).not.toMatch(/"password"/);
  });

  it('uses a target secret passed in instead of creating one', () => {
    const { json: j, resources: r } = synth({ target: { ...greenTarget, secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:dms-green-XyZ', certificateArn: 'arn:aws:dms:us-east-1:111111111111:cert:RDSCA' } });
    expect(values(r, 'aws_secretsmanager_secret')).toHaveLength(0);
    expect(j).toHaveResourceWithProperties(DmsEndpoint, { endpoint_type: 'target', secrets_manager_arn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:dms-green-XyZ', ssl_mode: 'verify-full' });
  });

  it('gives the secrets role only the two secrets and their keys via Secrets Manager, trusting the regional DMS principal', () => {
    const role = values(resources, 'aws_iam_role').find((r) => r.name === 'role-dms-secrets-qa1') as Record<string, string>;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'dms.us-east-1.amazonaws.com' });
    const policy = JSON.parse(values(resources, 'aws_iam_role_policy')[0].policy as string);
    expect(policy.Statement).toEqual([
      {
        Sid: 'ReadEndpointSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: [legacySource.secretArn, expect.stringMatching(/aws_secretsmanager_secret\.migration_green-connection-secret_[A-Z0-9]+\.arn/)],
      },
      {
        Sid: 'DecryptEndpointSecrets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: [expect.stringMatching(/aws_kms_key\.migration_kms-key_[A-Z0-9]+\.arn/)],
        Condition: { StringLike: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  it('creates the DMS service roles with their fixed AWS names, trusting dms.amazonaws.com (and can leave them out)', () => {
    for (const name of ['dms-vpc-role', 'dms-cloudwatch-logs-role']) {
      const role = values(resources, 'aws_iam_role').find((r) => r.name === name) as Record<string, string>;
      expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'dms.amazonaws.com' });
    }
    expect(json).toHaveResourceWithProperties(IamRole, { name: 'dms-vpc-role' });
    const subnetGroup = values(resources, 'aws_dms_replication_subnet_group')[0];
    expect(subnetGroup.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/aws_iam_role_policy_attachment\.migration_dms-vpc-role-policy_/)]));
    const without = synth({ createServiceRoles: false }).resources;
    expect(values(without, 'aws_iam_role').map((r) => r.name)).toEqual(['role-dms-secrets-qa1']);
  });

  it('opens PostgreSQL from the instance to the target cluster and the legacy network only, plus HTTPS egress', () => {
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { security_group_id: greenTarget.securityGroupId, from_port: 5432, to_port: 5432, ip_protocol: 'tcp' });
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { referenced_security_group_id: greenTarget.securityGroupId, from_port: 5432 });
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { cidr_ipv4: '192.168.10.0/24', from_port: 5432, to_port: 5432 });
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 });
    expect(values(resources, 'aws_vpc_security_group_egress_rule')).toHaveLength(3);
    expect(values(resources, 'aws_vpc_security_group_ingress_rule')).toHaveLength(1);
  });

  it('runs a full-load-and-cdc task with the configured mappings, validation and logging on, not started', () => {
    expect(json).toHaveResourceWithProperties(DmsReplicationTask, { replication_task_id: 'dms-task-qa1', migration_type: 'full-load-and-cdc', start_replication_task: false });
    const task = values(resources, 'aws_dms_replication_task')[0] as Record<string, string>;
    const settings = JSON.parse(task.replication_task_settings);
    expect(settings.ValidationSettings.EnableValidation).toBe(true);
    expect(settings.Logging.EnableLogging).toBe(true);
    expect(settings.FullLoadSettings.TargetTablePrepMode).toBe('DO_NOTHING');
    expect(settings.ControlTablesSettings.ControlSchema).toBe('awsdms_control');
    expect(JSON.parse(task.table_mappings)).toEqual(JSON.parse(renderTableMappings([{ schema: 'public' }])));
    const custom = synth({ include: [{ schema: 'sales', table: 'orders' }, { schema: 'crm' }], exclude: [{ schema: 'crm', table: 'tmp_%' }], startTask: true }).resources;
    const t2 = values(custom, 'aws_dms_replication_task')[0] as Record<string, unknown>;
    expect(t2.start_replication_task).toBe(true);
    expect(JSON.parse(t2.table_mappings as string).rules.map((r: Record<string, unknown>) => [r['rule-action'], r['object-locator']])).toEqual([
      ['include', { 'schema-name': 'sales', 'table-name': 'orders' }],
      ['include', { 'schema-name': 'crm', 'table-name': '%' }],
      ['exclude', { 'schema-name': 'crm', 'table-name': 'tmp_%' }],
    ]);
  });

  it('alarms on CDC latency of both sides and sends task failures to the topic', () => {
    for (const side of ['Source', 'Target']) {
      expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `alarm-dms-cdc-latency-${side.toLowerCase()}-qa1`,
        namespace: 'AWS/DMS',
        metric_name: `CDCLatency${side}`,
        threshold: 300,
        comparison_operator: 'GreaterThanThreshold',
        alarm_actions: [base.alarmTopicArn],
      });
    }
    const alarm = values(resources, 'aws_cloudwatch_metric_alarm')[0] as { dimensions: Record<string, string> };
    expect(alarm.dimensions.ReplicationInstanceIdentifier).toBe('dms-qa1');
    expect(alarm.dimensions.ReplicationTaskIdentifier).toMatch(/element\(split\(":", aws_dms_replication_task\.migration_replication-task_[A-Z0-9]+\.replication_task_arn\), 6\)/);
    expect(json).toHaveResourceWithProperties(CloudwatchEventRule, { name: 'events-dms-task-failed-qa1' });
    const rule = values(resources, 'aws_cloudwatch_event_rule')[0] as Record<string, string>;
    const pattern = JSON.parse(rule.event_pattern);
    expect(pattern.source).toEqual(['aws.dms']);
    expect(pattern['detail-type']).toEqual(['DMS Replication Task State Change']);
    expect(pattern.$or).toContainEqual({ detail: { eventType: ['REPLICATION_TASK_FAILED'] } });
    expect(values(resources, 'aws_cloudwatch_event_target')[0]).toMatchObject({ arn: base.alarmTopicArn });
    expect(construct.alarmNames).toEqual(['alarm-dms-cdc-latency-source-qa1', 'alarm-dms-cdc-latency-target-qa1']);
  });

  it('with the blue cluster as source: aurora-postgresql endpoints, ingress on both clusters, logical replication flagged', () => {
    const blue = { ...greenTarget, colour: 'blue', securityGroupId: 'sg-blue' };
    const { json: j, resources: r, construct: c } = synth({ source: blue });
    expect(c.sourceNeedsLogicalReplication).toBe(true);
    expect(construct.sourceNeedsLogicalReplication).toBe(false);
    expect(j).toHaveResourceWithProperties(DmsEndpoint, { endpoint_type: 'source', engine_name: 'aurora-postgresql' });
    expect(values(r, 'aws_secretsmanager_secret').map((x) => x.name).sort()).toEqual(['secret-dms-blue-qa1', 'secret-dms-green-qa1']);
    expect(values(r, 'aws_vpc_security_group_ingress_rule').map((x) => x.security_group_id).sort()).toEqual(['sg-blue', 'sg-green']);
    expect(values(r, 'aws_dms_certificate')).toHaveLength(0);
  });

  it('refuses bad props, naming each', () => {
    expect(() => synth({ subnetIds: ['subnet-a'] })).toThrow('subnetIds: must name at least two subnets');
    expect(() => synth({ instanceClass: 'r5.large' })).toThrow('instanceClass: must be a DMS instance class like dms.r5.large, got "r5.large"');
    expect(() => synth({ source: { ...legacySource, certificatePem: undefined } })).toThrow('source.certificateArn / source.certificatePem: exactly one is required for TLS verify-full, got neither');
    expect(() => synth({ source: { ...legacySource, certificatePem: 'not a pem' } })).toThrow('source.certificatePem: must be a PEM certificate');
    expect(() => synth({ source: { ...legacySource, secretArn: 'hunter2' } })).toThrow('source.secretArn: must be a Secrets Manager secret ARN, got "hunter2"');
    expect(() => synth({ source: { ...greenTarget } })).toThrow('a cluster cannot replicate into itself');
    expect(() => synth({ region: 'mars' })).toThrow('region: must be an AWS region like us-east-1, got "mars"');
  });
});

describe('renderTableMappings', () => {
  it('renders DMS selection rules and refuses bad patterns by position', () => {
    expect(JSON.parse(renderTableMappings([{ schema: 'public', table: 'orders' }], [{ schema: 'public', table: 'orders_old' }]))).toEqual({
      rules: [
        { 'rule-type': 'selection', 'rule-id': '1', 'rule-name': 'include-1', 'object-locator': { 'schema-name': 'public', 'table-name': 'orders' }, 'rule-action': 'include' },
        { 'rule-type': 'selection', 'rule-id': '2', 'rule-name': 'exclude-2', 'object-locator': { 'schema-name': 'public', 'table-name': 'orders_old' }, 'rule-action': 'exclude' },
      ],
    });
    expect(() => renderTableMappings([])).toThrow('include: must name at least one schema/table rule, got none');
    expect(() => renderTableMappings([{ schema: 'public' }], [{ schema: 'x"; drop' }])).toThrow('exclude[0].schema: must be a PostgreSQL name or DMS pattern, got "x\\"; drop"');
  });
});
