/**
 * The statement of compliance (section 9 of the Act; regulation 7 and Schedule 4 to SI 2023/1007), built from a
 * product record and a batch. Building refuses, naming every missing field at once, rather than leave a gap.
 */
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { isCalendarDate, todayUtc } from './calendar-date.js';
import {
  SCHEDULE_1_PARAGRAPH,
  SCHEDULE_1_REQUIREMENTS,
  type ComplianceBasis,
  type Party,
  type ProductRecord,
  type SupportPeriod,
  type Schedule1Requirement,
  type StandardReference,
} from './product-record.js';
import { productRecordHash } from './product-validate.js';
import { computeRetainUntil } from './retention.js';
import { DEEMED_COMPLIANCE_ROUTES } from './schedule-2.js';
import { assessScope } from './scope.js';

export const STATEMENT_FORMAT = 'credline-statement-of-compliance';

/** Schedule 4 para 1(c). */
export const PREPARED_BY_DECLARATION =
  'This statement of compliance is prepared by or on behalf of the manufacturer of the product.';

/** Schedule 4 para 1(d), introducing the per-requirement list. */
export const COMPLIANCE_DECLARATION =
  'In the opinion of the manufacturer, the manufacturer has complied with the applicable security requirements ' +
  'in Schedule 1, or the deemed compliance conditions in Schedule 2, to the Product Security and ' +
  'Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) Regulations ' +
  '2023, as follows:';

export interface RequirementCompliance {
  requirement: Schedule1Requirement;
  schedule1Paragraph: number;
  title: string;
  basis: 'schedule-1' | 'schedule-2';
  /** Set for `schedule-2`. */
  schedule2Paragraph?: number;
  /** Set for `schedule-2`: identification number, version and date of issue (Schedule 4 para 1(2)). */
  standards?: StandardReference[];
}

export interface StatementOfCompliance {
  format: typeof STATEMENT_FORMAT;
  version: 1;
  /** Demonstration data: every rendering says EXAMPLE. */
  example?: boolean;
  /** 1(a) */
  product: { brand: string; model: string; type: string; batch: string };
  /** 1(b) */
  manufacturers: Party[];
  /** 1(b) "where applicable": empty means not applicable. */
  authorisedRepresentatives: Party[];
  /** 1(c) */
  preparedByDeclaration: string;
  /** 1(d) and 1(2) */
  complianceDeclaration: string;
  compliance: RequirementCompliance[];
  /** 1(e): the defined support period correct when the manufacturer first supplied the product. */
  supportPeriod: { endDate: string };
  /** 1(f): `signature` is filled in when signed (credline issues statements ready for signature). */
  signatory: { name: string; function: string; signature?: string };
  /** 1(g) */
  placeOfIssue: string;
  dateOfIssue: string;
  /** Not required by Schedule 4: where the statement came from, and how long to keep it. */
  source?: { productRecordId: string; productRecordRevision: number; productRecordHash: string };
  retainUntil?: string;
}

export interface StatementRequest {
  batch: string;
  /** `Name, Function`, split at the first comma. */
  signatory: string;
  place: string;
  /** `YYYY-MM-DD`; today (UTC) when absent. */
  date?: string;
  /** For tests: what "today" is. */
  today?: string;
}

/**
 * Builds the statement, or throws one error naming every missing field and every bad date.
 *
 * @example
 * const statement = buildStatement(record, { batch: 'B-0001', signatory: 'Ana Silva, Head of Compliance', place: 'Leeds' });
 */
export function buildStatement(record: ProductRecord, request: StatementRequest): StatementOfCompliance {
  refuseOutOfScope(record);
  const missing = listMissingRecordFields(record);
  if (!record.scope) {
    missing.push(
      'scope note ($.scope): record whether it is a relevant connectable product and whether Schedule 3 excepts it (credline product scope)',
    );
  }
  if (request.batch.trim() === '') missing.splice(3, 0, '1(a) batch (--batch)');
  const signatory = parseSignatory(request.signatory, missing);
  if (request.place.trim() === '') missing.push('1(g) place of issue (--place)');
  if (missing.length > 0) {
    throw new CredlineError(
      'STATEMENT_INCOMPLETE',
      `statement of compliance not issued: ${missing.length} required field(s) missing (Schedule 4 para 1):\n` +
        missing.map((m) => `  - ${m}`).join('\n'),
      { exitCode: ExitCode.usage },
    );
  }
  const dateOfIssue = checkIssueDate(request.date, request.today ?? todayUtc());
  const support = record.supportPeriod as SupportPeriod;
  const supportEndDate = support.atFirstSupply?.endDate ?? support.endDate;
  const recordProduct = record.product as Required<NonNullable<ProductRecord['product']>>;
  const product = {
    brand: recordProduct.brand,
    model: recordProduct.model,
    type: recordProduct.type,
    batch: request.batch.trim(),
  };
  if (supportEndDate < dateOfIssue) {
    throw usageError(
      'SUPPORT_PERIOD_ENDED',
      `the defined support period ended on ${supportEndDate}, before the date of issue ${dateOfIssue}; ` +
        'a statement cannot declare a support period that is already over',
    );
  }
  const statement: StatementOfCompliance = {
    format: STATEMENT_FORMAT,
    version: 1,
    product,
    manufacturers: record.manufacturers as Party[],
    authorisedRepresentatives: record.authorisedRepresentatives ?? [],
    preparedByDeclaration: PREPARED_BY_DECLARATION,
    complianceDeclaration: COMPLIANCE_DECLARATION,
    compliance: SCHEDULE_1_REQUIREMENTS.map((requirement) => describeCompliance(record, requirement)),
    supportPeriod: { endDate: supportEndDate },
    signatory,
    placeOfIssue: request.place.trim(),
    dateOfIssue,
    source: {
      productRecordId: record.id,
      productRecordRevision: record.revision,
      productRecordHash: productRecordHash(record),
    },
    retainUntil: computeRetainUntil(dateOfIssue, [support.endDate, supportEndDate]),
  };
  if (record.example) statement.example = true;
  return statement;
}

/**
 * The Schedule 4 fields a product record still lacks for a statement (batch, signatory, place and date come with
 * the request). Empty when the record is ready.
 *
 * @example listMissingRecordFields(record) // ['1(e) defined support period end date ($.supportPeriod.endDate)']
 */
export function listMissingRecordFields(record: ProductRecord): string[] {
  const missing: string[] = [];
  const need = (value: string | undefined, label: string): void => {
    if (value === undefined || value.trim() === '') missing.push(label);
  };
  need(record.product?.brand, '1(a) product brand ($.product.brand)');
  need(record.product?.model, '1(a) product model ($.product.model)');
  need(record.product?.type, '1(a) product type ($.product.type)');
  if ((record.manufacturers ?? []).length === 0) {
    missing.push('1(b) name and address of each manufacturer ($.manufacturers)');
  }
  if (record.authorisedRepresentatives === undefined) {
    missing.push('1(b) authorised representatives, or [] when not applicable ($.authorisedRepresentatives)');
  }
  for (const requirement of SCHEDULE_1_REQUIREMENTS) {
    if (!record.complianceBasis?.[requirement]) {
      const { paragraph } = SCHEDULE_1_PARAGRAPH[requirement];
      missing.push(
        `1(d) compliance basis for Schedule 1 paragraph ${paragraph} ($.complianceBasis.${requirement})`,
      );
    }
  }
  need(record.supportPeriod?.endDate, '1(e) defined support period end date ($.supportPeriod.endDate)');
  return missing;
}

function describeCompliance(record: ProductRecord, requirement: Schedule1Requirement): RequirementCompliance {
  const basis = record.complianceBasis?.[requirement] as ComplianceBasis;
  const { paragraph, title } = SCHEDULE_1_PARAGRAPH[requirement];
  const entry: RequirementCompliance = {
    requirement,
    schedule1Paragraph: paragraph,
    title,
    basis: basis.basis,
  };
  if (basis.basis === 'schedule-2') {
    entry.schedule2Paragraph = DEEMED_COMPLIANCE_ROUTES[requirement].paragraph;
    entry.standards = basis.standards;
  }
  return entry;
}

function refuseOutOfScope(record: ProductRecord): void {
  if (!record.scope) return;
  const assessment = assessScope(record.scope.answers);
  if (assessment.outcome === 'in-scope') return;
  const why =
    assessment.outcome === 'excepted'
      ? `it is recorded as excepted under ${assessment.reliedOn}`
      : 'it is recorded as not a relevant connectable product (section 4 of the Act)';
  throw usageError(
    'PRODUCT_OUT_OF_SCOPE',
    `no statement of compliance is issued for product ${record.id}: ${why} (decided by ${record.scope.decidedBy.name} ` +
      `on ${record.scope.decidedOn}); see credline product scope`,
  );
}

function parseSignatory(text: string, missing: string[]): StatementOfCompliance['signatory'] {
  const comma = text.indexOf(',');
  const name = (comma < 0 ? text : text.slice(0, comma)).trim();
  const role = comma < 0 ? '' : text.slice(comma + 1).trim();
  if (name === '') missing.push('1(f) name of the signatory (--signatory "Name, Function")');
  if (role === '') missing.push('1(f) function of the signatory (--signatory "Name, Function")');
  return { name, function: role };
}

function checkIssueDate(date: string | undefined, today: string): string {
  if (date === undefined) return today;
  if (!isCalendarDate(date)) {
    throw usageError(
      'DATE_INVALID',
      `--date ${JSON.stringify(date)}: expected a real date written YYYY-MM-DD`,
    );
  }
  if (date > today) {
    throw usageError(
      'DATE_IN_FUTURE',
      `--date ${date} is after today (${today}): a statement is dated when issued`,
    );
  }
  return date;
}

/** `Brand Model` as the documents name the product. */
export function productDisplayName(product: { brand?: string; model?: string }): string {
  return [product.brand, product.model].filter(Boolean).join(' ');
}
