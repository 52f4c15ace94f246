import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Naming } from '@bluegreen/config';
import { TerraformOutput, Testing } from 'cdktf';
// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import 'cdktf/lib/testing/adapters/jest';
import { AuroraPostgresCluster, type AuroraPostgresClusterProps } from '../src';

Testing.setupJest();

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const base: AuroraPostgresClusterProps = {
  naming: new Naming('qa1'),
  colour: 'blue',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  engineVersion: '16.6',
  deletionProtection: false,
};

function synth(props: Partial<AuroraPostgresClusterProps> = {}, extra?: (db: AuroraPostgresCluster) => void) {
  const json = Testing.synthScope((scope) => {
    const db = new AuroraPostgresCluster(scope, 'database', { ...base, ...props });
    extra?.(db);
  });
  return { json, resources: (JSON.parse(json) as { resource: Resources }).resource };
}
const values = (r: Resources, type: string) => Object.values(r[type] ?? {});
const cluster = (r: Resources) => values(r, 'aws_rds_cluster')[0];

describe('AuroraPostgresCluster', () => {
  const { json, resources } = synth();

  it('is Aurora PostgreSQL with storage encrypted by a customer-managed key that rotates', () => {
    expect(json).toHaveResourceWithProperties(RdsCluster, { engine: 'aurora-postgresql', engine_version: '16.6', storage_encrypted: true });
    expect(String(cluster(resources).kms_key_id)).toContain('aws_kms_key.database_kms-key');
    const keys = values(resources, 'aws_kms_key');
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.enable_key_rotation === true)).toBe(true);
  });

  it('lets RDS manage the master password in Secrets Manager under a customer-managed key; no password anywhere', () => {
    const c = cluster(resources);
    expect(c.manage_master_user_password).toBe(true);
    expect(String(c.master_user_secret_kms_key_id)).toContain('aws_kms_key.database_secret-kms-key');
    expect(c.master_password).toBeUndefined();
    expect(json).not.toMatch(/master_password"|master_password_wo/);
    expect(resources.aws_secretsmanager_secret_version).toBeUndefined();
    expect(resources.aws_secretsmanager_secret_rotation).toBeUndefined();
    expect(resources.aws_lambda_function).toBeUndefined();
  });

  it('keeps backups 7 days (point-in-time recovery window), copies tags to snapshots, exports postgresql logs, IAM auth on', () => {
    expect(json).toHaveResourceWithProperties(RdsCluster, {
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      enabled_cloudwatch_logs_exports: ['postgresql'],
      iam_database_authentication_enabled: true,
    });
  });

  it('follows deletionProtection: off means destroyable (skip final snapshot), on means protected with a final snapshot', () => {
    expect(cluster(resources)).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(cluster(resources).final_snapshot_identifier).toBeUndefined();
    const prod = cluster(synth({ deletionProtection: true }).resources);
    expect(prod).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: 'aurora-blue-final-qa1' });
    expect(cluster(synth({ deletionProtection: true, skipFinalSnapshot: true }).resources)).toMatchObject({ skip_final_snapshot: true });
  });

  it('enforces TLS with rds.force_ssl = 1 in a cluster parameter group of the engine family', () => {
    expect(json).toHaveResourceWithProperties(RdsClusterParameterGroup, {
      family: 'aurora-postgresql16',
      parameter: expect.arrayContaining([expect.objectContaining({ name: 'rds.force_ssl', value: '1' })]),
    });
    expect(String(cluster(resources).db_cluster_parameter_group_name)).toContain('aws_rds_cluster_parameter_group');
  });

  it('spreads a writer and two readers over the three AZs, with enhanced monitoring and Performance Insights under the CMK', () => {
    const instances = values(resources, 'aws_rds_cluster_instance');
    expect(instances).toHaveLength(3);
    expect(instances.map((i) => i.availability_zone)).toEqual(base.availabilityZones);
    for (const i of instances) {
      expect(i).toMatchObject({ publicly_accessible: false, monitoring_interval: 60, performance_insights_enabled: true, performance_insights_retention_period: 7 });
      expect(String(i.performance_insights_kms_key_id)).toContain('aws_kms_key.database_kms-key');
      expect(String(i.monitoring_role_arn)).toContain('aws_iam_role.database_monitoring-role');
    }
    const trust = JSON.parse(String(values(resources, 'aws_iam_role')[0].assume_role_policy));
    expect(trust.Statement[0].Principal).toEqual({ Service: 'monitoring.rds.amazonaws.com' });
    expect(values(synth({ readers: 4 }).resources, 'aws_rds_cluster_instance')).toHaveLength(5);
  });

  it('creates no monitoring role when enhanced monitoring is off', () => {
    const off = synth({ monitoringIntervalSeconds: 0 }).resources;
    expect(off.aws_iam_role).toBeUndefined();
    expect(values(off, 'aws_rds_cluster_instance').every((i) => i.monitoring_interval === 0)).toBe(true);
  });

  it('lives in a subnet group of the subnets given (the isolated ones)', () => {
    expect(values(resources, 'aws_db_subnet_group')[0].subnet_ids).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
  });

  it('creates its log group with a retention and no KMS key; KMS keys only for Aurora and Secrets Manager', () => {
    const groups = values(resources, 'aws_cloudwatch_log_group');
    expect(groups).toEqual([expect.objectContaining({ name: '/aws/rds/cluster/aurora-blue-qa1/postgresql', retention_in_days: 30 })]);
    expect(groups[0].kms_key_id).toBeUndefined();
    expect(values(resources, 'aws_kms_key').map((k) => k.description)).toEqual([
      expect.stringMatching(/^Aurora blue cluster storage/),
      expect.stringMatching(/^Secrets Manager master secret/),
    ]);
  });

  it('admits PostgreSQL only from security groups passed to allowFrom; the group has no other rule', () => {
    const sg = values(resources, 'aws_security_group')[0];
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(resources.aws_vpc_security_group_ingress_rule).toBeUndefined();
    const withApp = synth({}, (db) => db.allowFrom('app-blue', 'sg-app', 'ECS tasks of the blue service'));
    expect(withApp.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      referenced_security_group_id: 'sg-app',
      from_port: 5432,
      to_port: 5432,
      ip_protocol: 'tcp',
      description: 'ECS tasks of the blue service',
      tags: { Name: 'aurora-blue-from-app-blue-qa1' },
    });
    const rules = values(withApp.resources, 'aws_vpc_security_group_ingress_rule');
    expect(rules.every((r) => r.cidr_ipv4 === undefined && r.cidr_ipv6 === undefined)).toBe(true);
    expect(() => synth({}, (db) => db.allowFrom('x', 'sg-app', ' '))).toThrow(/allowFrom: description must say who connects/);
  });

  it('names every named resource with the suffix and the colour, so blue and green coexist', () => {
    const green = synth({ colour: 'green' });
    for (const [colour, r] of [['blue', resources], ['green', green.resources]] as const) {
      for (const [type, byId] of Object.entries(r)) {
        for (const [id, res] of Object.entries(byId)) {
          const tags = res.tags as Record<string, string> | undefined;
          for (const name of [res.name, res.identifier, res.cluster_identifier, tags?.Name].filter((n) => typeof n === 'string' && !String(n).includes('${'))) {
            expect(`${type}.${id}: ${String(name)}`).toMatch(new RegExp(`${colour}.*qa1`));
          }
        }
      }
    }
    expect(green.json).toHaveResourceWithProperties(RdsCluster, { cluster_identifier: 'aurora-green-qa1' });
    expect(green.json).toHaveResourceWithProperties(IamRole, { name: 'role-rds-monitoring-green-qa1' });
    expect(green.json).toHaveResourceWithProperties(KmsKey, { tags: { Name: 'kms-aurora-green-qa1' } });
  });

  it('exposes the managed secret ARN, endpoints and key for others to wire to', () => {
    let db: AuroraPostgresCluster | undefined;
    const out = Testing.synthScope((scope) => {
      db = new AuroraPostgresCluster(scope, 'database', base);
      new TerraformOutput(scope, 'secret', { value: db.masterSecretArn, staticId: true });
      new TerraformOutput(scope, 'endpoint', { value: db.endpoint, staticId: true });
      new TerraformOutput(scope, 'key', { value: db.kmsKeyArn, staticId: true });
    });
    const outputs = (JSON.parse(out) as { output: Record<string, { value: string }> }).output;
    expect(outputs.secret.value).toMatch(/^\$\{aws_rds_cluster\.database_cluster_[A-F0-9]+\.master_user_secret\[0\]\.secret_arn\}$/);
    expect(outputs.endpoint.value).toMatch(/\.endpoint\}$/);
    expect(outputs.key.value).toMatch(/aws_kms_key\.database_kms-key_[A-F0-9]+\.arn/);
    expect(db?.clusterIdentifier).toBe('aurora-blue-qa1');
    expect(db?.secretReadStatements()[0]).toMatchObject({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] });
  });

  it('refuses bad props, naming each one', () => {
    expect(() => synth({ colour: 'Blue!' })).toThrow(/colour: must be 1-10 lowercase letters or digits, got "Blue!"/);
    expect(() => synth({ backupRetentionDays: 0 })).toThrow(/backupRetentionDays: must be 1-35/);
    expect(() => synth({ monitoringIntervalSeconds: 7 })).toThrow(/monitoringIntervalSeconds: must be one of 0, 1, 5, 10, 15, 30, 60, got 7/);
    expect(() => synth({ performanceInsightsRetentionDays: 30 })).toThrow(/performanceInsightsRetentionDays/);
    expect(() => synth({ engineVersion: '16' })).toThrow(/engineVersion: must be major.minor/);
    expect(() => synth({ subnetIds: ['subnet-a'] })).toThrow(/subnetIds: must name at least two subnets/);
  });
});
