import { classifyPgError, connect, DatabaseError, describeTarget, exportSnapshot, readOnlySnapshot } from '@bluegreen/pg-connect';
import type { Client } from 'pg';
import { readCatalog, type Catalog } from './catalog';
import { VerifyInputError } from './errors';
import { compareTable, type Side } from './compare';
import { CANONICAL_SESSION_SQL, SCAN_TUNING_SQL } from './sql';
import type { TableResult, VerifyProgress, VerifyResult } from './types';

export interface VerifyOptions {
  /** Source database URL (`postgres://…`). */
  readonly source: string;
  /** Target database URL. */
  readonly target: string;
  /**
   * Tables to compare, as `schema.table` or `table` (found in any schema when unambiguous).
   * @default - every user table of either side
   */
  readonly tables?: readonly string[];
  /**
   * Schemas left out of the default table list (a table named in `tables` is compared anyway).
   * @default ['awsdms_control'] - AWS DMS's control tables on a migration target
   */
  readonly excludeSchemas?: readonly string[];
  /** Connections per side; tables are compared this many at a time. @default 2 */
  readonly parallel?: number;
  /** Target rows per primary-key chunk. @default 10000 */
  readonly chunkSize?: number;
  /** Differing rows listed per table. @default 100 */
  readonly maxDifferences?: number;
  /** Server-side statement timeout for every query. @default 600000 (10 min) */
  readonly statementTimeoutMs?: number;
  /** TCP + TLS + authentication must finish within this. @default 10000 */
  readonly connectTimeoutMs?: number;
  /**
   * Called once before the first table (both snapshots are taken by then), when each table starts (`started`) and
   * after each table (`table`); awaited.
   */
  readonly onProgress?: (progress: VerifyProgress) => void | Promise<void>;
}

function positiveInt(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new VerifyInputError(`${name} must be an integer 1-${max}, got ${String(value)}`);
  return value;
}

/** Schemas `verifyData` skips unless told otherwise: where AWS DMS keeps its control tables on the target. */
export const DEFAULT_EXCLUDED_SCHEMAS: readonly string[] = ['awsdms_control'];

/** Resolves `--table` names against both catalogs; without any, every table outside the excluded schemas. */
export function resolveTables(requested: readonly string[] | undefined, source: Catalog, target: Catalog, excludeSchemas: readonly string[] = DEFAULT_EXCLUDED_SCHEMAS): string[] {
  const all = new Set([...source.tables.keys(), ...target.tables.keys()]);
  if (!requested || requested.length === 0) {
    const schemaOf = (k: string) => (source.tables.get(k) ?? target.tables.get(k))?.schema;
    return [...all].filter((k) => !excludeSchemas.includes(schemaOf(k) ?? '')).sort();
  }
  const out = new Set<string>();
  for (const name of requested) {
    if (all.has(name)) {
      out.add(name);
      continue;
    }
    if (!name.includes('.')) {
      const matches = [...all].filter((k) => k.slice(k.indexOf('.') + 1) === name);
      if (matches.length === 1) {
        out.add(matches[0]);
        continue;
      }
      if (matches.length > 1) throw new VerifyInputError(`table ${JSON.stringify(name)} is ambiguous: ${matches.join(', ')}; name it as schema.table`);
    }
    throw new VerifyInputError(`table ${JSON.stringify(name)} exists in neither the source nor the target`);
  }
  return [...out].sort();
}

async function open(url: string, statementTimeoutMs: number, connectTimeoutMs: number, idleInTransactionTimeoutMs: number): Promise<Client> {
  const client = await connect({
    url,
    applicationName: 'bluegreen-data-verify',
    statementTimeoutMs,
    connectTimeoutMs,
    idleInTransactionTimeoutMs,
  });
  try {
    await client.query(`${CANONICAL_SESSION_SQL}; ${SCAN_TUNING_SQL}`);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw classifyPgError(err, describeTarget(url));
  }
  return client;
}

/**
 * Compares the data of every table (or the chosen ones) between two PostgreSQL databases.
 *
 * Each side is read in one consistent snapshot (REPEATABLE READ, READ ONLY; extra connections adopt the first
 * one's exported snapshot). Any database failure (connection, authentication, timeout, permission) rejects with a
 * classified `DatabaseError`: the caller must fail closed.
 */
export async function verifyData(options: VerifyOptions): Promise<VerifyResult> {
  const parallel = positiveInt('parallel', options.parallel, 2, 64);
  const chunkSize = positiveInt('chunkSize', options.chunkSize, 10_000);
  const maxDifferences = positiveInt('maxDifferences', options.maxDifferences, 100);
  const statementTimeoutMs = positiveInt('statementTimeoutMs', options.statementTimeoutMs, 600_000);
  const connectTimeoutMs = positiveInt('connectTimeoutMs', options.connectTimeoutMs, 10_000);
  const targets = { source: describeTarget(options.source), target: describeTarget(options.target) };

  const clients: Client[] = [];
  const openPair = async (leader: boolean): Promise<[Client, Client]> => {
    // The leaders hold the exported snapshots open while other connections work: no idle-in-transaction limit there.
    const idle = leader ? 0 : statementTimeoutMs;
    const [s, t] = await Promise.allSettled([
      open(options.source, statementTimeoutMs, connectTimeoutMs, idle),
      open(options.target, statementTimeoutMs, connectTimeoutMs, idle),
    ]);
    for (const r of [s, t]) if (r.status === 'fulfilled') clients.push(r.value);
    if (s.status === 'rejected') throw classifyPgError(s.reason, targets.source);
    if (t.status === 'rejected') throw classifyPgError(t.reason, targets.target);
    return [s.value, t.value];
  };

  try {
    const [sLead, tLead] = await openPair(true);
    return await readOnlySnapshot(sLead, () =>
      readOnlySnapshot(tLead, async () => {
        // Both sides at once, but one query at a time per connection (pg 9 drops queued concurrent queries).
        const side = async (lead: typeof sLead) => [await exportSnapshot(lead), await readCatalog(lead)] as const;
        const [[sSnap, sCat], [tSnap, tCat]] = await Promise.all([side(sLead), side(tLead)]);
        const names = resolveTables(options.tables, sCat, tCat, options.excludeSchemas ?? DEFAULT_EXCLUDED_SCHEMAS);
        // Largest first, so parallel workers finish together.
        const size = (n: string) => Math.max(sCat.tables.get(n)?.bytes ?? 0, tCat.tables.get(n)?.bytes ?? 0);
        const queue = [...names].sort((a, b) => size(b) - size(a));
        const results = new Map<string, TableResult>();
        const warnings = new Map<string, readonly string[]>();
        let done = 0;
        await options.onProgress?.({ done, total: names.length });

        const work = async (s: Client, t: Client) => {
          const source: Side = { client: s, catalog: sCat };
          const target: Side = { client: t, catalog: tCat };
          for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
            await options.onProgress?.({ done, total: names.length, started: name });
            let outcome;
            try {
              outcome = await compareTable(name, source, target, { chunkSize, maxDifferences });
            } catch (err) {
              queue.length = 0; // fail fast: the other workers stop after their current table
              const e = classifyPgError(err);
              throw new DatabaseError(`${name}: ${e.message}`, e, { cause: err });
            }
            results.set(name, outcome.result);
            warnings.set(name, outcome.warnings);
            await options.onProgress?.({ done: ++done, total: names.length, table: name });
          }
        };
        const extra = Math.min(parallel, names.length) - 1;
        const workers: Promise<void>[] = [work(sLead, tLead)];
        for (let i = 0; i < extra; i++) {
          workers.push(
            openPair(false).then(([s, t]) => readOnlySnapshot(s, () => readOnlySnapshot(t, () => work(s, t), { snapshot: tSnap }), { snapshot: sSnap })),
          );
        }
        const settled = await Promise.allSettled(workers);
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;

        const tables = names.map((n) => results.get(n) as TableResult);
        return {
          identical: tables.every((r) => r.status === 'identical'),
          tables,
          warnings: names.flatMap((n) => warnings.get(n) ?? []),
        };
      }),
    );
  } catch (err) {
    if (err instanceof VerifyInputError) throw err;
    // readOnlySnapshot wraps whatever its callback throws; an input problem stays an input problem.
    if (err instanceof Error && err.cause instanceof VerifyInputError) throw err.cause;
    throw classifyPgError(err);
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
