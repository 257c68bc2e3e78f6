/** The statement as one self-contained, printable HTML page (no scripts, no external resources). */
import { escapeHtml } from './html.js';
import {
  EXAMPLE_BANNER,
  UNSIGNED,
  STATEMENT_SUBTITLE,
  STATEMENT_TITLE,
  layOutStatement,
  statementFootnotes,
  type StatementField,
} from './statement-sections.js';
import type { StatementOfCompliance } from './statement.js';

const STYLE = `
  body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
  h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
  .subtitle { color: #444; margin-top: 0; font-size: 0.9rem; }
  .example { border: 2px solid #b00; color: #b00; padding: 0.5rem 0.75rem; font-weight: bold; }
  h2 { font-size: 1.1rem; border-bottom: 1px solid #999; padding-bottom: 0.15rem; margin-top: 1.6rem; }
  h2 .para { color: #555; font-weight: normal; margin-right: 0.4rem; }
  dl { display: grid; grid-template-columns: 13rem 1fr; gap: 0.3rem 1rem; margin: 0.5rem 0; }
  dt { font-weight: bold; }
  dd { margin: 0; }
  .signature { display: inline-block; min-width: 18rem; border-bottom: 1px solid #111; height: 2.5rem; }
  footer { margin-top: 2rem; border-top: 1px solid #ccc; font-size: 0.8rem; color: #444; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } dl { break-inside: avoid; } }
`;

function renderField(field: StatementField): string {
  let value: string;
  if (field.label === 'Signature' && field.value === UNSIGNED) value = '<span class="signature"></span>';
  else if (field.lines) value = field.lines.map(escapeHtml).join('<br>');
  else value = escapeHtml(field.value);
  return `<dt>${escapeHtml(field.label)}</dt><dd>${value}</dd>`;
}

/**
 * Renders an issued statement as HTML.
 *
 * @example writeFileSync('statement.html', renderStatementHtml(statement));
 */
export function renderStatementHtml(statement: StatementOfCompliance): string {
  const body: string[] = [
    `<h1>${STATEMENT_TITLE}</h1>`,
    `<p class="subtitle">${escapeHtml(STATEMENT_SUBTITLE)}</p>`,
  ];
  if (statement.example) body.push(`<p class="example">${escapeHtml(EXAMPLE_BANNER)}</p>`);
  for (const section of layOutStatement(statement)) {
    body.push(
      `<section><h2><span class="para">${section.paragraph}</span>${escapeHtml(section.heading)}</h2>`,
      ...section.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`),
    );
    if (section.fields.length > 0) body.push(`<dl>${section.fields.map(renderField).join('')}</dl>`);
    body.push('</section>');
  }
  const notes = statementFootnotes(statement);
  if (notes.length > 0) body.push(`<footer>${notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}</footer>`);
  const title = `${STATEMENT_TITLE}: ${statement.product.brand} ${statement.product.model}, batch ${statement.product.batch}`;
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`
  );
}
