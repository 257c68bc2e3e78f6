/**
 * `credline soc check`: does a supplier's statement of compliance carry every Schedule 4 field, and a sane
 * defined support period? What an importer or distributor checks before making the product available (sections
 * 15 and 16 of the Act). Reports every gap at once.
 */
import { readFileSync } from 'node:fs';
import { usageError } from '../errors/credline-error.js';
import { addYearsToDate, isCalendarDate, todayUtc } from './calendar-date.js';
import { parseJsonText } from './json-file.js';
import { SCHEDULE_1_PARAGRAPH, SCHEDULE_1_REQUIREMENTS } from './product-record.js';
import { LABEL_ROUTE_FORMAT } from './label-route.js';
import { checkLabel, labelNotCurrentOn, type RecognisedLabel } from './recognised-labels.js';
import { checkDeemedComplianceStandards } from './schedule-2.js';
import {
  readJsonClaims,
  readLabelClaim,
  readMarkdownClaims,
  readStandardClaims,
  type PartyClaim,
  type StatementClaims,
} from './statement-claims.js';

export interface StatementGap {
  /** Schedule 4 paragraph, e.g. `1(e)`. */
  paragraph: string;
  field: string;
  problem: string;
}

export interface StatementCheck {
  form: 'json' | 'markdown' | 'label-route';
  gaps: StatementGap[];
}

/** A support period ending more than this many years after issue is reported as implausible. */
export const MAX_PLAUSIBLE_SUPPORT_YEARS = 30;

/** Schedule 4 order, for listing gaps. */
const PARAGRAPH_ORDER = ['1(a)', '1(b)', '1(c)', '1(d)', '1(2)', '1(e)', '1(f)', '1(g)'];

const PLACEHOLDER = /^(?:\[\s*fill in[^\]]*\]|_+|\(not yet signed[^)]*\)|tbd|tbc|todo|xxx+|-+|\.\.\.)$/i;

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '' || PLACEHOLDER.test(value.trim());
}

function normalise(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').toLowerCase();
}

/** First `YYYY-MM-DD` in the text, whether or not it is a real date. */
function firstIsoDate(value: string | undefined): string | undefined {
  return /\b(\d{4}-\d{2}-\d{2})\b/.exec(value ?? '')?.[1];
}

/**
 * Checks claims read from a statement against Schedule 4 para 1(a)–(g) and 1(2).
 *
 * @example checkStatementClaims(readMarkdownClaims(text), { today: '2026-11-24' }).length === 0
 */
export function checkStatementClaims(
  claims: StatementClaims,
  options: { today?: string } = {},
): StatementGap[] {
  const today = options.today ?? todayUtc();
  const gaps: StatementGap[] = [];
  const gap = (paragraph: string, field: string, problem: string): void => {
    gaps.push({ paragraph, field, problem });
  };
  const required = (paragraph: string, field: string, value: string | undefined): void => {
    if (isBlank(value)) gap(paragraph, field, 'missing');
  };

  required('1(a)', 'product type', claims.productType);
  required('1(a)', 'batch', claims.batch);

  if (claims.manufacturers.length === 0) gap('1(b)', 'manufacturer name and address', 'missing');
  checkParties('manufacturer', claims.manufacturers, gap);
  const representatives = claims.authorisedRepresentatives;
  if (Array.isArray(representatives)) checkParties('authorised representative', representatives, gap);
  if (representatives === 'unfilled') {
    gap(
      '1(b)',
      'authorised representative',
      'not filled in: give name and address, or write "Not applicable"',
    );
  }

  if (!/prepared by or on behalf of the manufacturers?\b/.test(normalise(claims.preparedByDeclaration))) {
    gap(
      '1(c)',
      'declaration',
      'no declaration that the statement is prepared by or on behalf of the manufacturer',
    );
  }

  const declaration = normalise(claims.complianceDeclaration);
  if (!(/opinion of the manufacturers?\b/.test(declaration) && declaration.includes('complied'))) {
    gap(
      '1(d)',
      'declaration of compliance',
      'no declaration that, in the opinion of the manufacturer, they complied',
    );
  }
  const issueDateGaps: StatementGap[] = []; // listed after the place of issue, as the statement reads
  const issued = checkIssueDate(claims.dateOfIssue, today, (paragraph, field, problem) =>
    issueDateGaps.push({ paragraph, field, problem }),
  );
  for (const paragraph of [1, 2, 3] as const)
    checkRequirement(paragraph, claims.requirements[paragraph], issued ?? today, gap);

  checkSupportPeriod(claims.supportEnd, issued, gap);

  required('1(f)', 'name of the signatory', claims.signatoryName);
  required('1(f)', 'function of the signatory', claims.signatoryFunction);
  if (isBlank(claims.signature)) gap('1(f)', 'signature', 'not signed');
  required('1(g)', 'place of issue', claims.placeOfIssue);
  gaps.push(...issueDateGaps);
  return gaps.sort((a, b) => PARAGRAPH_ORDER.indexOf(a.paragraph) - PARAGRAPH_ORDER.indexOf(b.paragraph));
}

function checkParties(
  kind: string,
  parties: readonly PartyClaim[],
  gap: (paragraph: string, field: string, problem: string) => void,
): void {
  parties.forEach((party, index) => {
    const which = parties.length > 1 ? `${kind} ${index + 1}` : kind;
    if (isBlank(party.name)) gap('1(b)', `${which} name`, 'missing');
    if (isBlank(party.address)) gap('1(b)', `${which} address`, 'missing');
  });
}

function checkRequirement(
  paragraph: 1 | 2 | 3,
  basis: string | undefined,
  dateOfIssue: string,
  gap: (paragraph: string, field: string, problem: string) => void,
): void {
  const field = `compliance with Schedule 1 paragraph ${paragraph}`;
  if (isBlank(basis)) return gap('1(d)', field, 'missing');
  const text = basis as string;
  const requirement = SCHEDULE_1_REQUIREMENTS.find((r) => SCHEDULE_1_PARAGRAPH[r].paragraph === paragraph);
  const label = readLabelClaim(text);
  if (label) {
    if (!isCalendarDate(label.issuedOn) || !isCalendarDate(label.expiresOn)) {
      return gap('1(d)', `${field}: label`, 'no validity dates written "valid YYYY-MM-DD to YYYY-MM-DD"');
    }
    if (label.number === '') gap('1(d)', `${field}: label`, 'no label or registration number');
    for (const issue of checkLabel(label, 'label')) gap('1(d)', `${field}: ${issue.path}`, issue.message);
    const why = labelNotCurrentOn(label, dateOfIssue);
    if (why) gap('1(d)', `${field}: label`, `not current on the date of issue: ${why}`);
    return;
  }
  const standards = readStandardClaims(text);
  if (standards.length > 0 && requirement) {
    // The same rule product validate applies (schedule-2.ts).
    for (const issue of checkDeemedComplianceStandards(requirement, standards, 'standards')) {
      gap('1(2)', `${field}: standard`, issue.message);
    }
    return;
  }
  if (/schedule 2/i.test(text)) {
    // Schedule 4 para 1(2): identification number, version and date of issue of each standard relied on.
    const standards = text.replace(/^.*?schedule 2 paragraph \d+\s*:?\s*/i, '');
    if (!/[A-Z]{2,}[A-Z/ ]*\d/.test(standards))
      gap('1(2)', `${field}: standard`, 'identification number missing');
    if (!/version\s+\S/i.test(standards)) gap('1(2)', `${field}: standard`, 'version missing');
    if (!/date of issue\s+\d{4}-\d{2}/i.test(standards))
      gap('1(2)', `${field}: standard`, 'date of issue missing');
  } else if (!/schedule 1/i.test(text)) {
    gap('1(d)', field, 'names neither Schedule 1 nor deemed compliance under Schedule 2');
  }
}

function checkIssueDate(
  value: string | undefined,
  today: string,
  gap: (paragraph: string, field: string, problem: string) => void,
): string | undefined {
  if (isBlank(value)) {
    gap('1(g)', 'date of issue', 'missing');
    return undefined;
  }
  const date = firstIsoDate(value);
  if (!date) {
    gap('1(g)', 'date of issue', `not a date written YYYY-MM-DD: ${JSON.stringify(value)}`);
    return undefined;
  }
  if (!isCalendarDate(date)) {
    gap('1(g)', 'date of issue', `${date} is not a real calendar date`);
    return undefined;
  }
  if (date > today) gap('1(g)', 'date of issue', `${date} is in the future`);
  return date;
}

function checkSupportPeriod(
  value: string | undefined,
  issued: string | undefined,
  gap: (paragraph: string, field: string, problem: string) => void,
): void {
  const field = 'defined support period end date';
  if (isBlank(value)) return gap('1(e)', field, 'missing');
  const date = firstIsoDate(value);
  if (!date) {
    const problem = /\b(year|month|week|day)s?\b/i.test(value as string)
      ? `a duration alone (${JSON.stringify(value)}) is not a defined support period: regulation 2 needs an end date`
      : `not a date written YYYY-MM-DD: ${JSON.stringify(value)}`;
    return gap('1(e)', field, problem);
  }
  if (!isCalendarDate(date)) return gap('1(e)', field, `${date} is not a real calendar date`);
  if (issued && date < issued) gap('1(e)', field, `ends ${date}, before the date of issue ${issued}`);
  if (issued && date > addYearsToDate(issued, MAX_PLAUSIBLE_SUPPORT_YEARS)) {
    gap('1(e)', field, `ends ${date}, more than ${MAX_PLAUSIBLE_SUPPORT_YEARS} years after issue: check it`);
  }
}

/**
 * Reads a statement file (credline JSON, or a filled Markdown template) and checks it.
 *
 * @example const { gaps } = checkStatementFile('supplier-statement.md');
 */
export function checkStatementFile(path: string, options: { today?: string } = {}): StatementCheck {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      'FILE_UNREADABLE',
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (/^\s*\{/.test(content)) {
    const json = parseJsonText(content, path);
    if (
      typeof json === 'object' &&
      json !== null &&
      (json as { format?: unknown }).format === LABEL_ROUTE_FORMAT
    ) {
      return { form: 'label-route', gaps: checkLabelRouteClaims(json as Record<string, unknown>) };
    }
    return {
      form: 'json',
      gaps: checkStatementClaims(readJsonClaims(json), options),
    };
  }
  if (!/^#\s+statement of compliance/im.test(content)) {
    throw usageError(
      'STATEMENT_FORM_UNKNOWN',
      `${path}: neither credline's JSON statement nor its Markdown template (no "# Statement of compliance" ` +
        'heading); PDF statements are out of scope: ask the supplier for the filled template (credline soc template)',
    );
  }
  return { form: 'markdown', gaps: checkStatementClaims(readMarkdownClaims(content), options) };
}

/**
 * A supplier's label route (credline's `credline-label-route` JSON): the label must name its scheme, level, number,
 * dates and specification, pass the label rule, and have been current on the date of supply; the support period
 * must still be given (Schedule 1 paragraph 3 applies through the label too).
 */
export function checkLabelRouteClaims(route: Record<string, unknown>): StatementGap[] {
  const gaps: StatementGap[] = [];
  const at = 'Sch 2A';
  const label = route['label'] as Partial<RecognisedLabel> | undefined;
  const supply = typeof route['dateOfSupply'] === 'string' ? route['dateOfSupply'] : undefined;
  const fields = ['scheme', 'level', 'number', 'issuedOn', 'expiresOn', 'specification'] as const;
  const missing = fields.filter((f) => typeof label?.[f] !== 'string' || isBlank(label[f]));
  if (missing.length > 0)
    gaps.push({ paragraph: at, field: 'label', problem: `missing ${missing.join(', ')}` });
  else if (label?.scheme !== 'jc-star' && label?.scheme !== 'sg-cls') {
    gaps.push({
      paragraph: at,
      field: 'label scheme',
      problem: `${JSON.stringify(label?.scheme)} is not jc-star or sg-cls`,
    });
  } else if (!isCalendarDate(label.issuedOn as string) || !isCalendarDate(label.expiresOn as string)) {
    gaps.push({ paragraph: at, field: 'label dates', problem: 'not real dates written YYYY-MM-DD' });
  } else {
    const full = label as RecognisedLabel;
    for (const issue of checkLabel(full, 'label'))
      gaps.push({ paragraph: at, field: issue.path, problem: issue.message });
    if (!supply || !isCalendarDate(supply)) {
      gaps.push({ paragraph: at, field: 'date of supply', problem: 'missing or not a real date' });
    } else {
      const why = labelNotCurrentOn(full, supply);
      if (why)
        gaps.push({ paragraph: at, field: 'label', problem: `not current on the date of supply: ${why}` });
    }
  }
  const support = route['supportPeriod'] as { endDate?: unknown } | undefined;
  if (typeof support?.endDate !== 'string' || !isCalendarDate(support.endDate)) {
    gaps.push({ paragraph: 'Sch 1 para 3', field: 'defined support period end date', problem: 'missing' });
  }
  return gaps;
}
