import type { Compatibility } from '../types';
import type { Rule } from './rule';

export interface Change {
  /** `<object type>.<what happened>`, e.g. `column.dropped`, `enum.value_added`. */
  readonly kind: string;
  /** Qualified name: `public.orders`, `public.orders.note`, `public.order_total(bigint)`. */
  readonly object: string;
  readonly compatibility: Compatibility;
  /** Why, in words a person understands. */
  readonly detail: string;
  /** For incompatible changes and warnings: how to make the change compatible (expand/contract). Null otherwise. */
  readonly hint: string | null;
  /** True when no application role was given and this verdict depends on the role the application connects as. */
  readonly dependsOnRole: boolean;
}

export interface DiffOptions {
  /** The role the application connects as; when set, access is judged for that role. */
  readonly appRole?: string;
}

/** Collects changes; every kind must be declared by a rule, with the verdict used. */
export class Changes {
  readonly list: Change[] = [];
  constructor(
    private readonly rules: ReadonlyMap<string, Rule>,
    private readonly options: DiffOptions,
  ) {}

  add(kind: string, object: string, compatibility: Compatibility, detail: string): void {
    const rule = this.rules.get(kind);
    if (!rule) throw new Error(`schema-compat: change kind ${kind} is emitted but no rule declares it`);
    if (!rule.verdicts[compatibility]) throw new Error(`schema-compat: change kind ${kind} is emitted as ${compatibility}, which its rule does not declare`);
    this.list.push({
      kind,
      object,
      compatibility,
      detail,
      hint: compatibility === 'compatible' ? null : (rule.hint ?? null),
      dependsOnRole: rule.roleDependent === true && !this.options.appRole && compatibility !== 'compatible',
    });
  }
}

export function keys<T>(blue: Readonly<Record<string, T>>, green: Readonly<Record<string, T>>) {
  const onlyBlue = Object.keys(blue).filter((k) => !(k in green));
  const onlyGreen = Object.keys(green).filter((k) => !(k in blue));
  const both = Object.keys(blue).filter((k) => k in green);
  return { onlyBlue, onlyGreen, both };
}

/** Pairs up removed and added items that are "the same thing under another name". */
export function matchRenames(removed: string[], added: string[], sig: (key: string, side: 'blue' | 'green') => string | null): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const bySig = new Map<string, string[]>();
  for (const a of added) {
    const s = sig(a, 'green');
    if (s === null) continue;
    bySig.set(s, [...(bySig.get(s) ?? []), a]);
  }
  for (const r of removed) {
    const s = sig(r, 'blue');
    if (s === null) continue;
    const candidates = bySig.get(s);
    if (candidates && candidates.length === 1) {
      pairs.push([r, candidates[0]]);
      bySig.delete(s);
    }
  }
  return pairs;
}

export const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** Structural equality of plain snapshot data (objects, arrays, primitives): no string building, stops at the first difference. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || !sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
