/** Tables, views, materialized views, partitions: what a relation is and how statements on it behave. */
import type { Relation, RewriteRule, SchemaSnapshot } from '../model';
import { diffAcl, diffRowSecurity, diffViewSecurity } from './access';
import { keys, matchRenames, norm, sameData, type Changes, type DiffOptions } from './changes';
import { diffColumns } from './columns';
import { diffConstraints, diffIndexes } from './constraints';
import { defineRules } from './rule';
import { diffTriggers } from './triggers';

export const RELATION_WORD: Record<Relation['kind'], string> = {
  table: 'table',
  'partitioned table': 'table',
  view: 'view',
  'materialized view': 'materialized_view',
  'foreign table': 'foreign_table',
};
const WORDS = ['table', 'view', 'materialized_view', 'foreign_table'];

export const RELATION_RULES = defineRules([
  {
    kinds: WORDS.map((w) => `${w}.dropped`),
    family: 'objects',
    change: 'table, view, materialized view or foreign table dropped (also a partition)',
    verdicts: { incompatible: 'every statement of the old application that uses it fails' },
    hint: 'keep it until the old version is gone; drop it in a later (contract) release',
  },
  {
    kinds: [...WORDS.map((w) => `${w}.renamed`), ...WORDS.map((w) => `${w}.moved`)],
    family: 'objects',
    change: 'renamed or moved to another schema (same columns under another name)',
    verdicts: { incompatible: 'the old application still uses the old name' },
    hint: 'add instead of rename: create the new name (or a view shim with the old name over the new table) and drop the old one after the old version is gone',
  },
  { kinds: WORDS.map((w) => `${w}.added`), family: 'objects', change: 'added (also a new partition)', verdicts: { compatible: 'additive' } },
  {
    kinds: ['table.partitioned', 'table.partition_key_changed'],
    family: 'objects',
    change: 'table became partitioned, or its partition key changed',
    verdicts: { incompatible: 'it was re-created, and inserts outside every partition fail' },
    hint: 'create a default partition (or ranges covering every value) in the same migration, and copy the data',
  },
  {
    kinds: ['table.unpartitioned'],
    family: 'objects',
    change: 'partitioned table became a plain table',
    verdicts: { warning: 'it was re-created: check the data was carried over' },
    hint: 'copy the rows in the same migration; keep the partitioned table until the old version is gone',
  },
  {
    kinds: ['table.replaced_by_view'],
    family: 'write semantics',
    change: 'table replaced by a view of the same name',
    verdicts: {
      incompatible: 'the view does not accept INSERT, UPDATE or DELETE that the table accepted: those writes fail',
      warning: 'reads and simple writes still work through the (updatable) view; TRUNCATE, COPY FROM and ALTER fail',
    },
    hint: 'a view shim must be automatically updatable (or have INSTEAD OF triggers) for the old application to keep writing',
  },
  {
    kinds: ['view.materialized', 'materialized_view.unmaterialized', 'relation.kind_changed'],
    family: 'objects',
    change: 'view became a materialized view or back, or another change of relation kind',
    verdicts: { incompatible: 'writes through it (or REFRESH) fail; a materialized view returns stale rows' },
    hint: 'create the new kind under a new name; drop the old one after the old version is gone',
  },
  {
    kinds: ['table.persistence_changed'],
    family: 'objects',
    change: 'table LOGGED / UNLOGGED',
    verdicts: { warning: 'UNLOGGED: rows are lost after a crash and not replicated', compatible: 'now LOGGED' },
    hint: 'keep the table logged while the old version depends on its rows surviving a failover',
  },
  { kinds: ['table.replica_identity_changed'], family: 'objects', change: 'replica identity changed', verdicts: { compatible: 'the application is unaffected (logical replication consumers may be)' } },
  {
    kinds: ['partition.detached', 'partition.bound_changed'],
    family: 'objects',
    change: 'partition detached, or its bound changed',
    verdicts: { incompatible: 'its rows no longer appear through the parent, and inserts for its range fail' },
    hint: 'attach the replacement partition in the same migration; detach only after the old version is gone',
  },
  {
    kinds: ['partition.attached'],
    family: 'objects',
    change: 'table became a partition',
    verdicts: { warning: 'writes outside its range are rejected' },
    hint: 'make sure the old version only writes rows inside the partition bound',
  },
  {
    kinds: ['table.inheritance_dropped'],
    family: 'objects',
    change: 'table no longer inherits from a parent',
    verdicts: { incompatible: 'queries on the parent no longer see its rows' },
    hint: 'keep the inheritance until the old version is gone',
  },
  {
    kinds: ['table.inheritance_added'],
    family: 'objects',
    change: 'table now inherits from a parent',
    verdicts: { warning: 'queries on the parent also return its rows' },
    hint: 'use ONLY in the new version, or add the inheritance after the old version is gone',
  },
  {
    kinds: ['view.check_option_added', 'view.check_option_changed'],
    family: 'write semantics',
    change: 'WITH CHECK OPTION added or changed',
    verdicts: { warning: 'writes through the view that produce rows outside it are rejected' },
    hint: 'add the check option after the old version is gone, or make sure it only writes rows the view shows',
  },
  { kinds: ['view.check_option_dropped'], family: 'write semantics', change: 'WITH CHECK OPTION removed', verdicts: { compatible: 'more permissive' } },
  { kinds: ['view.security_barrier_changed', 'relation.storage_option_changed'], family: 'objects', change: 'security_barrier or a storage option changed', verdicts: { compatible: 'planner or storage only' } },
  {
    kinds: ['view.definition_changed', 'materialized_view.definition_changed'],
    family: 'columns and types',
    change: 'query of a view changed (same columns)',
    verdicts: { warning: 'the same columns may return different rows or values' },
    hint: 'create the new query as a new view; switch the new version to it and drop the old one later',
  },
  {
    kinds: ['view.writability_lost'],
    family: 'write semantics',
    change: 'a view no longer accepts INSERT, UPDATE or DELETE (not automatically updatable, no rule or INSTEAD OF trigger)',
    verdicts: { incompatible: 'writes of the old application through the view fail' },
    hint: 'keep the view automatically updatable, or add INSTEAD OF triggers that do what the old writes did',
  },
  { kinds: ['view.writability_gained'], family: 'write semantics', change: 'a view now accepts INSERT, UPDATE or DELETE', verdicts: { compatible: 'more permissive' } },
  {
    kinds: ['rule.added'],
    family: 'write semantics',
    change: 'rewrite rule (CREATE RULE) added',
    verdicts: {
      incompatible: 'DO INSTEAD on INSERT/UPDATE/DELETE: the old application\'s statements now do something else (or nothing)',
      warning: 'DO ALSO: its statements have additional effects',
      compatible: 'on a relation whose events the old application cannot issue (SELECT rules are views)',
    },
    hint: 'implement the new behaviour in the new version (or a trigger that keeps the statement\'s own effect), not a rule that rewrites the old one',
  },
  {
    kinds: ['rule.dropped'],
    family: 'write semantics',
    change: 'rewrite rule dropped',
    verdicts: { incompatible: 'DO INSTEAD: the old application\'s statements now act on the relation itself (or fail on a view)', warning: 'DO ALSO: an effect it relied on no longer happens' },
    hint: 'keep the rule until the old version is gone',
  },
  {
    kinds: ['rule.changed'],
    family: 'write semantics',
    change: 'rewrite rule changed',
    verdicts: { incompatible: 'a DO INSTEAD rule now does something else', warning: 'a DO ALSO rule has other effects' },
    hint: 'keep the rule until the old version is gone',
  },
  { kinds: ['rule.renamed'], family: 'write semantics', change: 'rewrite rule renamed (same definition)', verdicts: { compatible: 'statements behave as before' } },
]);

function columnSignature(r: Relation): string {
  return `${r.kind}|${r.columns.map((c) => `${c.name}:${c.type}`).join(',')}`;
}

export function diffRelations(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
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
    const detail = r.isPartition ? `partition ${key} was dropped: its rows are gone and inserts for its range fail` : `${r.kind} ${key} was dropped: every statement of the old application that uses it fails`;
    out.add(`${RELATION_WORD[r.kind]}.dropped`, key, 'incompatible', detail);
  }
  for (const key of k.onlyGreen.filter((x) => !renamedGreen.has(x))) {
    const r = green.relations[key];
    out.add(`${RELATION_WORD[r.kind]}.added`, key, 'compatible', r.isPartition ? `new partition ${key} (${r.partitionBound})` : `new ${r.kind} ${key}`);
  }
  // The application role's view of a relation lives in its privileges, not in the relation row.
  const appView = (s: SchemaSnapshot, r: Relation) => [s.appRole?.privileges[`relation:${r.qualifiedName}`] ?? null, r.rowSecurity ? [s.appRole?.superuser, s.appRole?.bypassRls, s.appRole?.memberOf] : null];
  for (const key of k.both) {
    const b = blue.relations[key];
    const g = green.relations[key];
    // Fast path: most relations are unchanged; one structural comparison is far cheaper than the field-by-field diff.
    if (sameData(b, g) && (!options.appRole || sameData(appView(blue, b), appView(green, g)))) continue;
    diffRelation(blue, green, b, g, out, options);
  }
}

function relationKindChange(b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const isTable = (r: Relation) => r.kind === 'table' || r.kind === 'partitioned table';
  if (b.kind === g.kind) return;
  if (b.kind === 'table' && g.kind === 'partitioned table') {
    out.add('table.partitioned', key, 'incompatible', `table ${key} became partitioned (${g.partitionKey}): it was re-created, and inserts outside every partition's range fail`);
  } else if (b.kind === 'partitioned table' && g.kind === 'table') {
    out.add('table.unpartitioned', key, 'warning', `partitioned table ${key} became a plain table: it was re-created (check that the data was carried over)`);
  } else if (isTable(b) && g.kind === 'view') {
    const lost = g.updatable ? (['insert', 'update', 'delete'] as const).filter((e) => !g.updatable?.[e]) : [];
    if (lost.length > 0) out.add('table.replaced_by_view', key, 'incompatible', `table ${key} was replaced by a view that does not accept ${lost.map((e) => e.toUpperCase()).join(', ')}: those writes of the old application fail`);
    else out.add('table.replaced_by_view', key, 'warning', `table ${key} was replaced by an updatable view: reads and simple writes still work, but TRUNCATE, COPY FROM and ALTER fail`);
  } else if (b.kind === 'view' && g.kind === 'materialized view') {
    out.add('view.materialized', key, 'incompatible', `view ${key} became a materialized view: writes through it fail and reads return stale rows until REFRESH`);
  } else if (b.kind === 'materialized view' && g.kind === 'view') {
    out.add('materialized_view.unmaterialized', key, 'incompatible', `materialized view ${key} became a plain view: REFRESH MATERIALIZED VIEW of the old application fails`);
  } else {
    out.add('relation.kind_changed', key, 'incompatible', `${key} changed from ${b.kind} to ${g.kind}`);
  }
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
  diffOptions(blueSnap, greenSnap, b, g, out, options);
  if (isView && (b.kind === 'view' || b.kind === 'materialized view')) diffViewDefinition(b, g, out);
  if (b.kind === 'view' && g.kind === 'view') diffWritability(b, g, out);
  diffRewriteRules(b, g, out);
  diffColumns(blueSnap, greenSnap, b, g, out, isView);
  diffConstraints(blueSnap, b, g, out);
  diffIndexes(b, g, out);
  diffTriggers(greenSnap, b, g, out);
  diffRowSecurity(blueSnap, greenSnap, b, g, out, options);
  diffAcl(key, `${g.kind} ${key}`, b.acl, g.acl, out, options);
}

function diffOptions(blue: SchemaSnapshot, green: SchemaSnapshot, b: Relation, g: Relation, out: Changes, options: DiffOptions): void {
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
      diffViewSecurity(blue, green, b, g, from, to, out, options);
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

function diffWritability(b: Relation, g: Relation, out: Changes): void {
  if (!b.updatable || !g.updatable) return;
  const events = ['insert', 'update', 'delete'] as const;
  const lost = events.filter((e) => b.updatable?.[e] && !g.updatable?.[e]);
  const gained = events.filter((e) => !b.updatable?.[e] && g.updatable?.[e]);
  const key = b.qualifiedName;
  if (lost.length > 0) out.add('view.writability_lost', key, 'incompatible', `view ${key} no longer accepts ${lost.map((e) => e.toUpperCase()).join(', ')} (it is not automatically updatable and no rule or INSTEAD OF trigger handles it): those writes of the old application fail`);
  if (gained.length > 0) out.add('view.writability_gained', key, 'compatible', `view ${key} now accepts ${gained.map((e) => e.toUpperCase()).join(', ')}`);
}

/** A rule's definition without its name (`CREATE RULE name AS ON …`): equal shapes are the same rule. */
function ruleShape(r: RewriteRule): string {
  return norm(r.definition.replace(/^CREATE RULE (?:"(?:[^"]|"")+"|\S+) AS/, 'CREATE RULE AS'));
}

function diffRewriteRules(b: Relation, g: Relation, out: Changes): void {
  if (b.rules.length === 0 && g.rules.length === 0) return;
  const key = b.qualifiedName;
  const br = Object.fromEntries(b.rules.map((r) => [r.name, r]));
  const gr = Object.fromEntries(g.rules.map((r) => [r.name, r]));
  const k = keys(br, gr);
  const renames = matchRenames(k.onlyBlue, k.onlyGreen, (name, side) => ruleShape((side === 'blue' ? br : gr)[name]));
  for (const [from, to] of renames) out.add('rule.renamed', `${key}.${from}`, 'compatible', `rule ${from} on ${key} was renamed to ${to}; statements behave as before`);
  for (const name of k.onlyGreen.filter((n) => !renames.some((r) => r[1] === n))) {
    const r = gr[name];
    const object = `${key}.${name}`;
    if (r.event === 'SELECT') out.add('rule.added', object, 'compatible', `new SELECT rule ${name} on ${key}`);
    else if (r.instead) out.add('rule.added', object, 'incompatible', `new DO INSTEAD rule ${name} on ${key}: the old application's ${r.event} statements now do something else (${r.definition.trim()})`);
    else out.add('rule.added', object, 'warning', `new DO ALSO rule ${name} on ${key}: the old application's ${r.event} statements have additional effects (${r.definition.trim()})`);
  }
  for (const name of k.onlyBlue.filter((n) => !renames.some((r) => r[0] === n))) {
    const r = br[name];
    const object = `${key}.${name}`;
    if (r.instead) out.add('rule.dropped', object, 'incompatible', `DO INSTEAD rule ${name} on ${key} was dropped: the old application's ${r.event} statements no longer do what the rule did (${r.definition.trim()})`);
    else out.add('rule.dropped', object, 'warning', `DO ALSO rule ${name} on ${key} was dropped: an effect of the old application's ${r.event} statements no longer happens`);
  }
  for (const name of k.both) {
    const x = br[name];
    const y = gr[name];
    if (ruleShape(x) === ruleShape(y)) continue;
    out.add('rule.changed', `${key}.${name}`, x.instead || y.instead ? 'incompatible' : 'warning', `rule ${name} on ${key} changed from "${x.definition.trim()}" to "${y.definition.trim()}"`);
  }
}
