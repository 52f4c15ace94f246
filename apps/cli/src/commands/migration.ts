import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseStackContract, STACK_CONTRACT_OUTPUT, type MigrationContract, type StackContract } from '@bluegreen/contract';
import {
  awsDmsPort,
  dmsClients,
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
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT } from '../exit-codes';

class CannotDecide extends Error {}

interface CommonOptions {
  env: string;
  outputs?: string;
  format: 'text' | 'json';
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

function workspaceRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = resolve(dir, '..')) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (resolve(dir, '..') === dir) return resolve(from);
  }
}

function contractOf(json: unknown, source: string): StackContract {
  const entry = (json as Record<string, unknown> | null)?.[STACK_CONTRACT_OUTPUT];
  if (entry === undefined) throw new CannotDecide(`${source}: has no output '${STACK_CONTRACT_OUTPUT}' (is the stack deployed with this version?)`);
  return parseStackContract(entry !== null && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry, source);
}

/** The stack contract from `--outputs FILE` (`terraform output -json`), else `terraform output -json` of apps/<env>. */
async function readContract(o: CommonOptions): Promise<StackContract> {
  if (o.outputs) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(o.outputs, 'utf8'));
    } catch (err) {
      throw new CannotDecide(`cannot read outputs file ${o.outputs}: ${(err as Error).message}`);
    }
    return contractOf(json, o.outputs);
  }
  const stacks = join(workspaceRoot(), 'apps', o.env, 'cdktf.out', 'stacks');
  const dirs = existsSync(stacks) ? readdirSync(stacks).map((d) => join(stacks, d)) : [];
  if (dirs.length !== 1) throw new CannotDecide(`expected one synthesized stack under ${stacks}, found ${dirs.length} (npm run synth, or pass --outputs <file>)`);
  const stdout = await new Promise<string>((res, rej) =>
    execFile('terraform', ['output', '-no-color', '-json'], { cwd: dirs[0], timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, out, errOut) =>
      err ? rej(new CannotDecide(`terraform output -json in ${dirs[0]} failed: ${(errOut || err.message).trim().split('\n').slice(-3).join(' ')}`)) : res(out),
    ),
  );
  return contractOf(JSON.parse(stdout), `terraform output in ${dirs[0]}`);
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

function ports(region: string): MigrationPorts {
  return { dms: awsDmsPort(dmsClients({ region })), now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
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
      const contract = await readContract(o);
      const migration = migrationOf(contract);
      const p = ports(contract.region);
      const green = contract.databases.green?.clusterId ?? 'the green cluster';
      const run = direction === 'cutover' ? migrationCutover : migrationRollback;
      const result = await run(
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
      );
      process.stdout.write(o.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatSwitch(result)}\n`);
      return SWITCH_EXIT[result.outcome];
    });
}

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--env <env>', 'environment name (apps/<env>)').argParser(parseEnvName).makeOptionMandatory())
    .option('--outputs <file>', "the stack's 'terraform output -json'; default: terraform output in apps/<env>/cdktf.out/stacks/<stack>")
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
      const contract = await readContract(o);
      const status = await migrationStatus({ migration: migrationOf(contract) }, ports(contract.region));
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
