/**
 * The one CLI convention, command by command (through main, in process; the AWS SDK faked at its boundary): every
 * command's --help exits 0 on stdout; --format json (where the command reports) puts one JSON document on stdout and
 * messages on stderr; a usage error and an unknown subcommand exit 64 with the message on stderr, nothing on stdout,
 * naming the closest command. A command added without a row here fails the first test.
 */
import { DatabaseMigrationServiceClient, DescribeReplicationTasksCommand, DescribeTableStatisticsCommand } from '@aws-sdk/client-database-migration-service';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { STACK_CONTRACT_VERSION } from '@bluegreen/contract';
import { mockClient } from 'aws-sdk-client-mock';
import type { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, COMMANDS, main } from '../src/main';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');
const PLAN_FIXTURES = join(ROOT, 'libs', 'operations', 'plan-review', 'test', 'fixtures');
// Nothing listens on port 1: the connection is refused at once, so "could not check" is exercised without a server.
const REFUSED = 'postgres://app:not-a-real-password@127.0.0.1:1/app';

const dms = mockClient(DatabaseMigrationServiceClient);
const cw = mockClient(CloudWatchClient);
let dir: string;

function outputsFile(): string {
  const contract = {
    version: STACK_CONTRACT_VERSION,
    environment: 'prod',
    environmentSuffix: 'prod',
    region: 'us-east-1',
    accountId: '111111111111',
    loadBalancer: { arn: 'arn:alb', arnSuffix: 'app/alb/1', dnsName: 'alb.example', httpsListenerArn: 'arn:listener' },
    ecsClusterName: 'ecs-prod',
    services: { app: { name: 'app', route: { kind: 'default-action', listenerArn: 'arn:listener' }, targetGroups: { blue: { arn: 'a', arnSuffix: 'a' }, green: { arn: 'b', arnSuffix: 'b' } }, ecsServices: { blue: 'b', green: 'g' }, alarms: { blue: [], green: [] } } },
    defaultService: 'app',
    databases: { blue: { clusterId: 'aurora-blue-prod', endpoint: 'blue.example', masterSecretArn: 'arn:s1' }, green: { clusterId: 'aurora-green-prod', endpoint: 'green.example', masterSecretArn: 'arn:s2' } },
    alarmTopicArn: 'arn:sns',
    migration: { forwardTaskArn: 'arn:fwd', reverseTaskArn: 'arn:rev', alarms: [], replicationInstanceId: 'dms-prod', cdcLatencyThresholdSeconds: 60 },
  };
  const file = join(dir, 'outputs.json');
  writeFileSync(file, JSON.stringify({ bluegreen: { value: contract, type: 'object', sensitive: false } }));
  return file;
}

function verifyResultFile(): string {
  const file = join(dir, 'verify.json');
  writeFileSync(file, JSON.stringify({ identical: true, complete: true, source: 'old:5432/app', target: 'new:5432/app', compared: ['public.orders'], tables: [], convergedChunks: [], warnings: [], stats: {} }));
  return file;
}

/** `args` follow the command path; `argv` replaces the whole command line (options of a parent before the subcommand). */
type JsonCase =
  | { readonly args: () => string[]; readonly code: number; readonly argv?: boolean }
  /** The command reports no document: it has no --format option. */
  | { readonly skip: string }
  /** The command has --format json, tested where its input can be set up (named here). */
  | { readonly elsewhere: string };

interface Row {
  /** The command path, e.g. `schema check`. */
  readonly path: string;
  /** `--format json`: the arguments (with --format json) and the exit code expected; or why the command has none. */
  readonly json: JsonCase;
  /** A usage error: arguments that must exit 64. */
  readonly usage: readonly string[];
}

const ROWS: readonly Row[] = [
  { path: 'schema check', json: { args: () => ['--blue', REFUSED, '--green', REFUSED, '--format', 'json', '--connect-timeout', '5'], code: 2 }, usage: ['--blue', REFUSED] },
  { path: 'data verify', json: { args: () => ['--source', REFUSED, '--target', REFUSED, '--format', 'json', '--connect-timeout', '5'], code: 2 }, usage: ['--source', REFUSED, '--chunk-size', '0'] },
  // A result without its chunk coverage cannot be merged: exit 2, the error as JSON on stdout, the message on stderr.
  { path: 'data verify merge', json: { args: () => ['data', 'verify', '--format', 'json', 'merge', verifyResultFile()], argv: true, code: 2 }, usage: [] /* no result file */ },
  { path: 'migration status', json: { args: () => ['--env', 'prod', '--outputs', outputsFile(), '--format', 'json'], code: 0 }, usage: ['--env', 'prd', '--outputs', 'x.json'] },
  { path: 'migration cutover', json: { args: () => ['--env', 'prod', '--outputs', outputsFile(), '--format', 'json'], code: 1 }, usage: ['--env', 'prod', '--verify-max-age', 'soon'] },
  // Without a verify report new -> old the readiness is unknown: exit 2, the checks as JSON on stdout.
  { path: 'migration rollback', json: { args: () => ['--env', 'prod', '--outputs', outputsFile(), '--format', 'json'], code: 2 }, usage: ['--outputs', 'x.json'] },
  { path: 'traffic status', json: { args: () => ['--env', 'dev', '--no-live', '--format', 'json'], code: 0 }, usage: ['--env', 'Dev!'] },
  { path: 'traffic shift', json: { skip: 'changes the config and prints the steps; it reports no document' }, usage: ['--env', 'dev', '--to', 'purple', '--percent', '5'] },
  { path: 'traffic watch', json: { skip: 'a stream of polls on a terminal; it reports no document' }, usage: ['--env', 'dev'] },
  { path: 'traffic rollback', json: { skip: 'an emergency action; it reports no document' }, usage: ['--bogus'] },
  { path: 'traffic promote', json: { skip: 'edits the config; it reports no document' }, usage: ['--finalize'] /* no --env */ },
  { path: 'plan review', json: { args: () => [join(PLAN_FIXTURES, 'added.json'), '--format', 'json'], code: 0 }, usage: [join(PLAN_FIXTURES, 'added.json'), '--format', 'html'] },
  { path: 'state show', json: { elsewhere: 'needs a remote state object: the state show tests against a local S3 server' }, usage: ['--format', 'json'] },
  { path: 'completion', json: { skip: 'prints a shell script' }, usage: ['fish'] },
];

let stdout = '';
let stderr = '';
async function run(args: readonly string[]): Promise<number> {
  stdout = '';
  stderr = '';
  return main(['node', 'bluegreen', ...args]);
}

function leaves(cmd: Command, path: string[] = []): string[] {
  const own = cmd.commands.length === 0 || path.join(' ') === 'data verify' ? [path.join(' ')] : [];
  return [...own, ...cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => leaves(c, [...path, c.name()]))].filter((p) => p !== '');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-convention-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  dms.reset();
  cw.reset();
  dms.on(DescribeReplicationTasksCommand).resolves({ ReplicationTasks: [{ Status: 'running', ReplicationTaskStats: { FullLoadProgressPercent: 100 } }] });
  dms.on(DescribeTableStatisticsCommand).resolves({ TableStatistics: [{ SchemaName: 'public', TableName: 'orders', ValidationState: 'Validated' }] });
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'source', Values: [1] }, { Id: 'target', Values: [1] }] });
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
});
afterEach(() => jest.restoreAllMocks());

describe('the command table', () => {
  it('has a row for every command the program registers', async () => {
    const program = await buildProgram('all');
    expect(leaves(program).sort()).toEqual(ROWS.map((r) => r.path).sort());
  });

  it("the root help lists each command with the module's own description (before the module is loaded)", async () => {
    const program = await buildProgram('all');
    for (const c of COMMANDS) expect([c.name, program.commands.find((p) => p.name() === c.name)?.description()]).toEqual([c.name, c.description]);
  });
});

describe.each(ROWS)('bluegreen $path', (row) => {
  const words = row.path.split(' ');

  it('--help: exit 0, usage on stdout, the exit codes documented, nothing on stderr', async () => {
    expect(await run([...words, '--help'])).toBe(0);
    expect(stdout).toContain(`Usage: bluegreen ${row.path}`);
    expect(stdout).toMatch(/Exit codes/);
    expect(stderr).toBe('');
  });

  const json = row.json;
  if ('args' in json) {
    it('--format json: one JSON document on stdout, messages on stderr', async () => {
      const args = json.argv ? json.args() : [...words, ...json.args()];
      const code = await run(args);
      expect({ code, stderr }).toEqual({ code: json.code, stderr: expect.any(String) });
      expect(() => JSON.parse(stdout)).not.toThrow();
      expect(stdout).not.toContain('\u001b['); // no colour when stdout is not a terminal
      for (const line of stderr.split('\n').filter((l) => l.startsWith('bluegreen'))) expect(line).toMatch(new RegExp(`^bluegreen ${row.path}: `));
      expect(stderr).not.toContain('{');
    });
  } else {
    const reports = 'elsewhere' in json;
    it(reports ? `has --format (json tested in ${json.elsewhere})` : `has no --format option: it reports no document (${json.skip})`, async () => {
      const program = await buildProgram([words[0]]);
      const cmd = words.reduce<Command | undefined>((c, w) => c?.commands.find((s) => s.name() === w), program) as Command;
      expect(cmd.options.map((o) => o.long).includes('--format')).toBe(reports);
    });
  }

  it(`a usage error (${row.usage.join(' ') || 'nothing given'}): exit 64, the message on stderr in the one style, nothing on stdout`, async () => {
    expect(await run([...words, ...row.usage])).toBe(64);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^bluegreen ${row.path}: usage: `));
    expect(stderr).toContain(`See 'bluegreen ${row.path} --help'.`);
  });
});

const GROUPS = ['schema', 'data', 'migration', 'traffic', 'plan', 'state'];

describe.each(GROUPS)('bluegreen %s <unknown subcommand>', (group) => {
  it('exits 64 naming the closest subcommand, with or without --help', async () => {
    const program = await buildProgram([group]);
    const first = (program.commands.find((c) => c.name() === group) as Command).commands[0].name();
    const typo = `${first.slice(0, -1)}x`;
    for (const extra of [[], ['--help']]) {
      expect(await run([group, typo, ...extra])).toBe(64);
      expect(stdout).toBe('');
      expect(stderr).toContain(`bluegreen ${group}: usage: unknown command '${typo}' (did you mean '${first}'?)`);
    }
  });
});

describe('the root', () => {
  it('an unknown command is a usage error naming the closest; so is `help` of one', async () => {
    expect(await run(['migratoin', 'status'])).toBe(64);
    expect(stderr).toBe("bluegreen: usage: unknown command 'migratoin' (did you mean 'migration'?)\nSee 'bluegreen --help'.\n");
    expect(await run(['help', 'migration', 'stats'])).toBe(64);
    expect(stderr).toContain("(did you mean 'status'?)");
    expect(await run(['help', 'migration', 'status'])).toBe(0);
    expect(stdout).toContain('Usage: bluegreen migration status');
  });

  it('--version prints the package version on stdout (the CLI package and the workspace agree)', async () => {
    const { version } = jest.requireActual<{ version: string }>(join(ROOT, 'package.json'));
    expect(jest.requireActual<{ version: string }>(join(ROOT, 'apps', 'cli', 'package.json')).version).toBe(version);
    expect(await run(['--version'])).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  it('a group without a subcommand shows its help on stderr and exits 64', async () => {
    expect(await run(['migration'])).toBe(64);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: bluegreen migration');
  });

  it('an unknown environment is a usage error naming the closest one', async () => {
    expect(await run(['migration', 'status', '--env', 'prdo', '--outputs', 'x.json'])).toBe(64);
    expect(stderr).toContain("bluegreen migration status: usage: --env prdo: unknown environment (did you mean 'prod'?); environments: dev, prod, staging");
  });
});
