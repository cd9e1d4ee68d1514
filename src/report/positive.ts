/**
 * `--positive '>0'`: a comparison with a number, for numeric outcomes such as a count of portal
 * log-ins from the EHR. The operators are `>`, `>=`, `<`, `<=` and `=`; the number is plain decimal
 * notation. A list of values (`--positive yes,Y`) is not a comparison and is handled by load.ts.
 */
import { UsageError } from '../errors.js';
import { parseDecimal } from '../util/decimal.js';

export type ComparisonOp = '>' | '>=' | '<' | '<=' | '=';

export interface Comparison {
  op: ComparisonOp;
  value: number;
}

const OPERATOR = /^\s*(>=|<=|>|<|=)\s*(.*)$/;

/** The negation of each operator, to describe the negative values ("<= 0" for "> 0"). */
const NEGATION: Record<ComparisonOp, string> = { '>': '<=', '>=': '<', '<': '>=', '<=': '>', '=': '≠' };

/**
 * The comparison given by --positive, or null when the tokens are a list of values. A token that
 * starts with an operator must be the only token and must be followed by a number (exit 2 otherwise).
 */
export function parseComparison(tokens: readonly string[] | undefined): Comparison | null {
  if (!tokens || tokens.length === 0) return null;
  const hits = tokens.map((t) => OPERATOR.exec(t));
  if (hits.every((h) => h === null)) return null;
  if (tokens.length > 1)
    throw new UsageError(`--positive ${tokens.join(',')}: give either one comparison (for example --positive '>0') or a list of values (for example --positive yes,Y), not both.`);
  const [, op, rest] = hits[0]!;
  const value = parseDecimal(rest);
  if (rest.trim() === '' || Number.isNaN(value))
    throw new UsageError(`--positive ${tokens[0]}: a comparison needs a plain number after ${op} (for example --positive '${op}0'); ${JSON.stringify(rest.trim())} is not a number.`);
  return { op: op as ComparisonOp, value };
}

/** Whether x satisfies the comparison (x is a number; NaN never does). */
export function satisfies(c: Comparison, x: number): boolean {
  switch (c.op) {
    case '>':
      return x > c.value;
    case '>=':
      return x >= c.value;
    case '<':
      return x < c.value;
    case '<=':
      return x <= c.value;
    case '=':
      return x === c.value;
  }
}

/** How the comparison and its negation are shown: "> 0" and "<= 0". */
export function comparisonText(c: Comparison): { positive: string; negative: string } {
  const v = String(c.value);
  return { positive: `${c.op} ${v}`, negative: `${NEGATION[c.op]} ${v}` };
}

/** A numeric column coded by a comparison; `bad` is the first non-numeric value (then no coding). */
export function codeByComparison(values: Float64Array, c: Comparison): Float64Array {
  const y = new Float64Array(values.length);
  for (let i = 0; i < y.length; i++) {
    const v = values[i];
    y[i] = Number.isNaN(v) ? NaN : satisfies(c, v) ? 1 : 0;
  }
  return y;
}

/** What --unmatched does with respondents who have no row in the joined file. */
export type UnmatchedRule = 'missing' | 'negative';

/**
 * With `--unmatched negative`, a respondent without a row in the joined file (joinRows -1) has a
 * negative outcome; returns how many were set. A matched respondent with an empty cell stays missing.
 */
export function unmatchedAsNegative(y: Float64Array, joinRows: Int32Array): number {
  let n = 0;
  for (let i = 0; i < y.length; i++)
    if (joinRows[i] < 0) {
      y[i] = 0;
      n++;
    }
  return n;
}
