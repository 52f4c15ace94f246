/**
 * Second set of adapters for the real decision code: the traffic ports over the proxy stand-in, the schema gate
 * over the two stand-in databases (the real schema checker), the target-health gate over the target-health port.
 */
import type { Colour } from '@bluegreen/contract';
import { checkCompatibility } from '@bluegreen/schema-compat';
import { schemaGate, type Gate, type SchemaChecker } from '@bluegreen/traffic';
import type { TrafficPorts } from './ports';
import type { ProxyLogEntry, WeightedProxy } from './standins/proxy';

/** Nearest-rank percentile of `values` (ms), in seconds; undefined for none. */
export function percentileSeconds(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] / 1000;
}

/** CloudWatch's view of one colour over a window of the proxy's request log (completed requests). */
export function signalsFromLog(log: readonly ProxyLogEntry[], colour: Colour, from: number, to: number) {
  const inWindow = log.filter((e) => e.colour === colour && e.end > from && e.end <= to);
  return {
    requests: inWindow.length,
    // HTTPCode_Target_5XX_Count: what the target answered; the proxy's own 502/504 are ELB 5xx (not in the matrix).
    http5xx: inWindow.filter((e) => !e.byProxy && e.status >= 500).length,
    p95Seconds: percentileSeconds(
      inWindow.filter((e) => !e.byProxy).map((e) => e.durationMs),
      95,
    ),
  };
}

export function proxyPorts(proxy: WeightedProxy): TrafficPorts {
  return {
    listener: {
      getWeights: async () => proxy.weights(),
      setWeights: async (w) => proxy.setWeights(w),
    },
    signals: {
      async read(colour, windowMs) {
        const to = Date.now() - proxy.startedAt;
        const s = signalsFromLog(proxy.log(), colour, to - windowMs, to);
        // The stand-in has no CloudWatch alarms beyond the two signals the matrix reads itself: none can be in ALARM.
        return { ...s, unhealthyHosts: proxy.health(colour).unhealthy, alarmsInAlarm: [] };
      },
    },
    targets: { health: async (colour) => proxy.health(colour) },
  };
}

/** The schema gate's checker: the real schema checker against the old (blue's) and the new database, schema public. */
export function databaseSchemaChecker(oldUrl: string, newUrl: string, timeoutMs = 30_000): SchemaChecker {
  return {
    describe: 'schema check of the old and the new database',
    async check() {
      const opts = { applicationName: 'bluegreen-rehearsal-gate', statementTimeoutMs: timeoutMs, connectTimeoutMs: 10_000 };
      const r = await checkCompatibility({ blue: { url: oldUrl, ...opts }, green: { url: newUrl, ...opts }, schemas: ['public'] });
      return {
        compatible: r.compatible,
        details: r.changes.filter((c) => c.compatibility !== 'compatible').map((c) => `${c.compatibility}: ${c.kind} ${c.object} (${c.detail})`),
      };
    },
  };
}

export { schemaGate };

/** The traffic library's target-health rule over the port: at least `expected` (and one) healthy, none unhealthy. */
export function targetHealthGate(ports: TrafficPorts, colour: Colour, expected: number): Gate {
  return {
    name: `target-health:${colour}`,
    async run() {
      const h = await ports.targets.health(colour);
      const text = `${h.healthy} healthy, ${h.unhealthy} unhealthy (expected ${expected})`;
      return h.unhealthy > 0 || h.healthy < Math.max(1, expected) ? { status: 'fail', detail: text } : { status: 'pass', detail: text };
    },
  };
}
