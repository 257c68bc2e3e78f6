/**
 * The security labels S.I. 2025/1267 recognises (regulation 3 of that instrument, as summarised): a current Japan
 * JC-STAR STAR-1 label or a current Singapore Cybersecurity Labelling Scheme label at any level meets each Schedule 1
 * requirement (Schedule 2 Conditions B and C) and the duty that the product be accompanied by a statement of
 * compliance (regulation 4A, Schedule 2A). One rule for what a valid, current label is: used by `product validate`,
 * `soc issue` and `soc check`.
 */
import { addYearsToDate } from './calendar-date.js';
import { SI_2025_1267, inForceOn } from './regulations-text.js';
import type { ValidationIssue } from './validation-issue.js';

export type LabelScheme = 'jc-star' | 'sg-cls';

/** A label as the product record (or a supplier's label evidence) states it. */
export interface RecognisedLabel {
  scheme: LabelScheme;
  /** `STAR-1` for JC-STAR; `1` to `4` for the CLS. */
  level: string;
  /** The label or registration number the scheme issued. */
  number: string;
  /** `YYYY-MM-DD`. */
  issuedOn: string;
  /** `YYYY-MM-DD`: the last day the label is valid. */
  expiresOn: string;
  /** The scheme specification named in S.I. 2025/1267, as the label was assessed against. */
  specification: string;
}

export interface LabelSchemeRule {
  name: string;
  /** The Schedule 2 condition the label meets. */
  condition: 'B' | 'C';
  levels: readonly string[];
  /** The specification's identification, as named in the instrument; the record's `specification` must contain it. */
  specificationId: string;
  specification: string;
  /** Longest validity the scheme gives a label, in years. */
  maxValidityYears: number;
}

export const LABEL_SCHEMES: Record<LabelScheme, LabelSchemeRule> = {
  'jc-star': {
    name: 'Japan JC-STAR',
    condition: 'B',
    levels: ['STAR-1'],
    specificationId: 'JST-CR-01-01-2024R1',
    specification:
      'JC-STAR conformance requirements and assessment methods JST-CR-01-01-2024R1 (December 2024), ' +
      'Information-technology Promotion Agency, Japan',
    maxValidityYears: 2,
  },
  'sg-cls': {
    name: 'Singapore Cybersecurity Labelling Scheme (CLS)',
    condition: 'C',
    levels: ['1', '2', '3', '4'],
    specificationId: 'CCC SP-151-2',
    specification:
      'CLS(IoT) Scheme Specifications CCC SP-151-2 version 1.4 (April 2025), Cyber Security Agency of Singapore',
    maxValidityYears: 3,
  },
};

/** The regulation and schedule a label route relies on, for documents. */
export const LABEL_ROUTE_CITATION = 'regulation 4A and Schedule 2A (inserted by S.I. 2025/1267)';

/** `Singapore Cybersecurity Labelling Scheme (CLS) level 2, label 2025-0042, valid 2025-06-01 to 2028-05-31`. */
export function describeLabel(label: RecognisedLabel): string {
  const rule = LABEL_SCHEMES[label.scheme];
  const level = label.scheme === 'sg-cls' ? `level ${label.level}` : label.level;
  return `${rule.name} ${level}, label ${label.number}, valid ${label.issuedOn} to ${label.expiresOn}`;
}

/** `Schedule 2 Condition C (S.I. 2025/1267)`. */
export function labelCondition(label: RecognisedLabel): string {
  return `Schedule 2 Condition ${LABEL_SCHEMES[label.scheme].condition} (S.I. 2025/1267)`;
}

/**
 * Checks a label against the scheme it names: a level the scheme has, the specification the instrument names,
 * dates in order and within the scheme's longest validity. Dates must already be real dates.
 */
export function checkLabel(label: RecognisedLabel, path: string): ValidationIssue[] {
  const rule = LABEL_SCHEMES[label.scheme];
  const issues: ValidationIssue[] = [];
  if (!rule.levels.includes(label.level.trim().toUpperCase())) {
    issues.push({
      path: `${path}.level`,
      message:
        `${JSON.stringify(label.level)} is not a level S.I. 2025/1267 recognises for ${rule.name}; ` +
        `expected ${rule.levels.join(', ')}`,
    });
  }
  if (!label.specification.toUpperCase().includes(rule.specificationId.toUpperCase())) {
    issues.push({
      path: `${path}.specification`,
      message: `S.I. 2025/1267 names ${rule.specification}; got ${JSON.stringify(label.specification)}`,
    });
  }
  if (label.expiresOn < label.issuedOn) {
    issues.push({ path: `${path}.expiresOn`, message: `is before the label was issued (${label.issuedOn})` });
  } else if (label.expiresOn > addYearsToDate(label.issuedOn, rule.maxValidityYears)) {
    issues.push({
      path: `${path}.expiresOn`,
      message: `${rule.name} labels run at most ${rule.maxValidityYears} years; ${label.expiresOn} is later than that after ${label.issuedOn}`,
    });
  }
  return issues;
}

/** Why a label cannot be relied on for a supply on `date`, or undefined when it is current that day. */
export function labelNotCurrentOn(label: RecognisedLabel, date: string): string | undefined {
  if (date < label.issuedOn) return `the label was issued on ${label.issuedOn}, after ${date}`;
  if (date > label.expiresOn) return `the label expired on ${label.expiresOn}, before ${date}`;
  if (!inForceOn(SI_2025_1267, date)) {
    return `labels are recognised from ${SI_2025_1267.inForce} (${SI_2025_1267.instrument}), not on ${date}`;
  }
  return undefined;
}

/** Days from `today` until the label's last valid day (negative once expired). */
export function daysUntilExpiry(label: RecognisedLabel, today: string): number {
  return Math.round(
    (Date.parse(`${label.expiresOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
}

/** `product validate` warns this many days before a label expires. */
export const LABEL_EXPIRY_WARNING_DAYS = 90;
