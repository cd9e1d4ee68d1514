/** Number formatting shared by every writer: full precision without float noise. */

/**
 * Format a number for CSV/JSON-like text: integers as they are; other values with 12 significant
 * digits and trailing zeros removed, so 0.1 + 0.2 prints as 0.3 while 10/3 keeps 3.33333333333.
 * NaN and infinities print as an empty string (a missing value).
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  const s = String(Number.parseFloat(x.toPrecision(12)));
  return s === '-0' ? '0' : s;
}

/** Neutralise a text cell against spreadsheet formula injection (OWASP): prefix `'` to = + - @ tab CR LF. */
export function neutralizeFormula(s: string): string {
  if (s.length === 0) return s;
  const c = s.charCodeAt(0);
  // = + - @ \t \r \n
  if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 || c === 10) return "'" + s;
  return s;
}

/**
 * A cell text that is a plain decimal number (`-3`, `+4.5`, `1e3`, `.5`): left as it is by the
 * neutralisers, read as a number by the report and the option parsers. The one home of this pattern.
 */
export const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The same without an exponent (`4`, `4.0`, `04`): how an answer can spell a numeric option code. */
export const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** neutralizeFormula for a text cell that may hold a number: numbers (-1.5) stay numbers. */
export function neutralizeText(s: string): string {
  return NUMBER_TEXT.test(s) ? s : neutralizeFormula(s);
}

/** "1 item", "2 items": a count with its noun, plural when the count is not 1. */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}
