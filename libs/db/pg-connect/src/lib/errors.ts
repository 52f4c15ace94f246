import { redactError, redactSecrets } from '@bluegreen/redact';

/**
 * Classifies whatever `pg` or the network throws into one typed error a tool can act on (fail closed, exit 2)
 * and a person can read (severity, SQLSTATE code, detail, hint).
 */
export type DatabaseErrorKind = 'connection' | 'authentication' | 'timeout' | 'permission' | 'query';

export interface DatabaseErrorFields {
  readonly kind: DatabaseErrorKind;
  /** PostgreSQL severity (`ERROR`, `FATAL`, …); undefined for network errors. */
  readonly severity?: string;
  /** SQLSTATE (`28P01`) or Node.js system error code (`ECONNREFUSED`). */
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  /** Redacted target (`host:port/db`) when known. */
  readonly target?: string;
}

/** The one error type tools see from database code. `message` is written for a person. */
export class DatabaseError extends Error implements DatabaseErrorFields {
  readonly kind: DatabaseErrorKind;
  readonly severity?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly target?: string;

  constructor(message: string, fields: DatabaseErrorFields, options?: { cause?: unknown }) {
    // Driver and server texts may quote a connection string or a registered password: never carry them on.
    super(redactSecrets(message), options?.cause !== undefined ? { cause: redactError(options.cause) } : options);
    this.name = 'DatabaseError';
    this.kind = fields.kind;
    this.severity = fields.severity;
    this.code = fields.code;
    this.detail = fields.detail === undefined ? undefined : redactSecrets(fields.detail);
    this.hint = fields.hint === undefined ? undefined : redactSecrets(fields.hint);
    this.target = fields.target === undefined ? undefined : redactSecrets(fields.target);
  }

  /** A plain object for JSON output and structured logs (never contains credentials). */
  toJSON(): Record<string, string | undefined> {
    return {
      kind: this.kind,
      message: this.message,
      severity: this.severity,
      code: this.code,
      detail: this.detail,
      hint: this.hint,
      target: this.target,
    };
  }

  /** Multi-line human form: `ERROR 28P01: …` then detail and hint lines. */
  format(): string {
    const head = [this.severity, this.code].filter(Boolean).join(' ');
    const lines = [`${head ? `${head}: ` : ''}${this.message}`];
    if (this.target) lines.push(`  target: ${this.target}`);
    if (this.detail) lines.push(`  detail: ${this.detail}`);
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join('\n');
  }
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused: nothing is listening on that host and port',
  ENOTFOUND: 'host name could not be resolved',
  EAI_AGAIN: 'host name resolution failed temporarily',
  ETIMEDOUT: 'connection attempt timed out',
  EHOSTUNREACH: 'host is unreachable',
  ENETUNREACH: 'network is unreachable',
  ECONNRESET: 'connection was reset by the server',
  EPIPE: 'connection was closed by the server',
};

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|HOSTNAME_MISMATCH)/;

interface PgLikeError {
  message?: unknown;
  code?: unknown;
  severity?: unknown;
  detail?: unknown;
  hint?: unknown;
  errors?: unknown;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function kindForSqlState(code: string): DatabaseErrorKind {
  if (code === '28P01' || code === '28000' || code.startsWith('28')) return 'authentication';
  if (code === '57014' || code === '55P03' || code === '25P03' || code === '25P04') return 'timeout';
  if (code === '42501') return 'permission';
  if (code.startsWith('08') || code === '3D000' || code === '53300' || code === '57P01' || code === '57P02' || code === '57P03') {
    return 'connection';
  }
  return 'query';
}

function messageForSqlState(code: string, original: string): string {
  switch (code) {
    case '28P01':
      return `authentication failed: ${original}`;
    case '28000':
      return `authorization rejected: ${original}`;
    case '57014':
      return /statement timeout/i.test(original) ? `statement timeout: ${original}` : `query cancelled: ${original}`;
    case '55P03':
      return `lock timeout: ${original}`;
    case '25P03':
      return `idle-in-transaction timeout: ${original}`;
    case '42501':
      return `permission denied: ${original}`;
    case '3D000':
      return `database does not exist: ${original}`;
    case '53300':
      return `server has no free connection slots: ${original}`;
    default:
      return original;
  }
}

/**
 * Turns any error from `pg` (server ErrorResponse, socket error, TLS error, client timeout) into a DatabaseError.
 * An error that already is a DatabaseError is returned unchanged.
 */
export function classifyPgError(err: unknown, target?: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const e: PgLikeError = typeof err === 'object' && err !== null ? (err as PgLikeError) : { message: String(err) };
  // Node's AggregateError (happy-eyeballs: several addresses failed) carries the real errors inside.
  if (Array.isArray(e.errors) && e.errors.length > 0 && !str(e.code)) return classifyPgError(e.errors[0], target);
  const message = str(e.message) ?? String(err);
  const code = str(e.code);
  const severity = str(e.severity);
  const detail = str(e.detail);
  const hint = str(e.hint);
  const cause = { cause: err };

  // A server ErrorResponse: SQLSTATE is five characters and pg sets severity.
  if (code && /^[0-9A-Z]{5}$/.test(code) && severity) {
    return new DatabaseError(messageForSqlState(code, message), { kind: kindForSqlState(code), severity, code, detail, hint, target }, cause);
  }
  if (code && NETWORK_CODES[code]) {
    return new DatabaseError(`cannot connect: ${NETWORK_CODES[code]} (${message})`, { kind: code === 'ETIMEDOUT' ? 'timeout' : 'connection', code, target, hint: 'check the host, port, security groups and that the server is running' }, cause);
  }
  if ((code && TLS_CODE.test(code)) || /certificate|self[- ]signed|SSL|TLS/i.test(message)) {
    return new DatabaseError(`TLS negotiation failed: ${message}`, { kind: 'connection', code, target, hint: 'check the server certificate against the CA bundle and the host name' }, cause);
  }
  if (/timeout expired|connection timeout|Query read timeout/i.test(message)) {
    return new DatabaseError(`timed out: ${message}`, { kind: 'timeout', code: code ?? 'CLIENT_TIMEOUT', target }, cause);
  }
  if (/password|SASL|SCRAM|authentication/i.test(message)) {
    return new DatabaseError(`authentication failed: ${message}`, { kind: 'authentication', code, target }, cause);
  }
  if (/Connection terminated|ECONN|socket|getaddrinfo|connect /i.test(message)) {
    return new DatabaseError(`connection lost: ${message}`, { kind: 'connection', code, target }, cause);
  }
  return new DatabaseError(message, { kind: 'query', severity, code, detail, hint, target }, cause);
}
