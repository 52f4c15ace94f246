/** Schemas, extensions and sequences: objects that exist or not, and the options of sequences. */
import type { SchemaSnapshot, Sequence } from '../model';
import { compareSequenceOptions } from '../types';
import { diffAcl } from './access';
import { keys, type Changes, type DiffOptions } from './changes';
import { defineRules } from './rule';

export const OBJECT_RULES = defineRules([
  {
    kinds: ['schema.dropped'],
    family: 'objects',
    change: 'schema dropped',
    verdicts: { incompatible: 'it held objects: everything in it is gone', warning: 'it was empty: only a search_path, grant or CREATE that names it fails' },
    hint: 'keep the schema until the old version is gone; drop it in a later (contract) release',
  },
  { kinds: ['schema.added'], family: 'objects', change: 'schema added', verdicts: { compatible: 'additive' } },
  {
    kinds: ['extension.dropped'],
    family: 'objects',
    change: 'extension dropped',
    verdicts: { incompatible: 'its types, functions and operators are gone for the old application' },
    hint: 'keep the extension until the old version is gone',
  },
  { kinds: ['extension.added'], family: 'objects', change: 'extension added', verdicts: { compatible: 'additive' } },
  {
    kinds: ['extension.version_changed'],
    family: 'objects',
    change: 'extension upgraded or downgraded',
    verdicts: { warning: 'its functions may behave differently' },
    hint: 'upgrade the extension on blue first, or after the old version is gone',
  },
  {
    kinds: ['extension.schema_changed'],
    family: 'objects',
    change: 'extension moved to another schema',
    verdicts: { incompatible: 'schema-qualified references of the old application break' },
    hint: 'keep the extension in its schema; move it after the old version is gone',
  },
  {
    kinds: ['sequence.dropped'],
    family: 'objects',
    change: 'sequence dropped (also an identity sequence under another name)',
    verdicts: { incompatible: "nextval/currval/setval('name') and defaults that use it fail" },
    hint: 'keep the sequence (and its name) until the old version is gone',
  },
  {
    kinds: ['sequence.identity_renamed'],
    family: 'objects',
    change: 'identity sequence re-created under another name, the identity column kept',
    verdicts: { warning: 'inserts keep working; only currval/setval by the old name fail' },
    hint: 'name the identity sequence as before (SEQUENCE NAME in the identity options)',
  },
  { kinds: ['sequence.added'], family: 'objects', change: 'sequence added', verdicts: { compatible: 'additive' } },
  {
    kinds: ['sequence.changed'],
    family: 'objects',
    change: 'sequence options changed (also of an identity column)',
    verdicts: {
      warning: 'MAXVALUE lowered, MINVALUE raised, INCREMENT or CYCLE changed, type narrowed: nextval() may fail sooner or values collide',
      compatible: 'MAXVALUE raised, MINVALUE lowered, type widened, START or CACHE changed',
    },
    hint: 'widen sequence ranges only; narrow them after the old version is gone',
  },
  {
    kinds: ['sequence.owner_changed'],
    family: 'objects',
    change: 'OWNED BY changed',
    verdicts: { compatible: 'only affects what is dropped with the sequence' },
  },
]);

export function diffSchemas(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
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

export function diffExtensions(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes): void {
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

export function diffSequences(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const { onlyBlue, onlyGreen, both } = keys(blue.sequences, green.sequences);
  for (const key of onlyBlue) {
    const s = blue.sequences[key];
    // An identity column that still is one on green got a sequence under another name: inserts keep working.
    const column = s.identity && s.ownedBy ? columnOf(green, s.ownedBy) : undefined;
    if (column?.identity && column.identitySequenceName && !(column.identitySequenceName in blue.sequences)) {
      out.add('sequence.identity_renamed', key, 'warning', `identity sequence ${key} of ${s.ownedBy} is now ${column.identitySequenceName}: inserts keep working, but currval/setval('${key}') of the old application fail`);
      continue;
    }
    // An identity sequence goes with its column: a dropped column, table or identity is reported there.
    if (s.identity && !column?.identity) continue;
    out.add('sequence.dropped', key, 'incompatible', `sequence ${key} was dropped${s.ownedBy ? ` (it fed ${s.ownedBy})` : ''}: nextval('${key}') calls and defaults that use it fail`);
  }
  for (const key of onlyGreen) {
    const s = green.sequences[key];
    const renamedIdentity = s.identity && s.ownedBy && onlyBlue.some((b) => blue.sequences[b].identity && blue.sequences[b].ownedBy === s.ownedBy);
    // a new identity column (or identity on an existing column) brings its sequence: reported with the column
    const newIdentity = s.identity && s.ownedBy && !columnOf(blue, s.ownedBy)?.identity;
    if (!renamedIdentity && !newIdentity) out.add('sequence.added', key, 'compatible', `new sequence ${key}${s.identity ? ` (identity of ${s.ownedBy})` : ''}`);
  }
  for (const key of both) {
    const b: Sequence = blue.sequences[key];
    const g: Sequence = green.sequences[key];
    const what = g.identity ? `identity sequence ${key} of ${g.ownedBy}` : `sequence ${key}`;
    for (const d of compareSequenceOptions(b, g)) out.add('sequence.changed', key, d.compatibility, `${what}: ${d.reason}`);
    if (b.ownedBy !== g.ownedBy) out.add('sequence.owner_changed', key, 'compatible', `sequence ${key} now OWNED BY ${g.ownedBy ?? 'NONE'} (was ${b.ownedBy ?? 'NONE'}): only affects what is dropped with it`);
    diffAcl(key, `sequence ${key}`, b.acl, g.acl, out, options);
  }
}

function columnOf(s: SchemaSnapshot, qualifiedColumn: string) {
  const dot = qualifiedColumn.lastIndexOf('.');
  return s.relations[qualifiedColumn.slice(0, dot)]?.columns.find((c) => c.name === qualifiedColumn.slice(dot + 1));
}
