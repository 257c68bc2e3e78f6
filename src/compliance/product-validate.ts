/**
 * Validation of a product record: ajv for structure and types, then the rules a schema cannot say well (real
 * dates, a support period given as a duration, shortening, which standards Schedule 2 accepts).
 */
import { Ajv } from 'ajv';
import { isCalendarDate } from './calendar-date.js';
import { canonicalHash } from './canonical-json.js';
import { readJsonFile } from './json-file.js';
import type { ComplianceBasis, ProductRecord, Schedule1Requirement } from './product-record.js';
import { PRODUCT_RECORD_SCHEMA } from './product-schema.js';
import { DUTY_IDS } from './duty-catalogue.js';
import {
  checkLabel,
  daysUntilExpiry,
  describeLabel,
  LABEL_EXPIRY_WARNING_DAYS,
} from './recognised-labels.js';
import { SI_2025_211, inForceOn } from './regulations-text.js';
import { checkDeemedComplianceStandards } from './schedule-2.js';
import {
  childPath,
  issuesError,
  issuesFromAjv,
  type ValidationIssue,
  type ValidationResult,
} from './validation-issue.js';

const validateStructure = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
  PRODUCT_RECORD_SCHEMA,
);

const DURATION_KEYS = [
  'years',
  'months',
  'days',
  'duration',
  'durationYears',
  'durationMonths',
  'length',
  'period',
];

/**
 * Validates a parsed product record.
 *
 * @example
 * const result = validateProductRecord(JSON.parse(text));
 * if (result.issues) for (const i of result.issues) console.log(`${i.path}: ${i.message}`);
 */
export function validateProductRecord(input: unknown): ValidationResult<ProductRecord> {
  const issues: ValidationIssue[] = [...durationOnlyIssues(input)];
  if (!validateStructure(input)) {
    const durationFlagged = issues.length > 0;
    issues.push(
      ...issuesFromAjv(validateStructure.errors).filter(
        (issue) => !(durationFlagged && issue.path.startsWith('$.supportPeriod.')),
      ),
    );
    return { issues };
  }
  const record = input as unknown as ProductRecord;
  issues.push(
    ...dateIssues(record),
    ...supportPeriodIssues(record),
    ...basisIssues(record),
    ...labelIssues(record),
    ...dutyOwnerIssues(record),
  );
  return issues.length > 0 ? { issues } : { value: record };
}

/** Reads, parses and validates a product record file; throws one error listing every problem. */
export function loadProductRecordFile(path: string): ProductRecord {
  const result = validateProductRecord(readJsonFile(path));
  if (result.issues) throw issuesError('PRODUCT_RECORD_INVALID', path, result.issues);
  return result.value;
}

/** SHA-256 of the record's canonical JSON: what a statement cites so it can be re-rendered as issued. */
export function productRecordHash(record: ProductRecord): string {
  return canonicalHash(record);
}

/** Regulation 2: the defined support period is "a period of time with an end date"; a duration is refused. */
function durationOnlyIssues(input: unknown): ValidationIssue[] {
  if (typeof input !== 'object' || input === null) return [];
  const support = (input as Record<string, unknown>)['supportPeriod'];
  if (typeof support !== 'object' || support === null) return [];
  const keys = Object.keys(support);
  const durationKeys = keys.filter((key) => DURATION_KEYS.includes(key));
  if (durationKeys.length === 0) return [];
  return [
    {
      path: '$.supportPeriod',
      message:
        `gives a duration (${durationKeys.join(', ')}); regulation 2 defines the support period as "a period of ` +
        'time with an end date": write "endDate": "YYYY-MM-DD" instead',
    },
  ];
}

function dateIssues(record: ProductRecord): ValidationIssue[] {
  const dates: [string, string | undefined][] = [
    ['$.supportPeriod.endDate', record.supportPeriod?.endDate],
    ['$.supportPeriod.publishedOn', record.supportPeriod?.publishedOn],
    ['$.supportPeriod.atFirstSupply.endDate', record.supportPeriod?.atFirstSupply?.endDate],
    ['$.supportPeriod.atFirstSupply.firstSuppliedOn', record.supportPeriod?.atFirstSupply?.firstSuppliedOn],
    ['$.scope.decidedOn', record.scope?.decidedOn],
    ['$.recognisedLabel.issuedOn', record.recognisedLabel?.issuedOn],
    ['$.recognisedLabel.expiresOn', record.recognisedLabel?.expiresOn],
  ];
  return dates
    .filter(([, value]) => value !== undefined && !isCalendarDate(value))
    .map(([path, value]) => ({ path, message: `${JSON.stringify(value)} is not a real calendar date` }));
}

function supportPeriodIssues(record: ProductRecord): ValidationIssue[] {
  const support = record.supportPeriod;
  const issues: ValidationIssue[] = [];
  if (!support) return issues;
  const first = support.atFirstSupply;
  if (first && first.endDate > support.endDate) {
    issues.push({
      path: '$.supportPeriod.endDate',
      message:
        `ends before the end date published at first supply (${first.endDate}); Schedule 1 para 3(6) forbids ` +
        'shortening a published support period',
    });
  }
  if (support.publishedOn && support.publishedOn > support.endDate) {
    issues.push({ path: '$.supportPeriod.publishedOn', message: 'is after the support period ends' });
  }
  if (first?.firstSuppliedOn && first.firstSuppliedOn > first.endDate) {
    issues.push({
      path: '$.supportPeriod.atFirstSupply.firstSuppliedOn',
      message: 'is after the support period that applied at first supply ends',
    });
  }
  return issues;
}

function basisIssues(record: ProductRecord): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const entries = Object.entries(record.complianceBasis ?? {}) as [Schedule1Requirement, ComplianceBasis][];
  for (const [requirement, basis] of entries) {
    if (basis.basis === 'recognised-label' && !record.recognisedLabel) {
      issues.push({
        path: childPath(childPath('$.complianceBasis', requirement), 'basis'),
        message:
          '"recognised-label" needs the label itself in $.recognisedLabel (scheme, level, number, dates, specification)',
      });
    }
    if (basis.basis !== 'schedule-2') continue;
    const path = childPath(childPath('$.complianceBasis', requirement), 'standards');
    issues.push(...checkDeemedComplianceStandards(requirement, basis.standards, path));
  }
  return issues;
}

function labelIssues(record: ProductRecord): ValidationIssue[] {
  const label = record.recognisedLabel;
  if (!label || !isCalendarDate(label.issuedOn) || !isCalendarDate(label.expiresOn)) return [];
  return checkLabel(label, '$.recognisedLabel');
}

function dutyOwnerIssues(record: ProductRecord): ValidationIssue[] {
  const known: readonly string[] = [...DUTY_IDS, 'default'];
  return Object.keys(record.dutyOwners ?? {})
    .filter((key) => !known.includes(key))
    .map((key) => ({
      path: childPath('$.dutyOwners', key),
      message: `not a duty credline knows; expected one of ${known.join(', ')}`,
    }));
}

/**
 * What a valid record should still have looked at, as of `today`: a label expiring within 90 days (or expired), a
 * scope note decided since S.I. 2025/211 without its vehicle question.
 */
export function productRecordWarnings(record: ProductRecord, today: string): ValidationIssue[] {
  const warnings: ValidationIssue[] = [];
  const label = record.recognisedLabel;
  if (label) {
    const days = daysUntilExpiry(label, today);
    if (days < 0) {
      warnings.push({
        path: '$.recognisedLabel.expiresOn',
        message: `${describeLabel(label)}: expired ${-days} day(s) ago; products supplied from then on need a statement of compliance or a new label`,
      });
    } else if (days <= LABEL_EXPIRY_WARNING_DAYS) {
      warnings.push({
        path: '$.recognisedLabel.expiresOn',
        message: `${describeLabel(label)}: expires in ${days} day(s); renew it or be ready to issue statements of compliance`,
      });
    }
  }
  const scope = record.scope;
  if (scope && !scope.answers.vehicle && inForceOn(SI_2025_211, today)) {
    warnings.push({
      path: '$.scope.answers.vehicle',
      message: `the scope note does not answer the vehicle question added by ${SI_2025_211.instrument}: record it (credline product scope --answers)`,
    });
  }
  return warnings;
}
