/**
 * What the importer (and the manufacturer) record about a batch besides its statement: a batch audit's outcome, a
 * supplier's statement checked (its bytes kept, regulation 9), and the label route a batch relied on. Each is a
 * sealed compliance document (compliance-documents.ts) that `credline duties` counts as evidence.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { usageError } from '../errors/credline-error.js';
import { todayUtc } from './calendar-date.js';
import { appendDocument, storeFile, type StoredDocument } from './compliance-documents.js';
import { parseJsonText } from './json-file.js';
import type { LabelRouteRecord } from './label-route.js';
import { computeRetainUntil, type EvidenceStore } from '../evidence/index.js';
import { checkStatementFile, type StatementGap } from './statement-check.js';

export interface BatchAuditDocument {
  role: 'manufacturer' | 'importer';
  passed: boolean;
  /** Each rule's id, status and violation count (examples are never stored: they may show passwords). */
  rules: { id: string; status: string; violations: number }[];
  reportName: string;
  /** SHA-256 of the report file as given. */
  reportSha256: string;
  auditedOn: string;
}

export interface SupplierCheckDocument {
  form: string;
  gaps: StatementGap[];
  complete: boolean;
  file: { id: number; name: string; sha256: string };
  checkedOn: string;
  /** Regulation 9: keep the supplier's statement for the longer of 10 years and its support period. */
  retainUntil: string;
  supportEndDate: string | null;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw usageError(
      'FILE_UNREADABLE',
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Records a `credline audit --format json` report's outcome for a batch of a product. */
export function recordBatchAudit(
  store: EvidenceStore,
  entry: { productId: string; batchId: string; role: BatchAuditDocument['role']; report: string },
  now: Date,
): StoredDocument<BatchAuditDocument> {
  const bytes = readBytes(entry.report);
  const json = parseJsonText(bytes.toString('utf8'), entry.report) as Record<string, unknown>;
  if (typeof json['passed'] !== 'boolean' || !Array.isArray(json['rules'])) {
    throw usageError(
      'AUDIT_REPORT_INVALID',
      `${entry.report}: not a credline audit report ($.passed and $.rules expected: credline audit --format json)`,
    );
  }
  const rules = (json['rules'] as Record<string, unknown>[]).map((r) => ({
    id: String(r['id']),
    status: String(r['status']),
    violations: Number(r['violations'] ?? 0),
  }));
  return store.transaction(() =>
    appendDocument<BatchAuditDocument>(
      store,
      {
        kind: 'batch-audit',
        productId: entry.productId,
        batchId: entry.batchId,
        document: {
          role: entry.role,
          passed: json['passed'] as boolean,
          rules,
          reportName: basename(entry.report),
          reportSha256: createHash('sha256').update(bytes).digest('hex'),
          auditedOn: todayUtc(now),
        },
      },
      now.toISOString(),
    ),
  );
}

/** Checks a supplier's statement (or label route) and records the check with the statement's bytes. */
export function recordSupplierCheck(
  store: EvidenceStore,
  entry: { productId: string; batchId: string; statement: string; today?: string },
  now: Date,
): StoredDocument<SupplierCheckDocument> {
  const today = entry.today ?? todayUtc(now);
  const result = checkStatementFile(entry.statement, { today });
  const bytes = readBytes(entry.statement);
  const supportEndDate = /(\d{4}-\d{2}-\d{2})/.exec(supportLine(bytes.toString('utf8')) ?? '')?.[1] ?? null;
  return store.transaction(() => {
    const at = now.toISOString();
    const file = storeFile(store, basename(entry.statement), bytes, at);
    return appendDocument<SupplierCheckDocument>(
      store,
      {
        kind: 'supplier-check',
        productId: entry.productId,
        batchId: entry.batchId,
        document: {
          form: result.form,
          gaps: result.gaps,
          complete: result.gaps.length === 0,
          file: { id: file.id, name: file.name, sha256: file.sha256 },
          checkedOn: today,
          retainUntil: computeRetainUntil(today, supportEndDate ? [supportEndDate] : []),
          supportEndDate,
        },
      },
      at,
    );
  });
}

/** The support period end a statement gives, as text (JSON `supportPeriod.endDate` or the Markdown `End date`). */
function supportLine(text: string): string | undefined {
  if (/^\s*\{/.test(text)) {
    try {
      const json = JSON.parse(text) as { supportPeriod?: { endDate?: unknown } };
      return typeof json.supportPeriod?.endDate === 'string' ? json.supportPeriod.endDate : undefined;
    } catch {
      return undefined;
    }
  }
  return /end date:\**\s*(.*)$/im.exec(text)?.[1];
}

/** Records the label route a batch relied on (soc issue --db on a product deemed by its label). */
export function recordLabelRoute(
  store: EvidenceStore,
  route: LabelRouteRecord,
  now: Date,
): StoredDocument<LabelRouteRecord> {
  return store.transaction(() =>
    appendDocument<LabelRouteRecord>(
      store,
      {
        kind: 'label-route',
        productId: route.source.productRecordId,
        batchId: route.product.batch,
        document: route,
      },
      now.toISOString(),
    ),
  );
}
