import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvironmentApp, stackFormat } from '@bluegreen/stack';
import { changesOfType, countByType, itOffline, type OfflineResult, offlineToolsStatus, offlineValidateAndPlan, terraformValidate } from '@bluegreen/testing-terraform';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

// The real dev app (its environment.yaml) synthesized, then `terraform validate` + `terraform plan -refresh=false`
// against the real AWS provider 5.100.0 from the offline mirror. The plan JSON lands in dist/plans/dev.json.
describe('apps/dev', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'bluegreen-dev-'));
  let result: OfflineResult;

  beforeAll(() => {
    const { app } = createEnvironmentApp(join(__dirname, '..', 'environment.yaml'), { outdir });
    app.synth();
    if (offlineToolsStatus().missing) return; // the tests that read the plan are itTf: skipped then, each with the reason
    result = offlineValidateAndPlan(join(outdir, 'stacks', 'dev'), 'dev');
  }, 240_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  itTf('passes terraform validate and plans with the real provider', () => {
    expect(result?.validate).toMatchObject({ valid: true, error_count: 0 });
    expect(result?.plan.resource_changes?.every((c) => c.change.actions.join() === 'create')).toBe(true);
  });

  itTf('plans the dev shape: one NAT gateway, a writer and two readers, blue cluster only, destroyable', () => {
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

  itTf('plans two services: the monolith on the default action, catalog carved out by path on its own rules, pair, alarms and repository', () => {
    const counts = countByType(result.plan);
    expect(counts).toMatchObject({ aws_ecs_service: 4, aws_lb_target_group: 4, aws_lb_listener_rule: 2, aws_ecr_repository: 2, aws_cloudwatch_metric_alarm: 24 });
    const rules = changesOfType(result.plan, 'aws_lb_listener_rule').map((c) => c.change.after as Record<string, unknown>);
    for (const rule of rules) {
      expect(rule).toMatchObject({ priority: 100, condition: [expect.objectContaining({ path_pattern: [{ values: ['/catalog', '/catalog/*'] }] })] });
    }
    const services = changesOfType(result.plan, 'aws_ecs_service').map((c) => (c.change.after as { name: string }).name).sort();
    expect(services).toEqual(['service-blue-dev', 'service-catalog-blue-dev', 'service-catalog-green-dev', 'service-green-dev']);
    const alarms = changesOfType(result.plan, 'aws_cloudwatch_metric_alarm').map((c) => c.change.after as { alarm_name: string; threshold: number });
    // catalog's own p95 threshold (0.5 s), the monolith keeps the environment's (2 s).
    expect(alarms.find((a) => a.alarm_name === 'alarm-catalog-green-p95-latency-dev')?.threshold).toBe(0.5);
    expect(alarms.find((a) => a.alarm_name === 'alarm-green-p95-latency-dev')?.threshold).toBe(2);
  });

  itTf('runs the schema validator on nodejs22.x (a supported Lambda runtime) from the bundle archive', () => {
    const fn = changesOfType(result.plan, 'aws_lambda_function')[0].change.after;
    expect(fn).toMatchObject({ function_name: 'schema-validator-dev', runtime: 'nodejs22.x', handler: 'index.handler', architectures: ['arm64'] });
  });

  // The way out of CDK for Terraform: `cdktf synth --hcl` (SYNTH_HCL_OUTPUT=true) into the same folder, then back.
  // Each time exactly one format is left and Terraform accepts it (two formats = "Duplicate backend configuration").
  itTf('synthesizes JSON -> HCL -> JSON into the same stack folder, each accepted by terraform validate', () => {
    const stackDir = join(outdir, 'stacks', 'dev');
    const synth = (hcl: boolean) => {
      const saved = process.env.SYNTH_HCL_OUTPUT;
      process.env.SYNTH_HCL_OUTPUT = String(hcl);
      try {
        createEnvironmentApp(join(__dirname, '..', 'environment.yaml'), { outdir }).app.synth();
      } finally {
        if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
        else process.env.SYNTH_HCL_OUTPUT = saved;
      }
    };
    expect(stackFormat(stackDir)).toBe('json'); // validated and planned above

    synth(true);
    expect(stackFormat(stackDir)).toBe('hcl');
    expect(readFileSync(join(stackDir, 'cdk.tf'), 'utf8')).toContain('use_lockfile = true');
    const hcl = terraformValidate(stackDir, 'dev-hcl');
    expect(hcl).toMatchObject({ valid: true, error_count: 0 });

    synth(false);
    expect(stackFormat(stackDir)).toBe('json');
    const json = terraformValidate(stackDir, 'dev-json-again');
    expect(json).toMatchObject({ valid: true, error_count: 0 });
  }, 240_000);
});
