import { classifyPgError, connect, DatabaseError, describeTarget, exportSnapshot, readOnlySnapshot } from '@bluegreen/pg-connect';
import type { Client } from 'pg';
import { readCatalog, type Catalog } from './catalog';
import { CheckpointWriter, readCheckpoint, type CheckpointIdentity, type CheckpointState, type UnitRecord } from './checkpoint';
import { reconcile, type ChunkSummary, type RawDifference } from './chunks';
import { describeUnit, hashChunk, hashedPerSide, narrowChunk, planFingerprint, planTable, runUnit, setupTable, unitCount, type Side, type TablePlan, type TableSetup, type UnitOutcome } from './compare';
import { VerifyAbortedError, VerifyInputError } from './errors';
import { DEFAULT_EXCLUDED_SCHEMAS, selectTables } from './select';
import { formatRanges, parseShard, shardOfUnit, type Shard } from './shard';
import { CANONICAL_SESSION_SQL } from './sql';
import type { ConvergedChunk, RowDifference, TableResult, TableStatus, VerifyPhase, VerifyProgress, VerifyResult } from './types';

export interface RecheckOptions {
  /** Rechecks of a differing chunk before it is reported as different. @default 0 */
  readonly count?: number;
  /** Wait before each recheck round (lets replication catch up). @default 5000 */
  readonly delayMs?: number;
}

export interface VerifyOptions {
  /** Source database URL (`postgres://…`). */
  readonly source: string;
  /** Target database URL. */
  readonly target: string;
  /**
   * Tables to compare, as `schema.table` or `table` (found in any schema when unambiguous).
   * @default - every user table of either side
   */
  readonly tables?: readonly string[];
  /**
   * Schemas left out of the default table list (a table named in `tables` is compared anyway).
   * @default ['awsdms_control'] - AWS DMS's control tables on a migration target
   */
  readonly excludeSchemas?: readonly string[];
  /** Compare even when the selection is empty (then `identical` with `compared: []`). @default false: refused */
  readonly allowEmpty?: boolean;
  /**
   * Connections per side; this many chunks (of any tables) are hashed at once per side.
   * @default - what the source server would give one query: 1 + max_parallel_workers_per_gather (at most 8)
   */
  readonly parallel?: number;
  /** Target rows per primary-key chunk (the unit of work). @default 10000 */
  readonly chunkSize?: number;
  /** Differing rows listed per table. @default 100 */
  readonly maxDifferences?: number;
  /** Server-side statement timeout for every query. @default 600000 (10 min) */
  readonly statementTimeoutMs?: number;
  /** TCP + TLS + authentication must finish within this. @default 10000 */
  readonly connectTimeoutMs?: number;
  /**
   * Record finished chunks in this file and, when it already exists (an interrupted run of the same comparison),
   * continue where it stopped, with its chunk plans. @default - no checkpoint
   */
  readonly checkpoint?: string;
  /** Take only this share of the chunks (`{ index: 2, count: 4 }` or `'2/4'`); merge the shards' results after. */
  readonly shard?: Shard | string;
  /** Recheck differing chunks under replication. @default { count: 0 } */
  readonly recheck?: RecheckOptions;
  /** Aborting stops the run at once (connections closed); the checkpoint keeps what finished. */
  readonly signal?: AbortSignal;
  /**
   * Called after both snapshots are taken (`phase: 'snapshot'`, before any table is read), when each table starts
   * (`started`), after each chunk and after each table (`table`); awaited.
   */
  readonly onProgress?: (progress: VerifyProgress) => void | Promise<void>;
}

function positiveInt(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new VerifyInputError(`${name} must be an integer ${min}-${max}, got ${String(value)}`);
  return value;
}

async function open(url: string, statementTimeoutMs: number, connectTimeoutMs: number, idleInTransactionTimeoutMs: number): Promise<Client> {
  const client = await connect({
    url,
    applicationName: 'bluegreen-data-verify',
    statementTimeoutMs,
    connectTimeoutMs,
    idleInTransactionTimeoutMs,
  });
  try {
    await client.query(CANONICAL_SESSION_SQL);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw classifyPgError(err, describeTarget(url));
  }
  return client;
}

/** Per-table totals as units finish (memory: the capped differences and one byte per unit). */
class TableTally {
  sourceRows: number | null = 0;
  targetRows: number | null = 0;
  diffs: Array<RawDifference & { unit: number }> = [];
  complete = true;
  different = false;
  converged = 0;
  convergedChunks: ConvergedChunk[] = [];
  started = false;
  readonly done: Uint8Array;
  remaining: number;

  constructor(
    readonly setup: TableSetup,
    readonly plan: TablePlan,
    readonly owned: number,
    private readonly maxDifferences: number,
  ) {
    this.done = new Uint8Array(unitCount(setup, plan));
    this.remaining = owned;
  }

  add(r: UnitRecord): void {
    if (this.done[r.unit]) return;
    this.done[r.unit] = 1;
    this.remaining--;
    this.sourceRows = r.sourceRows === null || this.sourceRows === null ? null : this.sourceRows + r.sourceRows;
    this.targetRows = r.targetRows === null || this.targetRows === null ? null : this.targetRows + r.targetRows;
    if (r.different) this.different = true;
    if (!r.complete) this.complete = false;
    if (r.converged > 0) {
      this.converged++;
      if (this.convergedChunks.length < this.maxDifferences) this.convergedChunks.push({ table: this.setup.name, range: r.range, attempts: r.converged });
    }
    if (r.diffs.length > 0) {
      // Keep the first maxDifferences rows in (unit, key) order whatever order the units finish in.
      this.diffs.push(...r.diffs.map((d) => ({ ...d, unit: r.unit })));
      this.diffs.sort((a, b) => a.unit - b.unit);
      if (this.diffs.length > this.maxDifferences) {
        this.diffs.length = this.maxDifferences;
        this.complete = false;
      }
    }
  }
}

interface PendingUnit {
  readonly tally: TableTally;
  last: UnitOutcome;
}

const strip = (d: RawDifference): RowDifference => ({ key: d.key, kind: d.kind });

/**
 * Compares the data of every table (or the chosen ones) between two PostgreSQL databases.
 *
 * Each side is read in one consistent snapshot (REPEATABLE READ, READ ONLY; extra connections adopt the first
 * one's exported snapshot). Tables are cut into key-range chunks; `parallel` workers each hash one chunk at a time
 * on both sides at once, so the time approaches that of the slower side. Differing chunks are narrowed to rows,
 * rechecked after a delay when asked (replication lag converges, real differences stay), and recorded in the
 * checkpoint. Any database failure rejects with a classified `DatabaseError`: the caller must fail closed.
 */
export async function verifyData(options: VerifyOptions): Promise<VerifyResult> {
  const parallelOption = options.parallel === undefined ? undefined : positiveInt('parallel', options.parallel, 2, 64);
  const chunkSize = positiveInt('chunkSize', options.chunkSize, 10_000);
  const maxDifferences = positiveInt('maxDifferences', options.maxDifferences, 100);
  const statementTimeoutMs = positiveInt('statementTimeoutMs', options.statementTimeoutMs, 600_000);
  const connectTimeoutMs = positiveInt('connectTimeoutMs', options.connectTimeoutMs, 10_000);
  const recheckCount = positiveInt('recheck.count', options.recheck?.count, 0, 100, 0);
  const recheckDelayMs = positiveInt('recheck.delayMs', options.recheck?.delayMs, 5_000, 3_600_000, 0);
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : (options.shard ?? { index: 1, count: 1 });
  if (typeof options.shard === 'object') parseShard(`${options.shard.index}/${options.shard.count}`);
  const excludeSchemas = options.excludeSchemas ?? DEFAULT_EXCLUDED_SCHEMAS;
  const targets = { source: describeTarget(options.source), target: describeTarget(options.target) };
  const identity: CheckpointIdentity = {
    source: targets.source,
    target: targets.target,
    tables: [...(options.tables ?? [])],
    excludeSchemas: [...excludeSchemas],
    chunkSize,
    maxDifferences,
    shard: `${shard.index}/${shard.count}`,
  };
  const startedAt = Date.now();

  const resumed: CheckpointState = options.checkpoint ? await readCheckpoint(options.checkpoint, identity).catch(notFoundIsEmpty) : { plans: new Map(), units: new Map() };
  const writer = options.checkpoint ? CheckpointWriter.open(options.checkpoint, identity) : undefined;

  const clients: Client[] = [];
  let failure: unknown;
  const onAbort = () => {
    failure ??= new VerifyAbortedError(options.checkpoint);
    for (const c of clients) void c.end().catch(() => undefined);
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const check = () => {
    if (failure) throw failure;
  };

  const openPair = async (leader: boolean): Promise<[Client, Client]> => {
    check();
    // The leaders hold the exported snapshots open while other connections work: no idle-in-transaction limit there.
    const idle = leader ? 0 : statementTimeoutMs;
    const [s, t] = await Promise.allSettled([open(options.source, statementTimeoutMs, connectTimeoutMs, idle), open(options.target, statementTimeoutMs, connectTimeoutMs, idle)]);
    for (const r of [s, t]) if (r.status === 'fulfilled') clients.push(r.value);
    check();
    if (s.status === 'rejected') throw classifyPgError(s.reason, targets.source);
    if (t.status === 'rejected') throw classifyPgError(t.reason, targets.target);
    return [s.value, t.value];
  };

  let rowsHashed = 0;
  let recheckRounds = 0;
  let resumedUnits = 0;
  const progress = { phase: 'snapshot' as VerifyPhase, done: 0, total: 0, unitsDone: 0, unitsTotal: 0, rowsDone: 0, rowsTotal: 0, hashed: { source: 0, target: 0 }, hashStart: 0 };
  const report = async (extra: { table?: string; started?: string } = {}) => {
    if (!options.onProgress) return;
    const now = Date.now();
    const hashMs = progress.hashStart ? now - progress.hashStart : 0;
    const rate = progress.rowsDone > 0 && hashMs > 0 ? progress.rowsDone / hashMs : undefined;
    const etaMs = rate && progress.phase === 'hash' ? Math.max(0, (progress.rowsTotal - progress.rowsDone) / rate) : undefined;
    const { hashStart: _, ...visible } = progress;
    await options.onProgress({ ...visible, hashed: { ...progress.hashed }, elapsedMs: now - startedAt, ...(etaMs !== undefined ? { etaMs } : {}), ...extra });
  };

    const finish = async (tally: TableTally, o: UnitOutcome, different: boolean, converged: number) => {
      const record: UnitRecord = {
        table: tally.setup.name,
        unit: o.unit,
        sourceRows: o.sourceRows,
        targetRows: o.targetRows,
        different,
        converged,
        diffs: different ? o.diffs : [],
        complete: different ? o.complete : true,
        range: describeUnit(tally.setup, tally.plan, o.unit),
      };
      writer?.unit(record);
      tally.add(record);
      progress.unitsDone++;
      progress.rowsDone += Math.max(o.sourceRows ?? 0, o.targetRows ?? 0);
      if (tally.remaining === 0) {
        progress.done++;
        await report({ table: tally.setup.name });
      } else await report();
    };

  // Connections still being opened when the run ends (nothing to compare, an early failure) must be closed too.
  let early: Promise<[Client, Client]>[] = [];
  try {
    const [sLead, tLead] = await openPair(true);
    const parallel = parallelOption ?? (await defaultParallel(sLead));
    // The other connections open while the leaders take their snapshots and read the catalogs; they adopt the
    // snapshots once exported.
    early = Array.from({ length: parallel - 1 }, () => openPair(false));
    for (const e of early) e.catch(() => undefined); // their failure is reported where they are awaited
    let catalogs: { source: Catalog; target: Catalog } | undefined;
    let selection: { tables: readonly string[]; warnings: readonly string[] } = { tables: [], warnings: [] };
    const tallies = new Map<string, TableTally>();
    const pending: PendingUnit[] = [];
    const workerPairs: Array<[Client, Client]> = [[sLead, tLead]];

    // --- First pass, inside one snapshot per side ---------------------------------------------------------------
    await readOnlySnapshot(sLead, () =>
      readOnlySnapshot(tLead, async () => {
        const side = async (lead: Client) => [await exportSnapshot(lead), await readCatalog(lead)] as const;
        const [[sSnap, sCat], [tSnap, tCat]] = await Promise.all([side(sLead), side(tLead)]);
        catalogs = { source: sCat, target: tCat };
        selection = selectTables(sCat, tCat, { requested: options.tables, excludeSchemas, explicitExcludes: (options.excludeSchemas ?? []).filter((x) => !DEFAULT_EXCLUDED_SCHEMAS.includes(x)), allowEmpty: options.allowEmpty });
        const names = selection.tables;
        progress.total = names.length;
        await report();

        const setups = new Map(names.map((n) => [n, setupTable(n, sCat, tCat)]));
        const planQueue = names.filter((n) => !resumed.plans.has(n));
        const plans = new Map<string, TablePlan>();
        for (const n of names) {
          const p = resumed.plans.get(n);
          if (!p) continue;
          const setup = setups.get(n) as TableSetup;
          // The recorded boundaries under today's shape: a changed shape gives another fingerprint.
          if (p.fingerprint !== planFingerprint(setup, p.boundaries, p.buckets)) {
            throw new VerifyInputError(`checkpoint ${options.checkpoint}: ${n} has changed shape since it was written (columns, types or key); remove the checkpoint to start over`);
          }
          plans.set(n, p);
        }
        let planned = plans.size;
        let allPlanned: () => void = () => undefined;
        const planningDone = planned === names.length ? Promise.resolve() : new Promise<void>((r) => (allPlanned = r));
        let units: Generator<[TableTally, number]> | undefined;
        const nextUnit = (): [TableTally, number] | undefined => {
          units ??= unitsOf([...tallies.values()].sort((a, b) => b.plan.estimatedRows - a.plan.estimatedRows || a.setup.name.localeCompare(b.setup.name)));
          const n = units.next();
          return n.done ? undefined : n.value;
        };
        const startTallies = async () => {
          names.forEach((n, position) => {
            const setup = setups.get(n) as TableSetup;
            const plan = plans.get(n) as TablePlan;
            const count = unitCount(setup, plan);
            let owned = 0;
            for (let u = 0; u < count; u++) if (shardOfUnit(u, count, position, shard.count) === shard.index - 1) owned++;
            if (owned === 0) return;
            const tally = new TableTally(setup, plan, owned, maxDifferences);
            tallies.set(n, tally);
            for (const r of resumed.units.get(n)?.values() ?? []) {
              if (shardOfUnit(r.unit, count, position, shard.count) !== shard.index - 1) continue;
              tally.add(r);
              resumedUnits++;
            }
            const share = count > 0 ? tally.remaining / count : 0;
            progress.unitsTotal += tally.remaining;
            progress.rowsTotal += Math.round(plan.estimatedRows * share);
            if (tally.remaining === 0) progress.done++;
          });
          progress.phase = 'hash';
          progress.hashStart = Date.now();
          await report();
        };
        const positions = new Map(names.map((n, i) => [n, i]));
        function* unitsOf(ordered: TableTally[]): Generator<[TableTally, number]> {
          for (const tally of ordered) {
            const position = positions.get(tally.setup.name) as number;
            const count = tally.done.length;
            for (let u = 0; u < count; u++) {
              if (tally.done[u] || shardOfUnit(u, count, position, shard.count) !== shard.index - 1) continue;
              yield [tally, u];
            }
          }
        }
        if (planned === names.length) {
          await startTallies();
        } else {
          progress.phase = 'plan';
        }

        // Both sides hash the same sequence of chunks, each at its own pace on its own connections (neither waits
        // for the other per chunk); a chunk is compared when both of its summaries are in. Chunks that differ, and
        // tables compared in one piece (no key, collation mismatch, one side only), need both sides at once: they
        // run after the hashing, still inside the snapshots, on connection pairs.
        type PairItem = { kind: 'unit'; tally: TableTally; unit: number } | { kind: 'narrow'; tally: TableTally; a: ChunkSummary; b: ChunkSummary };
        const pairQueue: PairItem[] = [];
        const seq: Array<[TableTally, number]> = [];
        let seqBase = 0;
        let exhausted = false;
        const cursor = { source: 0, target: 0 };
        const joined = new Map<number, { source?: ChunkSummary; target?: ChunkSummary }>();
        let waiters: Array<() => void> = [];
        const wake = () => {
          const w = waiters;
          waiters = [];
          for (const f of w) f();
        };
        // How far one side may run ahead of the other: enough to ride out one slow chunk, small enough that little
        // one-sided work is lost when a run is interrupted (and it bounds the join map).
        const window = 4 * parallel + 4;
        const take = async (side: 'source' | 'target'): Promise<[number, TableTally, number] | undefined> => {
          const other = side === 'source' ? 'target' : 'source';
          while (cursor[side] - cursor[other] > window && !sideDone[other] && !failure) await new Promise<void>((r) => waiters.push(r));
          const i = cursor[side];
          while (i - seqBase >= seq.length && !exhausted) {
            const n = nextUnit();
            if (!n) exhausted = true;
            else if (hashedPerSide(n[0].setup)) seq.push(n);
            else pairQueue.push({ kind: 'unit', tally: n[0], unit: n[1] });
          }
          if (i - seqBase >= seq.length) return undefined;
          const [tally, unit] = seq[i - seqBase];
          cursor[side]++;
          const low = Math.min(cursor.source, cursor.target);
          if (low - seqBase > 1024) {
            seq.splice(0, low - seqBase);
            seqBase = low;
          }
          wake();
          if (!tally.started) {
            tally.started = true;
            await report({ started: tally.setup.name });
          }
          return [i, tally, unit];
        };
        const sideDone = { source: false, target: false };
        const sideLoops = { source: 0, target: 0 };
        const sideLoop = async (side: 'source' | 'target', client: Client) => {
          sideLoops[side]++;
          try {
            for (let next = await take(side); next !== undefined; next = await take(side)) {
              check();
              const [i, tally, unit] = next;
              const summary = await hashChunk(tally.setup, tally.plan, unit, side, client);
              rowsHashed += Number(summary.rows);
              progress.hashed[side]++;
              let j = joined.get(i);
              if (!j) joined.set(i, (j = {}));
              j[side] = summary;
              if (j.source && j.target) {
                joined.delete(i);
                const { source: a, target: b } = j;
                if (a.rows === b.rows && a.hash === b.hash) {
                  await finish(tally, { unit, sourceRows: Number(a.rows), targetRows: Number(b.rows), differs: false, diffs: [], complete: true, rowsRead: 0 }, false, 0);
                } else pairQueue.push({ kind: 'narrow', tally, a, b });
              } else await report();
            }
          } finally {
            if (--sideLoops[side] === 0) sideDone[side] = true;
            wake();
          }
        };
        const settleOutcome = async (tally: TableTally, outcome: UnitOutcome) => {
          const structural = tally.setup.mode === 'missing_in_target' || tally.setup.mode === 'missing_in_source' || tally.setup.mode === 'no-common-columns';
          if (outcome.differs && recheckCount > 0 && !structural) pending.push({ tally, last: outcome });
          else await finish(tally, outcome, outcome.differs, 0);
        };
        let pairsHashing = 1 + (names.length === 0 ? 0 : parallel - 1);
        let hashingDone: () => void = () => undefined;
        const allHashed = new Promise<void>((r) => (hashingDone = r));

        const work = async (s: Client, t: Client) => {
          const source: Side = { client: s, catalog: sCat };
          const target: Side = { client: t, catalog: tCat };
          for (let name = planQueue.shift(); name !== undefined; name = planQueue.shift()) {
            check();
            const plan = await planTable(setups.get(name) as TableSetup, source, target, chunkSize);
            plans.set(name, plan);
            writer?.plan(plan);
            if (++planned === names.length) {
              await startTallies();
              allPlanned();
            }
          }
          await planningDone;
          try {
            await Promise.all([sideLoop('source', s), sideLoop('target', t)]);
          } finally {
            if (--pairsHashing === 0) hashingDone();
          }
          await allHashed;
          for (let item = pairQueue.shift(); item !== undefined; item = pairQueue.shift()) {
            check();
            if (!item.tally.started) {
              item.tally.started = true;
              await report({ started: item.tally.setup.name });
            }
            const outcome =
              item.kind === 'unit'
                ? await runUnit(item.tally.setup, item.tally.plan, item.unit, source, target, { maxDifferences })
                : await narrowChunk(item.tally.setup, item.tally.plan, item.a, item.b, source, target, { maxDifferences });
            rowsHashed += outcome.rowsRead;
            await settleOutcome(item.tally, outcome);
          }
        };

        const extra = names.length === 0 ? 0 : parallel - 1;
        const workers: Promise<void>[] = [work(sLead, tLead)];
        for (let i = 0; i < extra; i++) {
          workers.push(
            early[i]
              .then((pair) => {
                workerPairs.push(pair);
                const [s, t] = pair;
                return readOnlySnapshot(s, () => readOnlySnapshot(t, () => work(s, t), { snapshot: tSnap }), { snapshot: sSnap });
              })
              .catch((err: unknown) => {
                if (--pairsHashing === 0) hashingDone();
                throw err;
              }),
          );
        }
        await settle(workers, (err) => {
          failure ??= err;
          planQueue.length = 0;
          pairQueue.length = 0;
          allPlanned();
          hashingDone();
          wake();
        });
      }),
    );

    // --- Rechecks, each in fresh snapshots: replication lag converges, real differences stay --------------------
    for (let round = 1; round <= recheckCount && pending.length > 0; round++) {
      progress.phase = 'recheck';
      await sleep(recheckDelayMs, options.signal);
      check();
      recheckRounds = round;
      const queue = [...pending];
      pending.length = 0;
      const still: PendingUnit[] = [];
      const recheck = async ([s, t]: [Client, Client]) => {
        const source: Side = { client: s, catalog: (catalogs as { source: Catalog }).source };
        const target: Side = { client: t, catalog: (catalogs as { target: Catalog }).target };
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
          check();
          const o = await readOnlySnapshot(s, () => readOnlySnapshot(t, () => runUnit(item.tally.setup, item.tally.plan, item.last.unit, source, target, { maxDifferences })));
          rowsHashed += o.rowsRead;
          const gone = !o.differs || (item.last.complete && o.complete && intersect(item.last.diffs, o.diffs).length === 0);
          if (gone) {
            await finish(item.tally, o, false, round);
          } else {
            const diffs = item.last.complete && o.complete ? intersect(item.last.diffs, o.diffs) : o.diffs;
            still.push({ tally: item.tally, last: { ...o, diffs } });
          }
        }
      };
      await settle(workerPairs.map(recheck), (err) => {
        failure ??= err;
        queue.length = 0;
      });
      pending.push(...still);
    }
    for (const p of pending.splice(0)) await finish(p.tally, p.last, true, 0);
    check();

    progress.phase = 'done';
    await report();
    return buildResult(selection, tallies, { shard, targets, maxDifferences, stats: { rowsHashed, units: progress.unitsTotal + resumedUnits, resumedUnits, recheckRounds, elapsedMs: Date.now() - startedAt } });
  } catch (err) {
    const e = failure ?? err;
    if (e instanceof VerifyInputError || e instanceof VerifyAbortedError) throw e;
    // readOnlySnapshot wraps whatever its callback throws; an input problem stays an input problem.
    if (e instanceof Error && e.cause instanceof VerifyInputError) throw e.cause;
    if (e instanceof DatabaseError) throw e;
    throw classifyPgError(e);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    writer?.close();
    await Promise.allSettled(early);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

/** One more than the server's `max_parallel_workers_per_gather` (what it would use for one big scan), 1-8. */
async function defaultParallel(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>("SELECT current_setting('max_parallel_workers_per_gather') AS n");
  const n = Number(rows[0]?.n);
  return Number.isInteger(n) && n >= 0 ? Math.min(8, Math.max(1, n + 1)) : 2;
}

function notFoundIsEmpty(err: unknown): CheckpointState {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { plans: new Map(), units: new Map() };
  throw err;
}

/** Rows that differed both times (by key). */
function intersect(before: readonly RawDifference[], now: readonly RawDifference[]): RawDifference[] {
  const keys = new Set(before.map((d) => d.sortKey));
  return now.filter((d) => keys.has(d.sortKey));
}

/** Waits for every worker; the first failure stops the others (via `onFailure`) and is rethrown. */
async function settle(workers: Promise<void>[], onFailure: (err: unknown) => void): Promise<void> {
  const guarded = workers.map((w) =>
    w.catch((err: unknown) => {
      onFailure(err);
      throw err;
    }),
  );
  const settled = await Promise.allSettled(guarded);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function buildResult(
  selection: { tables: readonly string[]; warnings: readonly string[] },
  tallies: Map<string, TableTally>,
  meta: { shard: Shard; targets: { source: string; target: string }; maxDifferences: number; stats: VerifyResult['stats'] },
): VerifyResult {
  const tables: TableResult[] = [];
  const warnings: string[] = [...selection.warnings];
  const convergedChunks: ConvergedChunk[] = [];
  for (const name of selection.tables) {
    const tally = tallies.get(name);
    if (!tally) continue; // every unit of it belongs to other shards
    const { setup } = tally;
    warnings.push(...setup.warnings);
    let diffs: RawDifference[] = reconcile(tally.diffs);
    let status: TableStatus;
    if (setup.mode === 'missing_in_target' || setup.mode === 'missing_in_source') status = setup.mode;
    else if (setup.missingColumns) status = 'different';
    else if (!tally.different) status = 'identical';
    else if (diffs.length === 0 && tally.complete) {
      // Every differing chunk was explained by rows sitting in other chunks on the other side (the servers order
      // the key differently, e.g. another ICU version), but the rows are the same.
      warnings.push(`${name}: the two servers order the key ${setup.pk?.[0] ?? ''} differently; rows matched across chunks`);
      status = 'identical';
    } else status = 'different';
    if (status !== 'different') diffs = [];
    if (status === 'different' && !tally.complete) {
      warnings.push(`${name}: more than ${meta.maxDifferences} differing rows may exist; listed the first ${Math.min(diffs.length, meta.maxDifferences)}`);
    }
    const done: number[] = [];
    tally.done.forEach((d, i) => d && done.push(i));
    tables.push({
      table: name,
      status,
      sourceRows: tally.sourceRows,
      targetRows: tally.targetRows,
      differences: diffs.slice(0, meta.maxDifferences).map(strip),
      converged: tally.converged,
      coverage: { units: tally.done.length, done: formatRanges(done), plan: tally.plan.fingerprint },
    });
    convergedChunks.push(...tally.convergedChunks);
  }
  const sharded = meta.shard.count > 1;
  return {
    identical: tables.every((t) => t.status === 'identical'),
    complete: !sharded,
    ...(sharded ? { shard: { index: meta.shard.index, count: meta.shard.count } } : {}),
    source: meta.targets.source,
    target: meta.targets.target,
    compared: [...selection.tables],
    tables,
    convergedChunks,
    warnings,
    stats: meta.stats,
  };
}
