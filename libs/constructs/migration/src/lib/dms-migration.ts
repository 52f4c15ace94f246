import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DmsCertificate } from '@cdktf/provider-aws/lib/dms-certificate';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance';
import { DmsReplicationSubnetGroup } from '@cdktf/provider-aws/lib/dms-replication-subnet-group';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { Naming } from '@bluegreen/config';
import type { MigrationContract } from '@bluegreen/contract';
import { suppressGuardrail } from '@bluegreen/guardrails';
import { Fn, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { renderTableMappings, renderTaskSettings, type TableRule } from './table-mappings';
import { DataVerifyTask, type DataVerifyTaskProps } from './verify-task';

/** The fixed names AWS DMS looks its service roles up by (one each per account; they cannot carry a suffix). */
export const DMS_VPC_ROLE_NAME = 'dms-vpc-role';
export const DMS_CLOUDWATCH_LOGS_ROLE_NAME = 'dms-cloudwatch-logs-role';

/**
 * DMS reads everything it needs to connect from a Secrets Manager secret: JSON with `host`, `port`, `username` and
 * `password` (the AWS provider refuses server_name/port next to a secret). No password ever passes through
 * Terraform.
 */

/** A PostgreSQL outside this stack (on-premise, EC2, another account), reached over TLS verify-full. */
export interface LegacyPostgresSource {
  readonly kind: 'legacy';
  /** Port the source listens on (the security group allows only it). Must match the secret's `port`. @default 5432 */
  readonly port?: number;
  readonly databaseName: string;
  /** Secrets Manager secret with `host`, `port`, `username`, `password` of the replication user. */
  readonly secretArn: string;
  /** The customer-managed KMS key of that secret, when it has one (DMS must decrypt it). @default - AWS-managed key */
  readonly secretKmsKeyArn?: string;
  /** The source's CA: an existing DMS certificate ARN… */
  readonly certificateArn?: string;
  /** …or the CA certificate's PEM text, imported as a DMS certificate. Exactly one of the two. */
  readonly certificatePem?: string;
  /** Networks the source server lives in; the replication instance may reach them on `port` only. */
  readonly allowedCidrs: readonly string[];
}

/** One of this stack's Aurora clusters (from `AuroraPostgresCluster`'s public fields). */
export interface AuroraEndpoint {
  readonly kind: 'aurora';
  /** `blue` or `green`: names the endpoint and its connection secret. */
  readonly colour: string;
  /** @default 5432 */
  readonly port?: number;
  readonly databaseName: string;
  /** The cluster's security group: an ingress rule from the replication instance is added to it. */
  readonly securityGroupId: string;
  /**
   * A secret with `host`, `port`, `username`, `password` of a replication user in this cluster (the RDS-managed
   * master secret holds no host/port, and DMS should not run as the master user).
   * @default - an empty secret `secret-dms-<colour>-<suffix>` (KMS: the DMS key) is created; the operator puts the
   *   value in before starting the task (docs/database-migration.md)
   */
  readonly secretArn?: string;
  /** The customer-managed key of `secretArn`, when given. */
  readonly secretKmsKeyArn?: string;
  /** An imported DMS certificate of the RDS CA, for ssl_mode verify-full. @default - ssl_mode require (TLS, CA not pinned) */
  readonly certificateArn?: string;
}

/**
 * The way back: a CDC-only task from the migration target (the new database) to the source (the old one), on the
 * same replication instance, with its own endpoints (TLS verify-full), created stopped: `bluegreen migration
 * cutover` starts it at the cutover instant, after stopping the forward task (both running would echo every change).
 */
export interface ReverseReplicationProps {
  /** A replication user on the new database. @default - the target's connection secret */
  readonly sourceSecretArn?: string;
  readonly sourceSecretKmsKeyArn?: string;
  /** A user with INSERT/UPDATE/DELETE on the old database. @default - the forward source's secret */
  readonly targetSecretArn?: string;
  readonly targetSecretKmsKeyArn?: string;
  /** @default - cdcLatencyAlarmSeconds */
  readonly cdcLatencyAlarmSeconds?: number;
}

/** The one-off data verify task (see {@link DataVerifyTask}) for the migration's two databases. */
export type DmsVerifyTaskProps = Pick<DataVerifyTaskProps, 'image' | 'cpu' | 'memory' | 'caBundlePath' | 'reportRetentionDays' | 'logRetentionDays' | 'accountId'>;

export interface DmsMigrationProps {
  readonly naming: Naming;
  /** e.g. `us-east-1`: the Secrets Manager access role trusts the regional DMS principal. */
  readonly region: string;
  readonly vpcId: string;
  /** Private subnets (two or more AZs) for the replication instance. */
  readonly subnetIds: readonly string[];
  /** A standby replication instance in a second AZ. Required: the caller decides (prod: true). */
  readonly multiAz: boolean;
  /** @default 'dms.t3.medium' */
  readonly instanceClass?: string;
  /** GiB. @default 50 */
  readonly allocatedStorageGb?: number;
  /** @default - the DMS default engine version */
  readonly engineVersion?: string;
  /** Customer-managed key for the instance storage and endpoint settings. @default - a key is created (rotation on) */
  readonly kmsKeyArn?: string;
  /** @default 7 */
  readonly kmsKeyDeletionWindowDays?: number;
  readonly source: LegacyPostgresSource | AuroraEndpoint;
  readonly target: AuroraEndpoint;
  /** Tables to migrate. @default [{ schema: 'public' }] */
  readonly include?: readonly TableRule[];
  /** @default [] */
  readonly exclude?: readonly TableRule[];
  /** Start the task on create. @default false (start it deliberately: `aws dms start-replication-task`) */
  readonly startTask?: boolean;
  /** SNS topic for the CDC latency alarms and the task-failure events. */
  readonly alarmTopicArn: string;
  /** @default 300 */
  readonly cdcLatencyAlarmSeconds?: number;
  /** Minutes over the threshold before the latency alarms fire. @default 5 */
  readonly cdcLatencyEvaluationMinutes?: number;
  /**
   * Create `dms-vpc-role` and `dms-cloudwatch-logs-role` (AWS fixed names, one per account). Turn off where
   * another environment in the same account already owns them. @default true
   */
  readonly createServiceRoles?: boolean;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** Reverse replication new -> old. @default - none */
  readonly reverse?: ReverseReplicationProps;
  /** An ECS Fargate task definition that runs `bluegreen data verify` in the private subnets. @default - none */
  readonly verifyTask?: DmsVerifyTaskProps;
}

function validate(p: DmsMigrationProps): void {
  const problems: string[] = [];
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(p.region)) problems.push(`region: must be an AWS region like us-east-1, got ${JSON.stringify(p.region)}`);
  if (p.subnetIds.length < 2) problems.push(`subnetIds: must name at least two subnets in different AZs (DMS subnet groups need two), got ${p.subnetIds.length}`);
  const cls = p.instanceClass ?? 'dms.t3.medium';
  if (!/^dms\.[a-z0-9]+\.[a-z0-9]+$/.test(cls)) problems.push(`instanceClass: must be a DMS instance class like dms.r5.large, got ${JSON.stringify(cls)}`);
  const storage = p.allocatedStorageGb ?? 50;
  if (!Number.isInteger(storage) || storage < 5 || storage > 6144) problems.push(`allocatedStorageGb: must be 5-6144, got ${storage}`);
  const latency = p.cdcLatencyAlarmSeconds ?? 300;
  if (!Number.isInteger(latency) || latency < 10) problems.push(`cdcLatencyAlarmSeconds: must be a whole number of seconds >= 10, got ${latency}`);
  const window = p.kmsKeyDeletionWindowDays ?? 7;
  if (!Number.isInteger(window) || window < 7 || window > 30) problems.push(`kmsKeyDeletionWindowDays: must be 7-30, got ${window}`);
  if (p.source.kind === 'legacy') {
    const s = p.source;
    if ((s.certificateArn === undefined) === (s.certificatePem === undefined)) {
      problems.push(`source.certificateArn / source.certificatePem: exactly one is required for TLS verify-full, got ${s.certificateArn === undefined ? 'neither' : 'both'}`);
    }
    if (s.certificatePem !== undefined && !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(s.certificatePem)) {
      problems.push('source.certificatePem: must be a PEM certificate (-----BEGIN CERTIFICATE----- …)');
    }
    if (s.allowedCidrs.length === 0) problems.push('source.allowedCidrs: must name the network(s) of the source server, got none');
    if (!/^arn:aws[a-z-]*:secretsmanager:/.test(s.secretArn)) problems.push(`source.secretArn: must be a Secrets Manager secret ARN, got ${JSON.stringify(s.secretArn)}`);
  } else if (p.source.colour === p.target.colour) {
    problems.push(`source.colour / target.colour: a cluster cannot replicate into itself, got ${JSON.stringify(p.source.colour)} for both`);
  }
  if (p.reverse) {
    if (!p.target.certificateArn) problems.push('target.certificateArn: is required with reverse (the reverse task reads the new database over TLS verify-full)');
    if (p.source.kind === 'aurora' && !p.source.certificateArn) problems.push('source.certificateArn: is required with reverse (the reverse task writes the old database over TLS verify-full)');
    const rl = p.reverse.cdcLatencyAlarmSeconds;
    if (rl !== undefined && (!Number.isInteger(rl) || rl < 10)) problems.push(`reverse.cdcLatencyAlarmSeconds: must be a whole number of seconds >= 10, got ${rl}`);
  }
  if (problems.length > 0) throw new Error(`DmsMigration: invalid props:\n  - ${problems.join('\n  - ')}`);
}

/**
 * The name of the EventBridge rule that sends DMS task failures to the alarm topic. Known before the construct
 * exists, so the topic's policy (created earlier in the stack) can admit exactly this rule.
 */
export function dmsTaskFailedRuleName(naming: Naming): string {
  return naming.name('events-dms-task-failed');
}

const assumeRole = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

/**
 * AWS DMS full load + change data capture from a legacy PostgreSQL (or the blue cluster) into the green (or blue)
 * Aurora cluster:
 *
 * - a replication instance in private subnets (not public, KMS-encrypted, multi-AZ when asked) with its own
 *   security group (egress: PostgreSQL to the two databases only, HTTPS for Secrets Manager/KMS through the NAT);
 * - source and target endpoints whose credentials come from Secrets Manager through an access role: no password
 *   in Terraform; the legacy source over TLS verify-full against its CA;
 * - a `full-load-and-cdc` task with the configured table mappings and row-level validation;
 * - alarms on CDCLatencySource / CDCLatencyTarget and an EventBridge rule sending task failures to the topic.
 *
 * When the source is an Aurora cluster of this stack, that cluster's parameter group must set
 * `rds.logical_replication = 1` (see {@link DmsMigration.sourceNeedsLogicalReplication}).
 */
export class DmsMigration extends Construct {
  public readonly replicationInstanceArn: string;
  public readonly replicationInstanceId: string;
  public readonly replicationTaskArn: string;
  public readonly replicationTaskId: string;
  public readonly sourceEndpointArn: string;
  public readonly targetEndpointArn: string;
  public readonly securityGroupId: string;
  public readonly kmsKeyArn: string;
  public readonly secretsAccessRoleArn: string;
  /** The connection secrets this construct created for Aurora endpoints, by colour (the operator fills them in). */
  public readonly connectionSecretArns: Readonly<Record<string, string>>;
  /** The EventBridge rule that publishes task failures to the topic (the topic policy must allow it). */
  public readonly taskFailedRuleArn: string;
  public readonly alarmNames: readonly string[];
  /** True when the source is one of this stack's Aurora clusters (its parameter group needs logical replication). */
  public readonly sourceNeedsLogicalReplication: boolean;
  /** The reverse (new -> old, CDC-only) task, when `reverse` is given. */
  public readonly reverseTaskArn?: string;
  public readonly reverseTaskId?: string;
  public readonly reverseSourceEndpointArn?: string;
  public readonly reverseTargetEndpointArn?: string;
  /** The reverse task's CDC latency alarms (empty without reverse). */
  public readonly reverseAlarmNames: readonly string[];
  /** True when the target cluster is the source of the reverse task (its parameter group needs logical replication). */
  public readonly targetNeedsLogicalReplication: boolean;
  /** The data verify task, when `verifyTask` is given. */
  public readonly verifyTask?: DataVerifyTask;
  /** The `migration` section of the stack contract (`@bluegreen/contract`) for this construct's tasks and alarms. */
  public readonly contract: MigrationContract;

  constructor(scope: Construct, id: string, props: DmsMigrationProps) {
    super(scope, id);
    validate(props);
    const { naming, source, target } = props;
    this.sourceNeedsLogicalReplication = source.kind === 'aurora';
    this.targetNeedsLogicalReplication = props.reverse !== undefined;

    // --- Encryption -------------------------------------------------------------------------------------------
    if (props.kmsKeyArn) {
      this.kmsKeyArn = props.kmsKeyArn;
    } else {
      const key = new KmsKey(this, 'kms-key', {
        description: `DMS replication instance storage and endpoint settings (${naming.name('dms')})`,
        enableKeyRotation: true,
        deletionWindowInDays: props.kmsKeyDeletionWindowDays ?? 7,
        tags: { Name: naming.name('kms-dms') },
      });
      new KmsAlias(this, 'kms-key-alias', { name: `alias/${naming.name('kms-dms')}`, targetKeyId: key.keyId });
      this.kmsKeyArn = key.arn;
    }

    // --- Account-wide DMS service roles (fixed names) --------------------------------------------------------------
    const serviceRoleDeps: ITerraformDependable[] = [];
    if (props.createServiceRoles ?? true) {
      const vpcRole = new IamRole(this, 'dms-vpc-role', {
        name: DMS_VPC_ROLE_NAME,
        description: 'AWS DMS: manage ENIs of replication instances (fixed name required by DMS)',
        assumeRolePolicy: assumeRole('dms.amazonaws.com'),
      });
      serviceRoleDeps.push(
        new IamRolePolicyAttachment(this, 'dms-vpc-role-policy', { role: vpcRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole' }),
      );
      const logsRole = new IamRole(this, 'dms-cloudwatch-logs-role', {
        name: DMS_CLOUDWATCH_LOGS_ROLE_NAME,
        description: 'AWS DMS: write task logs to CloudWatch Logs (fixed name required by DMS)',
        assumeRolePolicy: assumeRole('dms.amazonaws.com'),
      });
      serviceRoleDeps.push(
        new IamRolePolicyAttachment(this, 'dms-cloudwatch-logs-role-policy', { role: logsRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole' }),
      );
      for (const role of [vpcRole, logsRole]) {
        suppressGuardrail(role, 'BG001', 'AWS DMS finds its service roles by these fixed names (one per account); they cannot carry the environment suffix');
      }
    }

    // --- Secrets Manager access role (least privilege: the two secrets, their keys via Secrets Manager only) --------
    const secretsRole = new IamRole(this, 'secrets-access-role', {
      name: naming.name('role-dms-secrets'),
      description: 'AWS DMS: read the source and target endpoint secrets',
      assumeRolePolicy: assumeRole(`dms.${props.region}.amazonaws.com`),
    });
    // Aurora endpoints without a secret of their own get an empty one (value put in by the operator, never by Terraform).
    const created: Record<string, string> = {};
    const secretOf = (e: LegacyPostgresSource | AuroraEndpoint): { arn: string; key?: string } => {
      if (e.secretArn) return { arn: e.secretArn, key: e.secretKmsKeyArn };
      const colour = (e as AuroraEndpoint).colour;
      const secret = new SecretsmanagerSecret(this, `${colour}-connection-secret`, {
        name: naming.name(`secret-dms-${colour}`),
        description: `DMS connection to the ${colour} cluster: JSON {host, port, username, password} of the replication user; set by the operator`,
        kmsKeyId: this.kmsKeyArn,
        recoveryWindowInDays: 0,
        tags: { Name: naming.name(`secret-dms-${colour}`) },
      });
      created[colour] = secret.arn;
      return { arn: secret.arn, key: this.kmsKeyArn };
    };
    const sourceSecret = secretOf(source);
    const targetSecret = secretOf(target);
    this.connectionSecretArns = created;
    const reverseSource = props.reverse?.sourceSecretArn ? { arn: props.reverse.sourceSecretArn, key: props.reverse.sourceSecretKmsKeyArn } : targetSecret;
    const reverseTarget = props.reverse?.targetSecretArn ? { arn: props.reverse.targetSecretArn, key: props.reverse.targetSecretKmsKeyArn } : sourceSecret;
    const used = props.reverse ? [sourceSecret, targetSecret, reverseSource, reverseTarget] : [sourceSecret, targetSecret];
    const secretArns = [...new Set(used.map((x) => x.arn))];
    const secretKeys = [...new Set(used.map((x) => x.key).filter((k): k is string => k !== undefined))];
    new IamRolePolicy(this, 'secrets-access-policy', {
      name: naming.name('policy-dms-secrets'),
      role: secretsRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ReadEndpointSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: secretArns },
          ...(secretKeys.length > 0
            ? [
                {
                  Sid: 'DecryptEndpointSecrets',
                  Effect: 'Allow',
                  Action: 'kms:Decrypt',
                  Resource: secretKeys,
                  Condition: { StringLike: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
                },
              ]
            : []),
        ],
      }),
    });
    this.secretsAccessRoleArn = secretsRole.arn;

    // --- Network ---------------------------------------------------------------------------------------------------
    const sg = new SecurityGroup(this, 'security-group', {
      name: naming.name('dms-sg'),
      description: 'DMS replication instance: PostgreSQL to the migration endpoints only',
      vpcId: props.vpcId,
      tags: { Name: naming.name('dms-sg') },
    });
    this.securityGroupId = sg.id;
    const pgTo = (ruleId: string, endpoint: AuroraEndpoint) => {
      const port = endpoint.port ?? 5432;
      new VpcSecurityGroupEgressRule(this, `egress-${ruleId}`, {
        securityGroupId: sg.id,
        referencedSecurityGroupId: endpoint.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `PostgreSQL to the ${endpoint.colour} cluster`,
      });
      new VpcSecurityGroupIngressRule(this, `ingress-${ruleId}`, {
        securityGroupId: endpoint.securityGroupId,
        referencedSecurityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `PostgreSQL from DMS (${naming.name('dms')})`,
      });
    };
    pgTo('target', target);
    if (source.kind === 'aurora') {
      pgTo('source', source);
    } else {
      const port = source.port ?? 5432;
      source.allowedCidrs.forEach((cidr, i) => {
        new VpcSecurityGroupEgressRule(this, `egress-source-${i + 1}`, {
          securityGroupId: sg.id,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: `PostgreSQL to the legacy source (${cidr})`,
        });
      });
    }
    new VpcSecurityGroupEgressRule(this, 'egress-https', {
      securityGroupId: sg.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to Secrets Manager and KMS through the NAT gateway (no VPC endpoints)',
    });

    const subnetGroup = new DmsReplicationSubnetGroup(this, 'subnet-group', {
      replicationSubnetGroupId: naming.name('dms-subnets'),
      replicationSubnetGroupDescription: 'Private subnets of the DMS replication instance',
      subnetIds: [...props.subnetIds],
      dependsOn: serviceRoleDeps,
    });

    // --- Replication instance --------------------------------------------------------------------------------------
    const instanceId = naming.name('dms');
    // DMS writes task logs to dms-tasks-<instance id>; creating it first gives it a retention (default encryption).
    const logGroup = new CloudwatchLogGroup(this, 'task-log-group', { name: `dms-tasks-${instanceId}`, retentionInDays: props.logRetentionDays ?? 30 });
    const instance = new DmsReplicationInstance(this, 'replication-instance', {
      replicationInstanceId: instanceId,
      replicationInstanceClass: props.instanceClass ?? 'dms.t3.medium',
      allocatedStorage: props.allocatedStorageGb ?? 50,
      engineVersion: props.engineVersion,
      multiAz: props.multiAz,
      publiclyAccessible: false,
      kmsKeyArn: this.kmsKeyArn,
      replicationSubnetGroupId: subnetGroup.replicationSubnetGroupId,
      vpcSecurityGroupIds: [sg.id],
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      tags: { Name: instanceId },
      dependsOn: [logGroup, ...serviceRoleDeps],
    });
    this.replicationInstanceArn = instance.replicationInstanceArn;
    this.replicationInstanceId = instanceId;

    // --- Endpoints -------------------------------------------------------------------------------------------------
    let sourceCertificateArn: string | undefined;
    if (source.kind === 'legacy') {
      sourceCertificateArn =
        source.certificateArn ??
        new DmsCertificate(this, 'source-certificate', { certificateId: naming.name('dms-source-ca'), certificatePem: source.certificatePem }).certificateArn;
    }
    const endpoint = (endpointId: string, type: 'source' | 'target', e: LegacyPostgresSource | AuroraEndpoint, secretArn: string, certificateArn: string | undefined, constructId = `${type}-endpoint`) =>
      new DmsEndpoint(this, constructId, {
        endpointId,
        endpointType: type,
        engineName: e.kind === 'legacy' ? 'postgres' : 'aurora-postgresql',
        // Host and port come from the secret (the provider refuses server_name/port next to secrets_manager_arn).
        databaseName: e.databaseName,
        secretsManagerArn: secretArn,
        secretsManagerAccessRoleArn: secretsRole.arn,
        sslMode: certificateArn ? 'verify-full' : 'require',
        certificateArn,
        kmsKeyArn: this.kmsKeyArn,
        // A heartbeat keeps the replication slot's restart point moving on a quiet source (WAL does not pile up).
        postgresSettings: type === 'source' ? { heartbeatEnable: true, heartbeatFrequency: 5 } : undefined,
        tags: { Name: endpointId },
      });
    const sourceEndpoint = endpoint(naming.name('dms-source'), 'source', source, sourceSecret.arn, source.kind === 'legacy' ? sourceCertificateArn : source.certificateArn);
    const targetEndpoint = endpoint(naming.name('dms-target'), 'target', target, targetSecret.arn, target.certificateArn);
    this.sourceEndpointArn = sourceEndpoint.endpointArn;
    this.targetEndpointArn = targetEndpoint.endpointArn;

    // --- Task --------------------------------------------------------------------------------------------------------
    const taskId = naming.name('dms-task');
    const task = new DmsReplicationTask(this, 'replication-task', {
      replicationTaskId: taskId,
      migrationType: 'full-load-and-cdc',
      replicationInstanceArn: instance.replicationInstanceArn,
      sourceEndpointArn: sourceEndpoint.endpointArn,
      targetEndpointArn: targetEndpoint.endpointArn,
      tableMappings: renderTableMappings(props.include ?? [{ schema: 'public' }], props.exclude ?? []),
      replicationTaskSettings: renderTaskSettings(),
      startReplicationTask: props.startTask ?? false,
      tags: { Name: taskId },
    });
    this.replicationTaskArn = task.replicationTaskArn;
    this.replicationTaskId = taskId;

    // --- Alarms --------------------------------------------------------------------------------------------------------
    const minutes = props.cdcLatencyEvaluationMinutes ?? 5;
    const threshold = props.cdcLatencyAlarmSeconds ?? 300;
    const latencyAlarms = (which: '' | 'reverse-', taskArn: string, id: string, limit: number, consequence: string) =>
      (['Source', 'Target'] as const).map((side) => {
        const alarmName = naming.name(`alarm-dms-${which}cdc-latency-${side.toLowerCase()}`);
        new CloudwatchMetricAlarm(this, `alarm-${which}cdc-latency-${side.toLowerCase()}`, {
          alarmName,
          alarmDescription: `DMS ${id}: CDC latency on the ${side.toLowerCase()} side above ${limit} s for ${minutes} min: ${consequence}`,
          namespace: 'AWS/DMS',
          metricName: `CDCLatency${side}`,
          // DMS task metrics are dimensioned by the task's resource id: the last field of its ARN.
          dimensions: { ReplicationInstanceIdentifier: instanceId, ReplicationTaskIdentifier: Fn.element(Fn.split(':', taskArn), 6) },
          statistic: 'Maximum',
          period: 60,
          evaluationPeriods: minutes,
          datapointsToAlarm: minutes,
          threshold: limit,
          comparisonOperator: 'GreaterThanThreshold',
          // No data: the task is not running CDC (stopped or still loading); failures have their own rule below.
          treatMissingData: 'notBreaching',
          alarmActions: [props.alarmTopicArn],
          okActions: [props.alarmTopicArn],
        });
        return alarmName;
      });
    this.alarmNames = latencyAlarms('', task.replicationTaskArn, taskId, threshold, 'cutover must wait');

    // --- Reverse replication (new -> old), the way back ----------------------------------------------------------------
    const failureResources = [task.replicationTaskArn];
    let reverseAlarms: string[] = [];
    if (props.reverse) {
      const reverseSourceEndpoint = endpoint(naming.name('dms-reverse-source'), 'source', target, reverseSource.arn, target.certificateArn, 'reverse-source-endpoint');
      const reverseTargetEndpoint = endpoint(
        naming.name('dms-reverse-target'),
        'target',
        source,
        reverseTarget.arn,
        source.kind === 'legacy' ? sourceCertificateArn : source.certificateArn,
        'reverse-target-endpoint',
      );
      const reverseTaskId = naming.name('dms-reverse-task');
      const reverseTask = new DmsReplicationTask(this, 'reverse-replication-task', {
        replicationTaskId: reverseTaskId,
        // CDC only: the old database already holds every row; only the writes made after cutover flow back.
        migrationType: 'cdc',
        replicationInstanceArn: instance.replicationInstanceArn,
        sourceEndpointArn: reverseSourceEndpoint.endpointArn,
        targetEndpointArn: reverseTargetEndpoint.endpointArn,
        tableMappings: renderTableMappings(props.include ?? [{ schema: 'public' }], props.exclude ?? []),
        replicationTaskSettings: renderTaskSettings(),
        // Started by `bluegreen migration cutover` at the cutover instant: that start is its CDC start position.
        startReplicationTask: false,
        tags: { Name: reverseTaskId },
      });
      this.reverseTaskArn = reverseTask.replicationTaskArn;
      this.reverseTaskId = reverseTaskId;
      this.reverseSourceEndpointArn = reverseSourceEndpoint.endpointArn;
      this.reverseTargetEndpointArn = reverseTargetEndpoint.endpointArn;
      reverseAlarms = latencyAlarms('reverse-', reverseTask.replicationTaskArn, reverseTaskId, props.reverse.cdcLatencyAlarmSeconds ?? threshold, 'the way back is falling behind (runbook: reverse task behind)');
      failureResources.push(reverseTask.replicationTaskArn);
    }
    this.reverseAlarmNames = reverseAlarms;

    const rule = new CloudwatchEventRule(this, 'task-failed-rule', {
      name: dmsTaskFailedRuleName(naming),
      description: `DMS ${props.reverse ? `${taskId} or its reverse task` : taskId} failed or stopped on an error`,
      eventPattern: JSON.stringify({
        source: ['aws.dms'],
        'detail-type': ['DMS Replication Task State Change'],
        resources: failureResources,
        // The FAILED state change, or any event DMS files under the Failure category for this task.
        $or: [{ detail: { eventType: ['REPLICATION_TASK_FAILED'] } }, { detail: { category: ['Failure'] } }],
      }),
    });
    new CloudwatchEventTarget(this, 'task-failed-target', { rule: rule.name, arn: props.alarmTopicArn, targetId: 'alarm-topic' });
    this.taskFailedRuleArn = rule.arn;

    if (props.verifyTask) {
      const db = (role: 'source' | 'target', e: LegacyPostgresSource | AuroraEndpoint, secret: { arn: string; key?: string }) => ({
        role,
        databaseName: e.databaseName,
        secretArn: secret.arn,
        secretKmsKeyArn: secret.key,
        port: e.port ?? 5432,
        ...(e.kind === 'aurora' ? { securityGroupId: e.securityGroupId, label: `${e.colour} cluster` } : { cidrs: e.allowedCidrs, label: 'legacy source' }),
      });
      this.verifyTask = new DataVerifyTask(this, 'verify-task', {
        ...props.verifyTask,
        naming,
        region: props.region,
        vpcId: props.vpcId,
        subnetIds: props.subnetIds,
        source: db('source', source, sourceSecret),
        target: db('target', target, targetSecret),
      });
    }

    this.contract = {
      forwardTaskArn: this.replicationTaskArn,
      ...(this.reverseTaskArn ? { reverseTaskArn: this.reverseTaskArn } : {}),
      alarms: [...this.alarmNames, ...reverseAlarms],
      replicationInstanceId: instanceId,
      ...(reverseAlarms.length ? { reverseAlarms } : {}),
      cdcLatencyThresholdSeconds: threshold,
      ...(this.verifyTask
        ? {
            verifyTask: {
              taskDefinitionArn: this.verifyTask.taskDefinitionArn,
              subnetIds: [...props.subnetIds],
              securityGroupId: this.verifyTask.securityGroupId,
              reportLocation: this.verifyTask.reportLocation,
            },
          }
        : {}),
    };
  }
}
