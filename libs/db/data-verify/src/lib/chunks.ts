/** Pure chunk logic: boundary choice, chunk-summary comparison and difference reconciliation (no database). */
import type { DifferenceKind } from './types';

/** Never more chunks than this per table, so the per-table chunk summary stays small whatever the table size. */
export const MAX_CHUNKS = 100_000;

export interface ChunkPlan {
  /** Ascending key values (text) separating the chunks; chunk i holds keys in [b[i-1], b[i]). Empty: one chunk. */
  readonly boundaries: readonly string[];
  /** Estimated rows in the table. */
  readonly estimatedRows: number;
}

/**
 * Picks chunk boundaries from a key sample that the server returned in key order.
 * @param sample sampled first-key-column values, ascending in the server's order
 * @param samplingFraction share of the table the sample represents (1 = every row)
 */
export function planChunks(sample: readonly string[], samplingFraction: number, chunkSize: number): ChunkPlan {
  if (!(samplingFraction > 0 && samplingFraction <= 1)) throw new RangeError(`samplingFraction must be in (0, 1], got ${samplingFraction}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  const estimatedRows = Math.round(sample.length / samplingFraction);
  const size = Math.max(chunkSize, Math.ceil(estimatedRows / MAX_CHUNKS));
  const chunks = Math.ceil(estimatedRows / size);
  const boundaries: string[] = [];
  if (chunks > 1 && sample.length > 1) {
    for (let i = 1; i < chunks; i++) {
      const v = sample[Math.floor((i * sample.length) / chunks)];
      // The sample is sorted: equal values are adjacent, so comparing with the last boundary removes duplicates.
      if (v !== undefined && v !== boundaries[boundaries.length - 1] && v !== sample[0]) boundaries.push(v);
    }
  }
  return { boundaries, estimatedRows };
}

export interface ChunkSummary {
  readonly chunk: number;
  /** Row count (text, exact). */
  readonly rows: string;
  /** Sum of 64-bit row hashes (numeric text). */
  readonly hash: string;
}

export interface ChunkComparison {
  /** Chunks whose count or hash differ, or that exist on one side only (ascending). */
  readonly differing: readonly number[];
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly chunks: number;
}

/** Compares two chunk summaries, each sorted by chunk number. */
export function compareChunks(source: readonly ChunkSummary[], target: readonly ChunkSummary[]): ChunkComparison {
  const differing: number[] = [];
  let sourceRows = 0;
  let targetRows = 0;
  let i = 0;
  let j = 0;
  let chunks = 0;
  while (i < source.length || j < target.length) {
    const a = source[i];
    const b = target[j];
    chunks++;
    if (b === undefined || (a !== undefined && a.chunk < b.chunk)) {
      differing.push(a.chunk);
      sourceRows += Number(a.rows);
      i++;
    } else if (a === undefined || b.chunk < a.chunk) {
      differing.push(b.chunk);
      targetRows += Number(b.rows);
      j++;
    } else {
      if (a.rows !== b.rows || a.hash !== b.hash) differing.push(a.chunk);
      sourceRows += Number(a.rows);
      targetRows += Number(b.rows);
      i++;
      j++;
    }
  }
  return { differing, sourceRows, targetRows, chunks };
}

/** Byte-wise (UTF-8) comparison: the order of `COLLATE "C"`. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface RawDifference {
  /** Canonical key text (record form), identical on both sides for the same key. */
  readonly sortKey: string;
  readonly key: Readonly<Record<string, string | null>>;
  readonly kind: DifferenceKind;
  /** Row hash on the side(s) that have the row (`source`, `target`). */
  readonly sourceHash?: string;
  readonly targetHash?: string;
}

/**
 * Joins differences found in different chunks for the same key. That happens only when the two servers order
 * keys differently (e.g. text keys under different collations), so a row falls in another chunk on each side:
 * `missing_in_target` + `missing_in_source` for one key is `changed` if the row hashes differ, or no difference.
 */
export function reconcile(diffs: readonly RawDifference[]): RawDifference[] {
  const byKey = new Map<string, RawDifference[]>();
  for (const d of diffs) {
    const list = byKey.get(d.sortKey);
    if (list) list.push(d);
    else byKey.set(d.sortKey, [d]);
  }
  const out: RawDifference[] = [];
  for (const d of diffs) {
    const list = byKey.get(d.sortKey);
    if (!list) continue; // already emitted with its partner
    const missingT = list.find((x) => x.kind === 'missing_in_target');
    const missingS = list.find((x) => x.kind === 'missing_in_source');
    if (list.length === 2 && missingT && missingS) {
      if (missingT.sourceHash !== missingS.targetHash) {
        out.push({ sortKey: d.sortKey, key: missingT.key, kind: 'changed', sourceHash: missingT.sourceHash, targetHash: missingS.targetHash });
      }
      byKey.delete(d.sortKey);
      continue;
    }
    out.push(d);
  }
  return out;
}
