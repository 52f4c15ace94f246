/**
 * The checker against the peer projects' fixtures (directory from BLUEGREEN_PEER_FIXTURES; `nx run
 * schema-compat:peer` skips with the reason when it is unset): for every migra (26) and
 * pg-schema-diff (415) case, before.sql and after.sql are loaded into two real databases and compared.
 *
 *  1. A difference is found exactly when the peer finds one (migra: non-empty expected.sql; pg-schema-diff: the
 *     case does not set expectEmptyPlan).
 *  2. Cases judged BREAKING in VERDICTS.md are `incompatible`; cases judged SAFE are `compatible`
 *     (DEPENDS cases are not asserted).
 *
 * Disagreements are listed below, each with the reason, and asserted: they must stay exactly as documented.
 */
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { createFixtureRoles, loadCases, parseVerdicts, peerFixturesDirFromEnv, PEER_FIXTURES_ENV, runAll, type CaseResult } from './harness';

interface KnownDisagreement {
  readonly check: 'difference' | 'verdict';
  readonly case: string;
  readonly peer: string;
  readonly ours: string;
  readonly reason: string;
}

export const KNOWN_DISAGREEMENTS: readonly KnownDisagreement[] = [
  {
    check: 'difference',
    case: 'pg-schema-diff/sequence__no-op',
    peer: 'no expectEmptyPlan flag',
    ours: 'no difference',
    reason: 'before.sql and after.sql are byte-identical (the peer test is named "No-op" and only omits the flag); there is nothing to find',
  },
  {
    check: 'verdict',
    case: 'migra/singleschema_ext',
    peer: 'SAFE',
    ours: 'incompatible',
    reason: "judged SAFE only under migra's --create-extensions-only mode, which hides that hstore and public.t are dropped; we compare the whole database and report those drops (migra/extversions, the same hstore drop, is judged BREAKING)",
  },
  {
    check: 'verdict',
    case: 'pg-schema-diff/table__force-rls',
    peer: 'BREAKING',
    ours: 'compatible',
    reason: 'FORCE ROW LEVEL SECURITY without ENABLE ROW LEVEL SECURITY has no effect (PostgreSQL applies policies only when relrowsecurity is on); we report it as compatible, and enabling RLS later is judged on its own',
  },
];

const root = peerFixturesDirFromEnv();
// The `schema-compat:peer` target skips (with the reason) before jest starts when the variable is unset; reaching
// this file without it is a misconfigured run, which must fail rather than pass with nothing checked.
if (!root) throw new Error(`${PEER_FIXTURES_ENV} is not set: run the replay through \`nx run schema-compat:peer\` (it skips with the reason when the fixtures are not given)`);

describe('peer fixtures (migra, pg-schema-diff)', () => {
  let pg: TestPostgres;
  let results: CaseResult[] = [];
  const verdicts = parseVerdicts(root);

  beforeAll(async () => {
    pg = await startPostgres();
    const cases = loadCases(root);
    await createFixtureRoles(pg, cases);
    results = await runAll(pg, cases, 3);
  }, 600_000);
  afterAll(async () => pg?.stop());

  it('loads all 441 cases, and the invalid one fails to load as intended', () => {
    expect(results.filter((r) => r.case.project === 'migra')).toHaveLength(26);
    expect(results.filter((r) => r.case.project === 'pg-schema-diff')).toHaveLength(415);
    const failed = results.filter((r) => r.loadError).map((r) => r.case.name);
    expect(failed).toEqual(['database_schema_source__dir-src-invalid-sql']);
    expect(results.find((r) => r.loadError)?.loadError).toMatch(/non_existent_table/);
  });

  it('parses the judged verdicts of VERDICTS.md (26 migra + 93 pg-schema-diff), each naming a real case', () => {
    expect(verdicts.size).toBe(119);
    const names = new Set(results.map((r) => `${r.case.project}/${r.case.name}`));
    for (const key of verdicts.keys()) expect(names).toContain(key);
  });

  it('finds a difference exactly when the peer does (except the documented disagreements)', () => {
    const known = new Set(KNOWN_DISAGREEMENTS.filter((d) => d.check === 'difference').map((d) => d.case));
    const disagreements = results
      .filter((r) => !r.loadError && r.foundDifference !== r.case.peerFindsDifference)
      .map((r) => `${r.case.project}/${r.case.name}`);
    const score = results.length - disagreements.length;
    console.log(`peer fixtures: difference found exactly when the peer finds one in ${score}/${results.length} cases`);
    expect(disagreements.sort()).toEqual([...known].sort());
  });

  it('judges BREAKING cases incompatible and SAFE cases compatible (except the documented disagreements)', () => {
    const known = new Map(KNOWN_DISAGREEMENTS.filter((d) => d.check === 'verdict').map((d) => [d.case, d]));
    const wrong: string[] = [];
    let judged = 0;
    for (const r of results) {
      const key = `${r.case.project}/${r.case.name}`;
      const v = verdicts.get(key);
      if (!v || v.verdict === 'DEPENDS') continue;
      judged++;
      const ok = v.verdict === 'BREAKING' ? !r.compatible : r.compatible;
      if (!ok) wrong.push(key);
      const k = known.get(key);
      if (k) expect(r.compatible ? 'compatible' : 'incompatible').toBe(k.ours);
    }
    console.log(`peer fixtures: verdict agrees with VERDICTS.md in ${judged - wrong.length}/${judged} BREAKING/SAFE cases`);
    expect(wrong.sort()).toEqual([...known.keys()].sort());
  });

  it('explains every change in words, names the object, and says how to make a breaking one compatible', () => {
    for (const r of results) {
      for (const c of r.changes) {
        expect(c.detail.length).toBeGreaterThan(15);
        expect(c.object).not.toBe('');
        expect(['compatible', 'incompatible', 'warning']).toContain(c.compatibility);
        if (c.compatibility === 'compatible') expect(c.hint).toBeNull();
        else expect(c.hint?.length ?? 0).toBeGreaterThan(20);
      }
    }
  });
});
