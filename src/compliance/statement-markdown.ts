/**
 * The statement as Markdown, and the fill-in template credline ships for suppliers. Both use `- **Label:** value`
 * lines under `## 1(x) Heading` sections, which is what `soc check` reads back.
 */
import {
  EXAMPLE_BANNER,
  SECTION_HEADINGS,
  STATEMENT_SUBTITLE,
  STATEMENT_TITLE,
  layOutStatement,
  requirementLabel,
  statementFootnotes,
  type StatementSection,
} from './statement-sections.js';
import { SCHEDULE_1_PARAGRAPH, SCHEDULE_1_REQUIREMENTS } from './product-record.js';
import type { StatementOfCompliance } from './statement.js';

/** Marks a value the supplier has not filled in yet. */
export const FILL_IN = '[fill in]';
/** First line after the title: tells `soc check` this is credline's layout. */
export const MARKDOWN_MARKER = '<!-- credline statement of compliance, markdown v1 -->';

/** Backslash-escapes the characters Markdown would otherwise treat as markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_<>[\]#|]/g, (c) => `\\${c}`);
}

function renderSections(sections: readonly StatementSection[], escape: (text: string) => string): string[] {
  const lines: string[] = [];
  for (const section of sections) {
    lines.push(`## ${section.paragraph} ${section.heading}`, '');
    for (const text of section.paragraphs) lines.push(escape(text), '');
    for (const field of section.fields) lines.push(`- **${field.label}:** ${escape(field.value)}`);
    if (section.fields.length > 0) lines.push('');
  }
  return lines;
}

/**
 * Renders an issued statement as Markdown.
 *
 * @example writeFileSync('statement.md', renderStatementMarkdown(statement));
 */
export function renderStatementMarkdown(statement: StatementOfCompliance): string {
  const lines = [`# ${STATEMENT_TITLE}`, MARKDOWN_MARKER, '', `*${STATEMENT_SUBTITLE}*`, ''];
  if (statement.example) lines.push(`> **${EXAMPLE_BANNER}**`, '');
  lines.push(...renderSections(layOutStatement(statement), escapeMarkdown));
  const notes = statementFootnotes(statement);
  if (notes.length > 0) lines.push('---', '', ...notes.map((n) => `*${escapeMarkdown(n)}*`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * The fill-in template for a supplier's statement (`credline soc template`): every Schedule 4 field with
 * `[fill in]`, and comments saying what each needs. `credline soc check` reads a filled copy.
 */
export function renderStatementTemplate(): string {
  const fill = { label: '', value: FILL_IN };
  const sections: StatementSection[] = [
    {
      paragraph: '1(a)',
      heading: SECTION_HEADINGS['1(a)'],
      paragraphs: [],
      fields: ['Product type', 'Brand', 'Model', 'Batch'].map((label) => ({ ...fill, label })),
    },
    {
      paragraph: '1(b)',
      heading: SECTION_HEADINGS['1(b)'],
      paragraphs: [
        '<!-- One name and address per manufacturer: with several, number them ("Manufacturer 1 name", ' +
          '"Manufacturer 2 name", ...). Authorised representative: their name and address, or "Not applicable". -->',
      ],
      fields: [
        { label: 'Manufacturer name', value: FILL_IN },
        { label: 'Manufacturer address', value: FILL_IN },
        { label: 'Authorised representative', value: '[fill in: name and address, or Not applicable]' },
      ],
    },
    {
      paragraph: '1(c)',
      heading: SECTION_HEADINGS['1(c)'],
      paragraphs: [
        'This statement of compliance is prepared by or on behalf of the manufacturer of the product.',
      ],
      fields: [],
    },
    {
      paragraph: '1(d)',
      heading: SECTION_HEADINGS['1(d)'],
      paragraphs: [
        'In the opinion of the manufacturer, the manufacturer has complied with the applicable security ' +
          'requirements in Schedule 1, or the deemed compliance conditions in Schedule 2, to the Product Security ' +
          'and Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) ' +
          'Regulations 2023, as follows:',
        '<!-- For each line write either "complies with the security requirement in Schedule 1 paragraph N" or ' +
          '"meets the deemed compliance conditions in Schedule 2 paragraph N: STANDARD, version V, date of issue ' +
          'YYYY-MM-DD, provisions P" (Schedule 4 para 1(2): identification number, version and date of issue). -->',
      ],
      fields: SCHEDULE_1_REQUIREMENTS.map((requirement) => {
        const { paragraph, title } = SCHEDULE_1_PARAGRAPH[requirement];
        return { label: requirementLabel(paragraph, title), value: FILL_IN };
      }),
    },
    {
      paragraph: '1(e)',
      heading: SECTION_HEADINGS['1(e)'],
      paragraphs: [
        '<!-- The end date (YYYY-MM-DD) of the defined support period that was correct when the manufacturer ' +
          'first supplied the product. A duration alone ("5 years") is not enough. -->',
      ],
      fields: [{ label: 'End date', value: FILL_IN }],
    },
    {
      paragraph: '1(f)',
      heading: SECTION_HEADINGS['1(f)'],
      paragraphs: [],
      fields: [
        { label: 'Name', value: FILL_IN },
        { label: 'Function', value: FILL_IN },
        { label: 'Signature', value: '[fill in: signed]' },
      ],
    },
    {
      paragraph: '1(g)',
      heading: SECTION_HEADINGS['1(g)'],
      paragraphs: [],
      fields: [
        { label: 'Place of issue', value: FILL_IN },
        { label: 'Date of issue', value: '[fill in: YYYY-MM-DD]' },
      ],
    },
  ];
  const lines = [`# ${STATEMENT_TITLE}`, MARKDOWN_MARKER, '', `*${STATEMENT_SUBTITLE}*`, ''];
  lines.push(...renderSections(sections, (text) => text));
  return `${lines.join('\n').trimEnd()}\n`;
}
