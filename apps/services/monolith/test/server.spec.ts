import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createService } from '../src/server';

describe('monolith', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createService({ version: 'abc123' });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('answers the load balancer health check', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves every path no carved-out service owns, naming its build', async () => {
    const res = await fetch(`${base}/orders/42?x=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ service: 'monolith', version: 'abc123', path: '/orders/42' });
  });

  it('refuses methods it does not serve', async () => {
    expect((await fetch(`${base}/orders`, { method: 'POST' })).status).toBe(405);
  });
});
