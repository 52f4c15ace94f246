import { Aspects, Fn, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { BlueGreenGuardrails, GuardrailViolationError, type BlueGreenGuardrailsProps } from './guardrails';
import { GUARDRAIL_RULES } from './rules';
import { suppressGuardrail } from './suppression';

const TAGS = { Environment: 'dev', Project: 'bluegreen', Owner: 'platform', CostCenter: 'cc-1', ManagedBy: 'cdktf' };

interface Built {
  readonly stack: TerraformStack;
  readonly app: Construct;
  readonly provider: AwsProvider;
  readonly key: KmsKey;
  readonly cluster: RdsCluster;
  readonly bucket: S3Bucket;
  readonly taskRole: IamRole;
  readonly policy: IamRolePolicy;
}

/** A small stack that passes every guardrail; each test plants exactly one violation in it. */
function compliantStack(tags: Record<string, string> = TAGS): Built {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'dev');
  const provider = new AwsProvider(stack, 'aws', { region: 'us-east-1', defaultTags: [{ tags }] });
  const key = new KmsKey(stack, 'key', { description: 'aurora', enableKeyRotation: true });
  const cluster = new RdsCluster(stack, 'cluster', {
    clusterIdentifier: 'aurora-cluster-dev',
    engine: 'aurora-postgresql',
    storageEncrypted: true,
    kmsKeyId: key.arn,
    backupRetentionPeriod: 7,
    deletionProtection: false,
    masterUsername: 'app',
    manageMasterUserPassword: true,
  });
  new RdsClusterInstance(stack, 'writer', {
    identifier: 'aurora-writer-dev',
    clusterIdentifier: cluster.id,
    instanceClass: 'db.t4g.medium',
    engine: 'aurora-postgresql',
    publiclyAccessible: false,
  });
  new SecretsmanagerSecret(stack, 'secret', { name: 'db-credentials-dev', kmsKeyId: key.arn });
  const bucket = new S3Bucket(stack, 'bucket', { bucket: 'artifacts-dev' });
  new S3BucketServerSideEncryptionConfigurationA(stack, 'bucket-sse', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn } }],
  });
  new S3BucketPublicAccessBlock(stack, 'bucket-pab', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new CloudwatchLogGroup(stack, 'logs', { name: '/ecs/app-dev', retentionInDays: 14 });
  const lb = new Lb(stack, 'alb', { name: 'alb-dev', dropInvalidHeaderFields: true, enableDeletionProtection: false });
  new LbListener(stack, 'http', {
    loadBalancerArn: lb.arn,
    port: 80,
    protocol: 'HTTP',
    defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
  });
  new LbListener(stack, 'https', {
    loadBalancerArn: lb.arn,
    port: 443,
    protocol: 'HTTPS',
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/x',
    defaultAction: [{ type: 'forward', targetGroupArn: 'arn:tg' }],
  });
  new SecurityGroup(stack, 'alb-sg', {
    name: 'sg-alb-dev',
    ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] }],
  });
  new Subnet(stack, 'private', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24', mapPublicIpOnLaunch: false });
  new EcsService(stack, 'service', {
    name: 'service-blue-dev',
    networkConfiguration: { subnets: ['subnet-1'], assignPublicIp: false },
  });
  const taskRole = new IamRole(stack, 'task-role', {
    name: 'task-role-dev',
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  });
  const policy = new IamRolePolicy(stack, 'task-policy', {
    name: 'task-policy-dev',
    role: taskRole.name,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ec2:CreateNetworkInterface'], Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket.arn}/*` },
      ],
    }),
  });
  return { stack, app, provider, key, cluster, bucket, taskRole, policy };
}

const PROPS: BlueGreenGuardrailsProps = {
  environmentSuffix: 'dev',
  databaseDeletionProtection: false,
  loadBalancerDeletionProtection: false,
};

function synth(stack: TerraformStack, props?: BlueGreenGuardrailsProps): BlueGreenGuardrails {
  const guardrails = new BlueGreenGuardrails(props ?? PROPS);
  Aspects.of(stack).add(guardrails);
  Testing.synth(stack);
  return guardrails;
}

function expectViolation(stack: TerraformStack, ruleId: string, path: string, props?: BlueGreenGuardrailsProps): GuardrailViolationError {
  let caught: unknown;
  try {
    synth(stack, props);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(GuardrailViolationError);
  const error = caught as GuardrailViolationError;
  expect(error.message).toContain(`[${ruleId}] ${path}`);
  expect(error.report.violations.map((v) => v.ruleId)).toContain(ruleId);
  // Only the planted rule fires: the baseline is clean.
  expect([...new Set(error.report.violations.map((v) => v.ruleId))]).toEqual([ruleId]);
  expect(error.message).toContain('fix:');
  return error;
}

describe('BlueGreenGuardrails', () => {
  it('passes a compliant stack and synthesizes', () => {
    const { stack } = compliantStack();
    const g = synth(stack);
    expect(g.lastReport?.violations).toEqual([]);
  });

  const planted: Array<[string, string, (b: Built) => void]> = [
    ['BG001', 'dev/badly-named', (b) => new CloudwatchLogGroup(b.stack, 'badly-named', { name: '/ecs/AppLogs', retentionInDays: 7 })],
    ['BG001', 'dev/prefixed', (b) => new SecurityGroup(b.stack, 'prefixed', { namePrefix: 'sg-' })],
    ['BG002', 'dev/aws', (b) => b.provider.addOverride('default_tags.0.tags.CostCenter', '')],
    ['BG002', 'dev/tag-blanker', (b) => new SecurityGroup(b.stack, 'tag-blanker', { name: 'sg-x-dev', tags: { Owner: '' } })],
    ['BG003', 'dev/endpoint', (b) => new VpcEndpoint(b.stack, 'endpoint', { vpcId: 'vpc-1', serviceName: 'com.amazonaws.us-east-1.s3' })],
    ['BG004', 'dev/kms-logs', (b) => new CloudwatchLogGroup(b.stack, 'kms-logs', { name: 'kms-logs-dev', retentionInDays: 7, kmsKeyId: b.key.arn })],
    ['BG005', 'dev/cluster', (b) => b.cluster.addOverride('lifecycle.prevent_destroy', true)],
    ['BG006', 'dev/rotation', (b) => new SecretsmanagerSecretRotation(b.stack, 'rotation', { secretId: 'x', rotationLambdaArn: 'arn:aws:lambda:x', rotationRules: { automaticallyAfterDays: 30 } })],
    ['BG007', 'dev/cluster', (b) => b.cluster.addOverride('storage_encrypted', false)],
    ['BG007', 'dev/plain-bucket', (b) => {
      const plain = new S3Bucket(b.stack, 'plain-bucket', { bucket: 'plain-bucket-dev' });
      new S3BucketPublicAccessBlock(b.stack, 'plain-pab', { bucket: plain.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }],
    ['BG008', 'dev/public-service', (b) => new EcsService(b.stack, 'public-service', { name: 'service-green-dev', networkConfiguration: { subnets: ['s'], assignPublicIp: true } })],
    ['BG008', 'dev/public-db', (b) => new RdsClusterInstance(b.stack, 'public-db', { identifier: 'aurora-reader-dev', clusterIdentifier: b.cluster.id, instanceClass: 'db.t4g.medium', engine: 'aurora-postgresql', publiclyAccessible: true })],
    ['BG008', 'dev/public-subnet', (b) => new Subnet(b.stack, 'public-subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24', mapPublicIpOnLaunch: true })],
    ['BG009', 'dev/task-policy', (b) => b.policy.addOverride('policy', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'ecr:GetAuthorizationToken'], Resource: '*' }] }))],
    ['BG009', 'dev/task-policy', (b) => b.policy.addOverride('policy', Fn.jsonencode({ Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: '*' }] }))],
    ['BG009', 'dev/task-policy', (b) => b.policy.addOverride('policy', '${file("policy.json")}')],
    ['BG009', 'dev/doc', (b) => new DataAwsIamPolicyDocument(b.stack, 'doc', { statement: [{ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }] })],
    ['BG010', 'dev/plain-http', (b) => new LbListener(b.stack, 'plain-http', { loadBalancerArn: 'arn:lb', port: 8080, protocol: 'HTTP', defaultAction: [{ type: 'forward', targetGroupArn: 'arn:tg' }] })],
    ['BG010', 'dev/old-tls', (b) => new LbListener(b.stack, 'old-tls', { loadBalancerArn: 'arn:lb', port: 8443, protocol: 'HTTPS', certificateArn: 'arn:c', defaultAction: [{ type: 'forward', targetGroupArn: 'arn:tg' }] })],
    ['BG011', 'dev/cluster', (b) => b.cluster.addOverride('deletion_protection', true)],
    ['BG012', 'dev/ssh-sg', (b) => new SecurityGroup(b.stack, 'ssh-sg', { name: 'sg-ssh-dev', ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }] })],
    ['BG013', 'dev/forever-logs', (b) => new CloudwatchLogGroup(b.stack, 'forever-logs', { name: 'forever-logs-dev' })],
    ['BG014', 'dev/alb', (b) => b.stack.node.findChild('alb') && (b.stack.node.findChild('alb') as Lb).addOverride('drop_invalid_header_fields', false)],
    ['BG015', 'dev/bucket-pab', (b) => (b.stack.node.findChild('bucket-pab') as S3BucketPublicAccessBlock).addOverride('restrict_public_buckets', false)],
    ['BG016', 'dev/cluster', (b) => b.cluster.addOverride('backup_retention_period', 1)],
  ];

  it.each(planted)('%s: a planted violation at %s fails synth naming the rule and the path', (ruleId, path, plant) => {
    const built = compliantStack();
    plant(built);
    expectViolation(built.stack, ruleId, path);
  });

  it('covers every rule of the catalogue with a planted violation', () => {
    expect(new Set(planted.map(([id]) => id))).toEqual(new Set(GUARDRAIL_RULES.map((r) => r.id)));
  });

  it('BG001 accepts AWS-dictated log group paths that embed a conforming name', () => {
    const built = compliantStack();
    new CloudwatchLogGroup(built.stack, 'rds-logs', { name: '/aws/rds/cluster/aurora-blue-dev/postgresql', retentionInDays: 7 });
    new CloudwatchLogGroup(built.stack, 'lambda-logs', { name: '/aws/lambda/schema-validator-dev', retentionInDays: 7 });
    expect(synth(built.stack).lastReport?.violations).toEqual([]);
  });

  it('fails when no AWS provider carries default_tags', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'dev');
    new S3Bucket(stack, 'b', { bucket: 'x-dev' });
    expect(() => synth(stack)).toThrow(/\[BG002\] dev: no AWS provider/);
  });

  it('reports ALL violations at once, each with rule, path and address', () => {
    const built = compliantStack();
    new VpcEndpoint(built.stack, 'endpoint', { vpcId: 'vpc-1', serviceName: 's3' });
    new CloudwatchLogGroup(built.stack, 'kms-logs', { name: 'kms-logs-dev', retentionInDays: 7, kmsKeyId: built.key.arn });
    built.cluster.addOverride('lifecycle.prevent_destroy', true);
    let error: GuardrailViolationError | undefined;
    try {
      synth(built.stack);
    } catch (err) {
      error = err as GuardrailViolationError;
    }
    expect(error?.report.violations.map((v) => v.ruleId).sort()).toEqual(['BG003', 'BG004', 'BG005']);
    expect(error?.message).toMatch(/\[BG003\] dev\/endpoint \(aws_vpc_endpoint\.endpoint\)/);
    expect(error?.message).toMatch(/\[BG005\] dev\/cluster \(aws_rds_cluster\.cluster\): lifecycle\.prevent_destroy is true/);
  });

  it('finds violations in nested constructs and applies to the subtree it was added to', () => {
    const built = compliantStack();
    const compute = new Construct(built.stack, 'compute');
    new LbListener(compute, 'plain', { loadBalancerArn: 'arn:lb', port: 80, protocol: 'HTTP', defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '200' } }] });
    expectViolation(built.stack, 'BG010', 'dev/compute/plain');
  });

  describe('suppressions', () => {
    it('a suppression with a reason passes and is listed in the report and as an info annotation', () => {
      const built = compliantStack();
      new VpcEndpoint(built.stack, 'endpoint', { vpcId: 'vpc-1', serviceName: 's3' });
      suppressGuardrail(built.stack.node.findChild('endpoint'), 'BG003', 'temporary: S3 gateway endpoint for the migration window');
      const g = synth(built.stack);
      expect(g.lastReport?.violations).toEqual([]);
      expect(g.lastReport?.suppressed).toEqual([
        expect.objectContaining({ ruleId: 'BG003', path: 'dev/endpoint', suppression: expect.objectContaining({ reason: 'temporary: S3 gateway endpoint for the migration window' }) }),
      ]);
      const infos = built.stack.node.findChild('endpoint').node.metadata.filter((m) => m.type === '@cdktf/info');
      expect(infos.map((m) => m.data)).toEqual([expect.stringContaining('guardrail BG003 suppressed for dev/endpoint')]);
    });

    it('a suppression on a parent construct covers its children, and only the named rule', () => {
      const built = compliantStack();
      const parent = new Construct(built.stack, 'legacy');
      new VpcEndpoint(parent, 'endpoint', { vpcId: 'vpc-1', serviceName: 's3' });
      new CloudwatchLogGroup(parent, 'forever', { name: 'forever-dev' });
      suppressGuardrail(parent, 'BG003', 'legacy network owned by the migration team');
      expectViolation(built.stack, 'BG013', 'dev/legacy/forever');
    });

    it('is refused without a reason, with a blank reason, or for an unknown rule', () => {
      const built = compliantStack();
      expect(() => suppressGuardrail(built.cluster, 'BG005', '')).toThrow(/reason must explain the exception/);
      expect(() => suppressGuardrail(built.cluster, 'BG005', '   ok  ')).toThrow(/reason must explain/);
      expect(() => suppressGuardrail(built.cluster, 'BG005', undefined as unknown as string)).toThrow(/reason/);
      expect(() => suppressGuardrail(built.cluster, 'BG999', 'a perfectly good reason')).toThrow(/ruleId must be one of BG001, .*got "BG999"/);
    });
  });

  it('validates its props', () => {
    expect(() => new BlueGreenGuardrails({ environmentSuffix: 'Dev!' })).toThrow(/environmentSuffix must be .* got "Dev!"/);
    expect(() => new BlueGreenGuardrails({ environmentSuffix: 'dev', minBackupRetentionDays: 0 })).toThrow(/minBackupRetentionDays must be an integer 1-35, got 0/);
  });

  it('reads Fn.jsonencode policies (references are never "*") and policy documents referenced by data sources', () => {
    const built = compliantStack();
    const doc = new DataAwsIamPolicyDocument(built.stack, 'doc', { statement: [{ actions: ['s3:GetObject'], resources: [`${built.bucket.arn}/*`] }] });
    built.policy.addOverride('policy', Fn.jsonencode({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [built.bucket.arn, `${built.bucket.arn}/*`] }, { Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' }] }));
    new IamRolePolicy(built.stack, 'doc-policy', { name: 'doc-policy-dev', role: built.taskRole.name, policy: doc.json });
    expect(synth(built.stack).lastReport?.violations).toEqual([]);
  });

  it('accepts extra star-only actions from props', () => {
    const built = compliantStack();
    built.policy.addOverride('policy', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' }] }));
    expect(() => synth(built.stack, { ...PROPS, additionalStarOnlyActions: ['ssm:DescribeParameters'] })).not.toThrow();
  });
});
