import type { Client } from 'pg';
import { VerifyInputError } from './errors';
import type { ColumnInfo, TableInfo } from './sql';

interface RawTable {
  schema: string;
  name: string;
  relkind: 'r' | 'p';
  reltuples: number;
  bytes: string;
  columns: ColumnInfo[] | null;
  pk: string[] | null;
}

export interface Catalog {
  readonly serverVersionNum: number;
  readonly blockSize: number;
  readonly tables: ReadonlyMap<string, TableInfo>;
}

/** The oldest server this works on: `hashtextextended` arrived in PostgreSQL 11. */
export const MIN_SERVER_VERSION_NUM = 110000;

/**
 * Every user table (plain and partitioned, not partitions, not extension-owned, not in system schemas) with its
 * columns and primary key. One query, read inside the caller's snapshot.
 */
export async function readCatalog(client: Client): Promise<Catalog> {
  const settings = await client.query<{ num: string; block: string }>("SELECT current_setting('server_version_num') AS num, current_setting('block_size') AS block");
  const serverVersionNum = Number(settings.rows[0].num);
  const blockSize = Number(settings.rows[0].block);
  if (serverVersionNum < MIN_SERVER_VERSION_NUM) {
    throw new VerifyInputError(`data verify needs PostgreSQL 11 or newer (hashtextextended); server_version_num is ${serverVersionNum}`);
  }
  const partitionBytes =
    serverVersionNum >= 120000
      ? `(SELECT coalesce(sum(pg_relation_size(p.relid)), 0) FROM pg_partition_tree(c.oid) p)`
      : `(SELECT coalesce(sum(pg_relation_size(i.inhrelid)), 0) FROM pg_inherits i WHERE i.inhparent = c.oid)`;
  const { rows } = await client.query<RawTable>(`
    SELECT n.nspname AS schema, c.relname AS name, c.relkind, c.reltuples::float8 AS reltuples,
           (CASE WHEN c.relkind = 'p' THEN ${partitionBytes} ELSE pg_relation_size(c.oid) END)::int8 AS bytes,
           (SELECT json_agg(json_build_object(
                     'name', a.attname,
                     'type', format_type(a.atttypid, a.atttypmod),
                     'baseType', format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL),
                     'collation', CASE WHEN a.attcollation = 0 THEN NULL
                                       WHEN a.attcollation = 100 THEN (SELECT 'default/' || concat_ws('/', to_jsonb(d)->>'datlocprovider', d.datcollate, coalesce(to_jsonb(d)->>'datlocale', to_jsonb(d)->>'daticulocale'))
                                                                         FROM pg_database d WHERE d.datname = current_database())
                                       ELSE (SELECT concat_ws('/', co.collname, co.collprovider, co.collcollate, coalesce(to_jsonb(co)->>'colllocale', to_jsonb(co)->>'colliculocale'))
                                               FROM pg_collation co WHERE co.oid = a.attcollation) END)
                   ORDER BY a.attnum)
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
           (SELECT json_agg(a.attname ORDER BY k.ord)
              FROM pg_constraint co
              CROSS JOIN LATERAL unnest(co.conkey) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
             WHERE co.conrelid = c.oid AND co.contype = 'p') AS pk
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p')
       AND NOT c.relispartition
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY 1, 2`);
  const tables = new Map<string, TableInfo>();
  for (const r of rows) {
    const info: TableInfo = Object.freeze({
      schema: r.schema,
      name: r.name,
      relkind: r.relkind,
      bytes: Number(r.bytes),
      reltuples: Number(r.reltuples),
      columns: Object.freeze(r.columns ?? []),
      ...(r.pk ? { primaryKey: Object.freeze(r.pk) } : {}),
    });
    tables.set(`${r.schema}.${r.name}`, info);
  }
  return { serverVersionNum, blockSize, tables };
}
