/**
 * CSV for spreadsheets (RFC 4180, CRLF). Complaint text is written by the public, so nothing in it may
 * run as a formula (=, +, -, @):
 * - a cell starting with one (also after spaces, or with a tab or carriage return) gets an apostrophe;
 * - so does one right after a `,`, `;`, tab or line break inside a cell: Excel with Indonesian settings
 *   splits a CSV on `;`, the quotes of a field that starts mid-cell are then plain characters, and
 *   "Mohon info;=HYPERLINK(…)" or a line break before "=cmd|…" would start a cell of its own.
 * Cells with quotes, separators or line breaks are quoted.
 */
export function csvCell(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const inner = value.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  const safe = FORMULA_AT_START.test(inner) ? `'${inner}` : inner;
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const FORMULA_AT_START = /^[ \u00a0]*[=+\-@\t\r]/;
const FORMULA_AFTER_SEPARATOR = /([,;\t\r\n][ \u00a0]*)(?=[=+\-@])/g;

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | undefined | null>>): string {
  // A BOM makes Excel read UTF-8 (names with accents, Indonesian text) correctly.
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
