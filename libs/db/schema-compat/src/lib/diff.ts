/**
 * diff(blue, green): every schema difference, each judged from the point of view of the OLD (blue) application
 * running against the NEW (green) schema:
 *   compatible    the old application keeps working
 *   incompatible  statements the old application issues can fail or silently change meaning
 *   warning       depends on data or usage (new constraints, triggers, collations, performance, …)
 */
import type { Column, Constraint, FunctionObject, Index, Policy, Relation, SchemaSnapshot, Sequence, Trigger, TypeObject } from './model';
import { compareSequenceOptions, compareTypes, type Compatibility } from './types';

export type { Compatibility } from './types';

export interface Change {
  /** `<object type>.<what happened>`, e.g. `column.dropped`, `enum.value_added`. */
  readonly kind: string;
  /** Qualified name: `public.orders`, `public.orders.note`, `public.order_total(bigint)`. */
  readonly object: string;
  readonly compatibility: Compatibility;
  /** Why, in words a person understands. */
  readonly detail: string;
}

class Changes {
  readonly list: Change[] = [];
  add(kind: string, object: string, compatibility: Compatibility, detail: string): void {
    this.list.push({ kind, object, compatibility, detail });
  }
}

function keys<T>(blue: Readonly<Record<string, T>>, green: Readonly<Record<string, T>>) {
  const onlyBlue = Object.keys(blue).filter((k) => !(k in green));
  const onlyGreen = Object.keys(green).filter((k) => !(k in blue));
  const both = Object.keys(blue).filter((k) => k in green);
  return { onlyBlue, onlyGreen, both };
}

/** Pairs up removed and added items that are "the same thing under another name". */
function matchRenames(removed: string[], added: string[], sig: (key: string, side: 'blue' | 'green') => string | null): Array<[string, string]> {
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

const RELATION_WORD: Record<Relation['kind'], string> = {
  table: 'table',
  'partitioned table': 'table',
  view: 'view',
  'materialized view': 'materialized_view',
  'foreign table': 'foreign_table',
};

const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

export interface DiffOptions {
  /** The role the application connects as; when set, ACL changes of other roles are only warnings. */
  readonly appRole?: string;
}

export function diffSnapshots(blue: SchemaSnapshot, green: SchemaSnapshot, options: DiffOptions = {}): Change[] {
  const out = new Changes();
  diffSchemas(blue, green, out, options);
  diffExtensions(blue, green, out);
  diffTypes(blue, green, out, options);
  diffSequences(blue, green, out, options);
  diffRelations(blue, green, out, options);
  diffFunctions(blue, green, out, options);
  diffAppRole(blue, green, out);
  return out.list;
}

// ---------------------------------------------------------------------------------------------- privileges (ACL)

function diffAcl(object: string, what: string, blue: readonly string[], green: readonly string[], out: Changes, options: DiffOptions): void {
  if (blue.length === green.length && blue.every((x, i) => x === green[i])) return;
  const b = new Set(blue);
  const g = new Set(green);
  const strip = (item: string) => item.replace(/\*$/, '');
  const greenPlain = new Set([...g].map(strip));
  const revoked: string[] = [];
  const grantOptionRevoked: string[] = [];
  for (const item of b) {
    if (g.has(item)) continue;
    if (greenPlain.has(strip(item))) grantOptionRevoked.push(strip(item));
    else revoked.push(strip(item));
  }
  // a plain item whose starred twin was in blue is a grant-option revoke (reported above), not a grant
  const granted = [...g].filter((item) => !b.has(item) && !(!item.endsWith('*') && b.has(`${item}*`)));
  for (const item of revoked) {
    const [role, privilege] = item.split('=');
    if (options.appRole) {
      out.add('privilege.revoked', object, 'warning', `${privilege} on ${what} revoked from ${role}; the application role ${options.appRole} is checked separately`);
    } else {
      out.add('privilege.revoked', object, 'incompatible', `${privilege} on ${what} revoked from ${role}: an old application connecting as ${role} (or relying on it) gets "permission denied"`);
    }
  }
  for (const item of grantOptionRevoked) {
    const [role, privilege] = item.split('=');
    out.add('privilege.grant_option_revoked', object, 'warning', `${role} can no longer GRANT ${privilege} on ${what} to others`);
  }
  for (const item of granted) {
    const [role, privilege] = strip(item).split('=');
    out.add('privilege.granted', object, 'compatible', `${privilege}${item.endsWith('*') ? ' WITH GRANT OPTION' : ''} on ${what} granted to ${role}`);
  }
}

function diffAppRole(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes): void {
  const b = blue.appRole;
  const g = green.appRole;
  if (!b || !g) return;
  if (b.exists && !g.exists) {
    out.add('role.missing', g.role, 'incompatible', `the application role ${g.role} exists on blue but not on green: the old application cannot log in`);
    return;
  }
  if (!b.exists || (b.superuser && g.superuser)) return;
  if (b.superuser && !g.superuser) {
    out.add('role.superuser_revoked', g.role, 'incompatible', `the application role ${g.role} is superuser on blue but not on green: it is now subject to privileges and row-level security`);
  }
  for (const [key, privileges] of Object.entries(b.privileges)) {
    const after = g.privileges[key];
    if (!after) continue; // the object itself is gone: reported as dropped
    const lost = privileges.filter((p) => !after.includes(p));
    const [kind, object] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (lost.length > 0 && !g.superuser) {
      out.add('privilege.lost', object, 'incompatible', `the application role ${g.role} loses ${lost.join(', ')} on ${kind} ${object}: those statements fail with "permission denied"`);
    }
  }
}

// ---------------------------------------------------------------------------------------------- schemas, extensions

function diffSchemas(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const { onlyBlue, onlyGreen, both } = keys(blue.schemas, green.schemas);
  const hasObjects = (s: SchemaSnapshot, name: string) =>
    [s.relations, s.sequences, s.types, s.functions].some((rec) => Object.values(rec).some((o) => (o as { schema: string }).schema === name));
  for (const name of onlyBlue) {
    if (hasObjects(blue, name)) out.add('schema.dropped', name, 'incompatible', `schema ${name} and everything in it were dropped`);
    else out.add('schema.dropped', name, 'warning', `empty schema ${name} was dropped: a search_path, grant or CREATE of the old application that names it fails`);
  }
  for (const name of onlyGreen) out.add('schema.added', name, 'compatible', `new schema ${name}`);
  for (const name of both) diffAcl(name, `schema ${name}`, blue.schemas[name].acl, green.schemas[name].acl, out, options);
}

function diffExtensions(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes): void {
  const { onlyBlue, onlyGreen, both } = keys(blue.extensions, green.extensions);
  for (const name of onlyBlue) out.add('extension.dropped', name, 'incompatible', `extension ${name} was dropped: its types, functions and operators are gone for the old application`);
  for (const name of onlyGreen) out.add('extension.added', name, 'compatible', `new extension ${name} ${green.extensions[name].version}`);
  for (const name of both) {
    const b = blue.extensions[name];
    const g = green.extensions[name];
    if (b.version !== g.version) out.add('extension.version_changed', name, 'warning', `extension ${name} changed from version ${b.version} to ${g.version}: function behaviour may differ`);
    if (b.schema !== g.schema) out.add('extension.schema_changed', name, 'incompatible', `extension ${name} moved from schema ${b.schema} to ${g.schema}: qualified references of the old application break`);
  }
}

// ---------------------------------------------------------------------------------------------- types

function diffTypes(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
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
    out.add('enum.value_added', `${key}.${label}`, 'compatible', `enum label '${label}' added to ${key} (old readers may meet a label they do not know)`);
  }
  const common = b.filter((l) => g.includes(l));
  const commonGreen = g.filter((l) => b.includes(l));
  if (common.join('\u0000') !== commonGreen.join('\u0000')) {
    out.add('enum.order_changed', key, 'warning', `labels of ${key} are in a different order: ORDER BY and < / > comparisons on it change`);
  }
}

function diffDomain(key: string, b: TypeObject, g: TypeObject, out: Changes): void {
  if (b.baseType !== g.baseType) {
    const verdict = compareTypes(
      { type: b.baseType ?? '', typeName: typeNameOf(b.baseType), typeSchema: 'pg_catalog', typmod: typmodOf(b.baseType) },
      { type: g.baseType ?? '', typeName: typeNameOf(g.baseType), typeSchema: 'pg_catalog', typmod: typmodOf(g.baseType) },
    );
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

function diffComposite(key: string, b: TypeObject, g: TypeObject, out: Changes): void {
  for (const a of b.attributes) {
    const ga = g.attributes.find((x) => x.name === a.name);
    if (!ga) out.add('composite.attribute_dropped', `${key}.${a.name}`, 'incompatible', `attribute ${a.name} removed from composite type ${key}`);
    else if (ga.type !== a.type) {
      const verdict = compareTypes({ type: a.type, typeName: typeNameOf(a.type), typeSchema: 'pg_catalog', typmod: typmodOf(a.type) }, { type: ga.type, typeName: typeNameOf(ga.type), typeSchema: 'pg_catalog', typmod: typmodOf(ga.type) });
      if (verdict) out.add('composite.attribute_type_changed', `${key}.${a.name}`, verdict.compatibility, verdict.reason);
    }
  }
  for (const a of g.attributes) {
    if (!b.attributes.some((x) => x.name === a.name)) out.add('composite.attribute_added', `${key}.${a.name}`, 'warning', `attribute ${a.name} added to composite type ${key}: ROW(...) constructors of the old application have too few fields`);
  }
}

// ---------------------------------------------------------------------------------------------- sequences

function diffSequences(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const { onlyBlue, onlyGreen, both } = keys(blue.sequences, green.sequences);
  for (const key of onlyBlue) {
    const s = blue.sequences[key];
    out.add('sequence.dropped', key, 'incompatible', `sequence ${key} was dropped${s.ownedBy ? ` (it fed ${s.ownedBy})` : ''}: nextval('${key}') calls and defaults that use it fail`);
  }
  for (const key of onlyGreen) out.add('sequence.added', key, 'compatible', `new sequence ${key}`);
  for (const key of both) {
    const b: Sequence = blue.sequences[key];
    const g: Sequence = green.sequences[key];
    for (const d of compareSequenceOptions(b, g)) out.add('sequence.changed', key, d.compatibility, `sequence ${key}: ${d.reason}`);
    if (b.ownedBy !== g.ownedBy) out.add('sequence.owner_changed', key, 'compatible', `sequence ${key} now OWNED BY ${g.ownedBy ?? 'NONE'} (was ${b.ownedBy ?? 'NONE'}): only affects what is dropped with it`);
    diffAcl(key, `sequence ${key}`, b.acl, g.acl, out, options);
  }
}

// ---------------------------------------------------------------------------------------------- relations

function columnSignature(r: Relation): string {
  return `${r.kind}|${r.columns.map((c) => `${c.name}:${c.type}`).join(',')}`;
}

function diffRelations(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const k = keys(blue.relations, green.relations);
  const renames = matchRenames(k.onlyBlue, k.onlyGreen, (key, side) => {
    const r = (side === 'blue' ? blue : green).relations[key];
    return r.columns.length > 0 ? columnSignature(r) : null;
  });
  const renamedBlue = new Set(renames.map((r) => r[0]));
  const renamedGreen = new Set(renames.map((r) => r[1]));
  for (const [from, to] of renames) {
    const r = blue.relations[from];
    const moved = r.name === green.relations[to].name;
    out.add(`${RELATION_WORD[r.kind]}.${moved ? 'moved' : 'renamed'}`, from, 'incompatible', `${r.kind} ${from} was ${moved ? 'moved' : 'renamed'} to ${to} (same columns): the old application still uses ${from}`);
  }
  for (const key of k.onlyBlue.filter((x) => !renamedBlue.has(x))) {
    const r = blue.relations[key];
    const detail = r.isPartition
      ? `partition ${key} was dropped: its rows are gone and inserts for its range fail`
      : `${r.kind} ${key} was dropped: every statement of the old application that uses it fails`;
    out.add(`${RELATION_WORD[r.kind]}.dropped`, key, 'incompatible', detail);
  }
  for (const key of k.onlyGreen.filter((x) => !renamedGreen.has(x))) {
    const r = green.relations[key];
    out.add(`${RELATION_WORD[r.kind]}.added`, key, 'compatible', r.isPartition ? `new partition ${key} (${r.partitionBound})` : `new ${r.kind} ${key}`);
  }
  for (const key of k.both) {
    const b = blue.relations[key];
    const g = green.relations[key];
    // Fast path: most relations are unchanged; one serialisation is far cheaper than the field-by-field diff.
    if (JSON.stringify(b) === JSON.stringify(g)) continue;
    diffRelation(blue, green, b, g, out, options);
  }
}

function relationKindChange(b: Relation, g: Relation, out: Changes): boolean {
  const key = b.qualifiedName;
  const isTable = (r: Relation) => r.kind === 'table' || r.kind === 'partitioned table';
  if (b.kind === g.kind) return false;
  if (b.kind === 'table' && g.kind === 'partitioned table') {
    out.add('table.partitioned', key, 'incompatible', `table ${key} became partitioned (${g.partitionKey}): it was re-created, and inserts outside every partition's range fail`);
  } else if (b.kind === 'partitioned table' && g.kind === 'table') {
    out.add('table.unpartitioned', key, 'warning', `partitioned table ${key} became a plain table: it was re-created (check that the data was carried over)`);
  } else if (isTable(b) && g.kind === 'view') {
    out.add('table.replaced_by_view', key, 'warning', `table ${key} was replaced by a view: reads and simple writes may still work, but TRUNCATE, COPY FROM, ALTER and writes through a non-updatable view fail`);
  } else if (b.kind === 'view' && g.kind === 'materialized view') {
    out.add('view.materialized', key, 'incompatible', `view ${key} became a materialized view: writes through it fail and reads return stale rows until REFRESH`);
  } else if (b.kind === 'materialized view' && g.kind === 'view') {
    out.add('materialized_view.unmaterialized', key, 'incompatible', `materialized view ${key} became a plain view: REFRESH MATERIALIZED VIEW of the old application fails`);
  } else {
    out.add('relation.kind_changed', key, 'incompatible', `${key} changed from ${b.kind} to ${g.kind}`);
  }
  return true;
}

function diffRelation(blueSnap: SchemaSnapshot, greenSnap: SchemaSnapshot, b: Relation, g: Relation, out: Changes, options: DiffOptions): void {
  const key = b.qualifiedName;
  relationKindChange(b, g, out);
  const isView = g.kind === 'view' || g.kind === 'materialized view';

  if (b.unlogged !== g.unlogged) {
    out.add('table.persistence_changed', key, g.unlogged ? 'warning' : 'compatible', g.unlogged ? `table ${key} is now UNLOGGED: its rows are lost after a crash and it is not replicated` : `table ${key} is now LOGGED`);
  }
  if (b.replicaIdentity !== g.replicaIdentity) {
    out.add('table.replica_identity_changed', key, 'compatible', `replica identity of ${key} changed from ${b.replicaIdentity} to ${g.replicaIdentity}: the application is unaffected (logical replication consumers may be)`);
  }
  if (b.isPartition && !g.isPartition) {
    out.add('partition.detached', key, 'incompatible', `partition ${key} was detached: its rows no longer appear through ${b.parents.join(', ')} and inserts for its range fail`);
  } else if (!b.isPartition && g.isPartition) {
    out.add('partition.attached', key, 'warning', `${key} is now a partition of ${g.parents.join(', ')} (${g.partitionBound}): writes outside its range are rejected`);
  } else if (b.isPartition && g.isPartition && (norm(b.partitionBound) !== norm(g.partitionBound) || b.parents.join() !== g.parents.join())) {
    out.add('partition.bound_changed', key, 'incompatible', `partition ${key} changed from ${b.partitionBound} to ${g.partitionBound}: rows outside the new range are rejected or no longer there`);
  }
  if (b.kind === 'partitioned table' && g.kind === 'partitioned table' && norm(b.partitionKey) !== norm(g.partitionKey)) {
    out.add('table.partition_key_changed', key, 'incompatible', `partition key of ${key} changed from ${b.partitionKey} to ${g.partitionKey}: the table was re-created`);
  }
  if (!b.isPartition && !g.isPartition) {
    for (const p of b.parents.filter((x) => !g.parents.includes(x))) out.add('table.inheritance_dropped', key, 'incompatible', `${key} no longer inherits from ${p}: queries on ${p} no longer see its rows`);
    for (const p of g.parents.filter((x) => !b.parents.includes(x))) out.add('table.inheritance_added', key, 'warning', `${key} now inherits from ${p}: queries on ${p} also return its rows`);
  }
  diffOptions(b, g, out);
  if (isView && (b.kind === 'view' || b.kind === 'materialized view')) diffViewDefinition(b, g, out);
  diffColumns(b, g, out, isView);
  diffConstraints(blueSnap, b, g, out);
  diffIndexes(b, g, out);
  diffTriggers(b, g, out);
  diffRowSecurity(b, g, out);
  diffAcl(key, `${g.kind} ${key}`, b.acl, g.acl, out, options);
  void greenSnap;
}

function diffOptions(b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const opt = (r: Relation) => new Map(r.options.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
  const bo = opt(b);
  const go = opt(g);
  for (const name of new Set([...bo.keys(), ...go.keys()])) {
    const from = bo.get(name);
    const to = go.get(name);
    if (from === to) continue;
    if (name === 'check_option') {
      if (!from) out.add('view.check_option_added', key, 'warning', `view ${key} gained WITH ${to?.toUpperCase()} CHECK OPTION: writes through it that produce rows outside the view are rejected`);
      else if (!to) out.add('view.check_option_dropped', key, 'compatible', `view ${key} no longer has WITH CHECK OPTION (more permissive)`);
      else out.add('view.check_option_changed', key, 'warning', `check option of view ${key} changed from ${from} to ${to}`);
    } else if (name === 'security_invoker') {
      out.add('view.security_invoker_changed', key, 'warning', `security_invoker of view ${key} changed from ${from ?? 'off'} to ${to ?? 'off'}: privileges and row-level security are checked for a different role`);
    } else if (name === 'security_barrier') {
      out.add('view.security_barrier_changed', key, 'compatible', `security_barrier of view ${key} changed from ${from ?? 'off'} to ${to ?? 'off'} (planner only)`);
    } else {
      out.add('relation.storage_option_changed', key, 'compatible', `storage option ${name} of ${key} changed from ${from ?? 'default'} to ${to ?? 'default'}`);
    }
  }
}

/** pg_get_viewdef puts the top-level FROM on its own line: compare everything from there on. */
function viewTail(def: string | null): string {
  const d = def ?? '';
  const i = d.search(/\n\s*FROM\s/);
  return norm(i >= 0 ? d.slice(i) : '');
}

function diffViewDefinition(b: Relation, g: Relation, out: Changes): void {
  if (norm(b.viewDefinition) === norm(g.viewDefinition)) return;
  const key = b.qualifiedName;
  const bNames = b.columns.map((c) => c.name);
  const gNames = g.columns.map((c) => c.name);
  const onlyAppended = bNames.every((n, i) => gNames[i] === n) && gNames.length > bNames.length;
  if (onlyAppended && viewTail(b.viewDefinition) === viewTail(g.viewDefinition) && viewTail(b.viewDefinition) !== '') return; // column additions are reported per column
  out.add(`${RELATION_WORD[g.kind]}.definition_changed`, key, 'warning', `the query of ${g.kind} ${key} changed: the same columns may now return different rows or values`);
}

// ---------------------------------------------------------------------------------------------- columns

function diffColumns(b: Relation, g: Relation, out: Changes, isView: boolean): void {
  const key = b.qualifiedName;
  // Partitions and inheritance children get their columns from the parent, where changes are reported.
  const skip = (c: Column | undefined) => c !== undefined && !c.isLocal;
  const bCols = new Map(b.columns.map((c) => [c.name, c]));
  const gCols = new Map(g.columns.map((c) => [c.name, c]));
  const removed = b.columns.filter((c) => !gCols.has(c.name));
  const added = g.columns.filter((c) => !bCols.has(c.name));
  const renames: Array<[Column, Column]> = [];
  for (const r of removed) {
    const samePosition = added.find((a) => a.position === r.position && a.type === r.type && !renames.some((x) => x[1] === a));
    if (samePosition) renames.push([r, samePosition]);
  }
  // A RENAME COLUMN keeps the column's position (attnum); a drop + add puts the new column at the end. So only a
  // same-position, same-type pair is called a rename; a lone dropped/added pair of one type is only mentioned.
  const leftRemoved = removed.filter((r) => !renames.some((x) => x[0] === r));
  const leftAdded = added.filter((a) => !renames.some((x) => x[1] === a));
  const maybeRenamed = leftRemoved.length === 1 && leftAdded.length === 1 && leftRemoved[0].type === leftAdded[0].type ? leftAdded[0] : undefined;
  const word = isView ? 'view column' : 'column';
  for (const [r, a] of renames) {
    if (skip(r) && skip(a)) continue;
    out.add(`${isView ? 'view_column' : 'column'}.renamed`, `${key}.${r.name}`, 'incompatible', `${word} ${r.name} of ${key} was renamed to ${a.name} (same type and position): the old application still reads and writes ${r.name}`);
  }
  for (const c of removed.filter((r) => !renames.some((x) => x[0] === r))) {
    if (skip(c)) continue;
    const hint = maybeRenamed ? ` (if it was renamed to the new column ${maybeRenamed.name}, the old application still uses ${c.name})` : '';
    out.add(`${isView ? 'view_column' : 'column'}.dropped`, `${key}.${c.name}`, 'incompatible', `${word} ${c.name} (${c.type}) of ${key} was dropped: statements of the old application that name it fail${hint}`);
  }
  const lastBluePosition = Math.max(0, ...b.columns.map((c) => c.position));
  for (const c of added.filter((a) => !renames.some((x) => x[1] === a))) {
    if (skip(c)) continue;
    const object = `${key}.${c.name}`;
    if (isView) {
      const inMiddle = g.columns.indexOf(c) < g.columns.length - added.length;
      out.add('view_column.added', object, inMiddle ? 'warning' : 'compatible', inMiddle ? `view column ${c.name} added in the middle of ${key}: positional reads (SELECT * by index, INSERT without a column list) shift` : `view column ${c.name} (${c.type}) appended to ${key}`);
    } else if (c.generated) {
      out.add('column.added', object, 'compatible', `generated column ${c.name} (${c.type}) added; the old application never writes it`);
    } else if (c.notNull && c.default === null && !c.identity) {
      out.add('column.added', object, 'incompatible', `NOT NULL column ${c.name} (${c.type}) added without a default: INSERTs of the old application, which do not name it, fail with a not-null violation`);
    } else {
      out.add('column.added', object, 'compatible', `column ${c.name} (${c.type}) added${c.notNull ? ` as NOT NULL with ${c.identity ? 'an identity' : `default ${c.default}`}` : ' as nullable'}: INSERTs that omit it still work`);
    }
    void lastBluePosition;
  }
  for (const bc of b.columns) {
    const gc = gCols.get(bc.name);
    if (!gc || (skip(bc) && skip(gc))) continue;
    diffColumn(`${key}.${bc.name}`, bc, gc, out, isView);
  }
}

function diffColumn(object: string, b: Column, g: Column, out: Changes, isView: boolean): void {
  const prefix = isView ? 'view_column' : 'column';
  const typeVerdict = compareTypes(b, g);
  if (typeVerdict) {
    // a view column is read-only for the application: widening is fine, anything else changes what it reads
    out.add(`${prefix}.type_changed`, object, typeVerdict.compatibility, typeVerdict.reason);
  }
  if (isView) return;
  if (!b.notNull && g.notNull) {
    out.add('column.not_null_added', object, 'incompatible', `${object} is now NOT NULL: writes of NULL${g.default === null && !g.identity ? ', and INSERTs that omit the column,' : ''} fail with a not-null violation`);
  } else if (b.notNull && !g.notNull) {
    out.add('column.not_null_dropped', object, 'warning', `${object} now allows NULL: the old application may read NULLs it does not expect`);
  }
  if (norm(b.default) !== norm(g.default)) {
    if (g.default === null) {
      if (g.notNull && !g.identity && !g.generated) {
        out.add('column.default_dropped', object, 'incompatible', `default ${b.default} removed from NOT NULL column ${object}: INSERTs that omit it fail with a not-null violation`);
      } else if (!g.identity && !g.generated) {
        out.add('column.default_dropped', object, 'warning', `default ${b.default} removed from ${object}: INSERTs that omit it now store NULL`);
      }
    } else if (b.default === null) {
      out.add('column.default_added', object, 'compatible', `${object} gets default ${g.default}`);
    } else {
      out.add('column.default_changed', object, 'warning', `default of ${object} changed from ${b.default} to ${g.default}: INSERTs that omit it store a different value`);
    }
  }
  if (b.identity !== g.identity) {
    if (!b.identity && g.identity === 'always') out.add('column.identity_added', object, 'incompatible', `${object} became GENERATED ALWAYS AS IDENTITY: INSERTs and UPDATEs that set it explicitly are rejected`);
    else if (!b.identity) out.add('column.identity_added', object, 'compatible', `${object} became GENERATED BY DEFAULT AS IDENTITY: values are generated when omitted`);
    else if (!g.identity) out.add('column.identity_dropped', object, 'incompatible', `identity removed from ${object}: INSERTs that omit it no longer get a generated value`);
    else if (g.identity === 'always') out.add('column.identity_changed', object, 'incompatible', `${object} changed from GENERATED BY DEFAULT to GENERATED ALWAYS: explicit values are rejected`);
    else out.add('column.identity_changed', object, 'compatible', `${object} changed from GENERATED ALWAYS to GENERATED BY DEFAULT (more permissive)`);
  }
  if (b.identitySequence && g.identitySequence) {
    for (const d of compareSequenceOptions(b.identitySequence, g.identitySequence)) out.add('column.identity_sequence_changed', object, d.compatibility, `identity of ${object}: ${d.reason}`);
  }
  if (b.generated !== g.generated) {
    if (!b.generated) out.add('column.generated_added', object, 'incompatible', `${object} became a generated column: INSERTs and UPDATEs that set it are rejected`);
    else if (!g.generated) out.add('column.generated_dropped', object, 'warning', `${object} is no longer generated: rows written by the old application get no computed value`);
    else out.add('column.generated_changed', object, 'warning', `${object} changed from ${b.generated} to ${g.generated} generation`);
  } else if (b.generated && norm(b.generationExpression) !== norm(g.generationExpression)) {
    out.add('column.generation_expression_changed', object, 'warning', `generation expression of ${object} changed from ${b.generationExpression} to ${g.generationExpression}`);
  }
  if (b.collation !== g.collation && !(typeVerdict && (b.collation === null || g.collation === null))) {
    out.add('column.collation_changed', object, 'warning', `collation of ${object} changed from ${b.collation ?? 'none'} to ${g.collation ?? 'none'}: ORDER BY, comparisons and uniqueness follow different rules`);
  }
  if (b.isLocal !== g.isLocal || b.inheritedCount !== g.inheritedCount) {
    out.add('column.inheritance_changed', object, 'compatible', `${object} is now ${g.isLocal ? 'a local' : 'an inherited'} column (inherited from ${g.inheritedCount} parent(s), was ${b.inheritedCount})`);
  }
}

// ---------------------------------------------------------------------------------------------- constraints

function stripNotValid(def: string): string {
  return norm(def.replace(/\s+NOT VALID$/, ''));
}

function diffConstraints(blueSnap: SchemaSnapshot, b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const k = keys(b.constraints, g.constraints);
  const renames = matchRenames(k.onlyBlue, k.onlyGreen, (name, side) => {
    const c = (side === 'blue' ? b : g).constraints[name];
    return `${c.type}|${stripNotValid(c.definition)}`;
  });
  for (const [from, to] of renames) {
    out.add('constraint.renamed', `${key}.${from}`, 'warning', `constraint ${from} on ${key} was renamed to ${to}: only ON CONFLICT ON CONSTRAINT ${from} and error handling that matches the name are affected`);
  }
  const blueColumns = new Set(b.columns.map((c) => c.name));
  for (const name of k.onlyGreen.filter((n) => !renames.some((r) => r[1] === n))) {
    const c = g.constraints[name];
    const object = `${key}.${name}`;
    const onlyNewColumns = c.columns.length > 0 && c.columns.every((col) => !blueColumns.has(col));
    if (onlyNewColumns && c.type !== 'primary key') {
      out.add('constraint.added', object, 'compatible', `new ${c.type} constraint ${name} on ${key} involves only new columns the old application does not write: ${c.definition}`);
      continue;
    }
    switch (c.type) {
      case 'primary key':
        out.add('constraint.primary_key_added', object, 'warning', `new primary key ${name} on ${key} ${c.definition}: duplicate or NULL values the old application writes are rejected`);
        break;
      case 'unique':
        out.add('constraint.unique_added', object, 'warning', `new unique constraint ${name} on ${key} ${c.definition}: duplicate writes are rejected`);
        break;
      case 'foreign key':
        if (c.references && !(c.references in blueSnap.relations)) {
          out.add('constraint.foreign_key_added', object, 'incompatible', `new foreign key ${name} on ${key} references ${c.references}, a table the old application does not know and never fills: its non-NULL writes to (${c.columns.join(', ')}) are rejected`);
        } else {
          out.add('constraint.foreign_key_added', object, 'warning', `new foreign key ${name} on ${key}: ${c.definition}; writes of the old application that reference missing rows are rejected`);
        }
        break;
      case 'check':
        out.add('constraint.check_added', object, 'warning', `new check constraint ${name} on ${key}: ${c.definition}; writes of the old application that violate it are rejected`);
        break;
      case 'exclusion':
        out.add('constraint.exclusion_added', object, 'warning', `new exclusion constraint ${name} on ${key}: ${c.definition}; conflicting writes are rejected`);
        break;
    }
  }
  for (const name of k.onlyBlue.filter((n) => !renames.some((r) => r[0] === n))) {
    const c = b.constraints[name];
    const object = `${key}.${name}`;
    switch (c.type) {
      case 'primary key':
        out.add('constraint.primary_key_dropped', object, 'incompatible', `primary key ${name} ${c.definition} of ${key} was dropped: ON CONFLICT (${c.columns.join(', ')}), foreign keys to it and the uniqueness the old application relies on are gone`);
        break;
      case 'unique':
        out.add('constraint.unique_dropped', object, 'warning', `unique constraint ${name} ${c.definition} of ${key} was dropped: ON CONFLICT (${c.columns.join(', ')}) of the old application fails and duplicates become possible`);
        break;
      case 'foreign key':
        out.add('constraint.foreign_key_dropped', object, 'warning', `foreign key ${name} of ${key} was dropped: ${c.definition}; its referential checks and ON DELETE/UPDATE actions no longer happen`);
        break;
      case 'check':
        out.add('constraint.check_dropped', object, 'compatible', `check constraint ${name} of ${key} was dropped (more permissive)`);
        break;
      case 'exclusion':
        out.add('constraint.exclusion_dropped', object, 'warning', `exclusion constraint ${name} of ${key} was dropped: conflicting rows become possible and ON CONFLICT that used it fails`);
        break;
    }
  }
  for (const name of k.both) diffConstraint(`${key}.${name}`, b.constraints[name], g.constraints[name], out);
}

function diffConstraint(object: string, b: Constraint, g: Constraint, out: Changes): void {
  if (b.type !== g.type) {
    out.add('constraint.type_changed', object, 'incompatible', `constraint ${object} changed from ${b.type} to ${g.type}: ${b.definition} -> ${g.definition}`);
    return;
  }
  const bd = stripNotValid(b.definition);
  const gd = stripNotValid(g.definition);
  if (bd !== gd) {
    const withoutDeferral = (d: string) => norm(d.replace(/\s+(NOT )?DEFERRABLE(\s+INITIALLY (DEFERRED|IMMEDIATE))?/g, '').replace(/\s+NO INHERIT/, ''));
    if (withoutDeferral(bd) === withoutDeferral(gd)) {
      if (b.deferrable !== g.deferrable || b.deferred !== g.deferred) {
        out.add('constraint.deferrable_changed', object, 'warning', `constraint ${object} is now ${g.deferrable ? (g.deferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE') : 'NOT DEFERRABLE'}: violations are reported ${g.deferred ? 'at COMMIT' : 'at the statement'} instead`);
      }
      if (b.noInherit !== g.noInherit) {
        out.add('constraint.inheritance_changed', object, g.noInherit ? 'compatible' : 'warning', g.noInherit ? `check ${object} is now NO INHERIT: child tables are no longer checked` : `check ${object} is now inherited: child tables are checked too`);
      }
    } else if (b.type === 'check') {
      out.add('constraint.check_changed', object, 'incompatible', `check ${object} changed from ${b.definition} to ${g.definition}: writes valid under the old rule may be rejected`);
    } else if (b.type === 'foreign key') {
      const target = (d: string) => d.replace(/\s+ON (DELETE|UPDATE) (CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION)(\s*\([^)]*\))?/g, '').replace(/\s+MATCH (FULL|SIMPLE|PARTIAL)/, '');
      if (withoutDeferral(target(bd)) === withoutDeferral(target(gd))) {
        out.add('constraint.foreign_key_action_changed', object, 'warning', `actions of foreign key ${object} changed from ${b.definition} to ${g.definition}: deletes and updates of referenced rows behave differently`);
      } else {
        out.add('constraint.foreign_key_changed', object, 'incompatible', `foreign key ${object} changed from ${b.definition} to ${g.definition}: writes valid before may be rejected`);
      }
    } else if (b.type === 'primary key') {
      out.add('constraint.primary_key_changed', object, 'incompatible', `primary key ${object} changed from ${b.definition} to ${g.definition}: ON CONFLICT targets and uniqueness of the old application change`);
    } else {
      out.add(`constraint.${b.type === 'unique' ? 'unique' : 'exclusion'}_changed`, object, 'warning', `${b.type} constraint ${object} changed from ${b.definition} to ${g.definition}`);
    }
  }
  if (b.validated !== g.validated) {
    out.add('constraint.validation_changed', object, 'compatible', g.validated ? `constraint ${object} was validated for existing rows` : `constraint ${object} is now NOT VALID (new rows are still checked)`);
  }
}

// ---------------------------------------------------------------------------------------------- indexes

function indexShape(i: Index): string {
  return norm(i.definition.replace(/^CREATE (UNIQUE )?INDEX (?:"(?:[^"]|"")+"|\S+) ON /, 'CREATE $1INDEX ON '));
}

function diffIndexes(b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  // Indexes that back a constraint are judged with the constraint.
  const plain = (r: Relation) => Object.fromEntries(Object.entries(r.indexes).filter(([, i]) => !i.constraint));
  const bi = plain(b);
  const gi = plain(g);
  const k = keys(bi, gi);
  const renames = matchRenames(k.onlyBlue, k.onlyGreen, (name, side) => indexShape((side === 'blue' ? bi : gi)[name]));
  for (const [from, to] of renames) out.add('index.renamed', `${b.schema}.${from}`, 'compatible', `index ${from} on ${key} was renamed to ${to}`);
  for (const name of k.onlyGreen.filter((n) => !renames.some((r) => r[1] === n))) {
    const i = gi[name];
    if (i.unique) out.add('index.unique_added', `${g.schema}.${name}`, 'warning', `new unique index ${name} on ${key}: duplicate writes of the old application are rejected (${i.definition})`);
    else out.add('index.added', `${g.schema}.${name}`, 'compatible', `new index ${name} on ${key} (performance only)`);
  }
  for (const name of k.onlyBlue.filter((n) => !renames.some((r) => r[0] === n))) {
    const i = bi[name];
    if (i.unique) out.add('index.unique_dropped', `${b.schema}.${name}`, 'warning', `unique index ${name} on ${key} was dropped: ON CONFLICT on its columns fails and duplicates become possible (${i.definition})`);
    else out.add('index.dropped', `${b.schema}.${name}`, 'warning', `index ${name} on ${key} was dropped: queries that used it may become slow (${i.definition})`);
  }
  for (const name of k.both) {
    const x = bi[name];
    const y = gi[name];
    if (indexShape(x) !== indexShape(y)) {
      const unique = x.unique || y.unique;
      out.add('index.changed', `${b.schema}.${name}`, unique ? 'warning' : 'compatible', `index ${name} on ${key} changed from ${x.definition} to ${y.definition}${unique ? ': uniqueness rules differ' : ' (performance only)'}`);
    } else if (x.valid !== y.valid) {
      out.add('index.validity_changed', `${b.schema}.${name}`, 'compatible', `index ${name} is ${y.valid ? 'now valid' : 'INVALID (not used by queries)'}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------- triggers

/** What a trigger does, per event, without its name: two trigger sets with equal behaviours are equivalent. */
function triggerBehaviours(t: Trigger): string[] {
  const m = /^CREATE (CONSTRAINT )?TRIGGER (?:"(?:[^"]|"")+"|\S+) (BEFORE|AFTER|INSTEAD OF) (.+?) ON (.*)$/s.exec(t.definition);
  if (!m) return [`${t.enabled}|${t.definition}`];
  return m[3].split(' OR ').map((event) => `${m[1] ?? ''}${m[2]} ${event} ON ${norm(m[4])}|${t.enabled}`);
}

function diffTriggers(b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const k = keys(b.triggers, g.triggers);
  const changed = k.both.filter((n) => norm(b.triggers[n].definition) !== norm(g.triggers[n].definition) || b.triggers[n].enabled !== g.triggers[n].enabled);
  if (k.onlyBlue.length === 0 && k.onlyGreen.length === 0 && changed.length === 0) return;
  const set = (r: Relation) => new Set(Object.values(r.triggers).flatMap(triggerBehaviours));
  const bs = set(b);
  const gs = set(g);
  if (bs.size === gs.size && [...bs].every((x) => gs.has(x))) {
    out.add('trigger.reorganised', key, 'compatible', `triggers of ${key} were renamed or regrouped (${[...k.onlyBlue.map((n) => `-${n}`), ...k.onlyGreen.map((n) => `+${n}`), ...changed.map((n) => `~${n}`)].join(' ')}), but the same functions still fire on the same events`);
    return;
  }
  for (const name of k.onlyBlue) out.add('trigger.dropped', `${key}.${name}`, 'warning', `trigger ${name} on ${key} was dropped: its side effects or checks (${b.triggers[name].function}) no longer happen for the old application's writes`);
  for (const name of k.onlyGreen) out.add('trigger.added', `${key}.${name}`, 'warning', `new trigger ${name} on ${key} runs ${g.triggers[name].function} ${g.triggers[name].timing} ${g.triggers[name].events.join('/')}: it may reject or alter the old application's writes`);
  for (const name of changed) {
    const x = b.triggers[name];
    const y = g.triggers[name];
    const detail = x.enabled !== y.enabled && norm(x.definition) === norm(y.definition) ? `trigger ${name} on ${key} is now ${y.enabled === 'D' ? 'disabled' : `enabled (${y.enabled})`}` : `trigger ${name} on ${key} changed from "${x.definition}" to "${y.definition}"`;
    out.add('trigger.changed', `${key}.${name}`, 'warning', detail);
  }
}

// ---------------------------------------------------------------------------------------------- row-level security

function permissivePolicies(r: Relation): Policy[] {
  return Object.values(r.policies).filter((p) => p.permissive);
}

function diffRowSecurity(b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const greenPermissive = permissivePolicies(g);
  const noAccess = greenPermissive.length === 0;
  if (!b.rowSecurity && g.rowSecurity) {
    if (noAccess) out.add('table.rls_enabled', key, 'incompatible', `row-level security enabled on ${key} with no permissive policy: every role except the owner${g.forceRowSecurity ? ' (and, with FORCE, the owner too)' : ''} and superusers now sees and writes no rows`);
    else out.add('table.rls_enabled', key, 'warning', `row-level security enabled on ${key}: rows are now filtered by policies ${greenPermissive.map((p) => p.name).join(', ')}`);
  } else if (b.rowSecurity && !g.rowSecurity) {
    out.add('table.rls_disabled', key, 'compatible', `row-level security disabled on ${key}: more permissive (review for security)`);
  }
  if (!b.forceRowSecurity && g.forceRowSecurity && g.rowSecurity) {
    out.add('table.rls_forced', key, noAccess ? 'incompatible' : 'warning', noAccess ? `row-level security is now FORCEd on ${key} with no permissive policy: the table owner sees and writes no rows either` : `row-level security is now FORCEd on ${key}: the table owner is filtered by the policies too`);
  } else if (b.forceRowSecurity !== g.forceRowSecurity) {
    out.add('table.rls_force_changed', key, 'compatible', `FORCE ROW LEVEL SECURITY ${g.forceRowSecurity ? 'set (RLS itself is off)' : 'removed'} on ${key}`);
  }

  const k = keys(b.policies, g.policies);
  const effective = b.rowSecurity && g.rowSecurity;
  const inactive = !g.rowSecurity ? ' (row-level security is not enabled on the table, so it has no effect yet)' : '';
  for (const name of k.onlyGreen) {
    const p = g.policies[name];
    const object = `${key}.${name}`;
    if (!effective) out.add('policy.added', object, 'compatible', `new ${p.permissive ? 'permissive' : 'restrictive'} policy ${name} on ${key}${inactive}`);
    else if (p.permissive) out.add('policy.added', object, 'compatible', `new permissive policy ${name} on ${key} for ${p.command} (more rows allowed)`);
    else out.add('policy.added', object, 'warning', `new restrictive policy ${name} on ${key} for ${p.command}: rows the old application could see or write may now be filtered`);
  }
  for (const name of k.onlyBlue) {
    const p = b.policies[name];
    const object = `${key}.${name}`;
    if (!effective) out.add('policy.dropped', object, 'compatible', `policy ${name} on ${key} was dropped${inactive}`);
    else if (!p.permissive) out.add('policy.dropped', object, 'compatible', `restrictive policy ${name} on ${key} was dropped (more permissive)`);
    else if (noAccess) out.add('policy.dropped', object, 'incompatible', `permissive policy ${name} on ${key} was dropped and none is left: non-owner roles see and write no rows`);
    else out.add('policy.dropped', object, 'warning', `permissive policy ${name} on ${key} was dropped: rows it allowed are no longer visible or writable`);
  }
  for (const name of k.both) {
    const x = b.policies[name];
    const y = g.policies[name];
    const object = `${key}.${name}`;
    const same = x.permissive === y.permissive && x.command === y.command && x.roles.join() === y.roles.join() && norm(x.using) === norm(y.using) && norm(x.withCheck) === norm(y.withCheck);
    if (same) continue;
    if (!effective) out.add('policy.changed', object, 'compatible', `policy ${name} on ${key} changed${inactive}`);
    else if (x.permissive && !y.permissive && noAccess) out.add('policy.changed', object, 'incompatible', `policy ${name} on ${key} changed from PERMISSIVE to RESTRICTIVE and no permissive policy is left: non-owner roles see and write no rows`);
    else if (!x.permissive && y.permissive) out.add('policy.changed', object, 'compatible', `policy ${name} on ${key} changed from RESTRICTIVE to PERMISSIVE (more permissive)`);
    else out.add('policy.changed', object, 'warning', `policy ${name} on ${key} changed (${describePolicy(x)} -> ${describePolicy(y)}): the rows the old application sees or may write differ`);
  }
}

function describePolicy(p: Policy): string {
  return `${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} ${p.command} TO ${p.roles.join(', ')}${p.using ? ` USING (${p.using})` : ''}${p.withCheck ? ` WITH CHECK (${p.withCheck})` : ''}`;
}

// ---------------------------------------------------------------------------------------------- functions

function diffFunctions(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const k = keys(blue.functions, green.functions);
  const sig = (f: FunctionObject) => `${f.schema}|${f.kind}|${f.identityArguments}|${f.result}|${norm(f.body)}`;
  const renames = matchRenames(k.onlyBlue, k.onlyGreen, (key, side) => sig((side === 'blue' ? blue : green).functions[key]));
  for (const [from, to] of renames) out.add(`${blue.functions[from].kind}.renamed`, from, 'incompatible', `${blue.functions[from].kind} ${from} was renamed to ${to}: calls of the old application fail`);
  const byName = (s: SchemaSnapshot) => {
    const m = new Map<string, FunctionObject[]>();
    for (const f of Object.values(s.functions)) m.set(`${f.schema}.${f.name}`, [...(m.get(`${f.schema}.${f.name}`) ?? []), f]);
    return m;
  };
  const blueByName = byName(blue);
  const greenByName = byName(green);
  const dropped = k.onlyBlue.filter((x) => !renames.some((r) => r[0] === x));
  const added = k.onlyGreen.filter((x) => !renames.some((r) => r[1] === x));
  for (const key of dropped) {
    const f = blue.functions[key];
    const replacements = (greenByName.get(`${f.schema}.${f.name}`) ?? []).filter((x) => !(x.qualifiedName in blue.functions));
    const detail = replacements.length > 0
      ? `${f.kind} ${key} was replaced by ${replacements.map((x) => x.qualifiedName).join(', ')}: calls with the old argument types may fail or resolve differently`
      : `${f.kind} ${key} was dropped: calls of the old application fail with "function does not exist"`;
    out.add(`${f.kind}.dropped`, key, 'incompatible', detail);
  }
  for (const key of added) {
    const f = green.functions[key];
    const existing = (blueByName.get(`${f.schema}.${f.name}`) ?? []).filter((x) => x.qualifiedName in green.functions);
    if (existing.length > 0) out.add(`${f.kind}.overload_added`, key, 'warning', `new overload ${key} of existing ${f.kind} ${f.schema}.${f.name}: calls with untyped literals or NULL may become ambiguous or resolve to it`);
    else out.add(`${f.kind}.added`, key, 'compatible', `new ${f.kind} ${key}`);
  }
  for (const key of k.both) {
    const b = blue.functions[key];
    const g = green.functions[key];
    if (b.kind !== g.kind) {
      out.add('function.kind_changed', key, 'incompatible', `${key} changed from ${b.kind} to ${g.kind}: SELECT/CALL of the old application fails`);
      continue;
    }
    if (b.result !== g.result) out.add(`${g.kind}.return_type_changed`, key, 'incompatible', `return type of ${key} changed from ${b.result} to ${g.result}: callers read a different shape`);
    if (b.arguments !== g.arguments) {
      const noDefaults = (a: string) => a.replace(/\s+DEFAULT\s+[^,]+/g, '');
      const defaults = (a: string) => (a.match(/\sDEFAULT\s/g) ?? []).length;
      if (noDefaults(b.arguments) === noDefaults(g.arguments)) {
        if (defaults(g.arguments) < defaults(b.arguments)) out.add(`${g.kind}.argument_default_dropped`, key, 'incompatible', `argument defaults of ${key} removed (${b.arguments} -> ${g.arguments}): calls that omit those arguments fail`);
        else out.add(`${g.kind}.argument_default_changed`, key, defaults(g.arguments) > defaults(b.arguments) ? 'compatible' : 'warning', `argument defaults of ${key} changed (${b.arguments} -> ${g.arguments})`);
      } else {
        out.add(`${g.kind}.argument_names_changed`, key, 'warning', `argument names of ${key} changed (${b.arguments} -> ${g.arguments}): calls using named notation break`);
      }
    }
    if (norm(b.body) !== norm(g.body) || b.language !== g.language) out.add(`${g.kind}.body_changed`, key, 'warning', `body of ${g.kind} ${key} changed: it may behave differently for the old application`);
    const attrs: string[] = [];
    if (b.volatility !== g.volatility) attrs.push(`volatility ${b.volatility} -> ${g.volatility}`);
    if (b.strict !== g.strict) attrs.push(g.strict ? 'now STRICT (returns NULL for NULL input)' : 'no longer STRICT');
    if (b.securityDefiner !== g.securityDefiner) attrs.push(g.securityDefiner ? 'now SECURITY DEFINER' : 'now SECURITY INVOKER');
    if (b.config.join() !== g.config.join()) attrs.push(`settings ${b.config.join(' ') || 'none'} -> ${g.config.join(' ') || 'none'}`);
    if (b.parallel !== g.parallel) attrs.push(`parallel safety ${b.parallel} -> ${g.parallel}`);
    if (attrs.length > 0) out.add(`${g.kind}.attributes_changed`, key, 'warning', `${key}: ${attrs.join('; ')}`);
    diffAcl(key, `${g.kind} ${key}`, b.acl, g.acl, out, options);
  }
}
