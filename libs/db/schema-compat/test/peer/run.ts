/* Development aid: run all peer cases and print disagreements.
   `BLUEGREEN_PEER_FIXTURES=<dir> npx tsx libs/db/schema-compat/test/peer/run.ts [filter]` */
import { startPostgres } from '@bluegreen/testing-postgres';
import { createFixtureRoles, loadCases, parseVerdicts, runAll } from './harness';

async function main() {
  const filter = process.argv[2];
  const pg = await startPostgres();
  try {
    const all = loadCases();
    const cases = filter ? all.filter((c) => `${c.project}/${c.name}`.includes(filter)) : all;
    await createFixtureRoles(pg, all);
    const t0 = Date.now();
    const results = await runAll(pg, cases, Number(process.env.CONCURRENCY ?? 4));
    const verdicts = parseVerdicts();
    let diffAgree = 0;
    let verdictAgree = 0;
    let verdictTotal = 0;
    for (const r of results) {
      const key = `${r.case.project}/${r.case.name}`;
      const v = verdicts.get(key);
      const diffOk = r.loadError ? true : r.foundDifference === r.case.peerFindsDifference;
      if (diffOk) diffAgree++;
      let vOk = true;
      if (v && v.verdict !== 'DEPENDS') {
        verdictTotal++;
        vOk = v.verdict === 'BREAKING' ? !r.compatible : r.compatible;
        if (vOk) verdictAgree++;
      }
      if (!diffOk || !vOk || filter || process.env.ALL) {
        console.log(`\n=== ${key} peer=${r.case.peerOutcome} judged=${v?.verdict ?? '-'} found=${r.foundDifference} compatible=${r.compatible} ${r.loadError ? 'LOADERROR' : ''}`);
        for (const c of r.changes) console.log(`   ${c.compatibility.padEnd(12)} ${c.kind.padEnd(34)} ${c.object}: ${c.detail}`);
      }
    }
    console.log(`\ndifference agreement ${diffAgree}/${results.length}; verdict agreement ${verdictAgree}/${verdictTotal}; ${Date.now() - t0} ms`);
  } finally {
    await pg.stop();
  }
}
void main();
