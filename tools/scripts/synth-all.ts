/**
 * `npm run synth`: writes Terraform JSON for every environment in ONE process (the constructs are loaded once),
 * each into its app's own cdktf.out (the same place `cdktf synth` in the app folder writes), and prints timings.
 *
 *   npm run synth                       every environment (each apps/<env>/environment.yaml)
 *   npm run synth -- --only dev,prod    some environments
 *   npm run synth -- --outdir /tmp/out  write to <outdir>/<env>/ instead
 *
 * (The state bucket bootstrap is not an environment: `npx cdktf synth` in apps/state-backend.)
 *
 * Exit codes: 0 written; 1 a config is invalid (every problem listed by field); 64 bad usage.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigValidationError } from '@bluegreen/config';
import { createEnvironmentApp } from '@bluegreen/stack';
import { Command, CommanderError } from 'commander';

const defaultAppsDir = join(resolve(__dirname, '..', '..'), 'apps');

/** Every app folder with an environment.yaml is an environment. */
export function environments(appsDir = defaultAppsDir): string[] {
  return readdirSync(appsDir)
    .filter((d) => existsSync(join(appsDir, d, 'environment.yaml')))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}
function order(env: string): number {
  const i = ['dev', 'staging', 'prod'].indexOf(env);
  return i < 0 ? 99 : i;
}

export interface SynthTiming {
  readonly name: string;
  readonly ms: number;
  readonly outdir: string;
}

/** Synthesizes the given environments (default: all); returns per-environment timings. */
export function synthAll(options: { only?: string[]; outdir?: string; appsDir?: string } = {}): SynthTiming[] {
  const appsDir = options.appsDir ?? defaultAppsDir;
  const all = environments(appsDir);
  const wanted = options.only ?? all;
  const unknown = wanted.filter((e) => !all.includes(e));
  if (unknown.length > 0) throw new UsageError(`--only: unknown environment(s) ${unknown.join(', ')}; known: ${all.join(', ')}`);
  const timings: SynthTiming[] = [];
  for (const env of wanted) {
    const started = performance.now();
    const outdir = options.outdir ? join(options.outdir, env) : join(appsDir, env, 'cdktf.out');
    createEnvironmentApp(join(appsDir, env, 'environment.yaml'), { outdir }).app.synth();
    timings.push({ name: env, ms: performance.now() - started, outdir });
  }
  return timings;
}

export class UsageError extends Error {}

export function main(argv: string[]): number {
  const program = new Command('synth')
    .description('Synthesize Terraform JSON for every environment, in one process')
    .option('--only <envs>', 'comma-separated environments', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--outdir <dir>', 'write <dir>/<app>/ instead of apps/<app>/cdktf.out')
    .option('--apps-dir <dir>', 'where the environment folders are', defaultAppsDir)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 64;
    throw e;
  }
  const opts = program.opts<{ only?: string[]; outdir?: string; appsDir: string }>();
  const loadMs = process.uptime() * 1000;
  try {
    const started = performance.now();
    const timings = synthAll({ only: opts.only, outdir: opts.outdir ? resolve(opts.outdir) : undefined, appsDir: resolve(opts.appsDir) });
    for (const t of timings) console.log(`  ${t.name.padEnd(14)} ${t.ms.toFixed(0).padStart(6)} ms  -> ${relative(process.cwd(), t.outdir) || '.'}`);
    const cpu = process.cpuUsage();
    console.log(
      `synthesized ${timings.length} app(s) in ${(performance.now() - started).toFixed(0)} ms (process start + module load ${loadMs.toFixed(0)} ms; process cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      console.error(e.message);
      return 1;
    }
    if (e instanceof UsageError) {
      console.error(e.message);
      return 64;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv);
