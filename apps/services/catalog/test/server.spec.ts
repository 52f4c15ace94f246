import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createService } from '../src/server';

describe('catalog', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createService({ version: 'abc123' });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('answers the load balancer health check', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('serves the paths it was carved out for, as the load balancer forwards them (prefix kept)', async () => {
    const list = await fetch(`${base}/catalog/items`);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ service: 'catalog', version: 'abc123', items: [{ id: 'sku-1' }, { id: 'sku-2' }] });
    expect(await (await fetch(`${base}/catalog/items/sku-2`)).json()).toMatchObject({ item: { id: 'sku-2', name: 'Green mug' } });
    expect((await fetch(`${base}/catalog/items/nope`)).status).toBe(404);
  });

  it('answers 404 for paths that are still the monolith’s, and 405 for methods it does not serve', async () => {
    expect((await fetch(`${base}/orders/42`)).status).toBe(404);
    expect((await fetch(`${base}/catalog/items`, { method: 'DELETE' })).status).toBe(405);
  });
});
