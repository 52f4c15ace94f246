/**
 * The catalog service, carved out of the monolith: it owns `/catalog` and everything under it (the load balancer's
 * rule for this service forwards those paths here, unchanged). A stand-in for a real service: copy this folder to
 * start another one. The contract with the platform: listen on PORT, answer GET /health with 200 while able to serve,
 * stop cleanly on SIGTERM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ServiceInfo {
  /** Reported in every answer, so a smoke test can tell which build served it. */
  readonly version: string;
}

const ITEMS = [
  { id: 'sku-1', name: 'Blue mug' },
  { id: 'sku-2', name: 'Green mug' },
];

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function handle(info: ServiceInfo, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
  if (path === '/health') return send(res, 200, { status: 'ok' });
  if (path === '/catalog' || path === '/catalog/items') return send(res, 200, { service: 'catalog', version: info.version, items: ITEMS });
  const item = /^\/catalog\/items\/([^/]+)$/.exec(path);
  if (item) {
    const found = ITEMS.find((i) => i.id === decodeURIComponent(item[1]));
    return found ? send(res, 200, { service: 'catalog', version: info.version, item: found }) : send(res, 404, { error: `no item ${item[1]}` });
  }
  send(res, 404, { error: `catalog does not serve ${path}` });
}

export function createService(info: ServiceInfo): Server {
  return createServer((req, res) => handle(info, req, res));
}
