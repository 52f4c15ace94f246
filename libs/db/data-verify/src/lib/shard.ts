/** Shards and unit ranges (pure): which units of work a `--shard I/N` worker takes, and range text for reports. */
import { VerifyInputError } from './errors';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** Parses `I/N` (1 <= I <= N <= 1024). */
export function parseShard(text: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 1024 || index < 1 || index > count) throw new VerifyInputError(`shard must be I/N with 1 <= I <= N <= 1024, got ${JSON.stringify(text)}`);
  return { index, count };
}

/**
 * The shard (0-based) that owns unit `unit` of a table with `units` units: each table is cut into N contiguous
 * runs of units, and the run a shard gets rotates with the table's position so that many small tables spread over
 * the shards. Deterministic: the same plan gives every worker the same answer, and the shards are disjoint and
 * cover every unit.
 */
export function shardOfUnit(unit: number, units: number, tablePosition: number, count: number): number {
  return (Math.floor((unit * count) / units) + tablePosition) % count;
}

/** Units as compact ranges: [0,1,2,5,7,8] -> `0-2,5,7-8`. Input in any order, duplicates ignored. */
export function formatRanges(units: Iterable<number>): string {
  const sorted = [...new Set(units)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The inverse of {@link formatRanges}, as [from, to] pairs (inclusive). */
export function parseRanges(text: string): Array<[number, number]> {
  if (text === '') return [];
  return text.split(',').map((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new VerifyInputError(`unit ranges must look like 0-41,97, got ${JSON.stringify(text)}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new VerifyInputError(`unit range ${part} runs backwards`);
    return [from, to];
  });
}
