/**
 * The batch audit: judging a whole password batch against each PSTI rule, and rendering its reports.
 *
 * @example
 * const { batch, malformed, input } = await readCsvBatch('supplier.csv');
 * const report = await runAudit(batch, { manufacturer: 'Acme' });
 */
export { barChart } from './svg-charts.js';
export { readCsvBatch, detectDelimiter, type CsvBatch, type CsvBatchOptions } from './csv-batch.js';
export { deriveBatchFromSerials, type DerivedBatch } from './derived-batch.js';
export { AUDIT_DEFAULTS, runAudit } from './run-audit.js';
export { reportToJson, type JsonReportContext } from './report-json.js';
export { renderHtmlReport } from './report-html.js';
export { renderTextReport } from './report-text.js';
export { RULES } from './audit-types.js';
export type {
  AuditAccountable,
  AuditBatch,
  AuditInput,
  AuditOptions,
  AuditProgress,
  AuditReport,
  BatchStats,
  RuleExample,
  RuleId,
  RuleResult,
  ScoringSummary,
} from './audit-types.js';
