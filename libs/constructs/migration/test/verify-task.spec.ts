// The one-off data verify task: Fargate in the private subnets, least privilege, its report bucket.
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { Naming } from '@bluegreen/config';
import { decodeJsonAttribute } from '@bluegreen/guardrails';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { DmsMigration, type DmsMigrationProps } from '../src';
import { greenTarget, legacySource } from './fixture';

Testing.setupJest();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/bluegreen:1.4.0';
const base: DmsMigrationProps = {
  naming: new Naming('qa1'),
  region: 'us-east-1',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
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
  return { json, parsed: JSON.parse(json) as Json, construct: construct as DmsMigration };
}
const all = (j: Json, type: string): Json[] => Object.values(j.resource[type] ?? {});
const decode = (s: string): Json => decodeJsonAttribute(s);
const policyOf = (j: Json, name: string): Json => decode(all(j, 'aws_iam_role_policy').find((p) => p.name === name).policy);

describe('DataVerifyTask (migration.verifyTask)', () => {
  const { json, parsed, construct } = synth({ verifyTask: { image: IMAGE, accountId: '111111111111' } });

  it('is a Fargate task definition with a read-only root filesystem, the connection secrets injected by ECS, never a plain password', () => {
    expect(json).toHaveResourceWithProperties(EcsTaskDefinition, { family: 'task-verify-qa1', network_mode: 'awsvpc', requires_compatibilities: ['FARGATE'], cpu: '1024', memory: '2048' });
    const td = all(parsed, 'aws_ecs_task_definition')[0];
    const [container] = decode(td.container_definitions);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.command).toEqual(['data', 'verify', '--format', 'json', '--checkpoint', '/tmp/verify.ckpt', '--report-url', expect.stringMatching(/^s3:\/\/.*\/verify\/report\.json$/)]);
    expect(container.secrets.map((s: Json) => s.name)).toEqual([
      'BLUEGREEN_SOURCE_HOST',
      'BLUEGREEN_SOURCE_PORT',
      'BLUEGREEN_SOURCE_USER',
      'BLUEGREEN_SOURCE_PASSWORD',
      'BLUEGREEN_TARGET_HOST',
      'BLUEGREEN_TARGET_PORT',
      'BLUEGREEN_TARGET_USER',
      'BLUEGREEN_TARGET_PASSWORD',
    ]);
    expect(container.secrets[3].valueFrom).toBe(`${legacySource.secretArn}:password::`);
    expect(container.environment).toEqual(expect.arrayContaining([{ name: 'BLUEGREEN_SOURCE_DATABASE', value: 'orders' }, { name: 'BLUEGREEN_TARGET_SSLMODE', value: 'verify-full' }]));
    expect(JSON.stringify(container.environment)).not.toMatch(/password/i);
  });

  it('lets the execution role read exactly the two connection secrets, and the task role only write reports', () => {
    const exec = policyOf(parsed, 'ecs-execution-verify-qa1');
    const read = exec.Statement.find((s: Json) => s.Sid === 'ReadConnectionSecrets');
    expect(read).toEqual({ Sid: 'ReadConnectionSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [legacySource.secretArn, expect.stringMatching(/green-connection-secret/)] });
    const decrypt = exec.Statement.find((s: Json) => s.Sid === 'DecryptConnectionSecrets');
    expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } });
    for (const s of exec.Statement) if ([s.Resource].flat().includes('*')) expect(s.Action).toBe('ecr:GetAuthorizationToken');
    const task = policyOf(parsed, 'ecs-task-verify-qa1');
    expect(task.Statement).toEqual([{ Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: expect.stringMatching(/aws_s3_bucket\.migration_verify-task_report-bucket_.*\.arn\}\/verify\/\*$/) }]);
  });

  it('keeps reports in a private, encrypted, TLS-only bucket that expires them', () => {
    expect(all(parsed, 'aws_s3_bucket')[0].bucket).toBe('verify-reports-111111111111-qa1');
    expect(all(parsed, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(all(parsed, 'aws_s3_bucket_server_side_encryption_configuration')).toHaveLength(1);
    expect(all(parsed, 'aws_s3_bucket_lifecycle_configuration')[0].rule[0].expiration).toEqual([{ days: 90 }]);
    expect(decode(all(parsed, 'aws_s3_bucket_policy')[0].policy).Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(construct.contract.verifyTask).toEqual({ taskDefinitionArn: construct.verifyTask?.taskDefinitionArn, subnetIds: ['subnet-a', 'subnet-b'], securityGroupId: construct.verifyTask?.securityGroupId, reportLocation: construct.verifyTask?.reportLocation });
  });

  it('reaches the databases on PostgreSQL only (the green cluster by security group, the legacy server by CIDR), HTTPS out', () => {
    const egress = all(parsed, 'aws_vpc_security_group_egress_rule').filter((r) => String(r.security_group_id).includes('verify-task'));
    expect(egress.map((r) => [r.cidr_ipv4 ?? r.referenced_security_group_id, r.from_port]).sort()).toEqual([
      ['0.0.0.0/0', 443],
      ['192.168.10.0/24', 5432],
      ['sg-green', 5432],
    ]);
    expect(all(parsed, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.referenced_security_group_id).includes('verify-task'))).toEqual([expect.objectContaining({ security_group_id: 'sg-green', from_port: 5432 })]);
  });

  it('is absent unless asked for, and refuses an image without a tag', () => {
    const { parsed: p, construct: c } = synth();
    expect(all(p, 'aws_ecs_task_definition')).toHaveLength(0);
    expect(all(p, 'aws_s3_bucket')).toHaveLength(0);
    expect(c.contract.verifyTask).toBeUndefined();
    expect(() => synth({ verifyTask: { image: 'bluegreen', accountId: '111111111111' } })).toThrow('image: must carry an explicit tag or digest, got "bluegreen"');
  });
});
