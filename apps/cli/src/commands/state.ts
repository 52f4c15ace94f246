/**
 * `bluegreen state show --env <env>`: the environment's live Terraform state, read through its configured backend.
 *
 * How it reads: `terraform init` (backend only, no providers) in a throwaway directory with exactly the S3 backend
 * settings the stack synthesizes (bucket/key/region/encrypt/kms_key_id/use_lockfile from the environment config),
 * then `terraform state pull`. Why the CLI and not @aws-sdk/client-s3: the backend owns the details (workspace key
 * prefixes, KMS, credentials chain incl. SSO/assume-role, the state format and its version checks); reading through
 * it shows exactly what `terraform plan` would see. `state pull` takes no lock, so it works (read-only) while an
 * apply holds the lock file. Only a summary is printed: never raw attributes (state holds secrets).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import { EXIT } from '../exit-codes';

/** Where an environment's state lives (from `apps/<env>/environment.yaml` → `state`). */
export interface StateLocation {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly kmsKeyId?: string;
  /** S3-compatible endpoint (tests, local mirrors); unset for AWS. */
  readonly endpoint?: string;
}

export function stateLocation(config: Pick<EnvironmentConfig, 'state' | 'environment' | 'region'>, endpoint?: string): StateLocation {
  return {
    bucket: config.state.bucket,
    key: config.state.key ?? `${config.environment}/terraform.tfstate`,
    region: config.region,
    ...(config.state.kmsKeyId ? { kmsKeyId: config.state.kmsKeyId } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** The backend block, as the stack synthesizes it, plus the S3-compatible settings when an endpoint is given. */
export function backendConfig(loc: StateLocation): Record<string, unknown> {
  return {
    bucket: loc.bucket,
    key: loc.key,
    region: loc.region,
    encrypt: true,
    use_lockfile: true,
    ...(loc.kmsKeyId ? { kms_key_id: loc.kmsKeyId } : {}),
    ...(loc.endpoint
      ? {
          endpoints: { s3: loc.endpoint },
          use_path_style: true,
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          skip_s3_checksum: true,
        }
      : {}),
  };
}

export class StateReadError extends Error {}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, input?: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ status: code ?? (signal ? 124 : 1), stdout, stderr: signal ? `${stderr}\n(terminated by ${signal} after ${timeoutMs} ms)` : stderr });
    });
    child.stdin.end(input ?? '');
  });
}

export interface BackendWorkDir {
  readonly dir: string;
  /** Runs terraform in the initialised directory. */
  terraform(args: string[], input?: string): Promise<Run>;
  dispose(): void;
}

/**
 * A throwaway directory with only the backend configured and `terraform init` done (no providers are installed).
 * Also used by tests to `terraform state push` a state through the same backend.
 */
export async function openBackend(loc: StateLocation, options: { terraform?: string; timeoutMs?: number } = {}): Promise<BackendWorkDir> {
  const bin = options.terraform ?? process.env.TERRAFORM_BINARY ?? 'terraform';
  const timeoutMs = options.timeoutMs ?? 120_000;
  const dir = mkdtempSync(join(tmpdir(), 'bluegreen-state-'));
  writeFileSync(join(dir, 'backend.tf.json'), JSON.stringify({ terraform: { backend: { s3: backendConfig(loc) } } }, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', TF_DATA_DIR: join(dir, '.terraform') };
  delete env.TF_WORKSPACE;
  // The backend needs no provider installation settings; a missing CLI config file only produces warnings.
  if (!env.TF_CLI_CONFIG_FILE || !existsSync(env.TF_CLI_CONFIG_FILE)) {
    env.TF_CLI_CONFIG_FILE = join(dir, 'terraformrc');
    writeFileSync(env.TF_CLI_CONFIG_FILE, '');
  }
  const tf = (args: string[], input?: string) => run(bin, args, dir, env, timeoutMs, input);
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  let init: Run;
  try {
    init = await tf(['init', '-input=false', '-no-color', '-reconfigure']);
  } catch (err) {
    dispose();
    throw new StateReadError(`cannot run terraform (${bin}): ${(err as Error).message}`);
  }
  if (init.status !== 0) {
    dispose();
    throw new StateReadError(`terraform init of the s3 backend (s3://${loc.bucket}/${loc.key}) failed:\n${(init.stderr || init.stdout).trim()}`);
  }
  return { dir, terraform: tf, dispose };
}

/** `terraform state pull` through the environment's backend; the raw state text (never printed). */
export async function pullState(loc: StateLocation, options: { terraform?: string; timeoutMs?: number } = {}): Promise<string> {
  const work = await openBackend(loc, options);
  try {
    const pull = await work.terraform(['state', 'pull']);
    if (pull.status !== 0) throw new StateReadError(`terraform state pull from s3://${loc.bucket}/${loc.key} failed:\n${pull.stderr.trim()}`);
    const empty = (() => {
      try {
        return ((JSON.parse(pull.stdout) as { resources?: unknown[] }).resources ?? []).length === 0;
      } catch {
        return pull.stdout.trim() === '';
      }
    })();
    // An empty state is what the backend answers for a key nobody wrote: almost always the wrong bucket/key.
    if (empty) throw new StateReadError(`no state at s3://${loc.bucket}/${loc.key} (no resources: nothing deployed yet, or the wrong bucket/key)`);
    return pull.stdout;
  } finally {
    work.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pure summary of a state (tested on its own).

export type Colour = 'blue' | 'green';

export interface StateResourceSummary {
  readonly address: string;
  readonly type: string;
  readonly colour?: Colour;
}

export interface ListenerWeights {
  readonly address: string;
  readonly port?: number;
  readonly targets: ReadonlyArray<{ readonly label: string; readonly weight: number }>;
}

export interface DatabaseSummary {
  readonly address: string;
  readonly colour?: Colour;
  readonly identifier?: string;
  readonly endpoint?: string;
  readonly readerEndpoint?: string;
  readonly engine?: string;
  readonly engineVersion?: string;
  readonly instances: number;
}

export interface StateSummary {
  readonly terraformVersion?: string;
  readonly serial?: number;
  readonly resourceCount: number;
  readonly modules: Readonly<Record<string, readonly StateResourceSummary[]>>;
  readonly weights: readonly ListenerWeights[];
  readonly databases: readonly DatabaseSummary[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Top-level construct of a cdktf resource name (`database-green_cluster_ABCD1234` → `database-green`). */
export function moduleOf(name: string): string {
  const i = name.indexOf('_');
  return i > 0 ? name.slice(0, i) : '(stack)';
}

function colourOf(...texts: Array<string | undefined>): Colour | undefined {
  for (const t of texts) {
    const m = t ? /(?:^|[^a-z])(blue|green)(?:[^a-z]|$)/i.exec(t) : null;
    if (m) return m[1].toLowerCase() as Colour;
  }
  return undefined;
}

interface StateDoc {
  version?: number;
  terraform_version?: string;
  serial?: number;
  resources?: Array<{ mode?: string; type?: string; name?: string; module?: string; instances?: Array<{ attributes?: Obj; index_key?: unknown }> }>;
}

export function summarizeState(text: string): StateSummary {
  let doc: StateDoc;
  try {
    doc = JSON.parse(text) as StateDoc;
  } catch (err) {
    throw new StateReadError(`state is not JSON: ${(err as Error).message}`);
  }
  if (!isObj(doc) || doc.version !== 4 || !Array.isArray(doc.resources)) {
    throw new StateReadError(`state: version: must be a Terraform v4 state with resources[], got version ${JSON.stringify(isObj(doc) ? doc.version : doc)}`);
  }
  const modules: Record<string, StateResourceSummary[]> = {};
  const tgLabels = new Map<string, string>();
  const managed = doc.resources.filter((r) => r.mode === 'managed' && r.type && r.name);
  for (const r of managed) {
    if (r.type !== 'aws_lb_target_group') continue;
    for (const inst of r.instances ?? []) {
      const a = inst.attributes ?? {};
      const arn = str(a['arn']);
      if (arn) tgLabels.set(arn, colourOf(str(a['name']), r.name) ?? str(a['name']) ?? r.name ?? arn);
    }
  }
  const weights: ListenerWeights[] = [];
  const databases: DatabaseSummary[] = [];
  const instancesPerCluster = new Map<string, number>();
  let count = 0;
  for (const r of managed) {
    const type = r.type as string;
    const name = r.name as string;
    const module = r.module ? `${r.module}.${moduleOf(name)}` : moduleOf(name);
    for (const inst of r.instances ?? []) {
      count += 1;
      const a = inst.attributes ?? {};
      const suffix = inst.index_key === undefined ? '' : `[${JSON.stringify(inst.index_key)}]`;
      const address = `${r.module ? `${r.module}.` : ''}${type}.${name}${suffix}`;
      const colour = colourOf(str(a['name']), str(a['cluster_identifier']), str(a['identifier']), module, name);
      (modules[module] ??= []).push({ address, type, ...(colour ? { colour } : {}) });
      if (type === 'aws_lb_listener') {
        const targets: Array<{ label: string; weight: number }> = [];
        for (const action of arr(a['default_action'])) {
          if (!isObj(action)) continue;
          for (const fwd of arr(action['forward'])) {
            for (const tg of isObj(fwd) ? arr(fwd['target_group']) : []) {
              if (!isObj(tg)) continue;
              const arn = str(tg['arn']) ?? '?';
              targets.push({ label: tgLabels.get(arn) ?? colourOf(arn) ?? arn, weight: typeof tg['weight'] === 'number' ? tg['weight'] : 0 });
            }
          }
          const single = str(action['target_group_arn']);
          if (targets.length === 0 && single && action['type'] === 'forward') targets.push({ label: tgLabels.get(single) ?? colourOf(single) ?? single, weight: 100 });
        }
        if (targets.length > 0) {
          weights.push({ address, ...(typeof a['port'] === 'number' ? { port: a['port'] } : {}), targets: targets.sort((x, y) => x.label.localeCompare(y.label)) });
        }
      }
      if (type === 'aws_rds_cluster') {
        databases.push({
          address,
          ...(colour ? { colour } : {}),
          ...(str(a['cluster_identifier']) ? { identifier: str(a['cluster_identifier']) } : {}),
          ...(str(a['endpoint']) ? { endpoint: str(a['endpoint']) } : {}),
          ...(str(a['reader_endpoint']) ? { readerEndpoint: str(a['reader_endpoint']) } : {}),
          ...(str(a['engine']) ? { engine: str(a['engine']) } : {}),
          ...(str(a['engine_version_actual']) ?? str(a['engine_version']) ? { engineVersion: str(a['engine_version_actual']) ?? str(a['engine_version']) } : {}),
          instances: 0,
        });
      }
      if (type === 'aws_rds_cluster_instance') {
        const cluster = str(a['cluster_identifier']) ?? '';
        instancesPerCluster.set(cluster, (instancesPerCluster.get(cluster) ?? 0) + 1);
      }
    }
  }
  for (const list of Object.values(modules)) list.sort((x, y) => (x.address < y.address ? -1 : 1));
  return {
    ...(typeof doc.terraform_version === 'string' ? { terraformVersion: doc.terraform_version } : {}),
    ...(typeof doc.serial === 'number' ? { serial: doc.serial } : {}),
    resourceCount: count,
    modules: Object.fromEntries(Object.entries(modules).sort(([x], [y]) => x.localeCompare(y))),
    weights,
    databases: databases.map((d) => ({ ...d, instances: instancesPerCluster.get(d.identifier ?? '') ?? 0 })),
  };
}

export function formatStateText(summary: StateSummary, where: string, colors?: Pick<typeof pc, 'blue' | 'green' | 'bold' | 'dim'>): string {
  const paint = (c: Colour | undefined, s: string) => (colors && c ? colors[c](s) : s);
  const bold = (s: string) => (colors ? colors.bold(s) : s);
  const lines = [bold(`State ${where}`) + `  (serial ${summary.serial ?? '?'}, terraform ${summary.terraformVersion ?? '?'}, ${summary.resourceCount} resource instance(s))`, ''];
  lines.push(bold('Live weights'));
  if (summary.weights.length === 0) lines.push('  (no weighted listener in state)');
  for (const w of summary.weights) {
    lines.push(`  ${w.address}${w.port ? ` :${w.port}` : ''}  ${w.targets.map((t) => paint(colourOf(t.label), `${t.label} ${t.weight}`)).join(', ')}`);
  }
  lines.push('', bold('Databases'));
  if (summary.databases.length === 0) lines.push('  (no Aurora cluster in state)');
  for (const d of summary.databases) {
    lines.push(`  ${paint(d.colour, d.colour ?? '-')}  ${d.identifier ?? d.address}  ${d.engine ?? '?'} ${d.engineVersion ?? '?'}  ${d.instances} instance(s)`);
    lines.push(`      writer ${d.endpoint ?? '?'}`);
    if (d.readerEndpoint) lines.push(`      reader ${d.readerEndpoint}`);
  }
  lines.push('', bold('Resources by module'));
  for (const [module, resources] of Object.entries(summary.modules)) {
    const byColour = (c: Colour) => resources.filter((r) => r.colour === c).length;
    lines.push(`  ${bold(module)} (${resources.length}: ${paint('blue', `blue ${byColour('blue')}`)}, ${paint('green', `green ${byColour('green')}`)})`);
    for (const r of resources) lines.push(`    ${paint(r.colour, r.colour ? r.colour.padEnd(5) : '     ')} ${r.address}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------

export interface StateShowOptions {
  readonly env: string;
  readonly config?: string;
  readonly format?: string;
  readonly endpoint?: string;
}

export function environmentFile(env: string, explicit?: string): string {
  if (explicit) return resolve(explicit);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(env)) throw new StateReadError(`--env: must be an environment name like dev, got ${JSON.stringify(env)}`);
  return resolve(process.cwd(), 'apps', env, 'environment.yaml');
}

export async function runStateShow(
  options: StateShowOptions,
  io: { stdout: (s: string) => void; stderr: (s: string) => void; color?: boolean } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    color: pc.isColorSupported && process.stdout.isTTY,
  },
): Promise<number> {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    io.stderr(`bluegreen state show: --format: must be text or json, got ${JSON.stringify(format)}\n`);
    return EXIT.USAGE;
  }
  try {
    const file = environmentFile(options.env, options.config);
    if (!existsSync(file)) throw new StateReadError(`--env ${options.env}: no environment config at ${file} (run from the repository root or pass --config)`);
    const config = loadEnvironmentConfig(file);
    const loc = stateLocation(config, options.endpoint ?? process.env.BLUEGREEN_S3_ENDPOINT);
    const summary = summarizeState(await pullState(loc));
    const where = `s3://${loc.bucket}/${loc.key}`;
    io.stdout(format === 'json' ? `${JSON.stringify({ environment: config.environment, location: where, ...summary }, null, 2)}\n` : formatStateText(summary, where, io.color ? pc : undefined));
    return EXIT.OK;
  } catch (err) {
    io.stderr(`bluegreen state show: could not read state: ${(err as Error).message}\n`);
    return EXIT.ERROR;
  }
}

/** Registers `bluegreen state …`. */
export function registerStateCommands(program: Command): void {
  const state = program.command('state').description('Terraform state inspection');
  state
    .command('show')
    .description("Print an environment's live state: resources by module and colour, live weights, database endpoints and versions")
    .requiredOption('--env <env>', 'environment (reads apps/<env>/environment.yaml → state)')
    .option('--config <file>', 'environment config file (default apps/<env>/environment.yaml)')
    .option('--format <format>', 'text or json', 'text')
    .option('--endpoint <url>', 'S3-compatible endpoint instead of AWS (also BLUEGREEN_S3_ENDPOINT)')
    .addHelpText('after', '\nReads through `terraform state pull` (needs terraform on PATH or TERRAFORM_BINARY and AWS credentials).\nExit codes: 0 printed, 2 state could not be read, 64 bad options.')
    .action(async (options: StateShowOptions) => {
      process.exitCode = await runStateShow(options);
    });
}
