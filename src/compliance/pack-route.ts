/**
 * Which route a batch's pack evidences: the statement of compliance issued for it (Schedule 4), or the recognised
 * label it relied on (regulation 4A and Schedule 2A, S.I. 2025/1267). Either way the pack carries the document, its
 * sealed row and what the README says about it.
 */
import { usageError } from '../errors/credline-error.js';
import { listDocuments } from './compliance-documents.js';
import type { ComplianceStore } from './compliance-store.js';
import { renderLabelRouteMarkdown, type LabelRouteRecord } from './label-route.js';
import { describeLabel } from './recognised-labels.js';
import { renderStatementHtml } from './statement-html.js';
import { renderStatementMarkdown } from './statement-markdown.js';
import { renderStatementPdf } from './statement-pdf.js';
import type { StatementOfCompliance } from './statement.js';

const encoder = new TextEncoder();

/** What the README needs of the document, whichever route. */
export interface PackDocumentFacts {
  route: 'statement' | 'label';
  /** The file whose canonical JSON hash is `contentHash`. */
  file: string;
  product: { brand: string; model: string; type: string; batch: string };
  /** Date of issue, or of supply on the label route. */
  date: string;
  supportEndDate: string;
  productRecordHash?: string;
  example: boolean;
  contentHash: string;
  /** e.g. the label, and why a statement was issued despite it. */
  routeNote: string;
}

export interface PackDocument {
  facts: PackDocumentFacts;
  productId: string;
  productRevision: number;
  files: { name: string; data: Uint8Array }[];
  sealed: { table: string; key: number };
  /** `statement` or `label`, with the id, for the manifest. */
  manifest: Record<string, unknown>;
}

function json(name: string, value: unknown): { name: string; data: Uint8Array } {
  return { name, data: encoder.encode(`${JSON.stringify(value, null, 2)}\n`) };
}

/** The statement (default the latest) or, when the batch has none, its label route; refuses when neither. */
export async function packDocumentOf(
  store: ComplianceStore,
  batchId: string,
  options: { statementId?: number; restricted: boolean; dbFile: string },
): Promise<PackDocument> {
  const statements = store.listStatements(batchId);
  if (options.statementId === undefined && statements.length > 1 && options.restricted) {
    throw usageError(
      'PACK_STATEMENT_AMBIGUOUS',
      `batch ${batchId} has ${statements.length} statements of compliance (ids ${statements.map((x) => x.id).join(', ')}): ` +
        'say which one this restricted pack answers with --statement ID',
    );
  }
  const issued =
    options.statementId === undefined
      ? statements.at(-1)
      : statements.find((x) => x.id === options.statementId);
  if (options.statementId !== undefined && !issued) {
    throw usageError('PACK_STATEMENT_NOT_FOUND', `batch ${batchId} has no statement ${options.statementId}`);
  }
  if (issued) {
    const s: StatementOfCompliance = issued.statement;
    return {
      productId: issued.productId,
      productRevision: issued.productRevision,
      sealed: { table: 'issued_statements', key: issued.id },
      manifest: { route: 'statement', statementId: issued.id, labelHeld: s.labelHeld ?? null },
      facts: {
        route: 'statement',
        file: 'statement/statement-of-compliance.json',
        product: s.product,
        date: s.dateOfIssue,
        supportEndDate: s.supportPeriod.endDate,
        productRecordHash: s.source?.productRecordHash,
        example: s.example === true,
        contentHash: issued.contentHash,
        routeNote: s.labelHeld
          ? `Statement of compliance (Schedule 4), issued although the product holds ${describeLabel(s.labelHeld.label)}: ${s.labelHeld.reason}.`
          : 'Statement of compliance (section 9 of the Act, Schedule 4).',
      },
      files: [
        json('statement/statement-of-compliance.json', s),
        { name: 'statement/statement-of-compliance.md', data: encoder.encode(renderStatementMarkdown(s)) },
        { name: 'statement/statement-of-compliance.html', data: encoder.encode(renderStatementHtml(s)) },
        { name: 'statement/statement-of-compliance.pdf', data: await renderStatementPdf(s) },
        json('statement/issued.json', {
          id: issued.id,
          batchId: issued.batchId,
          contentHash: issued.contentHash,
          dateOfIssue: issued.dateOfIssue,
          retainUntil: issued.retainUntil,
          chainHeadAtIssue: issued.chainHead,
          issuedAt: issued.issuedAt,
          statementsForBatch: statements.length,
        }),
      ],
    };
  }
  const route = listDocuments<LabelRouteRecord>(store.evidence, 'label-route')
    .filter((d) => d.batchId === batchId)
    .at(-1);
  if (!route) {
    throw usageError(
      'PACK_NO_STATEMENT',
      `batch ${batchId} has no statement of compliance recorded in ${options.dbFile} (nor a label route): issue one first ` +
        `(credline soc issue --db ${options.dbFile} --batch ${batchId} ...)`,
    );
  }
  const r = route.document;
  return {
    productId: r.source.productRecordId,
    productRevision: r.source.productRecordRevision,
    sealed: { table: 'compliance_documents', key: route.id },
    manifest: { route: 'label', labelRouteId: route.id, label: r.label, reliedOn: r.reliedOn },
    facts: {
      route: 'label',
      file: 'statement/label-route.json',
      product: r.product,
      date: r.dateOfSupply,
      supportEndDate: r.supportPeriod.endDate,
      productRecordHash: r.source.productRecordHash,
      example: r.example === true,
      contentHash: route.contentHash,
      routeNote:
        `Label route: no statement of compliance. ${describeLabel(r.label)} was current on the date of supply ` +
        `${r.dateOfSupply}, so ${r.reliedOn} meets the statement duty and ${r.condition} each security requirement.`,
    },
    files: [
      json('statement/label-route.json', r),
      { name: 'statement/label-route.md', data: encoder.encode(renderLabelRouteMarkdown(r)) },
      json('statement/issued.json', {
        route: 'label',
        labelRouteId: route.id,
        contentHash: route.contentHash,
        dateOfSupply: r.dateOfSupply,
        retainUntil: r.retainUntil,
        recordedAt: route.recordedAt,
        sealSeq: route.seq,
      }),
    ],
  };
}
