/**
 * The CSV text of an evidence export: the header, and raw chain rows (chain-rows.ts) as CSV records formatted by
 * csv-stringify, with every cell as canonical text and spreadsheet formulas neutralised. Pure: no file, no
 * database; export.ts and the export's worker thread (export-part-thread.ts) write what this yields.
 */
import { stringify as stringifySync } from 'csv-stringify/sync';
import { canonicalText, type FieldKind, type FieldValue } from '../chain/canonical.js';
import { ALL_FIELDS, CHAIN_COLUMN_INDEX, RECORD_TYPES } from '../chain/record-types.js';
import { neutraliseFormula } from '../../errors/formula-cell.js';

export { neutraliseFormula };

/** The CSV header: record type, chain columns, then every canonical field (empty where a type has none). */
export const CSV_COLUMNS = [
  'record_type',
  'seq',
  'prev_hash',
  'row_hash',
  ...ALL_FIELDS.slice(1).map((f) => f.name),
];

/** The header record, then nothing else: the first text of a whole CSV export. */
export function csvHeader(): string {
  return stringifySync([], { header: true, columns: CSV_COLUMNS });
}

/**
 * CSV records of `rows`, formatted by csv-stringify in small batches: one string per batch instead of one per row.
 * Concatenated, they follow csvHeader(); split a chain into seq ranges and the concatenated parts equal the whole.
 *
 * @example
 * for (const text of csvRecords(iterateChainRows(db, { toSeq: 1000 }))) out.write(text);
 */
export function* csvRecords(rows: Iterable<FieldValue[]>): Generator<string> {
  let batch: string[][] = [];
  for (const row of rows) {
    batch.push(toCsvRow(row));
    if (batch.length === CSV_BATCH_ROWS) {
      yield stringifySync(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringifySync(batch);
}

/** Small enough that a batch's rows die young (large batches cost more in garbage collection than they save). */
const CSV_BATCH_ROWS = 16;

/** The kind of each CSV column after the chain columns, and where a raw chain row holds it. */
const CSV_FIELD_KINDS = ALL_FIELDS.slice(1).map((f) => f.kind);
const CSV_FIELD_AT = ALL_FIELDS.slice(1).map((f) => CHAIN_COLUMN_INDEX[f.name] as number);
const RECORD_TYPE_AT = CHAIN_COLUMN_INDEX['record_type'] as number;
const SEQ_AT = CHAIN_COLUMN_INDEX['seq'] as number;
const PREV_HASH_AT = CHAIN_COLUMN_INDEX['prev_hash'] as number;
const ROW_HASH_AT = CHAIN_COLUMN_INDEX['row_hash'] as number;

const RECORD_NAMES = new Map(RECORD_TYPES.map((t) => [t.tag, t.name]));

/**
 * CSV cells of one raw chain row as canonical text; formula-looking cells get a leading apostrophe (and
 * so does a leading one). A column the record type does not have is NULL in the raw row, so empty here.
 */
function toCsvRow(raw: readonly FieldValue[]): string[] {
  const cells = [
    RECORD_NAMES.get(raw[RECORD_TYPE_AT] as string) as string,
    String(raw[SEQ_AT]),
    raw[PREV_HASH_AT] as string,
    raw[ROW_HASH_AT] as string,
  ];
  for (let i = 0; i < CSV_FIELD_KINDS.length; i++) {
    const value = raw[CSV_FIELD_AT[i] as number] ?? null;
    if (value === null) {
      cells.push('');
      continue;
    }
    const kind = CSV_FIELD_KINDS[i] as FieldKind;
    if (kind === 'text' && typeof value === 'string') {
      cells.push(neutraliseFormula(value));
      continue;
    }
    const text = canonicalText(kind, value);
    cells.push(neutraliseFormula('text' in text ? text.text : String(value)));
  }
  return cells;
}
