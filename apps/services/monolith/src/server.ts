/**
 * The monolith's stand-in: answers every path the load balancer does not route to a carved-out service. Replace this
 * folder's `src` with the real application (or its Dockerfile with the real build); the contract with the platform is
 * small: listen on PORT, answer GET /health with 200 while able to serve, stop cleanly on SIGTERM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ServiceInfo {
  /** Reported in every answer, so a smoke test can tell which build served it. */
  readonly version: string;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function handle(info: ServiceInfo, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
  if (path === '/health') return send(res, 200, { status: 'ok' });
  send(res, 200, { service: 'monolith', version: info.version, path });
}

export function createService(info: ServiceInfo): Server {
  return createServer((req, res) => handle(info, req, res));
}
