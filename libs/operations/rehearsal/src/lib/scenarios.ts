/** The scenarios and the KPIs each one is judged by. Judging is pure: facts in, KPIs out. */
import type { AppFaults } from './standins/app';
import type { SchemaVersion } from './standins/schema';
import type { Kpi, RehearsalFacts, ScenarioName } from './types';

export interface ScenarioSpec {
  readonly name: ScenarioName;
  readonly description: string;
  readonly expectation: string;
  readonly newSchema: SchemaVersion;
  /** A fault green gets when the listener reaches `fromStage` (percent). */
  readonly greenFault?: { readonly fromStage: 'first' | number; readonly faults: (p95ThresholdSeconds: number) => AppFaults };
  /** After 100 %: the database cutover, then promote or a rollback through reverse replication. */
  readonly afterFullShift?: 'cutover-promote' | 'cutover-rollback';
}

export const SCENARIO_SPECS: Readonly<Record<ScenarioName, ScenarioSpec>> = {
  happy: {
    name: 'happy',
    description: 'schema gate, every stage to 100 %, database cutover with reverse replication started, promote',
    expectation: 'no failed request, no acknowledged write lost, every stage reached, cutover done, green promoted, data identical',
    newSchema: 'v2',
    afterFullShift: 'cutover-promote',
  },
  'bad-green': {
    name: 'bad-green',
    description: 'green answers 5xx at 3 % from the 25 % stage',
    expectation: 'the watch rolls back on its own (5xx reason) within the watch interval + 5 s; only requests green served before the rollback fail',
    newSchema: 'v2',
    greenFault: { fromStage: 25, faults: () => ({ errorRate: 0.03 }) },
  },
  'slow-green': {
    name: 'slow-green',
    description: "green's p95 goes over the threshold (latency added to every request)",
    expectation: 'the watch rolls back with the latency reason; no request fails',
    newSchema: 'v2',
    greenFault: { fromStage: 'first', faults: (p95) => ({ latencyMs: Math.round(p95 * 1000 * 1.25) }) },
  },
  'breaking-schema': {
    name: 'breaking-schema',
    description: "green's schema renames a view column the old version reads",
    expectation: "the schema gate refuses the first shift; green never serves; the old version's read fails on the new schema",
    newSchema: 'v2-breaking',
  },
  'rollback-after-cutover': {
    name: 'rollback-after-cutover',
    description: 'writes land on the new database after cutover, then traffic and the database roll back through reverse replication',
    expectation: 'every write made since cutover is on the old database after the rollback; no failed request; data identical',
    newSchema: 'v2',
    afterFullShift: 'cutover-rollback',
  },
};

const kpi = (name: string, expected: string, actual: string, met: boolean): Kpi => ({ name, expected, actual, met });
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function failedRequests(f: RehearsalFacts, expected = 0): Kpi {
  const n = f.requests.failed.length;
  return kpi('failed requests', String(expected), `${n} of ${f.requests.total}`, n === expected);
}

function common(f: RehearsalFacts): Kpi[] {
  const v = f.verify;
  return [
    kpi(
      `acknowledged writes lost (looked up in the ${f.databaseOfRecord} database)`,
      '0',
      `${f.lostWrites.length} of ${f.acknowledgedWrites}${f.lostWrites.length ? ` (${f.lostWrites.slice(0, 3).join(', ')}${f.lostWrites.length > 3 ? ', …' : ''})` : ''}`,
      f.acknowledgedWrites > 0 && f.lostWrites.length === 0,
    ),
    'error' in v
      ? kpi('data verify old / new at the end', 'identical', `could not run: ${v.error}`, false)
      : kpi('data verify old / new at the end', 'identical', v.identical ? `identical (${v.compared.join(', ')})` : `different: ${v.detail}`, v.identical && v.compared.length > 0),
  ];
}

/** The KPIs of a run of `scenario`. */
export function judge(scenario: ScenarioName, f: RehearsalFacts): Kpi[] {
  const last = f.stages[f.stages.length - 1];
  const reached = f.stagesReached.length ? `${f.stagesReached.join(' -> ')} %` : 'none';
  switch (scenario) {
    case 'happy':
      return [
        failedRequests(f),
        kpi('stages reached', `${f.stages.join(' -> ')} %`, `${reached}${f.stalled ? ` (${f.stalled})` : ''}${f.rollback ? ` (rolled back: ${f.rollback.reasons.join('; ')})` : ''}`, f.stagesReached[f.stagesReached.length - 1] === last && !f.rollback),
        kpi('database cutover', 'done, reverse replication running', f.cutover ? `${f.cutover.outcome}${f.cutover.reverseRunning ? ', reverse replication running' : ', reverse replication NOT running'} (${f.cutover.detail})` : 'not reached', f.cutover?.outcome === 'done' && f.cutover.reverseRunning),
        kpi('promoted', 'green is live', f.promoted ? `${f.promoted.to} is live` : 'not promoted', f.promoted?.to === 'green'),
        ...common(f),
      ];
    case 'bad-green': {
      const r = f.rollback;
      const limit = f.watchIntervalMs + 5000;
      const strays = r ? f.requests.failed.filter((q) => q.servedBy !== 'green' || q.start > r.t) : f.requests.failed;
      const reaction = r && r.firstBadSignalT !== undefined ? r.t - r.firstBadSignalT : undefined;
      return [
        kpi('automatic rollback', 'by the watch, 5xx reason, at 25 % or later', r ? `at ${r.stage} %: ${r.reasons.join('; ')}` : 'no rollback', !!r && r.stage >= 25 && r.reasons.some((x) => x.includes('5xx'))),
        kpi('failed requests other than green before the rollback', '0', `${strays.length} (of ${f.requests.failed.length} failed)`, !!r && strays.length === 0),
        kpi('first 5xx to rollback', `at most ${secs(limit)} (watch interval + 5 s)`, reaction === undefined ? 'not measured' : secs(reaction), reaction !== undefined && reaction <= limit),
        kpi('listener after rollback', 'blue 100 %', r ? 'blue 100 %' : 'not rolled back', !!r),
        ...common(f),
      ];
    }
    case 'slow-green': {
      const r = f.rollback;
      return [
        kpi('automatic rollback', 'by the watch, latency reason', r ? `at ${r.stage} %: ${r.reasons.join('; ')}` : 'no rollback', !!r && r.reasons.some((x) => x.includes('p95 latency'))),
        failedRequests(f),
        ...common(f),
      ];
    }
    case 'breaking-schema': {
      const g = f.gateRefusal;
      const first = f.stages[0];
      return [
        kpi('first shift', `refused by the schema gate at ${first} %`, g ? `refused by ${g.gate} at ${g.stage} %: ${g.detail}` : `not refused (reached ${reached})`, g?.gate === 'schema' && g.stage === first && f.stagesReached.length === 0),
        kpi('requests green served', '0', String(f.requests.servedBy.green), f.requests.servedBy.green === 0),
        kpi("the old version's read on the new schema", 'fails', f.oldQueryOnNewSchema ? f.oldQueryOnNewSchema.detail : 'not tried', f.oldQueryOnNewSchema?.failed === true),
        failedRequests(f),
        ...common(f),
      ];
    }
    case 'rollback-after-cutover': {
      const w = f.writesSinceCutover;
      return [
        kpi('database cutover', 'done', f.cutover ? `${f.cutover.outcome} (${f.cutover.detail})` : 'not reached', f.cutover?.outcome === 'done'),
        kpi('database rollback', 'done', f.dbRollback ? `${f.dbRollback.outcome} (${f.dbRollback.detail})` : 'not reached', f.dbRollback?.outcome === 'done'),
        kpi('writes since cutover on the old database after rollback', 'all (and more than 0)', w ? `${w.onOld} of ${w.acknowledged}` : 'not measured', !!w && w.acknowledged > 0 && w.onOld === w.acknowledged),
        failedRequests(f),
        ...common(f),
      ];
    }
  }
}
