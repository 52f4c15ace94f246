import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { Naming } from '@bluegreen/config';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

/** A database the verify task reads: its connection secret (`host`, `port`, `username`, `password`) and network path. */
export interface VerifyDatabase {
  /** `source` or `target`: the environment variable prefix in the container (BLUEGREEN_SOURCE_*). */
  readonly role: 'source' | 'target';
  readonly databaseName: string;
  /** Secrets Manager secret with `host`, `port`, `username`, `password` (the DMS connection secrets fit). */
  readonly secretArn: string;
  /** Its customer-managed key, when it has one. */
  readonly secretKmsKeyArn?: string;
  /** @default 5432 */
  readonly port?: number;
  /** An Aurora cluster of this stack: its security group (an ingress rule from the task is added). */
  readonly securityGroupId?: string;
  /** A server outside the stack: the networks it lives in. */
  readonly cidrs?: readonly string[];
  /** Names the network rules. */
  readonly label: string;
}

export interface DataVerifyTaskProps {
  readonly naming: Naming;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  /** Private subnets: the task runs next to the databases, never with a public IP. */
  readonly subnetIds: readonly string[];
  /** A container image whose entrypoint is the bluegreen command line. */
  readonly image: string;
  /** @default 1024 */
  readonly cpu?: number;
  /** @default 2048 */
  readonly memory?: number;
  readonly source: VerifyDatabase;
  readonly target: VerifyDatabase;
  /** The CA bundle in the image that verifies both servers (sslmode verify-full). @default '/etc/ssl/certs/rds-global-bundle.pem' */
  readonly caBundlePath?: string;
  /** @default 90 */
  readonly reportRetentionDays?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/** Where the reports go inside the bucket. */
export const VERIFY_REPORT_PREFIX = 'verify/';

const policy = (statements: readonly Record<string, unknown>[]) => Fn.jsonencode({ Version: '2012-10-17', Statement: statements });

function ecrRepositoryArn(image: string): string | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(image);
  return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

/**
 * A one-off ECS Fargate task definition that runs `bluegreen data verify` next to the databases: an 8 TB check then
 * runs in the private subnets instead of across the internet from a laptop. Run it with `aws ecs run-task` (one task
 * per `--shard i/n`); the runbook has the command.
 *
 * Least privilege: the execution role reads exactly the two connection secrets (ECS injects host, port, user and
 * password into the container; never a plain value in the task definition) and writes the task's logs; the task role
 * may only put objects under `verify/` in the report bucket. The bucket blocks public access, refuses non-TLS
 * requests, is encrypted (SSE-S3) and expires reports after `reportRetentionDays`.
 */
export class DataVerifyTask extends Construct {
  public readonly taskDefinitionArn: string;
  public readonly taskDefinitionFamily: string;
  public readonly securityGroupId: string;
  public readonly reportBucketName: string;
  /** `s3://<bucket>/verify/` */
  public readonly reportLocation: string;
  public readonly taskRoleArn: string;
  public readonly executionRoleArn: string;
  public readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: DataVerifyTaskProps) {
    super(scope, id);
    const problems: string[] = [];
    if (props.subnetIds.length === 0) problems.push('subnetIds: must name the private subnets, got none');
    if (!/:/.test(props.image) && !/@sha256:/.test(props.image)) problems.push(`image: must carry an explicit tag or digest, got ${JSON.stringify(props.image)}`);
    for (const d of [props.source, props.target]) {
      if (!d.securityGroupId && !(d.cidrs && d.cidrs.length > 0)) problems.push(`${d.role}: needs securityGroupId (an Aurora cluster) or cidrs (a server outside the stack)`);
    }
    if (problems.length > 0) throw new Error(`DataVerifyTask: invalid props:\n  - ${problems.join('\n  - ')}`);
    const { naming } = props;

    // --- Report bucket -----------------------------------------------------------------------------------------------
    const bucket = new S3Bucket(this, 'report-bucket', { bucket: naming.name(`verify-reports-${props.accountId}`), forceDestroy: true });
    new S3BucketPublicAccessBlock(this, 'report-bucket-public-access-block', { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, 'report-bucket-ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'report-bucket-encryption', { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
    new S3BucketLifecycleConfiguration(this, 'report-bucket-lifecycle', {
      bucket: bucket.id,
      rule: [{ id: 'expire-reports', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.reportRetentionDays ?? 90 }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }] }],
    });
    new S3BucketPolicy(this, 'report-bucket-policy', {
      bucket: bucket.id,
      policy: policy([{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]),
    });
    this.reportBucketName = bucket.bucket;
    this.reportLocation = `s3://${bucket.bucket}/${VERIFY_REPORT_PREFIX}`;

    // --- Logs ------------------------------------------------------------------------------------------------------------
    const logGroup = new CloudwatchLogGroup(this, 'log-group', { name: naming.name('ecs-logs-verify'), retentionInDays: props.logRetentionDays ?? 30 });
    this.logGroupName = logGroup.name;

    // --- IAM ---------------------------------------------------------------------------------------------------------------
    const trust = policy([
      {
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${props.region}:${props.accountId}:*` } },
      },
    ]);
    const executionRole = new IamRole(this, 'execution-role', {
      name: naming.name('ecs-execution-verify'),
      description: 'Data verify task: pull the image, inject the two connection secrets, write logs',
      assumeRolePolicy: trust,
    });
    const secretKeys = [...new Set([props.source.secretKmsKeyArn, props.target.secretKmsKeyArn].filter((k): k is string => k !== undefined))];
    const repository = ecrRepositoryArn(props.image);
    new IamRolePolicy(this, 'execution-policy', {
      name: naming.name('ecs-execution-verify'),
      role: executionRole.id,
      policy: policy([
        { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:*` },
        { Sid: 'ReadConnectionSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [props.source.secretArn, props.target.secretArn] },
        ...(secretKeys.length
          ? [{ Sid: 'DecryptConnectionSecrets', Effect: 'Allow', Action: 'kms:Decrypt', Resource: secretKeys, Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } } }]
          : []),
        ...(repository
          ? [
              // ecr:GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
              { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
              { Sid: 'PullImage', Effect: 'Allow', Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: repository },
            ]
          : []),
      ]),
    });
    const taskRole = new IamRole(this, 'task-role', {
      name: naming.name('ecs-task-verify'),
      description: 'Data verify task: write its report to the report bucket, nothing else',
      assumeRolePolicy: trust,
    });
    new IamRolePolicy(this, 'task-policy', {
      name: naming.name('ecs-task-verify'),
      role: taskRole.id,
      policy: policy([{ Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: `${bucket.arn}/${VERIFY_REPORT_PREFIX}*` }]),
    });
    this.executionRoleArn = executionRole.arn;
    this.taskRoleArn = taskRole.arn;

    // --- Network: PostgreSQL to the two databases, HTTPS (S3, Secrets Manager) through the NAT ---------------------------
    const sg = new SecurityGroup(this, 'security-group', {
      name: naming.name('verify-sg'),
      description: 'Data verify task: PostgreSQL to the two migration databases, HTTPS out',
      vpcId: props.vpcId,
      tags: { Name: naming.name('verify-sg') },
    });
    this.securityGroupId = sg.id;
    for (const d of [props.source, props.target]) {
      const port = d.port ?? 5432;
      if (d.securityGroupId) {
        new VpcSecurityGroupEgressRule(this, `egress-${d.role}`, { securityGroupId: sg.id, referencedSecurityGroupId: d.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, description: `PostgreSQL to the ${d.label}` });
        new VpcSecurityGroupIngressRule(this, `ingress-${d.role}`, {
          securityGroupId: d.securityGroupId,
          referencedSecurityGroupId: sg.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: `PostgreSQL from the data verify task (${naming.name('verify-sg')})`,
        });
      } else {
        (d.cidrs ?? []).forEach((cidr, i) =>
          new VpcSecurityGroupEgressRule(this, `egress-${d.role}-${i + 1}`, { securityGroupId: sg.id, cidrIpv4: cidr, ipProtocol: 'tcp', fromPort: port, toPort: port, description: `PostgreSQL to the ${d.label} (${cidr})` }),
        );
      }
    }
    new VpcSecurityGroupEgressRule(this, 'egress-https', { securityGroupId: sg.id, cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 443, toPort: 443, description: 'HTTPS to S3 and Secrets Manager through the NAT gateway (no VPC endpoints)' });

    // --- Task definition ---------------------------------------------------------------------------------------------------
    const ca = props.caBundlePath ?? '/etc/ssl/certs/rds-global-bundle.pem';
    const env = (d: VerifyDatabase) => {
      const p = `BLUEGREEN_${d.role.toUpperCase()}`;
      return [
        { name: `${p}_DATABASE`, value: d.databaseName },
        { name: `${p}_SSLMODE`, value: 'verify-full' },
        { name: `${p}_SSLROOTCERT`, value: ca },
      ];
    };
    const secrets = (d: VerifyDatabase) => {
      const p = `BLUEGREEN_${d.role.toUpperCase()}`;
      return (['host', 'port', 'username', 'password'] as const).map((k) => ({ name: `${p}_${k === 'username' ? 'USER' : k.toUpperCase()}`, valueFrom: `${d.secretArn}:${k}::` }));
    };
    const container = {
      name: 'verify',
      image: props.image,
      essential: true,
      // The default run: the whole comparison; `aws ecs run-task --overrides` gives each shard its own command.
      command: ['data', 'verify', '--format', 'json', '--checkpoint', '/tmp/verify.ckpt', '--report-url', `${this.reportLocation}report.json`],
      readonlyRootFilesystem: true,
      environment: [...env(props.source), ...env(props.target), { name: 'BLUEGREEN_REPORT_LOCATION', value: this.reportLocation }, { name: 'AWS_REGION', value: props.region }].sort((a, b) => a.name.localeCompare(b.name)),
      secrets: [...secrets(props.source), ...secrets(props.target)],
      mountPoints: [{ sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': logGroup.name, 'awslogs-region': props.region, 'awslogs-stream-prefix': 'verify' } },
    };
    const td = new EcsTaskDefinition(this, 'task-definition', {
      family: naming.name('task-verify'),
      cpu: String(props.cpu ?? 1024),
      memory: String(props.memory ?? 2048),
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      volume: [{ name: 'scratch' }],
      containerDefinitions: Fn.jsonencode([container]),
    });
    this.taskDefinitionArn = td.arn;
    this.taskDefinitionFamily = td.family;
  }
}
