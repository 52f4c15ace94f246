/**
 * Deadlines for the calls the validator makes (Secrets Manager, each database connect, the catalog queries): each
 * gets its own timeout, and all of them end before the Lambda's own timeout, with a margin to return a result
 * that says which call did not answer ("could not check") instead of being killed mid-call.
 */

/** A call that did not answer within its time: the result names it. */
export class CallTimeoutError extends Error {
  constructor(
    readonly call: string,
    readonly ms: number,
    readonly colour?: 'blue' | 'green',
  ) {
    super(`could not check: ${call} did not answer within ${ms} ms`);
    this.name = 'CallTimeoutError';
  }
}

/** When no Lambda context is given (tests, local runs): the construct's default function timeout. */
export const DEFAULT_REMAINING_MS = 60_000;

/** The time kept back to log and return the result: 10 % of what is left, at least 1 s, at most 5 s. */
export function marginFor(remainingMs: number): number {
  return Math.min(5_000, Math.max(1_000, Math.round(remainingMs * 0.1)));
}

export interface Deadline {
  /** Milliseconds left for calls (0 when the budget is spent). */
  left(): number;
  /** `min(wanted, left())`, at least 1 ms. */
  budget(wantedMs: number): number;
  readonly totalMs: number;
}

/** The call budget of one invocation, from `context.getRemainingTimeInMillis()`. */
export function deadlineFrom(context: { getRemainingTimeInMillis?: () => number } | undefined, now = Date.now()): Deadline {
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : DEFAULT_REMAINING_MS;
  const totalMs = Math.max(0, remaining - marginFor(remaining));
  const end = now + totalMs;
  const left = () => Math.max(0, end - Date.now());
  return { left, budget: (wanted) => Math.max(1, Math.min(wanted, left())), totalMs };
}

/**
 * Runs `fn` with an AbortSignal that fires after `ms`; rejects with CallTimeoutError at that moment whether or
 * not `fn` honours the signal. A value that arrives late is handed to `onLate` (close a connection that opened
 * after we gave up).
 */
export function withDeadline<T>(call: string, ms: number, fn: (signal: AbortSignal) => Promise<T>, options: { colour?: 'blue' | 'green'; onLate?: (value: T) => void } = {}): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      controller.abort();
      reject(new CallTimeoutError(call, ms, options.colour));
    }, ms);
    fn(controller.signal).then(
      (value) => {
        clearTimeout(timer);
        if (done) options.onLate?.(value);
        else resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (!done) reject(err);
      },
    );
  });
}
