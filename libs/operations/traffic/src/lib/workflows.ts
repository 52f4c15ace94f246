/**
 * `bluegreen traffic status|shift|watch|rollback|promote` as library functions `(options, ports, io) -> result`: the
 * command line parses, calls one of these, and maps `outcome` to its exit code (ok 0, finding 1, unknown 2). Every
 * line meant for the operator goes through `io.notify`; results carry the same facts as data (for `--format json`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { defaultServiceName, resolveService, readEnvironmentConfig, serviceNames, type EnvironmentConfig, type ResolvedService, type ServiceConfig } from '@bluegreen/config';
import { COLOURS, otherColour, serviceOf, type Colour, type ServiceContract, type StackContract } from '@bluegreen/contract';
import { forwardCdcLatencyGate } from '@bluegreen/cutover';
import { dnsWeightEdits, editConfigFile, finalizeEdits, planRollback, promoteEdits, rollbackEnvironmentConfig, rollbackWindowEnd, weightEdits, type AppliedEdit } from './config-edit';
import { decide, type DecisionResult } from './decision';
import { alarmsGate, runGates, schemaGate, targetHealthGate, validatorSchemaChecker, type Gate, type GateResult, type SchemaChecker } from './gates';
import type { ForwardTargets, ServiceStatus, StackOutputsRead, TrafficPorts } from './ports';
import { evaluateShift, nextStage, type ShiftVerdict, type Weights } from './stages';
import { diffSynthesized, type ResourceChange } from './synth-diff';

/** ok: done / healthy / no drift (exit 0). finding: refused, a gate failed, drift, rollback recommended (exit 1). unknown: could not decide (exit 2). */
export type Outcome = 'ok' | 'finding' | 'unknown';

/** A line for the operator. `progress` lines may be redrawn in place on a terminal (watch). */
export interface TrafficMessage {
  readonly level: 'info' | 'warn' | 'error' | 'progress';
  readonly text: string;
}

/** The one output sink of the workflows. */
export interface TrafficIo {
  notify(message: TrafficMessage): void;
}

/** Thrown when a workflow cannot start (missing config, environment mismatch): could not decide, exit 2. */
export class TrafficInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficInputError';
  }
}

/** A field that was not read says so: never a default in its place. */
export type Known<T> = T | 'unknown';

export interface EnvironmentOptions {
  /** The environment name (`--env`). */
  readonly env: string;
  /**
   * The service (`--service`). Required when the environment has more than one: a ServiceSelectionError (a usage
   * error naming the services) otherwise. `status` without it shows every service.
   */
  readonly service?: string;
  /** Its config file (apps/<env>/environment.yaml, or `--config`). */
  readonly file: string;
  /** How the file is named in messages (relative to the workspace root). @default file */
  readonly displayFile?: string;
}

/** Reads and validates the environment's config; `hash` is what every later edit compares against. */
export function readEnvironment(o: EnvironmentOptions): { config: EnvironmentConfig; hash: string } {
  if (!existsSync(o.file)) throw new TrafficInputError(`no config for environment '${o.env}': ${o.file} does not exist (or pass --config <file>)`);
  const { config, hash } = readEnvironmentConfig(o.file);
  if (config.environment !== o.env) throw new TrafficInputError(`${o.file} describes environment '${config.environment}', not '${o.env}' (--env and --config disagree)`);
  return { config, hash };
}

export const loadEnvironment = (o: EnvironmentOptions): EnvironmentConfig => readEnvironment(o).config;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const pct = (w: Weights) => `blue ${w.blue} % / green ${w.green} %`;
const showEdit = (c: AppliedEdit) => `  ${c.field}: ${c.from === undefined ? '(unset)' : String(c.from)} -> ${c.to === undefined ? '(removed)' : String(c.to)}`;

/** The environment's default service (the listeners' default action). */
export function defaultServiceOf(contract: StackContract): ServiceContract {
  return serviceOf(contract, contract.defaultService);
}

/** `--service <name>` as the commands print it: only when the environment has several services. */
export const serviceFlag = (c: EnvironmentConfig, name: string): string => (serviceNames(c).length > 1 ? ` --service ${name}` : '');

/** `<env>` or `<env> service <name>`: how messages name what a command acts on. */
const target = (c: EnvironmentConfig, name: string): string => (serviceNames(c).length > 1 ? `${c.environment} service ${name}` : c.environment);

/** The weighted forward of a service, as the listener port addresses it. */
export function forwardTargetsOf(service: ServiceContract): ForwardTargets {
  return { route: service.route, targetGroupArns: { blue: service.targetGroups.blue.arn, green: service.targetGroups.green.arn } };
}

// ---------------------------------------------------------------------------------------------------------------
// status

export interface StatusOptions extends EnvironmentOptions {
  /** Read nothing live (config only); the result says so. @default false */
  readonly offline?: boolean;
}

export interface ColourStatus {
  readonly colour: Colour;
  /** The config's weight. */
  readonly weight: number;
  /** What the listener forwards now. */
  readonly listenerWeight: Known<number>;
  readonly image: string;
  readonly desiredCount: number;
  readonly runningCount: Known<number>;
  readonly rolloutState: Known<string>;
  /** The colour's target group: healthy and unhealthy targets. */
  readonly targets: Known<{ readonly healthy: number; readonly unhealthy: number; readonly total: number }>;
  /** The colour's alarms (exact names from the stack contract) and which of them are in ALARM. */
  readonly alarms: Known<{ readonly total: number; readonly inAlarm: readonly string[] }>;
  readonly database: 'blue' | 'green';
  readonly databaseEndpoint: Known<string>;
}

/** One service's row group of the status table. */
export interface ServiceStatusRow {
  readonly service: string;
  /** `default action`, or the rule's path patterns and host headers. */
  readonly route: string;
  readonly live: Colour;
  readonly stages: readonly number[];
  readonly promotedAt?: string;
  readonly rollbackWindowEndsAt?: string;
  /** True/false only after this service's forward was read. */
  readonly drift: Known<boolean>;
  readonly colours: readonly ColourStatus[];
}

export interface StatusResult {
  readonly outcome: Outcome;
  readonly environment: string;
  readonly config: string;
  /** True when nothing live was asked for (`--offline`). */
  readonly offline: boolean;
  /** Where the stack outputs came from, or `unknown` (not read). */
  readonly outputsSource: Known<string>;
  /** Any service's listener differs from its config (`unknown` when a listener could not be read). */
  readonly drift: Known<boolean>;
  /** Every service (or the one `--service` names), in config order. */
  readonly services: readonly ServiceStatusRow[];
  readonly dns?: { readonly legacy: number; readonly aws: number };
  readonly notes: readonly string[];
}

const routeText = (s: ServiceConfig): string => (s.routing.default ? 'default action' : [...s.routing.pathPatterns, ...s.routing.hostHeaders.map((h) => `host ${h}`)].join(', '));

/** One service's live state: its forward's weights, its ECS services, target health and alarms; what was not read is unknown. */
async function serviceStatusRow(
  c: EnvironmentConfig,
  { name, service: s }: ResolvedService,
  outputs: StackOutputsRead | undefined,
  ports: Pick<TrafficPorts, 'listener' | 'services' | 'targetHealth' | 'alarms'>,
  notes: string[],
): Promise<{ row: ServiceStatusRow; otherTargets: readonly string[]; listener: Known<Weights> }> {
  let listener: Known<Weights> = 'unknown';
  let otherTargets: readonly string[] = [];
  let ecs: ServiceStatus[] | undefined;
  const health: Partial<Record<Colour, { healthy: number; unhealthy: number; total: number }>> = {};
  const alarms: Partial<Record<Colour, { total: number; inAlarm: string[] }>> = {};
  let svc: ServiceContract | undefined;
  if (outputs) {
    try {
      svc = serviceOf(outputs.contract, name);
    } catch (e) {
      notes.push(`${name}: ${errorText(e)} (not deployed yet?)`);
    }
  }
  if (svc) {
    const contract = svc;
    const [l, e, ...rest] = await Promise.allSettled([
      ports.listener.readWeights(forwardTargetsOf(contract)),
      ports.services.serviceStatus(outputs?.contract.ecsClusterName ?? '', [contract.ecsServices.blue, contract.ecsServices.green]),
      ...COLOURS.map((colour) => ports.targetHealth.targetHealth(contract.targetGroups[colour].arn)),
      ...COLOURS.map((colour) => (contract.alarms[colour].length > 0 ? ports.alarms.alarmStates(contract.alarms[colour]) : Promise.reject(new Error(`the stack contract names no alarm for ${colour}`)))),
    ]);
    if (l.status === 'fulfilled') {
      listener = l.value.weights;
      otherTargets = l.value.otherTargets;
    } else notes.push(`${name}: listener weights could not be read: ${errorText(l.reason)}`);
    if (e.status === 'fulfilled') ecs = e.value;
    else notes.push(`${name}: ECS services could not be read: ${errorText(e.reason)}`);
    COLOURS.forEach((colour, i) => {
      const h = rest[i] as PromiseSettledResult<{ healthy: number; unhealthy: number; total: number }>;
      if (h.status === 'fulfilled') health[colour] = { healthy: h.value.healthy, unhealthy: h.value.unhealthy, total: h.value.total };
      else notes.push(`${name} ${colour}: target health could not be read: ${errorText(h.reason)}`);
      const a = rest[COLOURS.length + i] as PromiseSettledResult<{ name: string; state: string }[]>;
      const names = contract.alarms[colour];
      if (a.status === 'fulfilled') {
        const missing = names.filter((n) => !a.value.some((x) => x.name === n));
        if (missing.length > 0) notes.push(`${name} ${colour}: CloudWatch has no alarm ${missing.join(', ')}`);
        else alarms[colour] = { total: names.length, inAlarm: a.value.filter((x) => x.state === 'ALARM').map((x) => x.name) };
      } else notes.push(`${name} ${colour}: alarm states could not be read: ${errorText(a.reason)}`);
    });
  }
  const drift: Known<boolean> = listener === 'unknown' ? 'unknown' : listener.blue !== s.traffic.blue || listener.green !== s.traffic.green || otherTargets.length > 0;
  const colours = COLOURS.map((colour): ColourStatus => {
    const x = svc && ecs?.find((e) => e.serviceName === svc.ecsServices[colour]);
    const db = s[colour].database;
    return {
      colour,
      weight: s.traffic[colour],
      listenerWeight: listener === 'unknown' ? 'unknown' : listener[colour],
      image: s[colour].image,
      desiredCount: s[colour].desiredCount,
      runningCount: x ? x.runningCount : 'unknown',
      rolloutState: x ? (x.rolloutState ?? (x.status === 'MISSING' ? 'MISSING' : 'unknown')) : 'unknown',
      targets: health[colour] ?? 'unknown',
      alarms: alarms[colour] ?? 'unknown',
      database: db,
      databaseEndpoint: outputs?.contract.databases[db]?.endpoint ?? 'unknown',
    };
  });
  const windowEnd = rollbackWindowEnd(c, name);
  return {
    listener,
    otherTargets,
    row: {
      service: name,
      route: routeText(s),
      live: s.traffic.live,
      stages: s.traffic.stages,
      ...(s.traffic.promotedAt ? { promotedAt: s.traffic.promotedAt } : {}),
      ...(windowEnd ? { rollbackWindowEndsAt: windowEnd.toISOString() } : {}),
      drift,
      colours,
    },
  };
}

/**
 * Config, stack outputs, and per service its listener forward, ECS services, target health and alarms: what is live
 * now, every service in one table (or the one `--service` names). Exit 2 (`unknown`) when a listener could not be read.
 */
export async function trafficStatus(o: StatusOptions, ports: Pick<TrafficPorts, 'outputs' | 'listener' | 'services' | 'targetHealth' | 'alarms'>, io: TrafficIo): Promise<StatusResult> {
  const c = loadEnvironment(o);
  const selected = o.service !== undefined ? [resolveService(c, o.service)] : serviceNames(c).map((name) => resolveService(c, name));
  const notes: string[] = [];
  let outputs: StackOutputsRead | undefined;
  if (o.offline) notes.push('offline (--offline): nothing live was read; listener weights, tasks, target health, alarms and endpoints are unknown');
  else {
    try {
      outputs = await ports.outputs.read();
    } catch (e) {
      notes.push(`stack outputs could not be read: ${errorText(e)}`);
    }
  }
  const rows = await Promise.all(selected.map((svc) => serviceStatusRow(c, svc, outputs, ports, notes)));
  const drifts = rows.map((r) => r.row.drift);
  const drift: Known<boolean> = drifts.some((d) => d === true) ? true : drifts.some((d) => d === 'unknown') ? 'unknown' : false;
  const outcome: Outcome = o.offline ? 'ok' : drift === 'unknown' ? 'unknown' : drift ? 'finding' : 'ok';
  const result: StatusResult = {
    outcome,
    environment: c.environment,
    config: o.displayFile ?? o.file,
    offline: o.offline === true,
    outputsSource: outputs?.source ?? 'unknown',
    drift,
    services: rows.map((r) => r.row),
    ...(c.dns.enabled ? { dns: c.dns.weights } : {}),
    notes,
  };
  for (const line of formatStatus(result, c, rows)) io.notify({ level: 'info', text: line });
  return result;
}

/** Columns padded to their widest cell (a plain-text table). */
function table(header: readonly string[], body: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((x, i) => (i === cells.length - 1 ? x : x.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)];
}

function formatStatus(r: StatusResult, c: EnvironmentConfig, rows: readonly { row: ServiceStatusRow; otherTargets: readonly string[]; listener: Known<Weights> }[]): string[] {
  const lines: string[] = [];
  const k = <T>(v: Known<T>, f: (x: T) => string) => (v === 'unknown' ? 'unknown' : f(v));
  lines.push(`environment ${r.environment} (${r.config})${r.offline ? '  OFFLINE: config only' : ''}`);
  lines.push(`outputs: ${r.outputsSource === 'unknown' ? (r.offline ? 'not read (--offline)' : 'unknown (not read)') : r.outputsSource}`);
  const body: string[][] = [];
  for (const { row } of rows) {
    row.colours.forEach((x, i) => {
      const tasks = x.runningCount === 'unknown' ? `unknown/${x.desiredCount}` : `${x.runningCount}/${x.desiredCount}${x.rolloutState !== 'unknown' ? ` ${x.rolloutState}` : ''}`;
      body.push([
        i === 0 ? row.service : '',
        i === 0 ? row.route : '',
        x.colour === row.live ? `${x.colour} (live)` : x.colour,
        `${x.weight} %`,
        k(x.listenerWeight, (w) => `${w} %`),
        tasks,
        k(x.targets, (t) => `${t.healthy}/${t.total} healthy${t.unhealthy > 0 ? `, ${t.unhealthy} UNHEALTHY` : ''}`),
        k(x.alarms, (a) => (a.inAlarm.length > 0 ? `${a.inAlarm.length}/${a.total} IN ALARM` : `0/${a.total} in alarm`)),
        `${x.database} (${x.databaseEndpoint})`,
        x.image,
      ]);
    });
  }
  lines.push(...table(['SERVICE', 'ROUTE', 'COLOUR', 'CONFIG', 'LISTENER', 'TASKS', 'TARGETS', 'ALARMS', 'DATABASE', 'IMAGE'], body));
  for (const { row, otherTargets, listener } of rows) {
    const s = c.services[row.service];
    const flag = serviceFlag(c, row.service);
    for (const x of row.colours) if (x.alarms !== 'unknown' && x.alarms.inAlarm.length > 0) lines.push(`${row.service} ${x.colour}: in ALARM: ${x.alarms.inAlarm.join(', ')}`);
    const candidate = otherColour(row.live);
    const next = nextStage(row.stages, s.traffic[candidate]);
    if (next !== undefined) lines.push(`${row.service}: next stage ${candidate} ${next} %  (bluegreen traffic shift --env ${c.environment}${flag} --to ${candidate} --percent ${next})`);
    if (row.rollbackWindowEndsAt) lines.push(`${row.service}: promoted at ${row.promotedAt}; rollback window until ${row.rollbackWindowEndsAt} (then: bluegreen traffic promote --env ${c.environment}${flag} --finalize)`);
    if (row.drift === true) {
      const now = listener === 'unknown' ? 'unknown' : pct(listener);
      lines.push(`${row.service}: DRIFT: the listener sends ${now}${otherTargets.length ? ` (and to ${otherTargets.join(', ')})` : ''} but the config says ${pct(s.traffic)} (after a rollback, commit the config; otherwise run bluegreen traffic rollback --env ${c.environment}${flag})`);
    }
  }
  if (r.dns) lines.push(`dns ${c.dns.recordName}: legacy ${r.dns.legacy} % / aws ${r.dns.aws} %`);
  if (r.drift === 'unknown' && !r.offline) lines.push('drift: UNKNOWN: a listener was not read, so nothing is confirmed (exit 2)');
  else if (r.drift === false) lines.push(`drift: none (the listener forwards what the config says${rows.length > 1 ? ', for every service' : ''})`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// shift

export interface ShiftOptions extends EnvironmentOptions {
  /** The colour whose share is set (not with `dns`). */
  readonly to?: Colour;
  readonly percent: number;
  /** Allow a jump past configured stages. @default false */
  readonly force?: boolean;
  /** Run no gate (the output says so). @default false */
  readonly skipGates?: boolean;
  /** Move the Route 53 weights instead of the listener. @default false */
  readonly dns?: boolean;
  /** Write nothing. @default false */
  readonly dryRun?: boolean;
  /**
   * Synthesize before and after and refuse unless only the service's forward changes: the HTTPS listener's default
   * action for the default service, the service's HTTPS listener rule for any other (needs `synthesize`). @default false
   */
  readonly synthDiff?: boolean;
  /** The schema gate against these databases instead of the validator Lambda. */
  readonly schemaChecker?: SchemaChecker;
  /** Forward CDC latency accepted by the migration gate. @default - the stack contract's threshold */
  readonly maxCdcLatencySeconds?: number;
}

export interface ShiftDeps {
  /** Synthesizes the environment with a config text; each stack's Terraform JSON (for `synthDiff`). */
  readonly synthesize?: (configText: string) => Promise<Record<string, unknown>>;
  /** The synthesized HTTPS listener's address, for the plan preview; undefined when not synthesized. */
  readonly synthesizedListener?: () => string | undefined;
}

export interface ShiftResult {
  readonly outcome: Outcome;
  readonly verdict?: ShiftVerdict;
  /** `skipped` (--skip-gates), `not needed` (toward the live colour), or each gate's result in order. */
  readonly gates: 'skipped' | 'not needed' | 'not run' | readonly GateResult[];
  readonly outputsSource?: string;
  readonly changes: readonly AppliedEdit[];
  /** True when the config file was written. */
  readonly written: boolean;
}

/**
 * The gates of a shift of one service toward `receiving`, in order: that service's schema (as its role), its target
 * health, its alarms, and the migration's CDC latency. No other service's schema or alarms hold it up.
 */
export function shiftGates(
  contract: StackContract,
  config: EnvironmentConfig,
  service: string,
  receiving: Colour,
  ports: Pick<TrafficPorts, 'validator' | 'targetHealth' | 'alarms' | 'dms'>,
  o: Pick<ShiftOptions, 'schemaChecker' | 'maxCdcLatencySeconds'> = {},
): Gate[] {
  const s = resolveService(config, service).service;
  const svc = serviceOf(contract, service);
  let checker = o.schemaChecker;
  if (!checker) {
    if (!contract.validatorFunctionName) {
      checker = { describe: 'validator Lambda', check: () => Promise.reject(new Error('the stack contract has no validatorFunctionName (is the validator deployed?); or pass --blue-url/--green-url')) };
    } else checker = validatorSchemaChecker(ports.validator, contract.validatorFunctionName);
  }
  const scope = { service, schemas: [s.databaseSchema], ...(s.databaseRole ? { appRole: s.databaseRole } : {}) };
  const gates: Gate[] = [schemaGate(checker, scope), targetHealthGate(ports.targetHealth, receiving, svc.targetGroups[receiving].arn, s[receiving].desiredCount), alarmsGate(ports.alarms, receiving, svc.alarms[receiving])];
  if (contract.migration) {
    if (ports.dms) {
      const cdc = forwardCdcLatencyGate(contract.migration, ports.dms, o.maxCdcLatencySeconds);
      if (cdc) gates.push(cdc);
    } else gates.push({ name: 'migration:cdc-latency', run: async () => ({ status: 'error', detail: 'the stack has a database migration but no DMS access was given: cannot confirm the new database is caught up' }) });
  }
  return gates;
}

/**
 * One stage of one service: stage rules, gates (its schema, target health, alarms; CDC latency), then its weights in
 * the config (`services.<name>.traffic`). Nothing of another service changes.
 */
export async function trafficShift(o: ShiftOptions, ports: Pick<TrafficPorts, 'outputs' | 'validator' | 'targetHealth' | 'alarms' | 'dms'>, io: TrafficIo, deps: ShiftDeps = {}): Promise<ShiftResult> {
  const { config: c, hash } = readEnvironment(o);
  const say = (text: string, level: TrafficMessage['level'] = 'info') => io.notify({ level, text });
  const file = o.displayFile ?? o.file;
  if (o.dns) return shiftDns(o, c, hash, io);
  if (!o.to) throw new TrafficInputError("--to <colour> is required (blue or green; only --dns goes without it)");
  const { name, service: s } = resolveService(c, o.service);
  const flag = serviceFlag(c, name);
  const t = s.traffic;
  const verdict = evaluateShift({ live: t.live, current: t, stages: t.stages, to: o.to, percent: o.percent, force: o.force, desiredCount: { blue: s.blue.desiredCount, green: s.green.desiredCount } });
  if (!verdict.allowed) {
    say(`refused: ${verdict.reason}`, 'error');
    return { outcome: 'finding', verdict, gates: 'not run', changes: [], written: false };
  }
  say(`shift ${target(c, name)}: ${verdict.reason}`);
  if (verdict.direction === 'none') return { outcome: 'ok', verdict, gates: 'not needed', changes: [], written: false };
  if (verdict.forcedPastStages) say(`WARNING: --force skips stage(s) ${verdict.forcedPastStages.join(', ')} %`, 'warn');
  const receiving = otherColour(t.live);
  let gates: ShiftResult['gates'];
  let outputsSource: string | undefined;
  if (verdict.direction === 'rollback') {
    say('gates: not needed (moving traffic toward the live colour)');
    gates = 'not needed';
  } else if (o.skipGates) {
    say('gates: SKIPPED (--skip-gates): schema, target health, alarms and CDC latency were not checked', 'warn');
    gates = 'skipped';
  } else {
    let outputs: StackOutputsRead;
    try {
      outputs = await ports.outputs.read();
    } catch (e) {
      say(`shift stopped: the gates need the stack outputs: ${errorText(e)} (or pass --skip-gates); the config was not changed`, 'error');
      return { outcome: 'unknown', verdict, gates: 'not run', changes: [], written: false };
    }
    outputsSource = outputs.source;
    say(`outputs: ${outputs.source}`);
    let gateList: Gate[];
    try {
      gateList = shiftGates(outputs.contract, c, name, receiving, ports, o);
    } catch (e) {
      say(`shift stopped: ${errorText(e)} (is the service deployed? apply its config first); the config was not changed`, 'error');
      return { outcome: 'unknown', verdict, gates: 'not run', outputsSource, changes: [], written: false };
    }
    const r = await runGates(gateList, (g) => say(`gate ${g.gate}: ${g.status.toUpperCase()} - ${g.detail}`));
    gates = r.results;
    if (!r.ok) {
      const last = r.results[r.results.length - 1];
      say(`shift stopped: gate ${last.gate} ${last.status === 'fail' ? 'failed' : 'could not run'}; the config was not changed`, 'error');
      return { outcome: last.status === 'fail' ? 'finding' : 'unknown', verdict, gates, outputsSource, changes: [], written: false };
    }
  }
  const original = readFileSync(o.file, 'utf8');
  const command = `traffic shift${flag} --to ${o.to} --percent ${o.percent}`;
  // Compare-and-swap on what this command read: an edit (a rollback) since then makes the shift refuse.
  const edit = editConfigFile(o.file, weightEdits(name, verdict.weights), { dryRun: true, expectedHash: hash, command });
  const isDefault = s.routing.default;
  const forward = isDefault ? "the HTTPS listener's default action" : `the ${name} HTTPS listener rule's forward`;
  if (o.synthDiff) {
    if (!deps.synthesize) throw new TrafficInputError('--synth-diff needs a synthesizer');
    say(`synthesizing ${c.environment} before and after the edit (offline)…`);
    const before = await deps.synthesize(original);
    const after = await deps.synthesize(edit.text);
    const changes: (ResourceChange & { stack: string })[] = [];
    for (const stack of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
      for (const ch of diffSynthesized(before[stack] ?? {}, after[stack] ?? {})) changes.push({ ...ch, stack });
    }
    // The service's forward: the HTTPS listener's default action (the default service), or its own HTTPS listener
    // rule (construct `compute/service-<name>/https-rule`, whose `action` holds the weighted forward).
    const isServiceForward = (ch: ResourceChange & { stack: string }) => {
      const [type, id] = ch.address.split('.');
      if (ch.action !== 'update') return false;
      if (isDefault) {
        const r = (before[ch.stack] as { resource?: Record<string, Record<string, { port?: number }>> }).resource?.[type]?.[id];
        return type === 'aws_lb_listener' && r?.port === 443 && ch.attributes.join() === 'default_action';
      }
      return type === 'aws_lb_listener_rule' && id.includes(`_service-${name}_https-rule`) && ch.attributes.join() === 'action';
    };
    for (const ch of changes) say(`  synth diff: ${ch.action} ${ch.stack}/${ch.address}${ch.attributes.length ? ` (${ch.attributes.join(', ')})` : ''}${isServiceForward(ch) ? '' : '  <- unexpected'}`);
    const unexpected = changes.filter((ch) => !isServiceForward(ch));
    if (unexpected.length > 0 || changes.length !== 1) {
      say(`shift stopped: a weight change of ${name} should change exactly ${forward}, but the synthesized diff ${changes.length === 0 ? 'is empty' : unexpected.length > 0 ? `also changes ${unexpected.map((u) => u.address).join(', ')}` : `changes ${changes.length} resources`}; the config was not changed`, 'error');
      return { outcome: 'finding', verdict, gates, outputsSource, changes: [], written: false };
    }
    say(`synth diff: only ${forward} changes (${changes[0].address})`);
  }
  if (!o.dryRun) editConfigFile(o.file, weightEdits(name, verdict.weights), { expectedHash: hash, command });
  say(`${o.dryRun ? 'would change' : 'changed'} ${file}:`);
  for (const ch of edit.changes) say(showEdit(ch));
  const listener = isDefault ? deps.synthesizedListener?.() : undefined;
  say(`plan: only ${forward} should change${listener ? ` (${listener})` : ''}: forward weights ${pct(t)} -> ${pct(verdict.weights)}`);
  say(`next: commit the config and open a pull request; CI plans it (review that only ${isDefault ? 'the listener' : `the ${name} listener rule`} changes) and applies it on merge`);
  say(`then: bluegreen traffic watch --env ${c.environment}${flag} --minutes 15`);
  return { outcome: 'ok', verdict, gates, outputsSource, changes: edit.changes, written: !o.dryRun };
}

function shiftDns(o: ShiftOptions, c: EnvironmentConfig, hash: string, io: TrafficIo): ShiftResult {
  const say = (text: string, level: TrafficMessage['level'] = 'info') => io.notify({ level, text });
  const d = c.dns;
  if (!d.enabled) throw new TrafficInputError('dns.enabled is false in the config: there are no Route 53 weights to move');
  // Legacy plays the live colour (blue) and the AWS side the candidate (green); the AWS side needs live tasks.
  // The Route 53 record points at the load balancer: its default service must have tasks on its live colour.
  const main = c.services[defaultServiceName(c)];
  const verdict = evaluateShift({ live: 'blue', current: { blue: d.weights.legacy, green: d.weights.aws }, stages: d.stages, to: 'green', percent: o.percent, force: o.force, desiredCount: { blue: 1, green: main[main.traffic.live].desiredCount } });
  const words = (s: string) => s.replace(/\bblue\/green\b/g, 'legacy/aws').replace(/\bgreen\b/g, 'aws').replace(/\bblue\b/g, 'legacy');
  if (!verdict.allowed) {
    say(`refused: ${words(verdict.reason)}`, 'error');
    return { outcome: 'finding', verdict, gates: 'not run', changes: [], written: false };
  }
  say(`dns shift ${c.environment} (${d.recordName}): ${words(verdict.reason)}`);
  if (verdict.direction === 'none') return { outcome: 'ok', verdict, gates: 'not needed', changes: [], written: false };
  const edit = editConfigFile(o.file, dnsWeightEdits({ legacy: verdict.weights.blue, aws: verdict.weights.green }), { dryRun: o.dryRun, expectedHash: hash, command: `traffic shift --dns --percent ${o.percent}` });
  say(`${o.dryRun ? 'would change' : 'changed'} ${o.displayFile ?? o.file}:`);
  for (const ch of edit.changes) say(showEdit(ch));
  say(`plan: only the two weighted aws_route53_record resources of ${d.recordName} should change; clients follow within the TTL (${d.ttlSeconds} s)`);
  return { outcome: 'ok', verdict, gates: 'not needed', changes: edit.changes, written: !o.dryRun };
}

// ---------------------------------------------------------------------------------------------------------------
// watch

export interface WatchOptions extends EnvironmentOptions {
  /** How long to watch; 0: one poll. */
  readonly minutes: number;
  /** Between polls. @default 30 */
  readonly intervalSeconds?: number;
  /** The metrics window each poll looks back over. @default 5 */
  readonly windowMinutes?: number;
  /** Watch this colour instead of the one receiving traffic. */
  readonly colour?: Colour;
  readonly dataIntegrityIssue?: string;
  readonly securityIncident?: string;
  /** Consecutive polls that could not read every signal before watch gives up (exit 2). @default 3 */
  readonly maxFailedReads?: number;
}

export interface WatchPoll {
  readonly at: string;
  /** False when a signal or the alarm states could not be read (never counted as healthy). */
  readonly complete: boolean;
  readonly result: DecisionResult;
}

export interface WatchResult {
  readonly outcome: Outcome;
  readonly colour?: Colour;
  readonly outputsSource?: string;
  readonly polls: readonly WatchPoll[];
  /** Why watch ended (rollback reasons, the failed reads, hold, healthy). */
  readonly reason: string;
}

/** Polls the colour's signals and alarms, applies the rollback matrix; stops at once on rollback or after N failed reads. */
export async function trafficWatch(o: WatchOptions, ports: Pick<TrafficPorts, 'outputs' | 'metrics' | 'alarms' | 'now' | 'sleep' | 'deadline'>, io: TrafficIo): Promise<WatchResult> {
  const c = loadEnvironment(o);
  const say = (text: string, level: TrafficMessage['level'] = 'info') => io.notify({ level, text });
  const interval = (o.intervalSeconds ?? 30) * 1000;
  const windowMs = (o.windowMinutes ?? 5) * 60_000;
  const maxFailed = Math.max(1, o.maxFailedReads ?? 3);
  const { name, service: s } = resolveService(c, o.service);
  const flag = serviceFlag(c, name);
  const candidate = otherColour(s.traffic.live);
  const colour = o.colour ?? (s.traffic[candidate] > 0 ? candidate : s.traffic.live);
  let outputs: StackOutputsRead;
  try {
    outputs = await ports.outputs.read();
  } catch (e) {
    const reason = `watch needs the stack outputs: ${errorText(e)}`;
    say(reason, 'error');
    return { outcome: 'unknown', colour, polls: [], reason };
  }
  let svc: ServiceContract;
  try {
    svc = serviceOf(outputs.contract, name);
  } catch (e) {
    const reason = `watch: ${errorText(e)}`;
    say(reason, 'error');
    return { outcome: 'unknown', colour, outputsSource: outputs.source, polls: [], reason };
  }
  const alarmNames = svc.alarms[colour];
  // The service's own thresholds where it sets them, the environment's otherwise.
  const t = { ...c.monitoring.thresholds, ...(s.thresholds ?? {}) };
  const thresholds = { http5xxRatePercent: t.http5xxRatePercent, p95LatencySeconds: t.p95LatencySeconds, unhealthyHosts: t.unhealthyHosts };
  say(`outputs: ${outputs.source}`);
  say(`watching ${colour} (${s.traffic[colour]} % of traffic) of ${target(c, name)} for ${o.minutes} min: rollback when 5xx > ${t.http5xxRatePercent} %, p95 > ${t.p95LatencySeconds} s, unhealthy > ${t.unhealthyHosts}, or any of its ${alarmNames.length} alarm(s) in ALARM; gives up after ${maxFailed} failed read(s) in a row`);
  const started = ports.now().getTime();
  const polls: WatchPoll[] = [];
  let failedInARow = 0;
  let last: DecisionResult | undefined;
  for (;;) {
    const end = ports.now();
    const [signals, alarms] = await Promise.allSettled([
      ports.metrics.colourSignals({ loadBalancerArnSuffix: outputs.contract.loadBalancer.arnSuffix, targetGroupArnSuffix: svc.targetGroups[colour].arnSuffix, start: new Date(end.getTime() - windowMs), end }),
      alarmNames.length > 0 ? ports.alarms.alarmStates(alarmNames) : Promise.reject(new Error(`the stack contract names no alarm for ${colour}`)),
    ]);
    const failures: string[] = [];
    if (signals.status === 'rejected') failures.push(`metrics could not be read: ${errorText(signals.reason)}`);
    if (alarms.status === 'rejected') failures.push(`alarm states could not be read: ${errorText(alarms.reason)}`);
    const found = alarms.status === 'fulfilled' ? alarms.value : [];
    const missing = alarms.status === 'fulfilled' ? alarmNames.filter((n) => !found.some((a) => a.name === n)) : [];
    if (missing.length > 0) failures.push(`CloudWatch has no alarm ${missing.join(', ')}`);
    let result: DecisionResult;
    if (failures.length > 0) {
      failedInARow++;
      // A partial read is never healthy: hold, unless what was read already says roll back.
      const partial = decide({ ...(signals.status === 'fulfilled' ? signals.value : {}), alarmsInAlarm: alarms.status === 'fulfilled' ? found.filter((a) => a.state === 'ALARM').map((a) => a.name) : undefined }, thresholds, { dataIntegrityIssue: o.dataIntegrityIssue, securityIncident: o.securityIncident });
      result = partial.decision === 'rollback' ? partial : { decision: 'hold', reasons: failures };
    } else {
      failedInARow = 0;
      const s = signals.status === 'fulfilled' ? signals.value : {};
      result = decide({ ...s, alarmsInAlarm: found.filter((a) => a.state === 'ALARM').map((a) => a.name) }, thresholds, { dataIntegrityIssue: o.dataIntegrityIssue, securityIncident: o.securityIncident });
    }
    polls.push({ at: end.toISOString(), complete: failures.length === 0, result });
    const s = signals.status === 'fulfilled' ? signals.value : undefined;
    const rate = result.http5xxRatePercent === undefined ? 'n/a' : `${Number(result.http5xxRatePercent.toFixed(3))} %`;
    const line =
      failures.length > 0 && !s
        ? `${end.toISOString()} ${colour}: could not read the signals (read ${failedInARow}/${maxFailed} failed in a row) -> ${result.decision.toUpperCase()}`
        : `${end.toISOString()} ${colour}: requests ${s?.requests ?? 'n/a'}, 5xx ${rate}, p95 ${s?.p95Seconds === undefined ? 'n/a' : `${Number(s.p95Seconds.toFixed(3))} s`}, unhealthy ${s?.unhealthyHosts ?? 'n/a'}, alarms ${alarms.status === 'fulfilled' ? `${found.filter((a) => a.state === 'ALARM').length}/${found.length}` : 'unknown'} -> ${result.decision.toUpperCase()}`;
    say(line, 'progress');
    const changed = last?.decision !== result.decision || last.reasons.join() !== result.reasons.join();
    if (changed) for (const r of result.reasons) say(`  - ${r}`);
    last = result;
    if (result.decision === 'rollback') {
      const reason = `ROLLBACK RECOMMENDED for ${colour}: ${result.reasons.join('; ')}`;
      say(reason);
      say(`run: bluegreen traffic rollback --env ${c.environment}${flag}`);
      return { outcome: 'finding', colour, outputsSource: outputs.source, polls, reason };
    }
    if (failedInARow >= maxFailed) {
      const reason = `${failedInARow} read(s) in a row failed: no decision (${failures.join('; ')})`;
      say(`stopped: ${reason}`, 'error');
      return { outcome: 'unknown', colour, outputsSource: outputs.source, polls, reason };
    }
    if (ports.deadline?.expired) {
      const reason = `${ports.deadline.description} has passed after ${polls.length} poll(s): no decision`;
      say(`stopped: ${reason}`, 'error');
      return { outcome: 'unknown', colour, outputsSource: outputs.source, polls, reason };
    }
    const elapsed = ports.now().getTime() - started;
    if (elapsed + interval > o.minutes * 60_000) break;
    await ports.sleep(interval);
  }
  if (last?.decision === 'continue') {
    const next = nextStage(s.traffic.stages, s.traffic[candidate]);
    const reason = `healthy after ${polls.length} poll(s): continue${next !== undefined && colour === candidate ? ` (next stage: bluegreen traffic shift --env ${c.environment}${flag} --to ${candidate} --percent ${next})` : ''}`;
    say(reason);
    return { outcome: 'ok', colour, outputsSource: outputs.source, polls, reason };
  }
  const reason = `ended on HOLD after ${polls.length} poll(s): do not advance yet (${last?.reasons.join('; ')})`;
  say(reason);
  return { outcome: 'unknown', colour, outputsSource: outputs.source, polls, reason };
}

// ---------------------------------------------------------------------------------------------------------------
// rollback

export interface RollbackOptions extends EnvironmentOptions {
  /** Only edit the config (no AWS call); the next apply moves the listener. @default false */
  readonly configOnly?: boolean;
  /** Also set the Route 53 weights back to legacy 100 % in the config. @default false */
  readonly dns?: boolean;
}

export interface RollbackResult {
  readonly outcome: Outcome;
  readonly target: Colour;
  readonly weights: Weights;
  /** `changed`: ModifyListener answered; `not changed`: it was not sent or refused; `not confirmed`: sent, no answer. */
  readonly listener: 'changed' | 'not changed' | 'not confirmed' | 'not asked (--config-only)';
  readonly outputsSource?: string;
  readonly configChanges: readonly AppliedEdit[];
  readonly configWritten: boolean;
}

/** The `--config-only` fallback and the apply that finishes it, for messages when the API cannot be used. */
export const configOnlyHint = (env: string, service?: string): string =>
  `if the AWS API cannot be reached: bluegreen traffic rollback --env ${env}${service ? ` --service ${service}` : ''} --config-only, then apply the config (the environment's deploy pipeline; break-glass from a laptop: cd apps/${env} && npx cdktf deploy)`;

/**
 * The emergency path for one service: 100 % to its last good colour now through the listener port (its own forward:
 * the default action or its listener rule; seconds, no apply), then the same weights into its config. Inside a
 * promotion's rollback window the last good colour is the previous one. No other service's forward or config moves.
 */
export async function trafficRollback(o: RollbackOptions, ports: Pick<TrafficPorts, 'outputs' | 'listener' | 'now'>, io: TrafficIo): Promise<RollbackResult> {
  const say = (text: string, level: TrafficMessage['level'] = 'info') => io.notify({ level, text });
  const file = o.displayFile ?? o.file;
  if (!existsSync(o.file)) throw new TrafficInputError(`no config for environment '${o.env}': ${o.file} does not exist (or pass --config <file>)`);
  // The decision reads only what the rollback edits (a minimal parse): it works while the rest of the config is invalid.
  const plan = planRollback(readFileSync(o.file, 'utf8'), { service: o.service, dns: o.dns, source: o.file, now: ports.now() });
  const name = plan.service;
  const several = o.service !== undefined;
  const hint = () => configOnlyHint(o.env, several ? name : undefined);
  if (plan.environment !== undefined && plan.environment !== o.env) throw new TrafficInputError(`${o.file} describes environment '${plan.environment}', not '${o.env}' (--env and --config disagree)`);
  const { target, weights } = plan;
  const base = { target, weights, configChanges: [] as AppliedEdit[], configWritten: false };
  if (plan.undoPromotion) say(`${plan.live} was promoted at ${plan.promotedAt}; rolling back to the previous colour ${target} (undoing the promotion)`);
  let listener: RollbackResult['listener'] = 'not asked (--config-only)';
  let outputsSource: string | undefined;
  if (!o.configOnly) {
    const c = loadEnvironment(o);
    let outputs: StackOutputsRead;
    try {
      outputs = await ports.outputs.read();
    } catch (e) {
      say(`rollback through the API needs the stack outputs: ${errorText(e)}`, 'error');
      say('nothing was changed: not the listener, not the config', 'error');
      say(hint(), 'error');
      return { ...base, outcome: 'unknown', listener: 'not changed' };
    }
    outputsSource = outputs.source;
    say(`outputs: ${outputs.source}`);
    let targets: ForwardTargets;
    try {
      targets = forwardTargetsOf(serviceOf(outputs.contract, name));
    } catch (e) {
      say(`rollback through the API: ${errorText(e)}`, 'error');
      say('nothing was changed: not the listener, not the config', 'error');
      say(hint(), 'error');
      return { ...base, outcome: 'unknown', listener: 'not changed', outputsSource };
    }
    const where = targets.route.kind === 'default-action' ? `listener ${targets.route.listenerArn}` : `listener rule ${targets.route.ruleArn}`;
    try {
      await ports.listener.setWeights(targets, weights, resolveService(c, name).service.traffic.stickinessSeconds);
    } catch (e) {
      const unanswered = /deadline|timed out|timeout|no answer|socket|ECONNRESET|aborted/i.test(errorText(e));
      say(`the listener call failed: ${errorText(e)}`, 'error');
      say(unanswered ? `the ${where} may or may not have changed (the call got no answer); the config was not changed` : `the ${where} was not changed; the config was not changed`, 'error');
      say(hint(), 'error');
      return { ...base, outcome: 'unknown', listener: unanswered ? 'not confirmed' : 'not changed', outputsSource };
    }
    listener = 'changed';
    say(`${where}: forward set to ${pct(weights)} (effective now, no apply)`);
  }
  let edit: ReturnType<typeof rollbackEnvironmentConfig>;
  try {
    // Pre-empts any shift: decided again from the file as it is under the lock, written without compare-and-swap.
    edit = rollbackEnvironmentConfig({ path: o.file, service: name, dns: o.dns, expectEnvironment: o.env, command: `traffic rollback${several ? ` --service ${name}` : ''}${o.configOnly ? ' --config-only' : ''}`, now: ports.now() });
  } catch (e) {
    if (o.configOnly) throw e;
    say(`the listener WAS rolled back, but writing ${file} failed: ${errorText(e)}`, 'error');
    say(`set services.${name}.traffic.blue: ${weights.blue} and services.${name}.traffic.green: ${weights.green} by hand before the next apply, or it will undo the rollback`, 'error');
    return { ...base, outcome: 'unknown', listener, outputsSource };
  }
  if (edit.target !== target) say(`the config changed while rolling back: it now says ${edit.target} is the colour to roll back to; check the listener (bluegreen traffic status --env ${o.env}${several ? ` --service ${name}` : ''})`, 'warn');
  const changes = edit.changes;
  const weightChanges = changes.filter((ch) => !ch.field.endsWith('.rolledBackAt'));
  if (weightChanges.length === 0) say(`${file} already says ${pct(weights)}: only services.${name}.traffic.rolledBackAt recorded`);
  say(`changed ${file}:`);
  for (const ch of changes) say(showEdit(ch));
  say(
    o.configOnly
      ? `next: commit the config and apply it (the environment's deploy pipeline; break-glass: cd apps/${o.env} && npx cdktf deploy) to move the listener`
      : 'next: commit the config so the next plan shows no drift; investigate before shifting again',
  );
  return { ...base, outcome: 'ok', listener, outputsSource, configChanges: changes, configWritten: edit.written };
}

// ---------------------------------------------------------------------------------------------------------------
// promote / finalize

export interface PromoteOptions extends EnvironmentOptions {
  /** Scale the old colour to zero once the rollback window has passed. @default false */
  readonly finalize?: boolean;
  /** With `finalize`: even inside the window. @default false */
  readonly force?: boolean;
}

export interface PromoteResult {
  readonly outcome: Outcome;
  readonly changes: readonly AppliedEdit[];
}

/** After 100 %: the new colour becomes live (records promotedAt); config only, no AWS call. */
export async function trafficPromote(o: EnvironmentOptions, ports: Pick<TrafficPorts, 'now'>, io: TrafficIo): Promise<PromoteResult> {
  const { config: c, hash } = readEnvironment(o);
  const say = (text: string) => io.notify({ level: 'info', text });
  const { name, service: s } = resolveService(c, o.service);
  const flag = serviceFlag(c, name);
  const p = promoteEdits(c, name, ports.now());
  const edit = editConfigFile(o.file, p.edits, { expectedHash: hash, command: `traffic promote${flag}` });
  say(`promoted ${target(c, name)}: ${p.to} is live, ${p.from} keeps ${s[p.from].desiredCount} task(s) for the rollback window (until ${rollbackWindowEnd(edit.config, name)?.toISOString()})`);
  for (const ch of edit.changes) say(showEdit(ch));
  say(`rollback inside the window: bluegreen traffic rollback --env ${c.environment}${flag} (sends 100 % back to ${p.from} and undoes the promotion)`);
  say(`after the window: bluegreen traffic promote --env ${c.environment}${flag} --finalize`);
  return { outcome: 'ok', changes: edit.changes };
}

/** After the rollback window: the old colour scales to zero; config only, no AWS call. */
export async function trafficFinalize(o: EnvironmentOptions & { readonly force?: boolean }, ports: Pick<TrafficPorts, 'now'>, io: TrafficIo): Promise<PromoteResult> {
  const { config: c, hash } = readEnvironment(o);
  const say = (text: string) => io.notify({ level: 'info', text });
  const { name } = resolveService(c, o.service);
  const f = finalizeEdits(c, name, ports.now(), o.force);
  const edit = editConfigFile(o.file, f.edits, { expectedHash: hash, command: `traffic promote${serviceFlag(c, name)} --finalize` });
  say(`finalized ${target(c, name)}: ${f.old} scales to zero (rollback window ended ${rollbackWindowEnd(c, name)?.toISOString()}${o.force ? ', forced' : ''})`);
  for (const ch of edit.changes) say(showEdit(ch));
  say(`next: commit and open a pull request; the plan changes the ${f.old} ECS service's desired count (and its autoscaling bounds)`);
  return { outcome: 'ok', changes: edit.changes };
}
