/**
 * Effective access of the application role: grants (through PUBLIC, memberships, column grants), ownership,
 * row-level security and its policies, views with security_invoker, default privileges. Without an application
 * role the verdicts are role-agnostic (any role's loss counts) and flagged as depending on the role.
 */
import type { AppRolePrivileges, Policy, Relation, SchemaSnapshot } from '../model';
import { keys, norm, type Changes, type DiffOptions } from './changes';
import { defineRules } from './rule';

export const ACCESS_RULES = defineRules([
  {
    kinds: ['privilege.revoked'],
    family: 'access',
    change: 'a grant removed from a role (ACL)',
    verdicts: {
      incompatible: 'no application role given: an old application connecting as that role (or through it) gets "permission denied"',
      warning: 'an application role is given and this is another role (the application role is judged by its effective privileges)',
    },
    hint: 'keep the grant until the old version is gone; with --app-role only the role the application uses counts',
    roleDependent: true,
  },
  {
    kinds: ['privilege.grant_option_revoked'],
    family: 'access',
    change: 'WITH GRANT OPTION removed',
    verdicts: { warning: 'the role can no longer pass the privilege on' },
    hint: 'keep the grant option until the old version is gone',
  },
  { kinds: ['privilege.granted'], family: 'access', change: 'a grant added', verdicts: { compatible: 'more permissive' } },
  {
    kinds: ['privilege.lost'],
    family: 'access',
    change: 'the application role loses an effective privilege (direct, through PUBLIC or a role it inherits, or on a column)',
    verdicts: { incompatible: 'those statements fail with "permission denied"' },
    hint: 'grant the privilege on green (to the application role or a role it inherits) before traffic moves',
  },
  {
    kinds: ['privilege.narrowed_to_columns'],
    family: 'access',
    change: 'a table privilege of the application role replaced by column privileges',
    verdicts: {
      compatible: 'every column (old and new) is granted: every statement works as before',
      warning: 'every old column is granted but a new one is not: SELECT * and INSERT without a column list fail',
    },
    hint: 'grant the privilege on the new columns too, or keep the table-level grant',
  },
  {
    kinds: ['role.missing'],
    family: 'access',
    change: 'the application role does not exist on green',
    verdicts: { incompatible: 'the old application cannot log in' },
    hint: 'create the role (and its grants) on green before traffic moves',
  },
  {
    kinds: ['role.superuser_revoked'],
    family: 'access',
    change: 'the application role is no longer superuser',
    verdicts: { incompatible: 'it is now subject to privileges and row-level security' },
    hint: 'grant the privileges it needs before removing superuser, or keep it until the old version is gone',
  },
  {
    kinds: ['role.ownership_lost'],
    family: 'access',
    change: 'the application role no longer owns a relation (nor has its owner\'s privileges)',
    verdicts: { warning: 'owner-only statements (ALTER, CREATE INDEX, VACUUM, REFRESH) fail; grants decide the rest' },
    hint: 'keep the ownership (or membership in the owner role) until the old version is gone',
  },
  {
    kinds: ['table.rls_enabled'],
    family: 'access',
    change: 'row-level security enabled',
    verdicts: {
      incompatible: 'it applies to the role and no permissive policy does: the role sees and writes no rows',
      warning: 'rows are now filtered by the permissive policies',
      compatible: 'it does not apply to the application role (it owns the table without FORCE, is superuser or has BYPASSRLS)',
    },
    hint: 'create a permissive policy for the application role in the same migration that enables row-level security',
    roleDependent: true,
  },
  {
    kinds: ['table.rls_forced'],
    family: 'access',
    change: 'FORCE ROW LEVEL SECURITY set on a table with row-level security on',
    verdicts: {
      incompatible: 'the table owner (the application role) is now filtered and no permissive policy applies to it',
      warning: 'the owner is now filtered by the policies',
      compatible: 'the application role is not the owner (FORCE changes nothing for it), or bypasses row-level security',
    },
    hint: 'add a permissive policy for the owner role before FORCE',
    roleDependent: true,
  },
  {
    kinds: ['table.rls_applies'],
    family: 'access',
    change: 'row-level security starts or stops applying to the application role (ownership or BYPASSRLS changed)',
    verdicts: {
      incompatible: 'it now applies and no permissive policy applies to the role: no rows',
      warning: 'it now applies: rows are filtered by the policies',
      compatible: 'it no longer applies (more permissive)',
    },
    hint: 'keep the role the owner (or its BYPASSRLS) until the old version is gone, or add a permissive policy for it',
  },
  { kinds: ['table.rls_disabled'], family: 'access', change: 'row-level security disabled', verdicts: { compatible: 'more permissive (review it for security)' } },
  {
    kinds: ['table.rls_force_changed'],
    family: 'access',
    change: 'FORCE ROW LEVEL SECURITY set while row-level security is off, or removed',
    verdicts: { compatible: 'policies apply only while row-level security is on; removing FORCE is more permissive' },
  },
  {
    kinds: ['policy.added'],
    family: 'access',
    change: 'policy added',
    verdicts: { compatible: 'permissive, or row-level security is off, or it does not apply to the application role', warning: 'restrictive: rows may now be filtered' },
    hint: 'add restrictive policies after the old version is gone, or make sure they pass what it writes',
    roleDependent: true,
  },
  {
    kinds: ['policy.dropped'],
    family: 'access',
    change: 'policy dropped',
    verdicts: {
      incompatible: 'the last permissive policy (for the role): it sees and writes no rows',
      warning: 'a permissive policy: rows it allowed are no longer visible or writable',
      compatible: 'restrictive, or row-level security is off, or it did not apply to the application role',
    },
    hint: 'drop a permissive policy only after a replacement that allows the same rows exists',
    roleDependent: true,
  },
  {
    kinds: ['policy.changed'],
    family: 'access',
    change: 'policy changed (command, roles, USING, WITH CHECK, permissive/restrictive)',
    verdicts: {
      incompatible: 'turned restrictive and no permissive policy is left: no rows',
      warning: 'the rows the old application sees or may write differ',
      compatible: 'restrictive to permissive, row-level security off, or it does not apply to the application role',
    },
    hint: 'add the new policy next to the old one; drop the old one after the old version is gone',
    roleDependent: true,
  },
  {
    kinds: ['view.security_invoker_changed'],
    family: 'access',
    change: 'security_invoker of a view turned on or off',
    verdicts: {
      incompatible: 'on: the application role lacks SELECT on a relation the view reads, so reads through the view fail',
      warning: 'no application role given, a relation the view reads was not compared, or row-level security of a base table now applies to the role',
      compatible: 'on: the application role holds the privileges on every relation the view reads; off: the view owner\'s privileges apply (more permissive)',
    },
    hint: 'grant the application role SELECT on the relations the view reads before turning security_invoker on',
    roleDependent: true,
  },
  {
    kinds: ['default_privilege.revoked'],
    family: 'access',
    change: 'a default privilege (ALTER DEFAULT PRIVILEGES) removed',
    verdicts: {
      warning: 'objects created from now on (by the new version, by partition jobs) are not granted to the role: the old application cannot use them',
      compatible: 'an application role is given and the grant was for a role it neither is nor inherits',
    },
    hint: 'keep the default privileges until the old version is gone, or grant on each new object explicitly',
    roleDependent: true,
  },
  { kinds: ['default_privilege.granted'], family: 'access', change: 'a default privilege added', verdicts: { compatible: 'more permissive' } },
]);

// ---------------------------------------------------------------------------------------------- ACLs

export function diffAcl(object: string, what: string, blue: readonly string[], green: readonly string[], out: Changes, options: DiffOptions): void {
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

// ---------------------------------------------------------------------------------------------- the application role

const COLUMN_PRIVILEGES = new Set(['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']);

export function diffAppRole(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes): void {
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
  if (g.superuser) return;
  for (const [key, privileges] of Object.entries(b.privileges)) {
    const [kind, object] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'column') {
      diffColumnPrivileges(object, privileges, blue, green, b, g, out);
      continue;
    }
    const after = g.privileges[key];
    if (!after) continue; // the object itself is gone: reported as dropped
    if (privileges.includes('OWNER') && !after.includes('OWNER')) {
      out.add('role.ownership_lost', object, 'warning', `the application role ${g.role} no longer owns ${object} (nor has its owner's privileges): owner-only statements such as ALTER, CREATE INDEX, VACUUM or REFRESH fail`);
    }
    let lost = privileges.filter((p) => p !== 'OWNER' && !after.includes(p));
    if (kind === 'relation' && lost.some((p) => COLUMN_PRIVILEGES.has(p))) {
      lost = lost.filter((p) => !COLUMN_PRIVILEGES.has(p) || !narrowedToColumns(object, p, blue, green, g, out));
    }
    if (lost.length > 0) {
      const partial = kind === 'relation' ? partialColumnGrants(object, lost, green, g) : '';
      out.add('privilege.lost', object, 'incompatible', `the application role ${g.role} loses ${lost.join(', ')} on ${kind} ${object}${partial}: those statements fail with "permission denied"`);
    }
  }
}

/** ` (column grants on green cover only id, note for SELECT)` when some columns are still granted. */
function partialColumnGrants(relation: string, lost: readonly string[], green: SchemaSnapshot, g: AppRolePrivileges): string {
  const columns = green.relations[relation]?.columns ?? [];
  const parts = lost
    .filter((p) => COLUMN_PRIVILEGES.has(p))
    .map((p) => [p, columns.filter((c) => columnHas(g, relation, c.name, p)).map((c) => c.name)] as const)
    .filter(([, cols]) => cols.length > 0)
    .map(([p, cols]) => `${p} only on ${cols.join(', ')}`);
  return parts.length > 0 ? ` (column grants on green give ${parts.join('; ')})` : '';
}

function columnHas(app: AppRolePrivileges, relation: string, column: string, privilege: string): boolean {
  return (app.privileges[`relation:${relation}`] ?? []).includes(privilege) || (app.privileges[`column:${relation}.${column}`] ?? []).includes(privilege);
}

/** A table-level privilege gone on green, but column grants may cover the columns: true when they cover the old ones. */
function narrowedToColumns(relation: string, privilege: string, blue: SchemaSnapshot, green: SchemaSnapshot, g: AppRolePrivileges, out: Changes): boolean {
  const before = blue.relations[relation];
  const after = green.relations[relation];
  if (!before || !after) return false;
  const greenNames = new Set(after.columns.map((c) => c.name));
  const old = before.columns.filter((c) => greenNames.has(c.name));
  const uncoveredOld = old.filter((c) => !columnHas(g, relation, c.name, privilege));
  if (uncoveredOld.length > 0 || old.length === 0) return false;
  const uncoveredNew = after.columns.filter((c) => !before.columns.some((x) => x.name === c.name) && !columnHas(g, relation, c.name, privilege));
  if (uncoveredNew.length === 0) {
    out.add('privilege.narrowed_to_columns', relation, 'compatible', `${privilege} on ${relation} is now granted to ${g.role} column by column, on every column: statements of the old application work as before`);
  } else {
    out.add('privilege.narrowed_to_columns', relation, 'warning', `${privilege} on ${relation} is now granted to ${g.role} column by column, on every old column but not on ${uncoveredNew.map((c) => c.name).join(', ')}: ${privilege === 'SELECT' ? 'SELECT *' : `${privilege} without a column list`} fails`);
  }
  return true;
}

/** Blue had column-level grants on this column: each one must still be there (by column or table grant). */
function diffColumnPrivileges(column: string, privileges: readonly string[], blue: SchemaSnapshot, green: SchemaSnapshot, b: AppRolePrivileges, g: AppRolePrivileges, out: Changes): void {
  const dot = column.lastIndexOf('.');
  const relation = column.slice(0, dot);
  const name = column.slice(dot + 1);
  if (!green.relations[relation]?.columns.some((c) => c.name === name)) return; // dropped: reported with the column
  // privileges that blue's table-level grant already gave are judged with the relation
  const tableLevel = b.privileges[`relation:${relation}`] ?? [];
  const lost = privileges.filter((p) => !tableLevel.includes(p) && !columnHas(g, relation, name, p));
  if (lost.length > 0) out.add('privilege.lost', column, 'incompatible', `the application role ${g.role} loses ${lost.join(', ')} on column ${column}: statements that use the column fail with "permission denied"`);
  void blue;
}

// ---------------------------------------------------------------------------------------------- row-level security

function describePolicy(p: Policy): string {
  return `${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} ${p.command} TO ${p.roles.join(', ')}${p.using ? ` USING (${p.using})` : ''}${p.withCheck ? ` WITH CHECK (${p.withCheck})` : ''}`;
}

function samePolicy(x: Policy, y: Policy): boolean {
  return x.permissive === y.permissive && x.command === y.command && x.roles.join() === y.roles.join() && norm(x.using) === norm(y.using) && norm(x.withCheck) === norm(y.withCheck);
}

/** Why row-level security does not apply to the role on this relation, or null when it applies (or is off). */
function exemption(app: AppRolePrivileges, r: Relation): string | null {
  if (app.superuser) return 'it is superuser';
  if (app.bypassRls) return 'it has BYPASSRLS';
  if ((app.privileges[`relation:${r.qualifiedName}`] ?? []).includes('OWNER') && !r.forceRowSecurity) return `it owns the table (${r.owner}) and row-level security is not FORCEd`;
  return null;
}

function appliesTo(app: AppRolePrivileges, p: Policy): boolean {
  return p.roles.some((role) => role === 'PUBLIC' || app.memberOf.includes(role));
}

export function diffRowSecurity(blue: SchemaSnapshot, green: SchemaSnapshot, b: Relation, g: Relation, out: Changes, options: DiffOptions): void {
  const bApp = blue.appRole;
  const gApp = green.appRole;
  if (options.appRole && bApp?.exists && gApp?.exists) diffRowSecurityForRole(bApp, gApp, b, g, out);
  else diffRowSecurityAnyRole(b, g, out);
}

function diffRowSecurityAnyRole(b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const greenPermissive = Object.values(g.policies).filter((p) => p.permissive);
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
    if (samePolicy(x, y)) continue;
    if (!effective) out.add('policy.changed', object, 'compatible', `policy ${name} on ${key} changed${inactive}`);
    else if (x.permissive && !y.permissive && noAccess) out.add('policy.changed', object, 'incompatible', `policy ${name} on ${key} changed from PERMISSIVE to RESTRICTIVE and no permissive policy is left: non-owner roles see and write no rows`);
    else if (!x.permissive && y.permissive) out.add('policy.changed', object, 'compatible', `policy ${name} on ${key} changed from RESTRICTIVE to PERMISSIVE (more permissive)`);
    else out.add('policy.changed', object, 'warning', `policy ${name} on ${key} changed (${describePolicy(x)} -> ${describePolicy(y)}): the rows the old application sees or may write differ`);
  }
}

/** What the application role observes: row-level security applies to it only when it is not exempt. */
function diffRowSecurityForRole(bApp: AppRolePrivileges, gApp: AppRolePrivileges, b: Relation, g: Relation, out: Changes): void {
  const key = b.qualifiedName;
  const role = gApp.role;
  const bExempt = exemption(bApp, b);
  const gExempt = exemption(gApp, g);
  const appliesBlue = b.rowSecurity && bExempt === null;
  const appliesGreen = g.rowSecurity && gExempt === null;
  const greenPermissive = Object.values(g.policies).filter((p) => p.permissive && appliesTo(gApp, p));
  const noAccess = greenPermissive.length === 0;
  const kind = !b.rowSecurity && g.rowSecurity ? 'table.rls_enabled' : !b.forceRowSecurity && g.forceRowSecurity && g.rowSecurity ? 'table.rls_forced' : 'table.rls_applies';

  if (!appliesBlue && appliesGreen) {
    if (noAccess) out.add(kind, key, 'incompatible', `row-level security now applies to the application role ${role} on ${key} and no permissive policy applies to it: it sees and writes no rows`);
    else out.add(kind, key, 'warning', `row-level security now applies to the application role ${role} on ${key}: rows are filtered by ${greenPermissive.map((p) => p.name).join(', ')}`);
  } else if (appliesBlue && !appliesGreen) {
    if (!g.rowSecurity) out.add('table.rls_disabled', key, 'compatible', `row-level security disabled on ${key}: more permissive (review for security)`);
    else out.add('table.rls_applies', key, 'compatible', `row-level security no longer applies to ${role} on ${key} (${gExempt}): more permissive`);
  } else if (!appliesBlue && !appliesGreen) {
    const why = g.rowSecurity ? gExempt : null;
    if (!b.rowSecurity && g.rowSecurity) out.add('table.rls_enabled', key, 'compatible', `row-level security enabled on ${key}, but it does not apply to the application role ${role}: ${why}`);
    else if (b.rowSecurity && !g.rowSecurity) out.add('table.rls_disabled', key, 'compatible', `row-level security disabled on ${key}: more permissive (review for security)`);
    if (!b.forceRowSecurity && g.forceRowSecurity && g.rowSecurity) out.add('table.rls_forced', key, 'compatible', `row-level security is now FORCEd on ${key}, which does not change anything for ${role}: ${why}`);
    else if (b.forceRowSecurity !== g.forceRowSecurity) out.add('table.rls_force_changed', key, 'compatible', `FORCE ROW LEVEL SECURITY ${g.forceRowSecurity ? 'set' : 'removed'} on ${key}: no effect for ${role}${why ? ` (${why})` : ''}`);
  } else if (b.forceRowSecurity !== g.forceRowSecurity) {
    out.add('table.rls_force_changed', key, 'compatible', `FORCE ROW LEVEL SECURITY ${g.forceRowSecurity ? 'set' : 'removed'} on ${key}: ${role} is filtered by the policies either way (it is not the owner)`);
  }

  const k = keys(b.policies, g.policies);
  const both = appliesBlue && appliesGreen;
  const noEffect = (p: Policy) => (!both ? ` (row-level security does not apply to ${role} on both sides)` : !appliesTo(gApp, p) ? ` (it does not apply to ${role})` : null);
  for (const name of k.onlyGreen) {
    const p = g.policies[name];
    const object = `${key}.${name}`;
    const none = noEffect(p);
    if (none !== null || p.permissive) out.add('policy.added', object, 'compatible', `new ${p.permissive ? 'permissive' : 'restrictive'} policy ${name} on ${key}${none ?? ' (more rows allowed)'}`);
    else out.add('policy.added', object, 'warning', `new restrictive policy ${name} on ${key} for ${p.command} applies to ${role}: rows it could see or write may now be filtered`);
  }
  for (const name of k.onlyBlue) {
    const p = b.policies[name];
    const object = `${key}.${name}`;
    const none = !both ? noEffect(p) : !appliesTo(bApp, p) ? ` (it did not apply to ${role})` : null;
    if (none !== null || !p.permissive) out.add('policy.dropped', object, 'compatible', `${p.permissive ? 'permissive' : 'restrictive'} policy ${name} on ${key} was dropped${none ?? ' (more permissive)'}`);
    else if (noAccess) out.add('policy.dropped', object, 'incompatible', `permissive policy ${name} on ${key} was dropped and none is left for ${role}: it sees and writes no rows`);
    else out.add('policy.dropped', object, 'warning', `permissive policy ${name} on ${key} was dropped: rows it allowed ${role} are no longer visible or writable`);
  }
  for (const name of k.both) {
    const x = b.policies[name];
    const y = g.policies[name];
    if (samePolicy(x, y)) continue;
    const object = `${key}.${name}`;
    const none = !both ? noEffect(y) : !appliesTo(bApp, x) && !appliesTo(gApp, y) ? ` (it does not apply to ${role})` : null;
    if (none !== null) out.add('policy.changed', object, 'compatible', `policy ${name} on ${key} changed${none}`);
    else if (x.permissive && !y.permissive && noAccess) out.add('policy.changed', object, 'incompatible', `policy ${name} on ${key} changed from PERMISSIVE to RESTRICTIVE and no permissive policy is left for ${role}: it sees and writes no rows`);
    else if (!x.permissive && y.permissive) out.add('policy.changed', object, 'compatible', `policy ${name} on ${key} changed from RESTRICTIVE to PERMISSIVE (more permissive)`);
    else if (appliesTo(bApp, x) && !appliesTo(gApp, y) && y.permissive && noAccess) out.add('policy.changed', object, 'incompatible', `policy ${name} on ${key} no longer applies to ${role} and no other permissive policy does: it sees and writes no rows`);
    else out.add('policy.changed', object, 'warning', `policy ${name} on ${key} changed (${describePolicy(x)} -> ${describePolicy(y)}): the rows ${role} sees or may write differ`);
  }
}

// ---------------------------------------------------------------------------------------------- views

/** security_invoker turned on: the application role's own privileges on the view's relations now decide. */
export function diffViewSecurity(blue: SchemaSnapshot, green: SchemaSnapshot, b: Relation, g: Relation, from: string | undefined, to: string | undefined, out: Changes, options: DiffOptions): void {
  const key = b.qualifiedName;
  const on = (v: string | undefined) => v !== undefined && ['true', 'on', '1', 'yes'].includes(v.toLowerCase());
  const wasOn = on(from);
  const isOn = on(to);
  if (wasOn === isOn) return;
  const gApp = green.appRole;
  if (!options.appRole || !gApp?.exists || !blue.appRole?.exists) {
    out.add('view.security_invoker_changed', key, 'warning', `security_invoker of view ${key} changed from ${from ?? 'off'} to ${to ?? 'off'}: privileges and row-level security of the relations it reads are checked for a different role`);
    return;
  }
  if (!isOn) {
    out.add('view.security_invoker_changed', key, 'compatible', `security_invoker of view ${key} turned off: the view owner's privileges apply to the relations it reads (more permissive; review for security)`);
    return;
  }
  if (gApp.superuser) {
    out.add('view.security_invoker_changed', key, 'compatible', `security_invoker of view ${key} turned on; the application role ${gApp.role} is superuser`);
    return;
  }
  const missing: string[] = [];
  const unknown: string[] = [];
  const filtered: string[] = [];
  for (const dep of g.viewDependencies) {
    const rel = green.relations[dep];
    const privileges = gApp.privileges[`relation:${dep}`];
    if (!rel || !privileges) {
      unknown.push(dep);
      continue;
    }
    if (!privileges.includes('SELECT')) missing.push(dep);
    if (rel.rowSecurity && exemption(gApp, rel) === null) filtered.push(dep);
  }
  if (missing.length > 0) {
    out.add('view.security_invoker_changed', key, 'incompatible', `view ${key} is now security_invoker and the application role ${gApp.role} has no SELECT on ${missing.join(', ')}: reads through the view fail with "permission denied"`);
  } else if (unknown.length > 0 || filtered.length > 0) {
    const parts = [unknown.length > 0 ? `the privileges of ${gApp.role} on ${unknown.join(', ')} were not compared (outside the selected schemas)` : '', filtered.length > 0 ? `row-level security of ${filtered.join(', ')} now filters the rows ${gApp.role} sees through it` : ''].filter(Boolean);
    out.add('view.security_invoker_changed', key, 'warning', `view ${key} is now security_invoker: ${parts.join('; ')}`);
  } else {
    out.add('view.security_invoker_changed', key, 'compatible', `view ${key} is now security_invoker; the application role ${gApp.role} holds SELECT on every relation it reads (${g.viewDependencies.join(', ') || 'none'})`);
  }
}

// ---------------------------------------------------------------------------------------------- default privileges

export function diffDefaultPrivileges(blue: SchemaSnapshot, green: SchemaSnapshot, out: Changes, options: DiffOptions): void {
  const index = (s: SchemaSnapshot) => new Map(s.database.defaultPrivileges.map((d) => [`${d.role}|${d.schema ?? ''}|${d.objectType}`, d]));
  const bi = index(blue);
  const gi = index(green);
  const gApp = green.appRole;
  const forRole = options.appRole && gApp?.exists && blue.appRole?.exists;
  const where = (role: string, schema: string | null, type: string) => `${type}s that ${role} creates${schema ? ` in schema ${schema}` : ''}`;
  for (const [k, d] of bi) {
    const after = new Set(gi.get(k)?.acl ?? []);
    const object = `${d.role}${d.schema ? `.${d.schema}` : ''}:${d.objectType}`;
    for (const item of d.acl) {
      if (after.has(item) || after.has(`${item}*`) || after.has(item.replace(/\*$/, ''))) continue;
      const [grantee, privilege] = item.replace(/\*$/, '').split('=');
      if (forRole && gApp) {
        if (grantee !== 'PUBLIC' && !gApp.memberOf.includes(grantee)) {
          out.add('default_privilege.revoked', object, 'compatible', `${where(d.role, d.schema, d.objectType)} from now on no longer get ${privilege} for ${grantee}, which is not the application role ${gApp.role} nor a role it inherits`);
          continue;
        }
        out.add('default_privilege.revoked', object, 'warning', `${where(d.role, d.schema, d.objectType)} from now on no longer get ${privilege} for ${grantee === gApp.role ? gApp.role : `${grantee} (which ${gApp.role} inherits)`}: the old application cannot use the ones created after the switch`);
      } else {
        out.add('default_privilege.revoked', object, 'warning', `${where(d.role, d.schema, d.objectType)} from now on no longer get ${privilege} for ${grantee}: an application connecting through it cannot use the ones created after the switch`);
      }
    }
  }
  for (const [k, d] of gi) {
    const before = new Set(bi.get(k)?.acl ?? []);
    for (const item of d.acl) {
      if (before.has(item) || before.has(item.replace(/\*$/, ''))) continue;
      const [grantee, privilege] = item.replace(/\*$/, '').split('=');
      out.add('default_privilege.granted', `${d.role}${d.schema ? `.${d.schema}` : ''}:${d.objectType}`, 'compatible', `${where(d.role, d.schema, d.objectType)} now get ${privilege} for ${grantee}`);
    }
  }
}
