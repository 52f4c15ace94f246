/**
 * `npm run synth`: synthesizes every environment in ONE process (the constructs are loaded once), each into its
 * app's own cdktf.out (where `cdktf synth` in apps/<env> writes, and where the CI and the CLI look), and prints
 * timings. The stacks are built by the same library code as the apps' main.ts and the root cdktf.json
 * (`npx cdktf synth` at the repository root), so all three write the same Terraform.
 *
 *   npm run synth                       every environment (each apps/<env>/environment.yaml)
 *   npm run synth -- --only dev,prod    some environments
 *   npm run synth -- --outdir /tmp/out  write to <outdir>/<env>/ instead
 *   npm run synth -- --hcl              HCL (cdk.tf) instead of JSON, like `cdktf synth --hcl`
 *
 * (The state bucket bootstrap is not an environment: `npx cdktf synth` in apps/state-backend.)
 *
 * Exit codes: 0 written; 1 a config is invalid (every problem of every file listed by field); 64 bad usage.
 */
import { join, relative, resolve } from 'node:path';
import { ConfigValidationError } from '@bluegreen/config';
import { environmentAppDir, environmentConfigPath } from '@bluegreen/contract';
import { createEnvironmentApp, loadEnvironmentConfigs, selectEnvironments, UnknownEnvironmentError, workspaceEnvironments } from '@bluegreen/stack';
import { Command, CommanderError } from 'commander';

const defaultRoot = resolve(__dirname, '..', '..');

/** Every environment of the workspace, in promotion order (dev, staging, prod, then the others). */
export function environments(root = defaultRoot): string[] {
  return workspaceEnvironments(root);
}

export interface SynthTiming {
  readonly name: string;
  readonly ms: number;
  readonly outdir: string;
}

export interface SynthAllOptions {
  /** @default - every environment */
  readonly only?: readonly string[];
  /** Write `<outdir>/<env>/` instead of `apps/<env>/cdktf.out`. */
  readonly outdir?: string;
  /** The workspace root (holds apps/<env>/environment.yaml). @default - this repository */
  readonly root?: string;
  /** HCL (cdk.tf) instead of JSON, as `cdktf synth --hcl` asks for it. @default - what `SYNTH_HCL_OUTPUT` says, else JSON */
  readonly hcl?: boolean;
}

/**
 * Synthesizes the given environments (default: all); returns per-environment timings. Every config is validated
 * before anything is written: one invalid file stops the run with the problems of all of them.
 */
export function synthAll(options: SynthAllOptions = {}): SynthTiming[] {
  const root = options.root ?? defaultRoot;
  const wanted = selectEnvironments(root, options.only);
  const loaded = loadEnvironmentConfigs(wanted.map((env) => environmentConfigPath(root, env)));
  const timings: SynthTiming[] = [];
  const saved = process.env.SYNTH_HCL_OUTPUT;
  if (options.hcl !== undefined) process.env.SYNTH_HCL_OUTPUT = String(options.hcl);
  try {
    for (const [i, env] of wanted.entries()) {
      const started = performance.now();
      const outdir = options.outdir ? join(options.outdir, env) : join(environmentAppDir(root, env), 'cdktf.out');
      createEnvironmentApp(loaded[i].file, { outdir, config: loaded[i].config }).app.synth();
      timings.push({ name: env, ms: performance.now() - started, outdir });
    }
  } finally {
    if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = saved;
  }
  return timings;
}

export function main(argv: string[]): number {
  const program = new Command('synth')
    .description('Synthesize Terraform JSON for every environment, in one process')
    .option('--only <envs>', 'comma-separated environments', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--outdir <dir>', 'write <dir>/<env>/ instead of apps/<env>/cdktf.out')
    .option('--hcl', 'write HCL (cdk.tf) instead of JSON, like cdktf synth --hcl')
    .option('--root <dir>', 'the workspace root (holds apps/<env>/environment.yaml)', defaultRoot)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 64;
    throw e;
  }
  const opts = program.opts<{ only?: string[]; outdir?: string; root: string; hcl?: boolean }>();
  const loadMs = process.uptime() * 1000;
  try {
    const started = performance.now();
    const timings = synthAll({ only: opts.only, outdir: opts.outdir ? resolve(opts.outdir) : undefined, root: resolve(opts.root), hcl: opts.hcl });
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
    if (e instanceof UnknownEnvironmentError) {
      console.error(`--only: ${e.message}`);
      return 64;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv);
