import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvironmentApp } from '@bluegreen/stack';
import { changesOfType, countByType, offlineTools, offlineValidateAndPlan, prepareOffline, validateIn, type OfflineResult } from '@bluegreen/testing-terraform';
import { Testing } from 'cdktf';

// The real dev app (its environment.yaml) synthesized, then `terraform validate` + `terraform plan -refresh=false`
// against the real AWS provider 5.100.0 from the offline mirror. The plan JSON lands in dist/plans/dev.json.
describe('apps/dev', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bluegreen-dev-'));
  let result: OfflineResult | undefined;

  beforeAll(() => {
    const { app } = createEnvironmentApp(join(__dirname, '..', 'environment.yaml'), { outdir });
    app.synth();
    result = offlineValidateAndPlan(join(outdir, 'stacks', 'dev'), 'dev');
  }, 240_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('passes terraform validate and plans with the real provider', () => {
    if (!offlineTools()) return; // loud warning printed; CI=true throws instead
    expect(result?.validate).toMatchObject({ valid: true, error_count: 0 });
    expect(result?.plan.resource_changes?.every((c) => c.change.actions.join() === 'create')).toBe(true);
  });

  it('plans the dev shape: one NAT gateway, a writer and two readers, blue cluster only, destroyable', () => {
    if (!result) return;
    const counts = countByType(result.plan);
    expect(counts).toMatchObject({ aws_vpc: 1, aws_subnet: 9, aws_nat_gateway: 1, aws_rds_cluster: 1, aws_rds_cluster_instance: 3, aws_flow_log: 1 });
    expect(counts.aws_vpc_endpoint).toBeUndefined();
    const cluster = changesOfType(result.plan, 'aws_rds_cluster')[0].change.after;
    expect(cluster).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, manage_master_user_password: true, storage_encrypted: true, backup_retention_period: 7 });
    expect(cluster?.master_password ?? null).toBeNull();
    const azs = changesOfType(result.plan, 'aws_rds_cluster_instance').map((c) => c.change.after?.availability_zone);
    expect(new Set(azs)).toEqual(new Set(['us-east-1a', 'us-east-1b', 'us-east-1c']));
    for (const g of changesOfType(result.plan, 'aws_cloudwatch_log_group')) expect(g.change.after?.kms_key_id ?? null).toBeNull();
    expect(Object.keys(result.plan.output_changes ?? {})).toEqual(expect.arrayContaining(['vpc_id', 'blue_db_cluster_id', 'blue_db_cluster_endpoint', 'blue_db_secret_arn']));
  });

  it('also synthesizes as HCL (cdktf synth --hcl, the way out) that terraform validates', () => {
    const { stack } = createEnvironmentApp(join(__dirname, '..', 'environment.yaml'), { outdir: join(outdir, 'hcl-app') });
    const hcl = Testing.synthHcl(stack) as string;
    expect(hcl).toContain('use_lockfile = true');
    const hclDir = mkdtempSync(join(tmpdir(), 'bluegreen-dev-hcl-'));
    try {
      writeFileSync(join(hclDir, 'cdk.tf'), hcl);
      const work = prepareOffline(hclDir, 'dev-hcl');
      if (!work) return;
      try {
        expect(validateIn(work)).toMatchObject({ valid: true });
      } finally {
        work.dispose();
      }
    } finally {
      rmSync(hclDir, { recursive: true, force: true });
    }
  }, 240_000);
});
