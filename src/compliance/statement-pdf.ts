/**
 * The statement as an A4 PDF a person can print and sign. Text is set in DejaVu Sans (embedded, subset) so names
 * and addresses in any script DejaVu covers (Latin, Greek, Cyrillic, ...) render; pdfkit's built-in fonts stop at
 * Latin-1.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import {
  EXAMPLE_BANNER,
  UNSIGNED,
  STATEMENT_SUBTITLE,
  STATEMENT_TITLE,
  layOutStatement,
  statementFootnotes,
  type StatementField,
  type StatementSection,
} from './statement-sections.js';
import type { StatementOfCompliance } from './statement.js';

const require = createRequire(import.meta.url);
const REGULAR_FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD_FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN_PT = 56; // about 2 cm
const LABEL_WIDTH_PT = 150;
const GUTTER_PT = 12;
const BODY_SIZE_PT = 10;

type Doc = InstanceType<typeof PDFDocument>;

function contentWidth(doc: Doc): number {
  return doc.page.width - 2 * MARGIN_PT;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - MARGIN_PT - 20; // room for the page number
}

/** Starts a new page when `heightPt` would not fit on this one. */
function ensureRoom(doc: Doc, heightPt: number): void {
  if (doc.y + heightPt > bottomLimit(doc)) doc.addPage();
}

function drawField(doc: Doc, field: StatementField): void {
  const valueX = MARGIN_PT + LABEL_WIDTH_PT + GUTTER_PT;
  const valueWidth = contentWidth(doc) - LABEL_WIDTH_PT - GUTTER_PT;
  const isBlankSignature = field.label === 'Signature' && field.value === UNSIGNED;
  const valueText = field.lines ? field.lines.join('\n') : field.value;
  doc.font('bold').fontSize(BODY_SIZE_PT);
  const labelHeight = doc.heightOfString(field.label, { width: LABEL_WIDTH_PT });
  doc.font('regular');
  const valueHeight = isBlankSignature ? 36 : doc.heightOfString(valueText, { width: valueWidth });
  const rowHeight = Math.max(labelHeight, valueHeight);
  ensureRoom(doc, rowHeight);
  const top = doc.y;
  doc.font('bold').text(field.label, MARGIN_PT, top, { width: LABEL_WIDTH_PT });
  if (isBlankSignature) {
    doc
      .moveTo(valueX, top + 30)
      .lineTo(valueX + Math.min(260, valueWidth), top + 30)
      .lineWidth(0.8)
      .strokeColor('#000000')
      .stroke();
  } else {
    doc.font('regular').text(valueText, valueX, top, { width: valueWidth });
  }
  doc.x = MARGIN_PT;
  doc.y = top + rowHeight + 5;
}

/** Height of a section's first paragraph or field: a heading is never left alone at the foot of a page. */
function firstBlockHeight(doc: Doc, section: StatementSection): number {
  doc.font('regular').fontSize(BODY_SIZE_PT);
  const text = section.paragraphs[0];
  if (text !== undefined) return doc.heightOfString(text, { width: contentWidth(doc) });
  const field = section.fields[0];
  if (!field) return 0;
  const valueWidth = contentWidth(doc) - LABEL_WIDTH_PT - GUTTER_PT;
  return doc.heightOfString(field.lines ? field.lines.join('\n') : field.value, { width: valueWidth }) + 5;
}

/** Height a whole section takes: heading, paragraphs and fields (a signature line counts 35 points). */
function sectionHeight(doc: Doc, section: StatementSection): number {
  doc.font('regular').fontSize(BODY_SIZE_PT);
  const width = contentWidth(doc);
  const valueWidth = width - LABEL_WIDTH_PT - GUTTER_PT;
  let height = 40;
  for (const text of section.paragraphs) height += doc.heightOfString(text, { width }) + 6;
  for (const field of section.fields) {
    const text = field.lines ? field.lines.join('\n') : field.value;
    height += Math.max(35, doc.heightOfString(text, { width: valueWidth }) + 5);
  }
  return height;
}

function drawHeading(doc: Doc, section: StatementSection): void {
  const { paragraph, heading } = section;
  ensureRoom(doc, 40 + firstBlockHeight(doc, section)); // heading, rule and spacing, then its first block
  doc.moveDown(0.6);
  const top = doc.y;
  doc.font('bold').fontSize(12).fillColor('#555555').text(paragraph, MARGIN_PT, top, { continued: true });
  doc.fillColor('#000000').text(`   ${heading}`);
  const ruleY = doc.y + 2;
  doc
    .moveTo(MARGIN_PT, ruleY)
    .lineTo(MARGIN_PT + contentWidth(doc), ruleY)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  doc.y = ruleY + 6;
  doc.fontSize(BODY_SIZE_PT);
}

function drawBody(doc: Doc, statement: StatementOfCompliance): void {
  doc.font('bold').fontSize(20).text(STATEMENT_TITLE, MARGIN_PT, MARGIN_PT);
  doc.font('regular').fontSize(9).fillColor('#444444').text(STATEMENT_SUBTITLE).fillColor('#000000');
  if (statement.example) {
    doc.moveDown(0.6);
    const top = doc.y;
    doc.font('bold').fontSize(10).fillColor('#b00000');
    const height = doc.heightOfString(EXAMPLE_BANNER, { width: contentWidth(doc) - 16 });
    doc
      .rect(MARGIN_PT, top, contentWidth(doc), height + 12)
      .lineWidth(1.5)
      .strokeColor('#b00000')
      .stroke();
    doc.text(EXAMPLE_BANNER, MARGIN_PT + 8, top + 6, { width: contentWidth(doc) - 16 });
    doc.fillColor('#000000');
    doc.x = MARGIN_PT;
    doc.y = top + height + 14;
  }
  const sections = layOutStatement(statement);
  for (const section of sections) {
    if (section.paragraph === '1(f)') {
      // The signature and the place and date of issue (1(g)) belong on one page.
      const closing = sections.filter((s) => s.paragraph === '1(f)' || s.paragraph === '1(g)');
      ensureRoom(
        doc,
        closing.reduce((sum, s) => sum + sectionHeight(doc, s), 0),
      );
    }
    drawHeading(doc, section);
    for (const text of section.paragraphs) {
      doc.font('regular').fontSize(BODY_SIZE_PT);
      ensureRoom(doc, doc.heightOfString(text, { width: contentWidth(doc) }));
      doc.text(text, MARGIN_PT, doc.y, { width: contentWidth(doc) });
      doc.moveDown(0.4);
    }
    for (const field of section.fields) drawField(doc, field);
  }
  const notes = statementFootnotes(statement);
  if (notes.length > 0) {
    doc.font('regular').fontSize(8).fillColor('#444444');
    const text = notes.join('\n');
    ensureRoom(doc, doc.heightOfString(text, { width: contentWidth(doc) }) + 20);
    doc.moveDown(1.5);
    doc.text(text, MARGIN_PT, doc.y, { width: contentWidth(doc) });
    doc.fillColor('#000000');
  }
}

function drawPageNumbers(doc: Doc, statement: StatementOfCompliance): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const label =
      `${STATEMENT_TITLE}: ${statement.product.brand} ${statement.product.model}, batch ` +
      `${statement.product.batch}. Page ${i + 1} of ${range.count}`;
    doc.font('regular').fontSize(8).fillColor('#666666');
    // Writing below the bottom margin must not start a new page: lift the margin while drawing.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.text(label, MARGIN_PT, doc.page.height - MARGIN_PT + 10, {
      width: contentWidth(doc),
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = savedBottom;
  }
}

/**
 * Renders an issued statement as PDF bytes. The creation date is the date of issue, so the same statement renders
 * to the same text.
 *
 * @example writeFileSync('statement.pdf', await renderStatementPdf(statement));
 */
export function renderStatementPdf(statement: StatementOfCompliance): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN_PT, bottom: MARGIN_PT, left: MARGIN_PT, right: MARGIN_PT },
    bufferPages: true,
    info: {
      Title: `${STATEMENT_TITLE}: ${statement.product.brand} ${statement.product.model}, batch ${statement.product.batch}`,
      Author: statement.manufacturers.map((m) => m.name).join('; '),
      Subject: STATEMENT_SUBTITLE,
      Creator: 'credline',
      CreationDate: new Date(`${statement.dateOfIssue}T00:00:00Z`),
    },
  });
  doc.registerFont('regular', REGULAR_FONT);
  doc.registerFont('bold', BOLD_FONT);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawBody(doc, statement);
  drawPageNumbers(doc, statement);
  doc.end();
  return done;
}
