/**
 * `npm run bench:services`: what several services cost at synth. Builds environment stacks through the construct API
 * (provider and S3 state, network, the Aurora cluster, compute and monitoring for N services, the schema-validator
 * Lambda, the guardrails: the shape of BlueGreenStack) with the dev environment's settings, for N = 1, 5 and 20
 * services, and reports synth time and resource count side by side, with the per-service cost.
 *
 *   npm run bench:services                      N = 1, 5, 20; 3 in-process runs each; the cold-process budget checks
 *   npm run bench:services -- --runs 5 --services 1,2,5,10,20
 *
 * The budget checks run fresh processes (module loading included, what `npm run synth` costs): one environment with
 * five services against 5 s, and three environments with five services each against 15 s. Exit 1 when a budget is
 * missed; 64 on bad usage. The service count the stack synthesizes comes from config once environments list their
 * services; until then this is the construct-level measure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { defaultTags, loadEnvironmentConfig, Naming, scalingBounds, type EnvironmentConfig } from '@bluegreen/config';
import { AuroraPostgresCluster } from '@bluegreen/database';
import { BlueGreenCompute, type ServiceSettings } from '@bluegreen/ecs';
import { BlueGreenGuardrails } from '@bluegreen/guardrails';
import { BlueGreenMonitoring, deploymentAlarmNames } from '@bluegreen/monitoring';
import { Network } from '@bluegreen/network';
import { SchemaValidatorFunction } from '@bluegreen/validation';
import { App, Aspects, S3Backend, TerraformStack } from 'cdktf';
import { Command } from 'commander';

const root = resolve(__dirname, '..', '..');
const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const validatorBundleDir = join(root, 'dist', 'apps', 'schema-validator');

/** Service `i` of `n`: the first is the default route with the single-service names, the others routed by path. */
function serviceSettings(config: EnvironmentConfig, naming: Naming, i: number, db: AuroraPostgresCluster): ServiceSettings {
  const unqualifiedNames = i === 0;
  const name = i === 0 ? 'monolith' : `svc${i}`;
  const database = { host: db.endpoint, port: db.port, name: db.databaseName, secretArn: db.masterSecretArn, secretKmsKeyArn: db.secretKmsKeyArn, securityGroupId: db.securityGroupId };
  const colour = (c: 'blue' | 'green') => {
    const s = config.compute[c];
    const { min, max } = scalingBounds(s);
    return { image: s.image, cpu: s.cpu, memory: s.memory, desiredCount: s.desiredCount, minCount: min, maxCount: max, environment: s.environment, writablePaths: s.writablePaths, database, deploymentAlarmNames: deploymentAlarmNames(naming, { name, unqualifiedNames }, c) };
  };
  return {
    name,
    unqualifiedNames,
    routing: i === 0 ? { default: true } : { pathPatterns: [`/${name}`, `/${name}/*`], priority: i * 10 },
    containerPort: config.compute.containerPort,
    healthCheck: config.compute.healthCheck,
    weights: { blue: config.traffic.blue, green: config.traffic.green },
    liveColour: config.traffic.live,
    blue: colour('blue'),
    green: colour('green'),
  };
}

/** One environment stack with `n` services (the composition of BlueGreenStack, through the construct API). */
export function buildStack(app: App, config: EnvironmentConfig, n: number): TerraformStack {
  const stack = new TerraformStack(app, config.environment);
  const naming = new Naming(config.environmentSuffix);
  new AwsProvider(stack, 'aws', { region: config.region, allowedAccountIds: [config.accountId], defaultTags: [{ tags: defaultTags(config) }] });
  new S3Backend(stack, { bucket: config.state.bucket, key: `${config.environment}/terraform.tfstate`, region: config.region, encrypt: true });
  const network = new Network(stack, 'network', {
    naming,
    accountId: config.accountId,
    availabilityZones: config.availabilityZones,
    vpcCidr: config.network.vpcCidr,
    publicSubnetCidrs: config.network.publicSubnetCidrs,
    privateSubnetCidrs: config.network.privateSubnetCidrs,
    isolatedSubnetCidrs: config.network.isolatedSubnetCidrs,
    natGateways: config.network.natGateways,
  });
  const d = config.database;
  const db = new AuroraPostgresCluster(stack, 'database', {
    naming,
    colour: 'blue',
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    availabilityZones: config.availabilityZones,
    engineVersion: d.engineVersion,
    instanceClass: d.instanceClass,
    readers: d.readers,
    databaseName: d.databaseName,
    masterUsername: d.masterUsername,
    backupRetentionDays: d.backupRetentionDays,
    deletionProtection: d.deletionProtection,
  });
  const services = Array.from({ length: n }, (_, i) => serviceSettings(config, naming, i, db));
  const lb = config.loadBalancer;
  const compute = new BlueGreenCompute(stack, 'compute', {
    naming,
    region: config.region,
    accountId: config.accountId,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    loadBalancer: { certificate: lb.certificate, testListenerCidrs: lb.testListenerCidrs, deletionProtection: lb.deletionProtection },
    services,
  });
  for (const s of Object.values(compute.services)) for (const c of ['blue', 'green'] as const) db.allowFrom(`ecs-${s.unqualifiedNames ? c : `${s.name}-${c}`}`, s.service(c).securityGroupId, `ECS ${s.name} ${c}`);
  const monitoring = new BlueGreenMonitoring(stack, 'monitoring', {
    naming,
    region: config.region,
    accountId: config.accountId,
    loadBalancerArnSuffix: compute.loadBalancer.albArnSuffix,
    services: Object.values(compute.services).map((s) => ({
      name: s.name,
      unqualifiedNames: s.unqualifiedNames,
      blue: { clusterName: compute.clusterNameLiteral, serviceName: s.blue.serviceNameLiteral, targetGroupArnSuffix: s.targetGroups.blue.arnSuffix },
      green: { clusterName: compute.clusterNameLiteral, serviceName: s.green.serviceNameLiteral, targetGroupArnSuffix: s.targetGroups.green.arnSuffix },
    })),
    databases: { blue: db.clusterIdentifier },
  });
  for (const s of Object.values(compute.services)) for (const c of ['blue', 'green'] as const) s.service(c).addDependency(...monitoring.deploymentAlarmsFor(s.name, c));
  const validatorDb = { host: db.endpoint, port: db.port, databaseName: db.databaseName, secretArn: db.masterSecretArn, secretKmsKeyArn: db.secretKmsKeyArn, securityGroupId: db.securityGroupId };
  const validator = new SchemaValidatorFunction(stack, 'validation', { naming, region: config.region, vpcId: network.vpcId, subnetIds: network.privateSubnetIds, bundleDir: validatorBundleDir, blue: validatorDb, green: validatorDb });
  db.allowFrom('validator', validator.securityGroupId, 'schema-validator Lambda');
  Aspects.of(stack).add(new BlueGreenGuardrails({ environmentSuffix: config.environmentSuffix, databaseDeletionProtection: d.deletionProtection, loadBalancerDeletionProtection: lb.deletionProtection }));
  return stack;
}

const environmentConfig = (env: string) => loadEnvironmentConfig(join(root, 'apps', env, 'environment.yaml'));

/** Synthesizes `n` services for each environment into a fresh outdir; returns the ms and the resources of each. */
export function synthOnce(envs: readonly string[], n: number): { ms: number; resources: number; perEnv: number[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-services-'));
  try {
    const started = performance.now();
    const app = new App({ outdir, skipValidation: false });
    for (const env of envs) buildStack(app, environmentConfig(env), n);
    app.synth();
    const ms = performance.now() - started;
    const perEnv = envs.map((env) => {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', env, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
      return Object.values(json.resource).reduce((sum, byId) => sum + Object.keys(byId).length, 0);
    });
    return { ms, resources: perEnv.reduce((a, b) => a + b, 0), perEnv };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A fresh process synthesizing `n` services for `envs` (module loading included): wall ms. */
function coldRun(envs: readonly string[], n: number): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [tsxCli, '--tsconfig', join(root, 'tools', 'tsconfig.json'), __filename, '--child', String(n), '--envs', envs.join(',')], { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`child synth failed (${r.status}):\n${r.stderr || r.stdout}`);
  return ms;
}

function main(argv: string[]): number {
  const opts = new Command('bench:services')
    .option('--runs <n>', 'in-process runs per service count', (v: string) => Number(v), 3)
    .option('--services <list>', 'service counts', (v: string) => v.split(',').map(Number), [1, 5, 20])
    .option('--child <n>', 'internal: synthesize n services once and exit', (v: string) => Number(v))
    .option('--envs <list>', 'internal: environments of --child', (v: string) => v.split(','), ['dev'])
    .parse(argv)
    .opts<{ runs: number; services: number[]; child?: number; envs: string[] }>();
  if (opts.child !== undefined) {
    synthOnce(opts.envs, opts.child);
    return 0;
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1 || opts.services.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--runs and --services: whole numbers >= 1, got --runs ${opts.runs} --services ${opts.services.join(',')}`);
    return 64;
  }
  console.log(`bench:services  node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  dev environment through the construct API, ${opts.runs} in-process run(s) per count (median), after one warm-up\n`);
  synthOnce(['dev'], 1); // warm the module and filesystem caches, not measured
  const rows = opts.services.map((n) => {
    const runs = Array.from({ length: opts.runs }, () => synthOnce(['dev'], n));
    return { n, ms: median(runs.map((r) => r.ms)), resources: runs[0].resources };
  });
  const base = rows[0];
  console.log('  services  resources  +per service   synth (median)  +ms per service');
  for (const r of rows) {
    const extra = r.n - base.n;
    const perResources = extra > 0 ? ((r.resources - base.resources) / extra).toFixed(1) : '-';
    const perMs = extra > 0 ? ((r.ms - base.ms) / extra).toFixed(0) : '-';
    console.log(`  ${String(r.n).padStart(8)}  ${String(r.resources).padStart(9)}  ${perResources.padStart(12)}  ${(r.ms / 1000).toFixed(2).padStart(12)} s  ${perMs.padStart(15)}`);
  }
  if (rows.length >= 3) {
    const [a, b, c] = [rows[0], rows[1], rows[rows.length - 1]];
    const early = (b.ms - a.ms) / (b.n - a.n);
    const late = (c.ms - b.ms) / (c.n - b.n);
    console.log(`  per-service synth cost ${early.toFixed(0)} ms (${a.n}→${b.n}) vs ${late.toFixed(0)} ms (${b.n}→${c.n}): ${late <= early * 2 ? 'roughly linear' : 'GROWING FASTER THAN LINEAR'}`);
  }

  console.log('\n  budgets (fresh processes, module loading included; the baseline is today\'s one service):');
  let failed = false;
  const budget = (label: string, envs: string[], n: number, targetMs: number) => {
    const baseline = coldRun(envs, 1);
    const ms = coldRun(envs, n);
    const ok = ms <= targetMs;
    failed ||= !ok;
    console.log(`  ${label.padEnd(44)} 1 service ${(baseline / 1000).toFixed(2)} s   ${n} services ${(ms / 1000).toFixed(2)} s   target ${targetMs / 1000} s  ${ok ? 'OK' : 'TOO SLOW'}`);
  };
  budget('one environment (dev)', ['dev'], 5, 5_000);
  budget('all environments (dev, staging, prod)', ['dev', 'staging', 'prod'], 5, 15_000);
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv);
