// Acceptance, end to end and offline: `bluegreen traffic shift … --skip-gates` edits a copy of dev's config, the real
// dev app (apps/dev/main.ts, run by tsx like `cdktf synth` does) synthesizes it, and the HTTPS listener carries the
// new weighted forward; `traffic rollback --config-only` brings back 100/0. The repo's dev config is never touched.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerTrafficCommands } from '../src/commands/traffic';

const ROOT = join(__dirname, '../../..');
const DEV_CONFIG = join(ROOT, 'apps/dev/environment.yaml');

interface Listener {
  port: number;
  default_action: { type: string; forward?: { target_group: { arn: string; weight: number }[] } }[];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'traffic-synth-'));
  copyFileSync(join(ROOT, 'apps/dev/main.ts'), join(dir, 'main.ts'));
  copyFileSync(DEV_CONFIG, join(dir, 'environment.yaml'));
  // Same compiler settings and path aliases as apps/dev, from a temp directory.
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(ROOT, 'tsconfig.base.json'), include: ['*.ts'] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let printed = '';
async function traffic(args: string[]): Promise<number> {
  let code = -1;
  printed = '';
  const program = new Command('bluegreen').exitOverride();
  registerTrafficCommands(program, { root: ROOT, stdout: { write: (t: string) => (printed += t) }, stderr: { write: (t: string) => (printed += t) }, setExitCode: (c) => (code = c) });
  await program.parseAsync(['node', 'bluegreen', 'traffic', ...args, '--env', 'dev', '--config', join(dir, 'environment.yaml')]);
  return code;
}

/** Synthesizes the copied dev app and returns the HTTPS listener's forward weights by target group reference. */
function synthListenerWeights(outdir: string): Record<string, number> {
  execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', join(dir, 'tsconfig.json'), join(dir, 'main.ts')], {
    cwd: dir,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    stdio: 'pipe',
    timeout: 180_000,
  });
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8')) as { resource: { aws_lb_listener: Record<string, Listener> } };
  const https = Object.values(json.resource.aws_lb_listener).filter((l) => l.port === 443);
  expect(https).toHaveLength(1);
  const forward = https[0].default_action.find((a) => a.type === 'forward')?.forward;
  const weights: Record<string, number> = {};
  for (const tg of forward?.target_group ?? []) weights[/blue/.test(tg.arn) ? 'blue' : /green/.test(tg.arn) ? 'green' : tg.arn] = tg.weight;
  return weights;
}

describe('traffic shift -> synth -> rollback (dev, temp copy)', () => {
  it('gives the HTTPS listener a 90/10 forward after `shift --percent 10` (the first stage of dev), and 100/0 after rollback --config-only', async () => {
    const before = readFileSync(DEV_CONFIG, 'utf8');
    expect(synthListenerWeights(join(dir, 'out0'))).toEqual({ blue: 100, green: 0 });
    expect(await traffic(['shift', '--service', 'monolith', '--to', 'green', '--percent', '10', '--skip-gates'])).toBe(0);
    expect(synthListenerWeights(join(dir, 'out1'))).toEqual({ blue: 90, green: 10 });
    expect(await traffic(['rollback', '--service', 'monolith', '--config-only'])).toBe(0);
    // The rollback also stamps services.monolith.traffic.rolledBackAt (a shift that read the file before it then refuses).
    const after = readFileSync(join(dir, 'environment.yaml'), 'utf8');
    expect(after).toMatch(/\n {6}rolledBackAt: \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
    expect(after.replace(/ {6}rolledBackAt: .*\n/, '')).toBe(before);
    expect(synthListenerWeights(join(dir, 'out2'))).toEqual({ blue: 100, green: 0 });
    expect(readFileSync(DEV_CONFIG, 'utf8')).toBe(before);
  }, 600_000);

  it('--synth-diff synthesizes the real dev app before and after and finds only the HTTPS listener changed', async () => {
    writeFileSync(join(dir, 'environment.yaml'), readFileSync(DEV_CONFIG, 'utf8'));
    expect(await traffic(['shift', '--service', 'monolith', '--to', 'green', '--percent', '10', '--skip-gates', '--synth-diff'])).toBe(0);
    expect(printed).toMatch(/synth diff: update dev\/aws_lb_listener\.\S+ \(default_action\)\n/);
    expect(printed).toContain("synth diff: only the HTTPS listener's default action changes");
    expect(printed).not.toContain('unexpected');
    expect(readFileSync(join(dir, 'environment.yaml'), 'utf8')).toContain('      blue: 90\n      green: 10\n');
  }, 600_000);

  it("--synth-diff of catalog finds only catalog's HTTPS listener rule changed (the monolith's listener untouched)", async () => {
    const text = readFileSync(DEV_CONFIG, 'utf8');
    writeFileSync(join(dir, 'environment.yaml'), text);
    expect(await traffic(['shift', '--service', 'catalog', '--to', 'green', '--percent', '10', '--skip-gates', '--synth-diff'])).toBe(0);
    expect(printed).toMatch(/synth diff: update dev\/aws_lb_listener_rule\.compute_service-catalog_https-rule_\w+ \(action\)\n/);
    expect(printed).toContain("synth diff: only the catalog HTTPS listener rule's forward changes");
    expect(printed).not.toContain('unexpected');
    const after = readFileSync(join(dir, 'environment.yaml'), 'utf8');
    expect(after.split('\n').filter((l, i) => l !== text.split('\n')[i])).toEqual(['      blue: 90', '      green: 10']);
    expect(after.indexOf('      blue: 90')).toBeGreaterThan(after.indexOf('  catalog:'));
  }, 600_000);
});
