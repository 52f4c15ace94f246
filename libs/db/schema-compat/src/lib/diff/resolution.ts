/**
 * Name resolution as the application role sees it: its effective search_path (role-in-database, role, database,
 * then server setting; "$user" is the role's own schema), and which object an unqualified name reaches on each side.
 */
import type { SchemaSnapshot } from '../model';
import type { Changes, DiffOptions } from './changes';
import { defineRules } from './rule';

export const RESOLUTION_RULES = defineRules([
  {
    kinds: ['name.shadowed'],
    family: 'name resolution',
    change: 'a new object earlier in the role\'s search_path has the name of an old one',
    verdicts: { incompatible: 'unqualified references of the old application now reach the new object' },
    hint: 'give the new object another name, or create it in a schema after the old one in the search_path',
    roleDependent: true,
  },
  {
    kinds: ['name.unresolved'],
    family: 'name resolution',
    change: 'the role\'s search_path on green no longer reaches a schema that still holds the object',
    verdicts: { incompatible: 'unqualified references of the old application fail with "does not exist"' },
    hint: 'keep the schema in the search_path (ALTER ROLE … SET search_path) until the old version is gone',
    roleDependent: true,
  },
  {
    kinds: ['search_path.changed'],
    family: 'name resolution',
    change: 'the effective search_path changed (role, database or server setting)',
    verdicts: { compatible: 'every unqualified name of the compared schemas still reaches the same object (changes that do not are reported one by one)' },
    roleDependent: true,
  },
]);

export interface EffectivePath {
  /** The setting as written (`"$user", public`). */
  readonly setting: string;
  /** Where it came from: `role app in this database`, `role app`, `database`, `server`, `built-in default`. */
  readonly source: string;
  /** Schemas in order, `$user` replaced by the role (when it is known), pg_temp left out. */
  readonly schemas: readonly string[];
  /** `$user` could not be resolved (no application role given). */
  readonly userUnknown: boolean;
}

/** Splits a search_path setting into schema names (quotes removed). */
export function parseSearchPath(setting: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,\s]+))\s*(?:,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(setting)) !== null && m[0] !== '') out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
  return out;
}

export function effectivePath(s: SchemaSnapshot, options: DiffOptions): EffectivePath {
  const role = options.appRole && s.appRole?.exists ? s.appRole : null;
  const candidates: Array<[string | null | undefined, string]> = [
    [role?.searchPath.roleInDatabase, `role ${role?.role} in this database`],
    [role?.searchPath.role, `role ${role?.role}`],
    [s.database.searchPath, 'database'],
    [s.database.serverSearchPath.value, s.database.serverSearchPath.assumed ? 'built-in default' : 'server'],
  ];
  const [setting, source] = candidates.find(([v]) => v !== null && v !== undefined) as [string, string];
  let userUnknown = false;
  const schemas: string[] = [];
  for (const entry of parseSearchPath(setting)) {
    if (entry === '$user') {
      if (role) schemas.push(role.role);
      else userUnknown = true;
    } else if (entry !== 'pg_temp') schemas.push(entry);
  }
  return { setting, source, schemas, userUnknown };
}

/** name -> schemas that hold a relation or sequence of that name (relations and sequences share one namespace). */
function relationNames(s: SchemaSnapshot): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const o of [...Object.values(s.relations), ...Object.values(s.sequences)]) {
    const set = m.get(o.name) ?? new Set<string>();
    set.add(o.schema);
    m.set(o.name, set);
  }
  return m;
}

function typeNames(s: SchemaSnapshot): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const t of Object.values(s.types)) {
    const set = m.get(t.name) ?? new Set<string>();
    set.add(t.schema);
    m.set(t.name, set);
  }
  return m;
}

function resolve(path: readonly string[], holders: Set<string> | undefined): string | undefined {
  return holders ? path.find((schema) => holders.has(schema)) : undefined;
}

export function diffNameResolution(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const bp = effectivePath(blue, options);
  const gp = effectivePath(green, options);
  const who = options.appRole ? `role ${options.appRole}` : 'the application (its role is not known: "$user" is left out)';
  let reported = 0;
  for (const [what, names] of [
    ['relation', [relationNames(blue), relationNames(green)]],
    ['type', [typeNames(blue), typeNames(green)]],
  ] as const) {
    const [bn, gn] = names;
    for (const [name, holders] of bn) {
      const before = resolve(bp.schemas, holders);
      if (!before) continue; // not reachable unqualified on blue: the old application qualifies it
      const after = resolve(gp.schemas, gn.get(name));
      if (after === before) continue;
      const stillThere = gn.get(name)?.has(before) ?? false;
      if (after) {
        out.add('name.shadowed', `${before}.${name}`, 'incompatible', `unqualified ${what} name ${name} of ${who} reached ${before}.${name} on blue and reaches ${after}.${name} on green (search_path ${gp.setting}): the old application now reads and writes another object`);
        reported++;
      } else if (stillThere) {
        out.add('name.unresolved', `${before}.${name}`, 'incompatible', `unqualified ${what} name ${name} of ${who} reached ${before}.${name} on blue, but the search_path on green (${gp.setting}, from the ${gp.source} setting) no longer includes ${before}: it fails with "does not exist"`);
        reported++;
      }
      // otherwise the object is gone: reported as dropped
    }
  }
  if (bp.setting !== gp.setting || bp.schemas.join() !== gp.schemas.join()) {
    out.add('search_path.changed', options.appRole ?? 'search_path', 'compatible', `search_path of ${who} changed from ${bp.setting} (${bp.source}) to ${gp.setting} (${gp.source})${reported === 0 ? ': every unqualified name of the compared schemas still reaches the same object' : ''}`);
  }
}
