/**
 * The rehearsal's application schema, in the versions the scenarios use, and the statements of the application.
 * Version 1 runs on the old database; the new database gets version 2 (compatible: an added index) or, in the
 * breaking-schema scenario, version 2 with the `item_summary` view's `size` column renamed — which breaks the old
 * version's read.
 */

/** The old version's read: it names the view's `size` column (a schema that drops or renames it breaks this query). */
export const READ_SQL = 'SELECT id, colour, size FROM public.item_summary WHERE id = $1';
export const WRITE_SQL = 'INSERT INTO public.items (id, colour, payload) VALUES ($1, $2, $3)';

/** Replication bookkeeping (a heartbeat per direction): never compared by the schema check or data verify. */
export const CONTROL_SCHEMA = 'rehearsal_control';

const CONTROL = `
CREATE SCHEMA ${CONTROL_SCHEMA};
CREATE TABLE ${CONTROL_SCHEMA}.heartbeat (direction text PRIMARY KEY, at timestamptz NOT NULL);
`;

const V1 = `
CREATE TABLE public.items (
  id text PRIMARY KEY,
  colour text NOT NULL,
  payload text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW public.item_summary AS SELECT id, colour, length(payload) AS size, created_at FROM public.items;
${CONTROL}`;

/** Version 2, compatible with the old application: only an index is added. */
const V2 = `${V1}
CREATE INDEX items_colour_idx ON public.items (colour, created_at);
`;

/** Version 2 with a rename the old version's read does not survive (`size` -> `payload_size`). */
const V2_BREAKING = V1.replace('length(payload) AS size', 'length(payload) AS payload_size');

export type SchemaVersion = 'v1' | 'v2' | 'v2-breaking';

export function schemaSql(version: SchemaVersion): string {
  return version === 'v1' ? V1 : version === 'v2' ? V2 : V2_BREAKING;
}

/** Rows the old database holds before the rehearsal starts (the full load copies them, heartbeats included). */
export function initialRowsSql(count: number): string {
  return `INSERT INTO ${CONTROL_SCHEMA}.heartbeat VALUES ('forward', clock_timestamp()), ('reverse', clock_timestamp());
    INSERT INTO public.items (id, colour, payload, created_at)
    SELECT 'initial-' || g, 'blue', repeat(md5(g::text), 4), now() - make_interval(secs => g) FROM generate_series(1, ${Math.trunc(count)}) AS g;`;
}
