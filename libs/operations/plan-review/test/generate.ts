/**
 * Produces the plan-review fixtures with the real terraform CLI and AWS provider, offline (see offline-state.ts).
 * `npx tsx --tsconfig libs/operations/plan-review/tsconfig.json libs/operations/plan-review/test/generate.ts [--from-scratch]` rewrites
 * test/fixtures/*.json; the spec runs the same code and
 * checks the committed files still describe what terraform produces.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareOffline, synthStack } from '@bluegreen/testing-terraform';
import { BASE, fixtureStack, type FixtureVariant } from './fixture-stack';
import { planChangedConfig, settleState, type CraftedState } from './offline-state';

export const FIXTURE_CASES: Readonly<Record<string, FixtureVariant>> = {
  /** (a) one resource added. */
  added: { ...BASE, withExtraAlarm: true },
  /** (b) 10 % of the traffic to green: only the listener changes. */
  weight: { ...BASE, blueWeight: 90, greenWeight: 10 },
  /** (c) renaming the cluster identifier forces a replacement of the Aurora cluster (and its writer). */
  'replace-db': { ...BASE, clusterIdentifier: 'aurora-cluster-v2-fx' },
};

export const FIXTURE_DIR = join(__dirname, 'fixtures');

export interface GeneratedFixtures {
  readonly plans: Record<string, Record<string, unknown>>;
  readonly settleRounds: number;
}

/** Returns undefined when terraform or the mirror is missing outside CI (testing-terraform warns loudly). */
/**
 * The parts of a plan the review reads. `configuration` (which would carry the offline overlay's mock credential
 * strings), `planned_values` and `prior_state` are dropped to keep the fixtures small and credential-free.
 */
export function trimPlan(plan: Record<string, unknown>): Record<string, unknown> {
  const keep = ['format_version', 'terraform_version', 'resource_changes', 'output_changes', 'applyable', 'complete', 'errored'];
  return Object.fromEntries(keep.filter((k) => k in plan).map((k) => [k, plan[k]]));
}

export const BASE_STATE_FILE = join(FIXTURE_DIR, 'base-state.json');

export function committedBaseState(): CraftedState | undefined {
  return existsSync(BASE_STATE_FILE) ? (JSON.parse(readFileSync(BASE_STATE_FILE, 'utf8')) as CraftedState) : undefined;
}

/**
 * @param options.fromScratch craft the base state from an empty one (3 settle rounds) instead of starting from the
 *   committed base-state.json (which must then settle in 0 rounds: the proof it is still in sync with the config).
 */
export function generateFixtures(options: { write?: boolean; fromScratch?: boolean } = {}): GeneratedFixtures {
  const work = prepareOffline(synthStack(fixtureStack(BASE)), 'plan-review-fixtures');
  try {
    const initial = options.fromScratch ? undefined : committedBaseState();
    const { state, rounds } = settleState(work, { initial });
    const plans: Record<string, Record<string, unknown>> = {};
    for (const [name, variant] of Object.entries(FIXTURE_CASES)) {
      // Every case starts from the same settled state (planning never writes state).
      writeFileSync(join(work.dir, 'offline.tfstate'), JSON.stringify(state, null, 2));
      plans[name] = trimPlan(planChangedConfig(work, synthStack(fixtureStack(variant))));
    }
    if (options.write) {
      mkdirSync(FIXTURE_DIR, { recursive: true });
      writeFileSync(join(FIXTURE_DIR, 'base-state.json'), `${JSON.stringify({ ...state, lineage: '00000000-0000-4000-8000-000000000000' }, null, 2)}\n`);
      for (const [name, plan] of Object.entries(plans)) writeFileSync(join(FIXTURE_DIR, `${name}.json`), `${JSON.stringify(plan, null, 2)}\n`);
    }
    return { plans, settleRounds: rounds };
  } finally {
    work.dispose();
  }
}

if (require.main === module) {
  const result = generateFixtures({ write: true, fromScratch: process.argv.includes('--from-scratch') });
  console.log(`settled in ${result.settleRounds} round(s); wrote ${Object.keys(result.plans).join(', ')} to ${FIXTURE_DIR}`);
}
