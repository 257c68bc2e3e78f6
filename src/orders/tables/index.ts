/**
 * The order tables of an evidence database: each work order a station ran under (the signed document), and the
 * order's ledger of serials, one append-only row per step (reserved, pass, released, spent) or refusal; triggers
 * refuse UPDATE and DELETE and `evidence verify` checks they are in place. The ledger rows are not sealed into the
 * hash chain: what the chain proves about an order is its units' intents, results and refusals, and the station's
 * signed order reports, each stored as a document row sealed into the chain (migration 9), with the chain head it
 * was made at. The ledger lives in the store so that the count survives a crash and is shared by every station
 * writing to the same file.
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

/** A table of order documents whose rows are sealed into the chain (the evidence store's SealedTable shape). */
export interface SealedOrderTable {
  readonly table: string;
  /** The tag written first in the row's canonical bytes (never changes: seals already issued depend on it). */
  readonly tag: string;
  readonly key: string;
  readonly columns: readonly (readonly [name: string, kind: 'int' | 'text' | 'time'])[];
  readonly sinceVersion: number;
  describe(row: Readonly<Record<string, unknown>>): string;
}

/**
 * The station-signed order reports, each as written (`report_json`: the exact bytes of the report file, so a pack
 * carries it byte for byte), sealed into the chain when stored: at the end of every `provision --order` run and by
 * `credline order report`.
 */
export const ORDER_REPORTS: SealedOrderTable = {
  table: 'order_reports',
  tag: 'credline.order-report-row.v1',
  key: 'id',
  columns: [
    ['id', 'int'],
    ['order_id', 'text'],
    ['station_id', 'text'],
    ['report_json', 'text'],
    ['report_sha256', 'text'],
    ['chain_head_seq', 'int'],
    ['generated_at', 'time'],
    ['recorded_at', 'time'],
  ],
  sinceVersion: 9,
  describe: (row) =>
    `order report of work order ${String(row['order_id'])} by station ${String(row['station_id'])} (${String(row['generated_at'])})`,
};

/** The order tables sealed into the chain, in the order verify checks them. */
export const ORDER_SEALED_TABLES: readonly SealedOrderTable[] = [ORDER_REPORTS];

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
  {
    version: 9,
    description:
      'order reports (src/orders): each station-signed work-order report stored as written and sealed into the chain; ' +
      'compliance_seals rebuilt, rows unchanged, so that its table check admits their seals',
    appendOnly: ['compliance_seals', 'order_reports'],
    sql: `
CREATE TABLE compliance_seals_v9 (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  sealed_table TEXT NOT NULL CHECK (sealed_table IN ('product_records', 'batch_products', 'issued_statements', 'compliance_documents', 'stored_files', 'order_reports')),
  sealed_key TEXT NOT NULL CHECK (sealed_key <> ''),
  sealed_digest TEXT NOT NULL CHECK (length(sealed_digest) = 64),
  recorded_at TEXT NOT NULL,
  UNIQUE (sealed_table, sealed_key)
) STRICT;
INSERT INTO compliance_seals_v9 SELECT * FROM compliance_seals;
DROP TABLE compliance_seals;
ALTER TABLE compliance_seals_v9 RENAME TO compliance_seals;

CREATE TABLE order_reports (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES work_orders (order_id),
  station_id TEXT NOT NULL CHECK (station_id <> ''),
  report_json TEXT NOT NULL CHECK (json_valid(report_json)),
  report_sha256 TEXT NOT NULL CHECK (length(report_sha256) = 64),
  chain_head_seq INTEGER NOT NULL CHECK (chain_head_seq >= 0),
  generated_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX order_reports_order ON order_reports (order_id, station_id, id);
`,
  },
] as const;
