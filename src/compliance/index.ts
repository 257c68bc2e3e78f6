/**
 * The compliance module's one door: product records, scope, statements of compliance, evidence packs, notices,
 * duties, retention and the OPSS register. Everything outside src/compliance enters here (tests under
 * test/compliance may reach inside). The evidence store's migrations read the compliance tables through
 * `compliance/tables/index.ts`, plain data kept apart so that a station never loads compliance code.
 */
import type { EvidencePack, PackRequest } from './evidence-pack.js';
import type { StatementOfCompliance } from './statement.js';

export { recordBatchAudit, recordLabelRoute, recordSupplierCheck } from './batch-records.js';
export { formatLongDate, isCalendarDate, todayUtc } from './calendar-date.js';
export {
  listRetention,
  retentionEntries,
  type RetentionEntry,
  type RetentionSource,
} from './compliance-retention.js';
export { assertBatchFits } from './batch-fit.js';
export { batchSupport } from './batch-support.js';
export { statementContentHash } from './compliance-store.js';
export { openComplianceStore, readComplianceStore, type ComplianceStore } from './compliance-store.js';
export { anyMissing, assessDuties, type DutyEvidence } from './duties.js';
export { renderDutiesReport, type DutiesFormat } from './duties-report.js';
export { auditDutyOf, dutyOwnerOf } from './duty-catalogue.js';
export { firstPassAt, gatherDutyEvidence } from './duty-evidence.js';
export type { EvidencePack, PackFile, PackRequest } from './evidence-pack.js';
export { readJsonFile, writeFileAtomically } from './json-file.js';
export { buildLabelRoute, renderLabelRouteMarkdown } from './label-route.js';
export { describeSpan, renderCustomerNotice, renderSecurityTxt } from './notices.js';
export {
  daysToDeadline,
  NOTICE_TYPE_NAMES,
  NOTICE_TYPES,
  parseDueWithin,
  type NoticeEvent,
} from './opss-notice.js';
export { closeNotice, listNotices, recordNotice, updateNotice } from './opss-register.js';
export { assembleResponse } from './opss-response.js';
export { writePackDirectory, writePackZip } from './pack-writer.js';
export {
  PRODUCT_RECORD_FORMAT,
  PRODUCT_RECORD_SCHEMA_VERSION,
  type ProductRecord,
  type ScopeAnswers,
} from './product-record.js';
export {
  loadProductRecordFile,
  productRecordHash,
  productRecordWarnings,
  validateProductRecord,
} from './product-validate.js';
export { assessReadiness } from './readiness.js';
export { describeLabel, LABEL_ROUTE_CITATION } from './recognised-labels.js';
export { assessScope, renderScopeNote } from './scope.js';
export {
  buildStatement,
  labelRouteOpen,
  listMissingRecordFields,
  productDisplayName,
  type StatementOfCompliance,
  type StatementRequest,
} from './statement.js';
export { checkStatementFile } from './statement-check.js';
export { renderStatementHtml } from './statement-html.js';
export { renderStatementMarkdown, renderStatementTemplate } from './statement-markdown.js';
export { assertFirstSupplyKept, fixedFirstSupply } from './support-history.js';
export { assertSupportPeriodNotShortened } from './support-period.js';
export { issuesError } from './validation-issue.js';

/**
 * A batch's evidence pack (verify, export, audit, statement, README). Its code (the audit, zxcvbn's lists, the
 * profiles) loads on the first call, so a command or the console that never builds a pack does not carry it.
 */
export async function buildEvidencePack(request: PackRequest): Promise<EvidencePack> {
  return (await import('./evidence-pack.js')).buildEvidencePack(request);
}

/** The statement of compliance as a PDF; pdfkit and its fonts load on the first call. */
export async function renderStatementPdf(statement: StatementOfCompliance): Promise<Buffer> {
  return (await import('./statement-pdf.js')).renderStatementPdf(statement);
}
