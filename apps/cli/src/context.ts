/**
 * The one CLI context of `bluegreen`: how every command finds the workspace, names an environment (`--env`, `--config`),
 * reports usage errors and maps what it did to an exit code. Commands register their options through the helpers here
 * and wrap their action in {@link action}, so that every command behaves the same way:
 *
 *   env.command('status')
 *     .addOption(formatOption())
 *     .action(action('env status', async (out, opts) => { const ctx = resolveEnvironment(opts); …; return EXIT.OK; }));
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENVIRONMENT_NAME_PATTERN, environmentAppDir, environmentConfigPath, findWorkspaceRoot, listEnvironments } from '@bluegreen/contract';
import { ServiceSelectionError } from '@bluegreen/config';
import { redactedMessage } from '@bluegreen/redact';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT } from './exit-codes';
import { createOutput, type Output, type OutputStreams } from './output';
import { didYouMean, UsageError } from './usage';

export { CannotRunError, closest, didYouMean, editDistance, UsageError } from './usage';

/** The workspace root: the nearest directory at or above `cwd` holding nx.json; a usage error outside a workspace. */
export function workspaceRoot(cwd: string = process.cwd()): string {
  const root = findWorkspaceRoot(cwd);
  if (root === undefined) throw new UsageError(`not inside a bluegreen workspace (no nx.json in ${resolve(cwd)} or above): run from the repository, or pass --config <file>`);
  return root;
}

export interface EnvironmentOptions {
  readonly env: string;
  readonly config?: string;
}

/** Where one environment lives: its name, the workspace root, its app folder and its config file. */
export interface EnvironmentContext {
  readonly env: string;
  /** The workspace root, or the current directory when `--config` is used outside a workspace. */
  readonly root: string;
  /** `apps/<env>` (its synthesized stacks are under `cdktf.out/stacks`). */
  readonly appDir: string;
  /** `--config`, or `apps/<env>/environment.yaml`. */
  readonly configPath: string;
  /** Whether the config file came from `--config`. */
  readonly configGiven: boolean;
}

/**
 * Resolves `--env` (and `--config`) the same way for every command. An environment that the workspace does not have
 * is a usage error naming the closest one; `--config` may name a file anywhere (the environment's own name is then
 * checked against the file by the config loader's caller). A config file that does not exist is a usage error too.
 */
export function resolveEnvironment(options: EnvironmentOptions, cwd: string = process.cwd()): EnvironmentContext {
  const env = parseEnvironmentName(options.env);
  if (options.config !== undefined) {
    const configPath = resolve(cwd, options.config);
    if (!existsSync(configPath)) throw new UsageError(`--config ${options.config}: no such file`);
    const root = findWorkspaceRoot(cwd) ?? resolve(cwd);
    return { env, root, appDir: environmentAppDir(root, env), configPath, configGiven: true };
  }
  const root = workspaceRoot(cwd);
  const known = listEnvironments(root);
  if (!known.includes(env)) {
    const list = known.length > 0 ? `; environments: ${known.join(', ')}` : '';
    throw new UsageError(`--env ${env}: unknown environment${didYouMean(env, known)}${list} (each is apps/<env>/environment.yaml; or pass --config <file>)`);
  }
  return { env, root, appDir: environmentAppDir(root, env), configPath: environmentConfigPath(root, env), configGiven: false };
}

/** Validates the shape of an environment name (lowercase letters, digits, hyphens); commander's argParser for --env. */
export function parseEnvironmentName(value: string): string {
  if (!ENVIRONMENT_NAME_PATTERN.test(value)) {
    throw new InvalidArgumentError(`must be an environment name like dev (lowercase letters, digits, hyphens), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `--env <env>` (required) and, unless `config: false`, `--config <file>`: the same words on every command. */
export function environmentOptions(cmd: Command, options: { readonly config?: boolean } = {}): Command {
  cmd.addOption(new Option('--env <env>', 'environment name: apps/<env>/environment.yaml').argParser(parseEnvironmentName).makeOptionMandatory());
  if (options.config !== false) cmd.option('--config <file>', 'use this environment config file instead of apps/<env>/environment.yaml');
  return cmd;
}

/**
 * `--service <name>`: the service of the environment a command acts on (`services.<name>` of its config); required
 * when the environment has more than one. Resolved by `resolveService` of @bluegreen/config, whose
 * ServiceSelectionError is a usage error ({@link isUsageError}) naming the services.
 */
export function serviceOption(cmd: Command, description = 'the service (services.<name> of the config); required when the environment has more than one'): Command {
  return cmd.option('--service <name>', description);
}

/** A usage error: the command line's own, or a --service the environment does not have (or that is missing). */
export const isUsageError = (err: unknown): err is Error => err instanceof UsageError || err instanceof ServiceSelectionError;

/** How an action's outcome reaches the process: main reads `process.exitCode` after parsing. */
export type ExitCodeSink = (code: number) => void;
const setProcessExitCode: ExitCodeSink = (code) => {
  process.exitCode = code;
};

/**
 * Wraps a command's action: gives it the command's {@link Output}, maps what it returns to the exit code and what it
 * throws to the convention (a {@link UsageError}: 64, with a pointer to the help; anything else: 2, "could not
 * run", never success). Every message is redacted by the output.
 */
export function action<A extends unknown[]>(
  command: string,
  fn: (out: Output, ...args: A) => Promise<number> | number,
  streams?: OutputStreams,
  setExitCode: ExitCodeSink = setProcessExitCode,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const out = createOutput(command, streams);
    let code: number;
    try {
      code = await fn(out, ...args);
    } catch (err) {
      code = reportError(out, err);
    }
    setExitCode(code);
  };
}

/** Writes an error in the convention's style and returns its exit code (64 for usage errors, 2 otherwise). */
export function reportError(out: Output, err: unknown): number {
  if (isUsageError(err)) {
    out.error(`usage: ${redactedMessage(err)}`);
    out.note(`See '${out.prefix} --help'.`);
    return EXIT.USAGE;
  }
  out.error(redactedMessage(err));
  return EXIT.ERROR;
}

/**
 * Ctrl-C (SIGINT) or SIGTERM during a long command: the first aborts the returned signal, so the command stops at
 * its next step, cleans up and reports "interrupted" (exit 2); a second SIGINT quits at once (130). Call `dispose`
 * when the command ends.
 */
export function interruptOnSignals(out: Output, what: string): { readonly signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    out.note(`interrupted: ${what} (Ctrl-C again to quit at once)`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
