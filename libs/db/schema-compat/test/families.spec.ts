/**
 * Second tier: what the OLD application, connected as its role with its search_path, observes on the NEW schema.
 * One table of cases per family, each a breaking change and harmless look-alikes, against a real PostgreSQL. Every
 * case lives in its own schema(s) (`{s}` below is the case name) of one blue and one green database; roles are
 * cluster-wide and created once; `{db}` is the database's name (for ALTER ROLE … IN DATABASE).
 */
import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { checkCompatibility, formatReportText, reportToJson, type Change, type Compatibility, type CompatibilityReport, type Family } from '../src';

type Direction = 'breaking' | 'warning' | 'harmless';

interface Case {
  readonly name: string;
  readonly direction: Direction;
  readonly blue: string;
  readonly green: string;
  /** Schemas to compare (`{s}` expanded). @default ['{s}'] */
  readonly schemas?: readonly string[];
  readonly appRole?: string;
  /** Changes that must be reported: kind, object (`{s}` expanded), verdict. */
  readonly expect: ReadonlyArray<readonly [string, string, Compatibility]>;
  /** No change at all may be reported (representation-only changes). */
  readonly none?: boolean;
  /** Change kinds that must NOT be reported. */
  readonly absent?: readonly string[];
  readonly compatible: boolean;
  readonly detail?: RegExp;
  /** Every non-compatible change says it depends on the role (no application role given). */
  readonly dependsOnRole?: boolean;
}

const ROLES = ['fam_app', 'fam_app_ni', 'fam_readers', 'fam_readers_ni', 'fam_owner', 'fam_other', 'fam_nr1', 'fam_nr2', 'fam_nr3', 'fam_nr4', 'fam_nr8'];
const ROLE_SETUP = `GRANT fam_readers TO fam_app; GRANT fam_readers_ni TO fam_app_ni WITH INHERIT FALSE;`;

const T = 'CREATE TABLE t (id int PRIMARY KEY, note text, qty int);';
const USAGE = (role: string) => `GRANT USAGE ON SCHEMA {s} TO ${role};`;

const FAMILIES: Readonly<Record<Exclude<Family, 'objects' | 'columns and types' | 'constraints and indexes'>, readonly Case[]>> = {
  // 1. Effective access of the application role
  access: [
    { name: 'acc_column_grant_lost', direction: 'breaking', appRole: 'fam_app', blue: `${T} ${USAGE('fam_app')} GRANT SELECT ON t TO fam_app;`, green: `${T} ${USAGE('fam_app')} GRANT SELECT (id) ON t TO fam_app;`, expect: [['privilege.lost', '{s}.t', 'incompatible']], compatible: false, detail: /loses SELECT on relation/ },
    { name: 'acc_columns_cover_table', direction: 'harmless', appRole: 'fam_app', blue: `${T} GRANT SELECT ON t TO fam_app;`, green: `${T} GRANT SELECT (id, note, qty) ON t TO fam_app;`, expect: [['privilege.narrowed_to_columns', '{s}.t', 'compatible']], absent: ['privilege.lost'], compatible: true },
    { name: 'acc_columns_miss_new_column', direction: 'warning', appRole: 'fam_app', blue: `${T} GRANT SELECT ON t TO fam_app;`, green: `${T} ALTER TABLE t ADD COLUMN extra text; GRANT SELECT (id, note, qty) ON t TO fam_app;`, expect: [['privilege.narrowed_to_columns', '{s}.t', 'warning']], compatible: true, detail: /SELECT \* fails/ },
    { name: 'acc_grant_moved_to_group', direction: 'harmless', appRole: 'fam_app', blue: `${T} GRANT SELECT, INSERT ON t TO fam_app;`, green: `${T} GRANT SELECT, INSERT ON t TO fam_readers;`, expect: [['privilege.revoked', '{s}.t', 'warning'], ['privilege.granted', '{s}.t', 'compatible']], absent: ['privilege.lost'], compatible: true },
    { name: 'acc_grant_moved_to_noinherit_group', direction: 'breaking', appRole: 'fam_app_ni', blue: `${T} GRANT SELECT ON t TO fam_app_ni;`, green: `${T} GRANT SELECT ON t TO fam_readers_ni;`, expect: [['privilege.lost', '{s}.t', 'incompatible']], compatible: false },
    { name: 'acc_rls_enabled_owner_exempt', direction: 'harmless', appRole: 'fam_app', blue: `${T} ALTER TABLE t OWNER TO fam_app;`, green: `${T} ALTER TABLE t OWNER TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY;`, expect: [['table.rls_enabled', '{s}.t', 'compatible']], compatible: true, detail: /owns the table/ },
    { name: 'acc_rls_enabled_not_owner', direction: 'breaking', appRole: 'fam_app', blue: `${T} GRANT SELECT ON t TO fam_app;`, green: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY;`, expect: [['table.rls_enabled', '{s}.t', 'incompatible']], compatible: false },
    { name: 'acc_rls_forced_on_owner', direction: 'breaking', appRole: 'fam_app', blue: `${T} ALTER TABLE t OWNER TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY;`, green: `${T} ALTER TABLE t OWNER TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;`, expect: [['table.rls_forced', '{s}.t', 'incompatible']], compatible: false },
    { name: 'acc_rls_forced_not_owner', direction: 'harmless', appRole: 'fam_app', blue: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t TO fam_app USING (true);`, green: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t TO fam_app USING (true); ALTER TABLE t FORCE ROW LEVEL SECURITY;`, expect: [['table.rls_force_changed', '{s}.t', 'compatible']], compatible: true },
    { name: 'acc_policy_for_other_role_dropped', direction: 'harmless', appRole: 'fam_app', blue: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY mine ON t TO fam_app USING (true); CREATE POLICY theirs ON t TO fam_other USING (true);`, green: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY mine ON t TO fam_app USING (true);`, expect: [['policy.dropped', '{s}.t.theirs', 'compatible']], compatible: true },
    { name: 'acc_own_policy_dropped', direction: 'breaking', appRole: 'fam_app', blue: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY mine ON t TO fam_app USING (true); CREATE POLICY theirs ON t TO fam_other USING (true);`, green: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY theirs ON t TO fam_other USING (true);`, expect: [['policy.dropped', '{s}.t.mine', 'incompatible']], compatible: false },
    { name: 'acc_execute_public_revoked', direction: 'breaking', appRole: 'fam_app', blue: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$;', green: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; REVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC; GRANT EXECUTE ON FUNCTION f(int) TO fam_owner;', expect: [['privilege.lost', '{s}.f(a integer)', 'incompatible']], compatible: false },
    { name: 'acc_execute_granted_to_role', direction: 'harmless', appRole: 'fam_app', blue: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$;', green: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; REVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC; GRANT EXECUTE ON FUNCTION f(int) TO fam_readers;', expect: [['privilege.revoked', '{s}.f(a integer)', 'warning']], absent: ['privilege.lost'], compatible: true },
    { name: 'acc_invoker_view_without_grant', direction: 'breaking', appRole: 'fam_app', blue: `${T} CREATE VIEW v AS SELECT id, note FROM t; GRANT SELECT ON v TO fam_app;`, green: `${T} CREATE VIEW v WITH (security_invoker = true) AS SELECT id, note FROM t; GRANT SELECT ON v TO fam_app;`, expect: [['view.security_invoker_changed', '{s}.v', 'incompatible']], compatible: false, detail: /has no SELECT on acc_invoker_view_without_grant\.t/ },
    { name: 'acc_invoker_view_with_grant', direction: 'harmless', appRole: 'fam_app', blue: `${T} CREATE VIEW v AS SELECT id, note FROM t; GRANT SELECT ON v, t TO fam_app;`, green: `${T} CREATE VIEW v WITH (security_invoker = true) AS SELECT id, note FROM t; GRANT SELECT ON v, t TO fam_app;`, expect: [['view.security_invoker_changed', '{s}.v', 'compatible']], compatible: true },
    { name: 'acc_default_privileges_dropped', direction: 'warning', appRole: 'fam_app', blue: 'ALTER DEFAULT PRIVILEGES FOR ROLE fam_owner IN SCHEMA {s} GRANT SELECT ON TABLES TO fam_app; CREATE TABLE keep (id int);', green: 'CREATE TABLE keep (id int);', expect: [['default_privilege.revoked', 'fam_owner.{s}:table', 'warning']], compatible: true },
    { name: 'acc_default_privileges_other_role', direction: 'harmless', appRole: 'fam_app', blue: 'ALTER DEFAULT PRIVILEGES FOR ROLE fam_owner IN SCHEMA {s} GRANT SELECT ON TABLES TO fam_other; CREATE TABLE keep (id int);', green: 'CREATE TABLE keep (id int);', expect: [['default_privilege.revoked', 'fam_owner.{s}:table', 'compatible']], compatible: true },
    { name: 'acc_no_role_given', direction: 'breaking', blue: `${T} GRANT SELECT, INSERT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t USING (true);`, green: `${T} GRANT SELECT ON t TO fam_app; ALTER TABLE t ENABLE ROW LEVEL SECURITY;`, expect: [['privilege.revoked', '{s}.t', 'incompatible'], ['policy.dropped', '{s}.t.p', 'incompatible']], compatible: false, dependsOnRole: true },
  ],
  // 2. Name resolution: the role's search_path, shadowing, overloads
  'name resolution': [
    { name: 'nr_shadowed', direction: 'breaking', appRole: 'fam_nr1', schemas: ['{s}', '{s}_app'], blue: 'CREATE SCHEMA {s}_app; CREATE TABLE {s}.orders (id int); ALTER ROLE fam_nr1 IN DATABASE {db} SET search_path = {s}_app, {s};', green: 'CREATE SCHEMA {s}_app; CREATE TABLE {s}.orders (id int); CREATE TABLE {s}_app.orders (id int); ALTER ROLE fam_nr1 IN DATABASE {db} SET search_path = {s}_app, {s};', expect: [['name.shadowed', '{s}.orders', 'incompatible'], ['table.added', '{s}_app.orders', 'compatible']], compatible: false },
    { name: 'nr_later_in_path', direction: 'harmless', appRole: 'fam_nr2', schemas: ['{s}', '{s}_app'], blue: 'CREATE SCHEMA {s}_app; CREATE TABLE {s}.orders (id int); ALTER ROLE fam_nr2 IN DATABASE {db} SET search_path = {s}, {s}_app;', green: 'CREATE SCHEMA {s}_app; CREATE TABLE {s}.orders (id int); CREATE TABLE {s}_app.orders (id int); ALTER ROLE fam_nr2 IN DATABASE {db} SET search_path = {s}, {s}_app;', expect: [['table.added', '{s}_app.orders', 'compatible']], absent: ['name.shadowed'], compatible: true },
    { name: 'nr_user_schema', direction: 'breaking', appRole: 'fam_nr3', schemas: ['{s}', 'fam_nr3'], blue: 'CREATE TABLE {s}.orders (id int); ALTER ROLE fam_nr3 IN DATABASE {db} SET search_path = "$user", {s};', green: 'CREATE TABLE {s}.orders (id int); CREATE SCHEMA fam_nr3; CREATE TABLE fam_nr3.orders (id int); ALTER ROLE fam_nr3 IN DATABASE {db} SET search_path = "$user", {s};', expect: [['name.shadowed', '{s}.orders', 'incompatible']], compatible: false, detail: /reaches fam_nr3\.orders/ },
    { name: 'nr_path_changed', direction: 'breaking', appRole: 'fam_nr4', schemas: ['{s}', '{s}_v2'], blue: 'CREATE SCHEMA {s}_v2; CREATE TABLE {s}.orders (id int); CREATE TABLE {s}_v2.orders (id int); ALTER ROLE fam_nr4 IN DATABASE {db} SET search_path = {s};', green: 'CREATE SCHEMA {s}_v2; CREATE TABLE {s}.orders (id int); CREATE TABLE {s}_v2.orders (id int); ALTER ROLE fam_nr4 IN DATABASE {db} SET search_path = {s}_v2, {s};', expect: [['name.shadowed', '{s}.orders', 'incompatible'], ['search_path.changed', 'fam_nr4', 'compatible']], compatible: false },
    { name: 'nr_overload_text', direction: 'breaking', blue: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$;', green: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; CREATE FUNCTION f(a text) RETURNS int LANGUAGE sql AS $$SELECT 1$$;', expect: [['function.call_resolves_elsewhere', '{s}.f(a integer)', 'incompatible'], ['function.overload_added', '{s}.f(a text)', 'compatible']], compatible: false, detail: /untyped parameters .* now runs nr_overload_text\.f\(a text\)/ },
    { name: 'nr_overload_bigint', direction: 'breaking', blue: 'CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$;', green: 'CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; CREATE FUNCTION g(a numeric) RETURNS int LANGUAGE sql AS $$SELECT 1$$;', expect: [['function.call_ambiguous', '{s}.g(a integer)', 'incompatible']], compatible: false, detail: /is not unique/ },
    { name: 'nr_overload_other_arity', direction: 'harmless', blue: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$;', green: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; CREATE FUNCTION f(a int, b int) RETURNS int LANGUAGE sql AS $$SELECT a + b$$;', expect: [['function.overload_added', '{s}.f(a integer, b integer)', 'compatible']], compatible: true },
    { name: 'nr_overload_text_keeps_untyped', direction: 'harmless', blue: 'CREATE FUNCTION f(a text) RETURNS int LANGUAGE sql AS $$SELECT 1$$;', green: 'CREATE FUNCTION f(a text) RETURNS int LANGUAGE sql AS $$SELECT 1$$; CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$;', expect: [['function.overload_added', '{s}.f(a integer)', 'compatible']], compatible: true },
    { name: 'nr_function_shadowed', direction: 'breaking', appRole: 'fam_nr8', schemas: ['{s}', '{s}_app'], blue: 'CREATE SCHEMA {s}_app; CREATE FUNCTION {s}.f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; ALTER ROLE fam_nr8 IN DATABASE {db} SET search_path = {s}_app, {s};', green: 'CREATE SCHEMA {s}_app; CREATE FUNCTION {s}.f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; CREATE FUNCTION {s}_app.f(a int) RETURNS int LANGUAGE sql AS $$SELECT 2$$; ALTER ROLE fam_nr8 IN DATABASE {db} SET search_path = {s}_app, {s};', expect: [['function.call_resolves_elsewhere', '{s}.f(a integer)', 'incompatible']], compatible: false, detail: /now runs nr_function_shadowed_app\.f/ },
    { name: 'nr_same_name_outside_path', direction: 'harmless', schemas: ['{s}', '{s}_x'], blue: 'CREATE SCHEMA {s}_x; CREATE FUNCTION {s}.f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; CREATE TABLE {s}.orders (id int);', green: 'CREATE SCHEMA {s}_x; CREATE FUNCTION {s}.f(a int) RETURNS int LANGUAGE sql AS $$SELECT a$$; CREATE TABLE {s}.orders (id int); CREATE FUNCTION {s}_x.f(a int) RETURNS int LANGUAGE sql AS $$SELECT 2$$; CREATE TABLE {s}_x.orders (id int);', expect: [['function.added', '{s}_x.f(a integer)', 'compatible'], ['table.added', '{s}_x.orders', 'compatible']], compatible: true },
  ],
  // 3. Write semantics: what the old application's INSERT/UPDATE/DELETE do
  'write semantics': [
    { name: 'ws_generated_dropped', direction: 'breaking', blue: 'CREATE TABLE t (id int, qty int, total int GENERATED ALWAYS AS (qty * 2) STORED);', green: 'CREATE TABLE t (id int, qty int, total int GENERATED ALWAYS AS (qty * 2) STORED); ALTER TABLE t ALTER COLUMN total DROP EXPRESSION;', expect: [['column.generated_dropped', '{s}.t.total', 'incompatible']], compatible: false },
    { name: 'ws_generated_recreated', direction: 'harmless', blue: 'CREATE TABLE t (id int, qty int, total int GENERATED ALWAYS AS (qty * 2) STORED);', green: 'CREATE TABLE t (id int, qty int, total int GENERATED ALWAYS AS (qty * 2) STORED); ALTER TABLE t DROP COLUMN total; ALTER TABLE t ADD COLUMN total int GENERATED ALWAYS AS ((qty * 2)) STORED;', expect: [], none: true, compatible: true },
    { name: 'ws_rule_instead_nothing', direction: 'breaking', blue: T, green: `${T} CREATE RULE keep_rows AS ON DELETE TO t DO INSTEAD NOTHING;`, expect: [['rule.added', '{s}.t.keep_rows', 'incompatible']], compatible: false },
    { name: 'ws_rule_also', direction: 'warning', blue: `${T} CREATE TABLE log (id int);`, green: `${T} CREATE TABLE log (id int); CREATE RULE audit AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (NEW.id);`, expect: [['rule.added', '{s}.t.audit', 'warning']], compatible: true },
    { name: 'ws_rule_renamed', direction: 'harmless', blue: `${T} CREATE TABLE log (id int); CREATE RULE audit AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (NEW.id);`, green: `${T} CREATE TABLE log (id int); CREATE RULE audit_insert AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (NEW.id);`, expect: [['rule.renamed', '{s}.t.audit', 'compatible']], compatible: true },
    { name: 'ws_trigger_skips_rows', direction: 'breaking', blue: T, green: `${T} CREATE FUNCTION skip() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$; CREATE TRIGGER skip BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION skip();`, expect: [['trigger.added', '{s}.t.skip', 'incompatible']], compatible: false, detail: /report success and change nothing/ },
    { name: 'ws_trigger_returns_new', direction: 'warning', blue: T, green: `${T} CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.qty := coalesce(NEW.qty, 1); RETURN NEW; END$$; CREATE TRIGGER stamp BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION stamp();`, expect: [['trigger.added', '{s}.t.stamp', 'warning']], compatible: true },
    { name: 'ws_fk_cascade_to_restrict', direction: 'breaking', blue: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_fk REFERENCES p ON DELETE CASCADE);', green: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_fk REFERENCES p ON DELETE RESTRICT);', expect: [['constraint.foreign_key_action_changed', '{s}.c.c_p_fk', 'incompatible']], compatible: false },
    { name: 'ws_fk_no_action_to_restrict', direction: 'harmless', blue: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_fk REFERENCES p);', green: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_fk REFERENCES p ON DELETE RESTRICT);', expect: [['constraint.foreign_key_action_changed', '{s}.c.c_p_fk', 'compatible']], compatible: true },
    { name: 'ws_fk_restrict_to_cascade', direction: 'warning', blue: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_fk REFERENCES p);', green: 'CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int, p_id int CONSTRAINT c_p_fk REFERENCES p ON DELETE CASCADE);', expect: [['constraint.foreign_key_action_changed', '{s}.c.c_p_fk', 'warning']], compatible: true },
    { name: 'ws_identity_to_always', direction: 'breaking', blue: 'CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY);', green: 'CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);', expect: [['column.identity_changed', '{s}.t.id', 'incompatible']], compatible: false },
    { name: 'ws_identity_to_by_default', direction: 'harmless', blue: 'CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);', green: 'CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY);', expect: [['column.identity_changed', '{s}.t.id', 'compatible']], compatible: true },
    { name: 'ws_composite_attribute_added', direction: 'breaking', blue: 'CREATE TYPE addr AS (street text, city text);', green: 'CREATE TYPE addr AS (street text, city text, zip text);', expect: [['composite.attribute_added', '{s}.addr.zip', 'incompatible']], compatible: false },
    { name: 'ws_composite_attribute_widened', direction: 'harmless', blue: 'CREATE TYPE addr AS (street varchar(10), city text);', green: 'CREATE TYPE addr AS (street varchar(20), city text);', expect: [['composite.attribute_type_changed', '{s}.addr.street', 'compatible']], compatible: true },
    { name: 'ws_view_loses_writability', direction: 'breaking', blue: `${T} CREATE VIEW v AS SELECT id, note FROM t;`, green: `${T} CREATE VIEW v AS SELECT DISTINCT id, note FROM t;`, expect: [['view.writability_lost', '{s}.v', 'incompatible']], compatible: false },
    { name: 'ws_view_writable_by_trigger', direction: 'harmless', blue: `${T} CREATE VIEW v AS SELECT id, note FROM t;`, green: `${T} CREATE VIEW v AS SELECT DISTINCT id, note FROM t; CREATE FUNCTION vw() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$; CREATE TRIGGER vw INSTEAD OF INSERT OR UPDATE OR DELETE ON v FOR EACH ROW EXECUTE FUNCTION vw();`, expect: [['view.definition_changed', '{s}.v', 'warning']], absent: ['view.writability_lost'], compatible: true },
    { name: 'ws_table_to_readonly_view', direction: 'breaking', blue: 'CREATE TABLE base (id int, note text); CREATE TABLE t (id int, note text);', green: 'CREATE TABLE base (id int, note text); CREATE VIEW t AS SELECT id, max(note) AS note FROM base GROUP BY id;', expect: [['table.replaced_by_view', '{s}.t', 'incompatible']], compatible: false },
    { name: 'ws_table_to_updatable_view', direction: 'warning', blue: 'CREATE TABLE base (id int, note text); CREATE TABLE t (id int, note text);', green: 'CREATE TABLE base (id int, note text); CREATE VIEW t AS SELECT id, note FROM base;', expect: [['table.replaced_by_view', '{s}.t', 'warning']], compatible: true },
  ],
  // 4. Value semantics: what the old application reads back and how comparisons behave
  'value semantics': [
    { name: 'vs_char_widened', direction: 'breaking', blue: 'CREATE TABLE t (code char(8));', green: 'CREATE TABLE t (code char(10));', expect: [['column.type_changed', '{s}.t.code', 'incompatible']], compatible: false, detail: /blank-padded to 10/ },
    { name: 'vs_char_to_text', direction: 'breaking', blue: 'CREATE TABLE t (code char(8));', green: 'CREATE TABLE t (code text);', expect: [['column.type_changed', '{s}.t.code', 'incompatible']], compatible: false },
    { name: 'vs_varchar_widened', direction: 'harmless', blue: 'CREATE TABLE t (code varchar(8));', green: 'CREATE TABLE t (code varchar(10));', expect: [['column.type_changed', '{s}.t.code', 'compatible']], compatible: true },
    { name: 'vs_collation_nondeterministic', direction: 'breaking', blue: "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false); CREATE TABLE t (email text);", green: "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false); CREATE TABLE t (email text COLLATE ci);", expect: [['column.collation_changed', '{s}.t.email', 'incompatible']], compatible: false, detail: /LIKE/ },
    { name: 'vs_collation_c_to_posix', direction: 'harmless', blue: 'CREATE TABLE t (email text COLLATE "C");', green: 'CREATE TABLE t (email text COLLATE "POSIX");', expect: [['column.collation_changed', '{s}.t.email', 'compatible']], compatible: true },
    { name: 'vs_collation_other_order', direction: 'warning', blue: 'CREATE TABLE t (email text COLLATE "C");', green: 'CREATE TABLE t (email text COLLATE "en-x-icu");', expect: [['column.collation_changed', '{s}.t.email', 'warning']], compatible: true },
    { name: 'vs_enum_reordered', direction: 'breaking', blue: "CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');", green: "CREATE TYPE status AS ENUM ('paid', 'new', 'shipped');", expect: [['enum.order_changed', '{s}.status', 'incompatible']], compatible: false },
    { name: 'vs_enum_inserted_before', direction: 'harmless', blue: "CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');", green: "CREATE TYPE status AS ENUM ('new', 'paid', 'shipped'); ALTER TYPE status ADD VALUE 'pending' BEFORE 'paid';", expect: [['enum.value_added', '{s}.status.pending', 'compatible']], absent: ['enum.order_changed'], compatible: true, detail: /sorting before 'paid'/ },
    { name: 'vs_numeric_to_float', direction: 'breaking', blue: 'CREATE TABLE t (price numeric(12,2));', green: 'CREATE TABLE t (price double precision);', expect: [['column.type_changed', '{s}.t.price', 'incompatible']], compatible: false, detail: /inexact/ },
    { name: 'vs_numeric_fewer_integer_digits', direction: 'breaking', blue: 'CREATE TABLE t (price numeric(10,2));', green: 'CREATE TABLE t (price numeric(10,4));', expect: [['column.type_changed', '{s}.t.price', 'incompatible']], compatible: false },
    { name: 'vs_numeric_widened', direction: 'harmless', blue: 'CREATE TABLE t (price numeric(10,2));', green: 'CREATE TABLE t (price numeric(14,4));', expect: [['column.type_changed', '{s}.t.price', 'compatible']], compatible: true },
    { name: 'vs_timestamptz_to_timestamp', direction: 'breaking', blue: 'CREATE TABLE t (at timestamptz);', green: 'CREATE TABLE t (at timestamp);', expect: [['column.type_changed', '{s}.t.at', 'incompatible']], compatible: false, detail: /offsets/ },
    { name: 'vs_timestamp_to_timestamptz', direction: 'warning', blue: 'CREATE TABLE t (at timestamp);', green: 'CREATE TABLE t (at timestamptz);', expect: [['column.type_changed', '{s}.t.at', 'warning']], compatible: true },
    { name: 'vs_timestamp_precision_raised', direction: 'harmless', blue: 'CREATE TABLE t (at timestamp(3));', green: 'CREATE TABLE t (at timestamp(6));', expect: [['column.type_changed', '{s}.t.at', 'compatible']], compatible: true },
  ],
  // 5. Representation-only changes
  representation: [
    { name: 'rep_serial_to_identity', direction: 'harmless', appRole: 'fam_app', blue: 'CREATE TABLE t (id serial PRIMARY KEY, note text); GRANT USAGE, SELECT ON SEQUENCE t_id_seq TO fam_app; GRANT SELECT, INSERT ON t TO fam_app;', green: 'CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME rep_serial_to_identity.t_id_seq) PRIMARY KEY, note text); GRANT USAGE, SELECT ON SEQUENCE t_id_seq TO fam_app; GRANT SELECT, INSERT ON t TO fam_app;', expect: [['column.serial_to_identity', '{s}.t.id', 'compatible']], absent: ['sequence.dropped', 'sequence.added', 'column.default_dropped'], compatible: true },
    { name: 'rep_identity_to_serial', direction: 'harmless', blue: 'CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);', green: 'CREATE TABLE t (id serial PRIMARY KEY);', expect: [['column.identity_to_serial', '{s}.t.id', 'compatible']], absent: ['sequence.dropped', 'column.identity_dropped'], compatible: true },
    { name: 'rep_serial_to_identity_always', direction: 'breaking', blue: 'CREATE TABLE t (id serial PRIMARY KEY);', green: 'CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME rep_serial_to_identity_always.t_id_seq) PRIMARY KEY);', expect: [['column.serial_to_identity', '{s}.t.id', 'incompatible']], compatible: false },
    { name: 'rep_serial_to_identity_renamed', direction: 'breaking', blue: 'CREATE TABLE t (id serial PRIMARY KEY);', green: 'CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME rep_serial_to_identity_renamed.t_id_seq2) PRIMARY KEY);', expect: [['sequence.dropped', '{s}.t_id_seq', 'incompatible']], compatible: false },
    { name: 'rep_sequence_lost_grant', direction: 'breaking', appRole: 'fam_app', blue: 'CREATE TABLE t (id serial PRIMARY KEY); GRANT USAGE ON SEQUENCE t_id_seq TO fam_app;', green: 'CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME rep_sequence_lost_grant.t_id_seq) PRIMARY KEY);', expect: [['privilege.lost', '{s}.t_id_seq', 'incompatible']], compatible: false },
    { name: 'rep_domain_without_constraints', direction: 'harmless', blue: 'CREATE TABLE t (email text);', green: 'CREATE DOMAIN email_t AS text; CREATE TABLE t (email email_t);', expect: [['column.type_changed', '{s}.t.email', 'compatible'], ['domain.added', '{s}.email_t', 'compatible']], compatible: true },
    { name: 'rep_domain_back_to_base', direction: 'harmless', blue: 'CREATE DOMAIN email_t AS text; CREATE TABLE t (email email_t);', green: 'CREATE DOMAIN email_t AS text; CREATE TABLE t (email text);', expect: [['column.type_changed', '{s}.t.email', 'compatible']], compatible: true },
    { name: 'rep_domain_not_null', direction: 'breaking', blue: 'CREATE TABLE t (email text);', green: 'CREATE DOMAIN email_t AS text NOT NULL; CREATE TABLE t (email email_t);', expect: [['column.type_changed', '{s}.t.email', 'incompatible']], compatible: false },
    { name: 'rep_domain_other_base', direction: 'breaking', blue: 'CREATE TABLE t (code varchar(20));', green: 'CREATE DOMAIN code_t AS varchar(5); CREATE TABLE t (code code_t);', expect: [['column.type_changed', '{s}.t.code', 'incompatible']], compatible: false },
    { name: 'rep_column_recreated_last', direction: 'harmless', blue: 'CREATE TABLE t (id int, note text);', green: 'CREATE TABLE t (id int, note text); ALTER TABLE t DROP COLUMN note; ALTER TABLE t ADD COLUMN note text;', expect: [], none: true, compatible: true },
    { name: 'rep_column_recreated_middle', direction: 'warning', blue: 'CREATE TABLE t (id int, note text, qty int);', green: 'CREATE TABLE t (id int, note text, qty int); ALTER TABLE t DROP COLUMN note; ALTER TABLE t ADD COLUMN note text;', expect: [['column.order_changed', '{s}.t', 'warning']], compatible: true },
  ],
};

const ALL = Object.entries(FAMILIES).flatMap(([family, cases]) => cases.map((c) => ({ family, ...c })));

let pg: TestPostgres;
let blueUrl: string;
let greenUrl: string;
const reports = new Map<string, CompatibilityReport>();

const expand = (s: string, c: Case, db: string) => s.replace(/\{s\}/g, c.name).replace(/\{db\}/g, db);

beforeAll(async () => {
  pg = await startPostgres();
  [blueUrl, greenUrl] = await Promise.all([pg.createDatabase('families_b'), pg.createDatabase('families_g')]);
  await pg.exec(pg.adminUrl, `DO $$ BEGIN ${ROLES.map((r) => `IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r}') THEN CREATE ROLE ${r}; END IF;`).join(' ')} END $$; ${ROLE_SETUP}`);
  const script = (side: 'blue' | 'green', url: string) => {
    const db = new URL(url).pathname.slice(1);
    return ALL.map((c) => `CREATE SCHEMA ${c.name}; SET search_path = ${c.name}; ${expand(c[side], c, db)} RESET search_path;`).join('\n');
  };
  await Promise.all([pg.exec(blueUrl, script('blue', blueUrl)), pg.exec(greenUrl, script('green', greenUrl))]);
}, 120_000);
afterAll(async () => pg?.stop());

async function check(c: Case): Promise<CompatibilityReport> {
  const report = await checkCompatibility({ blue: { url: blueUrl }, green: { url: greenUrl }, schemas: (c.schemas ?? ['{s}']).map((s) => expand(s, c, '')), appRole: c.appRole });
  reports.set(c.name, report);
  return report;
}

for (const [family, cases] of Object.entries(FAMILIES)) {
  describe(`${family} (real server)`, () => {
    it('has a breaking case and a harmless look-alike', () => {
      expect(cases.some((c) => c.direction === 'breaking')).toBe(true);
      expect(cases.some((c) => c.direction === 'harmless')).toBe(true);
    });

    it.each(cases.map((c) => [`${c.direction}: ${c.name}`, c] as const))('%s', async (_name, c) => {
      const report = await check(c);
      const got = report.changes.map((x: Change) => [x.kind, x.object, x.compatibility]);
      expect(got).toEqual(expect.arrayContaining(c.expect.map(([kind, object, verdict]) => [kind, expand(object, c, ''), verdict])));
      if (c.none) expect(report.changes).toEqual([]);
      for (const kind of c.absent ?? []) expect(report.changes.map((x) => x.kind)).not.toContain(kind);
      expect(report.compatible).toBe(c.compatible);
      if (c.direction === 'breaking') expect(report.summary.incompatible).toBeGreaterThan(0);
      if (c.detail) expect(report.changes.map((x) => x.detail).join('\n')).toMatch(c.detail);
      // remediation: every change that is not compatible says how to make it compatible
      for (const x of report.changes) {
        if (x.compatibility === 'compatible') expect(x.hint).toBeNull();
        else expect(x.hint).toEqual(expect.any(String));
      }
      if (c.dependsOnRole !== undefined) for (const x of report.changes.filter((y) => y.compatibility !== 'compatible')) expect(x.dependsOnRole).toBe(c.dependsOnRole);
      if (c.appRole) expect(report.changes.every((x) => !x.dependsOnRole)).toBe(true);
    }, 30_000);
  });
}

describe('what the check reads is readable without superuser', () => {
  it('a plain login role (no superuser, no grants) runs the whole check, application role included', async () => {
    await pg.exec(pg.adminUrl, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fam_checker') THEN CREATE ROLE fam_checker LOGIN PASSWORD 'checker-pw'; END IF; END $$");
    const as = (url: string) => {
      const u = new URL(url);
      u.username = 'fam_checker';
      u.password = 'checker-pw';
      return u.toString();
    };
    const c = FAMILIES['name resolution'][0];
    const report = await checkCompatibility({ blue: { url: as(blueUrl) }, green: { url: as(greenUrl) }, schemas: (c.schemas ?? []).map((x) => expand(x, c, '')), appRole: c.appRole });
    expect(report.changes.map((x) => x.kind)).toContain('name.shadowed');
    expect(report.blue.user).toBe('fam_checker');
  }, 30_000);
});

describe('remediation and role dependence in the report', () => {
  it('text and JSON carry the hint of every incompatible change and warning, and say which verdicts depend on the role', async () => {
    const c = FAMILIES.access.find((x) => x.name === 'acc_no_role_given') as Case;
    const report = reports.get(c.name) ?? (await check(c));
    const json = reportToJson(report) as { changes: Array<{ compatibility: string; hint: string | null; dependsOnRole: boolean }> };
    const broken = json.changes.filter((x) => x.compatibility !== 'compatible');
    expect(broken.length).toBeGreaterThan(0);
    for (const x of broken) {
      expect(x.hint?.length ?? 0).toBeGreaterThan(20);
      expect(x.dependsOnRole).toBe(true);
    }
    const text = formatReportText(report);
    expect(text).toContain(`make it compatible: ${broken[0].hint}`);
    expect(text).toContain('depends on the role the application connects as: pass --app-role');
  });
});
