/**
 * Offline `terraform validate` of synthesized environments, and where their stack directories are.
 *
 *   npx tsx tools/ci/validate-synth.ts --stack-dir dev            prints apps/dev/cdktf.out/stacks/<stack>
 *   npx tsx tools/ci/validate-synth.ts --from-json '["dev","prod"]'   init -backend=false + validate each
 * Providers come from the registry, or from the filesystem mirror named by BLUEGREEN_TF_PROVIDER_MIRROR.
 * Exit codes: 0 valid, 1 invalid configuration, 2 could not validate (not synthesized, terraform missing).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENVIRONMENTS } from './affected-environments';

export class CiError extends Error {
  constructor(message: string, public readonly exitCode: number) {
    super(message);
  }
}

export function parseEnvironments(json: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CiError(`--from-json: must be a JSON array like ["dev"], got ${JSON.stringify(json)}`, 2);
  }
  if (!Array.isArray(value) || value.some((v) => !(ENVIRONMENTS as readonly unknown[]).includes(v))) {
    throw new CiError(`--from-json: must list environments among ${ENVIRONMENTS.join(', ')}, got ${JSON.stringify(value)}`, 2);
  }
  return value as string[];
}

/** `apps/<env>/cdktf.out/stacks/<the one stack>`; fails when the app was not synthesized. */
export function stackDir(env: string, root = process.cwd()): string {
  const stacks = resolve(root, 'apps', env, 'cdktf.out', 'stacks');
  const dirs = existsSync(stacks) ? readdirSync(stacks).filter((d) => existsSync(join(stacks, d, 'cdk.tf.json'))) : [];
  if (dirs.length !== 1) {
    throw new CiError(`${env}: expected exactly one synthesized stack under ${stacks}, found ${dirs.length} (run \`npx nx run ${env}:synth\`)`, 2);
  }
  return join(stacks, dirs[0]);
}

export interface ValidateOutcome {
  readonly valid: boolean;
  readonly messages: readonly string[];
}

/** init -backend=false + validate -json in a copy of the stack directory (the app's directory stays clean). */
export function validateStack(dir: string, terraform = process.env.TERRAFORM_BINARY ?? 'terraform'): ValidateOutcome {
  const work = mkdtempSync(join(tmpdir(), 'bluegreen-validate-'));
  try {
    cpSync(dir, work, { recursive: true, filter: (src) => !src.includes('/.terraform') });
    const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
    const mirror = process.env.BLUEGREEN_TF_PROVIDER_MIRROR;
    if (mirror || (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE))) {
      env.TF_CLI_CONFIG_FILE = join(work, '.terraformrc');
      writeFileSync(env.TF_CLI_CONFIG_FILE, mirror ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n` : '');
    }
    const run = (args: string[]) => spawnSync(terraform, args, { cwd: work, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const init = run(['init', '-backend=false', '-input=false', '-no-color']);
    if (init.error) throw new CiError(`cannot run terraform: ${init.error.message}`, 2);
    if (init.status !== 0) throw new CiError(`terraform init -backend=false failed in ${dir}:\n${init.stderr || init.stdout}`, 2);
    const validate = run(['validate', '-json', '-no-color']);
    const result = JSON.parse(validate.stdout) as { valid: boolean; diagnostics: Array<{ severity: string; summary: string; detail?: string; address?: string }> };
    return {
      valid: result.valid,
      messages: result.diagnostics.map((d) => `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.detail ? `: ${d.detail}` : ''}`),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function main(argv: readonly string[]): number {
  try {
    const i = argv.indexOf('--stack-dir');
    if (i >= 0) {
      process.stdout.write(`${stackDir(parseEnvironments(JSON.stringify([argv[i + 1]]))[0])}\n`);
      return 0;
    }
    const j = argv.indexOf('--from-json');
    if (j < 0) throw new CiError('usage: validate-synth.ts --stack-dir <env> | --from-json \'["dev"]\'', 2);
    let invalid = 0;
    for (const env of parseEnvironments(argv[j + 1] ?? '')) {
      const outcome = validateStack(stackDir(env));
      process.stdout.write(`${env}: ${outcome.valid ? 'valid' : 'INVALID'}\n${outcome.messages.map((m) => `  ${m}\n`).join('')}`);
      if (!outcome.valid) invalid++;
    }
    return invalid > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`validate-synth: ${(err as Error).message}\n`);
    return err instanceof CiError ? err.exitCode : 2;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
