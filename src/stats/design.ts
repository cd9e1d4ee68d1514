/**
 * Design-matrix builder for regression: named numeric columns plus named categorical (string)
 * columns, listwise deletion of incomplete rows, dummy coding of categorical variables against the
 * first level in sorted order (R's default treatment contrasts), and term bookkeeping so that a
 * categorical term spanning several dummy columns can be tested as a whole.
 */
import { DataError } from '../errors.js';

/** One term of the model: the intercept, a numeric predictor, or a categorical predictor. */
export interface DesignTerm {
  /** Variable name (`(Intercept)` for the intercept). */
  name: string;
  kind: 'intercept' | 'numeric' | 'categorical';
  /** Indices of this term's columns in the design matrix. */
  columns: number[];
  /** Categorical terms: all levels in coding order; the first is the reference. */
  levels?: string[];
  /** Categorical terms: the reference level (absorbed in the intercept). */
  reference?: string;
}

/**
 * A numeric design matrix, stored row-major in one Float64Array (`data[i * p + j]` is row i,
 * column j) so that the IRLS hot loops stream through memory once per iteration.
 */
export interface DesignMatrix {
  /** Number of rows (respondents kept after listwise deletion). */
  n: number;
  /** Number of columns (including the intercept column when present). */
  p: number;
  /** Column names: `(Intercept)`, numeric variable names, and `variable=level` for dummies. */
  names: string[];
  /** Row-major data, length n * p. */
  data: Float64Array;
  terms: DesignTerm[];
  /** True when column 0 is an intercept column of ones. */
  hasIntercept: boolean;
  /** For each design row, the index of the input row it came from. */
  rows: Uint32Array;
  /** Number of input rows dropped because a variable (or the outcome) was missing. */
  nDropped: number;
  /** The outcome restricted to the kept rows, when an outcome was given to {@link buildDesign}. */
  y?: Float64Array;
}

/** Input of {@link buildDesign}. */
export interface DesignInput {
  /** Numeric predictors; NaN marks a missing value. */
  numeric?: Record<string, ArrayLike<number>>;
  /** Categorical predictors; `null`, `undefined` or `''` marks a missing value. */
  categorical?: Record<string, ReadonlyArray<string | null | undefined>>;
  /** Term order (variable names). Default: numeric variables, then categorical, in insertion order. */
  order?: string[];
  /** Explicit level order for a categorical variable (first = reference); default: sorted levels. */
  levels?: Record<string, string[]>;
  /** Add an intercept column (default true). */
  intercept?: boolean;
  /** Outcome (NaN = missing): rows where it is missing are dropped too, and `y` is returned. */
  outcome?: ArrayLike<number>;
  /**
   * Allocate `data` and `y` in a SharedArrayBuffer, so that the matrix can be posted to a worker
   * thread without a copy (the same numbers; default false).
   */
  shared?: boolean;
}

/** A zeroed Float64Array of length n, in shared memory when asked. */
function f64(n: number, shared: boolean | undefined): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n);
}

/**
 * Level order used for dummy coding: sorted like R's `sort()` in an English locale (`factor()`'s
 * default), via `Intl.Collator('en')`, with code-point order breaking any collation tie.
 */
export function sortLevels(levels: Iterable<string>): string[] {
  const coll = new Intl.Collator('en');
  return [...new Set(levels)].sort((a, b) => coll.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

const isMissingStr = (v: string | null | undefined): boolean => v === null || v === undefined || v === '';

type Src = { kind: 'one' } | { kind: 'num'; col: ArrayLike<number> } | { kind: 'dummy'; code: Int32Array; level: number };

/** Level codes of a categorical column (first appearance order; -1 = missing) and their labels. */
function levelCodes(col: ReadonlyArray<string | null | undefined>, N: number): { code: Int32Array; labels: string[] } {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const code = new Int32Array(N);
  let last: string | null | undefined;
  let lastCode = -1;
  for (let i = 0; i < N; i++) {
    const v = col[i];
    if (isMissingStr(v)) code[i] = -1;
    else if (v === last) code[i] = lastCode;
    else {
      let k = index.get(v as string);
      if (k === undefined) {
        k = labels.length;
        index.set(v as string, k);
        labels.push(v as string);
      }
      code[i] = k;
      last = v;
      lastCode = k;
    }
  }
  return { code, labels };
}

function dropNaN(c: ArrayLike<number>, keep: Uint8Array): void {
  for (let i = 0; i < keep.length; i++) if (Number.isNaN(c[i])) keep[i] = 0;
}

function dropCode(c: Int32Array, keep: Uint8Array): void {
  for (let i = 0; i < keep.length; i++) if (c[i] < 0) keep[i] = 0;
}

/** Column j of the row-major design from its source (one function per source kind keeps each loop monomorphic). */
function fillColumn(data: Float64Array, n: number, p: number, j: number, s: Src, rows: Uint32Array): void {
  if (s.kind === 'one') for (let r = 0, o = j; r < n; r++, o += p) data[o] = 1;
  else if (s.kind === 'dummy') fillDummy(data, n, p, j, s.code, s.level, rows);
  else if (s.col instanceof Float64Array) fillF64(data, n, p, j, s.col, rows);
  else for (let r = 0, o = j; r < n; r++, o += p) data[o] = s.col[rows[r]];
}

function fillF64(data: Float64Array, n: number, p: number, j: number, col: Float64Array, rows: Uint32Array): void {
  for (let r = 0, o = j; r < n; r++, o += p) data[o] = col[rows[r]];
}

function fillDummy(data: Float64Array, n: number, p: number, j: number, code: Int32Array, level: number, rows: Uint32Array): void {
  for (let r = 0, o = j; r < n; r++, o += p) data[o] = code[rows[r]] === level ? 1 : 0;
}

/**
 * Build a design matrix. Rows with any missing predictor (or missing outcome, if given) are dropped
 * listwise and counted in `nDropped`. Throws a DataError when columns have different lengths, a
 * variable appears twice, or an `order` entry names no variable.
 */
export function buildDesign(input: DesignInput): DesignMatrix {
  const numeric = input.numeric ?? {};
  const categorical = input.categorical ?? {};
  const numNames = Object.keys(numeric);
  const catNames = Object.keys(categorical);
  for (const nm of numNames)
    if (catNames.includes(nm)) throw new DataError('REPORT_DESIGN', `Variable "${nm}" is given both as numeric and as categorical; give it once.`);
  const order = input.order ?? [...numNames, ...catNames];
  for (const nm of order)
    if (!Object.hasOwn(numeric, nm) && !Object.hasOwn(categorical, nm))
      throw new DataError('REPORT_DESIGN', `Model variable "${nm}" is not among the supplied columns; check its name.`);
  if (new Set(order).size !== order.length) throw new DataError('REPORT_DESIGN', `A model variable is listed twice in the term order; list each once.`);

  let N = -1;
  const checkLen = (nm: string, len: number): void => {
    if (N < 0) N = len;
    else if (len !== N) throw new DataError('REPORT_DESIGN', `Column "${nm}" has ${len} values but the others have ${N}; all columns must have one value per respondent.`);
  };
  for (const nm of order) checkLen(nm, Object.hasOwn(numeric, nm) ? numeric[nm].length : categorical[nm].length);
  if (input.outcome) checkLen('outcome', input.outcome.length);
  if (N < 0) N = input.outcome ? input.outcome.length : 0;

  // Categorical variables are coded once (an Int32Array of level codes, -1 = missing), so that the
  // deletion, the level set and the dummies compare integers instead of strings.
  const codes = new Map<string, { code: Int32Array; labels: string[] }>();
  for (const nm of order) if (!Object.hasOwn(numeric, nm)) codes.set(nm, levelCodes(categorical[nm], N));

  // listwise deletion
  const keep = new Uint8Array(N).fill(1);
  for (const nm of order) {
    if (Object.hasOwn(numeric, nm)) dropNaN(numeric[nm], keep);
    else dropCode(codes.get(nm)!.code, keep);
  }
  if (input.outcome) dropNaN(input.outcome, keep);
  let n = 0;
  for (let i = 0; i < N; i++) n += keep[i];
  const rows = new Uint32Array(n);
  for (let i = 0, r = 0; i < N; i++) if (keep[i]) rows[r++] = i;

  // columns and terms
  const names: string[] = [];
  const terms: DesignTerm[] = [];
  const hasIntercept = input.intercept !== false;
  const srcs: Src[] = [];
  if (hasIntercept) {
    terms.push({ name: '(Intercept)', kind: 'intercept', columns: [0] });
    names.push('(Intercept)');
    srcs.push({ kind: 'one' });
  }
  for (const nm of order) {
    if (Object.hasOwn(numeric, nm)) {
      terms.push({ name: nm, kind: 'numeric', columns: [names.length] });
      names.push(nm);
      srcs.push({ kind: 'num', col: numeric[nm] });
    } else {
      const { code, labels } = codes.get(nm)!;
      const seen = new Uint8Array(labels.length);
      for (let r = 0; r < n; r++) seen[code[rows[r]]] = 1;
      const present = new Set(labels.filter((_, k) => seen[k]));
      let levels: string[];
      if (input.levels && Object.hasOwn(input.levels, nm)) {
        levels = input.levels[nm].filter((l) => present.has(l));
        for (const l of present)
          if (!input.levels[nm].includes(l))
            throw new DataError('REPORT_DESIGN', `Variable "${nm}" has the value "${l}", which is not among its listed levels; add it to the levels or recode it.`);
      } else levels = sortLevels(present);
      const cols: number[] = [];
      // dummies for every level but the first (treatment coding); a variable with one observed
      // level contributes no column (it is constant), which the term records with columns = []
      for (const lev of levels.slice(1)) {
        cols.push(names.length);
        names.push(`${nm}=${lev}`);
        srcs.push({ kind: 'dummy', code, level: labels.indexOf(lev) });
      }
      terms.push({ name: nm, kind: 'categorical', columns: cols, levels, reference: levels[0] });
    }
  }
  const p = names.length;
  const data = f64(n * p, input.shared);
  for (let j = 0; j < p; j++) fillColumn(data, n, p, j, srcs[j], rows);
  const out: DesignMatrix = { n, p, names, data, terms, hasIntercept, rows, nDropped: N - n };
  if (input.outcome) {
    const y = f64(n, input.shared);
    for (let r = 0; r < n; r++) y[r] = input.outcome[rows[r]];
    out.y = y;
  }
  return out;
}

/** Column j of a design matrix as a new Float64Array. */
export function designColumn(X: DesignMatrix, j: number): Float64Array {
  const c = new Float64Array(X.n);
  for (let i = 0; i < X.n; i++) c[i] = X.data[i * X.p + j];
  return c;
}

/** A design matrix restricted to some columns (same rows); terms are re-indexed, empty ones dropped. */
export function selectColumns(X: DesignMatrix, cols: readonly number[]): DesignMatrix {
  const q = cols.length;
  const data = new Float64Array(X.n * q);
  for (let i = 0; i < X.n; i++) for (let j = 0; j < q; j++) data[i * q + j] = X.data[i * X.p + cols[j]];
  const pos = new Map(cols.map((c, k) => [c, k] as const));
  const terms = X.terms
    .map((t) => ({ ...t, columns: t.columns.filter((c) => pos.has(c)).map((c) => pos.get(c) as number) }))
    .filter((t) => t.columns.length > 0);
  return { ...X, p: q, names: cols.map((c) => X.names[c]), data, terms, hasIntercept: X.hasIntercept && pos.get(0) === 0 };
}
