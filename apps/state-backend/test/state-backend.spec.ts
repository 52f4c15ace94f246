import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { countByType, itOffline, type OfflineResult, offlineToolsStatus, offlineValidateAndPlan } from '@bluegreen/testing-terraform';
import { stackFormat } from '@bluegreen/stack';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { createStateBackendApp } from '../src';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

Testing.setupJest();

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('apps/state-backend', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bluegreen-state-'));
  const { app, stacks } = createStateBackendApp({ outdir });
  const byName = Object.fromEntries(stacks.map((s) => [s.node.id, s]));
  const dev = Testing.synth(byName['state-backend-dev']);
  const tf = JSON.parse(dev) as { terraform: { backend: Record<string, unknown> }; resource: Resources };
  let result: OfflineResult;

  beforeAll(() => {
    app.synth();
    if (offlineToolsStatus().missing) return; // the tests that read the plan are itTf: skipped then, each with the reason
    result = offlineValidateAndPlan(join(outdir, 'stacks', 'state-backend-prod'), 'state-backend-prod');
  }, 240_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('makes one stack per environment, each with LOCAL state (it cannot live in the bucket it creates)', () => {
    expect(Object.keys(byName).sort()).toEqual(['state-backend-dev', 'state-backend-prod', 'state-backend-staging']);
    expect(Object.keys(tf.terraform.backend)).toEqual(['local']);
  });

  it('creates the bucket named in the environment config: versioned, SSE-KMS with its own rotating key, public access blocked', () => {
    const bucket = Object.values(tf.resource.aws_s3_bucket)[0];
    expect(bucket.bucket).toBe('bluegreen-tfstate-111111111111');
    expect(dev).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    const sse = Object.values(tf.resource.aws_s3_bucket_server_side_encryption_configuration)[0];
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { kms_master_key_id: '${aws_kms_key.kms-key.arn}', sse_algorithm: 'aws:kms' }, bucket_key_enabled: true }]);
    expect(Object.values(tf.resource.aws_kms_key)[0].enable_key_rotation).toBe(true);
    expect(dev).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(Object.values(tf.resource.aws_s3_bucket_ownership_controls)[0].rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  it('refuses every request not made over TLS', () => {
    const policy = String(Object.values(tf.resource.aws_s3_bucket_policy)[0].policy);
    expect(policy).toMatch(/"Effect" = "Deny"/);
    expect(policy).toMatch(/"aws:SecureTransport" = "false"/);
  });

  it('lets dev be destroyed with its bucket, but not prod', () => {
    expect(Object.values(tf.resource.aws_s3_bucket)[0].force_destroy).toBe(true);
    const prod = JSON.parse(Testing.synth(byName['state-backend-prod'])) as { resource: Resources };
    expect(Object.values(prod.resource.aws_s3_bucket)[0].force_destroy).toBe(false);
  });

  itTf('validates and plans offline with the real provider', () => {
    expect(result?.validate.valid).toBe(true);
    expect(countByType(result?.plan ?? { format_version: '', terraform_version: '' })).toMatchObject({ aws_s3_bucket: 1, aws_kms_key: 1, aws_s3_bucket_policy: 1 });
  });

  it('cdktf synth --hcl after a JSON synth leaves only cdk.tf in each stack folder (one local backend, not two)', () => {
    const hclOut = join(outdir, 'formats');
    createStateBackendApp({ outdir: hclOut }).app.synth();
    const saved = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      createStateBackendApp({ outdir: hclOut }).app.synth();
    } finally {
      if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = saved;
    }
    for (const env of ['dev', 'staging', 'prod']) expect(stackFormat(join(hclOut, 'stacks', `state-backend-${env}`))).toBe('hcl');
  });
});
