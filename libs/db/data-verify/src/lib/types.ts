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
}

export interface VerifyResult {
  /** True when every table is `identical`. */
  readonly identical: boolean;
  /** Sorted by table name. */
  readonly tables: readonly TableResult[];
  /** Things a person should know (no primary key, column sets differ, differences truncated, …), each prefixed with its table. */
  readonly warnings: readonly string[];
}

export interface VerifyProgress {
  /** Tables finished so far. */
  readonly done: number;
  readonly total: number;
  /** The table that just finished (absent on the first call and on `started` calls). */
  readonly table?: string;
  /** A table whose comparison is starting now (for a display of what is being read). */
  readonly started?: string;
}
