/**
 * The evidence store: tamper-evident provisioning records in SQLite (docs/evidence.md).
 *
 * @example
 * import { openEvidenceStore, verifyEvidence } from '../evidence/index.js';
 */
export { openEvidenceStore, EvidenceStore, REASON_INTERRUPTED } from './evidence-store.js';
export type { OpenEvidenceStoreOptions } from './evidence-store.js';
export type { EventFilter, StoreStats } from './queries.js';
export type * from './types.js';
export { LATEST_VERSION, MIGRATIONS } from './migrations.js';
export { canonicalBytes, chainHash, GENESIS_HASH } from './canonical.js';
export { checkpointMessage, signCheckpoint, checkpointSignatureValid } from './checkpoint.js';
export { verifyEvidence, parseAnchor } from './verify.js';
export type { VerifyOptions, VerifyReport, VerifyProblem, ProblemKind } from './verify.js';
export { exportEvidence, neutraliseFormula, CSV_COLUMNS, EXPORT_FORMATS } from './export.js';
export type { ExportFormat, ExportOptions, ExportSummary } from './export.js';
export { openDatabase } from './database.js';
export { EvidenceQueries } from './queries.js';
export { iterateChainRows } from './chain-rows.js';
export { ALL_FIELDS, CHAIN_COLUMNS, RECORD_TYPES, toChainRecord, recordTypeByTag } from './record-types.js';
export type { ChainFilter, ChainRecord, FieldSpec, RecordType } from './record-types.js';
export type { FieldKind, FieldValue } from './canonical.js';
export { csvHeader, csvRecords } from './export-csv.js';
