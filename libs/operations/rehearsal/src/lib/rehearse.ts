/**
 * `bluegreen rehearse`: a whole migration and its way back, on this machine, against real stand-ins, driven by the
 * real decision code (the traffic library's stage rules, gates and rollback matrix, the cutover library's workflows,
 * the schema checker, data verify). One function: options in, result out; the command line prints it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultServiceName, loadEnvironmentConfig, type EnvironmentConfig } from '@bluegreen/config';
import type { Colour } from '@bluegreen/contract';
import { forwardCdcLatencyGate, migrationCutover, migrationRollback, type MigrationPorts, type SwitchResult, type VerifyEvidence } from '@bluegreen/cutover';
import { DEFAULT_EXCLUDED_SCHEMAS, verifyData } from '@bluegreen/data-verify';
import { applyConfigEdits, decide, evaluateShift, nextStage, promoteEdits, runGates, weightEdits, type DecisionResult, type Gate, type Weights } from '@bluegreen/traffic';
import { readFileSync } from 'node:fs';
import { databaseSchemaChecker, proxyPorts, schemaGate, signalsFromLog, targetHealthGate } from './adapters';
import { SCENARIO_SPECS, judge } from './scenarios';
import { startApp, type AppProcess } from './standins/app';
import { execSql, startDatabases, type RehearsalDatabases } from './standins/databases';
import { startLoad, type LoadGenerator } from './load';
import { startProxy, type WeightedProxy } from './standins/proxy';
import { FORWARD_TASK_ARN, localReplication, REVERSE_TASK_ARN, type LocalReplication } from './standins/replication';
import { CONTROL_SCHEMA, READ_SQL } from './standins/schema';
import { SCENARIOS, type EventKind, type Kpi, type RehearsalEvent, type RehearsalFacts, type RehearsalResult, type RehearsalSettings, type ScenarioName, type TimelineSample } from './types';

export interface RehearseOptions {
  /** Environment name: its `apps/<env>/environment.yaml` gives the stages and thresholds. */
  readonly env: string;
  readonly scenario: ScenarioName;
  /** Workspace root. @default - the nearest parent of the working directory with nx.json */
  readonly root?: string;
  /** The environment's config file (the command line resolves it). @default - `<root>/apps/<env>/environment.yaml` */
  readonly configPath?: string;
  /** Load, requests per second (half writes, half reads). @default 40 */
  readonly rate?: number;
  /** The load stops by itself after this many seconds at the latest. @default 150 */
  readonly durationSeconds?: number;
  /** How long each stage is watched before the next. @default 3 */
  readonly holdSeconds?: number;
  /** Seconds between two watch polls. @default 1 */
  readonly intervalSeconds?: number;
  /** The metrics window each poll looks back over, seconds. @default 3 */
  readonly windowSeconds?: number;
  /** Aborting (Ctrl-C) stops the rehearsal at the next step; every stand-in is still stopped. */
  readonly signal?: AbortSignal;
  /** Each event as it happens (progress output). */
  readonly onEvent?: (event: RehearsalEvent) => void;
}

const LIVE: Colour = 'blue';
const CANDIDATE: Colour = 'green';
const DESIRED = { blue: 1, green: 1 } as const;
const INITIAL_ROWS = 500;

class RehearsalAborted extends Error {}

function findRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

function checkNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${name} must be ${min}-${max}, got ${value}`);
  return value;
}

/** The service rehearsed: the environment's default one (the route everything not carved out takes). */
function rehearsedService(config: EnvironmentConfig): string {
  return defaultServiceName(config);
}

function settingsOf(o: RehearseOptions, config?: EnvironmentConfig): RehearsalSettings {
  const service = config ? config.services[rehearsedService(config)] : undefined;
  // The service's own thresholds where it sets them, the environment's otherwise (as its alarms are made).
  const t = config ? { ...config.monitoring.thresholds, ...(service?.thresholds ?? {}) } : undefined;
  const hold = o.holdSeconds ?? 3;
  const interval = o.intervalSeconds ?? 1;
  const window = o.windowSeconds ?? 3;
  return {
    env: o.env,
    rate: o.rate ?? 40,
    maxDurationSeconds: o.durationSeconds ?? 150,
    holdSeconds: hold,
    intervalSeconds: interval,
    windowSeconds: window,
    stages: service?.traffic.stages ?? [],
    thresholds: { http5xxRatePercent: t?.http5xxRatePercent ?? NaN, p95LatencySeconds: t?.p95LatencySeconds ?? NaN, unhealthyHosts: t?.unhealthyHosts ?? NaN },
    cdcLatencyThresholdSeconds: config?.migration.cdcLatencyAlarmSeconds ?? 300,
    timeScale:
      `short form: each stage watched ${hold} s (runbook: traffic watch --minutes 15), polls every ${interval} s (30 s), ` +
      `metrics window ${window} s (5 min), replication probes every 0.25 s (15 s); stages, 5xx / p95 / unhealthy thresholds and the CDC latency limit as the environment configures them`,
    databases: '',
  };
}

/** Runs one scenario end to end. Never throws: a rehearsal that could not run is `outcome: 'error'` (exit 2). */
export async function rehearse(o: RehearseOptions): Promise<RehearsalResult> {
  const t0 = Date.now();
  const events: RehearsalEvent[] = [];
  const timeline: TimelineSample[] = [];
  const cleanups: { what: string; fn: () => Promise<unknown> }[] = [];
  const emit = (kind: EventKind, text: string) => {
    const e = { t: Date.now() - t0, kind, text };
    events.push(e);
    o.onEvent?.(e);
  };
  const spec = SCENARIO_SPECS[o.scenario];
  let settings = settingsOf(o);
  const base = { scenario: o.scenario, description: spec?.description ?? '', expectation: spec?.expectation ?? '', events, timeline, startedAt: new Date(t0).toISOString() };
  try {
    if (!spec) throw new RangeError(`scenario must be one of ${SCENARIOS.join(', ')}, got ${JSON.stringify(o.scenario)}`);
    checkNumber('rate', settings.rate, 1, 500);
    checkNumber('duration', settings.maxDurationSeconds, 10, 3600);
    checkNumber('hold', settings.holdSeconds, 0.5, 900);
    checkNumber('interval', settings.intervalSeconds, 0.1, 60);
    checkNumber('window', settings.windowSeconds, 0.5, 600);
    const file = o.configPath ?? join(o.root ?? findRoot(process.cwd()), 'apps', o.env, 'environment.yaml');
    if (!existsSync(file)) throw new Error(`no environment ${o.env}: ${file} does not exist`);
    const config = loadEnvironmentConfig(file);
    settings = settingsOf(o, config);
    const facts = await run(o, config, readFileSync(file, 'utf8'), settings, t0, emit, timeline, cleanups, (s) => (settings = s));
    const kpis = judge(o.scenario, facts);
    const missed = kpis.filter((k) => !k.met);
    emit('info', missed.length ? `KPI missed: ${missed.map((k) => k.name).join(', ')}` : 'every KPI met');
    return { ...base, outcome: missed.length ? 'missed' : 'met', kpis, settings, facts, durationMs: Date.now() - t0 };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    emit('info', `could not run: ${message}`);
    return { ...base, outcome: 'error', error: message, kpis: [] as Kpi[], settings, durationMs: Date.now() - t0 };
  } finally {
    for (const c of cleanups.reverse()) {
      await c.fn().catch((err: unknown) => o.onEvent?.({ t: Date.now() - t0, kind: 'info', text: `stopping ${c.what}: ${err instanceof Error ? err.message : String(err)}` }));
    }
  }
}

async function run(
  o: RehearseOptions,
  config: EnvironmentConfig,
  configText: string,
  settings: RehearsalSettings,
  t0: number,
  emit: (kind: EventKind, text: string) => void,
  timeline: TimelineSample[],
  cleanups: { what: string; fn: () => Promise<unknown> }[],
  setSettings: (s: RehearsalSettings) => void,
): Promise<RehearsalFacts> {
  const spec = SCENARIO_SPECS[o.scenario];
  const now = () => Date.now() - t0;
  const sleep = (ms: number) =>
    new Promise<void>((res, rej) => {
      if (o.signal?.aborted) return rej(new RehearsalAborted('interrupted'));
      const timer = setTimeout(() => {
        o.signal?.removeEventListener('abort', onAbort);
        res();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        rej(new RehearsalAborted('interrupted'));
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
  const step = () => {
    if (o.signal?.aborted) throw new RehearsalAborted('interrupted');
  };
  const thresholds = settings.thresholds;
  const stages = settings.stages;

  // ----- stand-ins -----
  emit('setup', `environment ${config.environment}: stages ${stages.join(' -> ')} %, rollback when 5xx > ${thresholds.http5xxRatePercent} % or p95 > ${thresholds.p95LatencySeconds} s or unhealthy > ${thresholds.unhealthyHosts}`);
  emit('setup', `starting the old and the new database (two PostgreSQL servers, schema v1 and ${spec.newSchema})`);
  const dbs: RehearsalDatabases = await startDatabases({ newSchema: spec.newSchema, initialRows: INITIAL_ROWS });
  cleanups.push({ what: 'the PostgreSQL servers', fn: () => dbs.stop() });
  setSettings({ ...settings, databases: `${dbs.origin}: old ${dbs.old.label}, new ${dbs.new.label}` });
  emit('setup', `databases up (${dbs.origin}): old ${dbs.old.label}, new ${dbs.new.label}`);
  step();
  const dms: LocalReplication = await localReplication(dbs, settings.cdcLatencyThresholdSeconds);
  cleanups.push({ what: 'logical replication', fn: () => dms.stop() });
  await dms.startTask(FORWARD_TASK_ARN, { kind: 'start-replication' });
  await until('forward replication: full load done and CDC running', 30_000, async () => {
    const s = await dms.describeTask(FORWARD_TASK_ARN);
    if (s.status === 'failed') throw new Error(`forward replication failed: ${s.lastError}`);
    return s.status === 'running' && s.fullLoadPercent === 100;
  });
  emit('setup', `forward replication old -> new running (full load of ${INITIAL_ROWS} rows done, CDC on)`);
  step();
  const apps: Record<Colour, AppProcess> = Object.fromEntries(
    await Promise.all(
      (['blue', 'green'] as const).map(async (c) => {
        const app = await startApp(c, c === 'blue' ? 'v1' : 'v2', dbs.old.url);
        cleanups.push({ what: `the ${c} application`, fn: () => app.stop() });
        return [c, app] as const;
      }),
    ),
  ) as Record<Colour, AppProcess>;
  const proxy: WeightedProxy = await startProxy({ targets: { blue: apps.blue.port, green: apps.green.port }, epoch: t0 });
  cleanups.push({ what: 'the proxy', fn: () => proxy.stop() });
  emit('setup', `blue (v1, pid ${apps.blue.pid}) and green (v2, pid ${apps.green.pid}) on the old database behind the proxy on 127.0.0.1:${proxy.port}`);
  const ports = proxyPorts(proxy);
  const load: LoadGenerator = startLoad({ port: proxy.port, rate: settings.rate, durationMs: settings.maxDurationSeconds * 1000, epoch: t0 });
  cleanups.push({ what: 'the load', fn: () => load.stop() });
  let loadEnded = false;
  void load.done.then(() => (loadEnded = true));
  emit('setup', `load: ${settings.rate} requests/s through the proxy (half writes with unique ids), at most ${settings.maxDurationSeconds} s`);

  // ----- timeline -----
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    try {
      const t = now();
      const log = proxy.log();
      const errorRate: Partial<Record<Colour, number>> = {};
      const p95: Partial<Record<Colour, number>> = {};
      for (const c of ['blue', 'green'] as const) {
        const s = signalsFromLog(log, c, t - settings.windowSeconds * 1000, t);
        if (s.requests > 0) errorRate[c] = (s.http5xx / s.requests) * 100;
        if (s.p95Seconds !== undefined) p95[c] = s.p95Seconds;
      }
      const lag = await dms.sample();
      timeline.push({ t, weights: proxy.weights(), errorRate, p95, lagSeconds: lag?.seconds, lagDirection: lag?.direction });
    } finally {
      sampling = false;
    }
  };
  const sampler = setInterval(() => void sample().catch(() => undefined), 250);
  cleanups.push({ what: 'the timeline', fn: async () => clearInterval(sampler) });
  await sleep(1000);

  // ----- the staged shift, gated and watched -----
  const gates: Gate[] = [schemaGate(databaseSchemaChecker(dbs.old.url, dbs.new.url)), targetHealthGate(ports, CANDIDATE, DESIRED[CANDIDATE])];
  const cdcGate = forwardCdcLatencyGate(dms.migration, dms, settings.cdcLatencyThresholdSeconds);
  if (cdcGate) gates.push(cdcGate);
  const stagesReached: number[] = [];
  let current: Weights = await ports.listener.getWeights();
  let gateRefusal: RehearsalFacts['gateRefusal'];
  let rollback: RehearsalFacts['rollback'];
  let stalled: string | undefined;
  let faultOn = false;

  const firstBadSignal = (since: number): number | undefined => {
    const bad = proxy.log().filter((e) => e.colour === CANDIDATE && !e.byProxy && e.at >= since && (e.status >= 500 || e.durationMs > thresholds.p95LatencySeconds * 1000));
    return bad.length ? Math.min(...bad.map((e) => e.end)) : undefined;
  };
  let faultT = 0;

  const watch = async (stage: number): Promise<'continue' | 'rollback' | 'hold'> => {
    let end = Date.now() + settings.holdSeconds * 1000;
    const lastChance = end + settings.holdSeconds * 2000;
    let last: DecisionResult | undefined;
    for (;;) {
      await sleep(settings.intervalSeconds * 1000);
      const signals = await ports.signals.read(CANDIDATE, settings.windowSeconds * 1000);
      const d = decide(signals, thresholds);
      if (last?.decision !== d.decision || last.reasons.join() !== d.reasons.join()) {
        const rate = d.http5xxRatePercent === undefined ? 'n/a' : `${d.http5xxRatePercent.toFixed(2)} %`;
        const p95 = signals.p95Seconds === undefined ? 'n/a' : `${signals.p95Seconds.toFixed(3)} s`;
        emit(d.decision === 'rollback' ? 'alarm' : 'info', `watch ${CANDIDATE} at ${stage} %: ${signals.requests} requests, 5xx ${rate}, p95 ${p95} -> ${d.decision.toUpperCase()}${d.reasons.length ? `: ${d.reasons.join('; ')}` : ''}`);
      }
      last = d;
      if (d.decision === 'rollback') {
        const v = evaluateShift({ live: LIVE, current, stages, to: LIVE, percent: 100, desiredCount: DESIRED });
        if (!v.allowed) throw new Error(`the stage rules refused the rollback: ${v.reason}`);
        await ports.listener.setWeights(v.weights);
        current = v.weights;
        const t = now();
        rollback = { t, stage, reasons: d.reasons, firstBadSignalT: faultOn ? firstBadSignal(faultT) : undefined };
        emit('rollback', `listener: blue ${v.weights.blue} / green ${v.weights.green} (${v.reason}), by the watch: ${d.reasons.join('; ')}`);
        return 'rollback';
      }
      if (Date.now() >= end) {
        if (d.decision === 'continue') return 'continue';
        if (Date.now() >= lastChance) return 'hold';
        end = Date.now() + settings.intervalSeconds * 1000;
      }
      if (loadEnded) return 'hold';
    }
  };

  for (;;) {
    step();
    const next = nextStage(stages, current[CANDIDATE]);
    if (next === undefined) break;
    if (loadEnded) {
      stalled = 'the load ended before the last stage (raise --duration)';
      break;
    }
    const fault = spec.greenFault;
    if (fault && !faultOn && (fault.fromStage === 'first' || next >= fault.fromStage)) {
      const f = fault.faults(thresholds.p95LatencySeconds);
      await apps.green.setFaults(f);
      faultOn = true;
      faultT = now();
      emit('fault', `green fault from ${next} %: ${Object.entries(f).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    const verdict = evaluateShift({ live: LIVE, current, stages, to: CANDIDATE, percent: next, desiredCount: DESIRED });
    if (!verdict.allowed) {
      stalled = `stage rule: ${verdict.reason}`;
      emit('gate', `shift to ${next} % refused: ${verdict.reason}`);
      break;
    }
    const g = await runGates(gates, (r) => emit('gate', `gate ${r.gate} before ${next} %: ${r.status} - ${r.detail}`));
    if (!g.ok) {
      const bad = g.results[g.results.length - 1];
      gateRefusal = { stage: next, gate: bad.gate, detail: bad.detail };
      emit('gate', `shift to ${next} % refused by the ${bad.gate} gate`);
      break;
    }
    await ports.listener.setWeights(verdict.weights);
    current = verdict.weights;
    stagesReached.push(next);
    emit('stage', `listener: blue ${verdict.weights.blue} / green ${verdict.weights.green} (${verdict.reason})`);
    const w = await watch(next);
    if (w === 'rollback') break;
    if (w === 'hold') {
      stalled = `the watch ended on HOLD at ${next} %`;
      emit('info', stalled);
      break;
    }
  }

  // ----- the database: cutover, then promote or the way back -----
  const migrationPorts: MigrationPorts = { dms, now: () => new Date(), sleep: (ms) => sleep(Math.min(ms, 250)) };
  const databases = { old: dbs.old.label, new: dbs.new.label };
  const excludeSchemas = [...DEFAULT_EXCLUDED_SCHEMAS, CONTROL_SCHEMA];
  const verify = async (source: string, target: string): Promise<VerifyEvidence> => {
    const v = await verifyData({ source, target, excludeSchemas, parallel: 2, statementTimeoutMs: 60_000, connectTimeoutMs: 10_000 });
    return { identical: v.identical, complete: v.complete, compared: v.compared, source: v.source, target: v.target, ageMs: 0 };
  };
  const both = (fn: (a: AppProcess) => Promise<void>) => Promise.all([fn(apps.blue), fn(apps.green)]);
  const reportSteps = (kind: EventKind, r: SwitchResult) => {
    for (const c of r.checks) emit(kind, `check ${c.check}: ${c.status} - ${c.detail}`);
    for (const s of r.steps) emit(kind, `step ${s.step.id} (${s.step.by}): ${s.result}${s.detail ? ` - ${s.detail}` : ''}`);
  };
  let databaseOfRecord: 'old' | 'new' = 'old';
  let cutover: RehearsalFacts['cutover'];
  let dbRollback: RehearsalFacts['dbRollback'];
  let promoted: RehearsalFacts['promoted'];
  let cutoverT: number | undefined;
  let dbRollbackT: number | undefined;

  const databaseCutover = async () => {
    emit('cutover', 'stop writes: both colours hold incoming writes (they wait, they do not fail)');
    await both((a) => a.pauseWrites(true));
    try {
      await dms.caughtUp('forward', 20_000);
      const evidence = await verify(dbs.old.url, dbs.new.url);
      emit('cutover', `data verify old -> new with writes stopped: ${evidence.identical ? 'identical' : 'DIFFERENT'} (${evidence.compared.join(', ')})`);
      const r = await migrationCutover({ migration: dms.migration, verify: evidence, maxLatencySeconds: settings.cdcLatencyThresholdSeconds, timeoutMs: 20_000, execute: true, writesStopped: true, databases }, migrationPorts);
      reportSteps('cutover', r);
      const reverse = await dms.describeTask(REVERSE_TASK_ARN);
      if (r.outcome === 'done') {
        await both((a) => a.useDatabase(dbs.new.url));
        databaseOfRecord = 'new';
        cutoverT = now();
        emit('cutover', 'switch: both colours now read and write the new database');
      }
      cutover = { outcome: r.outcome, t: now(), reverseRunning: reverse.status === 'running', detail: `${r.checks.filter((c) => c.status === 'pass').length}/${r.checks.length} checks passed, reverse task ${reverse.status}` };
    } finally {
      await both((a) => a.pauseWrites(false));
      emit('cutover', 'writes allowed again');
    }
  };

  const databaseRollback = async () => {
    emit('db-rollback', 'stop writes on the new database: both colours hold incoming writes');
    await both((a) => a.pauseWrites(true));
    try {
      await dms.caughtUp('reverse', 20_000);
      const evidence = await verify(dbs.new.url, dbs.old.url);
      emit('db-rollback', `data verify new -> old with writes stopped: ${evidence.identical ? 'identical' : 'DIFFERENT'} (${evidence.compared.join(', ')})`);
      const r = await migrationRollback({ migration: dms.migration, verify: evidence, maxLatencySeconds: settings.cdcLatencyThresholdSeconds, timeoutMs: 20_000, execute: true, writesStopped: true, databases }, migrationPorts);
      reportSteps('db-rollback', r);
      if (r.outcome === 'done') {
        await both((a) => a.useDatabase(dbs.old.url));
        databaseOfRecord = 'old';
        dbRollbackT = now();
        emit('db-rollback', 'switch: both colours read and write the old database again');
        // Not a product step: the new database follows the old one again, so the final comparison means something.
        await dms.startTask(FORWARD_TASK_ARN, { kind: 'resume-processing' });
        emit('db-rollback', 'forward replication resumed (origin = none: only writes made on the old database are sent)');
      }
      dbRollback = { outcome: r.outcome, t: now(), detail: `${r.checks.filter((c) => c.status === 'pass').length}/${r.checks.length} checks passed` };
    } finally {
      await both((a) => a.pauseWrites(false));
      emit('db-rollback', 'writes allowed again');
    }
  };

  if (current[CANDIDATE] === 100 && !rollback && spec.afterFullShift) {
    step();
    await databaseCutover();
    if (cutover?.outcome === 'done') {
      await sleep(settings.holdSeconds * 1000);
      step();
      if (spec.afterFullShift === 'cutover-promote') {
        // The real promote rule, on a copy of the environment's config (nothing is written).
        const atFull = applyConfigEdits(configText, weightEdits(rehearsedService(config), current));
        const p = promoteEdits(atFull.config, rehearsedService(config), new Date());
        applyConfigEdits(atFull.text, p.edits);
        promoted = { from: p.from, to: p.to };
        emit('promote', `promote: services.${rehearsedService(config)}.traffic.live ${p.from} -> ${p.to} (the config edit validates; the rehearsal writes no file)`);
      } else {
        const v = evaluateShift({ live: LIVE, current, stages, to: LIVE, percent: 100, desiredCount: DESIRED });
        if (!v.allowed) throw new Error(`the stage rules refused the rollback: ${v.reason}`);
        await ports.listener.setWeights(v.weights);
        current = v.weights;
        emit('rollback', `traffic rollback after cutover: listener blue ${v.weights.blue} / green ${v.weights.green} (blue, the old version, on the new database: the schema gate said it keeps working)`);
        await sleep(settings.holdSeconds * 1000);
        step();
        await databaseRollback();
      }
      await sleep(settings.holdSeconds * 1000);
    }
  }

  // ----- the end: stop the load, let replication catch up, look every acknowledged write up, compare -----
  emit('info', 'stopping the load');
  await load.stop();
  await sample();
  clearInterval(sampler);
  const running = (await dms.describeTask(FORWARD_TASK_ARN)).status === 'running' ? 'forward' : (await dms.describeTask(REVERSE_TASK_ARN)).status === 'running' ? 'reverse' : undefined;
  if (running) await dms.caughtUp(running, 30_000);

  const acked = load.acknowledged();
  const recordUrl = databaseOfRecord === 'old' ? dbs.old.url : dbs.new.url;
  const present = async (url: string, ids: readonly string[]): Promise<Set<string>> => {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await execSql<{ id: string }>(url, 'SELECT id FROM public.items WHERE id = ANY($1::text[])', [ids.slice(i, i + 5000)], 30_000);
      for (const r of rows) found.add(r.id);
    }
    return found;
  };
  const onRecord = await present(recordUrl, acked.map((a) => a.id));
  const lostWrites = acked.filter((a) => !onRecord.has(a.id)).map((a) => a.id);
  emit('info', `${acked.length} acknowledged writes looked up in the ${databaseOfRecord} database: ${lostWrites.length} missing`);

  let writesSinceCutover: RehearsalFacts['writesSinceCutover'];
  const [from, to] = [cutoverT, dbRollbackT];
  if (spec.afterFullShift === 'cutover-rollback' && from !== undefined && to !== undefined) {
    const since = acked.filter((a) => a.at >= from && a.at <= to).map((a) => a.id);
    const onOld = await present(dbs.old.url, since);
    writesSinceCutover = { acknowledged: since.length, onOld: since.filter((id) => onOld.has(id)).length };
  }

  let final: RehearsalFacts['verify'];
  try {
    const v = await verifyData({ source: dbs.old.url, target: dbs.new.url, excludeSchemas, parallel: 2, statementTimeoutMs: 60_000, connectTimeoutMs: 10_000 });
    const rows = v.tables.map((t) => `${t.table}: ${t.status}`).join(', ');
    final = { identical: v.identical, compared: v.compared, detail: rows };
    emit('info', `data verify old -> new at the end: ${v.identical ? 'identical' : 'DIFFERENT'} (${rows})`);
  } catch (err) {
    final = { error: err instanceof Error ? err.message : String(err) };
  }

  let oldQueryOnNewSchema: RehearsalFacts['oldQueryOnNewSchema'];
  if (spec.newSchema === 'v2-breaking') {
    try {
      await execSql(dbs.new.url, READ_SQL, ['initial-1']);
      oldQueryOnNewSchema = { failed: false, detail: 'the old version read works on the new schema' };
    } catch (err) {
      const e = err as { code?: string; message?: string };
      oldQueryOnNewSchema = { failed: true, detail: `fails: ERROR ${e.code ?? '?'} ${e.message ?? String(err)}` };
    }
  }

  const requests = load.requests();
  const log = proxy.log();
  const failed = requests.filter((r) => !(r.status === 200 || r.status === 201)).map((r) => ({ kind: r.kind, start: r.start, end: r.end, status: r.status, servedBy: r.servedBy, error: r.error }));
  return {
    watchIntervalMs: settings.intervalSeconds * 1000,
    stages,
    stagesReached,
    requests: { total: requests.length, failed, servedBy: { blue: log.filter((e) => e.colour === 'blue').length, green: log.filter((e) => e.colour === 'green').length } },
    acknowledgedWrites: acked.length,
    lostWrites,
    databaseOfRecord,
    gateRefusal,
    rollback,
    stalled,
    cutover,
    dbRollback,
    writesSinceCutover,
    promoted,
    verify: final,
    oldQueryOnNewSchema,
  };
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
