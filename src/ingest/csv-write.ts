/**
 * A small, fast CSV cell writer for our outputs (scored files, error files). RFC 4180 quoting (a cell
 * holding `,` `"` CR or LF is quoted, inner quotes doubled) plus formula-injection neutralisation of text
 * cells (src/util/format.ts neutralizeFormula); cells that are numbers (`-3`, `+4.5`, `1e3`) are written
 * untouched.
 */
import { NUMBER_TEXT, formatNumber, neutralizeFormula } from '../util/format.js';
import { ITEM_KIND } from '../instrument/types.js';

/** scoring's CODE.NUMBER and CODE.MULTIPLE (src/scoring/pipeline.ts): a row's code for a read number / multi-select cell. */
const CODE_NUMBER = -5;
const CODE_MULTIPLE = -7;

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
  compiled: { items: { id: string; kind: number; codes: (number | string)[] }[] };
  scales: string[];
  unscaledItems: number[];
}
export interface CsvWriterRow {
  id: string;
  fields: readonly string[];
  scores: Float64Array;
  codes: Int32Array;
  /** Item values (number items are written from here). */
  values: Float64Array;
  /** Bit sets of `multiple: true` items. */
  flags: Int32Array;
}

/** A direct-mapped cache from a number to its formatted UTF-8 bytes (scores take few distinct values). */
class NumberBytes {
  private readonly keys = new Float64Array(4096).fill(NaN);
  private readonly vals: (Uint8Array | undefined)[] = new Array(4096);
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);
  get(x: number): Uint8Array {
    this.f64[0] = x;
    let h = this.u32[0] ^ this.u32[1];
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    h = (h ^ (h >>> 15)) & 4095;
    if (this.keys[h] === x) return this.vals[h]!;
    const b = Buffer.from(formatNumber(x), 'latin1');
    this.keys[h] = x;
    this.vals[h] = b;
    return b;
  }
}

const EMPTY = new Uint8Array(0);
const CHUNK = 1 << 18;

/**
 * The scored CSV of `rapport score`: id, --keep columns, one column per scale, then the items that
 * belong to no scale recoded to their option value (empty when missing, refused or invalid).
 * Rows are written as bytes straight into 256 KiB buffers (plain ASCII text cells byte by byte, numbers
 * from a cache; anything else through textCell), so a million rows make no million strings;
 * `take()` hands over the bytes accumulated so far (write them in big chunks).
 */
export class ScoredCsvWriter {
  private buf: Buffer = Buffer.allocUnsafe(CHUNK);
  private off = 0;
  private done: Buffer[] = [];
  private doneBytes = 0;
  private keepCols: number[] = [];
  private unscaled: number[] = [];
  private itemBytes: Uint8Array[][] = [];
  private scaleFmt: NumberBytes[] = [];
  private itemFmt: NumberBytes[] = [];
  private kinds: number[] = [];

  header(h: CsvWriterHeader): void {
    this.keepCols = h.plan.keepCols;
    this.unscaled = h.unscaledItems;
    this.scaleFmt = h.scales.map(() => new NumberBytes());
    this.itemBytes = h.compiled.items.map((it) => it.codes.map((c) => Buffer.from(typeof c === 'number' ? formatNumber(c) : textCell(c), 'utf8')));
    this.kinds = h.compiled.items.map((it) => it.kind);
    this.itemFmt = h.compiled.items.map(() => new NumberBytes());
    // A multiple-choice item is one 0/1 column per option, named as REDCap names checkbox columns.
    const itemHeaders = this.unscaled.flatMap((k) => {
      const it = h.compiled.items[k];
      return it.kind === ITEM_KIND.MULTIPLE ? it.codes.map((c) => `${it.id}___${c}`) : [it.id];
    });
    const cells = [h.plan.idHeader, ...h.plan.keepHeaders, ...h.scales, ...itemHeaders];
    this.putString(csvLine(cells.map(textCell)));
  }

  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    if (this.off > 0) {
      this.done.push(this.buf.subarray(0, this.off));
      this.doneBytes += this.off;
    }
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, n));
    this.off = 0;
  }

  private putString(s: string): void {
    this.room(s.length * 3);
    this.off += this.buf.write(s, this.off, 'utf8');
  }

  /** A text cell: printable ASCII without , or " and not starting like a formula goes byte by byte. */
  private putText(s: string): void {
    const n = s.length;
    if (n === 0) return;
    const c0 = s.charCodeAt(0);
    let plain = !(c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64);
    for (let i = 0; plain && i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126 || c === 44 || c === 34) plain = false;
    }
    if (!plain) {
      this.putString(textCell(s));
      return;
    }
    this.room(n);
    const b = this.buf;
    let o = this.off;
    for (let i = 0; i < n; i++) b[o++] = s.charCodeAt(i);
    this.off = o;
  }

  private putBytes(x: Uint8Array): void {
    const b = this.buf;
    let o = this.off;
    for (let i = 0; i < x.length; i++) b[o++] = x[i];
    this.off = o;
  }

  row(r: CsvWriterRow): void {
    this.putText(r.id);
    const keep = this.keepCols;
    for (let j = 0; j < keep.length; j++) {
      this.room(1);
      this.buf[this.off++] = 44;
      this.putText(r.fields[keep[j]] ?? '');
    }
    const sc = r.scores;
    const un = this.unscaled;
    // Numbers and recoded items are short: one check for the rest of the row.
    this.room(64 * (sc.length + un.length) + 1);
    const fmt = this.scaleFmt;
    for (let s = 0; s < sc.length; s++) {
      this.buf[this.off++] = 44;
      const x = sc[s];
      if (x === x) this.putBytes(fmt[s].get(x));
    }
    const codes = r.codes;
    for (let j = 0; j < un.length; j++) {
      const k = un[j];
      const c = codes[k];
      if (this.kinds[k] !== ITEM_KIND.CHOICE) {
        this.otherItem(k, c, r);
        continue;
      }
      this.buf[this.off++] = 44;
      this.putBytes(c >= 0 ? this.itemBytes[k][c] : EMPTY);
    }
    this.buf[this.off++] = 10;
  }

  /** A number item's value, or a multiple item's 0/1 cells (all empty when unanswered). */
  private otherItem(k: number, c: number, r: CsvWriterRow): void {
    if (this.kinds[k] === ITEM_KIND.NUMBER) {
      this.buf[this.off++] = 44;
      if (c === CODE_NUMBER) this.putBytes(this.itemFmt[k].get(r.values[k]));
      return;
    }
    const n = this.itemBytes[k].length;
    this.room(2 * n + 1);
    const bits = c === CODE_MULTIPLE ? r.flags[k] : -1;
    for (let o = 0; o < n; o++) {
      this.buf[this.off++] = 44;
      if (bits >= 0) this.buf[this.off++] = (bits >> o) & 1 ? 49 : 48;
    }
  }

  /** Bytes waiting to be written. */
  get size(): number {
    return this.doneBytes + this.off;
  }

  /** Take the accumulated bytes (and clear them). */
  take(): Buffer {
    if (this.off > 0) {
      this.done.push(this.buf.subarray(0, this.off));
      this.doneBytes += this.off;
      this.buf = this.buf.length - this.off >= 1 << 16 ? this.buf.subarray(this.off) : Buffer.allocUnsafe(CHUNK);
      this.off = 0;
    }
    const out = this.done.length === 1 ? this.done[0] : Buffer.concat(this.done, this.doneBytes);
    this.done = [];
    this.doneBytes = 0;
    return out;
  }
}
