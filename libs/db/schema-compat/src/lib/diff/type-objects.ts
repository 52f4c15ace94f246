/** User-defined types: enums (labels and their order), domains, composite types, ranges. */
import type { SchemaSnapshot, TypeObject } from '../model';
import { compareTypes } from '../types';
import { diffAcl } from './access';
import { keys, matchRenames, norm, type Changes, type DiffOptions } from './changes';
import { defineRules } from './rule';

const TYPE_KINDS = ['enum', 'domain', 'composite', 'range'];

export const TYPE_RULES = defineRules([
  {
    kinds: TYPE_KINDS.map((k) => `${k}.dropped`),
    family: 'objects',
    change: 'type dropped',
    verdicts: { incompatible: 'casts, declarations and columns of the old application that use it fail' },
    hint: 'keep the type until the old version is gone',
  },
  {
    kinds: TYPE_KINDS.map((k) => `${k}.renamed`),
    family: 'objects',
    change: 'type renamed or moved (same definition under another name)',
    verdicts: { incompatible: 'the old application still names the old type' },
    hint: 'create the new type beside the old one and migrate columns; drop the old one after the old version is gone',
  },
  { kinds: TYPE_KINDS.map((k) => `${k}.added`), family: 'objects', change: 'type added', verdicts: { compatible: 'additive' } },
  {
    kinds: ['type.kind_changed', 'range.subtype_changed'],
    family: 'columns and types',
    change: 'type re-created as another kind, or a range over another subtype',
    verdicts: { incompatible: 'values and casts of the old application no longer fit' },
    hint: 'create a new type under a new name; switch columns in an expand/contract migration',
  },
  {
    kinds: ['type.collation_changed'],
    family: 'value semantics',
    change: 'collation of a type changed',
    verdicts: { warning: 'sorting and comparisons change' },
    hint: 'keep the collation; add a new column or type with the new one',
  },
  {
    kinds: ['enum.value_dropped'],
    family: 'columns and types',
    change: 'enum label removed',
    verdicts: { incompatible: 'writing or casting it fails with "invalid input value for enum"' },
    hint: 'two-phase enum change: stop writing the label in one release, remove it after the old version is gone',
  },
  {
    kinds: ['enum.value_renamed'],
    family: 'columns and types',
    change: 'enum label renamed',
    verdicts: { incompatible: 'the old application still writes and compares the old label' },
    hint: 'add the new label, dual-write, and remove the old label after the old version is gone',
  },
  { kinds: ['enum.value_added'], family: 'columns and types', change: 'enum label added (at the end, or BEFORE/AFTER an existing one)', verdicts: { compatible: 'the existing labels keep their order; old readers may meet a label they do not know' } },
  {
    kinds: ['enum.order_changed'],
    family: 'value semantics',
    change: 'existing enum labels in a different order (the type was re-created)',
    verdicts: { incompatible: 'ORDER BY, < / > comparisons and range filters on it return different rows' },
    hint: 'add labels with ADD VALUE BEFORE/AFTER instead of re-creating the type; existing labels keep their order',
  },
  {
    kinds: ['domain.type_changed'],
    family: 'columns and types',
    change: 'base type of a domain changed',
    verdicts: { incompatible: 'narrowed or changed (as for column types)', warning: 'changed in a way that depends on the values', compatible: 'widened' },
    hint: 'widen only; create a new domain for a narrower type',
  },
  {
    kinds: ['domain.not_null_added'],
    family: 'columns and types',
    change: 'domain became NOT NULL',
    verdicts: { incompatible: 'NULL values the old application writes are rejected' },
    hint: 'add NOT NULL after the old version is gone',
  },
  {
    kinds: ['domain.not_null_dropped'],
    family: 'columns and types',
    change: 'domain no longer NOT NULL',
    verdicts: { warning: 'the old application may read NULLs' },
    hint: 'keep NOT NULL until the old version is gone',
  },
  {
    kinds: ['domain.default_dropped'],
    family: 'columns and types',
    change: 'default of a domain removed',
    verdicts: { incompatible: 'the domain is NOT NULL: INSERTs that omit the value fail', warning: 'INSERTs that omit the value store NULL' },
    hint: 'keep the default until the old version is gone',
  },
  { kinds: ['domain.default_added'], family: 'columns and types', change: 'domain gets a default', verdicts: { compatible: 'only affects INSERTs that omit the value' } },
  {
    kinds: ['domain.default_changed'],
    family: 'columns and types',
    change: 'default of a domain changed',
    verdicts: { warning: 'INSERTs that omit the value store something else' },
    hint: 'change defaults in a release of their own, once the old version is gone',
  },
  { kinds: ['domain.check_dropped'], family: 'constraints and indexes', change: 'check of a domain removed', verdicts: { compatible: 'more permissive' } },
  {
    kinds: ['domain.check_changed'],
    family: 'constraints and indexes',
    change: 'check of a domain changed',
    verdicts: { incompatible: 'values valid under the old rule may be rejected' },
    hint: 'add the new check NOT VALID beside the old one; drop the old one after the old version is gone',
  },
  {
    kinds: ['domain.check_added'],
    family: 'constraints and indexes',
    change: 'check added to a domain',
    verdicts: { warning: 'writes of the old application that violate it are rejected' },
    hint: 'make sure the old version never writes values the check rejects, or add it after the old version is gone',
  },
  {
    kinds: ['composite.attribute_dropped'],
    family: 'write semantics',
    change: 'attribute of a composite type removed',
    verdicts: { incompatible: 'ROW(...) constructors and literals of the old application have too many fields; (x).attribute fails' },
    hint: 'create a new composite type; switch to it in an expand/contract migration',
  },
  {
    kinds: ['composite.attribute_added'],
    family: 'write semantics',
    change: 'attribute added to a composite type',
    verdicts: { incompatible: "ROW(...)::type and '(...)' literals of the old application now have too few fields and are rejected" },
    hint: 'create a new composite type with the attribute; keep the old one until the old version is gone',
  },
  {
    kinds: ['composite.attribute_renamed'],
    family: 'write semantics',
    change: 'attribute of a composite type renamed',
    verdicts: { incompatible: '(x).old_name of the old application fails' },
    hint: 'add a new attribute in a new type instead of renaming',
  },
  {
    kinds: ['composite.attribute_type_changed'],
    family: 'columns and types',
    change: 'type of a composite attribute changed',
    verdicts: { incompatible: 'narrowed or changed', warning: 'depends on the values', compatible: 'widened' },
    hint: 'widen only; create a new composite type for other changes',
  },
]);

export function diffTypes(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const k = keys(blue.types, green.types);
  const sig = (t: TypeObject) => `${t.kind}|${t.labels.join(',')}|${t.baseType}|${t.attributes.map((a) => `${a.name}:${a.type}`).join(',')}|${t.rangeSubtype}`;
  const renames = matchRenames(k.onlyBlue, k.onlyGreen, (key, side) => sig((side === 'blue' ? blue : green).types[key]));
  const renamedBlue = new Set(renames.map((r) => r[0]));
  const renamedGreen = new Set(renames.map((r) => r[1]));
  for (const [from, to] of renames) {
    out.add(`${blue.types[from].kind}.renamed`, from, 'incompatible', `type ${from} was renamed (or moved) to ${to}: casts and declarations of the old application that name ${from} fail`);
  }
  for (const key of k.onlyBlue.filter((x) => !renamedBlue.has(x))) {
    const t = blue.types[key];
    out.add(`${t.kind}.dropped`, key, 'incompatible', `${t.kind} type ${key} was dropped: casts and columns of the old application that use it fail`);
  }
  for (const key of k.onlyGreen.filter((x) => !renamedGreen.has(x))) out.add(`${green.types[key].kind}.added`, key, 'compatible', `new ${green.types[key].kind} type ${key}`);
  for (const key of k.both) {
    const b = blue.types[key];
    const g = green.types[key];
    if (b.kind !== g.kind) {
      out.add('type.kind_changed', key, 'incompatible', `type ${key} changed from ${b.kind} to ${g.kind}`);
      continue;
    }
    if (b.kind === 'enum') diffEnum(key, b.labels, g.labels, out);
    if (b.kind === 'domain') diffDomain(key, b, g, out);
    if (b.kind === 'composite') diffComposite(key, b, g, out);
    if (b.kind === 'range' && b.rangeSubtype !== g.rangeSubtype) out.add('range.subtype_changed', key, 'incompatible', `range ${key} subtype changed from ${b.rangeSubtype} to ${g.rangeSubtype}`);
    if (b.collation !== g.collation) out.add('type.collation_changed', key, 'warning', `collation of ${key} changed from ${b.collation ?? 'default'} to ${g.collation ?? 'default'}: sorting and comparisons change`);
    diffAcl(key, `type ${key}`, b.acl, g.acl, out, options);
  }
}

function diffEnum(key: string, b: readonly string[], g: readonly string[], out: Changes): void {
  const removed = b.filter((l) => !g.includes(l));
  const added = g.filter((l) => !b.includes(l));
  const renamed: Array<[string, string]> = [];
  if (b.length === g.length && removed.length > 0) {
    for (const label of removed) {
      const i = b.indexOf(label);
      if (added.includes(g[i])) renamed.push([label, g[i]]);
    }
  }
  for (const [from, to] of renamed) {
    out.add('enum.value_renamed', `${key}.${from}`, 'incompatible', `enum label '${from}' of ${key} was renamed to '${to}': the old application still writes and compares '${from}'`);
  }
  for (const label of removed.filter((l) => !renamed.some((r) => r[0] === l))) {
    out.add('enum.value_dropped', `${key}.${label}`, 'incompatible', `enum label '${label}' was removed from ${key}: writing or casting it fails with "invalid input value for enum"`);
  }
  for (const label of added.filter((l) => !renamed.some((r) => r[1] === l))) {
    const next = g[g.indexOf(label) + 1];
    const where = next === undefined || added.includes(next) ? '' : `, sorting before '${next}'`;
    out.add('enum.value_added', `${key}.${label}`, 'compatible', `enum label '${label}' added to ${key}${where} (the existing labels keep their order; old readers may meet a label they do not know)`);
  }
  const common = b.filter((l) => g.includes(l));
  const commonGreen = g.filter((l) => b.includes(l));
  if (common.join('\u0000') !== commonGreen.join('\u0000')) {
    out.add('enum.order_changed', key, 'incompatible', `existing labels of ${key} are in a different order (${common.join(' < ')} became ${commonGreen.join(' < ')}): ORDER BY and < / > comparisons of the old application return different rows`);
  }
}

/** A `format_type` string as a TypeRef (domain base types, composite attributes). */
export function typeRefOf(formatted: string | null): { type: string; typeName: string; typeSchema: string; typmod: number } {
  return { type: formatted ?? '', typeName: typeNameOf(formatted), typeSchema: 'pg_catalog', typmod: typmodOf(formatted) };
}

function typeNameOf(formatted: string | null): string {
  const t = (formatted ?? '').replace(/\(.*\)/, '').trim();
  const map: Record<string, string> = {
    integer: 'int4',
    bigint: 'int8',
    smallint: 'int2',
    'character varying': 'varchar',
    character: 'bpchar',
    text: 'text',
    numeric: 'numeric',
    real: 'float4',
    'double precision': 'float8',
  };
  return map[t] ?? t;
}

function typmodOf(formatted: string | null): number {
  const m = /\((\d+)(?:,(\d+))?\)/.exec(formatted ?? '');
  if (!m) return -1;
  if (/^numeric/.test(formatted ?? '')) return ((Number(m[1]) << 16) | Number(m[2] ?? 0)) + 4;
  return Number(m[1]) + 4;
}

function diffDomain(key: string, b: TypeObject, g: TypeObject, out: Changes): void {
  if (b.baseType !== g.baseType) {
    const verdict = compareTypes(typeRefOf(b.baseType), typeRefOf(g.baseType));
    if (verdict) out.add('domain.type_changed', key, verdict.compatibility, `domain ${key}: ${verdict.reason}`);
  }
  if (!b.notNull && g.notNull) out.add('domain.not_null_added', key, 'incompatible', `domain ${key} is now NOT NULL: NULL values the old application writes are rejected`);
  if (b.notNull && !g.notNull) out.add('domain.not_null_dropped', key, 'warning', `domain ${key} now allows NULL: the old application may read NULLs`);
  if (norm(b.default) !== norm(g.default)) {
    if (!g.default) out.add('domain.default_dropped', key, g.notNull ? 'incompatible' : 'warning', `default of domain ${key} (${b.default}) removed`);
    else if (!b.default) out.add('domain.default_added', key, 'compatible', `domain ${key} gets default ${g.default}`);
    else out.add('domain.default_changed', key, 'warning', `default of domain ${key} changed from ${b.default} to ${g.default}`);
  }
  const name = (c: string) => c.slice(0, c.indexOf(': '));
  const bChecks = new Map(b.checks.map((c) => [name(c), c]));
  const gChecks = new Map(g.checks.map((c) => [name(c), c]));
  for (const [n, c] of bChecks) {
    if (!gChecks.has(n)) out.add('domain.check_dropped', `${key}.${n}`, 'compatible', `check ${c} removed from domain ${key}`);
    else if (norm(gChecks.get(n)) !== norm(c)) out.add('domain.check_changed', `${key}.${n}`, 'incompatible', `check of domain ${key} changed from ${c} to ${gChecks.get(n)}: values the old application writes may be rejected`);
  }
  for (const [n, c] of gChecks) if (!bChecks.has(n)) out.add('domain.check_added', `${key}.${n}`, 'warning', `new check on domain ${key}: ${c}; existing writes of the old application may violate it`);
}

function diffComposite(key: string, b: TypeObject, g: TypeObject, out: Changes): void {
  const renamed = new Set<string>();
  for (const a of b.attributes) {
    const ga = g.attributes.find((x) => x.name === a.name);
    if (!ga) {
      const same = g.attributes.find((x) => x.position === a.position && x.type === a.type && !b.attributes.some((y) => y.name === x.name));
      if (same) {
        renamed.add(same.name);
        out.add('composite.attribute_renamed', `${key}.${a.name}`, 'incompatible', `attribute ${a.name} of composite type ${key} was renamed to ${same.name}: (x).${a.name} of the old application fails`);
      } else {
        out.add('composite.attribute_dropped', `${key}.${a.name}`, 'incompatible', `attribute ${a.name} removed from composite type ${key}: ROW(...) constructors and literals of the old application have too many fields`);
      }
    } else if (ga.type !== a.type) {
      const verdict = compareTypes(typeRefOf(a.type), typeRefOf(ga.type));
      if (verdict) out.add('composite.attribute_type_changed', `${key}.${a.name}`, verdict.compatibility, verdict.reason);
    }
  }
  for (const a of g.attributes) {
    if (!b.attributes.some((x) => x.name === a.name) && !renamed.has(a.name)) {
      out.add('composite.attribute_added', `${key}.${a.name}`, 'incompatible', `attribute ${a.name} added to composite type ${key}: ROW(...)::${key} and '(...)' literals of the old application have too few fields and are rejected`);
    }
  }
}
