/**
 * The label route (regulation 4A and Schedule 2A, inserted by S.I. 2025/1267): a product holding a current JC-STAR
 * STAR-1 or Singapore CLS label is treated as accompanied by a statement of compliance. Instead of a statement,
 * credline records the label evidence the batch relied on, on its date of supply; retention and the support-period
 * notice still apply.
 */
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { formatLongDate, isCalendarDate, todayUtc } from './calendar-date.js';
import type { Party, ProductRecord } from './product-record.js';
import { productRecordHash } from './product-validate.js';
import {
  describeLabel,
  LABEL_ROUTE_CITATION,
  LABEL_SCHEMES,
  labelCondition,
  labelNotCurrentOn,
  type RecognisedLabel,
} from './recognised-labels.js';
import { regulationsTextOn } from './regulations-text.js';
import { computeRetainUntil } from '../evidence/index.js';
import { EXAMPLE_BANNER } from './statement-sections.js';
import { productDisplayName } from './statement.js';

export const LABEL_ROUTE_FORMAT = 'credline-label-route';

export interface LabelRouteRecord {
  format: typeof LABEL_ROUTE_FORMAT;
  version: 1;
  example?: boolean;
  product: { brand: string; model: string; type: string; batch: string };
  manufacturers: Party[];
  label: RecognisedLabel;
  /** `Schedule 2 Condition C (S.I. 2025/1267)`. */
  condition: string;
  /** `regulation 4A and Schedule 2A (inserted by S.I. 2025/1267)`. */
  reliedOn: string;
  /** The day the batch was supplied (its first PASS), on which the label was current. */
  dateOfSupply: string;
  /** The defined support period still published (Schedule 1 paragraph 3 applies through Condition B or C too). */
  supportPeriod: { endDate: string };
  recordedBy: string;
  regulationsText: string;
  source: { productRecordId: string; productRecordRevision: number; productRecordHash: string };
  retainUntil: string;
}

/**
 * Builds the label-route record of a batch, or refuses: no label, a label not current on the date of supply, or a
 * record missing what the record names.
 *
 * @example buildLabelRoute(record, { batch: 'B-7', dateOfSupply: '2026-12-01', recordedBy: 'Ana Silva, Compliance' })
 */
export function buildLabelRoute(
  record: ProductRecord,
  request: { batch: string; dateOfSupply: string; recordedBy: string; today?: string },
): LabelRouteRecord {
  const label = record.recognisedLabel;
  if (!label) {
    throw usageError('LABEL_MISSING', `product ${record.id} states no recognised label ($.recognisedLabel)`);
  }
  if (!isCalendarDate(request.dateOfSupply) || request.dateOfSupply > (request.today ?? todayUtc())) {
    throw usageError(
      'DATE_INVALID',
      `date of supply ${JSON.stringify(request.dateOfSupply)}: expected a real date, not in the future`,
    );
  }
  const why = labelNotCurrentOn(label, request.dateOfSupply);
  if (why) {
    throw usageError(
      'LABEL_NOT_CURRENT',
      `product ${record.id}: ${describeLabel(label)} cannot be relied on: ${why} (the date of supply); issue a ` +
        'statement of compliance on another basis, or renew the label',
    );
  }
  const missing: string[] = [];
  if (!record.product?.brand || !record.product.model || !record.product.type) missing.push('$.product');
  if (!record.manufacturers?.length) missing.push('$.manufacturers');
  if (!record.supportPeriod?.endDate) missing.push('$.supportPeriod.endDate');
  if (request.batch.trim() === '') missing.push('--batch');
  if (request.recordedBy.trim() === '') missing.push('--signatory');
  if (missing.length > 0) {
    throw new CredlineError(
      'LABEL_ROUTE_INCOMPLETE',
      `label route not recorded for product ${record.id}: missing ${missing.join(', ')}`,
      { exitCode: ExitCode.usage },
    );
  }
  const product = record.product as Required<NonNullable<ProductRecord['product']>>;
  const support = record.supportPeriod as NonNullable<ProductRecord['supportPeriod']>;
  const supportEnd = support.atFirstSupply?.endDate ?? support.endDate;
  const route: LabelRouteRecord = {
    format: LABEL_ROUTE_FORMAT,
    version: 1,
    product: { brand: product.brand, model: product.model, type: product.type, batch: request.batch.trim() },
    manufacturers: record.manufacturers as Party[],
    label,
    condition: labelCondition(label),
    reliedOn: LABEL_ROUTE_CITATION,
    dateOfSupply: request.dateOfSupply,
    supportPeriod: { endDate: supportEnd },
    recordedBy: request.recordedBy.trim(),
    regulationsText: regulationsTextOn(request.dateOfSupply),
    source: {
      productRecordId: record.id,
      productRecordRevision: record.revision,
      productRecordHash: productRecordHash(record),
    },
    retainUntil: computeRetainUntil(request.dateOfSupply, [support.endDate, supportEnd]),
  };
  if (record.example) route.example = true;
  return route;
}

/** The label route as Markdown, for the file kept with the batch and the pack. */
export function renderLabelRouteMarkdown(route: LabelRouteRecord): string {
  const rule = LABEL_SCHEMES[route.label.scheme];
  const lines = [
    '# Label route: no statement of compliance needed',
    '',
    `*${route.reliedOn}; produced under ${route.regulationsText}*`,
    '',
  ];
  if (route.example) lines.push(`> **${EXAMPLE_BANNER}**`, '');
  lines.push(
    `- **Product:** ${productDisplayName(route.product)} (${route.product.type}), batch ${route.product.batch}`,
    `- **Manufacturer:** ${route.manufacturers.map((m) => m.name).join('; ')}`,
    `- **Label:** ${describeLabel(route.label)}`,
    `- **Scheme specification:** ${rule.specification}`,
    `- **Meets:** ${route.condition} for Schedule 1 paragraphs 1, 2 and 3; ${route.reliedOn} for the statement duty`,
    `- **Date of supply:** ${route.dateOfSupply} (${formatLongDate(route.dateOfSupply)}); the label was current that day`,
    `- **Defined support period ends:** ${route.supportPeriod.endDate} (still published: credline notice)`,
    `- **Recorded by:** ${route.recordedBy}`,
    `- **Retain until:** ${route.retainUntil} (regulations 8 and 9)`,
    '',
    `*Keep the label certificate with this record. Which Schedule 2 condition (B or C) a scheme meets is credline's reading of S.I. 2025/1267 (the order of its regulation 3): check it against the instrument on legislation.gov.uk.*`,
  );
  return `${lines.join('\n')}\n`;
}
