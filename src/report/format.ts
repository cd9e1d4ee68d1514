/** Number formatting for the human-readable report (text and HTML). CSV/JSON use full precision. */

/** p-value as R's `format.pval(p, eps = 0.001, digits = 3)` style: `< 0.001`, `0.012`; never `0`. */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  if (p > 0.999) return '> 0.999';
  return p.toFixed(3);
}

/** `p = 0.012` or `p < 0.001` for use in sentences. */
export function fmtPEq(p: number | null | undefined): string {
  const s = fmtP(p);
  return s.startsWith('<') || s.startsWith('>') ? `p ${s}` : `p = ${s}`;
}

/** An odds ratio (or its CI bound) with two decimals; very large or small values stay readable. */
export function fmtOr(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (x === Infinity) return '∞';
  if (x >= 1e6) return x.toExponential(1).replace('e+', 'e');
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  if (x >= 10) return x.toFixed(1);
  if (x >= 0.01) return x.toFixed(2);
  if (x === 0) return '0';
  return x.toExponential(1);
}

/** `2.24 (95% CI 1.86–2.71)` */
export function fmtOrCi(or: number | null, lo: number | null, hi: number | null): string {
  if (or === null) return '–';
  return `${fmtOr(or)} (95% CI ${fmtOr(lo)}–${fmtOr(hi)})`;
}

/** Fixed decimals, `–` for missing. */
export function fmtFixed(x: number | null | undefined, digits: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** Percentage with one decimal: `46.8%`. */
export function fmtPct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return `${fmtFixed(x, digits)}%`;
}

/** Integer with thousands separators (`1,000,000`). */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Join names as an English list: `a`, `a and b`, `a, b and c`. */
export function andList(xs: string[]): string {
  if (xs.length === 0) return '';
  if (xs.length === 1) return xs[0];
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Pad to a width (left-aligned) counting code points, so `–` and `α` count as one. */
export function padEnd(s: string, w: number): string {
  const len = [...s].length;
  return len >= w ? s : s + ' '.repeat(w - len);
}

export function padStart(s: string, w: number): string {
  const len = [...s].length;
  return len >= w ? s : ' '.repeat(w - len) + s;
}

/** Render rows as an aligned plain-text table; `align` per column: 'l' or 'r'. */
export function textTable(header: string[], rows: string[][], align: ('l' | 'r')[], indent = '  '): string[] {
  const widths = header.map((h, j) => Math.max([...h].length, ...rows.map((r) => [...(r[j] ?? '')].length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, j) => (align[j] === 'r' ? padStart(c, widths[j]) : padEnd(c, widths[j])))
      .join('  ')
      .replace(/\s+$/, '');
  const out = [line(header), indent + widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  return out;
}

/** Wrap text at `width` columns with an indent on every line. */
export function wrap(text: string, width = 78, indent = '  '): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur.length > 0 && [...indent].length + [...cur].length + 1 + [...w].length > width) {
      lines.push(indent + cur);
      cur = w;
    } else cur = cur.length > 0 ? `${cur} ${w}` : w;
  }
  if (cur.length > 0) lines.push(indent + cur);
  return lines;
}

/** `0.81 (0.77–0.84)`: an estimate with its interval, two decimals; `–` without an estimate. */
export function fmtEstCi(x: number | null, lo: number | null, hi: number | null, sep = '–'): string {
  return x === null ? '–' : `${fmtFixed(x, 2)} (${fmtFixed(lo, 2)}${sep}${fmtFixed(hi, 2)})`;
}

/** `3.41 (0.82)`: a mean with its SD; `–` without a mean. */
export function fmtMeanSd(m: number | null, sd: number | null): string {
  return m === null ? '–' : `${fmtFixed(m, 2)} (${fmtFixed(sd, 2)})`;
}

/** `46.8% (41.2–52.5)`: a rate (0..1) with its interval in percent; `–` without a rate. */
export function fmtRateCi(rate: number | null, lo: number | null, hi: number | null): string {
  return rate === null ? '–' : `${fmtPct(100 * rate)} (${fmtFixed(100 * (lo ?? NaN), 1)}–${fmtFixed(100 * (hi ?? NaN), 1)})`;
}

/** A row of the model table that has a ratio to show: not the intercept, a threshold or theta. */
export function isEffect(t: { kind: string }): boolean {
  return t.kind !== 'intercept' && t.kind !== 'threshold' && t.kind !== 'dispersion';
}
