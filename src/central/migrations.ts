/**
 * The central schema, as an ordered, append-only list of forward migrations (the local store's rule: never edit,
 * reorder or remove a shipped entry; append a new version). `credline.schema_migrations` records what was applied;
 * `central init` applies the missing ones, each in its own transaction, under an advisory lock so that two
 * concurrent inits migrate once.
 *
 * Every table holding evidence is append-only twice over: no role is granted UPDATE, DELETE or TRUNCATE on it,
 * and a trigger refuses them anyway (for the owner too, short of dropping the trigger).
 */
import { chainColumnsDdl, ORIGIN, rowHashSql, SCHEMA } from './chain-sql.js';
import { bodyHashSql, documentRowHashSql } from './document-chain-sql.js';
import { INGEST_CHECK_V4_SQL } from './ingest-check-sql.js';
import { appendOnly, EARLIER, EVENT, GENESIS, refuse } from './migration-sql.js';
import { orderSlotMigration } from './order-slots-sql.js';
import { ROLES } from './roles.js';

export interface CentralMigration {
  /** 1-based; equal to its position in CENTRAL_MIGRATIONS. */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

const S = SCHEMA;

export const CENTRAL_MIGRATIONS: readonly CentralMigration[] = [
  {
    version: 1,
    description:
      'stations, chained records, checkpoints, findings, conflicts, reservations, compliance documents; roles',
    sql: `
CREATE FUNCTION ${S}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'CL002',
    MESSAGE = format('credline.%s is append-only: %s refused', TG_TABLE_NAME, TG_OP);
END $$;

CREATE TABLE ${S}.stations (
  station_id text PRIMARY KEY CHECK (station_id <> ''),
  public_key text NOT NULL CHECK (public_key ~ '^[0-9a-f]{64}$'),
  label text,
  registered_at timestamptz NOT NULL DEFAULT now()
);
${appendOnly('stations')}

CREATE TABLE ${S}.chain_records (
${chainColumnsDdl()},
  ingested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (${ORIGIN}, seq)
);
CREATE INDEX chain_records_batch ON ${S}.chain_records (batch_id, ${ORIGIN}, seq) WHERE batch_id IS NOT NULL;
CREATE INDEX chain_records_serial ON ${S}.chain_records (serial) WHERE serial IS NOT NULL;
-- The conflict probes' indexes; each predicate names a column the other probe does not, so that neither probe can
-- pick the other's index (with stale statistics both would look equally cheap, and a probe would scan it whole).
CREATE INDEX chain_records_pass ON ${S}.chain_records (profile_id, serial) WHERE kind = 'RESULT' AND result = 'PASS';
CREATE INDEX chain_records_pass_fingerprint ON ${S}.chain_records (key_id, fingerprint)
  WHERE result = 'PASS' AND fingerprint IS NOT NULL;
${appendOnly('chain_records')}

CREATE TABLE ${S}.checkpoints (
  ${ORIGIN} text NOT NULL,
  local_id bigint NOT NULL,
  head_seq bigint NOT NULL CHECK (head_seq >= 0),
  head_hash text NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
  station_id text NOT NULL,
  public_key text NOT NULL,
  reason text NOT NULL,
  created_at text NOT NULL,
  signature text NOT NULL CHECK (signature ~ '^[0-9a-f]{128}$'),
  ingested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (${ORIGIN}, local_id)
);
${appendOnly('checkpoints')}

-- What ingest refused: a row contradicting the stored chain, a row that is not the hash of itself, a checkpoint
-- signed by another key. Written by sync in its own transaction after the refusal.
CREATE TABLE ${S}.findings (
  id bigserial PRIMARY KEY,
  ${ORIGIN} text NOT NULL,
  seq bigint,
  kind text NOT NULL,
  detail text NOT NULL,
  stored_hash text,
  offered_hash text,
  offered_row jsonb,
  found_at timestamptz NOT NULL DEFAULT now()
);
${appendOnly('findings')}

-- The same serial PASSed at two stations, or one password (fingerprint under one key id) given to two serials:
-- written by the ingest check of the second row, naming both.
CREATE TABLE ${S}.conflicts (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('serial', 'fingerprint')),
  profile_id text NOT NULL,
  key_id text NOT NULL,
  first_station text NOT NULL,
  first_seq bigint NOT NULL,
  first_serial text NOT NULL,
  first_batch text NOT NULL,
  first_at text NOT NULL,
  second_station text NOT NULL,
  second_seq bigint NOT NULL,
  second_serial text NOT NULL,
  second_batch text NOT NULL,
  second_at text NOT NULL,
  found_at timestamptz NOT NULL DEFAULT now()
);
${appendOnly('conflicts')}

CREATE FUNCTION ${S}.check_ingest() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ${S}, pg_temp AS $$
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
  SELECT n.* INTO bad FROM new_rows n WHERE n.row_hash IS DISTINCT FROM ${rowHashSql('n')} LIMIT 1;
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
CREATE TRIGGER chain_records_check AFTER INSERT ON ${S}.chain_records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${S}.check_ingest();

-- A checkpoint is stored only when signed with its station's registered key and naming a stored row's hash (the
-- Ed25519 signature itself is checked by sync before it sends, and again by every verify).
CREATE FUNCTION ${S}.check_checkpoints() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ${S}, pg_temp AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.*, n.head_seq AS seq, n.head_hash AS row_hash INTO bad FROM new_rows n
    LEFT JOIN ${S}.stations s ON s.station_id = n.${ORIGIN}
    WHERE s.public_key IS DISTINCT FROM n.public_key LIMIT 1;
  IF FOUND THEN
    ${refuse(
      'foreign-key',
      "'station %s checkpoint %s: signed by public key %s, not the station''s registered key'",
      `bad.${ORIGIN}, bad.local_id, bad.public_key`,
      'bad',
    )}
  END IF;
  SELECT n.*, n.head_seq AS seq, n.head_hash AS row_hash INTO bad FROM new_rows n
    WHERE NOT (n.head_seq = 0 AND n.head_hash = '${GENESIS}') AND NOT EXISTS (SELECT 1 FROM ${S}.chain_records r
      WHERE r.${ORIGIN} = n.${ORIGIN} AND r.seq = n.head_seq AND r.row_hash = n.head_hash) LIMIT 1;
  IF FOUND THEN
    ${refuse(
      'bad-checkpoint',
      "'station %s checkpoint %s: head seq %s hash %s is not a stored row'",
      `bad.${ORIGIN}, bad.local_id, bad.head_seq, bad.head_hash`,
      'bad',
    )}
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER checkpoints_check AFTER INSERT ON ${S}.checkpoints
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${S}.check_checkpoints();

-- Reserve mode: a serial (within a profile) is held by one station, a password (fingerprint under a key id) by one
-- serial; primary keys decide, never a read-then-write.
CREATE TABLE ${S}.serial_reservations (
  profile_id text NOT NULL,
  serial text NOT NULL,
  ${ORIGIN} text NOT NULL,
  batch_id text NOT NULL,
  reserved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (profile_id, serial)
);
${appendOnly('serial_reservations')}
CREATE TABLE ${S}.fingerprint_reservations (
  key_id text NOT NULL,
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  profile_id text NOT NULL,
  serial text NOT NULL,
  ${ORIGIN} text NOT NULL,
  reserved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key_id, fingerprint)
);
${appendOnly('fingerprint_reservations')}

CREATE FUNCTION ${S}.reserve_unit(p_station text, p_batch text, p_profile text, p_serial text, p_key text,
    p_fingerprint text)
  RETURNS TABLE (granted boolean, holder_station text, holder_batch text, holder_serial text, held_since text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${S}, pg_temp AS $$
DECLARE
  s ${S}.serial_reservations;
  f ${S}.fingerprint_reservations;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ${S}.stations WHERE station_id = p_station) THEN
    RAISE EXCEPTION USING ERRCODE = 'CL003',
      MESSAGE = format('station %s is not registered (credline central station add)', p_station);
  END IF;
  INSERT INTO ${S}.serial_reservations (profile_id, serial, ${ORIGIN}, batch_id)
    VALUES (p_profile, p_serial, p_station, p_batch) ON CONFLICT DO NOTHING;
  SELECT * INTO s FROM ${S}.serial_reservations WHERE profile_id = p_profile AND serial = p_serial;
  IF s.${ORIGIN} <> p_station THEN
    RETURN QUERY SELECT false, s.${ORIGIN}, s.batch_id, s.serial, s.reserved_at::text;
    RETURN;
  END IF;
  IF p_fingerprint IS NOT NULL THEN
    INSERT INTO ${S}.fingerprint_reservations (key_id, fingerprint, profile_id, serial, ${ORIGIN})
      VALUES (p_key, p_fingerprint, p_profile, p_serial, p_station) ON CONFLICT DO NOTHING;
    SELECT * INTO f FROM ${S}.fingerprint_reservations WHERE key_id = p_key AND fingerprint = p_fingerprint;
    IF f.profile_id <> p_profile OR f.serial <> p_serial THEN
      RETURN QUERY SELECT false, f.${ORIGIN}, NULL::text, f.serial, f.reserved_at::text;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY SELECT true, s.${ORIGIN}, s.batch_id, s.serial, s.reserved_at::text;
END $$;

-- What compliance commands record centrally (statements, product records, the OPSS register), by kind and key.
CREATE TABLE ${S}.compliance_documents (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind <> ''),
  document_key text NOT NULL CHECK (document_key <> ''),
  body jsonb NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  recorded_by text NOT NULL DEFAULT session_user,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, document_key, sha256)
);
${appendOnly('compliance_documents')}

REVOKE ALL ON ALL TABLES IN SCHEMA ${S} FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${S} FROM PUBLIC;
GRANT USAGE ON SCHEMA ${S} TO ${ROLES.station}, ${ROLES.reader}, ${ROLES.compliance};
GRANT SELECT ON ALL TABLES IN SCHEMA ${S} TO ${ROLES.station}, ${ROLES.reader}, ${ROLES.compliance};
GRANT INSERT ON ${S}.chain_records, ${S}.checkpoints, ${S}.findings TO ${ROLES.station};
GRANT USAGE ON SEQUENCE ${S}.findings_id_seq TO ${ROLES.station};
GRANT EXECUTE ON FUNCTION ${S}.reserve_unit(text, text, text, text, text, text) TO ${ROLES.station};
GRANT INSERT ON ${S}.compliance_documents TO ${ROLES.compliance};
GRANT USAGE ON SEQUENCE ${S}.compliance_documents_id_seq TO ${ROLES.compliance};
`,
  },
  {
    version: 2,
    description:
      'the compliance chain: documents sealed in order by the server, its head signed by named central keys',
    sql: `
CREATE TABLE ${S}.central_keys (
  key_name text PRIMARY KEY CHECK (key_name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  public_key text NOT NULL UNIQUE CHECK (public_key ~ '^[0-9a-f]{64}$'),
  label text,
  registered_at timestamptz NOT NULL DEFAULT now()
);
${appendOnly('central_keys')}

-- One row per compliance document, in the order recorded; only record_document writes it.
CREATE TABLE ${S}.compliance_chain (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  document_id bigint NOT NULL UNIQUE REFERENCES ${S}.compliance_documents (id),
  kind text NOT NULL,
  document_key text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  recorded_by text NOT NULL,
  recorded_at text NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  row_hash text NOT NULL CHECK (row_hash ~ '^[0-9a-f]{64}$')
);
${appendOnly('compliance_chain')}

CREATE TABLE ${S}.compliance_checkpoints (
  id bigserial PRIMARY KEY,
  head_seq bigint NOT NULL CHECK (head_seq >= 0),
  head_hash text NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
  key_name text NOT NULL REFERENCES ${S}.central_keys (key_name),
  public_key text NOT NULL,
  reason text NOT NULL,
  created_at text NOT NULL,
  signature text NOT NULL CHECK (signature ~ '^[0-9a-f]{128}$'),
  recorded_by text NOT NULL DEFAULT session_user,
  ingested_at timestamptz NOT NULL DEFAULT now()
);
${appendOnly('compliance_checkpoints')}

-- A compliance checkpoint is stored only when its key is registered under its name and its head is a stored row
-- (the Ed25519 signature is checked by the signer before sending and by every verify).
CREATE FUNCTION ${S}.check_compliance_checkpoints() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ${S}, pg_temp AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.* INTO bad FROM new_rows n LEFT JOIN ${S}.central_keys k ON k.key_name = n.key_name
    WHERE k.public_key IS DISTINCT FROM n.public_key LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'CL001', MESSAGE = format(
      'compliance checkpoint: public key %s is not the central key registered as %s (credline central key add)',
      bad.public_key, bad.key_name);
  END IF;
  SELECT n.* INTO bad FROM new_rows n
    WHERE NOT (n.head_seq = 0 AND n.head_hash = '${GENESIS}') AND NOT EXISTS (SELECT 1 FROM ${S}.compliance_chain c
      WHERE c.seq = n.head_seq AND c.row_hash = n.head_hash) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'CL001', MESSAGE = format(
      'compliance checkpoint: head seq %s hash %s is not a stored row', bad.head_seq, bad.head_hash);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER compliance_checkpoints_check AFTER INSERT ON ${S}.compliance_checkpoints
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${S}.check_compliance_checkpoints();

-- Records a document and seals it as the next row of the compliance chain, its hashes computed here (the caller
-- sends the body only). The same document recorded again returns its existing seal.
CREATE FUNCTION ${S}.record_document(p_kind text, p_key text, p_body jsonb)
  RETURNS TABLE (document_id bigint, seq bigint, sha256 text, row_hash text, recorded_at text, added boolean)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${S}, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_sha text := ${bodyHashSql('p_body')};
  v_id bigint;
  v_prev ${S}.compliance_chain;
  v_row ${S}.compliance_chain;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('credline.compliance-chain'));
  INSERT INTO ${S}.compliance_documents (kind, document_key, body, sha256, recorded_by)
    VALUES (p_kind, p_key, p_body, v_sha, session_user)
    ON CONFLICT (kind, document_key, sha256) DO NOTHING RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RETURN QUERY SELECT c.document_id, c.seq, c.sha256, c.row_hash, c.recorded_at, false
      FROM ${S}.compliance_chain c JOIN ${S}.compliance_documents d ON d.id = c.document_id
      WHERE d.kind = p_kind AND d.document_key = p_key AND d.sha256 = v_sha;
    RETURN;
  END IF;
  SELECT * INTO v_prev FROM ${S}.compliance_chain c ORDER BY c.seq DESC LIMIT 1;
  INSERT INTO ${S}.compliance_chain AS t (seq, document_id, kind, document_key, sha256, recorded_by,
      recorded_at, prev_hash, row_hash)
    SELECT n.seq, n.document_id, n.kind, n.document_key, n.sha256, n.recorded_by, n.recorded_at, n.prev_hash,
      ${documentRowHashSql('n')}
    FROM (SELECT coalesce(v_prev.seq, 0) + 1 AS seq, v_id AS document_id, p_kind AS kind, p_key AS document_key,
        v_sha AS sha256, session_user::text AS recorded_by,
        to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
        coalesce(v_prev.row_hash, '${GENESIS}') AS prev_hash) n
    RETURNING t.* INTO v_row;
  RETURN QUERY SELECT v_row.document_id, v_row.seq, v_row.sha256, v_row.row_hash, v_row.recorded_at, true;
END $$;

REVOKE ALL ON ${S}.central_keys, ${S}.compliance_chain, ${S}.compliance_checkpoints FROM PUBLIC;
REVOKE ALL ON FUNCTION ${S}.record_document(text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${S}.check_compliance_checkpoints() FROM PUBLIC;
GRANT SELECT ON ${S}.central_keys, ${S}.compliance_chain, ${S}.compliance_checkpoints
  TO ${ROLES.station}, ${ROLES.reader}, ${ROLES.compliance};
REVOKE INSERT ON ${S}.compliance_documents FROM ${ROLES.compliance};
GRANT EXECUTE ON FUNCTION ${S}.record_document(text, text, jsonb) TO ${ROLES.compliance};
GRANT INSERT ON ${S}.compliance_checkpoints TO ${ROLES.compliance};
GRANT USAGE ON SEQUENCE ${S}.compliance_checkpoints_id_seq TO ${ROLES.compliance};
`,
  },
  orderSlotMigration(3),
  {
    version: 4,
    description:
      'ingest without the per-row hash pattern checks (the ingest trigger decides row_hash and prev_hash); its sorts in memory',
    sql: INGEST_CHECK_V4_SQL,
  },
];

export const CENTRAL_LATEST_VERSION = CENTRAL_MIGRATIONS.length;
