import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackFormat } from '@bluegreen/stack';
import { environments, main, synthAll } from './synth-all';

describe('npm run synth (tools/scripts/synth-all.ts)', () => {
  const out = mkdtempSync(join(tmpdir(), 'synth-all-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const silence = () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    return { log, err, restore: () => (log.mockRestore(), err.mockRestore()) };
  };

  it('finds every environment by its environment.yaml, dev first and prod last', () => {
    expect(environments()).toEqual(['dev', 'staging', 'prod']);
  });

  it('writes each environment’s Terraform JSON in one process and reports timings', () => {
    const timings = synthAll({ outdir: out });
    expect(timings.map((t) => t.name)).toEqual(['dev', 'staging', 'prod']);
    for (const env of ['dev', 'staging', 'prod']) {
      const tf = JSON.parse(readFileSync(join(out, env, 'stacks', env, 'cdk.tf.json'), 'utf8'));
      expect(tf.terraform.backend.s3.key).toBe(`${env}/terraform.tfstate`);
    }
  }, 60_000);

  it('--hcl writes HCL, and a later JSON synth leaves JSON alone in the stack folder', () => {
    const dir = join(out, 'formats');
    synthAll({ only: ['dev'], outdir: dir, hcl: true });
    expect(stackFormat(join(dir, 'dev', 'stacks', 'dev'))).toBe('hcl');
    synthAll({ only: ['dev'], outdir: dir });
    expect(stackFormat(join(dir, 'dev', 'stacks', 'dev'))).toBe('json');
  }, 60_000);

  it('exits 64 for an unknown environment and 1 (listing the fields) for an invalid config', () => {
    const io = silence();
    try {
      expect(main(['node', 'synth', '--only', 'qa', '--outdir', out])).toBe(64);
      expect(io.err.mock.calls.join('\n')).toMatch(/--only: unknown environment\(s\) qa; known: dev, staging, prod/);
      const root = mkdtempSync(join(tmpdir(), 'synth-root-'));
      const file = join(root, 'apps', 'broken', 'environment.yaml');
      cpSync(join(__dirname, '..', '..', 'apps', 'dev', 'environment.yaml'), file);
      const yaml = readFileSync(file, 'utf8').replace('environmentSuffix: dev', 'environmentSuffix: Dev!').replace('natGateways: single', 'natGateways: two');
      writeFileSync(file, yaml);
      expect(main(['node', 'synth', '--root', root, '--outdir', out])).toBe(1);
      const message = io.err.mock.calls.join('\n');
      expect(message).toMatch(/environmentSuffix: must be/);
      expect(message).toMatch(/network\.natGateways: must be one of "one-per-az", "single", got "two"/);
      expect(existsSync(join(out, 'broken'))).toBe(false);
      rmSync(root, { recursive: true, force: true });
    } finally {
      io.restore();
    }
  });
});
