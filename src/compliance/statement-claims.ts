/**
 * What a supplier's statement claims, read from either form `soc check` accepts: credline's JSON statement, or a
 * filled copy of the Markdown template (`credline soc template`). Everything is kept as the text written, so the
 * checker can say exactly what is wrong with it.
 */
import { SCHEDULE_1_PARAGRAPH, SCHEDULE_1_REQUIREMENTS, type StandardReference } from './product-record.js';
import { LABEL_SCHEMES, describeLabel, labelCondition, type RecognisedLabel } from './recognised-labels.js';
import { describeStandard } from './statement-sections.js';
import type { StatementOfCompliance } from './statement.js';

export interface PartyClaim {
  name?: string;
  address?: string;
}

export interface StatementClaims {
  productType?: string;
  batch?: string;
  manufacturers: PartyClaim[];
  /**
   * `not-applicable` when the statement says so; `unfilled` when the template's line was left as it came;
   * undefined when the statement does not mention representatives.
   */
  authorisedRepresentatives?: PartyClaim[] | 'not-applicable' | 'unfilled';
  preparedByDeclaration?: string;
  complianceDeclaration?: string;
  /** Per Schedule 1 paragraph (1, 2, 3): the basis as written. */
  requirements: Partial<Record<1 | 2 | 3, string>>;
  supportEnd?: string;
  signatoryName?: string;
  signatoryFunction?: string;
  signature?: string;
  placeOfIssue?: string;
  dateOfIssue?: string;
}

const FIELD_LINE = /^\s*[-*+]\s+(?:\*\*)?([^:*\n]+?)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.*)$/;
const SECTION_LINE = /^#{2,3}\s+(1\([a-g]\))/;

function unescapeMarkdown(text: string): string {
  return text.replace(/\\(.)/g, '$1').trim();
}

/** Reads a filled Markdown statement into claims. Unknown labels are ignored; HTML comments are dropped. */
export function readMarkdownClaims(markdown: string): StatementClaims {
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '');
  const fields = new Map<string, string>();
  const prose = new Map<string, string[]>();
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const heading = SECTION_LINE.exec(line);
    if (heading) {
      section = heading[1] as string;
      continue;
    }
    if (/^#/.test(line)) continue;
    const field = FIELD_LINE.exec(line);
    if (field) {
      const label = (field[1] as string).trim().toLowerCase();
      fields.set(`${section}|${label}`, unescapeMarkdown(field[2] as string));
      if (!fields.has(`*|${label}`)) fields.set(`*|${label}`, unescapeMarkdown(field[2] as string));
      continue;
    }
    if (line.trim() !== '') prose.set(section, [...(prose.get(section) ?? []), unescapeMarkdown(line)]);
  }
  const get = (sectionKey: string, label: string): string | undefined =>
    fields.get(`${sectionKey}|${label}`) ?? fields.get(`*|${label}`);

  const numbered = (kind: string): PartyClaim[] => {
    const parties: PartyClaim[] = [];
    const single = { name: get('1(b)', `${kind} name`), address: get('1(b)', `${kind} address`) };
    if (single.name !== undefined || single.address !== undefined) parties.push(single);
    for (let n = 1; n <= 20; n++) {
      const party = { name: get('1(b)', `${kind} ${n} name`), address: get('1(b)', `${kind} ${n} address`) };
      if (party.name !== undefined || party.address !== undefined) parties.push(party);
    }
    return parties;
  };
  const representatives = numbered('authorised representative');
  const representativeLine = get('1(b)', 'authorised representative');
  const requirements: StatementClaims['requirements'] = {};
  for (const requirement of SCHEDULE_1_REQUIREMENTS) {
    const { paragraph } = SCHEDULE_1_PARAGRAPH[requirement];
    const key = [...fields.keys()].find((k) =>
      new RegExp(`^(1\\(d\\)|\\*)\\|schedule 1 paragraph ${paragraph}\\b`).test(k),
    );
    if (key) requirements[paragraph as 1 | 2 | 3] = fields.get(key);
  }
  return {
    productType: get('1(a)', 'product type'),
    batch: get('1(a)', 'batch'),
    manufacturers: numbered('manufacturer'),
    authorisedRepresentatives:
      representatives.length > 0
        ? representatives
        : representativeLine === undefined
          ? undefined
          : /^not applicable\b/i.test(representativeLine)
            ? 'not-applicable'
            : /^\[\s*fill in/i.test(representativeLine) || representativeLine === ''
              ? 'unfilled'
              : [{ name: representativeLine, address: representativeLine }],
    preparedByDeclaration: prose.get('1(c)')?.join(' '),
    complianceDeclaration: prose.get('1(d)')?.join(' '),
    requirements,
    supportEnd: get('1(e)', 'end date'),
    signatoryName: get('1(f)', 'name'),
    signatoryFunction: get('1(f)', 'function'),
    signature: get('1(f)', 'signature'),
    placeOfIssue: get('1(g)', 'place of issue'),
    dateOfIssue: get('1(g)', 'date of issue'),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function parties(value: unknown): PartyClaim[] {
  return (Array.isArray(value) ? value : []).map((entry) => {
    const party = record(entry);
    const address = party['address'];
    return {
      name: text(party['name']),
      address: Array.isArray(address)
        ? address.filter((l) => typeof l === 'string').join(', ')
        : text(address),
    };
  });
}

/**
 * Reads credline's JSON form of a statement into claims. Tolerant of gaps (that is what the check reports), so it
 * takes `unknown`.
 */
export function readJsonClaims(input: unknown): StatementClaims {
  const s = record(input);
  const product = record(s['product']);
  const signatory = record(s['signatory']);
  const requirements: StatementClaims['requirements'] = {};
  for (const entry of Array.isArray(s['compliance']) ? s['compliance'] : []) {
    const e = record(entry) as Partial<StatementOfCompliance['compliance'][number]>;
    const paragraph = e.schedule1Paragraph;
    if (paragraph !== 1 && paragraph !== 2 && paragraph !== 3) continue;
    if (e.basis === 'schedule-1') requirements[paragraph] = `Schedule 1 paragraph ${paragraph}`;
    else if (e.basis === 'recognised-label' && e.label) {
      const label = record(e.label) as unknown as RecognisedLabel;
      requirements[paragraph] = `${labelCondition(label)}: ${describeLabel(label)}`;
    } else if (e.basis === 'schedule-2') {
      const standards = (Array.isArray(e.standards) ? e.standards : []).map((st) => {
        const r = record(st);
        return describeStandard({
          id: text(r['id']) ?? '',
          version: text(r['version']) ?? '',
          dateOfIssue: text(r['dateOfIssue']) ?? '',
          provisions: Array.isArray(r['provisions']) ? (r['provisions'] as string[]) : [],
        });
      });
      requirements[paragraph] =
        `Schedule 2 paragraph ${e.schedule2Paragraph ?? paragraph}: ${standards.join('; ')}`;
    } else requirements[paragraph] = text(e.basis) ?? '';
  }
  const representatives = s['authorisedRepresentatives'];
  return {
    productType: text(product['type']),
    batch: text(product['batch']),
    manufacturers: parties(s['manufacturers']),
    authorisedRepresentatives: Array.isArray(representatives)
      ? representatives.length === 0
        ? 'not-applicable'
        : parties(representatives)
      : undefined,
    preparedByDeclaration: text(s['preparedByDeclaration']),
    complianceDeclaration: text(s['complianceDeclaration']),
    requirements,
    supportEnd: text(record(s['supportPeriod'])['endDate']),
    signatoryName: text(signatory['name']),
    signatoryFunction: text(signatory['function']),
    signature: text(signatory['signature']),
    placeOfIssue: text(s['placeOfIssue']),
    dateOfIssue: text(s['dateOfIssue']),
  };
}

const STANDARD_CLAIM =
  /^\s*(.+?),\s*version\s+(\S+?),\s*date of issue\s+(\S+?),\s*(?:provisions|paragraphs)\s+(.+?)\s*\.?$/i;

/**
 * The standards a Schedule 2 basis names, read back from the wording credline writes (`ETSI EN 303 645, version
 * V2.1.1, date of issue 2020-06-19, provisions 5.1-1`; several joined by `;`). Empty when the text is not in that
 * form.
 */
export function readStandardClaims(basis: string): StandardReference[] {
  const list = basis.replace(/^.*?schedule 2 paragraph \d+\s*:?\s*/i, '');
  if (list === basis) return [];
  const standards: StandardReference[] = [];
  for (const part of list.split(';')) {
    const match = STANDARD_CLAIM.exec(part);
    if (!match) return [];
    standards.push({
      id: (match[1] as string).trim(),
      version: match[2] as string,
      dateOfIssue: match[3] as string,
      provisions: (match[4] as string).split(',').map((p) => p.trim()),
    });
  }
  return standards;
}

/**
 * The recognised label a basis cites (`... Schedule 2 Condition C (S.I. 2025/1267): Singapore ... level 2, label
 * N, valid 2025-06-01 to 2028-05-31`), or undefined. The specification is the one the scheme's rule names.
 */
export function readLabelClaim(basis: string): RecognisedLabel | undefined {
  if (!/condition [bc]\b/i.test(basis)) return undefined;
  const scheme = /jc-star/i.test(basis)
    ? 'jc-star'
    : /\bcls\b|cybersecurity labelling/i.test(basis)
      ? 'sg-cls'
      : undefined;
  if (!scheme) return undefined;
  const level =
    scheme === 'jc-star'
      ? (/\b(STAR-\d)\b/i.exec(basis)?.[1] ?? '')
      : (/\blevel\s+(\S+?),/i.exec(basis)?.[1] ?? '');
  const dates = /valid\s+(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})/i.exec(basis);
  return {
    scheme,
    level,
    number: /\blabel\s+([^,]+),/i.exec(basis)?.[1]?.trim() ?? '',
    issuedOn: dates?.[1] ?? '',
    expiresOn: dates?.[2] ?? '',
    specification: LABEL_SCHEMES[scheme].specificationId,
  };
}
