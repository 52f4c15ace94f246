import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { discoverProviderMirror, itOffline } from '@bluegreen/testing-terraform';
import { affectedEnvironments, githubOutputs } from './affected-environments';
import { commentBody, marker, MAX_COMMENT } from './plan-comment';
import { main as validateMain, parseEnvironments, stackDir, validateStack } from './validate-synth';
import { loadGithubWorkflowSchema, validateWithActionValidator, validateWorkflowYaml, WORKFLOW_SCHEMA_ID } from './workflow-schema';

// Needs terraform and the provider mirror: skipped visibly where they are missing (a failure under CI=true).
const itTf = itOffline();

const ROOT = resolve(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

describe('GitHub workflows', () => {
  it('the schema is SchemaStore github-workflow.json read from the pinned @action-validator/core', () => {
    const schema = loadGithubWorkflowSchema();
    expect(schema['$id']).toBe(WORKFLOW_SCHEMA_ID);
    expect(Object.keys(schema['definitions'] as object)).toEqual(expect.arrayContaining(['normalJob', 'reusableWorkflowCallJob', 'permissions']));
  });

  it('finds the four workflows', () => {
    expect(workflowFiles.sort()).toEqual(['deploy-environment.yml', 'deploy.yml', 'pull-request.yml', 'service-images.yml']);
  });

  it.each(workflowFiles)('%s passes the workflow schema (ajv) and action-validator', (file) => {
    const text = readFileSync(join(WORKFLOWS, file), 'utf8');
    expect(validateWorkflowYaml(text)).toEqual({ valid: true, errors: [] });
    expect(validateWithActionValidator(text)).toEqual({ valid: true, errors: [] });
  });

  it('the schema check is not vacuous: a broken workflow is refused with the path', () => {
    const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n';
    const result = validateWorkflowYaml(broken);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/\/jobs\/build/);
    expect(validateWorkflowYaml('name: x\non: push\n').valid).toBe(false); // jobs is required
  });

  const pr = parse(readFileSync(join(WORKFLOWS, 'pull-request.yml'), 'utf8')) as {
    jobs: Record<string, { permissions?: Record<string, string>; steps: Array<{ uses?: string; run?: string; with?: Record<string, string> }>; environment?: unknown }>;
  };
  const deployEnv = parse(readFileSync(join(WORKFLOWS, 'deploy-environment.yml'), 'utf8')) as typeof pr;
  const deploy = parse(readFileSync(join(WORKFLOWS, 'deploy.yml'), 'utf8')) as { jobs: Record<string, { needs?: string; uses?: string; with?: Record<string, string> }> };

  it('pull requests: nx affected, offline validate, an OIDC plan per affected environment, the review as a comment', () => {
    const runs = pr.jobs['affected'].steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npx nx affected -t lint typecheck test synth');
    expect(runs).toContain('tools/ci/affected-environments.ts');
    expect(runs).toContain('tools/ci/validate-synth.ts --from-json');
    const plan = pr.jobs['plan'];
    expect(plan.permissions).toMatchObject({ 'id-token': 'write', 'pull-requests': 'write' });
    const creds = plan.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(creds?.with?.['role-to-assume']).toBe('${{ vars.PLAN_ROLE_ARN }}');
    expect(creds?.with).not.toHaveProperty('aws-access-key-id');
    const planRuns = plan.steps.map((s) => s.run ?? '').join('\n');
    expect(planRuns).toContain('plan -input=false -lock=false -out=tfplan');
    expect(planRuns).toContain('npx bluegreen plan review');
    expect(planRuns).toContain('--fail-on replace-stateful,destroy-stateful');
    expect(plan.steps.some((s) => s.uses?.startsWith('actions/github-script@'))).toBe(true);
  });

  it('main: dev → staging → prod, each in its GitHub environment, applying the reviewed plan file', () => {
    expect(deploy.jobs['dev']).toMatchObject({ needs: 'test', uses: './.github/workflows/deploy-environment.yml', with: { environment: 'dev' } });
    expect(deploy.jobs['staging']).toMatchObject({ needs: 'dev', with: { environment: 'staging' } });
    expect(deploy.jobs['prod']).toMatchObject({ needs: 'staging', with: { environment: 'prod' } });
    const job = deployEnv.jobs['deploy'];
    expect(job.environment).toEqual({ name: '${{ inputs.environment }}' });
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs.indexOf('plan review')).toBeLessThan(runs.indexOf('apply -input=false tfplan'));
  });
});

describe('tools/ci scripts', () => {
  it('affected-environments picks the environment apps and writes GitHub outputs', () => {
    expect(affectedEnvironments(['guardrails', 'prod', 'stack', 'dev'])).toEqual(['dev', 'prod']);
    expect(githubOutputs([])).toBe('environments=[]\nany=false\n');
    expect(githubOutputs(['dev'])).toBe('environments=["dev"]\nany=true\n');
    expect(() => affectedEnvironments({ projects: [] })).toThrow(/must be a JSON array of project names/);
  });

  it('plan-comment carries the marker, the verdict and stays under the GitHub limit', () => {
    const body = commentBody({ env: 'prod', review: '### Plan: prod\n', exitCode: 1, runUrl: 'https://example.invalid/run/1' });
    expect(body.startsWith(marker('prod'))).toBe(true);
    expect(body).toContain('⛔ **blocking**');
    expect(commentBody({ env: 'dev', review: 'x', exitCode: 0 })).toContain('✅ nothing blocking');
    expect(commentBody({ env: 'dev', review: 'x', exitCode: 2 })).toContain('could not be reviewed (exit 2)');
    const huge = commentBody({ env: 'dev', review: 'y'.repeat(200_000), exitCode: 0 });
    expect(huge.length).toBeLessThanOrEqual(MAX_COMMENT);
    expect(huge).toContain('truncated');
    expect(() => commentBody({ env: 'Dev; rm', review: '', exitCode: 0 })).toThrow(/--env: must be an environment name/);
  });

  it('validate-synth finds stack directories and refuses bad input with exit 2', () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-'));
    mkdirSync(join(root, 'apps', 'dev', 'cdktf.out', 'stacks', 'dev'), { recursive: true });
    writeFileSync(join(root, 'apps', 'dev', 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json'), '{}');
    expect(stackDir('dev', root)).toBe(join(root, 'apps', 'dev', 'cdktf.out', 'stacks', 'dev'));
    expect(() => stackDir('prod', root)).toThrow(/expected exactly one synthesized stack .* found 0/);
    expect(() => parseEnvironments('["qa"]')).toThrow(/must list environments among dev, prod, staging/);
    expect(validateMain(['--from-json', 'nope'])).toBe(2);
    expect(validateMain([])).toBe(2);
  });

  itTf('validate-synth runs the real terraform validate (offline, provider from the mirror)', () => {
    const mirror = discoverProviderMirror();
    if (!mirror) throw new Error('unreachable: itTf runs only with the mirror');
    const saved = process.env.BLUEGREEN_TF_PROVIDER_MIRROR;
    process.env.BLUEGREEN_TF_PROVIDER_MIRROR = mirror.path;
    try {
      const stack = new TerraformStack(Testing.app(), 'ci');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      new CloudwatchLogGroup(stack, 'logs', { name: 'logs-ci', retentionInDays: 7 });
      const dir = join(Testing.fullSynth(stack), 'stacks', 'ci');
      expect(validateStack(dir)).toEqual({ valid: true, messages: [] });
      const bad = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, Record<string, unknown>>> };
      bad.resource['aws_cloudwatch_log_group']['logs']['no_such_argument'] = 1;
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(bad));
      const outcome = validateStack(dir);
      expect(outcome.valid).toBe(false);
      expect(outcome.messages.join('\n')).toMatch(/no_such_argument/);
    } finally {
      if (saved === undefined) delete process.env.BLUEGREEN_TF_PROVIDER_MIRROR;
      else process.env.BLUEGREEN_TF_PROVIDER_MIRROR = saved;
    }
  }, 180_000);
});
