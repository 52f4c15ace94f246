/** What `verifyData` reports. The JSON form of {@link VerifyResult} is the `bluegreen data verify --format json` output. */

export type TableStatus = 'identical' | 'different' | 'missing_in_target' | 'missing_in_source';
export type DifferenceKind = 'missing_in_target' | 'missing_in_source' | 'changed';

export interface RowDifference {
  /**
   * The row's primary key, column name -> value as text (the server's text output with TimeZone UTC).
   * For a table without a primary key: every compared column (null for SQL NULL).
   */
  readonly key: Readonly<Record<string, string | null>>;
  readonly kind: DifferenceKind;
}

/** Which units of work (key-range chunks; one for a table compared whole) a result covers: for merging shards. */
export interface TableCoverage {
  /** Units of work the table was cut into. */
  readonly units: number;
  /** The units this result covers, as ranges (`0-41,97`). */
  readonly done: string;
  /** Fingerprint of the table's plan (compared columns, key, chunk boundaries): shards must agree on it. */
  readonly plan: string;
}

export interface TableResult {
  /** `schema.table` */
  readonly table: string;
  readonly status: TableStatus;
  /** Rows in the source; null when the table does not exist there. */
  readonly sourceRows: number | null;
  /** Rows in the target; null when the table does not exist there. */
  readonly targetRows: number | null;
  /** Up to `maxDifferences` (default 100) differing rows, in key order per chunk. */
  readonly differences: readonly RowDifference[];
  /** Chunks that differed at first and were equal on a recheck (replication catching up, not a difference). */
  readonly converged: number;
  readonly coverage: TableCoverage;
}

/** A chunk that differed and then converged on a recheck. */
export interface ConvergedChunk {
  readonly table: string;
  /** The chunk's key range, e.g. `id >= 40001 AND id < 50001` (`whole table` for a table compared in one piece). */
  readonly range: string;
  /** Rechecks it took (1 = the first recheck found it equal). */
  readonly attempts: number;
}

export interface VerifyStats {
  /** Rows read and hashed on both sides together (first pass, narrowing and rechecks). */
  readonly rowsHashed: number;
  /** Units of work of this run (after the shard filter). */
  readonly units: number;
  /** Units taken from the checkpoint instead of being hashed again. */
  readonly resumedUnits: number;
  /** Recheck rounds that ran. */
  readonly recheckRounds: number;
  readonly elapsedMs: number;
}

export interface VerifyResult {
  /** True when every compared table is `identical` (chunks that converged on a recheck count as identical). */
  readonly identical: boolean;
  /** False for one shard's part (`shard`): only the merge of every shard's result is a verdict. */
  readonly complete: boolean;
  /** Present when this result is one shard's part. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Redacted `host:port/db` of each side. */
  readonly source: string;
  readonly target: string;
  /** Exactly the tables compared (`schema.table`, sorted), in every shard the same list. */
  readonly compared: readonly string[];
  /** One entry per table this result covers, sorted by name. */
  readonly tables: readonly TableResult[];
  /** Chunks that differed and converged on a recheck (at most `maxDifferences` per table listed). */
  readonly convergedChunks: readonly ConvergedChunk[];
  /** Things a person should know (no primary key, column sets differ, differences truncated, …), each prefixed with its table. */
  readonly warnings: readonly string[];
  readonly stats: VerifyStats;
}

export type VerifyPhase = 'snapshot' | 'plan' | 'hash' | 'recheck' | 'done';

export interface VerifyProgress {
  readonly phase: VerifyPhase;
  /** Tables finished so far. */
  readonly done: number;
  readonly total: number;
  /** Units of work (chunks) finished / to do in this run. */
  readonly unitsDone: number;
  readonly unitsTotal: number;
  /** Rows hashed so far (the larger side of each finished chunk) and the estimate for the whole run. */
  readonly rowsDone: number;
  readonly rowsTotal: number;
  /** Chunks hashed so far by each side (each side runs at its own pace). */
  readonly hashed: { readonly source: number; readonly target: number };
  readonly elapsedMs: number;
  /** Estimated time to finish the first pass, from the rate so far; absent until there is a rate. */
  readonly etaMs?: number;
  /** The table that just finished. */
  readonly table?: string;
  /** A table whose comparison is starting now. */
  readonly started?: string;
}
