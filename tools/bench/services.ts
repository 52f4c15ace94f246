/**
 * `npm run bench:services`: what several services cost at synth. Builds the real environment stack (BlueGreenStack,
 * guardrails included) from the environment's config with N services in its `services` map: the monolith (its default
 * service) plus N - 1 services carved out of it by path, each with its own schema and images, validated by the config
 * loader and mapped by the stack like any environment file. For N = 1, 5 and 20 it reports synth time and resource
 * count side by side, with the per-service cost.
 *
 *   npm run bench:services                      N = 1, 5, 20; 3 in-process runs each; the cold-process budget checks
 *   npm run bench:services -- --runs 5 --services 1,2,5,10,20
 *
 * The budget checks run fresh processes (module loading included, what `npm run synth` costs): one environment with
 * five services against 5 s, and three environments with five services each against 15 s. Exit 1 when a budget is
 * missed; 64 on bad usage.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultServiceName, loadEnvironmentConfig, validateEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import { BlueGreenStack } from '@bluegreen/stack';
import { App } from 'cdktf';
import { Command } from 'commander';

const root = resolve(__dirname, '..', '..');
const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * The environment's config with `n` services: its default service (`monolith`, unqualified names) and `n - 1` services
 * carved out of it, each routed by its paths (`/svcN`, `/svcN/*`, priority N * 10) with its own schema and images.
 * Goes through config validation, as an environment file with that many services would.
 */
export function configFor(config: EnvironmentConfig, n: number): EnvironmentConfig {
  const main = defaultServiceName(config);
  const monolith = config.services[main];
  const carved = Object.fromEntries(
    Array.from({ length: n - 1 }, (_, i) => {
      const name = `svc${i + 1}`;
      const image = `${config.accountId}.dkr.ecr.${config.region}.amazonaws.com/ecr-${name}-${config.environmentSuffix}:1.0.0`;
      return [name, { ...monolith, unqualifiedNames: false, routing: { default: false, pathPatterns: [`/${name}`, `/${name}/*`], hostHeaders: [], priority: (i + 1) * 10 }, databaseSchema: name, blue: { ...monolith.blue, image }, green: { ...monolith.green, image } }];
    }),
  );
  return validateEnvironmentConfig({ ...config, services: { [main]: monolith, ...carved } }, `${config.environment} with ${n} service(s)`);
}

/** One environment's BlueGreenStack with `n` services. */
export function buildStack(app: App, config: EnvironmentConfig, n: number): BlueGreenStack {
  return new BlueGreenStack(app, config.environment, { config: configFor(config, n), configDir: join(root, 'apps', config.environment) });
}

const environmentConfig = (env: string) => loadEnvironmentConfig(join(root, 'apps', env, 'environment.yaml'));

/**
 * Synthesizes `n` services for each environment into a fresh outdir; returns the wall ms, the CPU ms of this process
 * (less disturbed by other work on a shared machine) and the resources of each.
 */
export function synthOnce(envs: readonly string[], n: number): { ms: number; cpuMs: number; resources: number; perEnv: number[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-services-'));
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const app = new App({ outdir, skipValidation: false });
    for (const env of envs) buildStack(app, environmentConfig(env), n);
    app.synth();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const perEnv = envs.map((env) => {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', env, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
      return Object.values(json.resource).reduce((sum, byId) => sum + Object.keys(byId).length, 0);
    });
    return { ms, cpuMs, resources: perEnv.reduce((a, b) => a + b, 0), perEnv };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A fresh process synthesizing `n` services for `envs` (module loading included): wall ms and the child's CPU ms. */
function coldRun(envs: readonly string[], n: number): { ms: number; cpuMs: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [tsxCli, '--tsconfig', join(root, 'tools', 'tsconfig.json'), __filename, '--child', String(n), '--envs', envs.join(',')], { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`child synth failed (${r.status}):\n${r.stderr || r.stdout}`);
  const cpu = /child cpu (\d+) ms/.exec(r.stdout);
  return { ms, cpuMs: cpu ? Number(cpu[1]) : Number.NaN };
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
    const cpu = process.cpuUsage();
    console.log(`child cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms`);
    return 0;
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1 || opts.services.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--runs and --services: whole numbers >= 1, got --runs ${opts.runs} --services ${opts.services.join(',')}`);
    return 64;
  }
  console.log(`bench:services  node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  the dev environment's BlueGreenStack with N services, ${opts.runs} in-process run(s) per count (median), after one warm-up\n`);
  synthOnce(['dev'], 1); // warm the module and filesystem caches, not measured
  const rows = opts.services.map((n) => {
    const runs = Array.from({ length: opts.runs }, () => synthOnce(['dev'], n));
    return { n, ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), resources: runs[0].resources };
  });
  const base = rows[0];
  console.log('  services  resources  +per service   synth wall (median)  synth cpu (median)  +cpu ms per service');
  for (const r of rows) {
    const extra = r.n - base.n;
    const perResources = extra > 0 ? ((r.resources - base.resources) / extra).toFixed(1) : '-';
    const perMs = extra > 0 ? ((r.cpuMs - base.cpuMs) / extra).toFixed(0) : '-';
    console.log(
      `  ${String(r.n).padStart(8)}  ${String(r.resources).padStart(9)}  ${perResources.padStart(12)}  ${(r.ms / 1000).toFixed(2).padStart(17)} s  ${(r.cpuMs / 1000).toFixed(2).padStart(16)} s  ${perMs.padStart(19)}`,
    );
  }
  if (rows.length >= 3) {
    // Judged on CPU time: wall time on a shared machine measures the neighbours as much as the synth.
    const [a, b, c] = [rows[0], rows[1], rows[rows.length - 1]];
    const early = (b.cpuMs - a.cpuMs) / (b.n - a.n);
    const late = (c.cpuMs - b.cpuMs) / (c.n - b.n);
    console.log(`  per-service cpu cost ${early.toFixed(0)} ms (${a.n}→${b.n}) vs ${late.toFixed(0)} ms (${b.n}→${c.n}): ${late <= early * 2 ? 'roughly linear' : 'GROWING FASTER THAN LINEAR'}`);
  }

  console.log('\n  budgets (fresh processes, module loading included; the baseline is today\'s one service):');
  let failed = false;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const budget = (label: string, envs: string[], n: number, targetMs: number) => {
    const baseline = coldRun(envs, 1);
    const run = coldRun(envs, n);
    const ok = run.ms <= targetMs;
    failed ||= !ok;
    console.log(`  ${label.padEnd(38)} 1 service ${s(baseline.ms)} (cpu ${s(baseline.cpuMs)})   ${n} services ${s(run.ms)} (cpu ${s(run.cpuMs)})   target ${targetMs / 1000} s  ${ok ? 'OK' : 'TOO SLOW'}`);
  };
  budget('one environment (dev)', ['dev'], 5, 5_000);
  budget('all environments (dev, staging, prod)', ['dev', 'staging', 'prod'], 5, 15_000);
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv);
