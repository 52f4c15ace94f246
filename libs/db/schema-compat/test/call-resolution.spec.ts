/**
 * The checker's model of how the old application's calls resolve (untyped parameters, as node-postgres sends them,
 * and integer literals) against the server's own answer: every function returns its own signature, each call is run
 * on blue and on green, and the checker must report a change exactly when the server's answer changed.
 */
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { Client } from 'pg';
import { checkCompatibility } from '../src';

interface Case {
  readonly name: string;
  /** Argument lists of the functions `f` on blue; green has these plus `added`. */
  readonly blue: readonly string[];
  readonly added: readonly string[];
  /** Calls the old application makes (`$1` is sent untyped). */
  readonly calls: readonly string[];
}

const CASES: Case[] = [
  { name: 'cr_int_bigint', blue: ['int'], added: ['bigint'], calls: ['f($1)', 'f(5)'] },
  { name: 'cr_int_text', blue: ['int'], added: ['text'], calls: ['f($1)', 'f(5)'] },
  { name: 'cr_bigint_numeric', blue: ['bigint'], added: ['numeric'], calls: ['f($1)', 'f(5)'] },
  { name: 'cr_int_numeric', blue: ['int'], added: ['numeric'], calls: ['f($1)', 'f(5)'] },
  { name: 'cr_int_float8', blue: ['int'], added: ['double precision'], calls: ['f($1)', 'f(5)'] },
  { name: 'cr_text_int', blue: ['text'], added: ['int'], calls: ['f($1)'] },
  { name: 'cr_varchar_text', blue: ['varchar'], added: ['text'], calls: ['f($1)'] },
  { name: 'cr_other_arity', blue: ['int'], added: ['int, int'], calls: ['f($1)', 'f(5)'] },
  { name: 'cr_default_argument', blue: ['a int, b int DEFAULT 0'], added: ['int'], calls: ['f($1)', 'f(5)', 'f($1, $2)'] },
  { name: 'cr_two_arguments', blue: ['int, text'], added: ['bigint, text'], calls: ['f($1, $2)', 'f(5, $1)'] },
  { name: 'cr_unchanged_pair', blue: ['int', 'text'], added: [], calls: ['f($1)', 'f(5)'] },
];

const functions = (s: string, args: readonly string[]) => args.map((a) => `CREATE FUNCTION ${s}.f(${a}) RETURNS text LANGUAGE sql AS $$SELECT '${a}'$$;`).join(' ');

let pg: TestPostgres;
let blueUrl: string;
let greenUrl: string;

beforeAll(async () => {
  pg = await startPostgres();
  [blueUrl, greenUrl] = await Promise.all([pg.createDatabase('calls_b'), pg.createDatabase('calls_g')]);
  await pg.exec(blueUrl, CASES.map((c) => `CREATE SCHEMA ${c.name}; ${functions(c.name, c.blue)}`).join('\n'));
  await pg.exec(greenUrl, CASES.map((c) => `CREATE SCHEMA ${c.name}; ${functions(c.name, [...c.blue, ...c.added])}`).join('\n'));
}, 60_000);
afterAll(async () => pg?.stop());

/** What the server does with a call: the signature of the function it ran, or the error. */
async function serverAnswer(url: string, schema: string, call: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const values = ['5', '6'].slice(0, (call.match(/\$\d/g) ?? []).length);
    const r = await client.query(`SELECT ${schema}.${call} AS r`, values);
    return `ran ${r.rows[0].r}`;
  } catch (err) {
    return `error: ${(err as Error).message.replace(`${schema}.`, '')}`;
  } finally {
    await client.end();
  }
}

describe('call resolution agrees with the server', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const report = await checkCompatibility({ blue: { url: blueUrl }, green: { url: greenUrl }, schemas: [c.name] });
    const reported = report.changes.filter((x) => x.kind === 'function.call_ambiguous' || x.kind === 'function.call_resolves_elsewhere');
    const expected: string[] = [];
    for (const call of c.calls) {
      const before = await serverAnswer(blueUrl, c.name, call);
      const after = await serverAnswer(greenUrl, c.name, call);
      if (!before.startsWith('ran ') || before === after) continue; // the call did not work on blue, or works the same
      expected.push(after.includes('is not unique') ? 'function.call_ambiguous' : 'function.call_resolves_elsewhere');
    }
    if (expected.length === 0) expect(reported).toEqual([]);
    else {
      expect(reported.length).toBeGreaterThan(0);
      // one change per old function; ambiguity wins when both happen
      expect(reported.map((x) => x.kind)).toContain(expected.includes('function.call_ambiguous') ? 'function.call_ambiguous' : 'function.call_resolves_elsewhere');
      expect(report.compatible).toBe(false);
    }
  }, 30_000);
});
