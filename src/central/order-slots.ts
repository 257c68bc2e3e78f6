/**
 * Work orders across stations (reserve mode): a station registers the signed order it checked, with its serial
 * pool, then claims a slot for each unit before anything is written to it and settles the claim with the unit's
 * verdict. The bounds are the constraints of order-slots-sql.ts; these functions only call the server's functions
 * and read the figures.
 *
 * @example
 * await registerCentralOrder(client, target, { stationId: 'line1', orderId: 'WO-7', orderHash, signedOrder });
 * const claim = await claimOrderUnit(client, target, { stationId: 'line1', orderId: 'WO-7', serial: null, port });
 * if (claim.granted) await settleOrderUnit(client, target, { stationId: 'line1', orderId: 'WO-7', ...claim, outcome: 'pass' });
 */
import { usageError } from '../errors/credline-error.js';
import { SCHEMA } from './chain-sql.js';
import { centralError, describeCentral, type CentralClient, type CentralTarget } from './connect.js';
import { assertCurrentSchema } from './init.js';

/** SQLSTATEs of the order functions: not registered (station or order), a different order under the id. */
const NOT_REGISTERED = 'CL003';
const ORDER_MISMATCH = 'CL004';

export interface CentralOrder {
  stationId: string;
  orderId: string;
  /** SHA-256 of the order's canonical signed bytes. */
  orderHash: string;
  /** The signed order document, as the station read and checked it. */
  signedOrder: unknown;
  /** A list order's serials in list order (a range is expanded by the server). */
  listSerials?: readonly string[];
}

export type OrderClaim =
  | { granted: true; serial: string; slot: number; use: number }
  | { granted: false; reason: string; text: string };

export interface CentralOrderFigures {
  quantity: number;
  pass: number;
  /** Claims settled FAIL (released or spent). */
  fail: number;
  spent: number;
  refused: number;
  /** Claims not settled yet (units in hand, or left by a station that stopped). */
  reserved: number;
  remaining: number;
  /** Stations that claimed or were refused under the order, in name order. */
  stations: string[];
  /** PASS units of one station (the one asking). */
  stationPass: number;
}

/** Registers the order (first station) or confirms it is the same order; a different one is refused (exit 2). */
export async function registerCentralOrder(
  client: CentralClient,
  target: CentralTarget,
  order: CentralOrder,
): Promise<boolean> {
  try {
    await assertCurrentSchema(client, target);
    const result = await client.query<{ added: boolean }>(
      `SELECT ${SCHEMA}.register_order($1, $2, $3, $4, $5) AS added`,
      [
        order.stationId,
        order.orderId,
        order.orderHash,
        JSON.stringify(order.signedOrder),
        order.listSerials ?? null,
      ],
    );
    return result.rows[0]?.added ?? false;
  } catch (error) {
    throw orderError(target, error);
  }
}

/** Claims a slot for `serial`, or for a blank unit (null) the next free serial; a refusal is recorded centrally. */
export async function claimOrderUnit(
  client: CentralClient,
  target: CentralTarget,
  unit: { stationId: string; orderId: string; serial: string | null; port: string },
): Promise<OrderClaim> {
  let row;
  try {
    const result = await client.query<{
      granted: boolean;
      serial: string;
      slot_no: number;
      slot_use: number;
      refusal: string;
      detail: string;
    }>({
      name: 'credline-claim-order-unit',
      text: `SELECT * FROM ${SCHEMA}.claim_order_unit($1, $2, $3, $4)`,
      values: [unit.stationId, unit.orderId, unit.serial, unit.port],
    });
    row = result.rows[0];
  } catch (error) {
    throw orderError(target, error);
  }
  if (!row) throw centralError(target, new Error('claim_order_unit returned no row'));
  return row.granted
    ? { granted: true, serial: row.serial, slot: row.slot_no, use: row.slot_use }
    : { granted: false, reason: row.refusal, text: row.detail };
}

/** Settles a claim this station holds; returns the outcome stored (the first one, when settled before). */
export async function settleOrderUnit(
  client: CentralClient,
  target: CentralTarget,
  claim: {
    stationId: string;
    orderId: string;
    slot: number;
    use: number;
    outcome: 'pass' | 'released' | 'spent';
    reason?: string;
  },
): Promise<string> {
  try {
    const result = await client.query<{ outcome: string }>({
      name: 'credline-settle-order-unit',
      text: `SELECT ${SCHEMA}.settle_order_unit($1, $2, $3, $4, $5, $6) AS outcome`,
      values: [claim.stationId, claim.orderId, claim.slot, claim.use, claim.outcome, claim.reason ?? null],
    });
    return result.rows[0]?.outcome ?? claim.outcome;
  } catch (error) {
    throw orderError(target, error);
  }
}

/** The claims `stationId` holds unsettled under the order (left when it last stopped). */
export async function openOrderClaims(
  client: CentralClient,
  target: CentralTarget,
  order: { stationId: string; orderId: string },
): Promise<Array<{ serial: string; slot: number; use: number }>> {
  try {
    const result = await client.query<{ serial: string; slot_no: number; slot_use: number }>(
      `SELECT c.serial, c.slot_no, c.slot_use FROM ${SCHEMA}.order_claims c
        WHERE c.order_id = $1 AND c.station_id = $2 AND NOT EXISTS (SELECT 1 FROM ${SCHEMA}.order_settlements st
          WHERE st.order_id = c.order_id AND st.slot_no = c.slot_no AND st.slot_use = c.slot_use)
        ORDER BY c.claimed_at, c.slot_no`,
      [order.orderId, order.stationId],
    );
    return result.rows.map((r) => ({ serial: r.serial, slot: r.slot_no, use: r.slot_use }));
  } catch (error) {
    throw orderError(target, error);
  }
}

/** The order's figures across every station, and one station's PASS count. */
export async function centralOrderFigures(
  client: CentralClient,
  target: CentralTarget,
  order: { stationId: string; orderId: string },
): Promise<CentralOrderFigures> {
  try {
    const result = await client.query<{
      quantity: number;
      pass: number;
      fail: number;
      spent: number;
      refused: number;
      reserved: number;
      stations: string[];
      station_pass: number;
    }>(
      `SELECT w.quantity,
         (SELECT count(*) FROM ${SCHEMA}.order_settlements st WHERE st.order_id = w.order_id AND st.outcome = 'pass')::int AS pass,
         (SELECT count(*) FROM ${SCHEMA}.order_settlements st WHERE st.order_id = w.order_id AND st.outcome <> 'pass')::int AS fail,
         (SELECT count(*) FROM ${SCHEMA}.order_settlements st WHERE st.order_id = w.order_id AND st.outcome = 'spent')::int AS spent,
         (SELECT count(*) FROM ${SCHEMA}.order_refusals r WHERE r.order_id = w.order_id)::int AS refused,
         (SELECT count(*) FROM ${SCHEMA}.order_claims c WHERE c.order_id = w.order_id AND NOT EXISTS
           (SELECT 1 FROM ${SCHEMA}.order_settlements st WHERE st.order_id = c.order_id AND st.slot_no = c.slot_no
             AND st.slot_use = c.slot_use))::int AS reserved,
         ARRAY(SELECT s FROM (SELECT c.station_id AS s FROM ${SCHEMA}.order_claims c WHERE c.order_id = w.order_id
           UNION SELECT r.station_id FROM ${SCHEMA}.order_refusals r WHERE r.order_id = w.order_id) u ORDER BY s) AS stations,
         (SELECT count(*) FROM ${SCHEMA}.order_settlements st WHERE st.order_id = w.order_id AND st.outcome = 'pass'
           AND st.station_id = $2)::int AS station_pass
       FROM ${SCHEMA}.work_orders w WHERE w.order_id = $1`,
      [order.orderId, order.stationId],
    );
    const row = result.rows[0];
    if (!row)
      throw usageError('ORDER_NOT_CENTRAL', `${describeCentral(target)}: no work order ${order.orderId}`);
    return {
      quantity: row.quantity,
      pass: row.pass,
      fail: row.fail,
      spent: row.spent,
      refused: row.refused,
      reserved: row.reserved,
      remaining: row.quantity - row.pass - row.reserved,
      stations: row.stations,
      stationPass: row.station_pass,
    };
  } catch (error) {
    throw orderError(target, error);
  }
}

function orderError(target: CentralTarget, error: unknown): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === ORDER_MISMATCH)
    return usageError('ORDER_CONFLICT', `${describeCentral(target)}: ${message}`, error);
  if (code === NOT_REGISTERED)
    return usageError('CENTRAL_NOT_REGISTERED', `${describeCentral(target)}: ${message}`, error);
  return centralError(target, error);
}
