/**
 * Offline `terraform init` / `validate` / `plan` of a synthesized stack, against the real AWS provider from a
 * filesystem mirror, with no AWS account:
 *
 * - the stack directory is copied to a private work directory (the synthesized JSON itself is never changed);
 * - a test-only `zz_offline_override.tf.json` replaces the backend with local state and gives the provider mock
 *   credentials and its skip flags (Terraform merges `*_override.tf.json` over the configuration);
 * - a private CLI config installs hashicorp/aws only from the mirror, with a shared plugin cache so repeated
 *   inits link instead of copying 700 MB;
 * - the plan is written as JSON to `dist/plans/<name>.json` for later tools (plan review).
 *
 * When terraform or the mirror is missing: in CI (`CI=true`) this throws; elsewhere it prints a loud warning and
 * the caller gets `undefined` from {@link offlineTools}.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { discoverProviderMirror, type ProviderMirror } from './mirror';
import { cacheDir, findRepoRoot } from './paths';
import type { TerraformPlan, ValidateResult } from './types';

export const OVERRIDE_FILE = 'zz_offline_override.tf.json';

/** Longest a single terraform command may run in a test (init, validate, plan of the largest stack take < 1 min). */
const TERRAFORM_DEADLINE_MS = 600_000;

export interface OfflineTools {
  readonly terraform: string;
  readonly terraformVersion: string;
  readonly mirror: ProviderMirror;
}

let toolsMemo: OfflineTools | undefined;
let warned = false;

function terraformBinary(): { path: string; version: string } | undefined {
  const bin = process.env.TERRAFORM_BINARY ?? 'terraform';
  const r = spawnSync(bin, ['version', '-json'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' } });
  if (r.status !== 0 || !r.stdout) return undefined;
  try {
    return { path: bin, version: (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version };
  } catch {
    return undefined;
  }
}

/** The terraform CLI and the provider mirror, or what is missing (never throws, prints nothing). */
export function offlineToolsStatus(): { tools?: OfflineTools; missing?: string } {
  if (toolsMemo) return { tools: toolsMemo };
  const tf = terraformBinary();
  const mirror = discoverProviderMirror();
  const missing = [!tf && 'the terraform CLI (on PATH or TERRAFORM_BINARY)', !mirror && 'the hashicorp/aws provider mirror (set BLUEGREEN_TF_PROVIDER_MIRROR)'].filter(Boolean);
  if (missing.length > 0 || !tf || !mirror) return { missing: `missing ${missing.join(' and ')}` };
  toolsMemo = { terraform: tf.path, terraformVersion: tf.version, mirror };
  return { tools: toolsMemo };
}

/**
 * The terraform CLI and the provider mirror, or undefined (with a loud warning) when either is missing.
 * With `CI=true` a missing tool throws instead: CI must never silently skip the offline proof. Tests use
 * {@link itOffline} so that what did not run is reported as skipped.
 */
export function offlineTools(): OfflineTools | undefined {
  const { tools, missing } = offlineToolsStatus();
  if (tools) return tools;
  const message = `offline terraform: cannot run validate/plan: ${missing}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: refusing to skip)`);
  if (!warned) console.warn(`offline terraform: ${missing}; the tests that need it are skipped (listed at the end of npm test).`);
  warned = true;
  return undefined;
}

/** Like {@link offlineTools} but throws when they are missing, whatever `CI` says. */
export function requireOfflineTools(): OfflineTools {
  const { tools, missing } = offlineToolsStatus();
  if (!tools) throw new Error(`offline terraform: cannot run validate/plan: ${missing}`);
  return tools;
}

/** The override that makes a stack plan offline; exported so tests can assert what it does and does not touch. */
export function offlineOverride(): Record<string, unknown> {
  return {
    '//': 'Test-only overlay written by @bluegreen/testing-terraform; never part of a synthesized stack.',
    terraform: { backend: { local: { path: 'offline.tfstate' } } },
    provider: {
      aws: {
        access_key: 'mock-access-key',
        secret_key: 'mock-secret-key',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        // The account guard needs a real caller identity; a mock one has none.
        allowed_account_ids: null,
      },
    },
  };
}

function cliConfig(tools: OfflineTools, pluginCache: string): string {
  const p = JSON.stringify(tools.mirror.path);
  return [
    'provider_installation {',
    `  filesystem_mirror {`,
    `    path    = ${p}`,
    `    include = ["registry.terraform.io/hashicorp/aws"]`,
    `  }`,
    `  direct {`,
    `    exclude = ["registry.terraform.io/hashicorp/aws"]`,
    `  }`,
    '}',
    `plugin_cache_dir = ${JSON.stringify(pluginCache)}`,
    '',
  ].join('\n');
}

/** A prepared work directory: the stack's files, the override, a CLI config; `terraform init` done. */
export interface OfflineWorkDir {
  readonly dir: string;
  readonly name: string;
  readonly tools: OfflineTools;
  run(args: string[]): { stdout: string; stderr: string; status: number };
  dispose(): void;
}

function withLock<T>(lockDir: string, fn: () => T): T {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock older than 3 minutes belongs to a process that died.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 180_000) rmdirSync(lockDir);
      } catch {
        // raced with its owner: fine
      }
      if (Date.now() > deadline) throw new Error(`offline terraform: timed out waiting for ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * What `terraform init` depends on here: the terraform version, the mirror and the stack's required providers
 * (the backend is always the override's local one). Undefined for an HCL stack, which is always initialised.
 */
function initKey(tools: OfflineTools, dir: string): string | undefined {
  const file = join(dir, 'cdk.tf.json');
  if (!existsSync(file)) return undefined;
  const config = JSON.parse(readFileSync(file, 'utf8')) as { terraform?: { required_providers?: unknown } };
  return createHash('sha256')
    .update(JSON.stringify([tools.terraformVersion, tools.mirror.path, config.terraform?.required_providers ?? null, offlineOverride()]))
    .digest('hex')
    .slice(0, 16);
}

function reuseInit(template: string, dir: string): boolean {
  if (!existsSync(join(template, 'complete'))) return false;
  cpSync(join(template, '.terraform'), join(dir, '.terraform'), { recursive: true, verbatimSymlinks: true });
  cpSync(join(template, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
  return true;
}

function saveInit(dir: string, template: string): void {
  const staging = `${template}.${process.pid}.${Date.now()}`;
  try {
    mkdirSync(staging, { recursive: true });
    cpSync(join(dir, '.terraform'), join(staging, '.terraform'), { recursive: true, verbatimSymlinks: true });
    cpSync(join(dir, '.terraform.lock.hcl'), join(staging, '.terraform.lock.hcl'));
    writeFileSync(join(staging, 'complete'), '');
    renameSync(staging, template); // atomic; another process that got there first wins
  } catch {
    // a concurrent save won, or the cache is not writable: the next run initialises again
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Copies a synthesized stack directory (`cdktf.out/stacks/<name>`) into a fresh work directory, adds the offline
 * overlay and runs `terraform init` from the mirror. Throws when the tools are missing (tests guard with {@link itOffline}).
 */
export function prepareOffline(stackDir: string, name = basename(stackDir)): OfflineWorkDir {
  const tools = requireOfflineTools();
  if (!existsSync(join(stackDir, 'cdk.tf.json')) && !existsSync(join(stackDir, 'cdk.tf'))) {
    throw new Error(`prepareOffline: ${stackDir} has no cdk.tf.json or cdk.tf (synthesize the stack first)`);
  }
  const base = cacheDir();
  const pluginCache = join(base, 'tf-plugin-cache');
  mkdirSync(pluginCache, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `bluegreen-tf-${name}-`));
  cpSync(stackDir, dir, { recursive: true, filter: (src) => !src.includes(`${'/'}.terraform`) && !src.endsWith('.tfstate') });
  writeFileSync(join(dir, OVERRIDE_FILE), JSON.stringify(offlineOverride(), null, 2));
  const cliFile = join(dir, '.terraformrc.offline');
  writeFileSync(cliFile, cliConfig(tools, pluginCache));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'TF_WORKSPACE', 'TF_DATA_DIR', 'TF_PLUGIN_CACHE_DIR']) delete env[k];

  const run = (args: string[]) => {
    const started = Date.now();
    // A deadline on every run: a wedged terraform ends the test with its name, not a silent hang.
    const r = spawnSync(tools.terraform, args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: TERRAFORM_DEADLINE_MS, killSignal: 'SIGKILL' });
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      if (code === 'ETIMEDOUT') throw new Error(`terraform ${args[0]} (${name}) did not finish within ${TERRAFORM_DEADLINE_MS / 1000} s and was killed`);
      throw r.error;
    }
    if (process.env.BLUEGREEN_TF_TIMING === '1') console.log(`terraform ${args[0]} (${name}): ${Date.now() - started} ms`);
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 1 };
  };
  // One `terraform init` per set of required providers: its result (.terraform and the lock file) is kept and
  // copied into later work directories with the same providers, which Terraform then accepts as initialised.
  const key = initKey(tools, dir);
  const template = key ? join(base, 'tf-init', key) : undefined;
  if (!template || !reuseInit(template, dir)) {
    // The plugin cache is not safe for concurrent installs: serialise inits across processes.
    const init = withLock(join(base, 'tf-plugin-cache.lock'), () => run(['init', '-input=false', '-no-color']));
    if (init.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`terraform init failed for ${name} (mirror ${tools.mirror.path}):\n${init.stderr || init.stdout}`);
    }
    if (template) saveInit(dir, template);
  }
  return {
    dir,
    name,
    tools,
    run,
    dispose: () => {
      if (process.env.BLUEGREEN_KEEP_TF_WORKDIR !== '1') rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `terraform validate -json` in a prepared work directory. */
export function validateIn(work: OfflineWorkDir): ValidateResult {
  const r = work.run(['validate', '-json', '-no-color']);
  const parsed = JSON.parse(r.stdout) as ValidateResult;
  return parsed;
}

/** `terraform plan -refresh=false` then `terraform show -json`; the plan JSON is saved to `dist/plans/<name>.json`. */
export function planIn(work: OfflineWorkDir, options: { savePlanJson?: boolean } = {}): TerraformPlan {
  const planFile = join(work.dir, 'offline.tfplan');
  const plan = work.run(['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', `-out=${planFile}`]);
  if (plan.status !== 0) throw new Error(`terraform plan failed for ${work.name}:\n${plan.stderr || plan.stdout}`);
  const show = work.run(['show', '-json', planFile]);
  if (show.status !== 0) throw new Error(`terraform show -json failed for ${work.name}:\n${show.stderr}`);
  if (options.savePlanJson !== false) {
    const out = join(findRepoRoot(), 'dist', 'plans');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${work.name}.json`), show.stdout);
  }
  return JSON.parse(show.stdout) as TerraformPlan;
}

/** Init + validate in a throwaway work directory. Throws when the tools are missing (tests guard with {@link itOffline}). */
export function terraformValidate(stackDir: string, name?: string): ValidateResult {
  const work = prepareOffline(stackDir, name);
  try {
    return validateIn(work);
  } finally {
    work.dispose();
  }
}

/** Init + plan in a throwaway work directory; the plan JSON is also saved under dist/plans/. */
export function terraformPlan(stackDir: string, name?: string): TerraformPlan {
  const work = prepareOffline(stackDir, name);
  try {
    return planIn(work);
  } finally {
    work.dispose();
  }
}

export interface OfflineResult {
  readonly validate: ValidateResult;
  readonly plan: TerraformPlan;
  /** Where the plan JSON was saved. */
  readonly planJsonPath: string;
}

/**
 * The whole offline proof in one work directory (one init): validate, then plan (only when valid; an invalid
 * configuration throws with Terraform's diagnostics). Throws when the tools are missing (tests guard with {@link itOffline}).
 */
export function offlineValidateAndPlan(stackDir: string, name = basename(stackDir)): OfflineResult {
  const work = prepareOffline(stackDir, name);
  try {
    const validate = validateIn(work);
    if (!validate.valid) {
      const lines = validate.diagnostics.map((d) => `  - ${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.detail ? `: ${d.detail}` : ''}`);
      throw new Error(`terraform validate rejected ${name}:\n${lines.join('\n')}`);
    }
    const plan = planIn(work);
    return { validate, plan, planJsonPath: resolve(findRepoRoot(), 'dist', 'plans', `${name}.json`) };
  } finally {
    work.dispose();
  }
}

/** Reads a plan saved by an earlier run (`dist/plans/<name>.json`). */
export function readSavedPlan(name: string): TerraformPlan {
  return JSON.parse(readFileSync(join(findRepoRoot(), 'dist', 'plans', `${name}.json`), 'utf8')) as TerraformPlan;
}
