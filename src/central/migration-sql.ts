/**
 * Pieces of SQL the central migrations share: the append-only triggers of a table, an ingest refusal, the genesis
 * hash. A shipped migration's text never changes, so neither may what these generate.
 */
import { ORIGIN, SCHEMA } from './chain-sql.js';

const S = SCHEMA;
export const GENESIS = '0'.repeat(64);
export const EVENT = 'credline.event.v1';
/** A pair found twice within one statement (both rows new) is kept once: `o` new and later than `n` is skipped. */
export const EARLIER = `((o.${ORIGIN}, o.seq) < (n.${ORIGIN}, n.seq) OR NOT EXISTS (SELECT 1 FROM new_rows m
        WHERE m.${ORIGIN} = o.${ORIGIN} AND m.seq = o.seq))`;

/** Refuses UPDATE, DELETE and TRUNCATE on `table`. */
export function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${S}.${table}
  FOR EACH ROW EXECUTE FUNCTION ${S}.refuse_change();
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${S}.${table}
  FOR EACH STATEMENT EXECUTE FUNCTION ${S}.refuse_change();`;
}

/** Raises an ingest refusal: SQLSTATE CL001, a message naming the row, and a JSON detail sync records as a finding. */
export function refuse(kind: string, message: string, args: string, row: string): string {
  return `RAISE EXCEPTION USING ERRCODE = 'CL001', MESSAGE = format(${message}, ${args}),
      DETAIL = json_build_object('kind', '${kind}', 'station', ${row}.${ORIGIN}, 'seq', ${row}.seq,
        'offered_hash', ${row}.row_hash)::text;`;
}
