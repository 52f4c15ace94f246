import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { ConfigValidationError, loadEnvironmentConfig, REQUIRED_TAG_KEYS, type EnvironmentConfig } from '@bluegreen/config';
import { Testing } from 'cdktf';
// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, …).
import 'cdktf/lib/testing/adapters/jest';
import { BlueGreenStack } from '../src';

Testing.setupJest();

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Synth {
  terraform: { backend: Record<string, Record<string, unknown>> };
  provider: Record<string, Record<string, unknown>[]>;
  resource: Resources;
  data?: unknown;
  output: Record<string, { value: unknown; sensitive?: boolean }>;
}

// The real, reviewed environment files: the stack is tested with what ships.
const appsDir = join(__dirname, '..', '..', '..', '..', 'apps');
const dev = loadEnvironmentConfig(join(appsDir, 'dev', 'environment.yaml'));
const staging = loadEnvironmentConfig(join(appsDir, 'staging', 'environment.yaml'));
const prod = loadEnvironmentConfig(join(appsDir, 'prod', 'environment.yaml'));

function synth(config: EnvironmentConfig): { json: string; tf: Synth; stack: BlueGreenStack } {
  const stack = new BlueGreenStack(Testing.app(), config.environment, { config });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as Synth, stack };
}
const values = (r: Resources, type: string) => Object.values(r[type] ?? {});

describe('BlueGreenStack', () => {
  const d = synth(dev);
  const s = synth(staging);
  const p = synth(prod);

  it('configures the AWS provider from config: region, allowed account, cost tags as default tags', () => {
    expect(d.json).toHaveProviderWithProperties(AwsProvider, { region: 'us-east-1', allowed_account_ids: ['111111111111'] });
    const tags = (d.tf.provider.aws[0].default_tags as { tags: Record<string, string> }[])[0].tags;
    for (const key of REQUIRED_TAG_KEYS) expect(tags[key]).toBeTruthy();
    expect(tags).toMatchObject({ Environment: 'dev', Project: 'bluegreen', Owner: 'platform-team', CostCenter: 'cc-1234', ManagedBy: 'cdktf' });
  });

  it('keeps state in S3 per environment, encrypted, with the S3 lock file', () => {
    expect(d.tf.terraform.backend).toEqual({
      s3: { bucket: 'bluegreen-tfstate-111111111111', key: 'dev/terraform.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
    });
    expect(p.tf.terraform.backend.s3).toMatchObject({ bucket: 'bluegreen-tfstate-333333333333', key: 'prod/terraform.tfstate', use_lockfile: true });
    const custom = synth({ ...dev, state: { ...dev.state, key: 'teams/x/dev.tfstate', kmsKeyId: 'alias/kms-tfstate-dev' } });
    expect(custom.tf.terraform.backend.s3).toMatchObject({ key: 'teams/x/dev.tfstate', kms_key_id: 'alias/kms-tfstate-dev' });
  });

  it('uses no data sources (nothing calls AWS at plan time) and no VPC endpoints', () => {
    for (const e of [d, s, p]) {
      expect(e.tf.data).toBeUndefined();
      expect(e.tf.resource.aws_vpc_endpoint).toBeUndefined();
    }
  });

  it('never puts a KMS key on a log group, and creates KMS keys only for Aurora and Secrets Manager', () => {
    for (const e of [d, s, p]) {
      expect(values(e.tf.resource, 'aws_cloudwatch_log_group').every((g) => g.kms_key_id === undefined)).toBe(true);
      for (const k of values(e.tf.resource, 'aws_kms_key')) expect(String(k.description)).toMatch(/Aurora|Secrets Manager|S3/);
    }
  });

  it('has no prevent_destroy anywhere', () => {
    for (const e of [d, s, p]) expect(e.json).not.toContain('prevent_destroy');
  });

  it('names every named resource with the environment suffix', () => {
    for (const [e, suffix] of [[d, 'dev'], [s, 'staging'], [p, 'prod']] as const) {
      for (const [type, byId] of Object.entries(e.tf.resource)) {
        for (const [id, r] of Object.entries(byId)) {
          const tags = r.tags as Record<string, string> | undefined;
          for (const name of [r.name, r.identifier, r.cluster_identifier, tags?.Name].filter((n) => typeof n === 'string' && !String(n).includes('${'))) {
            expect(`${type}.${id}: ${String(name)}`).toMatch(new RegExp(`-${suffix}($|/)|/aurora-[a-z]+-${suffix}/`));
          }
        }
      }
    }
  });

  it('follows database.deletionProtection: off in dev and staging (destroyable), on in prod', () => {
    expect(d.json).toHaveResourceWithProperties(RdsCluster, { deletion_protection: false, skip_final_snapshot: true });
    expect(s.json).toHaveResourceWithProperties(RdsCluster, { deletion_protection: false, skip_final_snapshot: true });
    expect(p.json).toHaveResourceWithProperties(RdsCluster, { deletion_protection: true, skip_final_snapshot: false });
  });

  it('builds NAT gateways per config: one in dev, one per AZ in prod', () => {
    expect(values(d.tf.resource, 'aws_nat_gateway')).toHaveLength(1);
    expect(values(p.tf.resource, 'aws_nat_gateway')).toHaveLength(3);
  });

  it('builds the green cluster only when database.green.enabled, beside blue', () => {
    expect(d.stack.databaseGreen).toBeUndefined();
    expect(values(d.tf.resource, 'aws_rds_cluster')).toHaveLength(1);
    expect(s.stack.databaseGreen).toBeDefined();
    expect(values(s.tf.resource, 'aws_rds_cluster').map((c) => c.cluster_identifier).sort()).toEqual(['aurora-blue-staging', 'aurora-green-staging']);
    expect(values(s.tf.resource, 'aws_rds_cluster_instance')).toHaveLength(6);
    // Both clusters sit in the isolated subnets.
    for (const g of values(s.tf.resource, 'aws_db_subnet_group')) expect(JSON.stringify(g.subnet_ids)).toContain('isolated-subnet');
  });

  it('exposes the contract outputs by their fixed names, none sensitive, green ones only with a green cluster', () => {
    const blue = ['vpc_id', 'blue_db_cluster_id', 'blue_db_cluster_endpoint', 'blue_db_secret_arn'];
    const green = ['green_db_cluster_id', 'green_db_cluster_endpoint', 'green_db_secret_arn'];
    expect(Object.keys(d.tf.output)).toEqual(expect.arrayContaining(blue));
    for (const o of green) expect(d.tf.output[o]).toBeUndefined();
    expect(Object.keys(s.tf.output)).toEqual(expect.arrayContaining([...blue, ...green]));
    expect(d.tf.output.blue_db_secret_arn.value).toMatch(/master_user_secret\[0\]\.secret_arn/);
    expect(d.tf.output.blue_db_cluster_id.value).toBe('aurora-blue-dev');
    for (const o of Object.values(s.tf.output)) expect(o.sensitive).toBeUndefined();
  });

  it('exposes its parts as public members for later steps to wire to', () => {
    expect(d.stack.network.isolatedSubnetIds).toHaveLength(3);
    expect(d.stack.database.clusterIdentifier).toBe('aurora-blue-dev');
    expect(d.stack.naming.name('alb')).toBe('alb-dev');
    expect(d.stack.config.environment).toBe('dev');
  });

  it('refuses an invalid config before creating any construct, listing every problem', () => {
    const app = Testing.app();
    const bad = { ...dev, environmentSuffix: 'Dev_1', availabilityZones: ['us-east-1a', 'us-east-1b'] } as unknown as EnvironmentConfig;
    let error: unknown;
    try {
      new BlueGreenStack(app, 'dev', { config: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(String(error)).toMatch(/environmentSuffix: must be/);
    expect(String(error)).toMatch(/availabilityZones: must have exactly 3 items, got 2/);
    expect(app.node.children).toHaveLength(0);
  });
});
