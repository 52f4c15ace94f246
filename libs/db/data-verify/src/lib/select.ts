import type { Catalog } from './catalog';
import { NothingToCompareError, VerifyInputError } from './errors';

/** Schemas `verifyData` skips unless told otherwise: where AWS DMS keeps its control tables on the target. */
export const DEFAULT_EXCLUDED_SCHEMAS: readonly string[] = ['awsdms_control'];

export interface TableSelection {
  /** `schema.table`, sorted: exactly what will be compared. */
  readonly tables: readonly string[];
  readonly warnings: readonly string[];
}

export interface SelectOptions {
  /** `--table` names (`schema.table`, or `table` when unambiguous). */
  readonly requested?: readonly string[];
  /** @default DEFAULT_EXCLUDED_SCHEMAS */
  readonly excludeSchemas?: readonly string[];
  /** Warn about these excluded schemas when they exist on neither side (the ones a person typed). @default [] */
  readonly explicitExcludes?: readonly string[];
  /** Accept a selection of zero tables instead of refusing it. @default false */
  readonly allowEmpty?: boolean;
}

/**
 * Which tables to compare. Named tables must exist on at least one side (an unknown or ambiguous name is an
 * error naming it); without names, every table of either side outside the excluded schemas. A selection that
 * comes out empty is refused with {@link NothingToCompareError} saying why, unless `allowEmpty`.
 */
export function selectTables(source: Catalog, target: Catalog, options: SelectOptions = {}): TableSelection {
  const excluded = options.excludeSchemas ?? DEFAULT_EXCLUDED_SCHEMAS;
  const all = [...new Set([...source.tables.keys(), ...target.tables.keys()])].sort();
  const schemaOf = (k: string) => (source.tables.get(k) ?? target.tables.get(k))?.schema ?? '';
  const schemas = new Set(all.map(schemaOf));
  const warnings = (options.explicitExcludes ?? [])
    .filter((s) => !schemas.has(s))
    .map((s) => `--exclude-schema ${s}: no such schema on either side (nothing excluded by it)`);

  const requested = options.requested ?? [];
  let tables: string[];
  if (requested.length === 0) {
    tables = all.filter((k) => !excluded.includes(schemaOf(k)));
  } else {
    const out = new Set<string>();
    for (const name of requested) {
      if (all.includes(name)) {
        out.add(name);
        continue;
      }
      if (!name.includes('.')) {
        const matches = all.filter((k) => k.slice(k.indexOf('.') + 1) === name);
        if (matches.length === 1) {
          out.add(matches[0]);
          continue;
        }
        if (matches.length > 1) throw new VerifyInputError(`table ${JSON.stringify(name)} is ambiguous: ${matches.join(', ')}; name it as schema.table`);
      }
      throw new VerifyInputError(`table ${JSON.stringify(name)} exists in neither the source nor the target`);
    }
    tables = [...out].sort();
  }
  if (tables.length === 0 && !options.allowEmpty) {
    if (all.length === 0) throw new NothingToCompareError('neither the source nor the target has a user table');
    const shown = all.length > 10 ? `${all.slice(0, 10).join(', ')}, … (${all.length - 10} more)` : all.join(', ');
    throw new NothingToCompareError(`every table is in an excluded schema (excluded: ${excluded.join(', ')}; tables: ${shown})`);
  }
  return { tables, warnings };
}
