/**
 * The central store on PostgreSQL: schema and roles, sync of station files, ingest checks, global uniqueness,
 * reservations, and the read interface compliance commands use (docs/central.md).
 *
 * @example
 * import { centralTarget, syncStation } from '../central/index.js';
 * await syncStation({ file: 'line1.db', target: centralTarget({ central: 'postgresql://line1@db/credline' }) });
 */
export { centralError, centralTarget, connectCentral, describeCentral } from './connect.js';
export type { CentralClient, CentralTarget } from './connect.js';
export { initCentral } from './init.js';
export type { InitReport } from './init.js';
export { CENTRAL_LATEST_VERSION } from './migrations.js';
export { ROLES } from './roles.js';
export { registerStation, listStations } from './stations.js';
export type { CentralStation } from './stations.js';
export { syncStation } from './sync.js';
export type { Finding, FindingKind, PushMethod, SyncOptions, SyncReport } from './sync.js';
export { reserveUnit } from './reserve.js';
export type { ReservationOutcome, UnitReservation } from './reserve.js';
export { CentralReader } from './central-reader.js';
export type {
  CentralFilter,
  CentralRow,
  CentralStationStats,
  CentralVerifyReport,
  Conflict,
  StoredFinding,
} from './central-reader.js';
export { exportCentral } from './central-export.js';
export type { CentralExportSummary } from './central-export.js';
export {
  centralBatchCounts,
  centralBatchFacts,
  centralBatches,
  centralEvents,
  centralIncomplete,
  centralSerialHistory,
  centralStoreStats,
  requireCentralBatch,
} from './central-evidence.js';
export type {
  CentralBatchCounts,
  CentralBatchFacts,
  CentralEventFilter,
  CentralStoreStats,
} from './central-evidence.js';
export {
  centralDocuments,
  centralKeyName,
  listCentralKeys,
  recordCentralDocument,
  registerCentralKey,
  signComplianceHead,
} from './central-documents.js';
export type {
  CentralKey,
  ComplianceChainReport,
  ComplianceCheckpoint,
  SealedDocument,
  StoredDocument,
} from './central-documents.js';
export { startBackgroundSync } from './background-sync.js';
export type { BackgroundSync, BackgroundSyncState } from './background-sync.js';
export {
  consoleBatchesAfter,
  consoleBatchResults,
  consoleCheckpoints,
  consoleEventsAfter,
  consoleHeads,
  consoleSerialHistory,
  consoleSerialsStartingWith,
  consoleStatements,
} from './console-queries.js';
export type { ConsoleHeads, ConsoleResult, ConsoleStatement } from './console-queries.js';
export {
  centralOrderFigures,
  claimOrderUnit,
  openOrderClaims,
  registerCentralOrder,
  settleOrderUnit,
} from './order-slots.js';
export type { CentralOrder, CentralOrderFigures, OrderClaim } from './order-slots.js';
