/** The machine-readable report: `{ rules: [{ id, status, violations, examples }], stats, ... }`. */
import type { AuditAccountable, AuditInput, AuditReport } from './audit-types.js';
import { showPassword } from './mask.js';

export interface JsonReportContext {
  input: AuditInput;
  showPasswords: boolean;
  /** credline's version. */
  version: string;
  /** Thresholds and names the audit ran with. */
  settings: Record<string, unknown>;
  /** The product's audit duty, owner and escalation point, when a product record was given. */
  accountable?: AuditAccountable;
}

/** The report as a plain object; examples are masked unless `showPasswords`. */
export function reportToJson(report: AuditReport, context: JsonReportContext): Record<string, unknown> {
  return {
    source: context.input.source,
    input: context.input,
    credlineVersion: context.version,
    passed: report.passed,
    rules: report.rules.map((rule) => ({
      id: rule.id,
      title: rule.title,
      law: rule.law,
      status: rule.status,
      violations: rule.violations,
      examples: rule.examples.map((e) => ({
        line: e.line,
        password: showPassword(e.password, context.showPasswords),
        note: e.note,
      })),
      findings: rule.findings,
    })),
    stats: report.stats,
    scoring: report.scoring,
    malformed: report.malformed,
    settings: context.settings,
    ...(context.accountable ? { accountable: context.accountable } : {}),
  };
}
