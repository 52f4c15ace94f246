/**
 * diff(blue, green): every schema difference, each judged from the point of view of the OLD (blue) application,
 * connected as its role with its search_path, running against the NEW (green) schema:
 *   compatible    the old application keeps working
 *   incompatible  statements the old application issues can fail or silently change meaning
 *   warning       depends on data or usage (new constraints, triggers, collations, performance, …)
 *
 * The rules (one module per area) declare every change kind with its possible verdicts and a remediation hint;
 * `RULES` is the catalogue the documentation's table is generated from.
 */
import type { SchemaSnapshot } from '../model';
import { ACCESS_RULES, diffAppRole, diffDefaultPrivileges } from './access';
import { Changes, type Change, type DiffOptions } from './changes';
import { COLUMN_RULES } from './columns';
import { CONSTRAINT_RULES } from './constraints';
import { diffFunctions, FUNCTION_RULES } from './functions';
import { diffExtensions, diffSchemas, diffSequences, OBJECT_RULES } from './objects';
import { diffRelations, RELATION_RULES } from './relations';
import { diffNameResolution, RESOLUTION_RULES } from './resolution';
import type { Rule } from './rule';
import { TRIGGER_RULES } from './triggers';
import { diffTypes, TYPE_RULES } from './type-objects';

export type { Change, DiffOptions } from './changes';
export { FAMILIES, type Family, type Rule } from './rule';

export const RULES: readonly Rule[] = [
  ...OBJECT_RULES,
  ...RELATION_RULES,
  ...COLUMN_RULES,
  ...TYPE_RULES,
  ...CONSTRAINT_RULES,
  ...TRIGGER_RULES,
  ...FUNCTION_RULES,
  ...ACCESS_RULES,
  ...RESOLUTION_RULES,
];

const BY_KIND: ReadonlyMap<string, Rule> = (() => {
  const m = new Map<string, Rule>();
  for (const r of RULES) {
    for (const kind of r.kinds) {
      if (m.has(kind)) throw new Error(`schema-compat: change kind ${kind} is declared by two rules`);
      m.set(kind, r);
    }
  }
  return m;
})();

/** The rule that declares a change kind. */
export function ruleFor(kind: string): Rule | undefined {
  return BY_KIND.get(kind);
}

export function diffSnapshots(blue: SchemaSnapshot, green: SchemaSnapshot, options: DiffOptions = {}): Change[] {
  const out = new Changes(BY_KIND, options);
  diffSchemas(blue, green, out, options);
  diffExtensions(blue, green, out);
  diffTypes(blue, green, out, options);
  diffSequences(blue, green, out, options);
  diffRelations(blue, green, out, options);
  diffFunctions(blue, green, out, options);
  diffNameResolution(blue, green, out, options);
  diffDefaultPrivileges(blue, green, out, options);
  diffAppRole(blue, green, out);
  return out.list;
}
