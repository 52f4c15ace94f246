/**
 * The deadlines every AWS call of the command line runs under, and how an operator changes them.
 *
 * Per attempt: a TCP/TLS connect timeout and a whole-request timeout (request sent, response read). Per call: a
 * bounded number of attempts (the SDK's standard retry: exponential backoff with jitter, throttling and 5xx
 * retried, quota-limited). Per command: one overall deadline ({@link Deadline}) that aborts whatever is in flight.
 */

export interface AwsTimeouts {
  /** TCP + TLS connect, per attempt. @default 3000 */
  readonly connectTimeoutMs: number;
  /** The whole request (send + response), per attempt. @default 10000 */
  readonly requestTimeoutMs: number;
  /** Attempts per call, the first included (1 = no retry). @default 3 */
  readonly maxAttempts: number;
}

export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = { connectTimeoutMs: 3_000, requestTimeoutMs: 10_000, maxAttempts: 3 };

/**
 * The schema validator runs for up to its function timeout (60 s by default) before it answers: its invocation gets
 * at least this request timeout, and one attempt (a second run would only repeat the same comparison).
 */
export const VALIDATOR_INVOKE_TIMEOUT_MS = 70_000;

/** Overall deadline of each command, seconds. `rollback` is short on purpose: it is the emergency path. */
export const DEFAULT_COMMAND_DEADLINES_S = {
  'traffic status': 30,
  'traffic shift': 150,
  'traffic rollback': 20,
  'state show': 30,
  'migration status': 60,
  'migration cutover': 120,
  'migration rollback': 120,
} as const;

/** `traffic watch` runs for `--minutes`: its deadline is that, plus one interval, plus this margin. */
export const WATCH_DEADLINE_MARGIN_S = 60;

/** The environment variables that change the defaults (flags win over them). */
export const AWS_TIMEOUT_ENV = {
  connectTimeoutMs: 'BLUEGREEN_AWS_CONNECT_TIMEOUT_MS',
  requestTimeoutMs: 'BLUEGREEN_AWS_TIMEOUT_MS',
  maxAttempts: 'BLUEGREEN_AWS_MAX_ATTEMPTS',
  deadlineSeconds: 'BLUEGREEN_DEADLINE_SECONDS',
} as const;

export class TimeoutSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutSettingError';
  }
}

const whole = (name: string, raw: string | number, min: number, max: number): number => {
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new TimeoutSettingError(`${name}: must be a whole number ${min}-${max}, got ${JSON.stringify(raw)}`);
  return n;
};

export interface TimeoutOverrides {
  readonly connectTimeoutMs?: string | number;
  readonly requestTimeoutMs?: string | number;
  readonly maxAttempts?: string | number;
}

/** Defaults, then the environment, then flags; every bad value is refused with its name. */
export function resolveAwsTimeouts(flags: TimeoutOverrides = {}, env: NodeJS.ProcessEnv = process.env): AwsTimeouts {
  const pick = (key: keyof TimeoutOverrides, flag: string, min: number, max: number): number => {
    const f = flags[key];
    if (f !== undefined) return whole(flag, f, min, max);
    const e = env[AWS_TIMEOUT_ENV[key]];
    if (e !== undefined && e !== '') return whole(AWS_TIMEOUT_ENV[key], e, min, max);
    return DEFAULT_AWS_TIMEOUTS[key];
  };
  return {
    connectTimeoutMs: pick('connectTimeoutMs', '--aws-connect-timeout', 100, 120_000),
    requestTimeoutMs: pick('requestTimeoutMs', '--aws-timeout', 100, 600_000),
    maxAttempts: pick('maxAttempts', '--aws-attempts', 1, 10),
  };
}

/** The overall deadline of a command: `--deadline`, else BLUEGREEN_DEADLINE_SECONDS, else the command's default. */
export function resolveDeadlineSeconds(defaultSeconds: number, flag?: string | number, env: NodeJS.ProcessEnv = process.env): number {
  if (flag !== undefined) return whole('--deadline', flag, 1, 86_400);
  const e = env[AWS_TIMEOUT_ENV.deadlineSeconds];
  if (e !== undefined && e !== '') return whole(AWS_TIMEOUT_ENV.deadlineSeconds, e, 1, 86_400);
  return defaultSeconds;
}
