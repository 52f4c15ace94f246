/**
 * The load generator: bounded, loopback only, stops by itself. Sends writes (each with a unique id) and reads of
 * acknowledged ids through the proxy at a fixed rate (open loop: a slow target does not slow the arrivals).
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Colour } from '@bluegreen/contract';

export interface LoadRequest {
  readonly kind: 'write' | 'read';
  /** The write's id, or the id read. */
  readonly id: string;
  /** ms since the rehearsal's epoch. */
  readonly start: number;
  readonly end: number;
  /** HTTP status; 0 when no response came (connection error, timeout). */
  readonly status: number;
  /** The colour the proxy routed it to (x-served-by), when it answered. */
  readonly servedBy?: Colour;
  readonly error?: string;
}

export interface LoadOptions {
  /** The proxy's port on 127.0.0.1 (the only host the generator talks to). */
  readonly port: number;
  /** Requests per second, 1-500. */
  readonly rate: number;
  /** The generator stops sending after this, ms (it also stops when `stop()` is called). */
  readonly durationMs: number;
  /** Share of writes, 0-1. @default 0.5 */
  readonly writeShare?: number;
  /** A request without a response after this counts as failed, ms. @default 15000 */
  readonly timeoutMs?: number;
  /** Times are ms since this Date.now() value. */
  readonly epoch: number;
}

export interface LoadGenerator {
  /** Stop sending; resolves when every request sent has its answer (or its timeout). */
  stop(): Promise<void>;
  /** Resolves once the duration is over and every request is answered. */
  readonly done: Promise<void>;
  requests(): readonly LoadRequest[];
  /** Ids of the writes answered 201: acknowledged to the client. */
  acknowledged(): readonly { id: string; at: number }[];
}

const MAX_IN_FLIGHT = 1000;

export function startLoad(o: LoadOptions): LoadGenerator {
  if (!Number.isInteger(o.port) || o.port <= 0) throw new Error(`load: port must be the proxy's port, got ${o.port}`);
  if (!(o.rate >= 1 && o.rate <= 500)) throw new Error(`load: rate must be 1-500 requests per second, got ${o.rate}`);
  if (!(o.durationMs > 0 && o.durationMs <= 3_600_000)) throw new Error(`load: duration must be more than 0 and at most 1 h, got ${o.durationMs} ms`);
  const writeShare = o.writeShare ?? 0.5;
  const timeoutMs = o.timeoutMs ?? 15_000;
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const run = randomBytes(3).toString('hex');
  const results: LoadRequest[] = [];
  const acked: { id: string; at: number }[] = [];
  const now = () => Date.now() - o.epoch;
  const began = Date.now();
  let sent = 0;
  let writes = 0;
  let inFlight = 0;
  let stopped = false;
  let idle: (() => void) | undefined;

  const send = (kind: 'write' | 'read') => {
    const id = kind === 'write' ? `w-${run}-${++writes}` : acked.length ? acked[Math.floor(Math.random() * acked.length)].id : 'initial-1';
    const body = kind === 'write' ? JSON.stringify({ id, payload: `payload of ${id}` }) : undefined;
    const start = now();
    inFlight++;
    let settled = false;
    const settle = (status: number, servedBy?: Colour, error?: string) => {
      if (settled) return;
      settled = true;
      inFlight--;
      const end = now();
      results.push({ kind, id, start, end, status, servedBy, error });
      if (kind === 'write' && status === 201) acked.push({ id, at: end });
      if (inFlight === 0 && idle) idle();
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: o.port,
        method: kind === 'write' ? 'POST' : 'GET',
        path: kind === 'write' ? '/items' : `/items/${id}`,
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const served = res.headers['x-served-by'];
        res.resume();
        res.on('end', () => settle(res.statusCode ?? 0, served === 'blue' || served === 'green' ? served : undefined));
        res.on('error', (err) => settle(0, undefined, err.message));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    req.on('error', (err) => settle(0, undefined, err.message));
    req.end(body);
  };

  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  const drain = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (idle = r)));
  const tick = setInterval(() => {
    const elapsed = Date.now() - began;
    if (stopped || elapsed >= o.durationMs) {
      clearInterval(tick);
      stopped = true;
      void drain().then(() => {
        agent.destroy();
        finish();
      });
      return;
    }
    const due = Math.floor((elapsed / 1000) * o.rate);
    while (sent < due && inFlight < MAX_IN_FLIGHT) {
      // A fixed interleaving (not random) so that every run sends the same mix.
      const kind = Math.floor((sent + 1) * writeShare) > Math.floor(sent * writeShare) ? 'write' : 'read';
      sent++;
      send(kind);
    }
  }, 10);

  return {
    done: finished,
    async stop() {
      stopped = true;
      await finished;
    },
    requests: () => results,
    acknowledged: () => acked,
  };
}
