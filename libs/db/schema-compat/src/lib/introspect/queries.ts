/**
 * The catalog queries. Each returns every object of one kind for the selected schemas in one round trip, so the
 * number of queries is fixed (it does not grow with the number of tables). Parameters of every query:
 *   $1 text[]  schemas to include (NULL = every non-system schema)
 *   $2 text[]  schemas to exclude
 * The privileges query adds $3 text: the application role.
 *
 * Objects that belong to an extension (pg_depend deptype 'e') are left out: they are covered by the extension row.
 */

const SYSTEM_SCHEMA = (ns: string) => `(${ns}.nspname IN ('pg_catalog', 'information_schema')
  OR ${ns}.nspname LIKE 'pg\\_toast%' OR ${ns}.nspname LIKE 'pg\\_temp\\_%')`;

const SELECTED = (ns: string) => `(($1::text[] IS NULL OR ${ns}.nspname = ANY($1::text[]))
  AND NOT (${ns}.nspname = ANY(coalesce($2::text[], '{}'::text[]))))`;

const SCHEMA_FILTER = (ns: string) => `(NOT ${SYSTEM_SCHEMA(ns)} AND ${SELECTED(ns)})`;

const NOT_EXTENSION_MEMBER = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend ed WHERE ed.classid = '${catalog}'::regclass AND ed.objid = ${oid} AND ed.deptype = 'e')`;

/** Normalised ACL: `grantee=PRIVILEGE` (`*` = with grant option), NULL ACLs expanded to the built-in default. */
const ACL = (acl: string, kind: string, owner: string) => `ARRAY(
  SELECT format('%s=%s%s', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END, x.privilege_type,
                CASE WHEN x.is_grantable THEN '*' ELSE '' END)
  FROM aclexplode(coalesce(${acl}, acldefault('${kind}', ${owner}))) x ORDER BY 1)`;

export interface CatalogQuery {
  readonly name: string;
  readonly sql: string;
  /** Which parameters the query takes. @default 'schemas' ($1, $2) */
  readonly parameters?: 'schemas' | 'none' | 'role' | 'schemas+role';
}

/**
 * Every non-system schema of the database, selected or not: the rows that are not `selected` (or that belong to an
 * extension) only serve to check the caller's schema filters against what exists.
 */
export const SCHEMAS_QUERY: CatalogQuery = {
  name: 'schemas',
  sql: `SELECT n.nspname AS name, ${ACL('n.nspacl', 'n', 'n.nspowner')} AS acl,
  ${SELECTED('n')} AND ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')} AS selected
FROM pg_namespace n WHERE NOT ${SYSTEM_SCHEMA('n')}
ORDER BY 1`,
};

export interface RawSchema {
  name: string;
  acl: string[];
  selected: boolean;
}

export const RELATIONS_QUERY: CatalogQuery = {
  name: 'relations',
  sql: `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relpersistence AS persistence,
  c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls, c.relreplident AS replica_identity,
  c.relispartition AS is_partition,
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, 0) END AS partition_bound,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
  ARRAY(SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
        JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS view_definition,
  coalesce(c.reloptions, '{}') AS options,
  ${ACL('c.relacl', 'r', 'c.relowner')} AS acl,
  pg_get_userbyid(c.relowner) AS owner,
  -- rewrite rules other than a view's own _RETURN rule (relhasrules is false for almost every table: no lookup)
  CASE WHEN c.relhasrules THEN (SELECT json_agg(json_build_object('name', r.rulename, 'event', r.ev_type, 'instead', r.is_instead,
       'definition', pg_get_ruledef(r.oid)) ORDER BY r.rulename) FROM pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN') END AS rules,
  -- which of UPDATE (4), INSERT (8), DELETE (16) a view accepts (automatically, by rules or INSTEAD OF triggers)
  CASE WHEN c.relkind = 'v' THEN pg_relation_is_updatable(c.oid, true) END AS updatable,
  CASE WHEN c.relkind IN ('v', 'm') THEN ARRAY(SELECT DISTINCT dn.nspname || '.' || dc.relname FROM pg_rewrite rw
       JOIN pg_depend dd ON dd.classid = 'pg_rewrite'::regclass AND dd.objid = rw.oid AND dd.refclassid = 'pg_class'::regclass
       JOIN pg_class dc ON dc.oid = dd.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
       WHERE rw.ev_class = c.oid AND dc.oid <> c.oid ORDER BY 1) END AS view_dependencies
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
ORDER BY 1, 2`,
};

export interface RawRelation {
  schema: string;
  name: string;
  kind: 'r' | 'p' | 'v' | 'm' | 'f';
  persistence: 'p' | 'u' | 't';
  rls: boolean;
  force_rls: boolean;
  replica_identity: string;
  is_partition: boolean;
  partition_bound: string | null;
  partition_key: string | null;
  parents: string[];
  view_definition: string | null;
  options: string[];
  acl: string[];
  owner: string;
  rules: Array<{ name: string; event: '1' | '2' | '3' | '4'; instead: boolean; definition: string }> | null;
  updatable: number | null;
  view_dependencies: string[] | null;
}

export const COLUMNS_QUERY: CatalogQuery = {
  name: 'columns',
  sql: `SELECT n.nspname AS schema, c.relname AS relation, c.relkind AS relation_kind, a.attnum AS num, a.attname AS name,
  format_type(a.atttypid, a.atttypmod) AS type, tn.nspname AS type_schema, t.typname AS type_name, t.typtype AS type_kind,
  a.atttypmod AS typmod, a.attndims AS dims, a.attnotnull AS not_null,
  -- Defaults cannot reference columns, so they deparse without the relation (relid 0): pg_get_expr with a relid
  -- opens and locks the table, which costs time and a lock-table slot per table. Generated columns need it.
  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) ELSE pg_get_expr(d.adbin, 0) END AS "default",
  a.attidentity AS identity, a.attgenerated AS generated,
  CASE WHEN a.attcollation = 0 THEN NULL WHEN a.attcollation = t.typcollation THEN 'default'
       ELSE con.nspname || '.' || co.collname END AS collation,
  co.collisdeterministic AS collation_deterministic,
  -- what the collation does (provider, locale), so that equivalent collations under other names compare equal
  CASE WHEN a.attcollation NOT IN (0, 100) AND a.attcollation <> t.typcollation THEN co.collprovider::text || ':' || coalesce(co.collcollate, '') || ':'
       || coalesce(co.collctype, '') || ':' || coalesce(to_jsonb(co) ->> 'colliculocale', to_jsonb(co) ->> 'colllocale', '') END AS collation_key,
  CASE WHEN t.typtype = 'd' THEN (SELECT json_build_object('type', format_type(t.typbasetype, t.typtypmod), 'typeName', bt.typname,
       'typeSchema', btn.nspname, 'typmod', t.typtypmod, 'notNull', t.typnotnull, 'hasDefault', t.typdefaultbin IS NOT NULL,
       'checks', (SELECT count(*) FROM pg_constraint dc WHERE dc.contypid = t.oid))
       FROM pg_type bt JOIN pg_namespace btn ON btn.oid = bt.typnamespace WHERE bt.oid = t.typbasetype) END AS domain_base,
  a.attislocal AS is_local, a.attinhcount AS inherited_count
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
  AND ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
  AND (c.relkind <> 'c' OR ${NOT_EXTENSION_MEMBER('pg_type', 'c.reltype')})`,
  // no ORDER BY: sorting 10^5 wide rows costs the server more than sorting them by position in the client
};

export interface RawColumn {
  schema: string;
  relation: string;
  relation_kind: string;
  num: number;
  name: string;
  type: string;
  type_schema: string;
  type_name: string;
  type_kind: string;
  typmod: number;
  dims: number;
  not_null: boolean;
  default: string | null;
  identity: '' | 'a' | 'd';
  generated: '' | 's' | 'v';
  collation: string | null;
  collation_deterministic: boolean | null;
  collation_key: string | null;
  domain_base: { type: string; typeName: string; typeSchema: string; typmod: number; notNull: boolean; hasDefault: boolean; checks: number } | null;
  is_local: boolean;
  inherited_count: number;
}

export const CONSTRAINTS_QUERY: CatalogQuery = {
  name: 'constraints',
  sql: `SELECT n.nspname AS schema, c.relname AS relation, con.conname AS name, con.contype AS type,
  pg_get_constraintdef(con.oid) AS definition, con.condeferrable AS deferrable, con.condeferred AS deferred,
  con.convalidated AS validated, con.connoinherit AS no_inherit, con.conislocal AS is_local,
  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
  fn.nspname || '.' || fc.relname AS references
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND con.conparentid = 0 AND ${SCHEMA_FILTER('n')}
  AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
ORDER BY 1, 2, 3`,
};

export interface RawConstraint {
  schema: string;
  relation: string;
  name: string;
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  definition: string;
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  no_inherit: boolean;
  is_local: boolean;
  columns: string[];
  references: string | null;
}

export const INDEXES_QUERY: CatalogQuery = {
  name: 'indexes',
  // Indexes that back a constraint are judged through the constraint: no need to deparse them (half the cost).
  sql: `SELECT n.nspname AS schema, t.relname AS relation, ic.relname AS name,
  CASE WHEN con.conname IS NULL THEN pg_get_indexdef(i.indexrelid) ELSE '' END AS definition,
  i.indisunique AS unique, i.indisprimary AS primary, i.indisvalid AS valid, con.conname AS constraint_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
WHERE ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_class', 't.oid')}
  AND NOT EXISTS (SELECT 1 FROM pg_inherits ih WHERE ih.inhrelid = i.indexrelid)
ORDER BY 1, 3`,
};

export interface RawIndex {
  schema: string;
  relation: string;
  name: string;
  definition: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  constraint_name: string | null;
}

export const SEQUENCES_QUERY: CatalogQuery = {
  name: 'sequences',
  sql: `SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
  s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache,
  s.seqcycle AS cycle, dn.nspname || '.' || dc.relname || '.' || da.attname AS owned_by, d.deptype AS owner_dependency,
  ${ACL('c.relacl', 's', 'c.relowner')} AS acl
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
  AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class dc ON dc.oid = d.refobjid
LEFT JOIN pg_namespace dn ON dn.oid = dc.relnamespace
LEFT JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
WHERE ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
ORDER BY 1, 2`,
};

export interface RawSequence {
  schema: string;
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  owned_by: string | null;
  owner_dependency: 'a' | 'i' | null;
  acl: string[];
}

export const TYPES_QUERY: CatalogQuery = {
  name: 'types',
  sql: `SELECT n.nspname AS schema, t.typname AS name, t.typtype AS kind,
  CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels,
  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
  t.typnotnull AS not_null,
  CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END AS "default",
  CASE WHEN t.typtype = 'd' THEN ARRAY(SELECT dc.conname || ': ' || pg_get_constraintdef(dc.oid) FROM pg_constraint dc
       WHERE dc.contypid = t.oid ORDER BY dc.conname) END AS checks,
  CASE WHEN t.typtype = 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) END AS range_subtype,
  CASE WHEN t.typcollation <> 0 AND t.typcollation <> 100 THEN (SELECT co.collname FROM pg_collation co WHERE co.oid = t.typcollation) END AS collation,
  ${ACL('t.typacl', 'T', 't.typowner')} AS acl
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class tc ON tc.oid = t.typrelid
WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (t.typtype <> 'c' OR tc.relkind = 'c')
  AND ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_type', 't.oid')}
ORDER BY 1, 2`,
};

export interface RawType {
  schema: string;
  name: string;
  kind: 'e' | 'd' | 'c' | 'r';
  labels: string[] | null;
  base_type: string | null;
  not_null: boolean;
  default: string | null;
  checks: string[] | null;
  range_subtype: string | null;
  collation: string | null;
  acl: string[];
}

export const FUNCTIONS_QUERY: CatalogQuery = {
  name: 'functions',
  sql: `SELECT n.nspname AS schema, p.proname AS name, p.prokind AS kind,
  pg_get_function_identity_arguments(p.oid) AS identity_arguments, pg_get_function_arguments(p.oid) AS arguments,
  pg_get_function_result(p.oid) AS result, l.lanname AS language, p.provolatile AS volatility, p.proisstrict AS strict,
  p.prosecdef AS security_definer, p.proretset AS returns_set, p.proparallel AS parallel,
  coalesce(p.proconfig, '{}') AS config,
  p.pronargs AS nargs, p.pronargdefaults AS nargdefaults, p.provariadic <> 0 AS variadic,
  -- per argument: type category, '*' when it is the category's preferred type, then schema.type (call resolution)
  ARRAY(SELECT t.typcategory::text || CASE WHEN t.typispreferred THEN '*' ELSE '' END || ':' || tn.nspname || '.' || t.typname
        FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY a(oid, ord) JOIN pg_type t ON t.oid = a.oid
        JOIN pg_namespace tn ON tn.oid = t.typnamespace ORDER BY a.ord) AS arg_types,
  CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END AS body,
  ${ACL('p.proacl', 'f', 'p.proowner')} AS acl
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
ORDER BY 1, 2, 4`,
};

export interface RawFunction {
  schema: string;
  name: string;
  kind: 'f' | 'p' | 'a' | 'w';
  identity_arguments: string;
  arguments: string;
  result: string | null;
  language: string;
  volatility: 'i' | 's' | 'v';
  strict: boolean;
  security_definer: boolean;
  returns_set: boolean;
  parallel: string;
  config: string[];
  nargs: number;
  nargdefaults: number;
  variadic: boolean;
  arg_types: string[];
  body: string | null;
  acl: string[];
}

export const TRIGGERS_QUERY: CatalogQuery = {
  name: 'triggers',
  sql: `SELECT n.nspname AS schema, c.relname AS relation, tg.tgname AS name, pg_get_triggerdef(tg.oid) AS definition,
  tg.tgtype::int AS type, tg.tgenabled AS enabled, fn.nspname || '.' || f.proname AS function,
  tg.tgconstraint <> 0 AS is_constraint
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = tg.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND ${SCHEMA_FILTER('n')}
ORDER BY 1, 2, 3`,
};

export interface RawTrigger {
  schema: string;
  relation: string;
  name: string;
  definition: string;
  type: number;
  enabled: string;
  function: string;
  is_constraint: boolean;
}

export const POLICIES_QUERY: CatalogQuery = {
  name: 'policies',
  sql: `SELECT n.nspname AS schema, c.relname AS relation, pol.polname AS name, pol.polpermissive AS permissive,
  pol.polcmd AS command,
  ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END FROM unnest(pol.polroles) r ORDER BY 1) AS roles,
  pg_get_expr(pol.polqual, pol.polrelid) AS using, pg_get_expr(pol.polwithcheck, pol.polrelid) AS with_check
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${SCHEMA_FILTER('n')}
ORDER BY 1, 2, 3`,
};

export interface RawPolicy {
  schema: string;
  relation: string;
  name: string;
  permissive: boolean;
  command: 'r' | 'a' | 'w' | 'd' | '*';
  roles: string[];
  using: string | null;
  with_check: string | null;
}

/** Extensions are database-wide: they are always read, whatever the schema selection. */
export const EXTENSIONS_QUERY: CatalogQuery = {
  name: 'extensions',
  sql: `SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY 1`,
  parameters: 'none',
};

export interface RawExtension {
  name: string;
  version: string;
  schema: string;
}

/**
 * Effective privileges of the application role (membership and PUBLIC included) on every selected object,
 * computed by the server's own has_*_privilege functions. `$3` is the role name; it must exist.
 */
export const APP_ROLE_PRIVILEGES_QUERY: CatalogQuery = {
  name: 'app-role-privileges',
  sql: `SELECT 'relation' AS object_kind, n.nspname || '.' || c.relname AS object,
  ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
        WHERE has_table_privilege($3::text, c.oid, p))
  -- OWNER: the role owns the relation or has the privileges of its owner (row-level security skips owners unless FORCEd)
  || CASE WHEN pg_has_role($3::text, c.relowner, 'USAGE') THEN ARRAY['OWNER'] ELSE '{}'::text[] END AS privileges
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
UNION ALL
-- column-level privileges, only where some column has its own grants (attacl): table-level ones cover the rest
SELECT 'column', n.nspname || '.' || c.relname || '.' || a.attname,
  ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) p WHERE has_column_privilege($3::text, c.oid, a.attnum, p))
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
UNION ALL
SELECT 'sequence', n.nspname || '.' || c.relname,
  ARRAY(SELECT p FROM unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p WHERE has_sequence_privilege($3::text, c.oid, p))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
UNION ALL
SELECT 'function', n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
  CASE WHEN has_function_privilege($3::text, p.oid, 'EXECUTE') THEN ARRAY['EXECUTE'] ELSE '{}'::text[] END
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE ${SCHEMA_FILTER('n')} AND ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
UNION ALL
SELECT 'schema', n.nspname,
  ARRAY(SELECT p FROM unnest(ARRAY['USAGE', 'CREATE']) p WHERE has_schema_privilege($3::text, n.oid, p))
FROM pg_namespace n WHERE ${SCHEMA_FILTER('n')}
ORDER BY 1, 2`,
  parameters: 'schemas+role',
};

export interface RawPrivilege {
  object_kind: 'relation' | 'column' | 'sequence' | 'function' | 'schema';
  object: string;
  privileges: string[];
}

/** The role itself: attributes, the roles whose privileges it has (itself included), its own settings. */
export const ROLE_EXISTS_QUERY: CatalogQuery = {
  name: 'app-role',
  sql: `SELECT r.oid IS NOT NULL AS exists, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
  (SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
    WHERE s.setrole = r.oid AND d.datname = current_database()) AS role_database_config,
  (SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS role_config,
  CASE WHEN r.oid IS NOT NULL THEN ARRAY(SELECT m.rolname::text FROM pg_roles m WHERE pg_has_role(r.oid, m.oid, 'USAGE') ORDER BY 1) END AS member_of
FROM (SELECT 1) one LEFT JOIN pg_roles r ON r.rolname = $1::text`,
  parameters: 'role',
};

export interface RawRole {
  exists: boolean;
  superuser: boolean | null;
  bypass_rls: boolean | null;
  role_database_config: string[] | null;
  role_config: string[] | null;
  member_of: string[] | null;
}

/**
 * Database-wide facts: the search_path set for the database and for the server, the default privileges (for the
 * selected schemas and database-wide ones) and the database's default collation.
 */
export const DATABASE_QUERY: CatalogQuery = {
  name: 'database',
  sql: `SELECT
  (SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
    WHERE s.setrole = 0 AND d.datname = current_database()) AS database_config,
  -- the server-level value is visible only while no database/role setting overrides it in this session
  (SELECT CASE WHEN source IN ('default', 'configuration file', 'command line', 'environment variable', 'override') THEN reset_val END
    FROM pg_settings WHERE name = 'search_path') AS server_search_path,
  (SELECT boot_val FROM pg_settings WHERE name = 'search_path') AS boot_search_path,
  (SELECT coalesce(json_agg(json_build_object('role', pg_get_userbyid(da.defaclrole), 'schema', dn.nspname, 'objtype', da.defaclobjtype,
     'acl', ${ACL('da.defaclacl', 'r', 'da.defaclrole')}) ORDER BY da.defaclrole, dn.nspname, da.defaclobjtype), '[]')
   FROM pg_default_acl da LEFT JOIN pg_namespace dn ON dn.oid = da.defaclnamespace
   WHERE da.defaclnamespace = 0 OR ${SCHEMA_FILTER('dn')}) AS default_privileges,
  (SELECT coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') || ':' || d.datcollate || ':' || d.datctype || ':'
     || coalesce(to_jsonb(d) ->> 'daticulocale', to_jsonb(d) ->> 'datlocale', '') FROM pg_database d WHERE d.datname = current_database()) AS database_collation`,
};

export interface RawDatabase {
  database_config: string[] | null;
  server_search_path: string | null;
  boot_search_path: string;
  default_privileges: Array<{ role: string; schema: string | null; objtype: 'r' | 'S' | 'f' | 'T' | 'n'; acl: string[] }>;
  database_collation: string;
}

export const CATALOG_QUERIES: readonly CatalogQuery[] = [
  SCHEMAS_QUERY,
  RELATIONS_QUERY,
  COLUMNS_QUERY,
  CONSTRAINTS_QUERY,
  INDEXES_QUERY,
  SEQUENCES_QUERY,
  TYPES_QUERY,
  FUNCTIONS_QUERY,
  TRIGGERS_QUERY,
  POLICIES_QUERY,
  EXTENSIONS_QUERY,
  DATABASE_QUERY,
];
