import { readFileSync, statSync } from 'node:fs';
import { awsPorts, Deadline, DEFAULT_COMMAND_DEADLINES_S, resolveAwsTimeouts, resolveDeadlineSeconds } from '@bluegreen/aws';
import { loadEnvironmentConfig } from '@bluegreen/config';
import type { MigrationContract, StackContract } from '@bluegreen/contract';
import { readRemoteState, stateLocation } from '@bluegreen/state';
import { readOutputsFile, remoteStateOutputsPort } from '@bluegreen/traffic';
import type { MigrationPorts, SwitchResult, VerifyEvidence } from '@bluegreen/cutover';
import { InvalidArgumentError, type Command } from 'commander';
import { action, CannotRunError, environmentOptions, resolveEnvironment, UsageError, type EnvironmentContext } from '../context';
import { EXIT, exitCodesHelp } from '../exit-codes';
import { formatOption, type Format, type Output } from '../output';

// The DMS client (AWS SDK) and the verify result parser load only when a migration command runs.
const cutover = () => import('@bluegreen/cutover');

interface CommonOptions {
  env: string;
  outputs?: string;
  format: Format;
  deadline?: string;
}

interface SwitchCliOptions extends CommonOptions {
  verifyReport?: string;
  verifyMaxAge: number;
  maxLatency?: number;
  execute?: boolean;
  writesStopped?: boolean;
}

function nonNegative(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a whole number, got ${JSON.stringify(v)}`);
    return Number(v);
  };
}

/** One command's AWS access: the clients of @bluegreen/aws (timeouts that throw, a bounded retry budget, the command's deadline). */
interface Session {
  readonly contract: StackContract;
  readonly ports: MigrationPorts;
  /** Runs the command's work under its overall deadline. */
  run<T>(work: Promise<T>): Promise<T>;
}

/**
 * The stack contract from `--outputs FILE` (`terraform output -json`), else from the environment's remote state
 * object (its config's state section; no terraform), and the DMS port on clients with this command's deadline.
 */
async function openSession(o: CommonOptions, ctx: EnvironmentContext, command: 'migration status' | 'migration cutover' | 'migration rollback'): Promise<Session> {
  const deadline = new Deadline(resolveDeadlineSeconds(DEFAULT_COMMAND_DEADLINES_S[command], o.deadline), command);
  try {
    const timeouts = resolveAwsTimeouts();
    const s3Endpoint = process.env.BLUEGREEN_S3_ENDPOINT;
    let contract: StackContract;
    if (o.outputs) contract = readOutputsFile(o.outputs).contract;
    else {
      const config = loadEnvironmentConfig(ctx.configPath);
      const state = awsPorts({ region: config.region, timeouts, deadline, ...(s3Endpoint ? { s3Endpoint } : {}) }).state;
      contract = (await deadline.race(remoteStateOutputsPort(() => readRemoteState(stateLocation(config), state)).read())).contract;
    }
    const aws = awsPorts({ region: contract.region, timeouts, deadline });
    return {
      contract,
      ports: { dms: aws.dms, now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
      run: (work) => deadline.race(work).finally(() => deadline.dispose()),
    };
  } catch (err) {
    deadline.dispose();
    if (err instanceof Error && !(err instanceof UsageError)) throw new CannotRunError(err.message);
    throw err;
  }
}

function migrationOf(contract: StackContract): MigrationContract {
  if (!contract.migration) throw new CannotRunError(`environment ${contract.environment} has no database migration (migration.enabled is false)`);
  return contract.migration;
}

async function readVerifyReport(file: string | undefined, now: Date): Promise<VerifyEvidence | undefined> {
  if (!file) return undefined;
  const { parseVerifyResult } = await import('@bluegreen/data-verify');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CannotRunError(`cannot read verify report ${file}: ${(err as Error).message}`);
  }
  const r = parseVerifyResult(value, file);
  return { identical: r.identical, complete: r.complete, compared: r.compared, source: r.source, target: r.target, ageMs: now.getTime() - statSync(file).mtimeMs };
}

const SWITCH_EXIT: Record<SwitchResult['outcome'], number> = { ready: EXIT.OK, done: EXIT.OK, blocked: EXIT.FINDING, failed: EXIT.FINDING, unknown: EXIT.ERROR };

/**
 * Runs a migration command under the convention: usage errors stay usage errors (64); anything else that stops it
 * (outputs unreadable, AWS unreachable, a contract without a migration) is "could not decide" (2), never success.
 */
function migrationAction<O extends CommonOptions>(command: string, fn: (out: Output, o: O, ctx: EnvironmentContext) => Promise<number>) {
  return action(`migration ${command}`, async (out, o: O) => {
    const ctx = resolveEnvironment(o);
    try {
      return await fn(out, o, ctx);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      out.error(`could not decide: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT.ERROR;
    }
  });
}

function switchAction(direction: 'cutover' | 'rollback') {
  return migrationAction(direction, async (out, o: SwitchCliOptions, ctx) => {
    const { formatSwitch, migrationCutover, migrationRollback } = await cutover();
    const session = await openSession(o, ctx, `migration ${direction}`);
    const { contract, ports: p } = session;
    const migration = migrationOf(contract);
    const green = contract.databases.green?.clusterId ?? 'the green cluster';
    const run = direction === 'cutover' ? migrationCutover : migrationRollback;
    const result = await session.run(run(
      {
        migration,
        verify: await readVerifyReport(o.verifyReport, p.now()),
        maxVerifyAgeMs: o.verifyMaxAge * 60_000,
        maxLatencySeconds: o.maxLatency,
        execute: o.execute ?? false,
        writesStopped: o.writesStopped ?? false,
        databases: { old: contract.databases.blue.clusterId, new: green },
      },
      p,
    ));
    if (o.format === 'json') out.json(result);
    else out.data(formatSwitch(result));
    return SWITCH_EXIT[result.outcome];
  });
}

function common(cmd: Command): Command {
  return environmentOptions(cmd, { config: false })
    .option('--outputs <file>', "the stack's 'terraform output -json'; default: read the outputs from the environment's remote state object")
    .option('--deadline <seconds>', "the command's overall deadline (or BLUEGREEN_DEADLINE_SECONDS); AWS call timeouts: BLUEGREEN_AWS_* (docs/operating.md)")
    .addOption(formatOption());
}

function switchOptions(cmd: Command, verifyDirection: string): Command {
  return common(cmd)
    .option('--verify-report <file>', `a 'bluegreen data verify --format json' result ${verifyDirection} (merged, if sharded)`)
    .option('--verify-max-age <minutes>', 'oldest verify report accepted', nonNegative('--verify-max-age'), 30)
    .option('--max-latency <seconds>', 'CDC latency accepted before the switch (default: the stack contract threshold)', nonNegative('--max-latency'))
    .option('--execute', 'perform the automatic steps (drain, stop/start the DMS tasks) instead of only printing them')
    .option('--writes-stopped', 'confirm the first step: writes are stopped (required by --execute)');
}

/** Registers `bluegreen migration …`. */
export function registerMigrationCommands(program: Command): void {
  const migration = program.command('migration').description('The database cutover and its way back: DMS forward and reverse replication');
  common(migration.command('status').description('Forward and reverse DMS task state, CDC latency, validation state and last error'))
    .addHelpText('after', exitCodesHelp({ 0: 'ok', 1: 'attention: a task is stopped, failing or behind', 2: 'unknown: the tasks could not be read' }))
    .action(
      migrationAction('status', async (out, o: CommonOptions, ctx) => {
        const { formatStatus, migrationStatus } = await cutover();
        const session = await openSession(o, ctx, 'migration status');
        const status = await session.run(migrationStatus({ migration: migrationOf(session.contract) }, session.ports));
        if (o.format === 'json') out.json(status);
        else out.data(formatStatus(status));
        return status.outcome === 'ok' ? EXIT.OK : status.outcome === 'attention' ? EXIT.FINDING : EXIT.ERROR;
      }),
    );
  const switchHelp = exitCodesHelp({ 0: 'ready (checks passed) or done (--execute)', 1: 'blocked (a check failed) or failed (a step failed)', 2: 'could not decide' });
  switchOptions(
    migration
      .command('cutover')
      .description(
        'Checks (forward CDC latency under the threshold, DMS validation, a clean data verify, the reverse task ready), then the ordered steps: ' +
          'stop writes, drain, verify, stop forward, start reverse, switch.',
      ),
    'old -> new',
  )
    .addHelpText('after', switchHelp)
    .action(switchAction('cutover'));
  switchOptions(
    migration
      .command('rollback')
      .description('The reverse order: reverse CDC caught up and a clean verify new -> old, then stop writes on the new database, drain, verify, stop reverse, switch back.'),
    'new -> old',
  )
    .addHelpText('after', switchHelp)
    .action(switchAction('rollback'));
}
