import type { Client, QueryResultRow } from 'pg';

let counter = 0;

/**
 * Reads a query's rows in batches through a server-side cursor (`DECLARE … NO SCROLL CURSOR` inside the caller's
 * transaction), so Node holds at most one batch per cursor whatever the result size.
 */
export class CursorReader<R extends QueryResultRow> {
  private buffer: R[] = [];
  private index = 0;
  private exhausted = false;

  private constructor(
    private readonly client: Client,
    private readonly name: string,
    private readonly batchSize: number,
  ) {}

  static async open<R extends QueryResultRow>(client: Client, sql: string, params: unknown[], batchSize = 2000): Promise<CursorReader<R>> {
    const name = `bluegreen_dv_${++counter}`;
    await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
    return new CursorReader<R>(client, name, batchSize);
  }

  /** The next row without consuming it; undefined at the end. */
  async peek(): Promise<R | undefined> {
    if (this.index < this.buffer.length) return this.buffer[this.index];
    if (this.exhausted) return undefined;
    const { rows } = await this.client.query<R>(`FETCH ${this.batchSize} FROM ${this.name}`);
    this.buffer = rows;
    this.index = 0;
    if (rows.length < this.batchSize) this.exhausted = true;
    return rows[0];
  }

  /** Consumes the row last returned by {@link peek}. */
  advance(): void {
    this.index++;
  }

  async close(): Promise<void> {
    this.buffer = [];
    await this.client.query(`CLOSE ${this.name}`);
  }
}
