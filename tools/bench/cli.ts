/**
 * `npm run bench:cli`: how fast the command line starts, measured side by side in one run. Each round runs, back to
 * back from the repository root:
 *
 *   node apps/cli/bin/bluegreen.js --help     the CLI's own start (target ≤ 0.3 s)
 *   npx bluegreen --help                      what an operator types (target ≤ 1.5 × the next line)
 *   npx esbuild --version                     the same npx overhead with a native tool behind it
 *   node -e 0                                 Node's own start, for scale
 *   BLUEGREEN_CLI_FROM_SOURCE=1 node … --help the sources through tsx (how the CLI started before the bundle)
 *
 * Ratios are medians of the per-round ratios (a shared machine slows whole rounds, not single commands); times are
 * medians and bests of the rounds. Exit 1 when a target is missed, 64 on bad usage.
 *
 *   npm run bench:cli                 7 rounds
 *   npm run bench:cli -- --rounds 15
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

const root = resolve(__dirname, '..', '..');
const bin = join(root, 'apps', 'cli', 'bin', 'bluegreen.js');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const OWN_START_TARGET_S = 0.3;
const NPX_RATIO_TARGET = 1.5;

interface Probe {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

const PROBES: readonly Probe[] = [
  { name: 'node bin --help', command: process.execPath, args: [bin, '--help'] },
  { name: 'npx bluegreen --help', command: npx, args: ['bluegreen', '--help'] },
  { name: 'npx esbuild --version', command: npx, args: ['esbuild', '--version'] },
  { name: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
  { name: 'sources via tsx --help', command: process.execPath, args: [bin, '--help'], env: { BLUEGREEN_CLI_FROM_SOURCE: '1' } },
];

/** Wall seconds of one run; throws when the command fails (a benchmark of a failing command measures nothing). */
function runOnce(p: Probe): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(p.command, [...p.args], { cwd: root, env: { ...process.env, ...p.env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${p.name} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return s;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (s: number) => `${s.toFixed(3)} s`;

function main(): number {
  const program = new Command('bench:cli')
    .option('--rounds <n>', 'rounds of every probe', (v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100) throw new InvalidArgumentError(`must be 1-100, got ${JSON.stringify(v)}`);
      return Number(v);
    }, 7)
    .exitOverride();
  try {
    program.parse();
  } catch {
    return 64;
  }
  const { rounds } = program.opts<{ rounds: number }>();
  // Warm-up: builds the bundle if it is missing or stale, fills the file cache; not measured.
  for (const p of PROBES) runOnce(p);

  const times = new Map<string, number[]>(PROBES.map((p) => [p.name, []]));
  const npxRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t: Record<string, number> = {};
    for (const p of PROBES) {
      t[p.name] = runOnce(p);
      times.get(p.name)?.push(t[p.name]);
    }
    npxRatios.push(t['npx bluegreen --help'] / t['npx esbuild --version']);
  }

  const [load1] = loadavg();
  console.log(`bench:cli: ${rounds} rounds, ${cpus().length} CPUs, load average ${load1.toFixed(2)}, node ${process.version}`);
  console.log('');
  console.log(`${'probe'.padEnd(26)}${'median'.padStart(10)}${'best'.padStart(10)}`);
  for (const p of PROBES) {
    const xs = times.get(p.name) as number[];
    console.log(`${p.name.padEnd(26)}${fmt(median(xs)).padStart(10)}${fmt(Math.min(...xs)).padStart(10)}`);
  }
  const own = median(times.get('node bin --help') as number[]);
  const npxRatio = median(npxRatios);
  const sourceRatio = median(times.get('sources via tsx --help') as number[]) / own;
  console.log('');
  const okOwn = own <= OWN_START_TARGET_S;
  const okNpx = npxRatio <= NPX_RATIO_TARGET;
  console.log(`own start (node bin --help):            ${fmt(own)}  target ≤ ${OWN_START_TARGET_S} s  ${okOwn ? 'ok' : 'MISSED'}`);
  console.log(`npx bluegreen --help / npx esbuild:     ${npxRatio.toFixed(2)} ×  target ≤ ${NPX_RATIO_TARGET} ×  ${okNpx ? 'ok' : 'MISSED'}`);
  console.log(`own start / node -e 0:                  ${(own / median(times.get('node -e 0') as number[])).toFixed(2)} ×`);
  console.log(`sources through tsx / bundle:           ${sourceRatio.toFixed(2)} ×`);
  return okOwn && okNpx ? 0 : 1;
}

process.exitCode = main();
