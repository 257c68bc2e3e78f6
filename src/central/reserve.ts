/**
 * Reserve mode: before a station touches a unit, it reserves the unit's serial (within the profile id) and its
 * password's fingerprint (under the key id) centrally. The primary keys of the reservation tables decide, in one
 * server-side call (credline.reserve_unit): never a read-then-write. Reserving again what this station holds is
 * granted again (a retried unit).
 */
import { SCHEMA } from './chain-sql.js';
import type { CentralClient } from './connect.js';

export interface UnitReservation {
  stationId: string;
  batchId: string;
  profileId: string;
  serial: string;
  keyId: string;
  /** The candidate password's fingerprint (never the password); omitted: the serial alone is reserved. */
  fingerprint?: string | undefined;
}

export type ReservationOutcome =
  | { granted: true }
  | {
      granted: false;
      /** What is held: the serial by another station, or the password by another serial. */
      clash: 'serial' | 'fingerprint';
      holderStation: string;
      holderBatch: string | null;
      holderSerial: string;
      heldSince: string;
      /** One line naming the holder, for the operator. */
      message: string;
    };

/**
 * Reserves one unit on an open connection (a station keeps one open for its run). Throws the connection's error
 * when the store cannot be reached: the caller stops the port rather than go on blind.
 *
 * @example
 * const outcome = await reserveUnit(client, { stationId: 'line1', batchId: 'B1', profileId: 'acme-cam', serial, keyId, fingerprint });
 * if (!outcome.granted) stopPort(outcome.message);
 */
export async function reserveUnit(client: CentralClient, unit: UnitReservation): Promise<ReservationOutcome> {
  const result = await client.query<{
    granted: boolean;
    holder_station: string;
    holder_batch: string | null;
    holder_serial: string;
    held_since: string;
  }>({
    name: 'credline-reserve-unit',
    text: `SELECT * FROM ${SCHEMA}.reserve_unit($1, $2, $3, $4, $5, $6)`,
    values: [unit.stationId, unit.batchId, unit.profileId, unit.serial, unit.keyId, unit.fingerprint ?? null],
  });
  const row = result.rows[0];
  if (!row) throw new Error('reserve_unit returned no row');
  if (row.granted) return { granted: true };
  const clash = row.holder_serial === unit.serial ? 'serial' : 'fingerprint';
  const message =
    clash === 'serial'
      ? `serial ${unit.serial} (profile ${unit.profileId}) is reserved by station ${row.holder_station}` +
        ` (batch ${row.holder_batch ?? '?'}) since ${row.held_since}`
      : `the password derived for ${unit.serial} is reserved for serial ${row.holder_serial} at station ` +
        `${row.holder_station} since ${row.held_since} (same fingerprint under key ${unit.keyId})`;
  return {
    granted: false,
    clash,
    holderStation: row.holder_station,
    holderBatch: row.holder_batch,
    holderSerial: row.holder_serial,
    heldSince: row.held_since,
    message,
  };
}
