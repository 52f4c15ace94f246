/**
 * Second tier: what the OLD application, connected as its role with its search_path, observes on the NEW schema.
 * One table of cases per family, each a breaking change and harmless look-alikes, against a real PostgreSQL. Every
 * case lives in its own schema(s) (`{s}` below is the case name) of one blue and one green database; roles are
 * cluster-wide and created once; `{db}` is the database's name (for ALTER ROLE … IN DATABASE).
 */
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { checkCompatibility, formatReportText, reportToJson, type Change, type CompatibilityReport } from '../src';
import { expand, FAMILIES, ROLE_SETUP, ROLES, type Case } from './support/family-cases';

const ALL = Object.entries(FAMILIES).flatMap(([family, cases]) => cases.map((c) => ({ family, ...c })));

let pg: TestPostgres;
let blueUrl: string;
let greenUrl: string;
const reports = new Map<string, CompatibilityReport>();


beforeAll(async () => {
  pg = await startPostgres();
  [blueUrl, greenUrl] = await Promise.all([pg.createDatabase('families_b'), pg.createDatabase('families_g')]);
  await pg.exec(pg.adminUrl, `DO $$ BEGIN ${ROLES.map((r) => `IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r}') THEN CREATE ROLE ${r}; END IF;`).join(' ')} END $$; ${ROLE_SETUP}`);
  const script = (side: 'blue' | 'green', url: string) => {
    const db = new URL(url).pathname.slice(1);
    return ALL.map((c) => `CREATE SCHEMA ${c.name}; SET search_path = ${c.name}; ${expand(c[side], c, db)} RESET search_path;`).join('\n');
  };
  await Promise.all([pg.exec(blueUrl, script('blue', blueUrl)), pg.exec(greenUrl, script('green', greenUrl))]);
}, 120_000);
afterAll(async () => pg?.stop());

async function check(c: Case): Promise<CompatibilityReport> {
  const report = await checkCompatibility({ blue: { url: blueUrl }, green: { url: greenUrl }, schemas: (c.schemas ?? ['{s}']).map((s) => expand(s, c, '')), appRole: c.appRole });
  reports.set(c.name, report);
  return report;
}

for (const [family, cases] of Object.entries(FAMILIES)) {
  describe(`${family} (real server)`, () => {
    it('has a breaking case and a harmless look-alike', () => {
      expect(cases.some((c) => c.direction === 'breaking')).toBe(true);
      expect(cases.some((c) => c.direction === 'harmless')).toBe(true);
    });

    it.each(cases.map((c) => [`${c.direction}: ${c.name}`, c] as const))('%s', async (_name, c) => {
      const report = await check(c);
      const got = report.changes.map((x: Change) => [x.kind, x.object, x.compatibility]);
      expect(got).toEqual(expect.arrayContaining(c.expect.map(([kind, object, verdict]) => [kind, expand(object, c, ''), verdict])));
      if (c.none) expect(report.changes).toEqual([]);
      for (const kind of c.absent ?? []) expect(report.changes.map((x) => x.kind)).not.toContain(kind);
      expect(report.compatible).toBe(c.compatible);
      if (c.direction === 'breaking') expect(report.summary.incompatible).toBeGreaterThan(0);
      if (c.detail) expect(report.changes.map((x) => x.detail).join('\n')).toMatch(c.detail);
      // remediation: every change that is not compatible says how to make it compatible
      for (const x of report.changes) {
        if (x.compatibility === 'compatible') expect(x.hint).toBeNull();
        else expect(x.hint).toEqual(expect.any(String));
      }
      if (c.dependsOnRole !== undefined) for (const x of report.changes.filter((y) => y.compatibility !== 'compatible')) expect(x.dependsOnRole).toBe(c.dependsOnRole);
      if (c.appRole) expect(report.changes.every((x) => !x.dependsOnRole)).toBe(true);
    }, 30_000);
  });
}

describe('what the check reads is readable without superuser', () => {
  it('a plain login role (no superuser, no grants) runs the whole check, application role included', async () => {
    await pg.exec(pg.adminUrl, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fam_checker') THEN CREATE ROLE fam_checker LOGIN PASSWORD 'checker-pw'; END IF; END $$");
    const as = (url: string) => {
      const u = new URL(url);
      u.username = 'fam_checker';
      u.password = 'checker-pw';
      return u.toString();
    };
    const c = FAMILIES['name resolution'][0];
    const report = await checkCompatibility({ blue: { url: as(blueUrl) }, green: { url: as(greenUrl) }, schemas: (c.schemas ?? []).map((x) => expand(x, c, '')), appRole: c.appRole });
    expect(report.changes.map((x) => x.kind)).toContain('name.shadowed');
    expect(report.blue.user).toBe('fam_checker');
  }, 30_000);
});

describe('remediation and role dependence in the report', () => {
  it('text and JSON carry the hint of every incompatible change and warning, and say which verdicts depend on the role', async () => {
    const c = FAMILIES.access.find((x) => x.name === 'acc_no_role_given') as Case;
    const report = reports.get(c.name) ?? (await check(c));
    const json = reportToJson(report) as { changes: Array<{ compatibility: string; hint: string | null; dependsOnRole: boolean }> };
    const broken = json.changes.filter((x) => x.compatibility !== 'compatible');
    expect(broken.length).toBeGreaterThan(0);
    for (const x of broken) {
      expect(x.hint?.length ?? 0).toBeGreaterThan(20);
      expect(x.dependsOnRole).toBe(true);
    }
    const text = formatReportText(report);
    expect(text).toContain(`make it compatible: ${broken[0].hint}`);
    expect(text).toContain('depends on the role the application connects as: pass --app-role');
  });
});
