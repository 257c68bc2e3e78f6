/**
 * The order tables of an evidence database: each work order a station ran under (the signed document), and the
 * order's ledger of serials, one append-only row per step (reserved, pass, released, spent) or refusal; triggers
 * refuse UPDATE and DELETE and `evidence verify` checks they are in place. The rows are not sealed into the hash
 * chain (the seal table's check names the compliance tables only): what the chain proves about an order is
 * its units' intents, results and refusals, and the station's signed order report with the chain head. The ledger
 * lives in the store so that the count survives a crash and is shared by every station writing to the same file.
 *
 * Plain data, importing nothing (evidence builds its migrations and seal checks from it). Append; never change a
 * shipped table or migration.
 */

export interface OrderTable {
  readonly table: string;
  readonly columns: readonly string[];
}

export const WORK_ORDERS: OrderTable = {
  table: 'work_orders',
  columns: ['order_id', 'order_hash', 'order_json', 'quantity', 'registered_at'],
};

export const ORDER_SLOTS: OrderTable = {
  table: 'order_slots',
  columns: ['order_id', 'serial', 'state', 'reason', 'station_id', 'port', 'recorded_at'],
};

export const ORDER_MIGRATIONS = [
  {
    version: 7,
    description:
      "work orders (src/orders): the signed orders run under, and each order's ledger of serials (reserved, pass, released, spent, refused)",
    appendOnly: ['work_orders', 'order_slots'],
    sql: `
CREATE TABLE work_orders (
  order_id TEXT PRIMARY KEY CHECK (order_id <> ''),
  order_hash TEXT NOT NULL CHECK (length(order_hash) = 64),
  order_json TEXT NOT NULL CHECK (json_valid(order_json)),
  quantity INTEGER NOT NULL CHECK (quantity >= 1),
  registered_at TEXT NOT NULL
) STRICT;

CREATE TABLE order_slots (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES work_orders (order_id),
  serial TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('reserved', 'pass', 'released', 'spent', 'refused')),
  reason TEXT,
  station_id TEXT NOT NULL,
  port TEXT,
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX order_slots_serial ON order_slots (order_id, serial, id);
`,
  },
] as const;
