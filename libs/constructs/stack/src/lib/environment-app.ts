/**
 * The apps that synthesize environments. There is one way to build an environment's stack
 * ({@link addEnvironmentStack}); it is used by
 *
 * - `apps/<env>/main.ts` (`cdktf synth|diff|deploy` in the app folder, the Nx `synth` target): {@link createEnvironmentApp},
 *   one stack;
 * - the repository root's `cdktf.json` (`npx cdktf synth`, `npx cdktf diff prod`): {@link createWorkspaceApp}, every
 *   environment as a stack named after it;
 * - `npm run synth`: {@link createEnvironmentApp} per environment, in one process.
 *
 * All of them synthesize through {@link BlueGreenApp}, which leaves exactly one format in each stack folder.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigValidationError, loadEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import { environmentConfigPath, findWorkspaceRoot, listEnvironments } from '@bluegreen/contract';
import { App, TerraformStack, type AppConfig } from 'cdktf';
import { BlueGreenStack } from './blue-green-stack';

export interface EnvironmentAppOptions {
  /** Where to write the synthesized stacks. @default - `CDKTF_OUTDIR` when run by the cdktf CLI, else `cdktf.out` */
  readonly outdir?: string;
  /** The built schema-validator bundle. @default - `<repo>/dist/apps/schema-validator` */
  readonly validatorBundleDir?: string;
}

export interface EnvironmentApp {
  readonly app: BlueGreenApp;
  readonly stack: BlueGreenStack;
}

/** The files each synthesis format writes into a stack folder (`cdktf.out/stacks/<stack>/`). */
export const STACK_FORMAT_FILES = {
  json: ['cdk.tf.json'],
  hcl: ['cdk.tf', 'metadata.json'],
} as const;

/**
 * A cdktf App whose synth leaves exactly one format in every stack folder. cdktf writes `cdk.tf` (with `--hcl`) or
 * `cdk.tf.json` but never removes the other one from an earlier synth; Terraform then reads both and fails with
 * "Duplicate backend configuration" (so would `cdktf diff`/`deploy` and everything that runs Terraform there).
 * After a successful synth the other format's files are removed; a failed synth leaves the folder as it was.
 *
 * The format is what the cdktf CLI asks for through `SYNTH_HCL_OUTPUT=true` (`cdktf synth --hcl`), read when the
 * app and its stacks are created. (cdktf's own `hclOutput` app option only renames the file, JSON inside: not
 * offered here.)
 */
export class BlueGreenApp extends App {
  constructor(config: Omit<AppConfig, 'hclOutput'> = {}) {
    // cdktf's app reads only "true" as HCL while its stacks also take "1": with "1" it would write HCL into
    // cdk.tf.json. Refuse anything but the two values the cdktf CLI sets.
    const hcl = process.env.SYNTH_HCL_OUTPUT;
    if (hcl !== undefined && hcl !== 'true' && hcl !== 'false') {
      throw new Error(`SYNTH_HCL_OUTPUT: must be "true" (HCL, as cdktf synth --hcl sets it) or "false", got ${JSON.stringify(hcl)}`);
    }
    super({ ...config, hclOutput: undefined });
  }

  override synth(): void {
    super.synth();
    const stale = this.hclOutput ? STACK_FORMAT_FILES.json : STACK_FORMAT_FILES.hcl;
    for (const stack of this.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
      const entry = this.manifest.stacks[stack.node.id];
      if (!entry) continue;
      const folder = join(this.outdir, entry.workingDirectory);
      const written = basename(entry.synthesizedStackPath);
      for (const file of stale) if (file !== written) rmSync(join(folder, file), { force: true });
    }
  }
}

function newApp(options: EnvironmentAppOptions): BlueGreenApp {
  if (options.outdir) mkdirSync(options.outdir, { recursive: true });
  return new BlueGreenApp({ outdir: options.outdir, skipValidation: false });
}

/**
 * Adds the environment described by `configFile` to `app`: one {@link BlueGreenStack} named after the environment
 * (`config.environment`), with the config file's folder as the base of its relative file settings.
 */
export function addEnvironmentStack(app: App, configFile: string, options: Pick<EnvironmentAppOptions, 'validatorBundleDir'> & { config?: EnvironmentConfig } = {}): BlueGreenStack {
  const config = options.config ?? loadEnvironmentConfig(configFile);
  return new BlueGreenStack(app, config.environment, {
    config,
    configDir: dirname(resolve(configFile)),
    validatorBundleDir: options.validatorBundleDir,
  });
}

/**
 * What every `apps/<env>/main.ts` does: load and validate the environment's YAML (every problem reported at once,
 * before anything is written), then build its one stack. Call `.app.synth()` to write it. `options.config` is that
 * file's config when the caller has already loaded it (`loadEnvironmentConfigs`).
 */
export function createEnvironmentApp(configFile: string, options: EnvironmentAppOptions & { config?: EnvironmentConfig } = {}): EnvironmentApp {
  const config = options.config ?? loadEnvironmentConfig(configFile);
  const app = newApp(options);
  return { app, stack: addEnvironmentStack(app, configFile, { ...options, config }) };
}

export interface WorkspaceAppOptions extends EnvironmentAppOptions {
  /** The workspace root (the folder with nx.json). @default - the workspace this library is in */
  readonly root?: string;
  /** The environments to include. @default - every environment of the workspace (each `apps/<env>/environment.yaml`) */
  readonly environments?: readonly string[];
}

export interface WorkspaceApp {
  readonly app: BlueGreenApp;
  /** One stack per environment, in the order of {@link workspaceEnvironments}. */
  readonly stacks: readonly BlueGreenStack[];
}

/** Thrown for an environment name the workspace does not have; the message lists the known ones. */
export class UnknownEnvironmentError extends Error {
  constructor(
    public readonly unknown: readonly string[],
    public readonly known: readonly string[],
  ) {
    super(`unknown environment(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
    this.name = 'UnknownEnvironmentError';
  }
}

/** Promotion order first (dev, staging, prod), then any other environment by name. */
const PROMOTION_ORDER = ['dev', 'staging', 'prod'];
const rank = (env: string): number => (PROMOTION_ORDER.includes(env) ? PROMOTION_ORDER.indexOf(env) : PROMOTION_ORDER.length);

function defaultRoot(): string {
  const root = findWorkspaceRoot(__dirname);
  if (!root) throw new Error(`no workspace (a folder with nx.json) at or above ${__dirname}`);
  return root;
}

/** Every environment of the workspace in promotion order (dev, staging, prod, then the others by name). */
export function workspaceEnvironments(root: string = defaultRoot()): string[] {
  return listEnvironments(root).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Picks `wanted` (default: all) among the workspace's environments, keeping promotion order; refuses unknown names
 * with {@link UnknownEnvironmentError}.
 */
export function selectEnvironments(root: string, wanted?: readonly string[]): string[] {
  const known = workspaceEnvironments(root);
  if (!wanted) return known;
  const unknown = wanted.filter((env) => !known.includes(env));
  if (unknown.length > 0) throw new UnknownEnvironmentError(unknown, known);
  return known.filter((env) => wanted.includes(env));
}

/**
 * The repository root's cdktf app: every environment (or the chosen ones) as a stack named after it, built exactly as
 * its own app builds it, so `npx cdktf synth` at the root writes the same Terraform as `cdktf synth` in
 * `apps/<env>`. Every config is loaded and validated before anything is written; the problems of all of them are
 * reported together.
 */
export function createWorkspaceApp(options: WorkspaceAppOptions = {}): WorkspaceApp {
  const root = resolve(options.root ?? defaultRoot());
  const environments = selectEnvironments(root, options.environments);
  const files = environments.map((env) => environmentConfigPath(root, env));
  const loaded = loadEnvironmentConfigs(files);
  const seen = new Map<string, string>();
  for (const { file, config } of loaded) {
    const name = config.environment;
    const other = seen.get(name);
    if (other) throw new Error(`${file}: environment ${JSON.stringify(name)} is already defined by ${other}; every stack needs its own name`);
    seen.set(name, file);
  }
  const app = newApp(options);
  const stacks = loaded.map(({ file, config }) => addEnvironmentStack(app, file, { ...options, config }));
  return { app, stacks };
}

/**
 * Loads and validates every file; when some are invalid, throws ONE {@link ConfigValidationError} listing the
 * problems of all of them (each field prefixed by its file), so a user fixes everything in one go.
 */
export function loadEnvironmentConfigs(files: readonly string[]): Array<{ file: string; config: EnvironmentConfig }> {
  const loaded: Array<{ file: string; config: EnvironmentConfig }> = [];
  const failed: ConfigValidationError[] = [];
  for (const file of files) {
    try {
      loaded.push({ file, config: loadEnvironmentConfig(file) });
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      failed.push(error);
    }
  }
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) {
    throw new ConfigValidationError(
      `${failed.length} environment files`,
      failed.flatMap((e) => e.problems.map((p) => ({ ...p, field: `${e.source}: ${p.field}` }))),
    );
  }
  return loaded;
}

/** Whether `dir` holds a synthesized stack, and in which format. */
export function stackFormat(dir: string): 'json' | 'hcl' | 'both' | 'none' {
  const json = existsSync(join(dir, 'cdk.tf.json'));
  const hcl = existsSync(join(dir, 'cdk.tf'));
  return json && hcl ? 'both' : json ? 'json' : hcl ? 'hcl' : 'none';
}
