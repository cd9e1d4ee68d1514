/**
 * A small, fast CSV cell writer for our outputs (scored files, error files). RFC 4180 quoting (a cell
 * holding `,` `"` CR or LF is quoted, inner quotes doubled) plus formula-injection neutralisation of text
 * cells (src/util/format.ts neutralizeFormula); cells that are numbers (`-3`, `+4.5`, `1e3`) are written
 * untouched.
 */
import { formatNumber, neutralizeFormula } from '../util/format.js';

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Quote a cell for CSV when needed (no neutralisation). */
export function quoteCsv(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return '"' + s.replace(/"/g, '""') + '"';
  }
  return s;
}

/** A text cell: neutralised against formula injection unless it is a number, then quoted as needed. */
export function textCell(s: string): string {
  if (s.length === 0) return s;
  const c0 = s.charCodeAt(0);
  if (c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64 || c0 === 9 || c0 === 13 || c0 === 10) {
    if (!NUMBER_TEXT.test(s)) s = neutralizeFormula(s);
  }
  return quoteCsv(s);
}

/** A numeric cell (empty for NaN). */
export function numberCell(x: number): string {
  return formatNumber(x);
}

/** Join cells already made safe with textCell/numberCell into a CSV line (with its line break). */
export function csvLine(cells: string[]): string {
  return cells.join(',') + '\n';
}

/**
 * Formats numbers for one output column with a memo: a scale's scores take few distinct values (means of
 * a handful of integers), so the formatted text is looked up instead of rebuilt for every row.
 */
export class NumberFormatter {
  private readonly memo = new Map<number, string>();
  constructor(private readonly limit = 4096) {}
  format(x: number): string {
    if (x !== x) return '';
    let s = this.memo.get(x);
    if (s === undefined) {
      s = formatNumber(x);
      if (this.memo.size < this.limit) this.memo.set(x, s);
    }
    return s;
  }
}

/** The header and row shapes ScoredCsvWriter needs (structurally those of src/scoring/pipeline.ts). */
export interface CsvWriterHeader {
  plan: { idHeader: string; keepHeaders: string[]; keepCols: number[] };
  compiled: { items: { id: string; codes: (number | string)[] }[] };
  scales: string[];
  unscaledItems: number[];
}
export interface CsvWriterRow {
  id: string;
  fields: readonly string[];
  scores: Float64Array;
  codes: Int32Array;
}

/**
 * The scored CSV of `rapport score`: id, --keep columns, one column per scale, then the items that
 * belong to no scale recoded to their option value (empty when missing, refused or invalid). Rows are
 * appended to an internal string; `take()` hands over what has accumulated (write it in big chunks).
 */
export class ScoredCsvWriter {
  private pending = '';
  private keepCols: number[] = [];
  private unscaled: number[] = [];
  private itemText: string[][] = [];
  private scaleFmt: NumberFormatter[] = [];

  header(h: CsvWriterHeader): void {
    this.keepCols = h.plan.keepCols;
    this.unscaled = h.unscaledItems;
    this.scaleFmt = h.scales.map(() => new NumberFormatter());
    this.itemText = h.compiled.items.map((it) => it.codes.map((c) => (typeof c === 'number' ? formatNumber(c) : textCell(c))));
    const cells = [h.plan.idHeader, ...h.plan.keepHeaders, ...h.scales, ...this.unscaled.map((k) => h.compiled.items[k].id)];
    this.pending += csvLine(cells.map(textCell));
  }

  row(r: CsvWriterRow): void {
    let line = textCell(r.id);
    const keep = this.keepCols;
    for (let j = 0; j < keep.length; j++) line += ',' + textCell(r.fields[keep[j]] ?? '');
    const sc = r.scores;
    const fmt = this.scaleFmt;
    for (let s = 0; s < sc.length; s++) line += ',' + fmt[s].format(sc[s]);
    const codes = r.codes;
    const un = this.unscaled;
    for (let j = 0; j < un.length; j++) {
      const k = un[j];
      const c = codes[k];
      line += c >= 0 ? ',' + this.itemText[k][c] : ',';
    }
    this.pending += line + '\n';
  }

  /** Characters waiting to be written. */
  get size(): number {
    return this.pending.length;
  }

  /** Take the accumulated text (and clear it). */
  take(): string {
    const p = this.pending;
    this.pending = '';
    return p;
  }
}
