/**
 * The `--checkpoint FILE` of a verification: an append-only JSON-lines log. The first line says which comparison
 * it belongs to; then one line per planned table (its chunk boundaries) and one per finished unit of work (its
 * counts and differing rows). A rerun reads it back, keeps the plans and skips the finished units; a torn last
 * line (the process was killed mid-write) is ignored.
 *
 * Appends are plain `write(2)`s to an `O_APPEND` descriptor: a killed process loses nothing already written
 * (the kernel has it); `close()` fsyncs.
 */
import { closeSync, createReadStream, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RawDifference } from './chunks';
import type { TablePlan } from './compare';
import { VerifyInputError } from './errors';

export const CHECKPOINT_FORMAT = 'bluegreen-data-verify-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** What makes two runs the same comparison. */
export interface CheckpointIdentity {
  readonly source: string;
  readonly target: string;
  readonly tables: readonly string[];
  readonly excludeSchemas: readonly string[];
  readonly chunkSize: number;
  readonly maxDifferences: number;
  readonly shard: string;
}

/** A finished unit as recorded. */
export interface UnitRecord {
  readonly table: string;
  readonly unit: number;
  readonly sourceRows: number | null;
  readonly targetRows: number | null;
  /** Differed and stayed different after every recheck. */
  readonly different: boolean;
  /** Rechecks it took to converge (0: equal at once, or never differed). */
  readonly converged: number;
  readonly diffs: readonly RawDifference[];
  readonly complete: boolean;
  readonly range: string;
}

export interface CheckpointState {
  readonly plans: Map<string, TablePlan>;
  readonly units: Map<string, Map<number, UnitRecord>>;
}

type Line =
  | { checkpoint: string; version: number; identity: CheckpointIdentity }
  | { plan: TablePlan }
  | { unit: UnitRecord };

function describeMismatch(a: CheckpointIdentity, b: CheckpointIdentity): string | undefined {
  for (const k of Object.keys(b) as (keyof CheckpointIdentity)[]) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k} differs (checkpoint: ${JSON.stringify(a[k])}; this run: ${JSON.stringify(b[k])})`;
  }
  return undefined;
}

/** Reads a checkpoint (streaming, line by line). Refuses one written for another comparison. */
export async function readCheckpoint(file: string, identity: CheckpointIdentity): Promise<CheckpointState> {
  const plans = new Map<string, TablePlan>();
  const units = new Map<string, Map<number, UnitRecord>>();
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let pendingError: string | undefined;
  for await (const text of rl) {
    lineNo++;
    if (text.trim() === '') continue;
    if (pendingError) throw new VerifyInputError(pendingError); // a bad line that was not the last one
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      // Only a torn header of our own format may be taken for "nothing recorded yet"; any other file is not ours.
      if (lineNo === 1 && !`{"checkpoint":"${CHECKPOINT_FORMAT}"`.startsWith(text.slice(0, 48))) {
        throw new VerifyInputError(`checkpoint ${file}: not a data verify checkpoint (first line); choose another file`);
      }
      pendingError = `checkpoint ${file}: line ${lineNo} is not JSON (the file is damaged; remove it to start over)`;
      continue;
    }
    if (lineNo === 1) {
      if (!('checkpoint' in line) || line.checkpoint !== CHECKPOINT_FORMAT) throw new VerifyInputError(`checkpoint ${file}: not a data verify checkpoint (first line)`);
      if (line.version !== CHECKPOINT_VERSION) throw new VerifyInputError(`checkpoint ${file}: format version ${line.version}, this bluegreen reads ${CHECKPOINT_VERSION}`);
      const mismatch = describeMismatch(line.identity, identity);
      if (mismatch) throw new VerifyInputError(`checkpoint ${file} belongs to another comparison: ${mismatch}; remove it or choose another file`);
    } else if ('plan' in line) {
      plans.set(line.plan.table, line.plan);
    } else if ('unit' in line) {
      const u = line.unit;
      let m = units.get(u.table);
      if (!m) units.set(u.table, (m = new Map()));
      m.set(u.unit, u);
    }
  }
  // An empty file, or one whose only line is a torn header: nothing was recorded yet.
  return { plans, units };
}

/** Cuts a last line that has no newline (a write the killed process did not finish), so appends start clean. */
function dropTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  const block = Buffer.alloc(65_536);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - block.length);
    const n = readSync(fd, block, 0, end - start, start);
    if (end === size && n > 0 && block[n - 1] === 0x0a) return; // ends cleanly
    const nl = block.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) {
      ftruncateSync(fd, start + nl + 1);
      return;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
}

/** An open checkpoint for appending. */
export class CheckpointWriter {
  private constructor(
    private readonly fd: number,
    readonly file: string,
  ) {}

  /** Opens `file` for appending, writing the identity line first when the file is new. */
  static open(file: string, identity: CheckpointIdentity): CheckpointWriter {
    if (existsSync(file)) {
      const rw = openSync(file, 'r+');
      try {
        dropTornTail(rw);
      } finally {
        closeSync(rw);
      }
    }
    const fd = openSync(file, 'a', 0o600);
    const writer = new CheckpointWriter(fd, file);
    if (fstatSync(fd).size === 0) writer.append({ checkpoint: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, identity });
    return writer;
  }

  private append(line: Line): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  plan(plan: TablePlan): void {
    this.append({ plan });
  }

  unit(record: UnitRecord): void {
    this.append({ unit: record });
  }

  close(): void {
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}
