/**
 * `bluegreen traffic status|shift|watch|rollback|promote`: parses the options, calls one workflow of
 * @bluegreen/traffic with the AWS ports of @bluegreen/aws (one deadline per command), prints, maps the outcome to the
 * exit code. The logic lives in the libraries.
 */
import { ConfigValidationError, type EnvironmentConfig } from '@bluegreen/config';
import { COLOURS, environmentAppDir, findWorkspaceRoot, type Colour } from '@bluegreen/contract';
import {
  awsPorts,
  AwsCallError,
  Deadline,
  DEFAULT_COMMAND_DEADLINES_S,
  resolveAwsTimeouts,
  resolveDeadlineSeconds,
  TimeoutSettingError,
  WATCH_DEADLINE_MARGIN_S,
  type AwsPorts,
  type AwsTimeouts,
} from '@bluegreen/aws';
import { readRemoteState, stateLocation } from '@bluegreen/state';
import {
  ConfigConflictError,
  ConfigLockedError,
  ConfigReadOnlyError,
  configOnlyHint,
  directSchemaChecker,
  loadEnvironment,
  OutputsError,
  outputsFilePort,
  remoteStateOutputsPort,
  synthesizedHttpsListener,
  synthesizeWithConfig,
  trafficFinalize,
  trafficPromote,
  trafficRollback,
  trafficShift,
  trafficStatus,
  trafficWatch,
  TrafficInputError,
  TrafficRuleError,
  ValidatorError,
  type Outcome,
  type SchemaChecker,
  type StackOutputsPort,
  type TrafficIo,
  type TrafficPorts,
} from '@bluegreen/traffic';
import { redactedMessage, redactSecrets } from '@bluegreen/redact';
import { Command, Option } from 'commander';
import { relative } from 'node:path';
import { integerIn, numberIn } from '../arguments';
import { environmentOptions, isUsageError, resolveEnvironment, serviceOption, UsageError } from '../context';
import { EXIT } from '../exit-codes';
import { createOutput, type Output } from '../output';

/** What the AWS ports are built from for one command. */
export interface PortsRequest {
  readonly region: string;
  readonly timeouts: AwsTimeouts;
  readonly deadline: Deadline;
  readonly s3Endpoint?: string;
}

/** Everything the commands touch outside their inputs, replaceable in tests (the AWS SDK is faked at its boundary). */
export interface TrafficDeps {
  /** The workspace root (`apps/<env>/environment.yaml` resolves against it). @default - nearest parent with nx.json */
  readonly root: string;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  /** The ports for one command. @default - the AWS SDK adapters of @bluegreen/aws */
  readonly ports: (r: PortsRequest) => Pick<AwsPorts, 'listener' | 'targetHealth' | 'alarms' | 'metrics' | 'services' | 'validator' | 'state' | 'dms'>;
  /** Schema check against direct database URLs (`--blue-url/--green-url`). */
  readonly urlSchemaChecker?: (blueUrl: string, greenUrl: string) => SchemaChecker;
  readonly setExitCode: (code: number) => void;
  /** Synthesizes apps/<env> with the given config text (for `shift --synth-diff`); returns each stack's JSON. */
  readonly synthesize: (opts: { root: string; env: string; configText: string }) => Promise<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
}

const EXIT_CODES_HELP = `
Exit codes:
  0   done / healthy (continue) / nothing to change / no drift
  1   refused or unhealthy: a stage rule or promote rule said no, a gate failed, rollback recommended, drift found
  2   could not decide: config invalid, stack outputs or AWS unreachable, a deadline passed, a gate could not run,
      watch ended on hold or gave up after failed reads, status could not read the listener
  64  usage: unknown option, missing or malformed argument; --service missing (the environment has several
      services) or naming no service of the environment (the message lists them)`;

const DEADLINES_HELP = `
Deadlines (docs/operating.md): every AWS call has a connect timeout (--aws-connect-timeout, default 3000 ms), a
request timeout per attempt (--aws-timeout, default 10000 ms) and at most --aws-attempts attempts (default 3);
the command has an overall --deadline. Also BLUEGREEN_AWS_CONNECT_TIMEOUT_MS, BLUEGREEN_AWS_TIMEOUT_MS,
BLUEGREEN_AWS_MAX_ATTEMPTS, BLUEGREEN_DEADLINE_SECONDS. Stack outputs: read from the environment's remote state
object (the config's state section; BLUEGREEN_S3_ENDPOINT for an S3-compatible endpoint), or --outputs FILE.`;

function defaultDeps(): TrafficDeps {
  return {
    root: findWorkspaceRoot(process.cwd()) ?? process.cwd(),
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    stdout: process.stdout,
    stderr: process.stderr,
    ports: (r) => awsPorts(r),
    urlSchemaChecker: directSchemaChecker,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    synthesize: synthesizeWithConfig,
    env: process.env,
  };
}

// ---------- option parsing ----------


// The same numeric parsers as every command (../arguments); a zero interval or attempt budget is refused.
const parsePercent = integerIn('--percent', 0, 100);

interface EnvOptions {
  env: string;
  config?: string;
  service?: string;
  outputs?: string;
  awsTimeout?: number;
  awsConnectTimeout?: number;
  awsAttempts?: number;
  deadline?: number;
}

function envOptions(cmd: Command, aws = true, service = 'the service whose traffic moves (services.<name> of the config); required when the environment has more than one'): Command {
  environmentOptions(cmd);
  serviceOption(cmd, service);
  if (!aws) return cmd;
  return cmd
    .option('--outputs <file>', "the stack outputs as JSON ('terraform output -json'); default: read them from the environment's remote state object")
    .option('--aws-timeout <ms>', 'request timeout of each AWS call attempt (default 10000, or BLUEGREEN_AWS_TIMEOUT_MS)', integerIn('--aws-timeout', 1))
    .option('--aws-connect-timeout <ms>', 'connect timeout of each AWS call attempt (default 3000, or BLUEGREEN_AWS_CONNECT_TIMEOUT_MS)', integerIn('--aws-connect-timeout', 1))
    .option('--aws-attempts <n>', 'attempts per AWS call, the first included (default 3, or BLUEGREEN_AWS_MAX_ATTEMPTS)', integerIn('--aws-attempts', 1, 10))
    .option('--deadline <seconds>', "the command's overall deadline (or BLUEGREEN_DEADLINE_SECONDS)", integerIn('--deadline', 1));
}

// ---------- the commands ----------

/** Registers `bluegreen traffic status|shift|watch|rollback|promote`. */
export function registerTrafficCommands(program: Command, overrides: Partial<TrafficDeps> = {}): void {
  const deps: TrafficDeps = { ...defaultDeps(), ...overrides };
  const rel = (file: string) => {
    const r = relative(deps.root, file);
    return r && !r.startsWith('..') ? r : file;
  };

  /**
   * The workflows' sink over the command's Output (every line redacted): the report on stdout (watch's poll line
   * redrawn in place on a terminal), what stopped a command and what was and was not done on stderr.
   */
  const makeIo = (out: Output, quiet = false): TrafficIo => {
    const tty = deps.stdout.isTTY === true;
    let inPlace = false;
    const endLine = () => {
      if (inPlace) deps.stdout.write('\n');
      inPlace = false;
    };
    return {
      notify(m) {
        if (m.level === 'error') {
          endLine();
          out.note(m.text);
          return;
        }
        if (quiet) return;
        if (m.level === 'progress' && tty) {
          out.stdout.write(`\r\x1b[2K${redactSecrets(m.text)}`);
          inPlace = true;
          return;
        }
        endLine();
        out.data(m.text);
      },
    };
  };

  interface Run {
    readonly file: string;
    readonly ports: TrafficPorts;
    readonly out: Output;
  }

  /**
   * Resolves the config and the ports under one deadline, runs the workflow, maps the outcome. Errors: a refused rule
   * is 1; bad config, outputs, AWS or a passed deadline is 2 (never fails open).
   */
  const action =
    <O extends EnvOptions>(name: 'status' | 'shift' | 'watch' | 'rollback' | 'promote', deadlineOf: (o: O) => number, fn: (o: O, run: Run) => Promise<Outcome>) =>
    async (o: O) => {
      let code: number;
      let deadline: Deadline | undefined;
      const out = createOutput(`traffic ${name}`, { stdout: deps.stdout, stderr: deps.stderr, env: deps.env });
      try {
        const file = resolveEnvironment(o, deps.root).configPath;
        const timeouts = resolveAwsTimeouts({ requestTimeoutMs: o.awsTimeout, connectTimeoutMs: o.awsConnectTimeout, maxAttempts: o.awsAttempts }, deps.env);
        const dl = new Deadline(resolveDeadlineSeconds(deadlineOf(o), o.deadline, deps.env), `traffic ${name}`);
        deadline = dl;
        // The config (its region, its state location) is read only when AWS is used: `rollback --config-only`
        // must work while the rest of the config is invalid.
        let config: EnvironmentConfig | undefined;
        const configOf = () => (config ??= loadEnvironment({ env: o.env, file }));
        let aws: ReturnType<TrafficDeps['ports']> | undefined;
        const awsOf = () => (aws ??= deps.ports({ region: configOf().region, timeouts, deadline: dl, ...(deps.env.BLUEGREEN_S3_ENDPOINT ? { s3Endpoint: deps.env.BLUEGREEN_S3_ENDPOINT } : {}) }));
        const lazy = <K extends keyof ReturnType<TrafficDeps['ports']>>(key: K): ReturnType<TrafficDeps['ports']>[K] =>
          new Proxy({}, { get: (_t, prop) => (awsOf()[key] as unknown as Record<string | symbol, unknown>)[prop] }) as ReturnType<TrafficDeps['ports']>[K];
        const outputs: StackOutputsPort = o.outputs ? outputsFilePort(o.outputs) : remoteStateOutputsPort(() => readRemoteState(stateLocation(configOf()), awsOf().state));
        const ports: TrafficPorts = {
          outputs,
          listener: lazy('listener'),
          targetHealth: lazy('targetHealth'),
          alarms: lazy('alarms'),
          metrics: lazy('metrics'),
          services: lazy('services'),
          validator: lazy('validator'),
          dms: lazy('dms'),
          now: deps.now,
          sleep: deps.sleep,
          deadline: dl,
        };
        code = { ok: EXIT.OK, finding: EXIT.FINDING, unknown: EXIT.ERROR }[await dl.race(fn(o, { file, ports, out }))];
      } catch (e) {
        const message = redactedMessage(e);
        if (isUsageError(e)) {
          out.error(`usage: ${message}`);
          out.note(`See '${out.prefix} --help'.`);
          code = EXIT.USAGE;
        } else if (e instanceof TrafficRuleError) {
          out.error(`refused: ${message}`);
          code = EXIT.FINDING;
        } else {
          const known = e instanceof ConfigValidationError || e instanceof ConfigConflictError || e instanceof ConfigLockedError || e instanceof ConfigReadOnlyError || e instanceof OutputsError || e instanceof TrafficInputError || e instanceof ValidatorError || e instanceof TimeoutSettingError || e instanceof AwsCallError;
          out.error(`${known ? '' : 'error: '}${message}`);
          if (e instanceof AwsCallError) out.note('stopped before it finished; the lines above say what was done');
          if (name === 'rollback' && e instanceof AwsCallError) out.note(configOnlyHint(o.env, o.service));
          code = EXIT.ERROR;
        }
      } finally {
        deadline?.dispose();
      }
      deps.setExitCode(code);
    };

  const traffic = program
    .command('traffic')
    .description('Move traffic between blue and green in stages, watch it, roll back, promote')
    .addHelpText('after', EXIT_CODES_HELP);

  // ----- status -----
  envOptions(traffic.command('status'), true, 'only this service (default: every service of the environment, one table)')
    .description('Every service in one table: per colour the config and listener weights, tasks, target health, alarms, database and image, from the config, the stack outputs, the listener, ECS, ELB and CloudWatch')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--offline', 'read nothing live (config only); the output says so', false)
    .addOption(new Option('--no-live', 'the same as --offline').hideHelp())
    .addHelpText('after', `${EXIT_CODES_HELP}\n  (status: 1 when the listener's weights differ from the config: drift; 2 when the listener could not be read)${DEADLINES_HELP}`)
    .action(
      action('status', () => DEFAULT_COMMAND_DEADLINES_S['traffic status'], async (o: EnvOptions & { format: 'text' | 'json'; offline: boolean; live?: boolean }, r) => {
        const result = await trafficStatus({ env: o.env, service: o.service, file: r.file, displayFile: rel(r.file), offline: o.offline || o.live === false }, r.ports, makeIo(r.out, o.format === 'json'));
        if (o.format === 'json') r.out.json(result);
        return result.outcome;
      }),
    );

  // ----- shift -----
  envOptions(traffic.command('shift'))
    .description("Move a stage of one service: gates (its schema, target health, alarms; CDC latency while a migration replicates), then edit its weights in the config; the plan changes only that service's forward (the HTTPS listener's default action, or its listener rule)")
    .addOption(new Option('--to <colour>', 'the colour whose share you set (or, with --dns, ignored)').choices([...COLOURS]))
    .addOption(new Option('--percent <n>', 'the share that colour (with --dns: the AWS side) receives, 0-100').argParser(parsePercent).makeOptionMandatory())
    .option('--force', 'allow a jump that skips configured stages (never skips the task or bounds rules)', false)
    .option('--skip-gates', 'do not run the gates (prints that it did not)', false)
    .addOption(new Option('--blue-url <url>', 'schema gate against the databases directly instead of the validator Lambda (with --green-url)').env('BLUEGREEN_BLUE_URL'))
    .addOption(new Option('--green-url <url>', 'see --blue-url').env('BLUEGREEN_GREEN_URL'))
    .option('--max-cdc-latency <seconds>', 'forward CDC latency the migration gate accepts (default: the stack contract threshold)', integerIn('--max-cdc-latency', 0))
    .option('--dns', 'move the Route 53 weights (dns.weights legacy/aws) instead of the listener; same stage rules', false)
    .option('--dry-run', 'print what would change, write nothing', false)
    .option('--synth-diff', "synthesize the environment before and after the edit (offline) and refuse unless only the service's HTTPS forward changes", false)
    .addHelpText('after', `${EXIT_CODES_HELP}${DEADLINES_HELP}`)
    .action(
      action(
        'shift',
        () => DEFAULT_COMMAND_DEADLINES_S['traffic shift'],
        async (o: EnvOptions & { to?: Colour; percent: number; force: boolean; skipGates: boolean; blueUrl?: string; greenUrl?: string; maxCdcLatency?: number; dns: boolean; dryRun: boolean; synthDiff: boolean }, r) => {
          if (!o.dns && !o.to) throw new UsageError("required option '--to <colour>' not specified (blue or green; only --dns goes without it)");
          if (o.dns && o.service !== undefined) throw new UsageError("--dns moves the environment's Route 53 weights, not one service's: leave out --service");
          let schemaChecker: SchemaChecker | undefined;
          if (o.blueUrl || o.greenUrl) {
            if (!o.blueUrl || !o.greenUrl) throw new TrafficInputError('--blue-url and --green-url go together');
            if (!deps.urlSchemaChecker) throw new TrafficInputError('the direct-URL schema check is not available in this build; use the validator Lambda (omit --blue-url/--green-url)');
            schemaChecker = deps.urlSchemaChecker(o.blueUrl, o.greenUrl);
          }
          const result = await trafficShift(
            { env: o.env, service: o.service, file: r.file, displayFile: rel(r.file), to: o.to, percent: o.percent, force: o.force, skipGates: o.skipGates, dns: o.dns, dryRun: o.dryRun, synthDiff: o.synthDiff, schemaChecker, maxCdcLatencySeconds: o.maxCdcLatency },
            r.ports,
            makeIo(r.out),
            { synthesize: (configText) => deps.synthesize({ root: deps.root, env: o.env, configText }), synthesizedListener: () => synthesizedHttpsListener(environmentAppDir(deps.root, o.env)) },
          );
          return result.outcome;
        },
      ),
    );

  // ----- watch -----
  envOptions(traffic.command('watch'))
    .description('Poll CloudWatch for the colour receiving traffic and apply the rollback decision matrix (5xx rate, p95, unhealthy hosts, alarms)')
    .addOption(new Option('--minutes <n>', 'how long to watch (0: one poll)').argParser(numberIn('--minutes', 0, 1440)).makeOptionMandatory())
    .option('--interval <seconds>', 'seconds between polls', numberIn('--interval', 1, 3600), 30)
    .option('--window <minutes>', 'metrics window each poll looks back over', numberIn('--window', 1, 1440), 5)
    .option('--max-failed-reads <n>', 'give up (exit 2) after this many polls in a row that could not read every signal', integerIn('--max-failed-reads', 1, 100), 3)
    .addOption(new Option('--colour <colour>', 'watch this colour instead of the one receiving traffic').choices([...COLOURS]))
    .option('--data-integrity-issue <text>', 'report a data integrity issue (forces a rollback decision)')
    .option('--security-incident <text>', 'report a security incident (forces a rollback decision)')
    .addHelpText('after', `${EXIT_CODES_HELP}\n  (watch: 0 ended on continue, 1 rollback recommended (stops at once), 2 ended on hold, or --max-failed-reads reads in a row failed)${DEADLINES_HELP}\n  (watch's default deadline: --minutes, plus one interval, plus ${WATCH_DEADLINE_MARGIN_S} s)`)
    .action(
      action(
        'watch',
        (o) => Math.ceil(o.minutes * 60 + o.interval + WATCH_DEADLINE_MARGIN_S),
        async (o: EnvOptions & { minutes: number; interval: number; window: number; maxFailedReads: number; colour?: Colour; dataIntegrityIssue?: string; securityIncident?: string }, r) => {
          const result = await trafficWatch(
            { env: o.env, service: o.service, file: r.file, minutes: o.minutes, intervalSeconds: o.interval, windowMinutes: o.window, maxFailedReads: o.maxFailedReads, colour: o.colour, dataIntegrityIssue: o.dataIntegrityIssue, securityIncident: o.securityIncident },
            r.ports,
            makeIo(r.out),
          );
          return result.outcome;
        },
      ),
    );

  // ----- rollback -----
  envOptions(traffic.command('rollback'))
    .description("Emergency path: send 100 % to the live colour (or, inside a promotion's rollback window, the previous one) now through the ELBv2 API (seconds, no apply), then write the same weights into the config")
    .option('--config-only', 'only edit the config (no AWS call); the next apply moves the listener', false)
    .option('--dns', 'also set the Route 53 weights back to legacy 100 % in the config (applied by the next deploy)', false)
    .addHelpText('after', `${EXIT_CODES_HELP}${DEADLINES_HELP}\n  (rollback's default deadline is short: ${DEFAULT_COMMAND_DEADLINES_S['traffic rollback']} s; when it passes, use --config-only and apply)`)
    .action(
      action('rollback', () => DEFAULT_COMMAND_DEADLINES_S['traffic rollback'], async (o: EnvOptions & { configOnly: boolean; dns: boolean }, r) => {
        const result = await trafficRollback({ env: o.env, service: o.service, file: r.file, displayFile: rel(r.file), configOnly: o.configOnly, dns: o.dns }, r.ports, makeIo(r.out));
        return result.outcome;
      }),
    );

  // ----- promote -----
  envOptions(traffic.command('promote'), false)
    .description("After 100 %: mark the service's new colour live (records services.<name>.traffic.promotedAt); with --finalize, after the rollback window, scale its old colour to zero")
    .option('--finalize', 'scale the old colour to zero once promotedAt + traffic.rollbackWindowMinutes has passed', false)
    .option('--force', 'with --finalize: do it even inside the rollback window', false)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      action('promote', () => DEFAULT_COMMAND_DEADLINES_S['traffic status'], async (o: EnvOptions & { finalize: boolean; force: boolean }, r) => {
        const opts = { env: o.env, service: o.service, file: r.file, displayFile: rel(r.file) };
        const result = o.finalize ? await trafficFinalize({ ...opts, force: o.force }, r.ports, makeIo(r.out)) : await trafficPromote(opts, r.ports, makeIo(r.out));
        return result.outcome;
      }),
    );
}
