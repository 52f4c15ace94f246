/**
 * Replays the peer fixtures (migra and pg-schema-diff before/after pairs; their README.md describes them) against a
 * real PostgreSQL and runs the checker on every pair. The fixtures are not part of the repository: their directory
 * comes only from BLUEGREEN_PEER_FIXTURES.
 */
import { connect } from '@bluegreen/pg-connect';
import type { TestPostgres } from '@bluegreen/testing-postgres';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { compareSnapshots, introspect, type Change, type SchemaSnapshot } from '../../src';

export const PEER_FIXTURES_ENV = 'BLUEGREEN_PEER_FIXTURES';

/** `$BLUEGREEN_PEER_FIXTURES`, or undefined: there is no default location. */
export function peerFixturesDirFromEnv(): string | undefined {
  return process.env[PEER_FIXTURES_ENV] || undefined;
}

export function peerFixturesDir(): string {
  const dir = peerFixturesDirFromEnv();
  if (!dir) throw new Error(`${PEER_FIXTURES_ENV} is not set: point it at the peer-fixture directory`);
  return dir;
}

export type Project = 'migra' | 'pg-schema-diff';
export type JudgedVerdict = 'BREAKING' | 'SAFE' | 'DEPENDS';

export interface PeerCase {
  readonly project: Project;
  readonly name: string;
  readonly dir: string;
  /** Does the peer project find a difference (a non-empty migration / a plan that is not expected to be empty)? */
  readonly peerFindsDifference: boolean;
  /** The peer's own expectation, for the report. */
  readonly peerOutcome: string;
  readonly schemas?: readonly string[];
  readonly excludeSchemas?: readonly string[];
  /** The after.sql that is meant not to load. */
  readonly afterMustFail: boolean;
}

/** migra's test driver passes these flags (tests/test_migra.py); excludeschema uses --exclude_schema. */
const MIGRA_OPTIONS: Record<string, Pick<PeerCase, 'schemas' | 'excludeSchemas'>> = {
  singleschema: { schemas: ['goodschema'] },
  excludeschema: { excludeSchemas: ['excludedschema'] },
};

interface IndexEntry {
  dir: string;
  name: string;
  expectEmptyPlan?: boolean;
  expectedHazardTypes: string[];
  expectedPlanErrorIs?: string;
  expectedPlanErrorContains?: string;
}

export function loadCases(root = peerFixturesDir()): PeerCase[] {
  const cases: PeerCase[] = [];
  for (const name of readdirSync(join(root, 'migra')).sort()) {
    const dir = join(root, 'migra', name);
    const expected = readFileSync(join(dir, 'expected.sql'), 'utf8').trim();
    cases.push({ project: 'migra', name, dir, peerFindsDifference: expected.length > 0, peerOutcome: expected.length > 0 ? `expected.sql: ${expected.split(';').length - 1} statement(s)` : 'expected.sql empty', ...MIGRA_OPTIONS[name], afterMustFail: false });
  }
  const index = JSON.parse(readFileSync(join(root, 'pg-schema-diff', 'INDEX.json'), 'utf8')) as IndexEntry[];
  for (const entry of index) {
    const outcome = entry.expectEmptyPlan
      ? 'expectEmptyPlan'
      : entry.expectedPlanErrorIs || entry.expectedPlanErrorContains
        ? `plan error ${entry.expectedPlanErrorIs ?? entry.expectedPlanErrorContains}`
        : `plan; hazards: ${entry.expectedHazardTypes.join(',') || 'none'}`;
    cases.push({
      project: 'pg-schema-diff',
      name: entry.dir,
      dir: join(root, 'pg-schema-diff', entry.dir),
      peerFindsDifference: !entry.expectEmptyPlan,
      peerOutcome: outcome,
      afterMustFail: entry.dir === 'database_schema_source__dir-src-invalid-sql',
    });
  }
  return cases;
}

/** The judged verdicts from VERDICTS.md's two case tables, keyed `migra/<case>` and `pg-schema-diff/<dir>`. */
export function parseVerdicts(root = peerFixturesDir()): Map<string, { verdict: JudgedVerdict; reason: string }> {
  const md = readFileSync(join(root, 'VERDICTS.md'), 'utf8');
  const out = new Map<string, { verdict: JudgedVerdict; reason: string }>();
  let section: Project | null = null;
  for (const line of md.split('\n')) {
    if (line.startsWith('## migra cases')) section = 'migra';
    else if (line.startsWith('## pg-schema-diff cases with judgement')) section = 'pg-schema-diff';
    else if (line.startsWith('## ')) section = null;
    if (!section || !line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    const verdictCell = cells.find((c) => /^\*\*(BREAKING|SAFE|DEPENDS)\*\*$/.test(c));
    if (!verdictCell) continue;
    const verdict = verdictCell.replace(/\*/g, '') as JudgedVerdict;
    out.set(`${section}/${cells[1]}`, { verdict, reason: cells[cells.length - 2] });
  }
  return out;
}

/** Roles the fixtures need (cluster-wide): schemainspect_test_role plus every roles.sql. */
export async function createFixtureRoles(pg: TestPostgres, cases: readonly PeerCase[]): Promise<void> {
  const statements = new Set<string>(['CREATE ROLE schemainspect_test_role;']);
  for (const c of cases) {
    const file = join(c.dir, 'roles.sql');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) statements.add(line.trim());
  }
  for (const sql of statements) {
    await pg.exec(pg.adminUrl, sql).catch((err: { code?: string }) => {
      if (err.code !== '42710') throw err; // duplicate_object: already there (shared or external server)
    });
  }
}

async function load(db: PooledDatabase, sql: string): Promise<void> {
  // One simple-query message: like psql -1, the file loads completely or not at all.
  if (sql.trim()) await db.client.query(sql);
}

/**
 * Databases are reused between cases (creating one costs 0.15-1 s here; 882 loads would take minutes): after a
 * case, every extension and every non-system schema is dropped and `public` is re-created exactly as initdb makes
 * it. `resetDatabase` then proves the reset is equivalent to a fresh database: the checker must find no
 * difference between it and a never-used database.
 */
const RESET_SQL = `DO $reset$ DECLARE r record; BEGIN
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema')
           AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END $reset$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;`;

async function createDatabase(pg: TestPostgres, name: string): Promise<string> {
  // FILE_COPY is ~7x faster than the default WAL_LOG strategy for an empty template; older servers lack the option.
  await pg.exec(pg.adminUrl, `CREATE DATABASE "${name}" TEMPLATE template0 STRATEGY FILE_COPY`).catch(async (err: { code?: string }) => {
    if (err.code !== '42601' && err.code !== '42704') throw err;
    await pg.exec(pg.adminUrl, `CREATE DATABASE "${name}" TEMPLATE template0`);
  });
  const url = new URL(pg.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

interface PooledDatabase {
  readonly url: string;
  /** One session per database for the whole run (SCRAM authentication per case would cost more than the case). */
  readonly client: Client;
}

interface Pair {
  readonly blue: PooledDatabase;
  readonly green: PooledDatabase;
}

/** One query that is zero/empty exactly when a database holds nothing but a pristine `public` schema. */
const LEFTOVERS_SQL = `SELECT
  (SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public')
     AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%')::int AS schemas,
  (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace)::int AS relations,
  (SELECT count(*) FROM pg_type WHERE typnamespace = 'public'::regnamespace)::int AS types,
  (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)::int AS functions,
  (SELECT count(*) FROM pg_collation WHERE collnamespace = 'public'::regnamespace)::int AS collations,
  (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')::int AS extensions,
  (SELECT nspacl::text || pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public') AS public_acl`;

export class DatabasePool {
  private constructor(
    private readonly pg: TestPostgres,
    readonly pairs: Pair[],
    private readonly pristine: { snapshot: SchemaSnapshot; leftovers: string },
    private readonly names: string[],
  ) {}

  static async create(pg: TestPostgres, size: number): Promise<DatabasePool> {
    const tag = Math.random().toString(16).slice(2, 8);
    const names: string[] = [];
    const pairs: Pair[] = [];
    const open = async (name: string): Promise<PooledDatabase> => {
      const url = await createDatabase(pg, name);
      names.push(name);
      return { url, client: await connect({ url, applicationName: 'peer-fixtures', statementTimeoutMs: 30_000 }) };
    };
    for (let i = 0; i < size; i++) pairs.push({ blue: await open(`peer_${tag}_${i}_b`), green: await open(`peer_${tag}_${i}_g`) });
    const client = pairs[0].blue.client;
    const pristine = { snapshot: await introspect(client), leftovers: JSON.stringify((await client.query(LEFTOVERS_SQL)).rows[0]) };
    return new DatabasePool(pg, pairs, pristine, names);
  }

  /** Empties a database; throws unless it is indistinguishable from a fresh one (by the checker and by counts). */
  async reset(db: PooledDatabase): Promise<void> {
    await db.client.query('ROLLBACK').catch(() => undefined);
    await db.client.query(RESET_SQL);
    await db.client.query('DISCARD ALL');
    const leftovers = JSON.stringify((await db.client.query(LEFTOVERS_SQL)).rows[0]);
    if (leftovers !== this.pristine.leftovers) throw new Error(`database reset left objects behind: ${leftovers} (pristine: ${this.pristine.leftovers})`);
  }

  /** Full proof (slower): the checker sees no difference between the reset database and a fresh one. */
  async assertPristine(db: PooledDatabase): Promise<void> {
    const changes = compareSnapshots(this.pristine.snapshot, await introspect(db.client)).changes;
    if (changes.length > 0) throw new Error(`database reset is not equivalent to a fresh database: ${JSON.stringify(changes)}`);
  }

  async drop(): Promise<void> {
    for (const pair of this.pairs) await Promise.all([pair.blue.client.end(), pair.green.client.end()]).catch(() => undefined);
    for (const name of this.names) await this.pg.exec(this.pg.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  }
}

export interface CaseResult {
  readonly case: PeerCase;
  /** Set when after.sql failed to load (expected for the invalid-sql case). */
  readonly loadError?: string;
  readonly changes: readonly Change[];
  readonly compatible: boolean;
  readonly foundDifference: boolean;
}

export async function runCase(pool: DatabasePool, pair: Pair, c: PeerCase): Promise<CaseResult> {
  try {
    await load(pair.blue, readFileSync(join(c.dir, 'before.sql'), 'utf8'));
    try {
      await load(pair.green, readFileSync(join(c.dir, 'after.sql'), 'utf8'));
    } catch (err) {
      if (!c.afterMustFail) throw new Error(`${c.project}/${c.name}: after.sql failed to load: ${String(err)}`);
      return { case: c, loadError: String(err), changes: [], compatible: false, foundDifference: false };
    }
    if (c.afterMustFail) throw new Error(`${c.project}/${c.name}: after.sql was expected to fail to load but loaded`);
    const options = { schemas: c.schemas, excludeSchemas: c.excludeSchemas };
    const [blue, green] = await Promise.all([introspect(pair.blue.client, options), introspect(pair.green.client, options)]);
    const result = compareSnapshots(blue, green);
    return { case: c, changes: result.changes, compatible: result.compatible, foundDifference: result.changes.length > 0 };
  } finally {
    await Promise.all([pool.reset(pair.blue), pool.reset(pair.green)]);
  }
}

/** Runs every case on a pool of reused database pairs (the server does the heavy lifting; 2 cores here). */
export async function runAll(pg: TestPostgres, cases: readonly PeerCase[], concurrency = 3): Promise<CaseResult[]> {
  const pool = await DatabasePool.create(pg, concurrency);
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (pair: Pair) => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(pool, pair, cases[i]);
    }
  };
  try {
    await Promise.all(pool.pairs.map(worker));
    // the reuse of databases must be invisible to the checker: prove it once more at the end
    for (const pair of pool.pairs) await Promise.all([pool.assertPristine(pair.blue), pool.assertPristine(pair.green)]);
  } finally {
    await pool.drop();
  }
  return results;
}
