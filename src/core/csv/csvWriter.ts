/**
 * RFC 4180 CSV output. Numbers are written with JavaScript's shortest round-trip form
 * (`String(x)`), so every cell parses back to the identical double; non-finite numbers and
 * null become empty cells ("not defined"), never `NaN` text.
 */

export type CsvCell = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: quoted only when it holds a comma, quote or line break (quotes doubled). */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    // String(-0) is "0"; keep the sign so the cell parses back to the same double.
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row terminated by `\n`. */
export function csvRow(cells: readonly CsvCell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]);
  }
  return line + '\n';
}
