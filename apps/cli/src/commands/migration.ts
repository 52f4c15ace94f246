import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseStackContract, STACK_CONTRACT_OUTPUT, type MigrationContract, type StackContract } from '@bluegreen/contract';
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

function contractOf(json: unknown, source: string): StackContract {
  const entry = (json as Record<string, unknown> | null)?.[STACK_CONTRACT_OUTPUT];
  if (entry === undefined) throw new CannotRunError(`${source}: has no output '${STACK_CONTRACT_OUTPUT}' (is the stack deployed with this version?)`);
  return parseStackContract(entry !== null && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry, source);
}

/** The stack contract from `--outputs FILE` (`terraform output -json`), else `terraform output -json` of apps/<env>. */
async function readContract(o: CommonOptions, ctx: EnvironmentContext): Promise<StackContract> {
  if (o.outputs) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(o.outputs, 'utf8'));
    } catch (err) {
      throw new CannotRunError(`cannot read outputs file ${o.outputs}: ${(err as Error).message}`);
    }
    return contractOf(json, o.outputs);
  }
  const stacks = join(ctx.appDir, 'cdktf.out', 'stacks');
  const dirs = existsSync(stacks) ? readdirSync(stacks).map((d) => join(stacks, d)) : [];
  if (dirs.length !== 1) throw new CannotRunError(`expected one synthesized stack under ${stacks}, found ${dirs.length} (npm run synth, or pass --outputs <file>)`);
  const stdout = await new Promise<string>((res, rej) =>
    execFile('terraform', ['output', '-no-color', '-json'], { cwd: dirs[0], timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, out, errOut) =>
      err ? rej(new CannotRunError(`terraform output -json in ${dirs[0]} failed: ${(errOut || err.message).trim().split('\n').slice(-3).join(' ')}`)) : res(out),
    ),
  );
  return contractOf(JSON.parse(stdout), `terraform output in ${dirs[0]}`);
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

async function ports(region: string): Promise<MigrationPorts> {
  const { awsDmsPort, dmsClients } = await cutover();
  return { dms: awsDmsPort(dmsClients({ region })), now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
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
    const contract = await readContract(o, ctx);
    const migration = migrationOf(contract);
    const p = await ports(contract.region);
    const green = contract.databases.green?.clusterId ?? 'the green cluster';
    const run = direction === 'cutover' ? migrationCutover : migrationRollback;
    const result = await run(
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
    );
    if (o.format === 'json') out.json(result);
    else out.data(formatSwitch(result));
    return SWITCH_EXIT[result.outcome];
  });
}

function common(cmd: Command): Command {
  return environmentOptions(cmd, { config: false })
    .option('--outputs <file>', "the stack's 'terraform output -json'; default: terraform output in apps/<env>/cdktf.out/stacks/<stack>")
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
        const contract = await readContract(o, ctx);
        const status = await migrationStatus({ migration: migrationOf(contract) }, await ports(contract.region));
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
