/** Shared by the benchmark scripts: wall-clock timing, best-of-N, and a one-shot SQL statement. */
import { Client } from 'pg';

export interface Timed<T> {
  readonly ms: number;
  readonly value: T;
}

export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Best of `runs` (the usual benchmark convention: least disturbed by other processes on the machine). */
export async function best<T>(fn: () => Promise<T>, runs: number): Promise<Timed<T> & { readonly all: number[] }> {
  const all: number[] = [];
  let last: Timed<T> | undefined;
  for (let i = 0; i < runs; i++) {
    last = await timed(fn);
    all.push(last.ms);
  }
  return { ms: Math.min(...all), value: (last as Timed<T>).value, all };
}

/** Runs SQL (several statements allowed) on a fresh connection. */
export async function execSql(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
