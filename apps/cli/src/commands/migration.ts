import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { awsPorts, Deadline, DEFAULT_COMMAND_DEADLINES_S, resolveAwsTimeouts, resolveDeadlineSeconds } from '@bluegreen/aws';
import { loadEnvironmentConfig } from '@bluegreen/config';
import { environmentConfigPath, findWorkspaceRoot, type MigrationContract, type StackContract } from '@bluegreen/contract';
import {
  formatStatus,
  formatSwitch,
  migrationCutover,
  migrationRollback,
  migrationStatus,
  type MigrationPorts,
  type SwitchResult,
  type VerifyEvidence,
} from '@bluegreen/cutover';
import { parseVerifyResult } from '@bluegreen/data-verify';
import { readRemoteState, stateLocation } from '@bluegreen/state';
import { readOutputsFile, remoteStateOutputsPort } from '@bluegreen/traffic';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT } from '../exit-codes';

class CannotDecide extends Error {}

interface CommonOptions {
  env: string;
  outputs?: string;
  format: 'text' | 'json';
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

function parseEnvName(v: string): string {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(v)) throw new InvalidArgumentError(`must be an environment name like dev (lowercase letters, digits, hyphens), got ${JSON.stringify(v)}`);
  return v;
}

/** One command's AWS access: the clients of @bluegreen/aws (timeouts, retry budget, the command's deadline). */
interface Session {
  readonly deadline: Deadline;
  readonly ports: MigrationPorts;
  readonly contract: StackContract;
}

/**
 * The stack contract from `--outputs FILE` (`terraform output -json`), else from the environment's remote state
 * object (apps/<env>/environment.yaml → state; no terraform), and the DMS port on clients with this command's deadline.
 */
async function openSession(o: CommonOptions, command: keyof typeof DEFAULT_COMMAND_DEADLINES_S): Promise<Session> {
  const deadline = new Deadline(resolveDeadlineSeconds(DEFAULT_COMMAND_DEADLINES_S[command], o.deadline), command);
  try {
    const timeouts = resolveAwsTimeouts();
    let contract: StackContract;
    if (o.outputs) contract = readOutputsFile(resolve(o.outputs)).contract;
    else {
      const config = loadEnvironmentConfig(environmentConfigPath(findWorkspaceRoot(process.cwd()) ?? process.cwd(), o.env));
      const state = awsPorts({ region: config.region, timeouts, deadline, ...(process.env.BLUEGREEN_S3_ENDPOINT ? { s3Endpoint: process.env.BLUEGREEN_S3_ENDPOINT } : {}) }).state;
      contract = (await remoteStateOutputsPort(() => readRemoteState(stateLocation(config), state)).read()).contract;
    }
    const aws = awsPorts({ region: contract.region, timeouts, deadline });
    return { deadline, contract, ports: { dms: aws.dms, now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) } };
  } catch (err) {
    deadline.dispose();
    throw err;
  }
}

function migrationOf(contract: StackContract): MigrationContract {
  if (!contract.migration) throw new CannotDecide(`environment ${contract.environment} has no database migration (migration.enabled is false)`);
  return contract.migration;
}

function readVerifyReport(file: string | undefined, now: Date): VerifyEvidence | undefined {
  if (!file) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CannotDecide(`cannot read verify report ${file}: ${(err as Error).message}`);
  }
  const r = parseVerifyResult(value, file);
  return { identical: r.identical, complete: r.complete, compared: r.compared, source: r.source, target: r.target, ageMs: now.getTime() - statSync(file).mtimeMs };
}

const SWITCH_EXIT: Record<SwitchResult['outcome'], number> = { ready: EXIT.OK, done: EXIT.OK, blocked: EXIT.FINDING, failed: EXIT.FINDING, unknown: EXIT.ERROR };

async function guarded(command: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    process.stderr.write(`bluegreen migration ${command}: could not decide: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.ERROR;
  }
}

function switchAction(direction: 'cutover' | 'rollback') {
  return (o: SwitchCliOptions) =>
    guarded(direction, async () => {
      const session = await openSession(o, `migration ${direction}`);
      const { contract, ports: p } = session;
      const migration = migrationOf(contract);
      const green = contract.databases.green?.clusterId ?? 'the green cluster';
      const run = direction === 'cutover' ? migrationCutover : migrationRollback;
      const result = await session.deadline.race(run(
        {
          migration,
          verify: readVerifyReport(o.verifyReport, p.now()),
          maxVerifyAgeMs: o.verifyMaxAge * 60_000,
          maxLatencySeconds: o.maxLatency,
          execute: o.execute ?? false,
          writesStopped: o.writesStopped ?? false,
          databases: { old: contract.databases.blue.clusterId, new: green },
        },
        p,
      )).finally(() => session.deadline.dispose());
      process.stdout.write(o.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatSwitch(result)}\n`);
      return SWITCH_EXIT[result.outcome];
    });
}

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--env <env>', 'environment name (apps/<env>)').argParser(parseEnvName).makeOptionMandatory())
    .option('--outputs <file>', "the stack's 'terraform output -json'; default: read the outputs from the environment's remote state object")
    .option('--deadline <seconds>', "the command's overall deadline (or BLUEGREEN_DEADLINE_SECONDS); AWS call timeouts: BLUEGREEN_AWS_* (docs/operating.md)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
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
  common(migration.command('status').description('Forward and reverse DMS task state, CDC latency, validation state and last error. Exit 0 ok, 1 attention, 2 unknown.')).action((o: CommonOptions) =>
    guarded('status', async () => {
      const session = await openSession(o, 'migration status');
      const status = await session.deadline.race(migrationStatus({ migration: migrationOf(session.contract) }, session.ports)).finally(() => session.deadline.dispose());
      process.stdout.write(o.format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`);
      return status.outcome === 'ok' ? EXIT.OK : status.outcome === 'attention' ? EXIT.FINDING : EXIT.ERROR;
    }).then((code) => {
      process.exitCode = code;
    }),
  );
  switchOptions(
    migration
      .command('cutover')
      .description(
        'Checks (forward CDC latency under the threshold, DMS validation, a clean data verify, the reverse task ready), then the ordered steps: ' +
          'stop writes, drain, verify, stop forward, start reverse, switch. Exit 0 ready/done, 1 blocked/failed, 2 could not decide.',
      ),
    'old -> new',
  ).action((o: SwitchCliOptions) => switchAction('cutover')(o).then((code) => void (process.exitCode = code)));
  switchOptions(
    migration
      .command('rollback')
      .description('The reverse order: reverse CDC caught up and a clean verify new -> old, then stop writes on the new database, drain, verify, stop reverse, switch back.'),
    'new -> old',
  ).action((o: SwitchCliOptions) => switchAction('rollback')(o).then((code) => void (process.exitCode = code)));
}
