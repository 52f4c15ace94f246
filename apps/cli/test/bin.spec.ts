/**
 * The shipped command line: the esbuild bundle starts without loading the AWS SDK, pg or CDK for Terraform, prints
 * the package version, a reader closing stdout early (`| head`) ends it quietly, and the bash completion script
 * completes commands, option values and environments in a real bash.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

jest.setTimeout(120_000);

const CLI = join(__dirname, '..');
const ROOT = join(CLI, '..', '..');
const BIN = join(CLI, 'bin', 'bluegreen.js');
const PLAN = join(ROOT, 'libs', 'operations', 'plan-review', 'test', 'fixtures', 'added.json');
const bundler = require('../bin/bundle.cjs') as { buildSync: (outDir?: string) => string };

let outDir: string;
let bundle: string;
beforeAll(() => {
  // Inside the workspace, so the bundle finds node_modules like the real one does.
  outDir = mkdtempSync(join(CLI, 'dist', 'test-'));
  bundle = bundler.buildSync(outDir);
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Runs the bundle as the bin does; with a preload that reports, at exit, which heavy packages were loaded. */
function runBundle(args: string[]) {
  const probe = join(outDir, 'probe.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](@aws-sdk|pg|cdktf|@cdktf)[\\\\/]/.test(f)).length) + '\\n'));\n",
  );
  const runner = `require(${JSON.stringify(bundle)}).run(process.argv)`;
  return spawnSync(process.execPath, ['-r', probe, '-e', runner, 'bluegreen', ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
}

describe('the bundle', () => {
  it('--help lists every command and loads none of the heavy packages', () => {
    const r = runBundle(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['schema', 'data', 'migration', 'traffic', 'plan', 'state', 'completion']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stderr).toContain('LOADED 0');
  });

  it('plan review runs from it without the AWS SDK or pg', () => {
    const r = runBundle(['plan', 'review', PLAN, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ counts: { create: 1 } });
    expect(r.stderr).toContain('LOADED 0');
  });

  it('a command that needs pg loads it (the probe sees it)', () => {
    const r = runBundle(['schema', 'check', '--blue', 'postgres://a@127.0.0.1:1/a', '--green', 'postgres://a@127.0.0.1:1/a', '--connect-timeout', '5']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('LOADED 0');
  });

  it('--version prints the version of package.json (built in)', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runBundle(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });
});

/** Spawns the bin with its stdout closed by the reader before the first write. */
function closedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout closed by its reader (bluegreen --help | head -1)', () => {
  it('help exits 0 without a stack trace', async () => {
    const r = await closedPipe(['--help']);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.code).toBe(0);
  });

  it('a report that could not be delivered exits 141, quietly', async () => {
    const r = await closedPipe(['plan', 'review', PLAN, '--format', 'json']);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.code).toBe(141);
  });
});

describe('bluegreen completion bash', () => {
  let script: string;
  beforeAll(() => {
    const r = spawnSync(process.execPath, [BIN, 'completion', 'bash'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    script = join(outDir, 'bluegreen.bash');
    writeFileSync(script, r.stdout);
  });

  /** What bash completes for the words typed so far (the last one being completed). */
  function complete(...words: string[]): string[] {
    const line = ['bluegreen', ...words].map((w) => `'${w}'`).join(' ');
    const r = spawnSync('bash', ['-c', `source ${JSON.stringify(script)}; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _bluegreen; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).sort();
  }

  it('completes commands, subcommands, options and their choices', () => {
    expect(complete('mig')).toEqual(['migration']);
    expect(complete('migration', '')).toEqual(['--help', 'cutover', 'rollback', 'status']);
    expect(complete('schema', 'check', '--fo')).toEqual(['--format']);
    expect(complete('schema', 'check', '--format', '')).toEqual(['json', 'text']);
    expect(complete('traffic', 'shift', '--env', 'dev', '--to', '')).toEqual(['blue', 'green']);
  });

  it('--env completes the environments of the workspace', () => {
    expect(complete('migration', 'status', '--env', '')).toEqual(['dev', 'prod', 'staging']);
  });
});
