/**
 * The load balancer stand-in: a weighted reverse proxy on loopback in front of the blue and green processes. Its
 * weights are what ModifyListener sets on the ALB's weighted forward; its request log is what CloudWatch's
 * RequestCount / HTTPCode_Target_5XX_Count / TargetResponseTime are computed from; its health checks are the
 * target group's.
 */
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Colour } from '@bluegreen/contract';

export interface ProxyWeights {
  readonly blue: number;
  readonly green: number;
}

/** One request as the proxy saw it (the ALB access log line). */
export interface ProxyLogEntry {
  /** ms since the proxy started, when the request was routed. */
  readonly at: number;
  /** ms since the proxy started, when the response (or the error) was complete. */
  readonly end: number;
  readonly colour: Colour;
  readonly status: number;
  /** The target's response time, ms (TargetResponseTime). */
  readonly durationMs: number;
  /** The proxy answered itself (502/504: the target failed to answer): an ELB 5xx, not a target 5xx. */
  readonly byProxy: boolean;
}

export interface TargetHealth {
  readonly healthy: number;
  readonly unhealthy: number;
}

export interface WeightedProxy {
  readonly port: number;
  /** The Date.now() value log times are relative to. */
  readonly startedAt: number;
  weights(): ProxyWeights;
  setWeights(w: ProxyWeights): void;
  /** Completed requests, in completion order. */
  log(): readonly ProxyLogEntry[];
  health(colour: Colour): TargetHealth;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  readonly targets: Readonly<Record<Colour, number>>;
  /** Health check interval, ms. @default 500 */
  readonly healthIntervalMs?: number;
  /** Consecutive failed checks before a target is unhealthy (the ALB's UnhealthyThresholdCount). @default 2 */
  readonly unhealthyThreshold?: number;
  /** The target must answer within this (504 otherwise). @default 15000 */
  readonly targetTimeoutMs?: number;
  /** Log times are ms since this Date.now() value. @default - when the proxy starts */
  readonly epoch?: number;
}

export async function startProxy(options: ProxyOptions): Promise<WeightedProxy> {
  const startedAt = options.epoch ?? Date.now();
  const now = () => Date.now() - startedAt;
  let weights: ProxyWeights = { blue: 100, green: 0 };
  const log: ProxyLogEntry[] = [];
  const failures: Record<Colour, number> = { blue: 0, green: 0 };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const threshold = options.unhealthyThreshold ?? 2;
  const timeoutMs = options.targetTimeoutMs ?? 15_000;
  let routed = 0;

  // Smooth, deterministic weighting: request n goes to green when floor((n+1)·g/100) > floor(n·g/100).
  const pick = (): Colour => {
    const n = routed++;
    const g = weights.green;
    return Math.floor(((n + 1) * g) / 100) > Math.floor((n * g) / 100) ? 'green' : 'blue';
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const colour = pick();
    const at = now();
    const started = performance.now();
    let done = false;
    const finish = (status: number, headers: Record<string, string | string[] | undefined>, body?: IncomingMessage | string) => {
      if (done) return;
      done = true;
      res.writeHead(status, { ...headers, 'x-served-by': colour });
      if (typeof body === 'string' || body === undefined) {
        res.end(body);
        log.push({ at, end: now(), colour, status, durationMs: performance.now() - started, byProxy: true });
      } else {
        body.pipe(res);
        body.on('end', () => log.push({ at, end: now(), colour, status, durationMs: performance.now() - started, byProxy: false }));
        body.on('error', () => log.push({ at, end: now(), colour, status: 502, durationMs: performance.now() - started, byProxy: true }));
      }
    };
    const up = request(
      { host: '127.0.0.1', port: options.targets[colour], method: req.method, path: req.url, headers: req.headers, agent, timeout: timeoutMs },
      (upRes) => finish(upRes.statusCode ?? 502, upRes.headers, upRes),
    );
    up.on('timeout', () => {
      up.destroy();
      finish(504, { 'content-type': 'text/plain' }, `${colour} target timed out\n`);
    });
    up.on('error', (err) => finish(502, { 'content-type': 'text/plain' }, `${colour} target: ${err.message}\n`));
    req.pipe(up);
  };

  const server: Server = createServer(forward);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const check = async (colour: Colour) => {
    try {
      const res = await fetch(`http://127.0.0.1:${options.targets[colour]}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      failures[colour] = res.ok ? 0 : failures[colour] + 1;
    } catch {
      failures[colour]++;
    }
  };
  const timer = setInterval(() => void Promise.all([check('blue'), check('green')]), options.healthIntervalMs ?? 500);
  await Promise.all([check('blue'), check('green')]);

  return {
    port,
    startedAt,
    weights: () => weights,
    setWeights(w) {
      if (!Number.isInteger(w.blue) || !Number.isInteger(w.green) || w.blue < 0 || w.green < 0 || w.blue + w.green !== 100) {
        throw new Error(`listener weights must be whole numbers summing to 100, got blue ${w.blue} / green ${w.green}`);
      }
      weights = { blue: w.blue, green: w.green };
    },
    log: () => log,
    health: (colour) => (failures[colour] >= threshold ? { healthy: 0, unhealthy: 1 } : { healthy: 1, unhealthy: 0 }),
    async stop() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
