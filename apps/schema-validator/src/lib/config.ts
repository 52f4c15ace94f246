/**
 * Where the validator connects. RDS-managed master secrets hold only `username` and `password`, so the endpoint
 * comes from the function's environment (set by Terraform from the cluster outputs). A secret that also carries
 * `host`/`port`/`dbname` (the classic RDS secret shape) fills whatever the environment leaves out.
 *
 * The event can NOT choose a host: a caller able to invoke the function must not be able to send the database
 * password to a server of its choosing.
 */
export type Colour = 'blue' | 'green';

export interface ValidatorEvent {
  /** Secret with the blue credentials. @default env BLUE_SECRET_ARN */
  readonly blueSecretArn?: string;
  /** Secret with the green credentials. @default env GREEN_SECRET_ARN */
  readonly greenSecretArn?: string;
  /**
   * The service whose schema to check (`services.<name>` of the environment's config): its `databaseSchema` and
   * `databaseRole`, from env VALIDATOR_SERVICES, which the stack sets from config. Not together with `schemas`.
   * @default - no service: `schemas`, or env VALIDATOR_SCHEMAS
   */
  readonly service?: string;
  /** Schemas to compare. @default env VALIDATOR_SCHEMAS (comma-separated), else every non-system schema */
  readonly schemas?: readonly string[];
  /** Schemas to leave out. @default [] */
  readonly excludeSchemas?: readonly string[];
  /** Role the application connects as. @default env VALIDATOR_APP_ROLE, else none */
  readonly appRole?: string;
}

export interface Endpoint {
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
}

export interface ResolvedTarget {
  readonly secretArn: string;
  readonly endpoint: Endpoint;
}

export interface ResolvedEvent {
  readonly blue: ResolvedTarget;
  readonly green: ResolvedTarget;
  /** The service checked, when the event named one. */
  readonly service?: string;
  readonly schemas: readonly string[];
  readonly excludeSchemas: readonly string[];
  readonly appRole?: string;
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

const ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const IDENT = /^[^\0]{1,63}$/;

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    problems.push(`env ${name}: must be a positive integer, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return n;
}

function stringList(value: unknown, field: string, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && IDENT.test(s))) {
    problems.push(`${field}: must be an array of schema names, got ${JSON.stringify(value)}`);
    return [];
  }
  return value as string[];
}

/** What env VALIDATOR_SERVICES holds per service: the schema it owns and, where config names one, its role. */
export interface ServiceSchema {
  readonly schema: string;
  readonly appRole?: string;
}

/** The services' schemas from env VALIDATOR_SERVICES (JSON, set by the stack from config); {} when unset. */
export function serviceSchemasFromEnv(env: NodeJS.ProcessEnv, problems: string[]): Record<string, ServiceSchema> {
  const raw = env.VALIDATOR_SERVICES;
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push('env VALIDATOR_SERVICES: must be JSON ({"<service>": {"schema": "<schema>"}})');
    return {};
  }
  const out: Record<string, ServiceSchema> = {};
  const bad = () => problems.push(`env VALIDATOR_SERVICES: must map each service to {"schema": "<schema>", "appRole"?: "<role>"}, got ${JSON.stringify(raw).slice(0, 200)}`);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    bad();
    return {};
  }
  for (const [name, v] of Object.entries(parsed as Record<string, unknown>)) {
    const entry = v as Record<string, unknown> | null;
    if (!entry || typeof entry.schema !== 'string' || !IDENT.test(entry.schema) || (entry.appRole !== undefined && (typeof entry.appRole !== 'string' || !IDENT.test(entry.appRole)))) {
      bad();
      return {};
    }
    out[name] = { schema: entry.schema, ...(typeof entry.appRole === 'string' ? { appRole: entry.appRole } : {}) };
  }
  return out;
}

/** Validates the event against the environment; every problem is reported at once, by field. */
export function resolveEvent(event: unknown, env: NodeJS.ProcessEnv): ResolvedEvent {
  const problems: string[] = [];
  const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  if (event !== undefined && event !== null && typeof event !== 'object') problems.push(`event: must be an object, got ${typeof event}`);
  const known = new Set(['blueSecretArn', 'greenSecretArn', 'service', 'schemas', 'excludeSchemas', 'appRole']);
  for (const k of Object.keys(e)) if (!known.has(k)) problems.push(`event.${k}: unknown field (allowed: ${[...known].join(', ')})`);

  const target = (colour: Colour): ResolvedTarget => {
    const upper = colour.toUpperCase();
    const field = `${colour}SecretArn`;
    const arn = e[field] ?? env[`${upper}_SECRET_ARN`];
    if (typeof arn !== 'string' || !ARN.test(arn)) problems.push(`event.${field}: must be a Secrets Manager secret ARN (or set env ${upper}_SECRET_ARN), got ${JSON.stringify(arn ?? null)}`);
    const portRaw = env[`${upper}_DB_PORT`];
    let port: number | undefined;
    if (portRaw) {
      port = Number(portRaw);
      if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`env ${upper}_DB_PORT: must be a port number, got ${JSON.stringify(portRaw)}`);
    }
    return { secretArn: String(arn), endpoint: { host: env[`${upper}_DB_HOST`] || undefined, port, database: env[`${upper}_DB_NAME`] || undefined } };
  };
  const blue = target('blue');
  const green = target('green');
  // A service names its schema (and role) through config; the event cannot name a schema for it.
  let service: ServiceSchema | undefined;
  if (e.service !== undefined) {
    const services = serviceSchemasFromEnv(env, problems);
    const names = Object.keys(services);
    if (typeof e.service !== 'string' || !Object.prototype.hasOwnProperty.call(services, e.service)) {
      problems.push(`event.service: must be a service of this environment (${names.length > 0 ? names.join(', ') : 'none configured: env VALIDATOR_SERVICES is not set'}), got ${JSON.stringify(e.service)}`);
    } else service = services[e.service];
    if (e.schemas !== undefined) problems.push('event.schemas: must not be given with event.service (the service\'s schema comes from config: services.<name>.databaseSchema)');
  }
  const schemas = service
    ? [service.schema]
    : e.schemas !== undefined
      ? stringList(e.schemas, 'event.schemas', problems)
      : (env.VALIDATOR_SCHEMAS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const excludeSchemas = stringList(e.excludeSchemas, 'event.excludeSchemas', problems);
  const appRole = e.appRole ?? service?.appRole ?? (env.VALIDATOR_APP_ROLE || undefined);
  if (appRole !== undefined && (typeof appRole !== 'string' || !IDENT.test(appRole))) problems.push(`event.appRole: must be a role name, got ${JSON.stringify(appRole)}`);
  const resolved: ResolvedEvent = {
    blue,
    green,
    ...(service ? { service: e.service as string } : {}),
    schemas,
    excludeSchemas,
    appRole: appRole as string | undefined,
    statementTimeoutMs: intFromEnv(env, 'VALIDATOR_STATEMENT_TIMEOUT_MS', 20_000, problems),
    lockTimeoutMs: intFromEnv(env, 'VALIDATOR_LOCK_TIMEOUT_MS', 3_000, problems),
    connectTimeoutMs: intFromEnv(env, 'VALIDATOR_CONNECT_TIMEOUT_MS', 5_000, problems),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return resolved;
}

export interface DatabaseSecret {
  readonly username: string;
  readonly password: string;
  readonly host?: string;
  readonly port?: number;
  readonly dbname?: string;
}

/** Parses a secret string; errors never include the secret's content. */
export function parseSecret(colour: Colour, secretString: string | undefined): DatabaseSecret {
  if (!secretString) throw new ConfigurationError([`${colour} secret: has no SecretString (binary secrets are not supported)`]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new ConfigurationError([`${colour} secret: SecretString is not JSON`]);
  }
  const s = parsed as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof s.username !== 'string' || !s.username) problems.push(`${colour} secret: field username must be a non-empty string`);
  if (typeof s.password !== 'string' || !s.password) problems.push(`${colour} secret: field password must be a non-empty string`);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    username: s.username as string,
    password: s.password as string,
    host: typeof s.host === 'string' ? s.host : undefined,
    port: typeof s.port === 'number' ? s.port : typeof s.port === 'string' ? Number(s.port) : undefined,
    dbname: typeof s.dbname === 'string' ? s.dbname : undefined,
  };
}
