import { connect, serverInfo, targetOf, type ConnectOptions, type ServerInfo } from '@bluegreen/pg-connect';
import { diffSnapshots, type Change } from './diff/index';
import { introspect, type IntrospectOptions } from './introspect/introspect';
import type { SchemaSnapshot } from './model';

export interface CompatibilitySummary {
  readonly incompatible: number;
  readonly warning: number;
  readonly compatible: number;
  readonly total: number;
}

/** What a check compared: the schemas (union of both sides within the filters) and how many objects were in them. */
export interface ComparedScope {
  readonly schemas: readonly string[];
  /** Distinct tables, views, sequences, types and functions on either side (extensions are not counted). */
  readonly objects: number;
}

export interface CompatibilityReport {
  /** True when no change is incompatible (warnings allowed; see `failOn`). */
  readonly compatible: boolean;
  readonly changes: readonly Change[];
  readonly summary: CompatibilitySummary;
  readonly blue: ServerInfo;
  readonly green: ServerInfo;
  readonly schemas: readonly string[] | 'all';
  readonly appRole: string | null;
  /** Exactly what was compared. Never empty unless the caller passed `allowEmpty`. */
  readonly compared: ComparedScope;
  /** Catalog queries run per database (fixed; does not grow with the number of objects). */
  readonly catalogQueries: number;
  readonly durationMs: number;
}

export interface CheckOptions extends IntrospectOptions {
  /** Connection to the database the OLD application uses. `applicationName` defaults to `bluegreen-schema-check`. */
  readonly blue: Omit<ConnectOptions, 'applicationName'> & { applicationName?: string };
  readonly green: Omit<ConnectOptions, 'applicationName'> & { applicationName?: string };
  /** Accept a comparison that found no object in the selected schemas (otherwise `NothingToCompareError`). @default false */
  readonly allowEmpty?: boolean;
}

/** A problem with what the caller asked for (not with a database): fix the input, do not retry. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** A schema filter names a schema that exists on neither side (a typo): nothing it meant was compared. */
export class SchemaFilterError extends ConfigurationError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'SchemaFilterError';
  }
}

/** The selected schemas held no object on either side: there is no verdict to give. */
export class NothingToCompareError extends Error {
  constructor(readonly compared: ComparedScope) {
    const where = compared.schemas.length === 0 ? 'no schema was selected on either side' : `schema(s) ${compared.schemas.join(', ')} hold no table, view, sequence, type or function on either side`;
    super(`nothing to compare: ${where}`);
    this.name = 'NothingToCompareError';
  }
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

const SYSTEM_SCHEMAS = /^(pg_catalog|information_schema|pg_toast.*|pg_temp_.*)$/;

/** Every schema a filter names must exist on at least one side; each problem names the schema and the closest existing name. */
export function checkSchemaFilters(filters: { schemas?: readonly string[]; excludeSchemas?: readonly string[] }, blue: SchemaSnapshot, green: SchemaSnapshot): string[] {
  const existing = [...new Set([...blue.existingSchemas, ...green.existingSchemas])].sort();
  const problems: string[] = [];
  const named: Array<[string, string]> = [...(filters.schemas ?? []).map((n) => ['to compare', n] as [string, string]), ...(filters.excludeSchemas ?? []).map((n) => ['to exclude', n] as [string, string])];
  for (const [filter, name] of named) {
    if (existing.includes(name)) continue;
    if (SYSTEM_SCHEMAS.test(name)) {
      problems.push(`schema "${name}" (${filter}) is a system schema, which is never compared`);
      continue;
    }
    const closest = existing.map((e) => ({ e, d: editDistance(name.toLowerCase(), e.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
    const suggestion = closest && closest.d <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean "${closest.e}"?` : '';
    const list = existing.length === 0 ? 'none' : existing.slice(0, 12).join(', ') + (existing.length > 12 ? ', …' : '');
    problems.push(`schema "${name}" (${filter}) exists on neither blue nor green${suggestion} (existing schemas: ${list})`);
  }
  return problems;
}

/** The scope both snapshots cover: the union of their schemas and of their objects. */
export function comparedScope(blue: SchemaSnapshot, green: SchemaSnapshot): ComparedScope {
  const schemas = [...new Set([...Object.keys(blue.schemas), ...Object.keys(green.schemas)])].sort();
  let objects = 0;
  for (const kind of ['relations', 'sequences', 'types', 'functions'] as const) objects += new Set([...Object.keys(blue[kind]), ...Object.keys(green[kind])]).size;
  return { schemas, objects };
}

const ORDER = { incompatible: 0, warning: 1, compatible: 2 } as const;

/** Sorts changes: incompatible first, then warnings, then compatible; by object name within each. */
export function sortChanges(changes: readonly Change[]): Change[] {
  return [...changes].sort((a, b) => ORDER[a.compatibility] - ORDER[b.compatibility] || a.object.localeCompare(b.object) || a.kind.localeCompare(b.kind));
}

export function summarize(changes: readonly Change[]): CompatibilitySummary {
  const count = (c: Change['compatibility']) => changes.filter((x) => x.compatibility === c).length;
  return { incompatible: count('incompatible'), warning: count('warning'), compatible: count('compatible'), total: changes.length };
}

/** Compares two snapshots you already hold. */
export function compareSnapshots(blue: SchemaSnapshot, green: SchemaSnapshot, options: Pick<IntrospectOptions, 'appRole'> = {}): { compatible: boolean; changes: Change[]; summary: CompatibilitySummary } {
  const changes = sortChanges(diffSnapshots(blue, green, { appRole: options.appRole }));
  const summary = summarize(changes);
  return { compatible: summary.incompatible === 0, changes, summary };
}

async function read(conn: CheckOptions['blue'], options: IntrospectOptions): Promise<{ info: ServerInfo; snapshot: SchemaSnapshot }> {
  const client = await connect({ ...conn, applicationName: conn.applicationName ?? 'bluegreen-schema-check' });
  try {
    const info = await serverInfo(client, targetOf(conn));
    const snapshot = await introspect(client, options);
    return { info, snapshot };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Connects to both databases (in parallel), reads both schemas, compares them. Any database problem is thrown
 * as a classified `DatabaseError` from `@bluegreen/pg-connect`: callers must treat it as "could not check".
 * An application role that does not exist on blue, or a schema filter naming a schema that exists on neither side,
 * is a configuration error (thrown: `ConfigurationError` / `SchemaFilterError`). When the selected schemas hold
 * no object on either side it throws `NothingToCompareError` unless `allowEmpty` is set: no comparison, no verdict.
 */
export async function checkCompatibility(options: CheckOptions): Promise<CompatibilityReport> {
  const started = performance.now();
  const introspectOptions: IntrospectOptions = { schemas: options.schemas, excludeSchemas: options.excludeSchemas, appRole: options.appRole, onQuery: options.onQuery };
  const [blue, green] = await Promise.all([read(options.blue, introspectOptions), read(options.green, introspectOptions)]);
  if (options.appRole && blue.snapshot.appRole && !blue.snapshot.appRole.exists) {
    throw new ConfigurationError(`appRole: role "${options.appRole}" does not exist on blue (${blue.info.target}); name the role the old application connects as`);
  }
  const problems = checkSchemaFilters(options, blue.snapshot, green.snapshot);
  if (problems.length > 0) throw new SchemaFilterError(problems);
  const compared = comparedScope(blue.snapshot, green.snapshot);
  if (compared.objects === 0 && !options.allowEmpty) throw new NothingToCompareError(compared);
  const result = compareSnapshots(blue.snapshot, green.snapshot, { appRole: options.appRole });
  return {
    ...result,
    compared,
    blue: blue.info,
    green: green.info,
    schemas: options.schemas && options.schemas.length > 0 ? [...options.schemas] : 'all',
    appRole: options.appRole ?? null,
    catalogQueries: blue.snapshot.catalogQueries,
    durationMs: Math.round(performance.now() - started),
  };
}
