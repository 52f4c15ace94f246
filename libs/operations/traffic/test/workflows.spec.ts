// The workflows driven by in-memory ports (no AWS SDK at all): the same seam a local rehearsal plugs its own
// adapters into (a weighted proxy for the listener, local metrics, the validator handler run locally).
import { TEST_ARNS, testContract } from '@bluegreen/testing-aws';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceSelectionError } from '@bluegreen/config';
import { parse } from 'yaml';
import { trafficPromote, trafficRollback, trafficShift, trafficStatus, trafficWatch, type ForwardTargets, type TrafficMessage, type TrafficPorts, type Weights } from '../src';

/** dev as shipped (monolith + catalog), the monolith at 90/10. */
const DEV = readFileSync(join(__dirname, '../../../../apps/dev/environment.yaml'), 'utf8').replace('      blue: 100\n      green: 0', '      blue: 90\n      green: 10');
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'traffic-workflows-'));
  file = join(dir, 'environment.yaml');
  writeFileSync(file, DEV);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The forward a port call addresses: `default` (the listener's default action) or the rule's ARN. */
const routeKey = (t: ForwardTargets) => (t.route.kind === 'default-action' ? 'default' : t.route.ruleArn);

/**
 * A local stand-in for everything: a proxy with one weighted forward per service (the monolith's default action at
 * 90/10, catalog's rule at 100/0), metrics and alarms from a list; every setWeights call is recorded.
 */
function localPorts(over: Partial<TrafficPorts> = {}) {
  const forwards: Record<string, Weights> = { default: { blue: 90, green: 10 }, [TEST_ARNS.catalogRule]: { blue: 100, green: 0 } };
  const set: { route: string; weights: Weights }[] = [];
  let now = new Date('2026-11-22T03:00:00Z');
  const ports: TrafficPorts = {
    outputs: { read: async () => ({ contract: testContract(), source: 'local rehearsal' }) },
    listener: {
      readWeights: async (t) => ({ weights: forwards[routeKey(t)], stickinessSeconds: 0, otherTargets: [] }),
      setWeights: async (t, w) => {
        set.push({ route: routeKey(t), weights: w });
        forwards[routeKey(t)] = w;
      },
    },
    targetHealth: { targetHealth: async (arn) => ({ targetGroupArn: arn, healthy: 1, unhealthy: 0, other: {}, total: 1 }) },
    alarms: { alarmStates: async (names) => names.map((name) => ({ name, state: 'OK' })) },
    metrics: { colourSignals: async () => ({ requests: 1000, http5xx: 0, p95Seconds: 0.1, unhealthyHosts: 0 }) },
    services: { serviceStatus: async (_c, names) => names.map((serviceName) => ({ serviceName, status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 })) },
    validator: { invoke: async () => ({ statusCode: 200, payload: '{"ok":true,"compatible":true,"changes":[]}' }) },
    now: () => now,
    sleep: async (ms) => void (now = new Date(now.getTime() + ms)),
    ...over,
  };
  return { ports, weights: () => forwards.default, forwards, set };
}
const sink = () => {
  const lines: TrafficMessage[] = [];
  return { lines, io: { notify: (m: TrafficMessage) => void lines.push(m) } };
};

describe('traffic workflows over local ports', () => {
  it('status: no drift when the proxy forwards what the config says; the source is named', async () => {
    const { ports } = localPorts();
    const r = await trafficStatus({ env: 'dev', file }, ports, sink().io);
    expect(r).toMatchObject({ outcome: 'ok', drift: false, outputsSource: 'local rehearsal' });
    expect(r.services.map((x) => [x.service, x.colours.map((c) => c.listenerWeight)])).toEqual([
      ['monolith', [90, 10]],
      ['catalog', [100, 0]],
    ]);
  });

  it('rollback: the proxy gets 100/0 at once, then the config', async () => {
    const local = localPorts();
    const r = await trafficRollback({ env: 'dev', service: 'monolith', file }, local.ports, sink().io);
    expect(r).toMatchObject({ outcome: 'ok', listener: 'changed', configWritten: true });
    expect(local.weights()).toEqual({ blue: 100, green: 0 });
    expect(readFileSync(file, 'utf8')).toContain('      blue: 100\n      green: 0');
  });

  it('rollback: a listener that does not answer leaves the config alone and says what to do', async () => {
    const { ports } = localPorts({ listener: { readWeights: async () => Promise.reject(new Error('x')), setWeights: async () => Promise.reject(new Error('the 20 s deadline of traffic rollback passed while waiting for elasticloadbalancing:ModifyListener at https://x')) } });
    const s = sink();
    const r = await trafficRollback({ env: 'dev', service: 'monolith', file }, ports, s.io);
    expect(r).toMatchObject({ outcome: 'unknown', listener: 'not confirmed', configWritten: false });
    expect(readFileSync(file, 'utf8')).toBe(DEV);
    expect(s.lines.filter((l) => l.level === 'error').map((l) => l.text).join('\n')).toMatch(/may or may not have changed[\s\S]*--config-only, then apply/);
  });

  it('watch: three failed reads in a row end it (unknown) long before --minutes', async () => {
    const { ports } = localPorts({ metrics: { colourSignals: async () => Promise.reject(new Error('proxy metrics endpoint down')) } });
    const r = await trafficWatch({ env: 'dev', service: 'monolith', file, minutes: 15, intervalSeconds: 30 }, ports, sink().io);
    expect(r.outcome).toBe('unknown');
    expect(r.polls).toHaveLength(3);
    expect(r.polls.every((p) => !p.complete && p.result.decision === 'hold')).toBe(true);
    expect(r.reason).toContain('3 read(s) in a row failed');
  });

  it('watch: an expired deadline stops it at the next poll', async () => {
    const { ports } = localPorts({ deadline: { expired: true, description: 'the 60 s deadline of traffic watch' } });
    const r = await trafficWatch({ env: 'dev', service: 'monolith', file, minutes: 15 }, ports, sink().io);
    expect(r).toMatchObject({ outcome: 'unknown', reason: 'the 60 s deadline of traffic watch has passed after 1 poll(s): no decision' });
  });
});

describe('one service of several', () => {
  const trafficOf = (name: string) => (parse(readFileSync(file, 'utf8')) as { services: Record<string, { traffic: Record<string, unknown> }> }).services[name].traffic;

  it('every traffic command needs --service when the environment has several, and names them', async () => {
    const { ports } = localPorts();
    const usage = new ServiceSelectionError('--service is required: environment dev has 2 services (monolith, catalog)', []);
    await expect(trafficShift({ env: 'dev', file, to: 'green', percent: 25, skipGates: true }, ports, sink().io)).rejects.toThrow(usage);
    await expect(trafficWatch({ env: 'dev', file, minutes: 0 }, ports, sink().io)).rejects.toThrow(usage);
    await expect(trafficRollback({ env: 'dev', file }, ports, sink().io)).rejects.toThrow(usage);
    await expect(trafficPromote({ env: 'dev', file }, ports, sink().io)).rejects.toThrow(usage);
    await expect(trafficShift({ env: 'dev', service: 'payments', file, to: 'green', percent: 25, skipGates: true }, ports, sink().io)).rejects.toThrow('--service "payments": environment dev has no such service (services: monolith, catalog)');
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  });

  it("a shift of catalog gates on catalog's schema, target group and alarms only, and edits only catalog's weights", async () => {
    const invoked: unknown[] = [];
    const health: string[] = [];
    const alarms: string[][] = [];
    const { ports } = localPorts({
      validator: { invoke: async (_fn, event) => (invoked.push(event), { statusCode: 200, payload: '{"ok":true,"compatible":true,"changes":[]}' }) },
      targetHealth: { targetHealth: async (arn) => (health.push(arn), { targetGroupArn: arn, healthy: 1, unhealthy: 0, other: {}, total: 1 }) },
      alarms: { alarmStates: async (names) => (alarms.push([...names]), names.map((name) => ({ name, state: 'OK' }))) },
    });
    const s = sink();
    const r = await trafficShift({ env: 'dev', service: 'catalog', file, to: 'green', percent: 10 }, ports, s.io);
    expect(r.outcome).toBe('ok');
    expect(invoked).toEqual([{ service: 'catalog' }]);
    expect(health).toEqual([TEST_ARNS.catalogGreenTargetGroup]);
    expect(alarms).toEqual([testContract().services.catalog.alarms.green]);
    expect(s.lines.map((l) => l.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^gate schema:catalog: PASS - compatible \(schema catalog as catalog_app, validator Lambda schema-validator-dev\)/)]));
    expect(r.changes.map((c) => c.field)).toEqual(['services.catalog.traffic.blue', 'services.catalog.traffic.green']);
    expect(trafficOf('catalog')).toMatchObject({ blue: 90, green: 10 });
    expect(trafficOf('monolith')).toMatchObject({ blue: 90, green: 10 });
    expect(s.lines.map((l) => l.text)).toContain('then: bluegreen traffic watch --env dev --service catalog --minutes 15');
  });

  it("a failing alarm of another service does not stop catalog's shift; catalog's own does", async () => {
    const inAlarm = (prefix: string): Partial<TrafficPorts> => ({ alarms: { alarmStates: async (names) => names.map((name) => ({ name, state: name.startsWith(prefix) ? 'ALARM' : 'OK' })) } });
    const other = await trafficShift({ env: 'dev', service: 'catalog', file, to: 'green', percent: 10 }, localPorts(inAlarm('alarm-green-')).ports, sink().io);
    expect(other.outcome).toBe('ok');
    writeFileSync(file, DEV);
    const own = await trafficShift({ env: 'dev', service: 'catalog', file, to: 'green', percent: 10 }, localPorts(inAlarm('alarm-catalog-green-')).ports, sink().io);
    expect(own.outcome).toBe('finding');
    expect(readFileSync(file, 'utf8')).toBe(DEV);
  });

  it("a rollback of catalog sets catalog's rule and catalog's config, nothing of the monolith", async () => {
    writeFileSync(file, DEV.replace(/(\n {2}catalog:[\s\S]*?traffic:\n\s+live: blue\n)(\s+)blue: 100\n(\s+)green: 0/, '$1$2blue: 75\n$3green: 25'));
    const local = localPorts();
    local.forwards[TEST_ARNS.catalogRule] = { blue: 75, green: 25 };
    const r = await trafficRollback({ env: 'dev', service: 'catalog', file }, local.ports, sink().io);
    expect(r).toMatchObject({ outcome: 'ok', listener: 'changed', configWritten: true });
    expect(local.set).toEqual([{ route: TEST_ARNS.catalogRule, weights: { blue: 100, green: 0 } }]);
    expect(local.forwards.default).toEqual({ blue: 90, green: 10 });
    expect(trafficOf('catalog')).toMatchObject({ blue: 100, green: 0 });
    expect(trafficOf('monolith')).toEqual({ live: 'blue', blue: 90, green: 10, stages: [10, 25, 50, 75, 100] });
  });

  it("status: one table of every service's weights, health and alarms; a drift of one service is a finding", async () => {
    const local = localPorts({ alarms: { alarmStates: async (names) => names.map((name) => ({ name, state: name === 'alarm-catalog-blue-cpu-dev' ? 'ALARM' : 'OK' })) } });
    local.forwards[TEST_ARNS.catalogRule] = { blue: 50, green: 50 };
    const s = sink();
    const r = await trafficStatus({ env: 'dev', file }, local.ports, s.io);
    expect(r).toMatchObject({ outcome: 'finding', drift: true });
    expect(r.services.map((x) => [x.service, x.route, x.drift])).toEqual([
      ['monolith', 'default action', false],
      ['catalog', '/catalog, /catalog/*', true],
    ]);
    expect(r.services[1].colours[0]).toMatchObject({ targets: { healthy: 1, unhealthy: 0, total: 1 }, alarms: { total: 2, inAlarm: ['alarm-catalog-blue-cpu-dev'] } });
    const text = s.lines.map((l) => l.text);
    expect(text).toEqual(expect.arrayContaining([expect.stringMatching(/^SERVICE +ROUTE +COLOUR +CONFIG +LISTENER +TASKS +TARGETS +ALARMS +DATABASE +IMAGE$/)]));
    expect(text).toEqual(expect.arrayContaining([expect.stringMatching(/^catalog +\/catalog, \/catalog\/\* +blue \(live\) +100 % +50 % +1\/1 +1\/1 healthy +1\/2 IN ALARM /)]));
    expect(text).toContain('catalog: DRIFT: the listener sends blue 50 % / green 50 % but the config says blue 100 % / green 0 % (after a rollback, commit the config; otherwise run bluegreen traffic rollback --env dev --service catalog)');
    const one = await trafficStatus({ env: 'dev', service: 'monolith', file }, local.ports, sink().io);
    expect(one).toMatchObject({ outcome: 'ok', drift: false });
    expect(one.services.map((x) => x.service)).toEqual(['monolith']);
  });
});
