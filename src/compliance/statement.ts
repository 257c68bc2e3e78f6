/**
 * The statement of compliance (section 9 of the Act; regulation 7 and Schedule 4 to SI 2023/1007), built from a
 * product record and a batch. Building refuses, naming every missing field at once, rather than leave a gap.
 */
import { CredlineError, ExitCode, usageError } from '../errors/credline-error.js';
import { checkBackdating } from './backdating.js';
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
import {
  describeLabel,
  LABEL_ROUTE_CITATION,
  LABEL_SCHEMES,
  labelNotCurrentOn,
  type RecognisedLabel,
} from './recognised-labels.js';
import { regulationsTextOn } from './regulations-text.js';
import { computeRetainUntil } from '../evidence/index.js';
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
  basis: 'schedule-1' | 'schedule-2' | 'recognised-label';
  /** Set for `schedule-2`. */
  schedule2Paragraph?: number;
  /** Set for `schedule-2`: identification number, version and date of issue (Schedule 4 para 1(2)). */
  standards?: StandardReference[];
  /** Set for `recognised-label`: the Schedule 2 condition (B: JC-STAR, C: CLS) and the label. */
  condition?: 'B' | 'C';
  label?: RecognisedLabel;
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
  signatory: { name: string; function: string; organisation?: string; signature?: string };
  /** 1(g) */
  placeOfIssue: string;
  dateOfIssue: string;
  /** Not required by Schedule 4: where the statement came from, and how long to keep it. */
  source?: { productRecordId: string; productRecordRevision: number; productRecordHash: string };
  retainUntil?: string;
  /** The text of the Regulations the statement was produced under; absent: as made. */
  regulationsText?: string;
  /**
   * Issued although the product holds a current recognised label (regulation 4A would have met the duty): the label,
   * and why a statement was issued anyway.
   */
  labelHeld?: { label: RecognisedLabel; reason: string };
  /** A date of issue before the batch's first PASS or the scope decision, with the reason given for it. */
  backdated?: { reason: string; before: string };
}

export interface StatementRequest {
  batch: string;
  /** `Name, Function[, Organisation]`, split at commas; the organisation defaults to the first manufacturer. */
  signatory: string;
  place: string;
  /** `YYYY-MM-DD`; today (UTC) when absent. */
  date?: string;
  /** For tests: what "today" is. */
  today?: string;
  /** Issue a statement although the product holds a current recognised label: why. */
  despiteLabel?: string;
  /** The batch's first PASS (`YYYY-MM-DD`), when known: a date of issue before it needs `backdatedReason`. */
  firstPassOn?: string;
  /** Why the statement is dated before the batch's first PASS or the scope decision. */
  backdatedReason?: string;
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
  const signatory = parseSignatory(request.signatory, missing, record.manufacturers?.[0]?.name);
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
  refuseExpiredLabel(record, dateOfIssue);
  const backdated = checkBackdating(
    dateOfIssue,
    { firstPassOn: request.firstPassOn, scopeDecidedOn: record.scope?.decidedOn },
    request.backdatedReason,
  );
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
    ...declarations((record.manufacturers ?? []).length),
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
    regulationsText: regulationsTextOn(dateOfIssue),
  };
  if (record.recognisedLabel && labelRouteOpen(record, dateOfIssue)) {
    if (!request.despiteLabel?.trim()) {
      throw usageError(
        'LABEL_ROUTE_AVAILABLE',
        `product ${record.id} holds a current ${describeLabel(record.recognisedLabel)}: under ` +
          `${LABEL_ROUTE_CITATION} no statement is needed (credline soc issue records the label instead); ` +
          'to issue a statement anyway, say why with --statement-despite-label REASON',
      );
    }
    statement.labelHeld = { label: record.recognisedLabel, reason: request.despiteLabel.trim() };
  }
  if (backdated) statement.backdated = backdated;
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
    if (!complianceBasisOf(record, requirement)) {
      const { paragraph } = SCHEDULE_1_PARAGRAPH[requirement];
      missing.push(
        `1(d) compliance basis for Schedule 1 paragraph ${paragraph} ($.complianceBasis.${requirement})`,
      );
    }
  }
  need(record.supportPeriod?.endDate, '1(e) defined support period end date ($.supportPeriod.endDate)');
  return missing;
}

/**
 * How the record meets one requirement: its `complianceBasis`, or, when it gives none and holds a recognised label,
 * the label (Schedule 2 Condition B or C).
 */
export function complianceBasisOf(
  record: ProductRecord,
  requirement: Schedule1Requirement,
): ComplianceBasis | undefined {
  const given = record.complianceBasis?.[requirement];
  if (given) return given;
  return record.recognisedLabel ? { basis: 'recognised-label' } : undefined;
}

/** True when the record's label is current on `date`: regulation 4A then meets the statement duty. */
export function labelRouteOpen(record: ProductRecord, date: string): boolean {
  return (
    record.recognisedLabel !== undefined && labelNotCurrentOn(record.recognisedLabel, date) === undefined
  );
}

/** A label relied on (by the route or by a requirement's basis) must be current on the date of supply. */
function refuseExpiredLabel(record: ProductRecord, supplyDate: string): void {
  const label = record.recognisedLabel;
  if (!label) return;
  const reliedOn = SCHEDULE_1_REQUIREMENTS.some(
    (r) => complianceBasisOf(record, r)?.basis === 'recognised-label',
  );
  const why = labelNotCurrentOn(label, supplyDate);
  if (reliedOn && why) {
    throw usageError(
      'LABEL_NOT_CURRENT',
      `product ${record.id} relies on its ${describeLabel(label)}, but ${why} (the date of supply): renew the ` +
        'label, or base $.complianceBasis on Schedule 1 or Schedule 2 Condition A and issue a statement',
    );
  }
}

function describeCompliance(record: ProductRecord, requirement: Schedule1Requirement): RequirementCompliance {
  const basis = complianceBasisOf(record, requirement) as ComplianceBasis;
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
  if (basis.basis === 'recognised-label') {
    const label = record.recognisedLabel as RecognisedLabel;
    entry.condition = LABEL_SCHEMES[label.scheme].condition;
    entry.label = label;
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

function parseSignatory(
  text: string,
  missing: string[],
  defaultOrganisation: string | undefined,
): StatementOfCompliance['signatory'] {
  const [name = '', role = '', ...rest] = text.split(',').map((part) => part.trim());
  if (name === '') missing.push('1(f) name of the signatory (--signatory "Name, Function")');
  if (role === '') missing.push('1(f) function of the signatory (--signatory "Name, Function")');
  const organisation = rest.join(', ') || defaultOrganisation;
  return organisation ? { name, function: role, organisation } : { name, function: role };
}

/** Schedule 4 para 1(c) and 1(d), in the plural when the product has more than one manufacturer. */
function declarations(manufacturers: number): {
  preparedByDeclaration: string;
  complianceDeclaration: string;
} {
  if (manufacturers <= 1) {
    return { preparedByDeclaration: PREPARED_BY_DECLARATION, complianceDeclaration: COMPLIANCE_DECLARATION };
  }
  return {
    preparedByDeclaration: PREPARED_BY_DECLARATION.replace('the manufacturer', 'the manufacturers'),
    complianceDeclaration: COMPLIANCE_DECLARATION.replace(
      'In the opinion of the manufacturer, the manufacturer has complied',
      'In the opinion of the manufacturers, the manufacturers have complied',
    ),
  };
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
