/**
 * The one parser for numeric option values (`--min-cell`, `--n`, `--seed`, `--effect trust=2`, ...):
 * plain decimal notation only. `Number()` would also take `0x10`, `0b11`, `1_000`-free forms such as
 * `Infinity`, an empty string (0) or whitespace; those are refused here so a typo is a usage error
 * (exit 2), never a silently different number.
 */
import { NUMBER_TEXT } from './format.js';

/** The number written in plain decimal notation, or NaN for anything else (hex, Infinity, empty). */
export function parseDecimal(text: string): number {
  const t = text.trim();
  if (!NUMBER_TEXT.test(t)) return NaN;
  const x = Number(t);
  return Number.isFinite(x) ? x : NaN;
}

/** A whole number in decimal notation within [min, max], or undefined. */
export function parseWholeNumber(text: string, min: number, max: number): number | undefined {
  const x = parseDecimal(text);
  return Number.isInteger(x) && x >= min && x <= max ? x : undefined;
}
