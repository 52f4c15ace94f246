/** Constraints (primary key, unique, foreign key, check, exclusion) and indexes. */
import type { Constraint, Index, Relation, SchemaSnapshot } from '../model';
import { keys, matchRenames, norm, type Changes } from './changes';
import { defineRules } from './rule';

export const CONSTRAINT_RULES = defineRules([
  {
    kinds: ['constraint.added'],
    family: 'constraints and indexes',
    change: 'constraint that involves only columns new on green',
    verdicts: { compatible: 'the old application never writes those columns' },
  },
  {
    kinds: ['constraint.primary_key_added', 'constraint.unique_added', 'constraint.check_added', 'constraint.exclusion_added'],
    family: 'constraints and indexes',
    change: 'primary key, unique, check or exclusion constraint added',
    verdicts: { warning: 'writes of the old application that violate it are rejected' },
    hint: 'make sure the old version never writes rows that violate it (add it NOT VALID first and check), or add it after the old version is gone',
  },
  {
    kinds: ['constraint.foreign_key_added'],
    family: 'constraints and indexes',
    change: 'foreign key added',
    verdicts: {
      incompatible: 'it references a table the old application does not know and never fills: its non-NULL writes are rejected',
      warning: 'writes that reference missing rows are rejected',
    },
    hint: 'add the foreign key after the old version is gone, or make sure it only writes referenced rows (NOT VALID first)',
  },
  {
    kinds: ['constraint.primary_key_dropped', 'constraint.primary_key_changed'],
    family: 'constraints and indexes',
    change: 'primary key dropped or its columns changed',
    verdicts: { incompatible: 'ON CONFLICT targets, foreign keys to it and the uniqueness the old application relies on change' },
    hint: 'keep the primary key; add a unique constraint for the new key beside it',
  },
  {
    kinds: ['constraint.unique_dropped', 'constraint.exclusion_dropped', 'constraint.unique_changed', 'constraint.exclusion_changed'],
    family: 'constraints and indexes',
    change: 'unique or exclusion constraint dropped or changed',
    verdicts: { warning: 'ON CONFLICT on it fails and duplicates or conflicts become possible' },
    hint: 'keep the constraint until the old version is gone',
  },
  {
    kinds: ['constraint.foreign_key_dropped'],
    family: 'constraints and indexes',
    change: 'foreign key dropped',
    verdicts: { warning: 'its checks and ON DELETE/UPDATE actions no longer happen' },
    hint: 'keep the foreign key (or its actions, as a trigger) until the old version is gone',
  },
  { kinds: ['constraint.check_dropped'], family: 'constraints and indexes', change: 'check constraint dropped', verdicts: { compatible: 'more permissive' } },
  {
    kinds: ['constraint.check_changed', 'constraint.foreign_key_changed', 'constraint.type_changed'],
    family: 'constraints and indexes',
    change: 'check expression, foreign key target or constraint type changed',
    verdicts: { incompatible: 'writes valid under the old rule may be rejected' },
    hint: 'add the new constraint NOT VALID beside the old one; drop the old one after the old version is gone',
  },
  {
    kinds: ['constraint.foreign_key_action_changed'],
    family: 'write semantics',
    change: 'ON DELETE / ON UPDATE action of a foreign key changed',
    verdicts: {
      incompatible: 'CASCADE / SET NULL / SET DEFAULT to another action: deletes or updates of referenced rows that succeeded now fail, or leave the referencing rows in another state',
      warning: 'NO ACTION / RESTRICT to CASCADE / SET NULL / SET DEFAULT: statements that were refused now succeed and change the referencing rows',
      compatible: 'NO ACTION to RESTRICT or back (only when the check runs differs)',
    },
    hint: 'keep the action until the old version is gone; do the new clean-up in the new version',
  },
  {
    kinds: ['constraint.renamed'],
    family: 'constraints and indexes',
    change: 'constraint renamed (same definition)',
    verdicts: { warning: 'only ON CONFLICT ON CONSTRAINT and error handling that match the name are affected' },
    hint: 'keep constraint names that the old version names in ON CONFLICT ON CONSTRAINT',
  },
  {
    kinds: ['constraint.deferrable_changed'],
    family: 'constraints and indexes',
    change: 'deferrability changed',
    verdicts: { warning: 'violations are reported at COMMIT instead of at the statement, or the other way round' },
    hint: 'keep the deferrability until the old version is gone',
  },
  {
    kinds: ['constraint.inheritance_changed'],
    family: 'constraints and indexes',
    change: 'check made NO INHERIT or inheritable',
    verdicts: { warning: 'now inherited: child tables are checked too', compatible: 'now NO INHERIT: child tables are no longer checked' },
    hint: 'make sure child tables hold no rows that violate it',
  },
  { kinds: ['constraint.validation_changed'], family: 'constraints and indexes', change: 'constraint NOT VALID or validated', verdicts: { compatible: 'new rows are checked either way' } },
  { kinds: ['index.added', 'index.renamed', 'index.validity_changed'], family: 'constraints and indexes', change: 'index added, renamed, or made (in)valid', verdicts: { compatible: 'performance only' } },
  {
    kinds: ['index.unique_added'],
    family: 'constraints and indexes',
    change: 'unique index added',
    verdicts: { warning: 'duplicate writes of the old application are rejected' },
    hint: 'make sure the old version never writes duplicates, or add it after the old version is gone',
  },
  {
    kinds: ['index.dropped', 'index.unique_dropped'],
    family: 'constraints and indexes',
    change: 'index dropped',
    verdicts: { warning: 'non-unique: queries may become slow; unique: ON CONFLICT on its columns fails and duplicates become possible' },
    hint: 'drop indexes the old version uses after it is gone',
  },
  {
    kinds: ['index.changed'],
    family: 'constraints and indexes',
    change: 'index definition changed',
    verdicts: { warning: 'a unique index: uniqueness rules differ', compatible: 'a non-unique index: performance only' },
    hint: 'create the new unique index beside the old one; drop the old one later',
  },
]);

function stripNotValid(def: string): string {
  return norm(def.replace(/\s+NOT VALID$/, ''));
}

export function diffConstraints(blueSnap: SchemaSnapshot, b: Relation, g: Relation, out: Changes): void {
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

type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

function fkAction(definition: string, event: 'DELETE' | 'UPDATE'): FkAction {
  const m = new RegExp(`ON ${event} (NO ACTION|RESTRICT|CASCADE|SET NULL|SET DEFAULT)`).exec(definition);
  return (m?.[1] as FkAction | undefined) ?? 'NO ACTION';
}

const REFUSES = (a: FkAction) => a === 'NO ACTION' || a === 'RESTRICT';

/** What a change of ON DELETE / ON UPDATE does to the old application's deletes and updates of referenced rows. */
function diffForeignKeyActions(object: string, b: Constraint, g: Constraint, out: Changes): void {
  const parts: Array<{ verdict: 'incompatible' | 'warning' | 'compatible'; text: string }> = [];
  for (const event of ['DELETE', 'UPDATE'] as const) {
    const from = fkAction(b.definition, event);
    const to = fkAction(g.definition, event);
    if (from === to) continue;
    const what = `ON ${event} ${from} -> ${to}`;
    if (REFUSES(from) && REFUSES(to)) parts.push({ verdict: 'compatible', text: `${what}: both refuse the statement (RESTRICT only checks earlier)` });
    else if (REFUSES(from)) parts.push({ verdict: 'warning', text: `${what}: ${event === 'DELETE' ? 'deletes' : 'key updates'} of referenced rows that were refused now succeed and ${to === 'CASCADE' ? (event === 'DELETE' ? 'delete' : 'update') : 'change'} the referencing rows` });
    else if (REFUSES(to)) parts.push({ verdict: 'incompatible', text: `${what}: ${event === 'DELETE' ? 'deletes' : 'key updates'} of referenced rows that the old application relies on to ${from === 'CASCADE' ? 'cascade' : 'clear the references'} now fail with a foreign key violation` });
    else parts.push({ verdict: 'incompatible', text: `${what}: the referencing rows end up in another state after the old application's ${event === 'DELETE' ? 'deletes' : 'updates'}` });
  }
  if (parts.length === 0) return;
  const verdict = parts.some((p) => p.verdict === 'incompatible') ? 'incompatible' : parts.some((p) => p.verdict === 'warning') ? 'warning' : 'compatible';
  out.add('constraint.foreign_key_action_changed', object, verdict, `actions of foreign key ${object} changed: ${parts.map((p) => p.text).join('; ')}`);
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
        diffForeignKeyActions(object, b, g, out);
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

function indexShape(i: Index): string {
  return norm(i.definition.replace(/^CREATE (UNIQUE )?INDEX (?:"(?:[^"]|"")+"|\S+) ON /, 'CREATE $1INDEX ON '));
}

export function diffIndexes(b: Relation, g: Relation, out: Changes): void {
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
