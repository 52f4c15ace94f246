import { connect, serverInfo, targetOf, type ConnectOptions, type ServerInfo } from '@bluegreen/pg-connect';
import { diffSnapshots, type Change } from './diff';
import { introspect, type IntrospectOptions } from './introspect/introspect';
import type { SchemaSnapshot } from './model';

export interface CompatibilitySummary {
  readonly incompatible: number;
  readonly warning: number;
  readonly compatible: number;
  readonly total: number;
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
  /** Catalog queries run per database (fixed; does not grow with the number of objects). */
  readonly catalogQueries: number;
  readonly durationMs: number;
}

export interface CheckOptions extends IntrospectOptions {
  /** Connection to the database the OLD application uses. `applicationName` defaults to `bluegreen-schema-check`. */
  readonly blue: Omit<ConnectOptions, 'applicationName'> & { applicationName?: string };
  readonly green: Omit<ConnectOptions, 'applicationName'> & { applicationName?: string };
}

/** A problem with what the caller asked for (not with a database): fix the input, do not retry. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
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
 * An application role that does not exist on blue is a configuration error (thrown).
 */
export async function checkCompatibility(options: CheckOptions): Promise<CompatibilityReport> {
  const started = performance.now();
  const introspectOptions: IntrospectOptions = { schemas: options.schemas, excludeSchemas: options.excludeSchemas, appRole: options.appRole, onQuery: options.onQuery };
  const [blue, green] = await Promise.all([read(options.blue, introspectOptions), read(options.green, introspectOptions)]);
  if (options.appRole && blue.snapshot.appRole && !blue.snapshot.appRole.exists) {
    throw new ConfigurationError(`appRole: role "${options.appRole}" does not exist on blue (${blue.info.target}); name the role the old application connects as`);
  }
  const result = compareSnapshots(blue.snapshot, green.snapshot, { appRole: options.appRole });
  return {
    ...result,
    blue: blue.info,
    green: green.info,
    schemas: options.schemas && options.schemas.length > 0 ? [...options.schemas] : 'all',
    appRole: options.appRole ?? null,
    catalogQueries: blue.snapshot.catalogQueries,
    durationMs: Math.round(performance.now() - started),
  };
}
