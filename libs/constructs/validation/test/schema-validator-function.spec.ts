import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Naming } from '@bluegreen/config';
import { parsePolicyStatements } from '@bluegreen/guardrails';
import { countByType, offlineValidateAndPlan, synthStack, itOffline } from '@bluegreen/testing-terraform';
import { TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaValidatorFunction, type SchemaValidatorFunctionProps } from '../src';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

Testing.setupJest();

type Resources = Record<string, Record<string, Record<string, unknown>>>;
type DataSources = Record<string, Record<string, { statement: Array<Record<string, unknown>> }>>;

const bundleDir = mkdtempSync(join(tmpdir(), 'validator-bundle-'));
writeFileSync(join(bundleDir, 'index.js'), 'exports.handler = async () => ({ ok: false });\n');
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

const props = (): SchemaValidatorFunctionProps => ({
  naming: new Naming('qa1'),
  bundleDir,
  region: 'us-east-1',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-p1', 'subnet-p2', 'subnet-p3'],
  blue: {
    host: 'aurora-blue-qa1.cluster-abc.us-east-1.rds.amazonaws.com',
    databaseName: 'app',
    secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:rds!cluster-blue-AbCdEf',
    secretKmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/blue-key',
    securityGroupId: 'sg-blue',
  },
  green: {
    host: 'aurora-green-qa1.cluster-abc.us-east-1.rds.amazonaws.com',
    databaseName: 'app',
    secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:rds!cluster-green-AbCdEf',
    secretKmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/green-key',
    securityGroupId: 'sg-green',
  },
  appRole: 'app_user',
});

function synth(overrides: Partial<SchemaValidatorFunctionProps> = {}) {
  let fn: SchemaValidatorFunction | undefined;
  const json = Testing.synthScope((scope) => {
    fn = new SchemaValidatorFunction(scope, 'validation', { ...props(), ...overrides });
  });
  const parsed = JSON.parse(json) as { resource: Resources; data: DataSources };
  return { json, resources: parsed.resource, data: parsed.data, fn: fn as SchemaValidatorFunction };
}

describe('SchemaValidatorFunction', () => {
  const { json, resources, data, fn } = synth();
  const lambda = Object.values(resources.aws_lambda_function)[0];

  it('is a nodejs22.x function from the bundle archive, in private subnets with its own security group, tracing Active, reserved concurrency', () => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'schema-validator-qa1',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      reserved_concurrent_executions: 2,
      tracing_config: { mode: 'Active' },
      vpc_config: { subnet_ids: ['subnet-p1', 'subnet-p2', 'subnet-p3'], security_group_ids: [expect.stringContaining('aws_security_group.validation_security-group')] },
    });
    expect(String(lambda.filename)).toMatch(/assets\/validation_bundle_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/);
    expect(lambda.source_code_hash).toBeTruthy();
    expect(Token.isUnresolved(fn.securityGroupId)).toBe(true);
    expect(fn.functionName).toBe('schema-validator-qa1');
  });

  it('tells the handler where the databases are; no secret value in the configuration', () => {
    const vars = (lambda.environment as { variables: Record<string, string> }).variables;
    expect(vars).toEqual({
      BLUE_SECRET_ARN: props().blue.secretArn,
      GREEN_SECRET_ARN: props().green.secretArn,
      BLUE_DB_HOST: props().blue.host,
      BLUE_DB_PORT: '5432',
      BLUE_DB_NAME: 'app',
      GREEN_DB_HOST: props().green.host,
      GREEN_DB_PORT: '5432',
      GREEN_DB_NAME: 'app',
      VALIDATOR_APP_ROLE: 'app_user',
      LOG_LEVEL: 'info',
    });
    expect(json).not.toMatch(/password/i);
  });

  it('has a log group /aws/lambda/<name> with retention and no KMS key, created before the function', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/lambda/schema-validator-qa1', retention_in_days: 30 });
    expect(Object.values(resources.aws_cloudwatch_log_group)[0].kms_key_id).toBeUndefined();
    expect(lambda.depends_on).toEqual(expect.arrayContaining([expect.stringContaining('aws_cloudwatch_log_group.validation_log-group')]));
  });

  it('lets the role do only what the function needs', () => {
    // Policies are Fn.jsonencode expressions; the guardrails' reader turns them back into IAM statements.
    const role = Object.values(resources.aws_iam_role)[0] as { assume_role_policy: string };
    expect(parsePolicyStatements(role.assume_role_policy)).toEqual([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }]);
    const rolePolicy = Object.values(resources.aws_iam_role_policy)[0] as { policy: string };
    const policy = parsePolicyStatements(rolePolicy.policy) ?? [];
    const bySid = Object.fromEntries(policy.map((st) => [st.Sid, st]));
    expect(Object.keys(bySid).sort()).toEqual(['DecryptDatabaseSecrets', 'OwnLogGroup', 'ReadDatabaseSecrets', 'VpcNetworkInterfaces', 'XRay']);
    expect(bySid.ReadDatabaseSecrets).toMatchObject({ Action: ['secretsmanager:GetSecretValue'], Resource: [props().blue.secretArn, props().green.secretArn] });
    expect(bySid.DecryptDatabaseSecrets).toMatchObject({
      Action: ['kms:Decrypt'],
      Resource: [props().blue.secretKmsKeyArn, props().green.secretKmsKeyArn],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    });
    expect(bySid.OwnLogGroup).toMatchObject({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [expect.stringMatching(/aws_cloudwatch_log_group\.validation_log-group_[0-9A-F]+\.arn\}:\*$/)] });
    expect(bySid.VpcNetworkInterfaces.Action).toEqual(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']);
    expect(bySid.XRay).toMatchObject({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] });
    expect(data).toBeUndefined();
    const everything = JSON.stringify(policy);
    expect(everything).not.toMatch(/"\*:\*"|secretsmanager:\*|kms:\*|"iam:/);
    expect(json).toHaveResourceWithProperties(IamRolePolicy, { name: 'policy-schema-validator-qa1' });
    expect(resources.aws_iam_role_policy_attachment).toBeUndefined();
  });

  it('allows egress only to the two databases on 5432 and HTTPS for AWS APIs', () => {
    expect(json).toHaveResourceWithProperties(SecurityGroup, { name: 'schema-validator-sg-qa1', vpc_id: 'vpc-123' });
    const rules = Object.values(resources.aws_vpc_security_group_egress_rule);
    expect(rules).toHaveLength(3);
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { from_port: 5432, to_port: 5432, referenced_security_group_id: 'sg-blue' });
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { from_port: 5432, to_port: 5432, referenced_security_group_id: 'sg-green' });
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' });
  });

  it('refuses a missing bundle with the command that builds it', () => {
    expect(() => synth({ bundleDir: join(bundleDir, 'nope') })).toThrow('run `npx nx build schema-validator` first');
  });

  it.each([
    [{ reservedConcurrency: 0 }, 'reservedConcurrency: must be 1-100, got 0'],
    [{ timeoutSeconds: 5 }, 'timeoutSeconds: must be 10-900, got 5'],
    [{ logRetentionDays: 10 }, 'logRetentionDays: must be a CloudWatch Logs retention value'],
    [{ subnetIds: [] }, 'subnetIds: must name at least one private subnet'],
  ] as Array<[Partial<SchemaValidatorFunctionProps>, string]>)('refuses %j, naming the prop', (bad, message) => {
    expect(() => synth(bad)).toThrow(message);
  });

  it('accepts Terraform tokens for ARNs and hosts (wired from the database constructs)', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const v = (n: string) => new TerraformVariable(scope, n, { type: 'string' }).stringValue;
        const db = (c: string) => ({ host: v(`${c}_host`), databaseName: 'app', secretArn: v(`${c}_secret`), secretKmsKeyArn: v(`${c}_key`), securityGroupId: v(`${c}_sg`) });
        new SchemaValidatorFunction(scope, 'validation', { ...props(), blue: db('blue'), green: db('green') });
      }),
    ).not.toThrow();
  });
});

describe('SchemaValidatorFunction against the real AWS provider (offline)', () => {
  itTf('validates and plans', () => {
    const stack = new TerraformStack(Testing.app(), 'validation-test');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new SchemaValidatorFunction(stack, 'validation', props());
    const result = offlineValidateAndPlan(synthStack(stack), 'validation-construct');
    expect(countByType(result.plan)).toEqual({
      aws_lambda_function: 1,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_security_group: 1,
      aws_vpc_security_group_egress_rule: 3,
    });
  }, 240_000);
});
