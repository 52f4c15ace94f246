/**
 * `npm run bench:synth`: how long a user waits for `npm run synth`, measured as fresh processes (cold start
 * included, exactly what the command costs), for all environments and for one.
 *
 *   npm run bench:synth                  3 runs each, targets 15 s (all) and 5 s (one environment)
 *   npm run bench:synth -- --runs 5 --env prod
 *
 * Exit 1 when the median misses a target.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';

const root = resolve(__dirname, '..', '..');
const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function timeRun(args: string[]): { wall: number; cpu: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [tsxCli, '--tsconfig', join(root, 'tools', 'tsconfig.json'), join(root, 'tools', 'scripts', 'synth-all.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`synth failed (${r.status}):\n${r.stderr || r.stdout}`);
  const cpu = /process cpu (\d+) ms/.exec(r.stdout);
  return { wall: ms, cpu: cpu ? Number(cpu[1]) : Number.NaN };
}

function stats(samples: number[]): { min: number; median: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

function main(argv: string[]): number {
  const opts = new Command('bench:synth')
    .option('--runs <n>', 'runs per case', (v: string) => Number(v), 3)
    .option('--env <name>', 'the single environment to time', 'dev')
    .parse(argv)
    .opts<{ runs: number; env: string }>();
  if (!Number.isInteger(opts.runs) || opts.runs < 1) {
    console.error(`--runs: must be a whole number >= 1, got ${opts.runs}`);
    return 64;
  }
  const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const cases = [
    { name: 'all environments (npm run synth)', args: ['--outdir', out], targetMs: 15_000 },
    { name: `one environment (${opts.env})`, args: ['--outdir', out, '--only', opts.env], targetMs: 5_000 },
  ];
  console.log(`bench:synth  node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${opts.runs} fresh process(es) per case`);
  let failed = false;
  try {
    timeRun(['--outdir', out, '--only', opts.env]); // warm the filesystem cache, not measured
    for (const c of cases) {
      const runs = Array.from({ length: opts.runs }, () => timeRun(c.args));
      const s = stats(runs.map((r) => r.wall));
      const cpu = stats(runs.map((r) => r.cpu));
      const ok = s.median <= c.targetMs;
      failed ||= !ok;
      console.log(
        `  ${c.name.padEnd(34)} min ${(s.min / 1000).toFixed(2)} s  median ${(s.median / 1000).toFixed(2)} s  max ${(s.max / 1000).toFixed(2)} s  (cpu median ${(cpu.median / 1000).toFixed(2)} s)  target ${c.targetMs / 1000} s  ${ok ? 'OK' : 'TOO SLOW'}`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv);
