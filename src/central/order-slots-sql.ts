/**
 * The central migration for work orders run across stations (reserve mode): the orders registered, each order's
 * serial pool, and its slots. The bounds rest on constraints, never on a read-then-write:
 *   - a claim takes slot `slot_no` of 1 … quantity (CHECK against the order's quantity, carried by a foreign key)
 *     for its `slot_use`-th time, and (order, slot, use) is the primary key;
 *   - a slot's next use needs its previous use settled as giving the slot back (released or spent), and a serial's
 *     next claim needs its previous one released: foreign keys onto the settlements, so a PASS ends a slot and a
 *     serial for good, and no slot or serial is ever held by two unsettled claims;
 *   - a claimed serial must be in the order's pool (a foreign key onto order_serials).
 * So reserved + PASS never exceed the quantity however many stations claim at once: a claim that loses a race hits a
 * unique key and tries the next slot. Every table is append-only; only the SECURITY DEFINER functions write them.
 */
import { ORIGIN } from './chain-sql.js';
import type { CentralMigration } from './migrations.js';
import { ROLES } from './roles.js';

const S = 'credline';

const TABLES = ['work_orders', 'order_serials', 'order_claims', 'order_settlements', 'order_refusals'];

function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${S}.${table}
  FOR EACH ROW EXECUTE FUNCTION ${S}.refuse_change();
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${S}.${table}
  FOR EACH STATEMENT EXECUTE FUNCTION ${S}.refuse_change();`;
}

/** The station must be registered (as for reserve_unit). */
const STATION_CHECK = `
  IF NOT EXISTS (SELECT 1 FROM ${S}.stations WHERE station_id = p_station) THEN
    RAISE EXCEPTION USING ERRCODE = 'CL003',
      MESSAGE = format('station %s is not registered (credline central station add)', p_station);
  END IF;`;

/** The latest claim of a serial under an order (its use, and how it ended: 'reserved' while it has not). */
const latestClaim = (serial: string, into = ''): string => `
  SELECT c.serial_use, coalesce(st.outcome, 'reserved') AS state ${into} FROM ${S}.order_claims c
    LEFT JOIN ${S}.order_settlements st
      ON st.order_id = c.order_id AND st.slot_no = c.slot_no AND st.slot_use = c.slot_use
    WHERE c.order_id = p_order AND c.serial = ${serial} ORDER BY c.serial_use DESC LIMIT 1`;

export const ORDER_SLOT_MIGRATION_SQL = `
CREATE TABLE ${S}.work_orders (
  order_id text PRIMARY KEY CHECK (order_id <> ''),
  order_hash text NOT NULL CHECK (order_hash ~ '^[0-9a-f]{64}$'),
  signed_order jsonb NOT NULL,
  profile_id text NOT NULL,
  quantity integer NOT NULL CHECK (quantity >= 1),
  registered_by text NOT NULL REFERENCES ${S}.stations (station_id),
  registered_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, quantity)
);

CREATE TABLE ${S}.order_serials (
  order_id text NOT NULL REFERENCES ${S}.work_orders (order_id),
  position bigint NOT NULL CHECK (position >= 1),
  serial text NOT NULL,
  PRIMARY KEY (order_id, position),
  UNIQUE (order_id, serial),
  UNIQUE (order_id, serial, position)
);

CREATE TABLE ${S}.order_claims (
  order_id text NOT NULL,
  quantity integer NOT NULL,
  slot_no integer NOT NULL,
  slot_use integer NOT NULL CHECK (slot_use >= 0),
  serial text NOT NULL,
  serial_use integer NOT NULL CHECK (serial_use >= 0),
  -- The serial's place in the order's pool, and whether the station assigned it to a blank unit.
  pool_position bigint NOT NULL,
  assigned boolean NOT NULL,
  station_id text NOT NULL REFERENCES ${S}.stations (station_id),
  port text,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  prior_slot_use integer GENERATED ALWAYS AS (CASE WHEN slot_use > 0 THEN slot_use - 1 END) STORED,
  prior_serial_use integer GENERATED ALWAYS AS (CASE WHEN serial_use > 0 THEN serial_use - 1 END) STORED,
  prior_gave_slot_back boolean GENERATED ALWAYS AS (CASE WHEN slot_use > 0 THEN true END) STORED,
  prior_gave_serial_back boolean GENERATED ALWAYS AS (CASE WHEN serial_use > 0 THEN true END) STORED,
  PRIMARY KEY (order_id, slot_no, slot_use),
  UNIQUE (order_id, serial, serial_use),
  UNIQUE (order_id, slot_no, slot_use, serial, serial_use, station_id),
  CHECK (slot_no BETWEEN 1 AND quantity),
  FOREIGN KEY (order_id, quantity) REFERENCES ${S}.work_orders (order_id, quantity),
  FOREIGN KEY (order_id, serial, pool_position) REFERENCES ${S}.order_serials (order_id, serial, position)
);
-- Blank units take serials in pool order: every serial before the last one assigned has been claimed (or is held
-- by another station), so the search for the next one starts there.
CREATE INDEX order_claims_assigned ON ${S}.order_claims (order_id, pool_position) WHERE assigned;

CREATE TABLE ${S}.order_settlements (
  order_id text NOT NULL,
  slot_no integer NOT NULL,
  slot_use integer NOT NULL,
  serial text NOT NULL,
  serial_use integer NOT NULL,
  station_id text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('pass', 'released', 'spent')),
  reason text,
  settled_at timestamptz NOT NULL DEFAULT now(),
  gives_slot_back boolean GENERATED ALWAYS AS (outcome <> 'pass') STORED,
  gives_serial_back boolean GENERATED ALWAYS AS (outcome = 'released') STORED,
  PRIMARY KEY (order_id, slot_no, slot_use),
  UNIQUE (order_id, slot_no, slot_use, gives_slot_back),
  UNIQUE (order_id, serial, serial_use, gives_serial_back),
  FOREIGN KEY (order_id, slot_no, slot_use, serial, serial_use, station_id)
    REFERENCES ${S}.order_claims (order_id, slot_no, slot_use, serial, serial_use, station_id)
);

CREATE INDEX order_settlements_serial_back ON ${S}.order_settlements (order_id) WHERE gives_serial_back;

ALTER TABLE ${S}.order_claims
  ADD FOREIGN KEY (order_id, slot_no, prior_slot_use, prior_gave_slot_back)
    REFERENCES ${S}.order_settlements (order_id, slot_no, slot_use, gives_slot_back),
  ADD FOREIGN KEY (order_id, serial, prior_serial_use, prior_gave_serial_back)
    REFERENCES ${S}.order_settlements (order_id, serial, serial_use, gives_serial_back);

CREATE TABLE ${S}.order_refusals (
  id bigserial PRIMARY KEY,
  order_id text NOT NULL REFERENCES ${S}.work_orders (order_id),
  serial text,
  reason text NOT NULL,
  station_id text NOT NULL REFERENCES ${S}.stations (station_id),
  port text,
  refused_at timestamptz NOT NULL DEFAULT now()
);
${TABLES.map(appendOnly).join('\n')}

-- Registers a signed order (checked by the station first: signature, signer, key, profile, validity) with its
-- serial pool: a range is expanded here, a list is given and must hash to the order's list hash. The same order
-- registered again changes nothing; another order under the same id is refused.
CREATE FUNCTION ${S}.register_order(p_station text, p_order text, p_hash text, p_signed jsonb, p_serials text[])
  RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${S}, pg_temp AS $$
DECLARE
  v_spec jsonb := p_signed->'order'->'serials';
  v_known text;
  v_sha text;
BEGIN
  ${STATION_CHECK}
  INSERT INTO ${S}.work_orders (order_id, order_hash, signed_order, profile_id, quantity, registered_by)
    VALUES (p_order, p_hash, p_signed, p_signed->'order'->>'profileId', (p_signed->'order'->>'quantity')::integer,
      p_station)
    ON CONFLICT (order_id) DO NOTHING;
  IF NOT FOUND THEN
    SELECT order_hash INTO v_known FROM ${S}.work_orders WHERE order_id = p_order;
    IF v_known <> p_hash THEN
      RAISE EXCEPTION USING ERRCODE = 'CL004', MESSAGE = format(
        'the central store holds a different work order %s: an order id names one signed order', p_order);
    END IF;
    RETURN false;
  END IF;
  IF v_spec->>'kind' = 'range' THEN
    INSERT INTO ${S}.order_serials (order_id, position, serial)
      SELECT p_order, n - (v_spec->>'first')::bigint + 1,
        (v_spec->>'prefix') || lpad(n::text, (v_spec->>'width')::integer, '0')
      FROM generate_series((v_spec->>'first')::bigint, (v_spec->>'last')::bigint) AS n;
  ELSE
    INSERT INTO ${S}.order_serials (order_id, position, serial)
      SELECT p_order, u.position, u.serial FROM unnest(p_serials) WITH ORDINALITY AS u (serial, position);
    SELECT encode(sha256(convert_to(coalesce(string_agg(serial || E'\\n', '' ORDER BY position), ''), 'UTF8')), 'hex')
      INTO v_sha FROM ${S}.order_serials WHERE order_id = p_order;
    IF v_sha <> v_spec->>'sha256' OR cardinality(p_serials) <> (v_spec->>'count')::integer THEN
      RAISE EXCEPTION USING ERRCODE = 'CL004', MESSAGE = format(
        'work order %s: the serial list given is not the order''s (SHA-256 %s)', p_order, v_sha);
    END IF;
  END IF;
  RETURN true;
END $$;

-- The slot a claim would take: one a FAIL gave back (and no claim took again), else the next never used (which is
-- beyond the quantity when the order has its units).
CREATE FUNCTION ${S}.free_order_slot(p_order text) RETURNS TABLE (slot_no integer, slot_use integer)
  LANGUAGE sql STABLE SET search_path = ${S}, pg_temp AS $$
  SELECT f.slot_no, f.slot_use FROM (
    (SELECT 1 AS pref, st.slot_no, st.slot_use + 1 AS slot_use FROM ${S}.order_settlements st
      WHERE st.order_id = p_order AND st.gives_slot_back AND NOT EXISTS (SELECT 1 FROM ${S}.order_claims c
        WHERE c.order_id = p_order AND c.slot_no = st.slot_no AND c.slot_use = st.slot_use + 1)
      ORDER BY st.slot_no LIMIT 1)
    UNION ALL
    SELECT 2, coalesce(max(c.slot_no), 0) + 1, 0 FROM ${S}.order_claims c WHERE c.order_id = p_order
  ) f ORDER BY f.pref LIMIT 1
$$;

-- Claims a slot of an order for a unit before anything is written to it: the serial it reported, or for a blank
-- unit (p_serial NULL) the first serial of the pool no unit holds or spent and no other station has reserved. A
-- refusal (outside-order, order-exhausted, order-serial-used, order-no-serial-left) is recorded and returned.
CREATE FUNCTION ${S}.claim_order_unit(p_station text, p_order text, p_serial text, p_port text)
  RETURNS TABLE (granted boolean, serial text, slot_no integer, slot_use integer, refusal text, detail text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${S}, pg_temp AS $$
DECLARE
  v_order ${S}.work_orders;
  v_slot integer;
  v_slot_use integer;
  v_serial text;
  v_serial_use integer;
  v_position bigint;
  v_last record;
  v_reason text;
  v_text text;
BEGIN
  ${STATION_CHECK}
  SELECT * INTO v_order FROM ${S}.work_orders w WHERE w.order_id = p_order;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'CL003', MESSAGE = format('work order %s is not registered centrally', p_order);
  END IF;
  FOR attempt IN 1 .. 1000 LOOP
    v_reason := NULL;
    IF p_serial IS NOT NULL THEN
      SELECT o.position INTO v_position FROM ${S}.order_serials o WHERE o.order_id = p_order AND o.serial = p_serial;
      IF NOT FOUND THEN
        v_reason := 'outside-order';
        v_text := format('serial %s is not one work order %s allows', p_serial, p_order);
      END IF;
    END IF;
    IF v_reason IS NULL THEN
      SELECT f.slot_no, f.slot_use INTO v_slot, v_slot_use FROM ${S}.free_order_slot(p_order) f;
      IF v_slot > v_order.quantity THEN
        v_reason := 'order-exhausted';
        v_text := format('work order %s has its %s units', p_order, v_order.quantity);
      END IF;
    END IF;
    IF v_reason IS NULL AND p_serial IS NOT NULL THEN
      v_serial := p_serial;
      ${latestClaim('p_serial', 'INTO v_last')};
      IF NOT FOUND THEN
        v_serial_use := 0;
      ELSIF v_last.state = 'released' THEN
        v_serial_use := v_last.serial_use + 1;
      ELSE
        v_reason := 'order-serial-used';
        v_text := format('serial %s is already %s under work order %s', p_serial, v_last.state, p_order);
      END IF;
    ELSIF v_reason IS NULL THEN
      -- The first serial in pool order that no claim holds or spent and no other station has reserved: one a FAIL
      -- released, or the first never claimed after the last one assigned.
      SELECT n.serial, n.serial_use, n.position INTO v_serial, v_serial_use, v_position FROM (
        (SELECT c.serial, c.serial_use + 1 AS serial_use, c.pool_position AS position
          FROM ${S}.order_settlements st JOIN ${S}.order_claims c
            ON c.order_id = st.order_id AND c.slot_no = st.slot_no AND c.slot_use = st.slot_use
          WHERE st.order_id = p_order AND st.gives_serial_back
            AND NOT EXISTS (SELECT 1 FROM ${S}.order_claims l WHERE l.order_id = p_order AND l.serial = c.serial
              AND l.serial_use = c.serial_use + 1)
            AND NOT EXISTS (SELECT 1 FROM ${S}.serial_reservations r WHERE r.profile_id = v_order.profile_id
              AND r.serial = c.serial AND r.${ORIGIN} <> p_station)
          ORDER BY c.pool_position LIMIT 1)
        UNION ALL
        (SELECT o.serial, 0, o.position FROM ${S}.order_serials o
          WHERE o.order_id = p_order
            AND o.position > coalesce((SELECT max(a.pool_position) FROM ${S}.order_claims a
              WHERE a.order_id = p_order AND a.assigned), 0)
            AND NOT EXISTS (SELECT 1 FROM ${S}.order_claims c WHERE c.order_id = p_order AND c.serial = o.serial)
            AND NOT EXISTS (SELECT 1 FROM ${S}.serial_reservations r WHERE r.profile_id = v_order.profile_id
              AND r.serial = o.serial AND r.${ORIGIN} <> p_station)
          ORDER BY o.position LIMIT 1)
      ) n ORDER BY n.position LIMIT 1;
      IF NOT FOUND THEN
        -- The serials were taken by claims that committed after the slot was found: the order may be exhausted now.
        SELECT f.slot_no INTO v_slot FROM ${S}.free_order_slot(p_order) f;
        v_reason := CASE WHEN v_slot > v_order.quantity THEN 'order-exhausted' ELSE 'order-no-serial-left' END;
        v_text := CASE WHEN v_slot > v_order.quantity
          THEN format('work order %s has its %s units', p_order, v_order.quantity)
          ELSE format('work order %s has no unused serial left for a blank unit', p_order) END;
      END IF;
    END IF;
    IF v_reason IS NOT NULL THEN
      INSERT INTO ${S}.order_refusals (order_id, serial, reason, station_id, port)
        VALUES (p_order, p_serial, v_reason, p_station, p_port);
      RETURN QUERY SELECT false, p_serial, NULL::integer, NULL::integer, v_reason, v_text;
      RETURN;
    END IF;
    INSERT INTO ${S}.order_claims (order_id, quantity, slot_no, slot_use, serial, serial_use, pool_position,
        assigned, station_id, port)
      VALUES (p_order, v_order.quantity, v_slot, v_slot_use, v_serial, v_serial_use, v_position, p_serial IS NULL,
        p_station, p_port)
      ON CONFLICT DO NOTHING;
    IF FOUND THEN
      RETURN QUERY SELECT true, v_serial, v_slot, v_slot_use, NULL::text, NULL::text;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION USING ERRCODE = 'CL005', MESSAGE = format('work order %s: no slot could be claimed', p_order);
END $$;

-- Settles a claim this station holds: pass, released (nothing was written: slot and serial go back) or spent
-- (something was written: the slot goes back, the serial is lost). Settling again returns the first outcome.
CREATE FUNCTION ${S}.settle_order_unit(p_station text, p_order text, p_slot integer, p_use integer,
    p_outcome text, p_reason text)
  RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${S}, pg_temp AS $$
DECLARE
  v_outcome text;
BEGIN
  INSERT INTO ${S}.order_settlements (order_id, slot_no, slot_use, serial, serial_use, station_id, outcome, reason)
    SELECT c.order_id, c.slot_no, c.slot_use, c.serial, c.serial_use, c.station_id, p_outcome, p_reason
    FROM ${S}.order_claims c
    WHERE c.order_id = p_order AND c.slot_no = p_slot AND c.slot_use = p_use AND c.station_id = p_station
    ON CONFLICT DO NOTHING;
  SELECT st.outcome INTO v_outcome FROM ${S}.order_settlements st
    WHERE st.order_id = p_order AND st.slot_no = p_slot AND st.slot_use = p_use AND st.station_id = p_station;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'CL003', MESSAGE = format(
      'work order %s: station %s holds no claim on slot %s use %s', p_order, p_station, p_slot, p_use);
  END IF;
  RETURN v_outcome;
END $$;

REVOKE ALL ON ${TABLES.map((t) => `${S}.${t}`).join(', ')} FROM PUBLIC;
REVOKE ALL ON FUNCTION ${S}.free_order_slot(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${S}.register_order(text, text, text, jsonb, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${S}.claim_order_unit(text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${S}.settle_order_unit(text, text, integer, integer, text, text) FROM PUBLIC;
GRANT SELECT ON ${TABLES.map((t) => `${S}.${t}`).join(', ')} TO ${ROLES.station}, ${ROLES.reader}, ${ROLES.compliance};
GRANT EXECUTE ON FUNCTION ${S}.register_order(text, text, text, jsonb, text[]) TO ${ROLES.station};
GRANT EXECUTE ON FUNCTION ${S}.claim_order_unit(text, text, text, text) TO ${ROLES.station};
GRANT EXECUTE ON FUNCTION ${S}.settle_order_unit(text, text, integer, integer, text, text) TO ${ROLES.station};
`;

/** The migration, numbered by its place in CENTRAL_MIGRATIONS (src/central/migrations.ts). */
export const orderSlotMigration = (version: number): CentralMigration => ({
  version,
  description:
    'work orders across stations (reserve mode): orders, serial pools, slot claims and settlements bounded by constraints, refusals',
  sql: ORDER_SLOT_MIGRATION_SQL,
});
