import type {
  AppRolePrivileges,
  ArgumentType,
  DatabaseSettings,
  Column,
  Constraint,
  ConstraintType,
  Extension,
  FunctionObject,
  Index,
  Policy,
  Relation,
  RelationKind,
  SchemaObject,
  SchemaSnapshot,
  Sequence,
  SequenceOptions,
  Trigger,
  TypeObject,
} from '../model';
import type {
  RawColumn,
  RawConstraint,
  RawDatabase,
  RawExtension,
  RawFunction,
  RawIndex,
  RawPolicy,
  RawPrivilege,
  RawRelation,
  RawRole,
  RawSchema,
  RawSequence,
  RawTrigger,
  RawType,
} from './queries';

export interface RawCatalog {
  schemas: RawSchema[];
  relations: RawRelation[];
  columns: RawColumn[];
  constraints: RawConstraint[];
  indexes: RawIndex[];
  sequences: RawSequence[];
  types: RawType[];
  functions: RawFunction[];
  triggers: RawTrigger[];
  policies: RawPolicy[];
  extensions: RawExtension[];
  database: RawDatabase;
  appRole: { role: string; raw: RawRole; privileges: RawPrivilege[] } | null;
  catalogQueries: number;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

const RELATION_KINDS: Record<RawRelation['kind'], RelationKind> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
};

const CONSTRAINT_TYPES: Record<RawConstraint['type'], ConstraintType> = {
  p: 'primary key',
  u: 'unique',
  f: 'foreign key',
  c: 'check',
  x: 'exclusion',
};

const POLICY_COMMANDS: Record<RawPolicy['command'], Policy['command']> = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' };

const RULE_EVENTS: Record<'1' | '2' | '3' | '4', RewriteRuleEvent> = { '1': 'SELECT', '2': 'UPDATE', '3': 'INSERT', '4': 'DELETE' };
type RewriteRuleEvent = Relation['rules'][number]['event'];

/** `N*:pg_catalog.float8` -> category N, preferred, name pg_catalog.float8. */
function parseArgumentType(s: string): ArgumentType {
  const colon = s.indexOf(':');
  const head = s.slice(0, colon);
  return { category: head.replace('*', ''), preferred: head.endsWith('*'), name: s.slice(colon + 1) };
}

/** `{search_path=app, public,work_mem=4MB}` -> `app, public` (node-pg gives setconfig as an array of key=value). */
export function settingFrom(config: readonly string[] | null, name: string): string | null {
  for (const item of config ?? []) if (item.startsWith(`${name}=`)) return item.slice(name.length + 1);
  return null;
}

const OBJECT_TYPES: Record<RawDatabase['default_privileges'][number]['objtype'], DatabaseSettings['defaultPrivileges'][number]['objectType']> = {
  r: 'table',
  S: 'sequence',
  f: 'function',
  T: 'type',
  n: 'schema',
};

const REPLICA_IDENTITY: Record<string, Relation['replicaIdentity']> = { d: 'default', n: 'nothing', f: 'full', i: 'index' };

/** Decodes pg_trigger.tgtype (see TRIGGER_TYPE_* in the server's trigger.h). */
function decodeTriggerType(t: number): Pick<Trigger, 'timing' | 'events' | 'level'> {
  const events: Trigger['events'][number][] = [];
  if (t & 4) events.push('INSERT');
  if (t & 8) events.push('DELETE');
  if (t & 16) events.push('UPDATE');
  if (t & 32) events.push('TRUNCATE');
  return { level: t & 1 ? 'ROW' : 'STATEMENT', timing: t & 64 ? 'INSTEAD OF' : t & 2 ? 'BEFORE' : 'AFTER', events };
}

function q(schema: string, name: string): string {
  return `${schema}.${name}`;
}

function sequenceOptions(s: RawSequence): SequenceOptions {
  return { type: s.type, start: s.start, increment: s.increment, min: s.min, max: s.max, cache: s.cache, cycle: s.cycle };
}

/** Turns raw catalog rows into the frozen domain snapshot. Pure: no database access. */
export function parseSnapshot(raw: RawCatalog): SchemaSnapshot {
  const identitySequences = new Map<string, { options: SequenceOptions; name: string }>();
  const sequences: Record<string, Sequence> = {};
  for (const s of raw.sequences) {
    const qualifiedName = q(s.schema, s.name);
    const identity = s.owner_dependency === 'i' && s.owned_by !== null;
    if (identity && s.owned_by) identitySequences.set(s.owned_by, { options: sequenceOptions(s), name: qualifiedName });
    // Identity sequences are sequences too: the old application may call nextval/currval/setval on them by name,
    // and a serial column that became an identity column keeps its sequence.
    sequences[qualifiedName] = { schema: s.schema, name: s.name, qualifiedName, ...sequenceOptions(s), ownedBy: s.owned_by, identity, acl: s.acl };
  }

  const columnsByRelation = new Map<string, Column[]>();
  const attributesByType = new Map<string, TypeObject['attributes'][number][]>();
  const byPosition = [...raw.columns].sort((a, b) => a.num - b.num);
  const ordinals = new Map<string, number>();
  for (const c of byPosition) {
    const rel = q(c.schema, c.relation);
    if (c.relation_kind === 'c') {
      const list = attributesByType.get(rel) ?? [];
      list.push({ name: c.name, type: c.type, position: c.num });
      attributesByType.set(rel, list);
      continue;
    }
    const generated = c.generated === 's' ? 'stored' : c.generated === 'v' ? 'virtual' : null;
    const ordinal = (ordinals.get(rel) ?? 0) + 1;
    ordinals.set(rel, ordinal);
    const identitySequence = identitySequences.get(`${rel}.${c.name}`);
    const column: Column = {
      name: c.name,
      position: c.num,
      type: c.type,
      typeSchema: c.type_schema,
      typeName: c.type_name,
      typeKind: c.type_kind,
      typmod: c.typmod,
      notNull: c.not_null,
      default: generated ? null : c.default,
      identity: c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by default' : null,
      identitySequence: identitySequence?.options ?? null,
      identitySequenceName: identitySequence?.name ?? null,
      generated,
      generationExpression: generated ? c.default : null,
      collation: c.collation,
      collationDeterministic: c.collation_deterministic,
      collationKey: c.collation === null ? null : (c.collation_key ?? 'default'),
      domainBase: c.domain_base ? { ...c.domain_base, checks: Number(c.domain_base.checks) } : null,
      ordinal,
      isLocal: c.is_local,
      inheritedCount: c.inherited_count,
    };
    const list = columnsByRelation.get(rel) ?? [];
    list.push(column);
    columnsByRelation.set(rel, list);
  }

  const group = <R extends { schema: string; relation: string; name: string }, D>(rows: R[], map: (r: R) => D) => {
    const out = new Map<string, Record<string, D>>();
    for (const r of rows) {
      const rel = q(r.schema, r.relation);
      const rec = out.get(rel) ?? {};
      rec[r.name] = map(r);
      out.set(rel, rec);
    }
    return out;
  };
  const constraints = group(raw.constraints, (c): Constraint => ({
    name: c.name,
    type: CONSTRAINT_TYPES[c.type],
    definition: c.definition,
    deferrable: c.deferrable,
    deferred: c.deferred,
    validated: c.validated,
    noInherit: c.no_inherit,
    columns: c.columns,
    references: c.references,
  }));
  const indexes = group(raw.indexes, (i): Index => ({
    name: i.name,
    definition: i.definition,
    unique: i.unique,
    primary: i.primary,
    valid: i.valid,
    constraint: i.constraint_name,
  }));
  const triggers = group(raw.triggers, (t): Trigger => ({
    name: t.name,
    definition: t.definition,
    ...decodeTriggerType(t.type),
    function: t.function,
    enabled: t.enabled,
    isConstraint: t.is_constraint,
  }));
  const policies = group(raw.policies, (p): Policy => ({
    name: p.name,
    permissive: p.permissive,
    command: POLICY_COMMANDS[p.command],
    roles: p.roles,
    using: p.using,
    withCheck: p.with_check,
  }));

  const relations: Record<string, Relation> = {};
  for (const r of raw.relations) {
    const qualifiedName = q(r.schema, r.name);
    relations[qualifiedName] = {
      schema: r.schema,
      name: r.name,
      qualifiedName,
      kind: RELATION_KINDS[r.kind],
      unlogged: r.persistence === 'u',
      rowSecurity: r.rls,
      forceRowSecurity: r.force_rls,
      replicaIdentity: REPLICA_IDENTITY[r.replica_identity] ?? 'default',
      isPartition: r.is_partition,
      partitionBound: r.partition_bound,
      partitionKey: r.partition_key,
      parents: r.parents,
      viewDefinition: r.view_definition,
      options: [...r.options].sort(),
      acl: r.acl,
      owner: r.owner,
      rules: (r.rules ?? []).map((x) => ({ name: x.name, event: RULE_EVENTS[x.event], instead: x.instead, definition: x.definition })),
      updatable: r.updatable === null ? null : { update: (r.updatable & 4) !== 0, insert: (r.updatable & 8) !== 0, delete: (r.updatable & 16) !== 0 },
      viewDependencies: r.view_dependencies ?? [],
      columns: columnsByRelation.get(qualifiedName) ?? [],
      constraints: constraints.get(qualifiedName) ?? {},
      indexes: indexes.get(qualifiedName) ?? {},
      triggers: triggers.get(qualifiedName) ?? {},
      policies: policies.get(qualifiedName) ?? {},
    };
  }

  const types: Record<string, TypeObject> = {};
  for (const t of raw.types) {
    const qualifiedName = q(t.schema, t.name);
    types[qualifiedName] = {
      schema: t.schema,
      name: t.name,
      qualifiedName,
      kind: t.kind === 'e' ? 'enum' : t.kind === 'd' ? 'domain' : t.kind === 'c' ? 'composite' : 'range',
      labels: t.labels ?? [],
      baseType: t.base_type,
      notNull: t.not_null,
      default: t.default,
      checks: t.checks ?? [],
      rangeSubtype: t.range_subtype,
      collation: t.collation,
      attributes: attributesByType.get(qualifiedName) ?? [],
      acl: t.acl,
    };
  }

  const functions: Record<string, FunctionObject> = {};
  for (const f of raw.functions) {
    const qualifiedName = `${q(f.schema, f.name)}(${f.identity_arguments})`;
    functions[qualifiedName] = {
      schema: f.schema,
      name: f.name,
      qualifiedName,
      kind: f.kind === 'p' ? 'procedure' : f.kind === 'a' ? 'aggregate' : f.kind === 'w' ? 'window' : 'function',
      identityArguments: f.identity_arguments,
      arguments: f.arguments,
      result: f.result,
      language: f.language,
      volatility: f.volatility === 'i' ? 'immutable' : f.volatility === 's' ? 'stable' : 'volatile',
      strict: f.strict,
      securityDefiner: f.security_definer,
      parallel: f.parallel,
      config: [...f.config].sort(),
      body: f.body,
      acl: f.acl,
      argTypes: f.arg_types.map(parseArgumentType),
      argDefaults: f.nargdefaults,
      variadic: f.variadic,
    };
  }

  const schemas: Record<string, SchemaObject> = {};
  for (const s of raw.schemas) if (s.selected) schemas[s.name] = { name: s.name, acl: s.acl };
  const existingSchemas = raw.schemas.map((s) => s.name).sort();
  const extensions: Record<string, Extension> = {};
  for (const e of raw.extensions) extensions[e.name] = { name: e.name, version: e.version, schema: e.schema };

  let appRole: AppRolePrivileges | null = null;
  if (raw.appRole) {
    const privileges: Record<string, readonly string[]> = {};
    for (const p of raw.appRole.privileges) privileges[`${p.object_kind}:${p.object}`] = p.privileges;
    const r = raw.appRole.raw;
    appRole = {
      role: raw.appRole.role,
      exists: r.exists,
      superuser: r.superuser === true,
      bypassRls: r.bypass_rls === true,
      memberOf: r.member_of ?? [],
      searchPath: { roleInDatabase: settingFrom(r.role_database_config, 'search_path'), role: settingFrom(r.role_config, 'search_path') },
      privileges,
    };
  }
  const d = raw.database;
  const database: DatabaseSettings = {
    searchPath: settingFrom(d.database_config, 'search_path'),
    serverSearchPath: d.server_search_path !== null ? { value: d.server_search_path, assumed: false } : { value: d.boot_search_path, assumed: true },
    defaultPrivileges: d.default_privileges.map((x) => ({ role: x.role, schema: x.schema, objectType: OBJECT_TYPES[x.objtype], acl: x.acl })),
    collation: d.database_collation,
  };

  return deepFreeze({ schemas, existingSchemas, relations, sequences, types, functions, extensions, appRole, database, catalogQueries: raw.catalogQueries });
}
