import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { S3Backend, TerraformStack, Testing } from 'cdktf';
import { changesOfType, countByType, discoverProviderMirror, findRepoRoot, mirrorHoldsProvider, offlineOverride, offlineValidateAndPlan, searchForMirror, synthStack, itOffline } from '../src';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

function stackWith(name: string, sgName: string): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', { region: 'us-east-1', allowedAccountIds: ['111111111111'] });
  new S3Backend(stack, { bucket: 'never-contacted', key: 'x/terraform.tfstate', region: 'us-east-1', encrypt: true });
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  new SecurityGroup(stack, 'sg', { name: sgName, vpcId: vpc.id, description: 'harness test' });
  return stack;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('offline overlay', () => {
  it('swaps the backend for local state and mocks credentials, touching nothing else', () => {
    const o = offlineOverride() as { terraform: { backend: Record<string, unknown> }; provider: { aws: Record<string, unknown> } };
    expect(Object.keys(o.terraform.backend)).toEqual(['local']);
    expect(o.provider.aws).toMatchObject({
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
    expect(o.provider.aws.access_key).toMatch(/^mock/);
    expect(o.provider.aws.region).toBeUndefined();
  });
});

describe('provider mirror discovery', () => {
  let fake: string;
  beforeAll(() => {
    fake = mkdtempSync(join(tmpdir(), 'mirror-test-'));
    const bin = join(fake, 'a', 'b', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'terraform-provider-aws_v5.100.0_x5'), '');
  });
  afterAll(() => rmSync(fake, { recursive: true, force: true }));

  it('recognises a mirror by the provider binary, and nothing else', () => {
    expect(mirrorHoldsProvider(join(fake, 'a', 'b'))).toBe(true);
    expect(mirrorHoldsProvider(join(fake, 'a'))).toBe(false);
    expect(mirrorHoldsProvider(join(fake, 'a', 'b'), '5.99.0')).toBe(false);
  });

  it('finds a mirror by a bounded search, and gives up beyond its depth', () => {
    expect(searchForMirror(fake, 4)).toBe(join(fake, 'a', 'b'));
    expect(searchForMirror(fake, 1)).toBeUndefined();
  });

  it('refuses a BLUEGREEN_TF_PROVIDER_MIRROR that does not hold the provider, naming the variable', () => {
    const saved = process.env.BLUEGREEN_TF_PROVIDER_MIRROR;
    process.env.BLUEGREEN_TF_PROVIDER_MIRROR = fake;
    try {
      expect(() => discoverProviderMirror({ refresh: true })).toThrow(/BLUEGREEN_TF_PROVIDER_MIRROR: must be a directory containing registry.terraform.io\/hashicorp\/aws\/5.100.0/);
      process.env.BLUEGREEN_TF_PROVIDER_MIRROR = join(fake, 'a', 'b');
      expect(discoverProviderMirror({ refresh: true })).toEqual({ path: join(fake, 'a', 'b'), source: 'env' });
    } finally {
      if (saved === undefined) delete process.env.BLUEGREEN_TF_PROVIDER_MIRROR;
      else process.env.BLUEGREEN_TF_PROVIDER_MIRROR = saved;
      discoverProviderMirror({ refresh: true });
    }
  });
});

describe('offline validate and plan (real terraform, real AWS provider)', () => {
  itTf('plans a stack offline, saves the plan JSON and leaves the synthesized JSON unchanged', () => {
    const dir = synthStack(stackWith('harness-ok', 'harness-sg'));
    const before = sha(join(dir, 'cdk.tf.json'));
    const result = offlineValidateAndPlan(dir, 'harness-ok');
    expect(result.validate.valid).toBe(true);
    expect(countByType(result.plan)).toEqual({ aws_vpc: 1, aws_security_group: 1 });
    expect(changesOfType(result.plan, 'aws_security_group')[0].change.actions).toEqual(['create']);
    expect(existsSync(join(findRepoRoot(), 'dist', 'plans', 'harness-ok.json'))).toBe(true);
    expect(sha(join(dir, 'cdk.tf.json'))).toBe(before);
    expect(existsSync(join(dir, 'zz_offline_override.tf.json'))).toBe(false);
  }, 180_000);

  itTf('fails when the real provider rejects the configuration (the proof can fail)', () => {
    const dir = synthStack(stackWith('harness-bad', 'sg-not-allowed'));
    // One init + validate: the structured diagnostics come through the thrown error.
    expect(() => offlineValidateAndPlan(dir, 'harness-bad')).toThrow(/terraform validate rejected harness-bad:\n {2}- error: invalid value for name \(cannot begin with sg-\) \(aws_security_group\.sg\)/);
    expect(existsSync(join(findRepoRoot(), 'dist', 'plans', 'harness-bad.json'))).toBe(false);
  }, 180_000);
});
