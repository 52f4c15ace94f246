import { readOnlySnapshot } from '@bluegreen/pg-connect';
import type { Client } from 'pg';
import type { SchemaSnapshot } from '../model';
import { parseSnapshot, type RawCatalog } from './parse';
import {
  APP_ROLE_PRIVILEGES_QUERY,
  COLUMNS_QUERY,
  CONSTRAINTS_QUERY,
  DATABASE_QUERY,
  EXTENSIONS_QUERY,
  FUNCTIONS_QUERY,
  INDEXES_QUERY,
  POLICIES_QUERY,
  RELATIONS_QUERY,
  ROLE_EXISTS_QUERY,
  SCHEMAS_QUERY,
  SEQUENCES_QUERY,
  TRIGGERS_QUERY,
  TYPES_QUERY,
  type CatalogQuery,
  type RawDatabase,
  type RawRole,
} from './queries';

export interface IntrospectOptions {
  /** Schemas to read. @default - every non-system schema */
  readonly schemas?: readonly string[];
  /** Schemas to leave out. @default [] */
  readonly excludeSchemas?: readonly string[];
  /** Role whose effective privileges are compared (the role the application connects as). @default - none */
  readonly appRole?: string;
  /** Called after each catalog query (for benchmarks and debug logs). */
  readonly onQuery?: (query: { name: string; ms: number; rows: number }) => void;
}

/**
 * Reads a database's schema into a frozen snapshot: a fixed number of catalog queries (12, plus 2 with an
 * application role) in one read-only REPEATABLE READ transaction. Never writes; never runs DDL.
 * The client's session timeouts (statement_timeout, lock_timeout) bound every query.
 */
export async function introspect(client: Client, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  const include = options.schemas && options.schemas.length > 0 ? [...options.schemas] : null;
  const exclude = [...(options.excludeSchemas ?? [])];
  let count = 0;
  const run = async <T>(c: Client, query: CatalogQuery): Promise<T[]> => {
    count++;
    const kind = query.parameters ?? 'schemas';
    const params = kind === 'none' ? [] : kind === 'role' ? [options.appRole] : kind === 'schemas+role' ? [include, exclude, options.appRole] : [include, exclude];
    const started = performance.now();
    const result = await c.query({ text: query.sql, values: params });
    options.onQuery?.({ name: query.name, ms: performance.now() - started, rows: result.rows.length });
    return result.rows as T[];
  };
  const raw = await readOnlySnapshot(client, async (c): Promise<RawCatalog> => {
    // Catalog reads never profit from JIT compilation, which costs hundreds of ms once a big catalog pushes the
    // plan cost over jit_above_cost. Transaction-local; not a catalog query.
    await c.query('SET LOCAL jit = off');
    const catalog: RawCatalog = {
      schemas: await run(c, SCHEMAS_QUERY),
      relations: await run(c, RELATIONS_QUERY),
      columns: await run(c, COLUMNS_QUERY),
      constraints: await run(c, CONSTRAINTS_QUERY),
      indexes: await run(c, INDEXES_QUERY),
      sequences: await run(c, SEQUENCES_QUERY),
      types: await run(c, TYPES_QUERY),
      functions: await run(c, FUNCTIONS_QUERY),
      triggers: await run(c, TRIGGERS_QUERY),
      policies: await run(c, POLICIES_QUERY),
      extensions: await run(c, EXTENSIONS_QUERY),
      database: (await run<RawDatabase>(c, DATABASE_QUERY))[0],
      appRole: null,
      catalogQueries: 0,
    };
    if (options.appRole) {
      const [role] = await run<RawRole>(c, ROLE_EXISTS_QUERY);
      catalog.appRole = { role: options.appRole, raw: role, privileges: role.exists ? await run(c, APP_ROLE_PRIVILEGES_QUERY) : [] };
    }
    return catalog;
  });
  raw.catalogQueries = count;
  return parseSnapshot(raw);
}
