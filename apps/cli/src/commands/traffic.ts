import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { COLOURS, ConfigValidationError, readEnvironmentConfig, type Colour, type EnvironmentConfig } from '@bluegreen/config';
import {
  alarmsGate,
  ConfigConflictError,
  ConfigLockedError,
  ConfigReadOnlyError,
  rollbackEnvironmentConfig,
  decide,
  describeAlarmsByPrefix,
  describeListenerWeights,
  describeServices,
  dnsWeightEdits,
  editConfigFile,
  evaluateShift,
  finalizeEdits,
  getColourSignals,
  lambdaSchemaChecker,
  nextStage,
  otherColour,
  OutputsError,
  promoteEdits,
  readOutputsFile,
  readTerraformOutputs,
  requireOutput,
  rollbackWindowEnd,
  runGates,
  schemaGate,
  setListenerWeights,
  diffSynthesized,
  synthesizeWithConfig,
  targetHealthGate,
  TrafficRuleError,
  ValidatorError,
  weightEdits,
  type AppliedEdit,
  type ResourceChange,
  type DecisionResult,
  type Gate,
  type SchemaChecker,
  type StackOutputs,
  type Weights,
} from '@bluegreen/traffic';
import { checkCompatibility } from '@bluegreen/schema-compat';
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { EXIT } from '../exit-codes';

/** The AWS clients the traffic commands use (one region: the environment's). */
export interface TrafficClients {
  readonly elb: ElasticLoadBalancingV2Client;
  readonly cw: CloudWatchClient;
  readonly lambda: LambdaClient;
  readonly ecs: ECSClient;
}

/** Everything the commands touch outside their inputs, replaceable in tests (the AWS SDK is faked at its boundary). */
export interface TrafficDeps {
  /** The workspace root (`apps/<env>/environment.yaml` resolves against it). @default - nearest parent with nx.json */
  readonly root: string;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly clients: (region: string) => TrafficClients;
  readonly readOutputs: (opts: { outputsFile?: string; appDir: string }) => Promise<StackOutputs>;
  /** Schema check against direct database URLs (`--blue-url/--green-url`); undefined until a checker is wired. */
  readonly urlSchemaChecker?: (blueUrl: string, greenUrl: string) => SchemaChecker;
  readonly setExitCode: (code: number) => void;
  /** Synthesizes apps/<env> with the given config text (for `shift --synth-diff`); returns each stack's JSON. */
  readonly synthesize: (opts: { root: string; env: string; configText: string }) => Promise<Record<string, unknown>>;
}

const EXIT_CODES_HELP = `
Exit codes:
  0   done / healthy (continue) / nothing to change
  1   refused or unhealthy: a stage rule or promote rule said no, a gate failed, rollback recommended, drift found
  2   could not decide: config invalid, Terraform outputs or AWS unreachable, a gate could not run, watch ended on hold
  64  usage: unknown option, missing or malformed argument`;

function findRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(from);
    dir = up;
  }
}

/** The schema gate against direct database URLs: @bluegreen/schema-compat's checkCompatibility (read-only). */
export function directSchemaChecker(blueUrl: string, greenUrl: string): SchemaChecker {
  return {
    describe: 'direct check of the blue and green databases',
    async check() {
      const r = await checkCompatibility({ blue: { url: blueUrl, applicationName: 'bluegreen-traffic-gate' }, green: { url: greenUrl, applicationName: 'bluegreen-traffic-gate' } });
      return {
        compatible: r.compatible,
        details: r.changes.filter((c) => c.compatibility !== 'compatible').map((c) => `${c.compatibility}: ${c.kind} ${c.object} (${c.detail})`),
      };
    },
  };
}

function defaultDeps(): TrafficDeps {
  return {
    root: findRoot(process.cwd()),
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    stdout: process.stdout,
    stderr: process.stderr,
    clients: (region) => ({
      elb: new ElasticLoadBalancingV2Client({ region }),
      cw: new CloudWatchClient({ region }),
      lambda: new LambdaClient({ region }),
      ecs: new ECSClient({ region }),
    }),
    readOutputs: async ({ outputsFile, appDir }) => (outputsFile ? readOutputsFile(outputsFile) : readTerraformOutputs(appDir)),
    urlSchemaChecker: directSchemaChecker,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    synthesize: synthesizeWithConfig,
  };
}

// ---------- option parsing ----------

function parseEnvName(v: string): string {
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(v)) throw new InvalidArgumentError(`must be an environment name like dev (lowercase letters, digits, hyphens), got ${JSON.stringify(v)}`);
  return v;
}

function parsePercent(v: string): number {
  if (!/^\d{1,3}$/.test(v) || Number(v) > 100) throw new InvalidArgumentError(`must be a whole number 0-100, got ${JSON.stringify(v)}`);
  return Number(v);
}

function parseNonNegative(v: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw new InvalidArgumentError(`must be a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

interface EnvOptions {
  env: string;
  config?: string;
  outputs?: string;
}

interface Context {
  readonly env: string;
  readonly file: string;
  readonly appDir: string;
  readonly config: EnvironmentConfig;
  /** Hash of the config text read here: every edit compares against it (nothing edited in between is overwritten). */
  readonly hash: string;
}

/** Thrown for anything that makes a command unable to decide (exit 2). */
class CannotDecide extends Error {}

function loadContext(deps: TrafficDeps, o: EnvOptions): Context {
  const appDir = join(deps.root, 'apps', o.env);
  const file = o.config ? resolve(o.config) : join(appDir, 'environment.yaml');
  if (!existsSync(file)) throw new CannotDecide(`no config for environment '${o.env}': ${file} does not exist (or pass --config <file>)`);
  const { config, hash } = readEnvironmentConfig(file);
  if (config.environment !== o.env) throw new CannotDecide(`${file} describes environment '${config.environment}', not '${o.env}' (--env and --config disagree)`);
  return { env: o.env, file, appDir, config, hash };
}

function envOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--env <env>', 'environment name; its config is apps/<env>/environment.yaml').argParser(parseEnvName).makeOptionMandatory())
    .option('--config <file>', 'use this environment config file instead of apps/<env>/environment.yaml')
    .option('--outputs <file>', "Terraform outputs as JSON ('terraform output -json'); default: run terraform output in apps/<env>/cdktf.out/stacks/<stack>");
}

const pct = (w: Weights) => `blue ${w.blue} % / green ${w.green} %`;
const showEdit = (c: AppliedEdit) => `  ${c.field}: ${c.from === undefined ? '(unset)' : String(c.from)} -> ${c.to === undefined ? '(removed)' : String(c.to)}`;
const rel = (deps: TrafficDeps, file: string) => {
  const r = relative(deps.root, file);
  return r && !r.startsWith('..') ? r : file;
};

/** Finds the synthesized HTTPS listener (port 443) of the app, for the plan preview; undefined when not synthesized. */
function synthesizedListener(appDir: string): { address: string; file: string } | undefined {
  const stacks = join(appDir, 'cdktf.out', 'stacks');
  if (!existsSync(stacks)) return undefined;
  for (const name of readdirSync(stacks)) {
    const file = join(stacks, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, { port?: number }>> };
      for (const [id, l] of Object.entries(json.resource?.aws_lb_listener ?? {})) if (l.port === 443) return { address: `aws_lb_listener.${id}`, file };
    } catch {
      // an unreadable synth output only means no preview
    }
  }
  return undefined;
}

// ---------- the commands ----------

/** Registers `bluegreen traffic status|shift|watch|rollback|promote`. */
export function registerTrafficCommands(program: Command, overrides: Partial<TrafficDeps> = {}): void {
  const deps: TrafficDeps = { ...defaultDeps(), ...overrides };
  const out = (line = '') => deps.stdout.write(`${line}\n`);
  const err = (line: string) => deps.stderr.write(`${line}\n`);

  /** Runs an action; maps errors to exit codes (bad config / outputs / AWS errors: 2) so nothing fails open. */
  const action =
    <T extends unknown[]>(name: string, fn: (...args: T) => Promise<number>) =>
    async (...args: T) => {
      let code: number;
      try {
        code = await fn(...args);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (e instanceof TrafficRuleError) {
          err(`bluegreen traffic ${name}: refused: ${message}`);
          code = EXIT.FINDING;
        } else {
          const kind = e instanceof ConfigValidationError || e instanceof ConfigConflictError || e instanceof ConfigLockedError || e instanceof ConfigReadOnlyError || e instanceof OutputsError || e instanceof CannotDecide || e instanceof ValidatorError ? '' : 'AWS or I/O error: ';
          err(`bluegreen traffic ${name}: ${kind}${message}`);
          code = EXIT.ERROR;
        }
      }
      deps.setExitCode(code);
    };

  const traffic = program
    .command('traffic')
    .description('Move traffic between blue and green in stages, watch it, roll back, promote (seeds 002/003)')
    .addHelpText('after', EXIT_CODES_HELP);

  // ----- status -----
  envOptions(traffic.command('status'))
    .description('Live colour, weights, images, task counts and database per colour, from the config, the Terraform outputs and ECS')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-live', 'do not call AWS (config and outputs only)')
    .addHelpText('after', `${EXIT_CODES_HELP}\n  (status: 1 when the listener's weights differ from the config: drift)`)
    .action(
      action('status', async (o: EnvOptions & { format: 'text' | 'json'; live: boolean }) => {
        const ctx = loadContext(deps, o);
        const c = ctx.config;
        const notes: string[] = [];
        let outputs: StackOutputs | undefined;
        try {
          outputs = await deps.readOutputs({ outputsFile: o.outputs, appDir: ctx.appDir });
        } catch (e) {
          notes.push(`Terraform outputs unavailable: ${(e as Error).message}`);
        }
        const live: { services?: Awaited<ReturnType<typeof describeServices>>; listener?: Weights } = {};
        if (!o.live) notes.push('live data not requested (--no-live): showing the config only');
        else if (!outputs) notes.push('live data unavailable: no Terraform outputs');
        else {
          const aws = deps.clients(c.region);
          try {
            live.services = await describeServices(aws.ecs, requireOutput(outputs, 'ecs_cluster_name'), [requireOutput(outputs, 'blue_service_name'), requireOutput(outputs, 'green_service_name')]);
          } catch (e) {
            notes.push(`live ECS data unavailable: ${(e as Error).message}`);
          }
          try {
            const lw = await describeListenerWeights(aws.elb, requireOutput(outputs, 'https_listener_arn'));
            live.listener = { blue: lw.weights[requireOutput(outputs, 'blue_target_group_arn')] ?? 0, green: lw.weights[requireOutput(outputs, 'green_target_group_arn')] ?? 0 };
          } catch (e) {
            notes.push(`live listener data unavailable: ${(e as Error).message}`);
          }
        }
        const drift = live.listener !== undefined && (live.listener.blue !== c.traffic.blue || live.listener.green !== c.traffic.green);
        const colours = COLOURS.map((colour) => {
          const svc = live.services?.find((s) => s.serviceName === outputs?.[`${colour}_service_name`]);
          return {
            colour,
            weight: c.traffic[colour],
            listenerWeight: live.listener?.[colour],
            image: c.compute[colour].image,
            desiredCount: c.compute[colour].desiredCount,
            runningCount: svc?.runningCount,
            rolloutState: svc?.rolloutState,
            database: c.compute[colour].database,
            databaseEndpoint: outputs?.[`${c.compute[colour].database}_db_cluster_endpoint`],
          };
        });
        const windowEnd = rollbackWindowEnd(c);
        if (o.format === 'json') {
          out(JSON.stringify({ environment: c.environment, config: rel(deps, ctx.file), live: c.traffic.live, stages: c.traffic.stages, promotedAt: c.traffic.promotedAt, rollbackWindowEndsAt: windowEnd?.toISOString(), drift, colours, dns: c.dns.enabled ? c.dns.weights : undefined, notes }, null, 2));
          return drift ? EXIT.FINDING : EXIT.OK;
        }
        out(`environment ${c.environment} (${rel(deps, ctx.file)})`);
        out(`live colour: ${c.traffic.live}   config weights: ${pct(c.traffic)}${live.listener ? `   listener now: ${pct(live.listener)}` : ''}`);
        for (const r of colours) {
          const tasks = r.runningCount === undefined ? `${r.desiredCount} desired` : `${r.runningCount}/${r.desiredCount} running${r.rolloutState ? ` (${r.rolloutState})` : ''}`;
          out(`  ${r.colour.padEnd(5)} ${String(r.weight).padStart(3)} %  ${r.image}  tasks ${tasks}  database ${r.database}${r.databaseEndpoint ? ` (${r.databaseEndpoint})` : ''}`);
        }
        const candidate = otherColour(c.traffic.live);
        const next = nextStage(c.traffic.stages, c.traffic[candidate]);
        if (next !== undefined) out(`next stage: ${candidate} ${next} %  (bluegreen traffic shift --env ${c.environment} --to ${candidate} --percent ${next})`);
        if (windowEnd) out(`promoted at ${c.traffic.promotedAt}; rollback window until ${windowEnd.toISOString()} (then: bluegreen traffic promote --env ${c.environment} --finalize)`);
        if (c.dns.enabled) out(`dns ${c.dns.recordName}: legacy ${c.dns.weights.legacy} % / aws ${c.dns.weights.aws} %`);
        if (drift) out(`DRIFT: the listener sends ${pct(live.listener as Weights)} but the config says ${pct(c.traffic)} (after a rollback, commit the config; otherwise run bluegreen traffic rollback)`);
        for (const n of notes) out(`note: ${n}`);
        return drift ? EXIT.FINDING : EXIT.OK;
      }),
    );

  // ----- shift -----
  envOptions(traffic.command('shift'))
    .description("Move a stage: gates (schema, target health, alarms), then edit the config weights; the plan changes only the HTTPS listener")
    .addOption(new Option('--to <colour>', 'the colour whose share you set (or, with --dns, ignored)').choices([...COLOURS]))
    .addOption(new Option('--percent <n>', 'the share that colour (with --dns: the AWS side) receives, 0-100').argParser(parsePercent).makeOptionMandatory())
    .option('--force', 'allow a jump that skips configured stages (never skips the task or bounds rules)', false)
    .option('--skip-gates', 'do not run the gates (prints that it did not)', false)
    .addOption(new Option('--blue-url <url>', 'schema gate against the databases directly instead of the validator Lambda (with --green-url)').env('BLUEGREEN_BLUE_URL'))
    .addOption(new Option('--green-url <url>', 'see --blue-url').env('BLUEGREEN_GREEN_URL'))
    .option('--dns', 'move the Route 53 weights (dns.weights legacy/aws) instead of the listener; same stage rules', false)
    .option('--dry-run', 'print what would change, write nothing', false)
    .option('--synth-diff', 'synthesize the environment before and after the edit (offline) and refuse unless only the HTTPS listener changes', false)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      action('shift', async (o: EnvOptions & { to?: Colour; percent: number; force: boolean; skipGates: boolean; blueUrl?: string; greenUrl?: string; dns: boolean; dryRun: boolean; synthDiff: boolean }) => {
        const ctx = loadContext(deps, o);
        const c = ctx.config;
        if (o.dns) return shiftDns(ctx, o);
        if (!o.to) {
          err("bluegreen traffic shift: error: required option '--to <colour>' not specified (blue or green; only --dns goes without it)");
          return EXIT.USAGE;
        }
        const verdict = evaluateShift({
          live: c.traffic.live,
          current: c.traffic,
          stages: c.traffic.stages,
          to: o.to,
          percent: o.percent,
          force: o.force,
          desiredCount: { blue: c.compute.blue.desiredCount, green: c.compute.green.desiredCount },
        });
        if (!verdict.allowed) {
          err(`refused: ${verdict.reason}`);
          return EXIT.FINDING;
        }
        out(`shift ${c.environment}: ${verdict.reason}`);
        if (verdict.direction === 'none') return EXIT.OK;
        if (verdict.forcedPastStages) out(`WARNING: --force skips stage(s) ${verdict.forcedPastStages.join(', ')} %`);
        const receiving = otherColour(c.traffic.live);
        if (verdict.direction === 'rollback') out('gates: not needed (moving traffic toward the live colour)');
        else if (o.skipGates) out('gates: SKIPPED (--skip-gates): schema, target health and alarms were not checked');
        else {
          const outputs = await deps.readOutputs({ outputsFile: o.outputs, appDir: ctx.appDir }).catch((e: Error) => {
            throw new CannotDecide(`gates need the Terraform outputs: ${e.message} (or pass --skip-gates)`);
          });
          const aws = deps.clients(c.region);
          let checker: SchemaChecker;
          if (o.blueUrl || o.greenUrl) {
            if (!o.blueUrl || !o.greenUrl) throw new CannotDecide('--blue-url and --green-url go together');
            if (!deps.urlSchemaChecker) throw new CannotDecide('the direct-URL schema check is not available in this build; use the validator Lambda (omit --blue-url/--green-url)');
            checker = deps.urlSchemaChecker(o.blueUrl, o.greenUrl);
          } else {
            checker = lambdaSchemaChecker(aws.lambda, requireOutput(outputs, 'validator_function_name'));
          }
          const gates: Gate[] = [
            schemaGate(checker),
            targetHealthGate(aws.elb, receiving, requireOutput(outputs, `${receiving}_target_group_arn`), c.compute[receiving].desiredCount),
            alarmsGate(aws.cw, receiving),
          ];
          const r = await runGates(gates, (g) => out(`gate ${g.gate}: ${g.status.toUpperCase()} - ${g.detail}`));
          if (!r.ok) {
            const last = r.results[r.results.length - 1];
            err(`shift stopped: gate ${last.gate} ${last.status === 'fail' ? 'failed' : 'could not run'}; the config was not changed`);
            return last.status === 'fail' ? EXIT.FINDING : EXIT.ERROR;
          }
        }
        const original = readFileSync(ctx.file, 'utf8');
        const edit = editConfigFile(ctx.file, weightEdits(verdict.weights), { dryRun: true });
        if (o.synthDiff) {
          out(`synthesizing ${c.environment} before and after the edit (offline)…`);
          const before = await deps.synthesize({ root: deps.root, env: ctx.env, configText: original });
          const after = await deps.synthesize({ root: deps.root, env: ctx.env, configText: edit.text });
          const changes: (ResourceChange & { stack: string })[] = [];
          for (const stack of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
            for (const ch of diffSynthesized(before[stack] ?? {}, after[stack] ?? {})) changes.push({ ...ch, stack });
          }
          const isHttpsListener = (ch: ResourceChange & { stack: string }) => {
            const [type, name] = ch.address.split('.');
            const r = (before[ch.stack] as { resource?: Record<string, Record<string, { port?: number }>> }).resource?.[type]?.[name];
            return type === 'aws_lb_listener' && r?.port === 443 && ch.action === 'update' && ch.attributes.join() === 'default_action';
          };
          for (const ch of changes) out(`  synth diff: ${ch.action} ${ch.stack}/${ch.address}${ch.attributes.length ? ` (${ch.attributes.join(', ')})` : ''}${isHttpsListener(ch) ? '' : '  <- unexpected'}`);
          const unexpected = changes.filter((ch) => !isHttpsListener(ch));
          if (unexpected.length > 0 || changes.length === 0) {
            err(`shift stopped: a weight change should change exactly the HTTPS listener's default_action, but the synthesized diff ${changes.length === 0 ? 'is empty' : `also changes ${unexpected.map((u) => u.address).join(', ')}`}; the config was not changed`);
            return EXIT.FINDING;
          }
          out('synth diff: only the HTTPS listener changes');
        }
        if (!o.dryRun) editConfigFile(ctx.file, weightEdits(verdict.weights), { expectedHash: ctx.hash, command: `traffic shift --to ${o.to} --percent ${o.percent}` });
        out(`${o.dryRun ? 'would change' : 'changed'} ${rel(deps, ctx.file)}:`);
        for (const ch of edit.changes) out(showEdit(ch));
        const listener = synthesizedListener(ctx.appDir);
        out(`plan: only the HTTPS listener's default action should change${listener ? ` (${listener.address})` : ''}: forward weights ${pct(c.traffic)} -> ${pct(verdict.weights)}`);
        out(`next: commit the config, then npm run synth and review the plan (cd apps/${c.environment} && npx cdktf diff); apply with cdktf deploy`);
        out(`then: bluegreen traffic watch --env ${c.environment} --minutes 15`);
        return EXIT.OK;
      }),
    );

  async function shiftDns(ctx: Context, o: { percent: number; force: boolean; dryRun: boolean }): Promise<number> {
    const d = ctx.config.dns;
    if (!d.enabled) throw new CannotDecide('dns.enabled is false in the config: there are no Route 53 weights to move');
    // Legacy plays the live colour (blue) and the AWS side the candidate (green); the AWS side needs live tasks.
    const verdict = evaluateShift({
      live: 'blue',
      current: { blue: d.weights.legacy, green: d.weights.aws },
      stages: d.stages,
      to: 'green',
      percent: o.percent,
      force: o.force,
      desiredCount: { blue: 1, green: ctx.config.compute[ctx.config.traffic.live].desiredCount },
    });
    const say = (s: string) => s.replace(/\bblue\/green\b/g, 'legacy/aws').replace(/\bgreen\b/g, 'aws').replace(/\bblue\b/g, 'legacy');
    if (!verdict.allowed) {
      err(`refused: ${say(verdict.reason)}`);
      return EXIT.FINDING;
    }
    out(`dns shift ${ctx.config.environment} (${d.recordName}): ${say(verdict.reason)}`);
    if (verdict.direction === 'none') return EXIT.OK;
    const edit = editConfigFile(ctx.file, dnsWeightEdits({ legacy: verdict.weights.blue, aws: verdict.weights.green }), { dryRun: o.dryRun, expectedHash: ctx.hash, command: `traffic shift --dns --percent ${o.percent}` });
    out(`${o.dryRun ? 'would change' : 'changed'} ${rel(deps, ctx.file)}:`);
    for (const ch of edit.changes) out(showEdit(ch));
    out(`plan: only the two weighted aws_route53_record resources of ${d.recordName} should change; clients follow within the TTL (${d.ttlSeconds} s)`);
    return EXIT.OK;
  }

  // ----- watch -----
  envOptions(traffic.command('watch'))
    .description('Poll CloudWatch for the colour receiving traffic and apply the rollback decision matrix (5xx rate, p95, unhealthy hosts, alarms)')
    .addOption(new Option('--minutes <n>', 'how long to watch (0: one poll)').argParser(parseNonNegative).makeOptionMandatory())
    .option('--interval <seconds>', 'seconds between polls', parseNonNegative, 30)
    .option('--window <minutes>', 'metrics window each poll looks back over', parseNonNegative, 5)
    .addOption(new Option('--colour <colour>', 'watch this colour instead of the one receiving traffic').choices([...COLOURS]))
    .option('--data-integrity-issue <text>', 'report a data integrity issue (forces a rollback decision)')
    .option('--security-incident <text>', 'report a security incident (forces a rollback decision)')
    .addHelpText('after', `${EXIT_CODES_HELP}\n  (watch: 0 ended on continue, 1 rollback recommended (stops at once), 2 ended on hold or could not read metrics)`)
    .action(
      action(
        'watch',
        async (o: EnvOptions & { minutes: number; interval: number; window: number; colour?: Colour; dataIntegrityIssue?: string; securityIncident?: string }) => {
          const ctx = loadContext(deps, o);
          const c = ctx.config;
          const candidate = otherColour(c.traffic.live);
          const colour = o.colour ?? (c.traffic[candidate] > 0 ? candidate : c.traffic.live);
          const outputs = await deps.readOutputs({ outputsFile: o.outputs, appDir: ctx.appDir }).catch((e: Error) => {
            throw new CannotDecide(`watch needs the Terraform outputs: ${e.message}`);
          });
          const albArnSuffix = requireOutput(outputs, 'alb_arn_suffix');
          const targetGroupArnSuffix = requireOutput(outputs, `${colour}_target_group_arn_suffix`);
          const aws = deps.clients(c.region);
          const t = c.monitoring.thresholds;
          const thresholds = { http5xxRatePercent: t.http5xxRatePercent, p95LatencySeconds: t.p95LatencySeconds, unhealthyHosts: t.unhealthyHosts };
          const tty = deps.stdout.isTTY === true;
          out(`watching ${colour} (${c.traffic[colour]} % of traffic) in ${c.environment} for ${o.minutes} min: rollback when 5xx > ${t.http5xxRatePercent} %, p95 > ${t.p95LatencySeconds} s, unhealthy > ${t.unhealthyHosts}, or any alarm-${colour}-* in ALARM`);
          const started = deps.now().getTime();
          let last: DecisionResult | undefined;
          let polls = 0;
          let failures = 0;
          for (;;) {
            polls++;
            const end = deps.now();
            let result: DecisionResult;
            let line: string;
            try {
              const [signals, alarms] = await Promise.all([
                getColourSignals(aws.cw, { albArnSuffix, targetGroupArnSuffix, start: new Date(end.getTime() - o.window * 60_000), end }),
                describeAlarmsByPrefix(aws.cw, `alarm-${colour}-`),
              ]);
              // No alarm found under the prefix means their state is unknown (monitoring not deployed?): hold, not continue.
              const alarmsInAlarm = alarms.length > 0 ? alarms.filter((a) => a.state === 'ALARM').map((a) => a.name) : undefined;
              result = decide({ ...signals, alarmsInAlarm }, thresholds, {
                dataIntegrityIssue: o.dataIntegrityIssue,
                securityIncident: o.securityIncident,
              });
              const rate = result.http5xxRatePercent === undefined ? 'n/a' : `${Number(result.http5xxRatePercent.toFixed(3))} %`;
              line = `${end.toISOString()} ${colour}: requests ${signals.requests ?? 'n/a'}, 5xx ${rate}, p95 ${signals.p95Seconds === undefined ? 'n/a' : `${Number(signals.p95Seconds.toFixed(3))} s`}, unhealthy ${signals.unhealthyHosts ?? 'n/a'}, alarms ${alarms.filter((a) => a.state === 'ALARM').length}/${alarms.length} -> ${result.decision.toUpperCase()}`;
            } catch (e) {
              failures++;
              result = { decision: 'hold', reasons: [`CloudWatch unreachable: ${(e as Error).message}`] };
              line = `${end.toISOString()} ${colour}: could not read metrics (${(e as Error).message}) -> HOLD`;
            }
            const changed = last?.decision !== result.decision || last.reasons.join() !== result.reasons.join();
            if (tty) deps.stdout.write(`\r\x1b[2K${line}`);
            else out(line);
            if (changed && result.reasons.length) {
              if (tty) deps.stdout.write('\n');
              for (const r of result.reasons) out(`  - ${r}`);
            }
            last = result;
            if (result.decision === 'rollback') {
              if (tty) deps.stdout.write('\n');
              out(`ROLLBACK RECOMMENDED for ${colour}: ${result.reasons.join('; ')}`);
              out(`run: bluegreen traffic rollback --env ${c.environment}`);
              return EXIT.FINDING;
            }
            const elapsed = deps.now().getTime() - started;
            if (elapsed + o.interval * 1000 > o.minutes * 60_000) break;
            await deps.sleep(o.interval * 1000);
          }
          if (tty) deps.stdout.write('\n');
          if (failures === polls) {
            out(`could not read CloudWatch in any of ${polls} poll(s): no decision`);
            return EXIT.ERROR;
          }
          if (last?.decision === 'continue') {
            const next = nextStage(c.traffic.stages, c.traffic[candidate]);
            out(`healthy after ${polls} poll(s): continue${next !== undefined && colour === candidate ? ` (next stage: bluegreen traffic shift --env ${c.environment} --to ${candidate} --percent ${next})` : ''}`);
            return EXIT.OK;
          }
          out(`ended on HOLD after ${polls} poll(s): do not advance yet (${last?.reasons.join('; ')})`);
          return EXIT.ERROR;
        },
      ),
    );

  // ----- rollback -----
  envOptions(traffic.command('rollback'))
    .description('Emergency path: send 100 % to the live colour (or, inside a promotion\'s rollback window, the previous one) now through the ELBv2 API (seconds, no apply), then write the same weights into the config')
    .option('--config-only', 'only edit the config (no AWS call); the next apply moves the listener', false)
    .option('--dns', 'also set the Route 53 weights back to legacy 100 % in the config (applied by the next deploy)', false)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      action('rollback', async (o: EnvOptions & { configOnly: boolean; dns: boolean }) => {
        // The last-resort path reads only what it edits: it works while unrelated parts of the config are invalid.
        if (o.configOnly) {
          const file = o.config ? resolve(o.config) : join(deps.root, 'apps', o.env, 'environment.yaml');
          if (!existsSync(file)) throw new CannotDecide(`no config for environment '${o.env}': ${file} does not exist (or pass --config <file>)`);
          const r = rollbackEnvironmentConfig({ path: file, dns: o.dns, expectEnvironment: o.env, command: 'traffic rollback --config-only', now: deps.now() });
          if (r.undoPromotion) out(`${r.live} was promoted at ${r.promotedAt}; rolling back to the previous colour ${r.target} (undoing the promotion)`);
          out(`changed ${rel(deps, file)}:`);
          for (const ch of r.changes) out(showEdit(ch));
          out(`next: commit the config and apply (cd apps/${o.env} && npx cdktf deploy) to move the listener`);
          return EXIT.OK;
        }
        const ctx = loadContext(deps, o);
        const c = ctx.config;
        // Roll back to the last known good colour: the live one, or, while a promotion's rollback window is open
        // (promotedAt set and the old colour still has tasks), the colour that was live before the promotion.
        const undoPromotion = c.traffic.promotedAt !== undefined && c.compute[otherColour(c.traffic.live)].desiredCount > 0;
        const target: Colour = undoPromotion ? otherColour(c.traffic.live) : c.traffic.live;
        const weights: Weights = target === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
        if (undoPromotion) out(`${c.traffic.live} was promoted at ${c.traffic.promotedAt}; rolling back to the previous colour ${target} (undoing the promotion)`);
        if (!o.configOnly) {
          const outputs = await deps.readOutputs({ outputsFile: o.outputs, appDir: ctx.appDir }).catch((e: Error) => {
            throw new CannotDecide(`rollback through the API needs the Terraform outputs: ${e.message} (or --config-only and apply)`);
          });
          const targets = { listenerArn: requireOutput(outputs, 'https_listener_arn'), blueTargetGroupArn: requireOutput(outputs, 'blue_target_group_arn'), greenTargetGroupArn: requireOutput(outputs, 'green_target_group_arn') };
          await setListenerWeights(deps.clients(c.region).elb, targets, weights, c.traffic.stickinessSeconds);
          out(`listener ${targets.listenerArn}: forward set to ${pct(weights)} (ModifyListener, effective now)`);
        }
        let edit;
        try {
          // Pre-empts any shift: decided from the file as it is under the lock, written without compare-and-swap.
          edit = rollbackEnvironmentConfig({ path: ctx.file, dns: o.dns, expectEnvironment: o.env, command: 'traffic rollback', now: deps.now() });
        } catch (e) {
          if (o.configOnly) throw e;
          err(`the listener WAS rolled back, but writing ${rel(deps, ctx.file)} failed: ${(e as Error).message}`);
          err(`set traffic.blue: ${weights.blue} and traffic.green: ${weights.green} by hand before the next apply, or it will undo the rollback`);
          return EXIT.ERROR;
        }
        if (edit.changes.length === 0) out(`${rel(deps, ctx.file)} already says ${pct(weights)}: no config change`);
        else {
          out(`changed ${rel(deps, ctx.file)}:`);
          for (const ch of edit.changes) out(showEdit(ch));
        }
        out(o.configOnly ? `next: commit the config and apply (cd apps/${c.environment} && npx cdktf deploy) to move the listener` : 'next: commit the config so the next plan shows no drift; investigate before shifting again');
        return EXIT.OK;
      }),
    );

  // ----- promote -----
  envOptions(traffic.command('promote'))
    .description('After 100 %: mark the new colour live (records traffic.promotedAt); with --finalize, after the rollback window, scale the old colour to zero')
    .option('--finalize', 'scale the old colour to zero once promotedAt + traffic.rollbackWindowMinutes has passed', false)
    .option('--force', 'with --finalize: do it even inside the rollback window', false)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      action('promote', async (o: EnvOptions & { finalize: boolean; force: boolean }) => {
        const ctx = loadContext(deps, o);
        const c = ctx.config;
        const now = deps.now();
        if (o.finalize) {
          const f = finalizeEdits(c, now, o.force);
          const edit = editConfigFile(ctx.file, f.edits, { expectedHash: ctx.hash, command: 'traffic promote --finalize' });
          out(`finalized: ${f.old} scales to zero (rollback window ended ${rollbackWindowEnd(c)?.toISOString()}${o.force ? ', forced' : ''})`);
          for (const ch of edit.changes) out(showEdit(ch));
          out(`next: commit and apply; the plan changes the ${f.old} ECS service's desired count (and its autoscaling bounds)`);
          return EXIT.OK;
        }
        const p = promoteEdits(c, now);
        const edit = editConfigFile(ctx.file, p.edits, { expectedHash: ctx.hash, command: 'traffic promote' });
        const end = rollbackWindowEnd(edit.config);
        out(`promoted: ${p.to} is live, ${p.from} keeps ${c.compute[p.from].desiredCount} task(s) for the rollback window (until ${end?.toISOString()})`);
        for (const ch of edit.changes) out(showEdit(ch));
        out(`rollback inside the window: bluegreen traffic rollback --env ${c.environment} (sends 100 % back to ${p.from} and undoes the promotion)`);
        out(`after the window: bluegreen traffic promote --env ${c.environment} --finalize`);
        return EXIT.OK;
      }),
    );
}
