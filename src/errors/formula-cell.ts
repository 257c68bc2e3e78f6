/**
 * Outside text written to a CSV a spreadsheet may open (the evidence export, `derive`'s CSV): one rule, here so that
 * a worker deriving passwords need not load the evidence store to apply it.
 */

/** The first characters that make a spreadsheet run a cell (and the apostrophe itself): `= + - @` TAB CR `'`. */
export const FORMULA_LEAD_CHARACTERS = "=+-@\t\r'";

const FORMULA_LEADS = new Set([...FORMULA_LEAD_CHARACTERS].map((c) => c.charCodeAt(0)));

/**
 * Neutralises spreadsheet formula injection (OWASP CSV injection): a cell beginning with `= + - @`, TAB or CR is
 * prefixed with `'`; so is a cell that already begins with `'`, so that removing one leading `'` always restores
 * the stored text.
 *
 * @example neutraliseFormula('=HYPERLINK("x")'); // "'=HYPERLINK(\"x\")"
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA_LEADS.has(cell.charCodeAt(0)) ? `'${cell}` : cell;
}
