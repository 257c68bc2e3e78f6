/**
 * Migration 4: the ingest check without the per-row pattern checks. Migration 1 checked `prev_hash` and `row_hash`
 * of every stored row against `^[0-9a-f]{64}$` (a counted repetition: about a third of the server's ingest time)
 * although the ingest trigger already decides both: a row whose `row_hash` is not the SHA-256 of the row, in
 * lowercase hex, is refused (bad-hash), and so is one whose `prev_hash` is not its station's previous `row_hash`
 * (bad-link). What the pattern caught before the trigger ran, a `prev_hash` that is not hex, is now refused by the
 * trigger too, as a bad link named like any other: the trigger's sorts and scans run in memory (work_mem).
 * The checks themselves, and their order, are migration 1's.
 */
import { ORIGIN, rowHashSql, SCHEMA } from './chain-sql.js';
import { EARLIER, EVENT, GENESIS, refuse } from './migration-sql.js';

const S = SCHEMA;

export const INGEST_CHECK_V4_SQL = `
ALTER TABLE ${S}.chain_records
  DROP CONSTRAINT chain_records_prev_hash_check,
  DROP CONSTRAINT chain_records_row_hash_check;

CREATE OR REPLACE FUNCTION ${S}.check_ingest() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ${S}, pg_temp SET work_mem = '256MB' AS $$
DECLARE
  bad record;
BEGIN
  -- One ingest at a time from here to commit: each statement below sees every other ingest's committed rows,
  -- so two stations pushing the same serial at once cannot both miss the other.
  PERFORM pg_advisory_xact_lock(hashtext('credline.ingest'));
  SELECT n.* INTO bad FROM new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM ${S}.stations s WHERE s.station_id = n.${ORIGIN}) LIMIT 1;
  IF FOUND THEN
    ${refuse('unregistered', "'station %s is not registered (credline central station add)'", `bad.${ORIGIN}`, 'bad')}
  END IF;
  BEGIN
    SELECT n.* INTO bad FROM new_rows n WHERE n.row_hash IS DISTINCT FROM ${rowHashSql('n')} LIMIT 1;
  EXCEPTION WHEN invalid_parameter_value THEN
    -- decode() met a prev_hash that is not hex
    SELECT n.* INTO bad FROM new_rows n WHERE n.prev_hash !~ '^[0-9a-f]{64}$' LIMIT 1;
    IF NOT FOUND THEN
      RAISE;
    END IF;
    ${refuse(
      'bad-link',
      "'station %s seq %s: prev_hash %s is not a SHA-256 hash in lowercase hex'",
      `bad.${ORIGIN}, bad.seq, bad.prev_hash`,
      'bad',
    )}
  END;
  IF FOUND THEN
    ${refuse(
      'bad-hash',
      "'station %s seq %s: row_hash %s is not the hash of the row (%s record edited)'",
      `bad.${ORIGIN}, bad.seq, bad.row_hash, bad.record_type`,
      'bad',
    )}
  END IF;
  SELECT x.* INTO bad FROM (
      SELECT n.${ORIGIN}, n.seq, n.prev_hash, n.row_hash, lag(n.seq) OVER w AS lag_seq, lag(n.row_hash) OVER w AS lag_hash
      FROM new_rows n WINDOW w AS (PARTITION BY n.${ORIGIN} ORDER BY n.seq)) x
    WHERE x.lag_seq IS NOT NULL AND (x.seq <> x.lag_seq + 1 OR x.prev_hash <> x.lag_hash)
    LIMIT 1;
  IF NOT FOUND THEN
    -- each station's first new row links to its stored row seq - 1 (one primary-key probe, LATERAL … OFFSET 0)
    SELECT f.* INTO bad FROM (
        SELECT DISTINCT ON (n.${ORIGIN}) n.${ORIGIN}, n.seq, n.prev_hash, n.row_hash FROM new_rows n
        ORDER BY n.${ORIGIN}, n.seq) f
      LEFT JOIN LATERAL (SELECT p.row_hash FROM ${S}.chain_records p
        WHERE p.${ORIGIN} = f.${ORIGIN} AND p.seq = f.seq - 1 OFFSET 0) p ON true
      WHERE f.prev_hash IS DISTINCT FROM CASE WHEN f.seq = 1 THEN '${GENESIS}' ELSE p.row_hash END
      LIMIT 1;
  END IF;
  IF FOUND THEN
    ${refuse(
      'bad-link',
      "'station %s seq %s: prev_hash %s does not link to the station''s seq %s'",
      `bad.${ORIGIN}, bad.seq, bad.prev_hash, bad.seq - 1`,
      'bad',
    )}
  END IF;
  -- LATERAL … OFFSET 0: each new PASS probes the partial index by its own key, whatever the statistics say.
  INSERT INTO ${S}.conflicts (kind, profile_id, key_id, first_station, first_seq, first_serial, first_batch, first_at,
      second_station, second_seq, second_serial, second_batch, second_at)
    SELECT 'serial', n.profile_id, o.key_id, o.${ORIGIN}, o.seq, o.serial, o.batch_id, o.finished_at,
      n.${ORIGIN}, n.seq, n.serial, n.batch_id, n.finished_at
    FROM new_rows n CROSS JOIN LATERAL (SELECT * FROM ${S}.chain_records o
      WHERE o.profile_id = n.profile_id AND o.serial = n.serial AND o.kind = 'RESULT' AND o.result = 'PASS'
        AND o.${ORIGIN} <> n.${ORIGIN} OFFSET 0) o
    WHERE n.record_type = '${EVENT}' AND n.result = 'PASS' AND ${EARLIER};
  INSERT INTO ${S}.conflicts (kind, profile_id, key_id, first_station, first_seq, first_serial, first_batch, first_at,
      second_station, second_seq, second_serial, second_batch, second_at)
    SELECT 'fingerprint', n.profile_id, n.key_id, o.${ORIGIN}, o.seq, o.serial, o.batch_id, o.finished_at,
      n.${ORIGIN}, n.seq, n.serial, n.batch_id, n.finished_at
    FROM new_rows n CROSS JOIN LATERAL (SELECT * FROM ${S}.chain_records o
      WHERE o.key_id = n.key_id AND o.fingerprint = n.fingerprint AND o.result = 'PASS' AND o.serial <> n.serial
      OFFSET 0) o
    WHERE n.record_type = '${EVENT}' AND n.result = 'PASS' AND ${EARLIER};
  RETURN NULL;
END $$;
`;
