/**
 * The application stand-in: one colour's service as its own process (started by ./app.ts). A small node:http
 * service that writes and reads the database it is pointed at, with selectable faults. Configured by environment
 * variables at start and by `/_admin/*` calls from the rehearsal (never through the proxy):
 *
 *   POST /items {id, payload}   insert one row; 201 once committed (an acknowledged write)
 *   GET  /items/:id             read it back through the `item_summary` view (the old version's query)
 *   GET  /health                200 while the process can reach its database
 *   POST /_admin/database {url} point the service at another database (what a redeploy with a new endpoint does)
 *   POST /_admin/writes {paused} hold writes (they wait, they do not fail) / release them; answers once in-flight writes are done
 *   POST /_admin/faults {errorRate, latencyMs, crashAfterRequests}
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { READ_SQL, WRITE_SQL } from './schema';

interface Faults {
  errorRate: number;
  latencyMs: number;
  crashAfterRequests: number;
}

const colour = process.env.REHEARSAL_COLOUR ?? 'unknown';
const version = process.env.REHEARSAL_VERSION ?? 'unknown';
let pool = newPool(process.env.REHEARSAL_DATABASE_URL ?? '');
let faults: Faults = { errorRate: 0, latencyMs: 0, crashAfterRequests: 0 };
let faultRequests = 0;
let served = 0;
let paused: Promise<void> | undefined;
let release: (() => void) | undefined;
let writesInFlight = 0;
const writesDone: (() => void)[] = [];

function newPool(url: string): Pool {
  const p = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000, statement_timeout: 5000, application_name: `rehearsal-${colour}` });
  p.on('error', () => undefined);
  return p;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-app-version': version });
  res.end(text);
}

function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (text += d));
    req.on('end', () => {
      try {
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

/** A deterministic error pattern at `errorRate`: request n fails when round((n+1)·rate) > round(n·rate) (3 %: the 17th, 50th, 83rd, …). */
function injectedError(): boolean {
  if (faults.errorRate <= 0) return false;
  const n = faultRequests++;
  return Math.round((n + 1) * faults.errorRate) > Math.round(n * faults.errorRate);
}

async function write(id: string, payload: string): Promise<void> {
  while (paused) await paused;
  writesInFlight++;
  try {
    await pool.query(WRITE_SQL, [id, colour, payload]);
  } finally {
    writesInFlight--;
    if (writesInFlight === 0) writesDone.splice(0).forEach((f) => f());
  }
}

async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const b = await body(req);
  if (path === '/_admin/database' && typeof b.url === 'string') {
    const old = pool;
    pool = newPool(b.url);
    await pool.query('SELECT 1');
    void old.end().catch(() => undefined);
    return send(res, 200, { ok: true });
  }
  if (path === '/_admin/writes') {
    if (b.paused === true && !paused) paused = new Promise((r) => (release = r));
    if (b.paused === false && paused) {
      paused = undefined;
      release?.();
    }
    if (b.paused === true && writesInFlight > 0) await new Promise<void>((r) => writesDone.push(r));
    return send(res, 200, { paused: paused !== undefined, writesInFlight });
  }
  if (path === '/_admin/faults') {
    faults = { errorRate: Number(b.errorRate ?? 0), latencyMs: Number(b.latencyMs ?? 0), crashAfterRequests: Number(b.crashAfterRequests ?? 0) };
    faultRequests = 0;
    served = 0;
    return send(res, 200, faults);
  }
  send(res, 404, { error: `no admin call ${path}` });
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  void (async () => {
    try {
      if (path.startsWith('/_admin/')) return await admin(req, res, path);
      if (path === '/health') {
        await pool.query('SELECT 1');
        return send(res, 200, { colour, version });
      }
      served++;
      if (faults.crashAfterRequests > 0 && served >= faults.crashAfterRequests) process.exit(70);
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
      if (injectedError()) return send(res, 500, { error: 'injected fault' });
      if (req.method === 'POST' && path === '/items') {
        const b = await body(req);
        if (typeof b.id !== 'string' || typeof b.payload !== 'string') return send(res, 400, { error: 'id and payload (strings) are required' });
        await write(b.id, b.payload);
        return send(res, 201, { id: b.id, colour, version });
      }
      const m = /^\/items\/([A-Za-z0-9_-]{1,100})$/.exec(path);
      if (req.method === 'GET' && m) {
        const r = await pool.query(READ_SQL, [m[1]]);
        return r.rowCount ? send(res, 200, { ...r.rows[0], servedBy: colour, version }) : send(res, 404, { error: `no item ${m[1]}` });
      }
      send(res, 404, { error: `no route ${req.method} ${path}` });
    } catch (err) {
      if (!res.headersSent) send(res, 500, { error: err instanceof Error ? err.message : String(err) });
    }
  })();
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  // The parent reads the port from this first line.
  process.stdout.write(`${JSON.stringify({ listening: typeof a === 'object' && a ? a.port : 0 })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
// The rehearsal owns this process: when it goes away (even killed), so does the stand-in.
process.on('disconnect', () => process.exit(0));
