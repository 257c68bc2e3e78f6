/**
 * The evidence store: tamper-evident provisioning records in SQLite (docs/evidence.md). The one door of the module:
 * nothing outside src/evidence imports a file inside it.
 *
 *   chain/   what a chained record is and how the chain grows: record types, canonical encoding, the writer,
 *            seals, signed checkpoints, the schema's migrations
 *   store/   the store the station writes and commands read: opening, queries, row building, bulk import, backup
 *   writer/  the store's writes in a worker thread with group commit (the station's several ports)
 *   verify/  `evidence verify`
 *   export/  `evidence export` (CSV on two worker threads when large, JSON, JSONL)
 *
 * @example
 * import { openEvidenceStore, verifyEvidence } from '../evidence/index.js';
 */
export { openEvidenceStore, EvidenceStore, REASON_INTERRUPTED } from './store/evidence-store.js';
export type { OpenEvidenceStoreOptions } from './store/evidence-store.js';
export type { BackupFileOptions } from './store/store-file.js';
export {
  backupEvidenceStore,
  checkpointEvidenceStore,
  initEvidenceStore,
  readEvidenceStore,
} from './store/store-file.js';
export { computeRetainUntil, RETENTION_YEARS, tenYearPeriodEnd } from './store/retention.js';
export { openDatabase } from './store/database.js';
export { EvidenceQueries } from './store/queries.js';
export type { EventFilter, Row, SerialHistoryEntry, StoreStats } from './store/queries.js';
export type { ImportedDevice, ImportSummary } from './store/device-import.js';
export { toBatchRecord, toBatchTermsRecord, toEventRecord, toRejectionRecord } from './store/rows.js';
export type { BatchResult, EventFacts, EventFeed } from './store/event-feed.js';
export type {
  BatchInput,
  BatchRecord,
  BatchTermsInput,
  BatchTermsRecord,
  ChainHead,
  CheckpointRecord,
  EventRecord,
  IntentInput,
  LineKeyRecord,
  ProvisioningResult,
  RefusalInput,
  RejectionInput,
  RejectionRecord,
  ResultInput,
  StationInput,
  StationRecord,
  Timestamp,
} from './types.js';

export { evidenceWriterFor, inThreadEvidenceWriter, startEvidenceWriter } from './writer/evidence-writer.js';
export type { EvidenceWriter } from './writer/evidence-writer.js';

export { LATEST_VERSION, MIGRATIONS } from './chain/migrations.js';
export { canonicalBytes, chainHash, GENESIS_HASH, isIsoTimestamp } from './chain/canonical.js';
export type { FieldKind, FieldValue } from './chain/canonical.js';
export type { SealedTable } from './chain/owned-tables.js';
export { checkpointMessage, signCheckpoint, checkpointSignatureValid } from './chain/checkpoint.js';
export { iterateChainRows } from './chain/chain-rows.js';
export {
  ALL_FIELDS,
  CHAIN_COLUMNS,
  RECORD_TYPES,
  toChainRecord,
  recordTypeByTag,
} from './chain/record-types.js';
export type { ChainFilter, ChainRecord, FieldSpec, RecordType } from './chain/record-types.js';

export { verifyEvidence, parseAnchor } from './verify/verify.js';
export type { VerifyOptions, VerifyReport, VerifyProblem, ProblemKind } from './verify/verify-report.js';

export { exportEvidence, neutraliseFormula, CSV_COLUMNS, EXPORT_FORMATS } from './export/export.js';
export type { ExportFormat, ExportOptions, ExportSummary } from './export/export.js';
export { csvHeader, csvRecords } from './export/export-csv.js';
