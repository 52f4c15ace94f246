import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { LOG_RETENTION_DAYS, type Naming } from '@bluegreen/config';
import { Construct } from 'constructs';

/** PostgreSQL's port; the security group admits nothing else. */
export const POSTGRES_PORT = 5432;

const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

export interface AuroraPostgresClusterProps {
  /** Names every resource `{resource-type}-{suffix}`. */
  readonly naming: Naming;
  /**
   * Which cluster this is (`blue`, `green`): part of every resource name, so two clusters live side by side.
   * Lowercase letters and digits.
   */
  readonly colour: string;
  readonly vpcId: string;
  /** The isolated (database) subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** The AZs the instances are spread over, round-robin (writer in the first). Three, from config. */
  readonly availabilityZones: readonly string[];
  /** Aurora PostgreSQL engine version (`major.minor`, e.g. `16.6`). */
  readonly engineVersion: string;
  /** @default 'db.r6g.large' */
  readonly instanceClass?: string;
  /** Readers besides the writer. @default 2 */
  readonly readers?: number;
  /** @default 'app' */
  readonly databaseName?: string;
  /** @default 'bluegreen_admin' */
  readonly masterUsername?: string;
  /** Daily automated backups kept (point-in-time recovery works within this window). @default 7 */
  readonly backupRetentionDays?: number;
  /** @default '03:00-04:00' */
  readonly preferredBackupWindow?: string;
  /** @default 'sun:05:00-sun:06:00' */
  readonly preferredMaintenanceWindow?: string;
  /** Refuse `DeleteDBCluster` (prod). Required: the caller decides, the library never guesses. */
  readonly deletionProtection: boolean;
  /**
   * Skip the final snapshot on destroy, so a destroyable environment goes away with no manual step.
   * @default - the opposite of `deletionProtection`
   */
  readonly skipFinalSnapshot?: boolean;
  /** Enhanced monitoring interval in seconds; 0 turns it off (and creates no role). @default 60 */
  readonly monitoringIntervalSeconds?: number;
  /** @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** Retention of the exported `postgresql` log group. @default 30 */
  readonly logRetentionDays?: number;
  /** Waiting period before a scheduled KMS key deletion. @default 7 */
  readonly kmsKeyDeletionWindowDays?: number;
  /**
   * Set `rds.logical_replication = 1` so this cluster can be the source of AWS DMS change data capture
   * (takes effect after a reboot of the writer). @default false
   */
  readonly logicalReplication?: boolean;
}

function validate(p: AuroraPostgresClusterProps): void {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9]{0,9}$/.test(p.colour)) problems.push(`colour: must be 1-10 lowercase letters or digits, got ${JSON.stringify(p.colour)}`);
  if (!/^\d+\.\d+$/.test(p.engineVersion)) problems.push(`engineVersion: must be major.minor like 16.6, got ${JSON.stringify(p.engineVersion)}`);
  if (p.availabilityZones.length < 2) problems.push(`availabilityZones: must name at least two zones, got ${JSON.stringify(p.availabilityZones)}`);
  if (p.subnetIds.length < 2) problems.push(`subnetIds: must name at least two subnets (DB subnet groups need two AZs), got ${p.subnetIds.length}`);
  const readers = p.readers ?? 2;
  if (!Number.isInteger(readers) || readers < 0 || readers > 15) problems.push(`readers: must be a whole number 0-15, got ${readers}`);
  const backups = p.backupRetentionDays ?? 7;
  if (!Number.isInteger(backups) || backups < 1 || backups > 35) problems.push(`backupRetentionDays: must be 1-35 (0 would turn off point-in-time recovery), got ${backups}`);
  const interval = p.monitoringIntervalSeconds ?? 60;
  if (!(MONITORING_INTERVALS as readonly number[]).includes(interval)) problems.push(`monitoringIntervalSeconds: must be one of ${MONITORING_INTERVALS.join(', ')}, got ${interval}`);
  const pi = p.performanceInsightsRetentionDays ?? 7;
  if (!(pi === 7 || pi === 731 || (pi % 31 === 0 && pi >= 31 && pi <= 713))) {
    problems.push(`performanceInsightsRetentionDays: must be 7, 731 or a multiple of 31 up to 713, got ${pi}`);
  }
  const logs = p.logRetentionDays ?? 30;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logs)) problems.push(`logRetentionDays: must be a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(', ')}), got ${logs}`);
  const window = p.kmsKeyDeletionWindowDays ?? 7;
  if (!Number.isInteger(window) || window < 7 || window > 30) problems.push(`kmsKeyDeletionWindowDays: must be 7-30, got ${window}`);
  if (problems.length > 0) throw new Error(`AuroraPostgresCluster: invalid props:\n  - ${problems.join('\n  - ')}`);
}

/**
 * An Aurora PostgreSQL cluster: a writer plus readers spread over the AZs, in the isolated subnets.
 *
 * - Storage and Performance Insights encrypted with a customer-managed KMS key (rotation on).
 * - The master password is generated and kept by RDS in Secrets Manager (`manage_master_user_password`), encrypted
 *   with a second customer-managed key: no password is ever in the Terraform JSON, plan or state. No rotation
 *   Lambda; rotation is manual (docs/secret-rotation.md).
 * - TLS enforced by the cluster parameter group (`rds.force_ssl = 1`); IAM database authentication on.
 * - 7-day backups with point-in-time recovery, deletion protection and final snapshot from props.
 * - Enhanced monitoring, Performance Insights, `postgresql` log export to a log group created here with a
 *   retention (default encryption, never a KMS key on a log group).
 * - A security group that admits 5432 only from security groups added with {@link allowFrom}.
 *
 * Use it twice for a database migration: `colour: 'blue'` and `colour: 'green'`.
 */
export class AuroraPostgresCluster extends Construct {
  public readonly clusterId: string;
  public readonly clusterIdentifier: string;
  public readonly clusterArn: string;
  public readonly clusterResourceId: string;
  /** The writer endpoint. */
  public readonly endpoint: string;
  public readonly readerEndpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly masterUsername: string;
  /** ARN of the RDS-managed master secret (`master_user_secret[0].secret_arn`). */
  public readonly masterSecretArn: string;
  /** The customer-managed key of storage and Performance Insights. */
  public readonly kmsKeyArn: string;
  /** The customer-managed key of the master secret. */
  public readonly secretKmsKeyArn: string;
  public readonly securityGroupId: string;
  public readonly instanceIdentifiers: string[];
  public readonly parameterGroupName: string;
  public readonly subnetGroupName: string;
  public readonly logGroupName: string;

  private readonly securityGroup: SecurityGroup;
  private readonly colour: string;
  private readonly naming: Naming;

  constructor(scope: Construct, id: string, props: AuroraPostgresClusterProps) {
    super(scope, id);
    validate(props);
    const { naming, colour } = props;
    this.colour = colour;
    this.naming = naming;
    const deletionProtection = props.deletionProtection;
    const skipFinalSnapshot = props.skipFinalSnapshot ?? !deletionProtection;
    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    const major = props.engineVersion.split('.')[0];
    const clusterIdentifier = naming.name(`aurora-${colour}`);
    this.clusterIdentifier = clusterIdentifier;
    this.databaseName = props.databaseName ?? 'app';
    this.masterUsername = props.masterUsername ?? 'bluegreen_admin';

    const key = (keyId: string, type: string, description: string) => {
      const k = new KmsKey(this, keyId, {
        description,
        enableKeyRotation: true,
        deletionWindowInDays: props.kmsKeyDeletionWindowDays ?? 7,
        tags: { Name: naming.name(type) },
      });
      new KmsAlias(this, `${keyId}-alias`, { name: `alias/${naming.name(type)}`, targetKeyId: k.keyId });
      return k;
    };
    const storageKey = key('kms-key', `kms-aurora-${colour}`, `Aurora ${colour} cluster storage and Performance Insights (${clusterIdentifier})`);
    const secretKey = key('secret-kms-key', `kms-secret-aurora-${colour}`, `Secrets Manager master secret of ${clusterIdentifier}`);
    this.kmsKeyArn = storageKey.arn;
    this.secretKmsKeyArn = secretKey.arn;

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: naming.name(`aurora-${colour}-sg`),
      description: `Aurora ${colour}: PostgreSQL from allowed security groups only`,
      vpcId: props.vpcId,
      tags: { Name: naming.name(`aurora-${colour}-sg`) },
    });
    this.securityGroupId = this.securityGroup.id;

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: naming.name(`db-subnets-${colour}`),
      description: `Isolated subnets of the Aurora ${colour} cluster`,
      subnetIds: [...props.subnetIds],
    });
    this.subnetGroupName = subnetGroup.name;

    const parameterGroup = new RdsClusterParameterGroup(this, 'cluster-parameter-group', {
      name: naming.name(`aurora-pg${major}-${colour}`),
      family: `aurora-postgresql${major}`,
      description: `Aurora ${colour}: TLS required`,
      parameter: [
        { name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' },
        { name: 'log_min_duration_statement', value: '1000' },
        ...(props.logicalReplication ? [{ name: 'rds.logical_replication', value: '1', applyMethod: 'pending-reboot' }] : []),
      ],
    });
    this.parameterGroupName = parameterGroup.name;

    // RDS creates /aws/rds/cluster/<id>/postgresql on first export; creating it first gives it a retention.
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.logGroupName = logGroup.name;

    const cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier,
      engine: 'aurora-postgresql',
      engineVersion: props.engineVersion,
      databaseName: this.databaseName,
      masterUsername: this.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: secretKey.arn,
      storageEncrypted: true,
      kmsKeyId: storageKey.arn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: parameterGroup.name,
      port: POSTGRES_PORT,
      backupRetentionPeriod: props.backupRetentionDays ?? 7,
      preferredBackupWindow: props.preferredBackupWindow ?? '03:00-04:00',
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:05:00-sun:06:00',
      deletionProtection,
      skipFinalSnapshot,
      finalSnapshotIdentifier: skipFinalSnapshot ? undefined : naming.name(`aurora-${colour}-final`),
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
      tags: { Name: clusterIdentifier },
      dependsOn: [logGroup],
    });
    this.clusterId = cluster.id;
    this.clusterArn = cluster.arn;
    this.clusterResourceId = cluster.clusterResourceId;
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.masterSecretArn = cluster.masterUserSecret.get(0).secretArn;

    let monitoringRoleArn: string | undefined;
    if (monitoringInterval > 0) {
      const role = new IamRole(this, 'monitoring-role', {
        name: naming.name(`role-rds-monitoring-${colour}`),
        description: `Enhanced monitoring of ${clusterIdentifier}`,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      });
      new IamRolePolicyAttachment(this, 'monitoring-role-policy', {
        role: role.name,
        policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
      });
      monitoringRoleArn = role.arn;
    }

    const instanceCount = 1 + (props.readers ?? 2);
    const azs = props.availabilityZones;
    this.instanceIdentifiers = Array.from({ length: instanceCount }, (_, i) => {
      const identifier = naming.name(`aurora-${colour}-${i + 1}`);
      new RdsClusterInstance(this, `instance-${i + 1}`, {
        identifier,
        clusterIdentifier: cluster.id,
        engine: 'aurora-postgresql',
        engineVersion: props.engineVersion,
        instanceClass: props.instanceClass ?? 'db.r6g.large',
        availabilityZone: azs[i % azs.length],
        // The first instance is created first and becomes the writer; readers fail over in order.
        promotionTier: i,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        monitoringInterval,
        monitoringRoleArn,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: storageKey.arn,
        performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays ?? 7,
        copyTagsToSnapshot: true,
        tags: { Name: identifier, Role: i === 0 ? 'writer' : 'reader' },
      });
      return identifier;
    });
  }

  /**
   * Admits PostgreSQL (tcp/5432) from one security group: an `aws_vpc_security_group_ingress_rule` whose
   * construct id is `ingress-<id>` (a Terraform address: keep it stable).
   */
  allowFrom(id: string, sourceSecurityGroupId: string, description: string): VpcSecurityGroupIngressRule {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`allowFrom: id must be lowercase letters, digits and hyphens, got ${JSON.stringify(id)}`);
    if (!description.trim()) throw new Error('allowFrom: description must say who connects and why, got an empty string');
    return new VpcSecurityGroupIngressRule(this, `ingress-${id}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: sourceSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description,
      tags: { Name: this.naming.name(`aurora-${this.colour}-from-${id}`) },
    });
  }

  /**
   * IAM statements that let a principal read the master secret: `secretsmanager:GetSecretValue` and
   * `secretsmanager:DescribeSecret` on this cluster's secret, `kms:Decrypt` on its key (only via Secrets Manager).
   */
  secretReadStatements(): Record<string, unknown>[] {
    return [
      { Sid: `Read${cap(this.colour)}MasterSecret`, Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: this.masterSecretArn },
      {
        Sid: `Decrypt${cap(this.colour)}MasterSecret`,
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: this.secretKmsKeyArn,
        Condition: { StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' } },
      },
    ];
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
