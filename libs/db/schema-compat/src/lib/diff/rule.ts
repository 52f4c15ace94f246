/**
 * A rule is the declared meaning of one kind of change: which verdicts it can get and when, and how to make the
 * change compatible. The diff code may only emit a kind that a rule declares, with a verdict the rule lists (checked
 * when the change is emitted), and the documentation's table of change kinds is generated from these rules.
 */
import type { Compatibility } from '../types';

export type Family =
  | 'objects'
  | 'columns and types'
  | 'constraints and indexes'
  | 'access'
  | 'name resolution'
  | 'write semantics'
  | 'value semantics'
  | 'representation';

export const FAMILIES: readonly Family[] = ['objects', 'columns and types', 'constraints and indexes', 'access', 'name resolution', 'write semantics', 'value semantics', 'representation'];

export interface Rule {
  /** The change kinds this rule covers (`column.dropped`; several when they differ only by object type). */
  readonly kinds: readonly string[];
  readonly family: Family;
  /** What changed, in a few words. */
  readonly change: string;
  /** Each verdict the change can get, with when and why. */
  readonly verdicts: Readonly<Partial<Record<Compatibility, string>>>;
  /** The expand/contract step that avoids breaking the old application. Required when a verdict is not `compatible`. */
  readonly hint?: string;
  /** The verdict depends on the role the application connects as (decided exactly with an application role). */
  readonly roleDependent?: boolean;
}

/** Checks the rules' own consistency (a hint wherever a change can be non-compatible); returns them frozen. */
export function defineRules(rules: readonly Rule[]): readonly Rule[] {
  for (const r of rules) {
    if ((r.verdicts.incompatible || r.verdicts.warning) && !r.hint) throw new Error(`rule ${r.kinds.join('/')}: a change that can break needs a hint`);
    if (Object.keys(r.verdicts).length === 0) throw new Error(`rule ${r.kinds.join('/')}: no verdict`);
  }
  return Object.freeze(rules.map((r) => Object.freeze(r)));
}
