import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ConfigValidationError } from '@bluegreen/config';
import { S3Backend, TerraformStack } from 'cdktf';
import { BlueGreenApp, createWorkspaceApp, selectEnvironments, stackFormat, UnknownEnvironmentError, workspaceEnvironments } from '../src';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'environment-app-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `cdktf synth --hcl` asks for HCL through this variable; it is read when the app and its stacks are created. */
function withHcl<T>(hcl: boolean | string, fn: () => T): T {
  const saved = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hcl);
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = saved;
  }
}

/** A small stack with a backend: enough for Terraform to refuse two formats side by side. */
function synthSmall(outdir: string, options: { hcl?: boolean; fail?: boolean } = {}): void {
  withHcl(options.hcl ?? false, () => {
    const app = new BlueGreenApp({ outdir });
    const stack = new TerraformStack(app, 'small');
    new S3Backend(stack, { bucket: 'state-small', key: 'small/terraform.tfstate', region: 'us-east-1' });
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new CloudwatchLogGroup(stack, 'logs', { name: 'logs-small', retentionInDays: 7 });
    if (options.fail) stack.node.addValidation({ validate: () => ['refused on purpose'] });
    app.synth();
  });
}
const files = (dir: string) => readdirSync(dir).filter((f) => f !== 'assets').sort();

describe('BlueGreenApp: one format per stack folder', () => {
  const outdir = join(scratch, 'formats');
  const folder = join(outdir, 'stacks', 'small');

  it('JSON -> HCL (cdktf synth --hcl) -> JSON leaves only the format just written', () => {
    synthSmall(outdir);
    expect(files(folder)).toEqual(['cdk.tf.json']);
    synthSmall(outdir, { hcl: true });
    expect(files(folder)).toEqual(['cdk.tf', 'metadata.json']);
    expect(readFileSync(join(folder, 'cdk.tf'), 'utf8')).toMatch(/backend "s3" \{/);
    expect(stackFormat(folder)).toBe('hcl');
    synthSmall(outdir);
    expect(files(folder)).toEqual(['cdk.tf.json']);
    expect(JSON.parse(readFileSync(join(folder, 'cdk.tf.json'), 'utf8')).terraform.backend.s3.bucket).toBe('state-small');
    expect(stackFormat(folder)).toBe('json');
  });

  it('refuses a SYNTH_HCL_OUTPUT it would half-honour ("1": HCL written into cdk.tf.json)', () => {
    expect(() => withHcl('1', () => new BlueGreenApp({ outdir }))).toThrow('SYNTH_HCL_OUTPUT: must be "true" (HCL, as cdktf synth --hcl sets it) or "false", got "1"');
  });

  it('a synth that fails leaves the folder as it was', () => {
    synthSmall(outdir);
    expect(() => synthSmall(outdir, { hcl: true, fail: true })).toThrow(/refused on purpose/);
    expect(files(folder)).toEqual(['cdk.tf.json']);
  });
});

describe('createWorkspaceApp: every environment as a stack named after it', () => {
  /** A workspace with copies of the shipped environment files, some of them broken by `edit`. */
  function workspace(name: string, edit: Record<string, (yaml: string) => string> = {}): string {
    const root = join(scratch, name);
    for (const env of ['dev', 'staging', 'prod']) {
      mkdirSync(join(root, 'apps', env), { recursive: true });
      const yaml = readFileSync(join(repoRoot, 'apps', env, 'environment.yaml'), 'utf8');
      writeFileSync(join(root, 'apps', env, 'environment.yaml'), (edit[env] ?? ((y: string) => y))(yaml));
    }
    mkdirSync(join(root, 'apps', 'cli'), { recursive: true }); // an app without environment.yaml is not an environment
    return root;
  }

  it('finds the environments in promotion order and builds one stack each', () => {
    expect(workspaceEnvironments(repoRoot)).toEqual(['dev', 'staging', 'prod']);
    const { stacks } = createWorkspaceApp({ root: repoRoot, outdir: join(scratch, 'workspace-all') });
    expect(stacks.map((s) => s.node.id)).toEqual(['dev', 'staging', 'prod']);
    expect(stacks.map((s) => s.config.environmentSuffix)).toEqual(['dev', 'staging', 'prod']);
  });

  it('builds only the environments asked for, and refuses unknown ones naming the known', () => {
    const { stacks } = createWorkspaceApp({ root: repoRoot, environments: ['prod'], outdir: join(scratch, 'workspace-prod') });
    expect(stacks.map((s) => s.node.id)).toEqual(['prod']);
    expect(() => selectEnvironments(repoRoot, ['prod', 'qa'])).toThrow(UnknownEnvironmentError);
    expect(() => selectEnvironments(repoRoot, ['qa'])).toThrow('unknown environment(s) qa; known: dev, staging, prod');
  });

  it('reports the problems of every invalid file at once, and writes nothing', () => {
    const root = workspace('broken', {
      dev: (y) => y.replace('natGateways: single', 'natGateways: two'),
      prod: (y) => y.replace(/environmentSuffix: \S+/, 'environmentSuffix: Prod!'),
    });
    const outdir = join(root, 'cdktf.out');
    let error: unknown;
    try {
      createWorkspaceApp({ root, outdir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid configuration in 2 environment files/);
    expect(message).toContain(`${join(root, 'apps', 'dev', 'environment.yaml')}: network.natGateways: must be one of`);
    expect(message).toContain(`${join(root, 'apps', 'prod', 'environment.yaml')}: environmentSuffix: must be`);
    expect(existsSync(outdir)).toBe(false);
  });

  it('refuses two environment files that name the same environment (their stacks would collide)', () => {
    const root = workspace('twins');
    cpSync(join(root, 'apps', 'dev'), join(root, 'apps', 'dev-copy'), { recursive: true });
    // The folder names the environment, so the copy is refused by config before two stacks could share a name.
    expect(() => createWorkspaceApp({ root, outdir: join(root, 'cdktf.out') })).toThrow(/environment: must be "dev-copy": the file lives in apps\/dev-copy\/, which names the environment, got "dev"/);
  });
});
