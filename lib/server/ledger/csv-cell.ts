/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet. A text cell starting with = + - @
 * (or tab / carriage return, which some spreadsheets skip before reading a formula) is prefixed
 * with a single quote so it is shown as text, never run as a formula (OWASP "CSV injection").
 * Numbers are written as they are: a negative number is data, not a formula.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
