/**
 * The repository root's cdktf.json, through the real cdktf CLI: `npx cdktf synth` at the root writes every
 * environment as a stack named after it, with the same Terraform as the per-environment apps and `npm run synth`;
 * `--hcl` there leaves one format per stack folder too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stackFormat } from '@bluegreen/stack';
import { synthAll } from '../scripts/synth-all';

const ROOT = resolve(__dirname, '..', '..');
const CDKTF = join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf');

function run(...args: string[]): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true', FORCE_COLOR: '0' };
  delete env.CDKTF_OUTDIR;
  delete env.SYNTH_HCL_OUTPUT;
  const r = spawnSync(process.execPath, [CDKTF, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, output: `${r.stderr}\n${r.stdout}` };
}
function cdktf(...args: string[]): void {
  const r = run(...args);
  if (r.status !== 0) throw new Error(`cdktf ${args.join(' ')} exited ${r.status}:\n${r.output}`);
}

const stackJson = (outdir: string, env: string): unknown => JSON.parse(readFileSync(join(outdir, 'stacks', env, 'cdk.tf.json'), 'utf8'));
/** The asset folders (named by the content hash of the validator bundle) of a stack. */
const assets = (outdir: string, env: string): string[] => readdirSync(join(outdir, 'stacks', env, 'assets'), { recursive: true }).map(String).sort();

describe('the root cdktf.json (npx cdktf synth at the repository root)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'root-app-'));
  const rootOut = join(scratch, 'root');
  const appsOut = join(scratch, 'apps');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('synthesizes every environment as a named stack, each the same Terraform as its own app and npm run synth', () => {
    cdktf('synth', '--output', rootOut);
    const manifest = JSON.parse(readFileSync(join(rootOut, 'manifest.json'), 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
    // `cdktf diff prod` / `cdktf deploy prod` pick their stack by these names.
    expect(Object.keys(manifest.stacks).sort()).toEqual(['dev', 'prod', 'staging']);
    expect(manifest.stacks['prod'].workingDirectory).toBe(join('stacks', 'prod'));

    synthAll({ outdir: appsOut }); // apps/<env>/main.ts's code, one app per environment
    for (const env of ['dev', 'staging', 'prod']) {
      const perApp = join(appsOut, env);
      expect(stackJson(rootOut, env)).toEqual(stackJson(perApp, env));
      expect(assets(rootOut, env)).toEqual(assets(perApp, env));
      expect((stackJson(rootOut, env) as { terraform: { backend: { s3: { key: string } } } }).terraform.backend.s3.key).toBe(`${env}/terraform.tfstate`);
    }
  }, 300_000);

  it('cdktf deploy at the root without a stack name deploys nothing and names the stacks to choose from', () => {
    const r = run('deploy', '--skip-synth', '--output', rootOut);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('Found more than one stack, please specify a target stack');
    expect(r.output).toMatch(/with one of these stacks: dev, prod, staging/);
  }, 120_000);

  it('cdktf synth --hcl at the root leaves only cdk.tf in every stack folder', () => {
    cdktf('synth', '--hcl', '--output', rootOut);
    for (const env of ['dev', 'staging', 'prod']) {
      expect(stackFormat(join(rootOut, 'stacks', env))).toBe('hcl');
      expect(readFileSync(join(rootOut, 'stacks', env, 'cdk.tf'), 'utf8')).toContain(`key          = "${env}/terraform.tfstate"`);
    }
  }, 300_000);
});
