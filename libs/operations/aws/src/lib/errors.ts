/** Errors of AWS calls, each naming the call (IAM action) and the endpoint it went to. */

/** An AWS call failed; `kind` says how, the message says which call, where, and after how many attempts. */
export class AwsCallError extends Error {
  constructor(
    message: string,
    readonly action: string,
    readonly endpoint: string,
    readonly kind: 'no answer' | 'throttled' | 'server error' | 'access denied' | 'no credentials' | 'not found' | 'refused' | 'failed',
    readonly attempts?: number,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}

/** The command's overall deadline passed while a call was in flight (or before it started). */
export class DeadlineExceededError extends AwsCallError {
  constructor(message: string, action: string, endpoint: string) {
    super(message, action, endpoint, 'no answer');
    this.name = 'DeadlineExceededError';
  }
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: string;
}

/** Classifies an SDK error into an {@link AwsCallError} naming the call and the endpoint. */
export function toAwsCallError(err: unknown, action: string, endpoint: string): AwsCallError {
  if (err instanceof AwsCallError) return err;
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? e.code ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const after = attempts ? ` after ${attempts} attempt(s)` : '';
  const msg = (e.message ?? String(err)).split('\n')[0].slice(0, 300);
  const at = `${action} at ${endpoint}`;
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(name)) {
    return new AwsCallError(`${at}: no AWS credentials (${msg}); sign in first (aws sso login, a profile, or the CI role)`, action, endpoint, 'no credentials', attempts);
  }
  if (name === 'TimeoutError' || /ETIMEDOUT|ESOCKETTIMEDOUT|timed out|socket hang up|ECONNRESET/i.test(`${name} ${msg}`)) {
    return new AwsCallError(`${at}: no answer${after} (${msg})`, action, endpoint, 'no answer', attempts);
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(`${name} ${msg} ${e.code ?? ''}`)) {
    return new AwsCallError(`${at}: cannot connect${after} (${msg})`, action, endpoint, 'refused', attempts);
  }
  if (status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(name)) {
    return new AwsCallError(`${at}: throttled${after} (${name}: ${msg}); retry in a minute`, action, endpoint, 'throttled', attempts);
  }
  if ((status !== undefined && status >= 500) || e.$fault === 'server') {
    return new AwsCallError(`${at}: server error${status ? ` ${status}` : ''}${after} (${name}: ${msg})`, action, endpoint, 'server error', attempts);
  }
  if (status === 403 || /AccessDenied|UnauthorizedOperation|NotAuthorized|Forbidden/i.test(name)) {
    return new AwsCallError(`${at}: access denied (${msg}); the operator policy lists what each command needs (docs/operating.md)`, action, endpoint, 'access denied', attempts);
  }
  if (status === 404 || /NotFound|NoSuchKey|NoSuchBucket/i.test(name)) {
    return new AwsCallError(`${at}: not found (${name}: ${msg})`, action, endpoint, 'not found', attempts);
  }
  return new AwsCallError(`${at}: ${name}: ${msg}`, action, endpoint, 'failed', attempts);
}
