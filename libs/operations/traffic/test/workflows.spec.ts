// The workflows driven by in-memory ports (no AWS SDK at all): the same seam a local rehearsal plugs its own
// adapters into (a weighted proxy for the listener, local metrics, the validator handler run locally).
import { testContract } from '@bluegreen/testing-aws';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trafficRollback, trafficStatus, trafficWatch, type TrafficMessage, type TrafficPorts, type Weights } from '../src';

const DEV = readFileSync(join(__dirname, '../../../../apps/dev/environment.yaml'), 'utf8').replace('  blue: 100\n  green: 0', '  blue: 90\n  green: 10');
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'traffic-workflows-'));
  file = join(dir, 'environment.yaml');
  writeFileSync(file, DEV);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A local stand-in for everything: a proxy whose weights are a variable, metrics and alarms from a list. */
function localPorts(over: Partial<TrafficPorts> = {}) {
  let weights: Weights = { blue: 90, green: 10 };
  let now = new Date('2026-11-22T03:00:00Z');
  const ports: TrafficPorts = {
    outputs: { read: async () => ({ contract: testContract(), source: 'local rehearsal' }) },
    listener: { readWeights: async () => ({ weights, stickinessSeconds: 0, otherTargets: [] }), setWeights: async (_t, w) => void (weights = w) },
    targetHealth: { targetHealth: async (arn) => ({ targetGroupArn: arn, healthy: 1, unhealthy: 0, other: {}, total: 1 }) },
    alarms: { alarmStates: async (names) => names.map((name) => ({ name, state: 'OK' })) },
    metrics: { colourSignals: async () => ({ requests: 1000, http5xx: 0, p95Seconds: 0.1, unhealthyHosts: 0 }) },
    services: { serviceStatus: async (_c, names) => names.map((serviceName) => ({ serviceName, status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 })) },
    validator: { invoke: async () => ({ statusCode: 200, payload: '{"ok":true,"compatible":true,"changes":[]}' }) },
    now: () => now,
    sleep: async (ms) => void (now = new Date(now.getTime() + ms)),
    ...over,
  };
  return { ports, weights: () => weights };
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
    expect(r.colours.map((c) => c.listenerWeight)).toEqual([90, 10]);
  });

  it('rollback: the proxy gets 100/0 at once, then the config', async () => {
    const local = localPorts();
    const r = await trafficRollback({ env: 'dev', file }, local.ports, sink().io);
    expect(r).toMatchObject({ outcome: 'ok', listener: 'changed', configWritten: true });
    expect(local.weights()).toEqual({ blue: 100, green: 0 });
    expect(readFileSync(file, 'utf8')).toContain('  blue: 100\n  green: 0');
  });

  it('rollback: a listener that does not answer leaves the config alone and says what to do', async () => {
    const { ports } = localPorts({ listener: { readWeights: async () => Promise.reject(new Error('x')), setWeights: async () => Promise.reject(new Error('the 20 s deadline of traffic rollback passed while waiting for elasticloadbalancing:ModifyListener at https://x')) } });
    const s = sink();
    const r = await trafficRollback({ env: 'dev', file }, ports, s.io);
    expect(r).toMatchObject({ outcome: 'unknown', listener: 'not confirmed', configWritten: false });
    expect(readFileSync(file, 'utf8')).toBe(DEV);
    expect(s.lines.filter((l) => l.level === 'error').map((l) => l.text).join('\n')).toMatch(/may or may not have changed[\s\S]*--config-only, then apply/);
  });

  it('watch: three failed reads in a row end it (unknown) long before --minutes', async () => {
    const { ports } = localPorts({ metrics: { colourSignals: async () => Promise.reject(new Error('proxy metrics endpoint down')) } });
    const r = await trafficWatch({ env: 'dev', file, minutes: 15, intervalSeconds: 30 }, ports, sink().io);
    expect(r.outcome).toBe('unknown');
    expect(r.polls).toHaveLength(3);
    expect(r.polls.every((p) => !p.complete && p.result.decision === 'hold')).toBe(true);
    expect(r.reason).toContain('3 read(s) in a row failed');
  });

  it('watch: an expired deadline stops it at the next poll', async () => {
    const { ports } = localPorts({ deadline: { expired: true, description: 'the 60 s deadline of traffic watch' } });
    const r = await trafficWatch({ env: 'dev', file, minutes: 15 }, ports, sink().io);
    expect(r).toMatchObject({ outcome: 'unknown', reason: 'the 60 s deadline of traffic watch has passed after 1 poll(s): no decision' });
  });
});
