/**
 * The domain model: a frozen, plain-data snapshot of one database's schema, keyed by qualified names
 * (`public.orders`, `public.order_total(bigint)`). Built from the raw catalog rows by `parseSnapshot`.
 */
export type RelationKind = 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table';

export interface SequenceOptions {
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
}

export interface Column {
  readonly name: string;
  /** 1-based position (attnum). */
  readonly position: number;
  /** `format_type` with modifiers: `character varying(20)`, `numeric(10,2)`, `public.mood[]`. */
  readonly type: string;
  readonly typeSchema: string;
  readonly typeName: string;
  /** pg_type.typtype: b base, e enum, d domain, c composite, r range. */
  readonly typeKind: string;
  readonly typmod: number;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly identity: 'always' | 'by default' | null;
  readonly identitySequence: SequenceOptions | null;
  readonly generated: 'stored' | 'virtual' | null;
  readonly generationExpression: string | null;
  /** `null` (type has no collation), `default`, or `schema.collation`. */
  readonly collation: string | null;
  /** Whether the column's collation compares by bytes after normalisation (false: e.g. case-insensitive ICU). */
  readonly collationDeterministic: boolean | null;
  /** What the collation does (`provider:collate:ctype:locale`, `default` for the database default). */
  readonly collationKey: string | null;
  /** When the column's type is a domain: its base type and whether the domain adds anything to it. */
  readonly domainBase: DomainBase | null;
  /** 1-based position among the live columns (what `SELECT *` and `INSERT` without a column list see). */
  readonly ordinal: number;
  /** `schema.sequence` behind an identity column. */
  readonly identitySequenceName: string | null;
  readonly isLocal: boolean;
  readonly inheritedCount: number;
}

export interface DomainBase {
  readonly type: string;
  readonly typeName: string;
  readonly typeSchema: string;
  readonly typmod: number;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  /** Number of CHECK constraints of the domain. */
  readonly checks: number;
}

export type ConstraintType = 'primary key' | 'unique' | 'foreign key' | 'check' | 'exclusion';

export interface Constraint {
  readonly name: string;
  readonly type: ConstraintType;
  readonly definition: string;
  readonly deferrable: boolean;
  readonly deferred: boolean;
  readonly validated: boolean;
  readonly noInherit: boolean;
  readonly columns: readonly string[];
  /** Referenced table of a foreign key (`schema.table`). */
  readonly references: string | null;
}

export interface Index {
  readonly name: string;
  /** `CREATE [UNIQUE] INDEX name ON schema.table USING …`; empty for an index that backs a constraint. */
  readonly definition: string;
  readonly unique: boolean;
  readonly primary: boolean;
  readonly valid: boolean;
  /** The constraint this index backs (primary key, unique, exclusion), if any. */
  readonly constraint: string | null;
}

export interface Trigger {
  readonly name: string;
  readonly definition: string;
  readonly timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  readonly events: readonly ('INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE')[];
  readonly level: 'ROW' | 'STATEMENT';
  readonly function: string;
  /** `O` origin (enabled), `D` disabled, `R` replica, `A` always. */
  readonly enabled: string;
  readonly isConstraint: boolean;
}

export interface Policy {
  readonly name: string;
  readonly permissive: boolean;
  readonly command: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'ALL';
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly withCheck: string | null;
}

export interface RewriteRule {
  readonly name: string;
  readonly event: 'SELECT' | 'UPDATE' | 'INSERT' | 'DELETE';
  readonly instead: boolean;
  readonly definition: string;
}

export interface Relation {
  readonly schema: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly kind: RelationKind;
  readonly unlogged: boolean;
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  readonly replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
  readonly isPartition: boolean;
  readonly partitionBound: string | null;
  readonly partitionKey: string | null;
  /** Inheritance / partition parents (`schema.table`). */
  readonly parents: readonly string[];
  readonly viewDefinition: string | null;
  readonly options: readonly string[];
  readonly acl: readonly string[];
  readonly owner: string;
  /** Rewrite rules (`CREATE RULE`), the view's own SELECT rule excluded. */
  readonly rules: readonly RewriteRule[];
  /** For a view: the statements it accepts (automatically updatable, or through rules / INSTEAD OF triggers). */
  readonly updatable: { readonly insert: boolean; readonly update: boolean; readonly delete: boolean } | null;
  /** For a view: the relations its query reads (`schema.name`). */
  readonly viewDependencies: readonly string[];
  readonly columns: readonly Column[];
  readonly constraints: Readonly<Record<string, Constraint>>;
  readonly indexes: Readonly<Record<string, Index>>;
  readonly triggers: Readonly<Record<string, Trigger>>;
  readonly policies: Readonly<Record<string, Policy>>;
}

export interface Sequence extends SequenceOptions {
  readonly schema: string;
  readonly name: string;
  readonly qualifiedName: string;
  /** `schema.table.column` of an OWNED BY column (serial) or of the identity column the sequence feeds. */
  readonly ownedBy: string | null;
  /** The sequence belongs to an identity column (`ownedBy`) rather than being a plain or serial sequence. */
  readonly identity: boolean;
  readonly acl: readonly string[];
}

export interface TypeAttribute {
  readonly name: string;
  readonly type: string;
  readonly position: number;
}

export interface TypeObject {
  readonly schema: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly kind: 'enum' | 'domain' | 'composite' | 'range';
  readonly labels: readonly string[];
  readonly baseType: string | null;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly checks: readonly string[];
  readonly rangeSubtype: string | null;
  readonly collation: string | null;
  readonly attributes: readonly TypeAttribute[];
  readonly acl: readonly string[];
}

export interface FunctionObject {
  readonly schema: string;
  readonly name: string;
  /** `schema.name(identity arguments)`. */
  readonly qualifiedName: string;
  readonly kind: 'function' | 'procedure' | 'aggregate' | 'window';
  readonly identityArguments: string;
  /** Full argument list, with names and defaults. */
  readonly arguments: string;
  readonly result: string | null;
  readonly language: string;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  readonly parallel: string;
  readonly config: readonly string[];
  readonly body: string | null;
  readonly acl: readonly string[];
  /** Argument types, in order: what call resolution needs. */
  readonly argTypes: readonly ArgumentType[];
  readonly argDefaults: number;
  readonly variadic: boolean;
}

export interface ArgumentType {
  /** `schema.typname`: `pg_catalog.int4`. */
  readonly name: string;
  /** pg_type.typcategory: N numeric, S string, D date/time, B boolean, … */
  readonly category: string;
  readonly preferred: boolean;
}

export interface Extension {
  readonly name: string;
  readonly version: string;
  readonly schema: string;
}

export interface SchemaObject {
  readonly name: string;
  readonly acl: readonly string[];
}

export interface AppRolePrivileges {
  readonly role: string;
  readonly exists: boolean;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  /** Roles whose privileges the role has (itself, and every role it inherits from). */
  readonly memberOf: readonly string[];
  /** `search_path` set for the role in this database, then for the role anywhere (null: not set). */
  readonly searchPath: { readonly roleInDatabase: string | null; readonly role: string | null };
  /**
   * `relation:public.orders` -> ['SELECT', 'INSERT', …, 'OWNER' when it owns it]; `column:public.orders.note` for
   * columns with their own grants; `sequence:…`, `function:…`, `schema:…`.
   */
  readonly privileges: Readonly<Record<string, readonly string[]>>;
}

export interface DefaultPrivilege {
  /** The role whose new objects get these grants. */
  readonly role: string;
  /** null: in every schema. */
  readonly schema: string | null;
  readonly objectType: 'table' | 'sequence' | 'function' | 'type' | 'schema';
  readonly acl: readonly string[];
}

export interface DatabaseSettings {
  /** `search_path` set for the database (ALTER DATABASE … SET), null when not set. */
  readonly searchPath: string | null;
  /** The server's `search_path`; `assumed` when a setting of the checking session hid it and the built-in default is used. */
  readonly serverSearchPath: { readonly value: string; readonly assumed: boolean };
  readonly defaultPrivileges: readonly DefaultPrivilege[];
  /** What the database default collation does (`provider:collate:ctype:locale`). */
  readonly collation: string;
}

export interface SchemaSnapshot {
  /** The selected (compared) schemas. */
  readonly schemas: Readonly<Record<string, SchemaObject>>;
  /** Every non-system schema of the database, selected or not (to check schema filters against). */
  readonly existingSchemas: readonly string[];
  readonly relations: Readonly<Record<string, Relation>>;
  readonly sequences: Readonly<Record<string, Sequence>>;
  readonly types: Readonly<Record<string, TypeObject>>;
  readonly functions: Readonly<Record<string, FunctionObject>>;
  readonly extensions: Readonly<Record<string, Extension>>;
  readonly appRole: AppRolePrivileges | null;
  readonly database: DatabaseSettings;
  /** How many catalog queries were run to read this snapshot. */
  readonly catalogQueries: number;
}
