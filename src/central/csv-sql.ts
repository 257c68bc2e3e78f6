/**
 * The station export's CSV record of a chain row, computed by the server: `COPY (SELECT …) TO STDOUT (FORMAT csv)`
 * writes what csvRecords (evidence/export) writes for the same row, so a central export streams the server's bytes
 * to the file without parsing a row on the client. The cells follow the station export's rules, generated from the
 * same tables: the record type's short name, seq and the two hashes as they are, then every field as canonical
 * text (`bigint` and `numeric(24,3)` print as the canonical integer and 3-decimal text), formula-looking cells
 * neutralised with a leading apostrophe, NULL as an empty cell. PostgreSQL quotes a CSV cell exactly when
 * csv-stringify does (a comma, a double quote, CR or LF in it) and doubles quotes the same way; the one difference,
 * an empty string quoted as `""`, cannot arise: an empty cell is sent as NULL.
 */
import { FORMULA_LEAD_CHARACTERS } from '../errors/formula-cell.js';
import { ALL_FIELDS, CSV_COLUMNS, RECORD_TYPES } from '../evidence/index.js';

const LEAD_CODES = [...FORMULA_LEAD_CHARACTERS].map((c) => c.charCodeAt(0)).join(', ');

/** neutraliseFormula in SQL: a leading apostrophe before a cell that starts with a formula lead. */
function neutralised(value: string): string {
  return `NULLIF(CASE WHEN ascii(${value}) IN (${LEAD_CODES}) THEN '''' || ${value} ELSE ${value} END, '')`;
}

function cellSql(column: string, alias: string): string {
  const at = `${alias}.${column}`;
  switch (column) {
    case 'record_type':
      return `CASE ${at} ${RECORD_TYPES.map((t) => `WHEN '${t.tag}' THEN '${t.name}'`).join(' ')} END`;
    case 'seq':
      return `${at}::text`;
    case 'prev_hash':
    case 'row_hash':
      return at;
  }
  const kind = ALL_FIELDS.find((f) => f.name === column)?.kind;
  return neutralised(kind === 'int' || kind === 'real3' ? `${at}::text` : at);
}

/** The SELECT list of the station export's CSV cells, in CSV_COLUMNS order, of the row aliased `alias`. */
export function csvCellsSql(alias: string): string {
  return CSV_COLUMNS.map((c) => cellSql(c, alias)).join(', ');
}
