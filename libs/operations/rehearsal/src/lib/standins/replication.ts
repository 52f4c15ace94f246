/**
 * The DMS stand-in: PostgreSQL logical replication behind the cutover library's DmsPort.
 *
 * - forward task (old -> new, full load + CDC): publication on the old database, subscription on the new one
 *   with `copy_data = true` (the full load);
 * - reverse task (new -> old, CDC only): created at its first start, `copy_data = false`, so its start position is
 *   that instant, as the cutover's `start-reverse` step requires;
 * - both with `origin = none`: a change one direction applied is never sent back by the other;
 * - CDC latency: a heartbeat row per direction, stamped on the source every 500 ms; the latency is the source's
 *   clock minus the newest stamp applied on the target (one number, reported as source and target latency);
 * - table validation: row counts of the replicated application tables on both sides (DMS compares rows; the
 *   rehearsal's data verify does that for real).
 */
import type { MigrationContract } from '@bluegreen/contract';
import type { CdcLatency, DmsPort, StartRequest, TaskRef, TaskState, ValidationSummary } from '@bluegreen/cutover';
import { Pool } from 'pg';
import type { RehearsalDatabases } from './databases';
import { CONTROL_SCHEMA } from './schema';

export const FORWARD_TASK_ARN = 'arn:rehearsal:dms:local:task:forward';
export const REVERSE_TASK_ARN = 'arn:rehearsal:dms:local:task:reverse';
export const REPLICATION_INSTANCE_ID = 'rehearsal-logical-replication';
const APP_TABLES = ['public.items'];
const HEARTBEAT_MS = 500;

type Direction = 'forward' | 'reverse';

export interface LocalReplication extends DmsPort {
  /** The migration section of the stack contract these tasks stand for. */
  readonly migration: MigrationContract;
  /** The latency of the running direction, for the timeline; undefined when none runs or it cannot be read. */
  sample(): Promise<{ direction: Direction; seconds: number } | undefined>;
  /** Seconds of latency of `direction` (throws when it cannot be read). */
  latency(direction: Direction): Promise<number>;
  /** Resolves once everything committed on the source of `direction` before this call is applied on its target. */
  caughtUp(direction: Direction, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

interface Side {
  readonly publisher: Pool;
  readonly subscriber: Pool;
  readonly publisherUrl: string;
  readonly subscription: string;
  readonly publication: string;
  readonly copyData: boolean;
}

function pool(url: string): Pool {
  const p = new Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 10_000, statement_timeout: 15_000, application_name: 'bluegreen-rehearsal-dms' });
  p.on('error', () => undefined);
  return p;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Creates both publications; no task runs yet (both `ready`, as DMS creates them). */
export async function localReplication(dbs: RehearsalDatabases, cdcLatencyThresholdSeconds: number): Promise<LocalReplication> {
  const oldPool = pool(dbs.old.url);
  const newPool = pool(dbs.new.url);
  const publication = `FOR TABLE ${[...APP_TABLES, `${CONTROL_SCHEMA}.heartbeat`].join(', ')}`;
  await Promise.all([oldPool.query(`CREATE PUBLICATION bluegreen_forward ${publication}`), newPool.query(`CREATE PUBLICATION bluegreen_reverse ${publication}`)]);
  const sides: Record<Direction, Side> = {
    forward: { publisher: oldPool, subscriber: newPool, publisherUrl: dbs.old.url, subscription: 'bluegreen_forward', publication: 'bluegreen_forward', copyData: true },
    reverse: { publisher: newPool, subscriber: oldPool, publisherUrl: dbs.new.url, subscription: 'bluegreen_reverse', publication: 'bluegreen_reverse', copyData: false },
  };
  const tickers: Partial<Record<Direction, NodeJS.Timeout>> = {};
  const directionOf = (arn: string): Direction => {
    if (arn === FORWARD_TASK_ARN) return 'forward';
    if (arn === REVERSE_TASK_ARN) return 'reverse';
    throw new Error(`no replication task ${arn} in the rehearsal`);
  };
  const beat = (d: Direction) => sides[d].publisher.query(`UPDATE ${CONTROL_SCHEMA}.heartbeat SET at = clock_timestamp() WHERE direction = $1`, [d]).catch(() => undefined);
  const tick = (d: Direction, on: boolean) => {
    clearInterval(tickers[d]);
    delete tickers[d];
    if (on) {
      void beat(d);
      tickers[d] = setInterval(() => void beat(d), HEARTBEAT_MS);
    }
  };

  const describe = async (d: Direction): Promise<TaskState> => {
    const s = sides[d];
    const arn = d === 'forward' ? FORWARD_TASK_ARN : REVERSE_TASK_ARN;
    const migrationType = d === 'forward' ? 'full-load-and-cdc' : 'cdc';
    const { rows } = await s.subscriber.query<{ enabled: boolean; pid: number | null; tables: string; ready: string; errors: string | null }>(
      `SELECT s.subenabled AS enabled,
              (SELECT st.pid FROM pg_stat_subscription st WHERE st.subid = s.oid AND st.relid IS NULL LIMIT 1) AS pid,
              (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid) AS tables,
              (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate = 'r') AS ready,
              (SELECT ss.apply_error_count + ss.sync_error_count FROM pg_stat_subscription_stats ss WHERE ss.subid = s.oid) AS errors
         FROM pg_subscription s WHERE s.subname = $1`,
      [s.subscription],
    );
    if (rows.length === 0) return { arn, status: 'ready', migrationType };
    const r = rows[0];
    const fullLoadPercent = Number(r.tables) === 0 ? 0 : Math.round((Number(r.ready) / Number(r.tables)) * 100);
    if (Number(r.errors ?? 0) > 0) return { arn, status: 'failed', migrationType, fullLoadPercent, lastError: `${r.errors} apply/sync error(s) on the subscriber (its server log has them)` };
    if (!r.enabled) return { arn, status: 'stopped', stopReason: 'Stop Reason NORMAL', migrationType, fullLoadPercent };
    if (r.pid === null) return { arn, status: 'starting', migrationType, fullLoadPercent };
    return { arn, status: 'running', migrationType, fullLoadPercent };
  };

  const latency = async (d: Direction): Promise<number> => {
    const s = sides[d];
    const [pub, sub] = await Promise.all([
      s.publisher.query<{ now: string }>('SELECT extract(epoch FROM clock_timestamp()) AS now'),
      s.subscriber.query<{ at: string }>(`SELECT extract(epoch FROM at) AS at FROM ${CONTROL_SCHEMA}.heartbeat WHERE direction = $1`, [d]),
    ]);
    if (sub.rows.length === 0) throw new Error(`no ${d} heartbeat on the target yet`);
    return Math.max(0, Number(pub.rows[0].now) - Number(sub.rows[0].at));
  };

  const migration: MigrationContract = {
    forwardTaskArn: FORWARD_TASK_ARN,
    reverseTaskArn: REVERSE_TASK_ARN,
    alarms: [],
    replicationInstanceId: REPLICATION_INSTANCE_ID,
    cdcLatencyThresholdSeconds,
  };

  return {
    migration,
    describeTask: (arn) => describe(directionOf(arn)),
    async validation(arn): Promise<ValidationSummary> {
      const s = sides[directionOf(arn)];
      let validated = 0;
      const pending: string[] = [];
      for (const t of APP_TABLES) {
        const [a, b] = await Promise.all([s.publisher.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`), s.subscriber.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)]);
        if (a.rows[0].n === b.rows[0].n) validated++;
        else pending.push(t);
      }
      return { tables: APP_TABLES.length, validated, pending: pending.length, failed: 0, failedTables: [] };
    },
    async cdcLatency(task: TaskRef): Promise<CdcLatency> {
      const d = directionOf(task.taskArn);
      if ((await describe(d)).status !== 'running') return {};
      const seconds = Math.round((await latency(d)) * 10) / 10;
      return { source: seconds, target: seconds };
    },
    async startTask(arn: string, request: StartRequest): Promise<void> {
      const d = directionOf(arn);
      const s = sides[d];
      const state = await describe(d);
      if (state.status === 'ready') {
        if (request.kind !== 'start-replication') throw new Error(`${d} task was never started: resume-processing needs start-replication first`);
        await s.subscriber.query(
          `CREATE SUBSCRIPTION ${s.subscription} CONNECTION ${quote(s.publisherUrl)} PUBLICATION ${s.publication} WITH (copy_data = ${s.copyData}, origin = none)`,
        );
      } else {
        await s.subscriber.query(`ALTER SUBSCRIPTION ${s.subscription} ENABLE`);
      }
      tick(d, true);
    },
    async stopTask(arn: string): Promise<void> {
      const d = directionOf(arn);
      await sides[d].subscriber.query(`ALTER SUBSCRIPTION ${sides[d].subscription} DISABLE`);
      tick(d, false);
    },
    latency,
    async caughtUp(d, timeoutMs) {
      const s = sides[d];
      const mark = Number((await s.publisher.query<{ t: string }>('SELECT extract(epoch FROM clock_timestamp()) AS t')).rows[0].t);
      // A heartbeat stamped after the mark: applied in commit order, it arrives after everything committed before it.
      await s.publisher.query(`UPDATE ${CONTROL_SCHEMA}.heartbeat SET at = clock_timestamp() WHERE direction = $1`, [d]);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await s.subscriber.query<{ at: string }>(`SELECT extract(epoch FROM at) AS at FROM ${CONTROL_SCHEMA}.heartbeat WHERE direction = $1`, [d]);
        if (r.rows.length && Number(r.rows[0].at) >= mark) return;
        if (Date.now() > deadline) throw new Error(`${d} replication did not catch up within ${Math.round(timeoutMs / 1000)} s`);
        await new Promise((res) => setTimeout(res, 100));
      }
    },
    async sample() {
      for (const d of ['forward', 'reverse'] as const) {
        if (!tickers[d]) continue;
        try {
          return { direction: d, seconds: await latency(d) };
        } catch {
          return undefined;
        }
      }
      return undefined;
    },
    async stop() {
      tick('forward', false);
      tick('reverse', false);
      // Subscriptions go first, so neither server is left with an apply worker retrying a stopped peer.
      for (const d of ['forward', 'reverse'] as const) {
        await sides[d].subscriber.query(`ALTER SUBSCRIPTION ${sides[d].subscription} DISABLE`).catch(() => undefined);
        await sides[d].subscriber.query(`ALTER SUBSCRIPTION ${sides[d].subscription} SET (slot_name = NONE)`).catch(() => undefined);
        await sides[d].subscriber.query(`DROP SUBSCRIPTION IF EXISTS ${sides[d].subscription}`).catch(() => undefined);
      }
      await Promise.allSettled([oldPool.end(), newPool.end()]);
    },
  };
}
