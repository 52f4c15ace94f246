import { startPostgres, type TestPostgres } from '@bluegreen/testing-postgres';
import { proxyPorts } from '../src/lib/adapters';
import { startApp, type AppProcess } from '../src/lib/standins/app';
import { startLoad } from '../src/lib/load';
import { startProxy, type WeightedProxy } from '../src/lib/standins/proxy';
import { schemaSql } from '../src/lib/standins/schema';

const until = async (what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('application processes behind the weighted proxy', () => {
  let pg: TestPostgres;
  let url: string;
  let blue: AppProcess;
  let green: AppProcess;
  let proxy: WeightedProxy;
  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase('standins');
    await pg.exec(url, schemaSql('v1'));
    [blue, green] = await Promise.all([startApp('blue', 'v1', url), startApp('green', 'v2', url)]);
    proxy = await startProxy({ targets: { blue: blue.port, green: green.port }, healthIntervalMs: 100 });
  }, 90_000);
  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([blue?.stop(), green?.stop()]);
    await pg?.stop();
  });

  it('splits by weight, holds writes while paused (they wait, none fails), and a crash is an unhealthy target', async () => {
    proxy.setWeights({ blue: 75, green: 25 });
    expect(() => proxy.setWeights({ blue: 75, green: 30 })).toThrow('summing to 100');
    await blue.pauseWrites(true);
    await green.pauseWrites(true);
    const load = startLoad({ port: proxy.port, rate: 100, durationMs: 1000, epoch: proxy.startedAt, writeShare: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(load.acknowledged()).toHaveLength(0);
    await Promise.all([blue.pauseWrites(false), green.pauseWrites(false)]);
    await load.done;
    const reqs = load.requests();
    expect(reqs.length).toBeGreaterThanOrEqual(90);
    expect(reqs.filter((r) => r.status !== 201)).toEqual([]);
    const green_ = reqs.filter((r) => r.servedBy === 'green').length;
    expect(Math.abs(green_ / reqs.length - 0.25)).toBeLessThan(0.03);

    const ports = proxyPorts(proxy);
    expect(await ports.targets.health('green')).toEqual({ healthy: 1, unhealthy: 0 });
    await green.setFaults({ crashAfterRequests: 1 });
    proxy.setWeights({ blue: 0, green: 100 });
    const after = await fetch(`http://127.0.0.1:${proxy.port}/items/none`);
    expect(after.status).toBe(502);
    await until('green unhealthy', async () => (await ports.targets.health('green')).unhealthy === 1);
    await until('green exited', () => green.exitCode() === 70);
    // The proxy's own 502 is an ELB 5xx: the target-5xx count does not include it, the unhealthy host count does.
    const signals = await ports.signals.read('green', 60_000);
    expect(signals).toMatchObject({ http5xx: 0, unhealthyHosts: 1 });
  }, 60_000);
});
