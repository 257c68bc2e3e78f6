table stations stations
CREATE TABLE stations (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  station_id TEXT NOT NULL UNIQUE CHECK (station_id <> ''),
  label TEXT CHECK (label <> ''),
  recorded_at TEXT NOT NULL
) STRICT
index sqlite_autoindex_stations_1 stations
null
table line_keys line_keys
CREATE TABLE line_keys (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  key_id TEXT NOT NULL UNIQUE CHECK (length(key_id) = 16),
  label TEXT CHECK (label <> ''),
  recorded_at TEXT NOT NULL
) STRICT
index sqlite_autoindex_line_keys_1 line_keys
null
table batches batches
CREATE TABLE batches (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  batch_id TEXT NOT NULL UNIQUE CHECK (batch_id <> ''),
  product_type TEXT NOT NULL CHECK (product_type <> ''),
  profile_id TEXT NOT NULL CHECK (profile_id <> ''),
  profile_revision INTEGER NOT NULL,
  profile_hash TEXT NOT NULL CHECK (length(profile_hash) = 64),
  firmware TEXT CHECK (firmware <> ''),
  support_end_date TEXT NOT NULL,
  retention_until TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT
index sqlite_autoindex_batches_1 batches
null
table provisioning_events provisioning_events
CREATE TABLE provisioning_events (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  kind TEXT NOT NULL CHECK (kind IN ('INTENT', 'RESULT')),
  intent_seq INTEGER REFERENCES provisioning_events (seq),
  batch_id TEXT NOT NULL REFERENCES batches (batch_id),
  serial TEXT NOT NULL CHECK (serial <> ''),
  key_id TEXT NOT NULL REFERENCES line_keys (key_id),
  scheme_version INTEGER NOT NULL,
  profile_id TEXT NOT NULL,
  profile_revision INTEGER NOT NULL,
  profile_hash TEXT NOT NULL,
  attempt INTEGER CHECK (attempt >= 0),
  fingerprint TEXT CHECK (length(fingerprint) = 64),
  zxcvbn_score INTEGER CHECK (zxcvbn_score BETWEEN 0 AND 4),
  zxcvbn_log10_guesses REAL,
  entropy_bits REAL,
  result TEXT CHECK (result IN ('PASS', 'FAIL', 'ABORTED')),
  readback_verified INTEGER CHECK (readback_verified IN (0, 1)),
  reason_code TEXT CHECK (reason_code <> ''),
  reason_text TEXT CHECK (reason_text <> ''),
  reprovision_reason TEXT CHECK (reprovision_reason <> ''),
  port TEXT CHECK (port <> ''),
  station_id TEXT NOT NULL REFERENCES stations (station_id),
  operator TEXT CHECK (operator <> ''),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  recorded_at TEXT NOT NULL,
  CHECK ((kind = 'INTENT') = (intent_seq IS NULL)),
  CHECK ((kind = 'INTENT') = (result IS NULL)),
  CHECK (result IS NOT 'PASS' OR readback_verified = 1)
) STRICT
index provisioning_events_serial provisioning_events
CREATE INDEX provisioning_events_serial ON provisioning_events (serial, key_id)
index provisioning_events_one_result provisioning_events
CREATE UNIQUE INDEX provisioning_events_one_result ON provisioning_events (intent_seq) WHERE intent_seq IS NOT NULL
table policy_rejections policy_rejections
CREATE TABLE policy_rejections (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  batch_id TEXT NOT NULL REFERENCES batches (batch_id),
  serial TEXT NOT NULL CHECK (serial <> ''),
  key_id TEXT NOT NULL REFERENCES line_keys (key_id),
  scheme_version INTEGER NOT NULL,
  attempt INTEGER NOT NULL CHECK (attempt >= 0),
  rule TEXT NOT NULL CHECK (rule <> ''),
  detail TEXT CHECK (detail <> ''),
  port TEXT CHECK (port <> ''),
  station_id TEXT NOT NULL REFERENCES stations (station_id),
  operator TEXT CHECK (operator <> ''),
  recorded_at TEXT NOT NULL
) STRICT
index policy_rejections_serial policy_rejections
CREATE INDEX policy_rejections_serial ON policy_rejections (serial)
trigger stations_no_update stations
CREATE TRIGGER stations_no_update BEFORE UPDATE ON stations BEGIN SELECT RAISE(ABORT, 'evidence is append-only: stations rows cannot be changed'); END
trigger stations_no_delete stations
CREATE TRIGGER stations_no_delete BEFORE DELETE ON stations BEGIN SELECT RAISE(ABORT, 'evidence is append-only: stations rows cannot be deleted'); END
trigger line_keys_no_update line_keys
CREATE TRIGGER line_keys_no_update BEFORE UPDATE ON line_keys BEGIN SELECT RAISE(ABORT, 'evidence is append-only: line_keys rows cannot be changed'); END
trigger line_keys_no_delete line_keys
CREATE TRIGGER line_keys_no_delete BEFORE DELETE ON line_keys BEGIN SELECT RAISE(ABORT, 'evidence is append-only: line_keys rows cannot be deleted'); END
trigger batches_no_update batches
CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches BEGIN SELECT RAISE(ABORT, 'evidence is append-only: batches rows cannot be changed'); END
trigger batches_no_delete batches
CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches BEGIN SELECT RAISE(ABORT, 'evidence is append-only: batches rows cannot be deleted'); END
trigger provisioning_events_no_update provisioning_events
CREATE TRIGGER provisioning_events_no_update BEFORE UPDATE ON provisioning_events BEGIN SELECT RAISE(ABORT, 'evidence is append-only: provisioning_events rows cannot be changed'); END
trigger provisioning_events_no_delete provisioning_events
CREATE TRIGGER provisioning_events_no_delete BEFORE DELETE ON provisioning_events BEGIN SELECT RAISE(ABORT, 'evidence is append-only: provisioning_events rows cannot be deleted'); END
trigger policy_rejections_no_update policy_rejections
CREATE TRIGGER policy_rejections_no_update BEFORE UPDATE ON policy_rejections BEGIN SELECT RAISE(ABORT, 'evidence is append-only: policy_rejections rows cannot be changed'); END
trigger policy_rejections_no_delete policy_rejections
CREATE TRIGGER policy_rejections_no_delete BEFORE DELETE ON policy_rejections BEGIN SELECT RAISE(ABORT, 'evidence is append-only: policy_rejections rows cannot be deleted'); END
table checkpoints checkpoints
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  head_seq INTEGER NOT NULL CHECK (head_seq >= 0),
  head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
  station_id TEXT NOT NULL,
  public_key TEXT NOT NULL CHECK (length(public_key) = 64),
  reason TEXT NOT NULL CHECK (reason <> ''),
  created_at TEXT NOT NULL,
  signature TEXT NOT NULL CHECK (length(signature) = 128)
) STRICT
trigger checkpoints_no_update checkpoints
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'evidence is append-only: checkpoints rows cannot be changed'); END
trigger checkpoints_no_delete checkpoints
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'evidence is append-only: checkpoints rows cannot be deleted'); END
table product_records product_records
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
) STRICT
index sqlite_autoindex_product_records_1 product_records
null
table batch_products batch_products
CREATE TABLE batch_products (
  batch_id TEXT PRIMARY KEY REFERENCES batches (batch_id),
  product_id TEXT NOT NULL CHECK (product_id <> ''),
  recorded_at TEXT NOT NULL
) STRICT
index sqlite_autoindex_batch_products_1 batch_products
null
table issued_statements issued_statements
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
) STRICT
index issued_statements_batch issued_statements
CREATE INDEX issued_statements_batch ON issued_statements (batch_id)
trigger product_records_no_update product_records
CREATE TRIGGER product_records_no_update BEFORE UPDATE ON product_records BEGIN SELECT RAISE(ABORT, 'evidence is append-only: product_records rows cannot be changed'); END
trigger product_records_no_delete product_records
CREATE TRIGGER product_records_no_delete BEFORE DELETE ON product_records BEGIN SELECT RAISE(ABORT, 'evidence is append-only: product_records rows cannot be deleted'); END
trigger batch_products_no_update batch_products
CREATE TRIGGER batch_products_no_update BEFORE UPDATE ON batch_products BEGIN SELECT RAISE(ABORT, 'evidence is append-only: batch_products rows cannot be changed'); END
trigger batch_products_no_delete batch_products
CREATE TRIGGER batch_products_no_delete BEFORE DELETE ON batch_products BEGIN SELECT RAISE(ABORT, 'evidence is append-only: batch_products rows cannot be deleted'); END
trigger issued_statements_no_update issued_statements
CREATE TRIGGER issued_statements_no_update BEFORE UPDATE ON issued_statements BEGIN SELECT RAISE(ABORT, 'evidence is append-only: issued_statements rows cannot be changed'); END
trigger issued_statements_no_delete issued_statements
CREATE TRIGGER issued_statements_no_delete BEFORE DELETE ON issued_statements BEGIN SELECT RAISE(ABORT, 'evidence is append-only: issued_statements rows cannot be deleted'); END
index provisioning_events_fingerprint_prefix provisioning_events
CREATE INDEX provisioning_events_fingerprint_prefix ON provisioning_events (substr(fingerprint, 1, 16))
  WHERE kind = 'INTENT'
table compliance_documents compliance_documents
CREATE TABLE compliance_documents (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('label-route', 'batch-audit', 'supplier-check', 'opss-notice', 'opss-event')),
  product_id TEXT NOT NULL CHECK (product_id <> ''),
  batch_id TEXT,
  reference TEXT,
  document_json TEXT NOT NULL CHECK (json_valid(document_json)),
  content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
  recorded_at TEXT NOT NULL
) STRICT
index compliance_documents_product compliance_documents
CREATE INDEX compliance_documents_product ON compliance_documents (product_id, kind)
index compliance_documents_notice compliance_documents
CREATE UNIQUE INDEX compliance_documents_notice ON compliance_documents (reference) WHERE kind = 'opss-notice'
table stored_files stored_files
CREATE TABLE stored_files (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  content_base64 TEXT NOT NULL,
  stored_at TEXT NOT NULL
) STRICT
trigger compliance_documents_no_update compliance_documents
CREATE TRIGGER compliance_documents_no_update BEFORE UPDATE ON compliance_documents BEGIN SELECT RAISE(ABORT, 'evidence is append-only: compliance_documents rows cannot be changed'); END
trigger compliance_documents_no_delete compliance_documents
CREATE TRIGGER compliance_documents_no_delete BEFORE DELETE ON compliance_documents BEGIN SELECT RAISE(ABORT, 'evidence is append-only: compliance_documents rows cannot be deleted'); END
trigger stored_files_no_update stored_files
CREATE TRIGGER stored_files_no_update BEFORE UPDATE ON stored_files BEGIN SELECT RAISE(ABORT, 'evidence is append-only: stored_files rows cannot be changed'); END
trigger stored_files_no_delete stored_files
CREATE TRIGGER stored_files_no_delete BEFORE DELETE ON stored_files BEGIN SELECT RAISE(ABORT, 'evidence is append-only: stored_files rows cannot be deleted'); END
table work_orders work_orders
CREATE TABLE work_orders (
  order_id TEXT PRIMARY KEY CHECK (order_id <> ''),
  order_hash TEXT NOT NULL CHECK (length(order_hash) = 64),
  order_json TEXT NOT NULL CHECK (json_valid(order_json)),
  quantity INTEGER NOT NULL CHECK (quantity >= 1),
  registered_at TEXT NOT NULL
) STRICT
index sqlite_autoindex_work_orders_1 work_orders
null
table order_slots order_slots
CREATE TABLE order_slots (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES work_orders (order_id),
  serial TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('reserved', 'pass', 'released', 'spent', 'refused')),
  reason TEXT,
  station_id TEXT NOT NULL,
  port TEXT,
  recorded_at TEXT NOT NULL
) STRICT
index order_slots_serial order_slots
CREATE INDEX order_slots_serial ON order_slots (order_id, serial, id)
trigger work_orders_no_update work_orders
CREATE TRIGGER work_orders_no_update BEFORE UPDATE ON work_orders BEGIN SELECT RAISE(ABORT, 'evidence is append-only: work_orders rows cannot be changed'); END
trigger work_orders_no_delete work_orders
CREATE TRIGGER work_orders_no_delete BEFORE DELETE ON work_orders BEGIN SELECT RAISE(ABORT, 'evidence is append-only: work_orders rows cannot be deleted'); END
trigger order_slots_no_update order_slots
CREATE TRIGGER order_slots_no_update BEFORE UPDATE ON order_slots BEGIN SELECT RAISE(ABORT, 'evidence is append-only: order_slots rows cannot be changed'); END
trigger order_slots_no_delete order_slots
CREATE TRIGGER order_slots_no_delete BEFORE DELETE ON order_slots BEGIN SELECT RAISE(ABORT, 'evidence is append-only: order_slots rows cannot be deleted'); END
table batch_terms batch_terms
CREATE TABLE batch_terms (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  batch_id TEXT NOT NULL REFERENCES batches (batch_id),
  key_id TEXT NOT NULL REFERENCES line_keys (key_id),
  test_key INTEGER NOT NULL CHECK (test_key IN (0, 1)),
  alphabet TEXT NOT NULL CHECK (alphabet <> ''),
  password_length INTEGER NOT NULL CHECK (password_length >= 1),
  support_end_date TEXT NOT NULL,
  retention_until TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT
index batch_terms_batch batch_terms
CREATE INDEX batch_terms_batch ON batch_terms (batch_id, seq)
trigger batch_terms_no_update batch_terms
CREATE TRIGGER batch_terms_no_update BEFORE UPDATE ON batch_terms BEGIN SELECT RAISE(ABORT, 'evidence is append-only: batch_terms rows cannot be changed'); END
trigger batch_terms_no_delete batch_terms
CREATE TRIGGER batch_terms_no_delete BEFORE DELETE ON batch_terms BEGIN SELECT RAISE(ABORT, 'evidence is append-only: batch_terms rows cannot be deleted'); END
table compliance_seals compliance_seals
CREATE TABLE "compliance_seals" (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  row_hash TEXT NOT NULL CHECK (length(row_hash) = 64),
  sealed_table TEXT NOT NULL CHECK (sealed_table IN ('product_records', 'batch_products', 'issued_statements', 'compliance_documents', 'stored_files', 'order_reports')),
  sealed_key TEXT NOT NULL CHECK (sealed_key <> ''),
  sealed_digest TEXT NOT NULL CHECK (length(sealed_digest) = 64),
  recorded_at TEXT NOT NULL,
  UNIQUE (sealed_table, sealed_key)
) STRICT
index sqlite_autoindex_compliance_seals_1 compliance_seals
null
table order_reports order_reports
CREATE TABLE order_reports (
  id INTEGER PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES work_orders (order_id),
  station_id TEXT NOT NULL CHECK (station_id <> ''),
  report_json TEXT NOT NULL CHECK (json_valid(report_json)),
  report_sha256 TEXT NOT NULL CHECK (length(report_sha256) = 64),
  chain_head_seq INTEGER NOT NULL CHECK (chain_head_seq >= 0),
  generated_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT
index order_reports_order order_reports
CREATE INDEX order_reports_order ON order_reports (order_id, station_id, id)
trigger compliance_seals_no_update compliance_seals
CREATE TRIGGER compliance_seals_no_update BEFORE UPDATE ON compliance_seals BEGIN SELECT RAISE(ABORT, 'evidence is append-only: compliance_seals rows cannot be changed'); END
trigger compliance_seals_no_delete compliance_seals
CREATE TRIGGER compliance_seals_no_delete BEFORE DELETE ON compliance_seals BEGIN SELECT RAISE(ABORT, 'evidence is append-only: compliance_seals rows cannot be deleted'); END
trigger order_reports_no_update order_reports
CREATE TRIGGER order_reports_no_update BEFORE UPDATE ON order_reports BEGIN SELECT RAISE(ABORT, 'evidence is append-only: order_reports rows cannot be changed'); END
trigger order_reports_no_delete order_reports
CREATE TRIGGER order_reports_no_delete BEFORE DELETE ON order_reports BEGIN SELECT RAISE(ABORT, 'evidence is append-only: order_reports rows cannot be deleted'); END
