/**
 * The statement laid out once, as titled sections of labelled fields and paragraphs, in Schedule 4 order. The
 * Markdown, HTML and PDF renderers draw this; `soc check` reads the Markdown back by the same labels.
 */
import { formatLongDate } from './calendar-date.js';
import type { Party, StandardReference } from './product-record.js';
import { describeLabel, labelCondition } from './recognised-labels.js';
import { REGULATIONS_AS_MADE, SI_2025_211 } from './regulations-text.js';
import type { RequirementCompliance, StatementOfCompliance } from './statement.js';

export const STATEMENT_TITLE = 'Statement of compliance';
export const STATEMENT_SUBTITLE =
  'Product Security and Telecommunications Infrastructure Act 2022, section 9; ' +
  'SI 2023/1007, regulation 7 and Schedule 4';
export const EXAMPLE_BANNER =
  'EXAMPLE ONLY: demonstration data, not a statement of compliance for any real product.';
export const NOT_APPLICABLE = 'Not applicable';
/** What an unsigned statement shows as its signature (HTML and PDF draw a line to sign on instead). */
export const UNSIGNED = '(not yet signed: sign here)';

export interface StatementField {
  label: string;
  value: string;
  /** Lines of a multi-line value (addresses); `value` joins them with ", ". */
  lines?: string[];
}

export interface StatementSection {
  /** Schedule 4 paragraph, e.g. `1(a)`. */
  paragraph: string;
  heading: string;
  paragraphs: string[];
  fields: StatementField[];
}

/** Section headings, keyed by Schedule 4 paragraph. */
export const SECTION_HEADINGS = {
  '1(a)': 'Product',
  '1(b)': 'Manufacturer and authorised representative',
  '1(c)': 'Declaration of preparation',
  '1(d)': 'Declaration of compliance',
  '1(e)': 'Defined support period',
  '1(f)': 'Signatory',
  '1(g)': 'Place and date of issue',
} as const;

export type SectionParagraph = keyof typeof SECTION_HEADINGS;

function partyFields(kind: string, parties: readonly Party[]): StatementField[] {
  return parties.flatMap((party, index) => {
    const n = parties.length > 1 ? ` ${index + 1}` : '';
    return [
      { label: `${kind}${n} name`, value: party.name },
      { label: `${kind}${n} address`, value: party.address.join(', '), lines: party.address },
    ];
  });
}

/** `ETSI EN 303 645, version V2.1.1, date of issue 2020-06-19, provisions 5.1-1, 5.1-2`. */
export function describeStandard(standard: StandardReference): string {
  const what = /ISO/i.test(standard.id) ? 'paragraphs' : 'provisions';
  return (
    `${standard.id}, version ${standard.version}, date of issue ${standard.dateOfIssue}, ` +
    `${what} ${standard.provisions.join(', ')}`
  );
}

/** The label `soc check` looks for, per Schedule 1 paragraph. */
export function requirementLabel(paragraph: number, title: string): string {
  return `Schedule 1 paragraph ${paragraph} (${title})`;
}

function requirementField(entry: RequirementCompliance): StatementField {
  const label = requirementLabel(entry.schedule1Paragraph, entry.title);
  if (entry.basis === 'schedule-1') {
    return {
      label,
      value: `complies with the security requirement in Schedule 1 paragraph ${entry.schedule1Paragraph}`,
    };
  }
  if (entry.basis === 'recognised-label' && entry.label) {
    return {
      label,
      value: `meets the deemed compliance conditions in ${labelCondition(entry.label)}: ${describeLabel(entry.label)}`,
    };
  }
  const standards = (entry.standards ?? []).map(describeStandard).join('; ');
  return {
    label,
    value: `meets the deemed compliance conditions in Schedule 2 paragraph ${entry.schedule2Paragraph}: ${standards}`,
  };
}

/** The statement as sections, in Schedule 4 order. */
export function layOutStatement(statement: StatementOfCompliance): StatementSection[] {
  const p = statement.product;
  const representatives = statement.authorisedRepresentatives;
  const supportEnd = statement.supportPeriod.endDate;
  return [
    {
      paragraph: '1(a)',
      heading: SECTION_HEADINGS['1(a)'],
      paragraphs: [],
      fields: [
        { label: 'Product type', value: p.type },
        { label: 'Brand', value: p.brand },
        { label: 'Model', value: p.model },
        { label: 'Batch', value: p.batch },
      ],
    },
    {
      paragraph: '1(b)',
      heading: SECTION_HEADINGS['1(b)'],
      paragraphs: [],
      fields: [
        ...partyFields('Manufacturer', statement.manufacturers),
        ...(representatives.length === 0
          ? [{ label: 'Authorised representative', value: NOT_APPLICABLE }]
          : partyFields('Authorised representative', representatives)),
      ],
    },
    {
      paragraph: '1(c)',
      heading: SECTION_HEADINGS['1(c)'],
      paragraphs: [statement.preparedByDeclaration],
      fields: [],
    },
    {
      paragraph: '1(d)',
      heading: SECTION_HEADINGS['1(d)'],
      paragraphs: [statement.complianceDeclaration],
      fields: statement.compliance.map(requirementField),
    },
    {
      paragraph: '1(e)',
      heading: SECTION_HEADINGS['1(e)'],
      paragraphs: [supportPeriodSentence(statement)],
      fields: [{ label: 'End date', value: `${supportEnd} (${formatLongDate(supportEnd)})` }],
    },
    {
      paragraph: '1(f)',
      heading: SECTION_HEADINGS['1(f)'],
      paragraphs: [],
      fields: [
        { label: 'Name', value: statement.signatory.name },
        { label: 'Function', value: statement.signatory.function },
        ...(statement.signatory.organisation
          ? [{ label: 'Organisation', value: statement.signatory.organisation }]
          : []),
        { label: 'Signature', value: statement.signatory.signature ?? UNSIGNED },
      ],
    },
    {
      paragraph: '1(g)',
      heading: SECTION_HEADINGS['1(g)'],
      paragraphs: [],
      fields: [
        { label: 'Place of issue', value: statement.placeOfIssue },
        {
          label: 'Date of issue',
          value: `${statement.dateOfIssue} (${formatLongDate(statement.dateOfIssue)})`,
        },
      ],
    },
  ];
}

/**
 * Schedule 4 para 1(e) in words. Statements produced under the text amended by S.I. 2025/211 give the definition of
 * the defined support period (regulation 2(1) of SI 2023/1007, in the text as made too: no words of the amending
 * instrument are quoted); older ones re-render as issued.
 */
function supportPeriodSentence(statement: StatementOfCompliance): string {
  const end = formatLongDate(statement.supportPeriod.endDate);
  if (!statement.regulationsText?.includes(SI_2025_211.instrument)) {
    return (
      `Security updates will be provided for this product until at least ${end}. ` +
      'This is the defined support period that was correct when the manufacturer first supplied the product.'
    );
  }
  return (
    'Defined support period (the minimum length of time for which security updates will be provided, expressed ' +
    `as a period of time with an end date): security updates will be provided until at least ${end}. This is the ` +
    'defined support period that was correct when the manufacturer first supplied the product.'
  );
}

/** The small print under the statement: provenance and retention (not Schedule 4 fields). */
export function statementFootnotes(statement: StatementOfCompliance): string[] {
  const notes: string[] = [
    `Produced under ${statement.regulationsText ?? REGULATIONS_AS_MADE} (the text in force on the date of issue).`,
  ];
  if (statement.labelHeld) {
    notes.push(
      `Issued although the product holds a current ${describeLabel(statement.labelHeld.label)} (regulation 4A would ` +
        `have met the statement duty): ${statement.labelHeld.reason}.`,
    );
  }
  if (statement.backdated) {
    notes.push(
      `Date of issue is before ${statement.backdated.before}; reason recorded: ${statement.backdated.reason}.`,
    );
  }
  if (statement.source) {
    notes.push(
      `Product record ${statement.source.productRecordId} revision ${statement.source.productRecordRevision}, ` +
        `SHA-256 ${statement.source.productRecordHash}.`,
    );
  }
  if (statement.retainUntil) {
    notes.push(
      `Retain a copy until at least ${formatLongDate(statement.retainUntil)} (regulations 8 and 9: the longer of ` +
        '10 years from issue and the defined support period).',
    );
  }
  return notes;
}
