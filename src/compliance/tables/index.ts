/**
 * The compliance tables of an evidence database: product records by revision (with their scope notes), which product
 * each batch is, and every statement of compliance issued. Their schema (evidence migration 3) and the layout each
 * row is sealed into the hash chain with (docs/evidence.md, "Compliance seals") are written here, by their owner;
 * compliance writes their rows through the evidence store's appendSealedRow, which inserts and seals in one
 * transaction.
 *
 * Plain data, importing nothing: the evidence module builds every store's migrations and verify's seal checks from
 * it, so a file migrates and verifies the same whoever opens it, a station that never loads compliance code
 * included. Append a table or a migration; never change one that has shipped (files in the field hold it).
 */

/** A compliance table whose rows are sealed into the chain. */
export interface ComplianceTable {
  readonly table: string;
  /** The tag written first in the row's canonical bytes (never changes: seals already issued depend on it). */
  readonly tag: string;
  /** The column that identifies a row; its value, as text, is the seal's `sealed_key`. */
  readonly key: string;
  /** Every column, in canonical order, with its canonical kind (int, text, date, time). */
  readonly columns: readonly (readonly [name: string, kind: 'int' | 'text' | 'date' | 'time'])[];
  /** The evidence schema version that created the table. */
  readonly sinceVersion: number;
  /** Which row this is, in words, for verify's reports. */
  describe(row: Readonly<Record<string, unknown>>): string;
}

export const PRODUCT_RECORDS: ComplianceTable = {
  table: 'product_records',
  tag: 'credline.product-record-row.v1',
  key: 'id',
  columns: [
    ['id', 'int'],
    ['product_id', 'text'],
    ['revision', 'int'],
    ['record_json', 'text'],
    ['record_hash', 'text'],
    ['support_end_date', 'date'],
    ['scope_outcome', 'text'],
    ['recorded_at', 'time'],
  ],
  sinceVersion: 3,
  describe: (row) => `product ${String(row['product_id'])} revision ${String(row['revision'])}`,
};

export const BATCH_PRODUCTS: ComplianceTable = {
  table: 'batch_products',
  tag: 'credline.batch-product-row.v1',
  key: 'batch_id',
  columns: [
    ['batch_id', 'text'],
    ['product_id', 'text'],
    ['recorded_at', 'time'],
  ],
  sinceVersion: 3,
  describe: (row) => `batch ${String(row['batch_id'])} is product ${String(row['product_id'])}`,
};

export const ISSUED_STATEMENTS: ComplianceTable = {
  table: 'issued_statements',
  tag: 'credline.issued-statement-row.v1',
  key: 'id',
  columns: [
    ['id', 'int'],
    ['batch_id', 'text'],
    ['product_id', 'text'],
    ['product_revision', 'int'],
    ['statement_json', 'text'],
    ['content_hash', 'text'],
    ['date_of_issue', 'date'],
    ['retain_until', 'date'],
    ['chain_head_seq', 'int'],
    ['chain_head_hash', 'text'],
    ['issued_at', 'time'],
  ],
  sinceVersion: 3,
  describe: (row) =>
    `statement of compliance issued ${String(row['issued_at'])} for batch ${String(row['batch_id'])}`,
};

/** The sealed tables, in the order verify checks them and migration 5 sealed the rows older files held. */
/**
 * Every other compliance record, one JSON document a row: label routes, batch audits, supplier statement checks, OPSS
 * notices and what was done about them (`kind` says which; compliance-documents.ts reads and writes them).
 */
export const COMPLIANCE_DOCUMENTS: ComplianceTable = {
  table: 'compliance_documents',
  tag: 'credline.compliance-document-row.v1',
  key: 'id',
  columns: [
    ['id', 'int'],
    ['kind', 'text'],
    ['product_id', 'text'],
    ['batch_id', 'text'],
    ['reference', 'text'],
    ['document_json', 'text'],
    ['content_hash', 'text'],
    ['recorded_at', 'time'],
  ],
  sinceVersion: 6,
  describe: (row) =>
    `${String(row['kind'])} ${String(row['id'])} for product ${String(row['product_id'])}` +
    (row['batch_id'] === null ? '' : ` batch ${String(row['batch_id'])}`),
};

/** Files kept as evidence (a supplier's statement, a notice and its replies): their bytes and SHA-256. */
export const STORED_FILES: ComplianceTable = {
  table: 'stored_files',
  tag: 'credline.stored-file-row.v1',
  key: 'id',
  columns: [
    ['id', 'int'],
    ['name', 'text'],
    ['size', 'int'],
    ['sha256', 'text'],
    ['content_base64', 'text'],
    ['stored_at', 'time'],
  ],
  sinceVersion: 6,
  describe: (row) =>
    `stored file ${String(row['id'])} (${String(row['name'])}, SHA-256 ${String(row['sha256'])})`,
};

export const COMPLIANCE_TABLES: readonly ComplianceTable[] = [
  PRODUCT_RECORDS,
  BATCH_PRODUCTS,
  ISSUED_STATEMENTS,
  COMPLIANCE_DOCUMENTS,
  STORED_FILES,
];

/** The compliance steps of the evidence store's one migration sequence (version = place in that sequence). */
export const COMPLIANCE_MIGRATIONS = [
  {
    version: 3,
    description:
      'compliance (src/compliance): versioned product records with scope notes, batch-to-product links, issued statements of compliance',
    appendOnly: ['product_records', 'batch_products', 'issued_statements'],
    sql: `
CREATE TABLE product_records (
  id INTEGER PRIMARY KEY,
  product_id TEXT NOT NULL CHECK (product_id <> ''),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  record_json TEXT NOT NULL CHECK (json_valid(record_json)),
  record_hash TEXT NOT NULL CHECK (length(record_hash) = 64),
  support_end_date TEXT,
  scope_outcome TEXT CHECK (scope_outcome IN ('in-scope', 'not-relevant-connectable-product', 'excepted')),
  recorded_at TEXT NOT NULL,
  UNIQUE (product_id, revision)
) STRICT;

CREATE TABLE batch_products (
  batch_id TEXT PRIMARY KEY REFERENCES batches (batch_id),
  product_id TEXT NOT NULL CHECK (product_id <> ''),
  recorded_at TEXT NOT NULL
) STRICT;

CREATE TABLE issued_statements (
  id INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL REFERENCES batches (batch_id),
  product_id TEXT NOT NULL,
  product_revision INTEGER NOT NULL,
  statement_json TEXT NOT NULL CHECK (json_valid(statement_json)),
  content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
  date_of_issue TEXT NOT NULL,
  retain_until TEXT NOT NULL,
  chain_head_seq INTEGER NOT NULL CHECK (chain_head_seq >= 0),
  chain_head_hash TEXT NOT NULL CHECK (length(chain_head_hash) = 64),
  issued_at TEXT NOT NULL,
  FOREIGN KEY (product_id, product_revision) REFERENCES product_records (product_id, revision)
) STRICT;
CREATE INDEX issued_statements_batch ON issued_statements (batch_id);
`,
  },
  {
    version: 6,
    description:
      'compliance documents (label routes, batch audits, supplier statement checks, the OPSS notice register) and ' +
      'stored files; compliance_seals rebuilt, rows unchanged, so that its table check admits their seals',
    appendOnly: ['compliance_seals', 'compliance_documents', 'stored_files'],
    sql: `
CREATE TABLE compliance_seals_v6 (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  sealed_table TEXT NOT NULL CHECK (sealed_table IN ('product_records', 'batch_products', 'issued_statements', 'compliance_documents', 'stored_files')),
  sealed_key TEXT NOT NULL CHECK (sealed_key <> ''),
  sealed_digest TEXT NOT NULL CHECK (length(sealed_digest) = 64),
  recorded_at TEXT NOT NULL,
  UNIQUE (sealed_table, sealed_key)
) STRICT;
INSERT INTO compliance_seals_v6 SELECT * FROM compliance_seals;
DROP TABLE compliance_seals;
ALTER TABLE compliance_seals_v6 RENAME TO compliance_seals;

CREATE TABLE compliance_documents (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('label-route', 'batch-audit', 'supplier-check', 'opss-notice', 'opss-event')),
  product_id TEXT NOT NULL CHECK (product_id <> ''),
  batch_id TEXT,
  reference TEXT,
  document_json TEXT NOT NULL CHECK (json_valid(document_json)),
  content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX compliance_documents_product ON compliance_documents (product_id, kind);
CREATE UNIQUE INDEX compliance_documents_notice ON compliance_documents (reference) WHERE kind = 'opss-notice';

CREATE TABLE stored_files (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  content_base64 TEXT NOT NULL,
  stored_at TEXT NOT NULL
) STRICT;
`,
  },
] as const;
