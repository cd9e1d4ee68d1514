/**
 * Growable typed-array columns for loading a report's data row by row without per-row objects, and a
 * dictionary-coded text column (each distinct text stored once) that can later be read as numbers or
 * as categories.
 */
import { NUMBER_TEXT } from '../util/format.js';

const CHUNK = 1 << 16;

/** A Float64Array that grows in fixed chunks (no doubling copies); `finish()` joins them once. */
export class F64Builder {
  private chunks: Float64Array[] = [];
  private cur = new Float64Array(CHUNK);
  private pos = 0;
  length = 0;
  push(v: number): void {
    if (this.pos === CHUNK) {
      this.chunks.push(this.cur);
      this.cur = new Float64Array(CHUNK);
      this.pos = 0;
    }
    this.cur[this.pos++] = v;
    this.length++;
  }
  finish(): Float64Array {
    const out = new Float64Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    out.set(this.cur.subarray(0, this.pos), o);
    this.chunks = [];
    this.cur = new Float64Array(0);
    return out;
  }
}

/**
 * Row-major staging for several numeric columns filled row by row: one typed-array write per value in
 * the hot loop (no method call per value); columns are cut out once at the end.
 */
export class RowStore {
  private chunks: Float64Array[] = [];
  private cur: Float64Array;
  private pos = 0;
  rows = 0;
  constructor(
    readonly width: number,
    private readonly chunkRows = 8192,
  ) {
    this.cur = new Float64Array(Math.max(1, width) * chunkRows);
  }
  /** Start a row: returns the offset in `buf` where its `width` values go. */
  next(): number {
    if (this.pos + this.width > this.cur.length) {
      this.chunks.push(this.cur);
      this.cur = new Float64Array(Math.max(1, this.width) * this.chunkRows);
      this.pos = 0;
    }
    const o = this.pos;
    this.pos += this.width;
    this.rows++;
    return o;
  }
  /** The chunk being filled (valid until the next call of `next`). */
  get buf(): Float64Array {
    return this.cur;
  }
  private cols: Float64Array[] | null = null;
  /** Column j as its own array (all columns are cut out in one pass over the rows, then cached). */
  column(j: number): Float64Array {
    if (!this.cols) {
      const w = this.width;
      const cols = Array.from({ length: w }, () => new Float64Array(this.rows));
      let r = 0;
      for (const c of [...this.chunks, this.cur]) {
        const used = c === this.cur ? this.pos : c.length - (c.length % w);
        for (let o = 0; o < used && r < this.rows; o += w, r++) for (let k = 0; k < w; k++) cols[k][r] = c[o + k];
      }
      this.cols = cols;
      this.chunks = [];
      this.cur = new Float64Array(0);
      this.pos = 0;
    }
    return this.cols[j];
  }
}

/**
 * The Int32Array twin of F64Builder. Kept as its own class rather than a generic one on purpose: each
 * push site then sees one typed-array kind, which keeps V8's element access monomorphic in the load loop.
 */
export class I32Builder {
  private chunks: Int32Array[] = [];
  private cur = new Int32Array(CHUNK);
  private pos = 0;
  length = 0;
  push(v: number): void {
    if (this.pos === CHUNK) {
      this.chunks.push(this.cur);
      this.cur = new Int32Array(CHUNK);
      this.pos = 0;
    }
    this.cur[this.pos++] = v;
    this.length++;
  }
  finish(): Int32Array {
    const out = new Int32Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    out.set(this.cur.subarray(0, this.pos), o);
    this.chunks = [];
    this.cur = new Int32Array(0);
    return out;
  }
}


/** The number a cell's text stands for, or NaN (empty or not a plain decimal number). */
export function parseNumber(s: string): number {
  const t = s.trim();
  return t.length > 0 && NUMBER_TEXT.test(t) ? Number(t) : NaN;
}

/**
 * Largest magnitude a numeric predictor or covariate may have: past 1e15 doubles no longer hold every
 * integer and squares on the way to a standard deviation overflow (1e308), so such a value is reported
 * as out of range with its line and column instead of surfacing as "no variation" or "no complete data".
 */
export const MAX_ABS_VALUE = 1e15;

/** A cell whose number is out of range, with the line where it first occurs (0 = unknown). */
export interface OutOfRange {
  text: string;
  line: number;
}

/** Most distinct texts a column may hold before it is read as numbers only. */
export const MAX_LEVELS = 50_000;

/**
 * A text column coded against a dictionary of its distinct (trimmed) values; code -1 = empty.
 * Past MAX_LEVELS distinct values the dictionary is dropped and only numbers are kept.
 */
export class TextColumnBuilder {
  private dict = new Map<string, number>();
  readonly levels: string[] = [];
  private codes: I32Builder | null = new I32Builder();
  private nums: F64Builder | null = null;
  /** A non-numeric text seen after the dictionary overflowed (the column cannot be numeric). */
  overflowText: string | null = null;
  /** Line of each level's first occurrence (for messages). */
  private readonly firstLines: number[] = [];
  private outOfRange: OutOfRange | null = null;
  constructor(readonly name: string) {}
  get length(): number {
    return this.codes ? this.codes.length : this.nums!.length;
  }
  /** Add a row's cell; `line` is where its record starts in the file (0 when unknown). */
  push(raw: string, line = 0): void {
    const s = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
    if (this.codes) {
      if (s.length === 0) {
        this.codes.push(-1);
        return;
      }
      let c = this.dict.get(s);
      if (c === undefined) {
        if (this.levels.length >= MAX_LEVELS) {
          this.overflow();
          this.pushNumber(s, line);
          return;
        }
        c = this.levels.length;
        this.levels.push(s);
        this.firstLines.push(line);
        this.dict.set(s, c);
      }
      this.codes.push(c);
    } else this.pushNumber(s, line);
  }
  private pushNumber(s: string, line: number): void {
    const v = s.length === 0 ? NaN : parseNumber(s);
    if (s.length > 0 && Number.isNaN(v) && this.overflowText === null) this.overflowText = s;
    if (this.outOfRange === null && Math.abs(v) > MAX_ABS_VALUE) this.outOfRange = { text: s, line };
    this.nums!.push(v);
  }
  private overflow(): void {
    const codes = this.codes!.finish();
    const lv = this.levels.map(parseNumber);
    this.levels.forEach((l, k) => {
      if (Number.isNaN(lv[k]) && this.overflowText === null) this.overflowText = l;
    });
    this.outOfRange = firstOutOfRange(this.levels, lv, this.firstLines);
    this.nums = new F64Builder();
    for (let i = 0; i < codes.length; i++) this.nums.push(codes[i] < 0 ? NaN : lv[codes[i]]);
    this.codes = null;
    this.dict.clear();
  }
  finish(): TextColumn {
    if (this.codes) return { name: this.name, kind: 'coded', codes: this.codes.finish(), levels: this.levels, firstLines: this.firstLines };
    return { name: this.name, kind: 'numeric-only', values: this.nums!.finish(), badText: this.overflowText, outOfRange: this.outOfRange };
  }
}

/** The out-of-range level that occurs first in the file, if any. */
function firstOutOfRange(levels: string[], lv: number[], firstLines: number[]): OutOfRange | null {
  let best: OutOfRange | null = null;
  lv.forEach((v, k) => {
    if (Math.abs(v) > MAX_ABS_VALUE && (best === null || (firstLines[k] ?? 0) < best.line)) best = { text: levels[k], line: firstLines[k] ?? 0 };
  });
  return best;
}

export type TextColumn =
  | { name: string; kind: 'coded'; codes: Int32Array; levels: string[]; firstLines?: number[] }
  | { name: string; kind: 'numeric-only'; values: Float64Array; badText: string | null; outOfRange?: OutOfRange | null };

/**
 * Numbers of a text column; `bad` is a non-numeric value found (then the column is not numeric),
 * `outOfRange` the first number beyond ±MAX_ABS_VALUE.
 */
export function numericValues(c: TextColumn): { values: Float64Array; bad: string | null; outOfRange: OutOfRange | null } {
  if (c.kind === 'numeric-only') return { values: c.values, bad: c.badText, outOfRange: c.outOfRange ?? null };
  const lv = c.levels.map(parseNumber);
  const bad = c.levels.find((_, k) => Number.isNaN(lv[k])) ?? null;
  const out = new Float64Array(c.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? NaN : lv[c.codes[i]];
  return { values: out, bad, outOfRange: firstOutOfRange(c.levels, lv, c.firstLines ?? []) };
}

/** Distinct non-empty values of a coded column that occur, with counts. */
export function levelCounts(c: TextColumn): { level: string; n: number }[] {
  if (c.kind !== 'coded') return [];
  const n = new Float64Array(c.levels.length);
  for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) n[c.codes[i]]++;
  return c.levels.map((level, k) => ({ level, n: n[k] })).filter((x) => x.n > 0);
}
