/**
 * `bluegreen state show --env <env>`: the environment's Terraform state, read straight from its remote state object
 * (the S3 backend settings of its config: bucket, key, region) with the AWS SDK. No terraform init, no provider
 * download: it works on an offline bastion and takes no lock, so it reads while an apply holds it. Only a summary is
 * printed, never raw attributes (a state holds secrets). The logic is @bluegreen/state's `stateShow`.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { awsPorts, AwsCallError, Deadline, DEFAULT_COMMAND_DEADLINES_S, resolveAwsTimeouts, resolveDeadlineSeconds } from '@bluegreen/aws';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { formatStateText, stateShow, StateReadError, type StateObjectPort } from '@bluegreen/state';
import { redactSecrets } from '@bluegreen/redact';
import { resolveEnvironment, UsageError } from '../context';
import { EXIT } from '../exit-codes';

export interface StateShowOptions {
  readonly env: string;
  readonly config?: string;
  readonly format?: string;
  /** S3-compatible endpoint instead of AWS (tests, local mirrors). */
  readonly endpoint?: string;
  readonly awsTimeout?: string;
  readonly awsConnectTimeout?: string;
  readonly awsAttempts?: string;
  readonly deadline?: string;
}

export interface StateIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color?: boolean;
}

/** Runs `state show`; resolves to the exit code. `statePort` replaces the S3 reader (tests). */
export async function runStateShow(
  options: StateShowOptions,
  io: StateIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), color: pc.isColorSupported && process.stdout.isTTY },
  statePort?: StateObjectPort,
): Promise<number> {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    io.stderr(`bluegreen state show: --format: must be text or json, got ${JSON.stringify(format)}\n`);
    return EXIT.USAGE;
  }
  let file: string;
  try {
    // The one CLI context: an unknown environment is a usage error naming the closest one.
    file = resolveEnvironment(options).configPath;
  } catch (err) {
    if (!(err instanceof UsageError) && !/environment name/.test((err as Error).message)) throw err;
    io.stderr(`bluegreen state show: usage: ${redactSecrets((err as Error).message)}\n`);
    return EXIT.USAGE;
  }
  let deadline: Deadline | undefined;
  try {
    let port = statePort;
    if (!port) {
      const region = (() => {
        try {
          return loadEnvironmentConfig(file).region;
        } catch {
          return 'us-east-1'; // stateShow reports the config problem itself
        }
      })();
      deadline = new Deadline(resolveDeadlineSeconds(DEFAULT_COMMAND_DEADLINES_S['state show'], options.deadline), 'state show');
      const timeouts = resolveAwsTimeouts({ requestTimeoutMs: options.awsTimeout, connectTimeoutMs: options.awsConnectTimeout, maxAttempts: options.awsAttempts });
      const endpoint = options.endpoint ?? process.env.BLUEGREEN_S3_ENDPOINT;
      port = awsPorts({ region, timeouts, deadline, ...(endpoint ? { s3Endpoint: endpoint } : {}) }).state;
    }
    const work = stateShow({ env: options.env, file }, { state: port });
    const r = await (deadline ? deadline.race(work) : work);
    io.stdout(format === 'json' ? `${JSON.stringify({ environment: r.environment, location: r.location, source: r.source, ...r.summary }, null, 2)}\n` : formatStateText(r.summary, `${r.source}`, io.color ? pc : undefined));
    return EXIT.OK;
  } catch (err) {
    const kind = err instanceof StateReadError || err instanceof AwsCallError ? '' : 'error: ';
    io.stderr(`bluegreen state show: could not read state: ${kind}${redactSecrets((err as Error).message)}\n`);
    return EXIT.ERROR;
  } finally {
    deadline?.dispose();
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
    .option('--aws-timeout <ms>', 'request timeout of each attempt (default 10000, or BLUEGREEN_AWS_TIMEOUT_MS)')
    .option('--aws-connect-timeout <ms>', 'connect timeout of each attempt (default 3000, or BLUEGREEN_AWS_CONNECT_TIMEOUT_MS)')
    .option('--aws-attempts <n>', 'attempts, the first included (default 3, or BLUEGREEN_AWS_MAX_ATTEMPTS)')
    .option('--deadline <seconds>', `overall deadline (default ${DEFAULT_COMMAND_DEADLINES_S['state show']}, or BLUEGREEN_DEADLINE_SECONDS)`)
    .addHelpText(
      'after',
      '\nReads the state object straight from S3 (s3:GetObject on the state object, kms:Decrypt when the bucket uses SSE-KMS):\nno terraform, no provider download, no lock. Exit codes: 0 printed, 2 state could not be read, 64 bad options.',
    )
    .action(async (options: StateShowOptions) => {
      process.exitCode = await runStateShow(options);
    });
}
