import { DeadlineExceededError } from './errors';

/**
 * One command's overall deadline. Every client made by {@link createAwsClients} with it passes its `signal` to each
 * call, so what is in flight is aborted when it passes; {@link Deadline.race} is the backstop for anything that
 * does not listen to the signal. The error names the call that was waiting and its endpoint.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();
  private readonly inFlight = new Map<number, { action: string; endpoint: () => string }>();
  private seq = 0;
  private last?: { action: string; endpoint: () => string };

  constructor(
    readonly seconds: number,
    readonly command: string,
  ) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => this.controller.abort(this.error()), seconds * 1000);
    this.timer.unref();
  }

  get expired(): boolean {
    return this.signal.aborted;
  }

  /** `the 20 s deadline of traffic rollback` */
  get description(): string {
    return `the ${this.seconds} s deadline of ${this.command}`;
  }

  elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** Marks a call in flight; returns its end marker. */
  begin(action: string, endpoint: () => string): () => void {
    const id = ++this.seq;
    const entry = { action, endpoint };
    this.inFlight.set(id, entry);
    this.last = entry;
    return () => this.inFlight.delete(id);
  }

  /** The error for a call cut off by the deadline (or the calls in flight now). */
  error(action?: string, endpoint?: string): DeadlineExceededError {
    const calls = action ? [{ action, endpoint: endpoint ?? 'unknown endpoint' }] : [...this.inFlight.values()].map((c) => ({ action: c.action, endpoint: c.endpoint() }));
    if (calls.length === 0 && this.last) calls.push({ action: this.last.action, endpoint: this.last.endpoint() });
    const waiting = calls.length ? ` while waiting for ${calls.map((c) => `${c.action} at ${c.endpoint}`).join(', ')}` : '';
    return new DeadlineExceededError(`${this.description} passed${waiting}`, calls[0]?.action ?? '(none)', calls[0]?.endpoint ?? '(none)');
  }

  /** Resolves with `work`, or rejects `graceMs` after the deadline if `work` has not settled by then. */
  race<T>(work: Promise<T>, graceMs = 2_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const backstop = setTimeout(() => reject(this.error()), Math.max(0, this.seconds * 1000 - this.elapsedMs()) + graceMs);
      backstop.unref();
      work.then(
        (v) => {
          clearTimeout(backstop);
          resolve(v);
        },
        (e) => {
          clearTimeout(backstop);
          reject(e);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
