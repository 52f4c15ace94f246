import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { LOG_RETENTION_DAYS, type Naming } from '@bluegreen/config';
import { VALIDATOR_LAMBDA_RUNTIME } from '@bluegreen/contract';
import { AssetType, Fn, TerraformAsset, Token } from 'cdktf';
import { Construct } from 'constructs';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export interface ValidatorDatabase {
  /** Writer (or reader) endpoint host name. */
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  readonly databaseName: string;
  /** Secrets Manager secret with `username`/`password` (e.g. the RDS-managed master secret). */
  readonly secretArn: string;
  /** KMS key that encrypts the secret (the function gets kms:Decrypt on it, via Secrets Manager only). */
  readonly secretKmsKeyArn: string;
  /** Security group of the database: the function gets egress to it on the port. */
  readonly securityGroupId: string;
}

export interface SchemaValidatorFunctionProps {
  /** Names every resource `{resource-type}-{suffix}`; the function is `schema-validator-{suffix}`. */
  readonly naming: Naming;
  /**
   * Directory holding the built bundle (`index.js`), from `npx nx build schema-validator`. Relative paths are
   * resolved from the current working directory.
   */
  readonly bundleDir: string;
  /** AWS region of the secrets (the kms:ViaService condition names Secrets Manager in it). */
  readonly region: string;
  readonly vpcId: string;
  /** Private (application) subnets with a route to a NAT gateway: Secrets Manager and X-Ray are reached through it. */
  readonly subnetIds: readonly string[];
  /** The database of the old application version. */
  readonly blue: ValidatorDatabase;
  /** The database with the new schema. */
  readonly green: ValidatorDatabase;
  /** Schemas to compare. @default - every non-system schema */
  readonly schemas?: readonly string[];
  /** Role the application connects as: its effective privileges are compared. @default - none */
  readonly appRole?: string;
  /**
   * The environment's services: the schema each owns and the role it connects as. An event `{ service }` checks that
   * service's schema (env VALIDATOR_SERVICES). @default - none (the event names schemas)
   */
  readonly services?: Readonly<Record<string, { readonly schema: string; readonly appRole?: string }>>;
  /** Concurrent executions reserved (and capped): a check is a manual or pipeline step. @default 2 */
  readonly reservedConcurrency?: number;
  /** @default 60 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memorySizeMb?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default 'arm64' */
  readonly architecture?: 'arm64' | 'x86_64';
}

function validate(p: SchemaValidatorFunctionProps, bundleDir: string): void {
  const problems: string[] = [];
  if (!existsSync(join(bundleDir, 'index.js')) || !statSync(bundleDir).isDirectory()) {
    problems.push(`bundleDir: ${JSON.stringify(p.bundleDir)} has no index.js (resolved to ${bundleDir}); run \`npx nx build schema-validator\` first`);
  }
  if (p.subnetIds.length < 1) problems.push('subnetIds: must name at least one private subnet, got none');
  const rc = p.reservedConcurrency ?? 2;
  if (!Number.isInteger(rc) || rc < 1 || rc > 100) problems.push(`reservedConcurrency: must be 1-100, got ${rc}`);
  const timeout = p.timeoutSeconds ?? 60;
  if (!Number.isInteger(timeout) || timeout < 10 || timeout > 900) problems.push(`timeoutSeconds: must be 10-900, got ${timeout}`);
  const mem = p.memorySizeMb ?? 512;
  if (!Number.isInteger(mem) || mem < 128 || mem > 10240) problems.push(`memorySizeMb: must be 128-10240, got ${mem}`);
  const logs = p.logRetentionDays ?? 30;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logs)) problems.push(`logRetentionDays: must be a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(', ')}), got ${logs}`);
  for (const colour of ['blue', 'green'] as const) {
    const db = p[colour];
    if (!Token.isUnresolved(db.secretArn) && !/^arn:aws[a-z-]*:secretsmanager:/.test(db.secretArn)) problems.push(`${colour}.secretArn: must be a Secrets Manager ARN, got ${JSON.stringify(db.secretArn)}`);
    if (!Token.isUnresolved(db.secretKmsKeyArn) && !/^arn:aws[a-z-]*:kms:/.test(db.secretKmsKeyArn)) problems.push(`${colour}.secretKmsKeyArn: must be a KMS key ARN, got ${JSON.stringify(db.secretKmsKeyArn)}`);
    const port = db.port ?? 5432;
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`${colour}.port: must be 1-65535, got ${port}`);
  }
  if (p.appRole !== undefined && !/^[^\0]{1,63}$/.test(p.appRole)) problems.push(`appRole: must be a role name, got ${JSON.stringify(p.appRole)}`);
  if (problems.length > 0) throw new Error(`SchemaValidatorFunction: invalid props:\n  - ${problems.join('\n  - ')}`);
}

/**
 * The schema-validator Lambda (apps/schema-validator) and everything it needs, least privilege:
 *
 * - `aws_lambda_function` from the built bundle (a TerraformAsset ARCHIVE), on `VALIDATOR_LAMBDA_RUNTIME` (nodejs22.x, the
 *   Node.js major the bundle is built for), handler `index.handler`,
 *   in private subnets with its own security group (egress: PostgreSQL to the two database security groups,
 *   HTTPS for Secrets Manager and X-Ray through the NAT gateway — there are no VPC endpoints),
 *   reserved concurrency, X-Ray tracing Active.
 * - Log group `/aws/lambda/<name>` with a retention and default encryption (never a kms_key_id).
 * - A role trusted by lambda.amazonaws.com that may ONLY:
 *   `secretsmanager:GetSecretValue` on the two secrets; `kms:Decrypt` on their keys, only via Secrets Manager;
 *   `logs:CreateLogStream`/`logs:PutLogEvents` on its own log group;
 *   `ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces`, `ec2:DescribeSubnets`,
 *   `ec2:DeleteNetworkInterface`, `ec2:AssignPrivateIpAddresses`, `ec2:UnassignPrivateIpAddresses` on `*`
 *   (what the managed AWSLambdaVPCAccessExecutionRole grants: the Describe calls support no resource-level
 *   permissions and the ENI's ARN does not exist before Lambda creates it);
 *   `xray:PutTraceSegments`/`xray:PutTelemetryRecords` on `*` (X-Ray has no resource-level permissions).
 *
 * Admit the function to each database with the cluster's `allowFrom(validator.securityGroupId)`.
 */
export class SchemaValidatorFunction extends Construct {
  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly securityGroupId: string;
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: SchemaValidatorFunctionProps) {
    super(scope, id);
    const bundleDir = isAbsolute(props.bundleDir) ? props.bundleDir : resolve(process.cwd(), props.bundleDir);
    validate(props, bundleDir);
    const name = props.naming.name('schema-validator');
    this.functionName = name;

    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/lambda/${name}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.logGroupName = logGroup.name;

    const sg = new SecurityGroup(this, 'security-group', {
      name: props.naming.name('schema-validator-sg'),
      description: 'Schema-validator Lambda: PostgreSQL to the blue and green databases, HTTPS to AWS APIs via NAT',
      vpcId: props.vpcId,
      tags: { Name: props.naming.name('schema-validator-sg') },
    });
    this.securityGroupId = sg.id;
    for (const colour of ['blue', 'green'] as const) {
      const db = props[colour];
      new VpcSecurityGroupEgressRule(this, `egress-postgres-${colour}`, {
        securityGroupId: sg.id,
        description: `PostgreSQL to the ${colour} database`,
        ipProtocol: 'tcp',
        fromPort: db.port ?? 5432,
        toPort: db.port ?? 5432,
        referencedSecurityGroupId: db.securityGroupId,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'egress-https', {
      securityGroupId: sg.id,
      description: 'HTTPS to Secrets Manager and X-Ray through the NAT gateway (no VPC endpoints)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });

    // Policies as Fn.jsonencode (not aws_iam_policy_document data sources): the stack keeps "no data sources", and a
    // JSON string holding references would break `cdktf synth --hcl`.
    const role = new IamRole(this, 'role', {
      name: props.naming.name('role-schema-validator'),
      description: 'Schema-validator Lambda: reads the blue/green database secrets, nothing else',
      assumeRolePolicy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
      }),
    });
    this.roleArn = role.arn;
    this.roleName = role.name;

    // Without a green cluster the stack passes blue twice: list each secret and key once.
    const secretArns = [...new Set([props.blue.secretArn, props.green.secretArn])];
    const keyArns = [...new Set([props.blue.secretKmsKeyArn, props.green.secretKmsKeyArn])];
    const policy = {
      json: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ReadDatabaseSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secretArns },
          {
            Sid: 'DecryptDatabaseSecrets',
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: keyArns,
            Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
          },
          { Sid: 'OwnLogGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`${logGroup.arn}:*`] },
          {
            // ENI management for a VPC Lambda: these EC2 actions accept no resource-level scoping.
            Sid: 'VpcNetworkInterfaces',
            Effect: 'Allow',
            Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
            Resource: ['*'],
          },
          { Sid: 'XRay', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] },
        ],
      }),
    };
    const rolePolicy = new IamRolePolicy(this, 'role-policy', { name: props.naming.name('policy-schema-validator'), role: role.id, policy: policy.json });

    const asset = new TerraformAsset(this, 'bundle', { path: bundleDir, type: AssetType.ARCHIVE });
    const environment: Record<string, string> = {
      BLUE_SECRET_ARN: props.blue.secretArn,
      GREEN_SECRET_ARN: props.green.secretArn,
      BLUE_DB_HOST: props.blue.host,
      BLUE_DB_PORT: String(props.blue.port ?? 5432),
      BLUE_DB_NAME: props.blue.databaseName,
      GREEN_DB_HOST: props.green.host,
      GREEN_DB_PORT: String(props.green.port ?? 5432),
      GREEN_DB_NAME: props.green.databaseName,
      LOG_LEVEL: 'info',
    };
    if (props.schemas && props.schemas.length > 0) environment.VALIDATOR_SCHEMAS = props.schemas.join(',');
    if (props.appRole) environment.VALIDATOR_APP_ROLE = props.appRole;
    if (props.services && Object.keys(props.services).length > 0) environment.VALIDATOR_SERVICES = JSON.stringify(props.services);

    const fn = new LambdaFunction(this, 'function', {
      functionName: name,
      description: 'Checks that the green database schema is compatible with the application running on blue',
      role: role.arn,
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      handler: 'index.handler',
      runtime: VALIDATOR_LAMBDA_RUNTIME,
      architectures: [props.architecture ?? 'arm64'],
      memorySize: props.memorySizeMb ?? 512,
      timeout: props.timeoutSeconds ?? 60,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 2,
      tracingConfig: { mode: 'Active' },
      vpcConfig: { subnetIds: [...props.subnetIds], securityGroupIds: [sg.id] },
      environment: { variables: environment },
      dependsOn: [logGroup, rolePolicy],
    });
    this.functionArn = fn.arn;
  }
}
