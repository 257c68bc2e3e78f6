/**
 * An order's ledger in the evidence store: which serials its units took and how each ended. A unit is admitted by
 * reserving a slot in one IMMEDIATE transaction (so ports and stations on the same file never over-reserve), before
 * anything is written to it; the slot becomes `pass`, or on a FAIL is `released` (nothing was written: the serial
 * and the slot go back) or `spent` (something was written: the serial is lost, the slot goes back). Reserved and
 * PASS slots together never exceed the quantity, so an order of 10 never makes more than 10 PASS however many ports
 * run it. The rows are append-only; a serial's state is its latest row.
 */
import { usageError } from '../errors/credline-error.js';
import type { EvidenceStore } from '../evidence/index.js';
import { documentHash } from './document-signing.js';
import { ORDER_LABEL } from './order-document.js';
import type { SignedOrder } from './order-types.js';
import type { SerialPool } from './serial-pool.js';
import { ORDER_SLOTS, WORK_ORDERS } from './tables/index.js';

export type SlotState = 'reserved' | SettledState;

/** How a reserved slot ends. */
export type SettledState = 'pass' | 'released' | 'spent';

/** Why a unit is refused under an order (recorded as the refusal's reason code). */
export const ORDER_REFUSALS = {
  outside: 'outside-order',
  exhausted: 'order-exhausted',
  used: 'order-serial-used',
  noneLeft: 'order-no-serial-left',
} as const;

export type OrderRefusal = (typeof ORDER_REFUSALS)[keyof typeof ORDER_REFUSALS];

export type Admission =
  { admitted: true; serial: string; slot: number } | { admitted: false; reason: OrderRefusal; text: string };

export interface LedgerFigures {
  quantity: number;
  serialsUsed: string[];
  pass: number;
  fail: number;
  spent: number;
  refused: number;
  reserved: number;
  remaining: number;
}

interface SlotRow {
  serial: string;
  state: SlotState | 'refused';
  station_id: string;
}

/** The identity of an order in the store: the hash of its signed bytes. */
export function orderHashOf(signed: SignedOrder): string {
  return documentHash(ORDER_LABEL, signed.order);
}

export class OrderLedger {
  readonly #store: EvidenceStore;
  readonly #order: SignedOrder;
  readonly #pool: SerialPool;
  readonly #now: () => Date;

  private constructor(store: EvidenceStore, order: SignedOrder, pool: SerialPool, now: () => Date) {
    this.#store = store;
    this.#order = order;
    this.#pool = pool;
    this.#now = now;
  }

  /**
   * The ledger of `order` in `store`, registering the order on first use. Throws ORDER_CONFLICT when the store
   * already holds a different order under the same id.
   */
  static open(
    store: EvidenceStore,
    order: SignedOrder,
    pool: SerialPool,
    now: () => Date = () => new Date(),
  ): OrderLedger {
    const hash = orderHashOf(order);
    store.transaction(() => {
      const known = store.readRow(
        'SELECT order_hash FROM work_orders WHERE order_id = ?',
        order.order.orderId,
      );
      if (known === undefined) {
        store.appendOwnedRow(WORK_ORDERS, {
          order_id: order.order.orderId,
          order_hash: hash,
          order_json: JSON.stringify(order),
          quantity: order.order.quantity,
          registered_at: now().toISOString(),
        });
      } else if (known['order_hash'] !== hash) {
        throw usageError(
          'ORDER_CONFLICT',
          `${store.file} already holds a different work order ${order.order.orderId}: an order id names one signed order`,
        );
      }
    });
    return new OrderLedger(store, order, pool, now);
  }

  /** Every serial's latest state under this order (refusals apart). */
  #latest(): Map<string, SlotRow> {
    const rows = this.#store.readRows(
      `SELECT serial, state, station_id FROM order_slots WHERE order_id = ? AND state <> 'refused' ORDER BY id`,
      this.#order.order.orderId,
    ) as unknown as SlotRow[];
    const latest = new Map<string, SlotRow>();
    for (const row of rows) latest.set(row.serial, row);
    return latest;
  }

  #append(
    serial: string,
    state: SlotState | 'refused',
    stationId: string,
    port: string | undefined,
    reason?: string,
  ): number {
    return this.#store.appendOwnedRow(ORDER_SLOTS, {
      order_id: this.#order.order.orderId,
      serial,
      state,
      reason: reason ?? null,
      station_id: stationId,
      port: port ?? null,
      recorded_at: this.#now().toISOString(),
    });
  }

  /**
   * Admits a unit before anything is written to it: `serial` as read (canonical), or null for a blank unit, which
   * gets the next serial the order allows that no unit holds or has spent. A refusal is recorded in the ledger.
   */
  admit(serial: string | null, stationId: string, port?: string): Admission {
    return this.#store.transaction((): Admission => {
      const refuse = (s: string, reason: OrderRefusal, text: string): Admission => {
        this.#append(s, 'refused', stationId, port, reason);
        return { admitted: false, reason, text };
      };
      const { orderId, quantity } = this.#order.order;
      if (serial !== null && !this.#pool.has(serial)) {
        return refuse(
          serial,
          ORDER_REFUSALS.outside,
          `serial ${serial} is not one work order ${orderId} allows`,
        );
      }
      const latest = this.#latest();
      let active = 0;
      for (const row of latest.values()) if (row.state === 'reserved' || row.state === 'pass') active++;
      if (active >= quantity) {
        return refuse(
          serial ?? '',
          ORDER_REFUSALS.exhausted,
          `work order ${orderId} has its ${quantity} units`,
        );
      }
      let chosen = serial;
      if (chosen === null) {
        for (const candidate of this.#pool.serials()) {
          const state = latest.get(candidate)?.state;
          if (state === undefined || state === 'released') {
            chosen = candidate;
            break;
          }
        }
        if (chosen === null) {
          return refuse(
            '',
            ORDER_REFUSALS.noneLeft,
            `work order ${orderId} has no unused serial left for a blank unit`,
          );
        }
      } else {
        const state = latest.get(chosen)?.state;
        if (state !== undefined && state !== 'released') {
          return refuse(
            chosen,
            ORDER_REFUSALS.used,
            `serial ${chosen} is already ${state} under work order ${orderId}`,
          );
        }
      }
      return { admitted: true, serial: chosen, slot: this.#append(chosen, 'reserved', stationId, port) };
    });
  }

  /**
   * Records a refusal decided elsewhere (the order's shared slots refused the unit): `serial` as read, or '' for a
   * blank unit.
   */
  refuse(serial: string, reason: string, stationId: string, port?: string): void {
    this.#append(serial, 'refused', stationId, port, reason);
  }

  /** How many serials under this order `stationId` made PASS (their latest row is its PASS). */
  passCount(stationId: string): number {
    let count = 0;
    for (const row of this.#latest().values())
      if (row.state === 'pass' && row.station_id === stationId) count++;
    return count;
  }

  /** Ends a reserved slot: PASS, or FAIL with or without anything written to the unit. */
  settle(
    serial: string,
    outcome: 'pass' | 'fail',
    written: boolean,
    stationId: string,
    port?: string,
  ): SettledState {
    const state: SettledState = outcome === 'pass' ? 'pass' : written ? 'spent' : 'released';
    this.#append(serial, state, stationId, port);
    return state;
  }

  /**
   * Settles slots a crashed run of `stationId` left reserved: `pass` when the evidence holds a PASS for the serial
   * under the line key, otherwise `spent` (what was written is unknown). Returns how many were settled.
   */
  recover(stationId: string, lineKeyId: string): number {
    return this.#store.transaction(() => {
      let settled = 0;
      for (const row of this.#latest().values()) {
        if (row.state !== 'reserved' || row.station_id !== stationId) continue;
        const passed = this.#store.findPass(row.serial, lineKeyId) !== undefined;
        this.#append(row.serial, passed ? 'pass' : 'spent', stationId, undefined, 'interrupted');
        settled++;
      }
      return settled;
    });
  }

  /** The figures of the order so far, from the ledger. */
  figures(): LedgerFigures {
    const { orderId, quantity } = this.#order.order;
    return ledgerFigures(this.#store, orderId, quantity);
  }
}

/** The figures of an order's ledger in a store (read-only: the report and its verification). */
export function ledgerFigures(store: EvidenceStore, orderId: string, quantity: number): LedgerFigures {
  const rows = store.readRows(
    'SELECT serial, state FROM order_slots WHERE order_id = ? ORDER BY id',
    orderId,
  ) as unknown as SlotRow[];
  const latest = new Map<string, SlotState>();
  let fail = 0;
  let refused = 0;
  for (const row of rows) {
    if (row.state === 'refused') {
      refused++;
      continue;
    }
    if (row.state === 'released' || row.state === 'spent') fail++;
    latest.set(row.serial, row.state);
  }
  const count = (state: SlotState): number => [...latest.values()].filter((s) => s === state).length;
  const pass = count('pass');
  const reserved = count('reserved');
  return {
    quantity,
    serialsUsed: [...latest].filter(([, s]) => s !== 'released').map(([serial]) => serial),
    pass,
    fail,
    spent: count('spent'),
    refused,
    reserved,
    remaining: quantity - pass - reserved,
  };
}
