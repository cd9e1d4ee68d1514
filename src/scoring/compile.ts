/**
 * Compile an instrument into flat lookup tables for scoring: per item its numeric range, reverse key,
 * and a map from accepted cell text (codes and labels) to a value; per scale its item indexes and the
 * `min_answered` rule as an absolute count. Pure; built once per run, used for every row.
 */
import { normalizeLabel } from '../instrument/validate.js';
import type { Instrument, Item, LocalText, ResponseOption } from '../instrument/types.js';
import { ITEM_KIND, type ItemKind, itemType, responseSetOf } from '../instrument/types.js';
import { DECIMAL_TEXT } from '../util/format.js';

/** Outcome of reading one cell. */
export const CELL = { VALUE: 0, EMPTY: 1, REFUSED: 2, INVALID: 3 } as const;
export type CellStatus = (typeof CELL)[keyof typeof CELL];

export { ITEM_KIND, type ItemKind } from '../instrument/types.js';

export interface CompiledItem {
  id: string;
  index: number;
  kind: ItemKind;
  /** True when every option code is a number (the item can be scored / averaged). */
  numeric: boolean;
  /** Option values in order (numbers, or letter codes for imported REDCap items); empty for number and text items. */
  codes: (number | string)[];
  min: number;
  max: number;
  reverse: boolean;
  /** Index of the scale this item belongs to, or -1. */
  scale: number;
  /** Exact cell text → value index into `codes` (>= 0) or -1 for a missing code. Fast path. */
  exact: Map<string, number>;
  /** Normalised label/code → value index or -1. Slow path (case, curly quotes, whitespace, 4.0). */
  folded: Map<string, number>;
  /** Accepted texts, for error messages. */
  accepted: string;
}

export interface CompiledScale {
  id: string;
  index: number;
  items: Int32Array;
  method: 'mean' | 'sum';
  /** Answered items needed for a score (min_answered as a count). */
  minCount: number;
  /** Lowest and highest possible reported score (0 and 100 with the transform); for floor/ceiling. */
  lo: number;
  hi: number;
  /** Lowest and highest possible score before the transform. */
  rawLo: number;
  rawHi: number;
  transform: boolean;
}

export interface CompiledInstrument {
  id: string;
  version: string;
  items: CompiledItem[];
  scales: CompiledScale[];
  itemIndex: Map<string, number>;
}

function texts(t: LocalText): string[] {
  return typeof t === 'string' ? [t] : Object.values(t);
}

/** Canonical text of a numeric code: "4", "4.0", "04" and " 4 " all read as 4. */
function numericKey(s: string): string | undefined {
  const t = s.trim();
  if (!DECIMAL_TEXT.test(t)) return undefined;
  return 'n:' + Number(t);
}

export interface CompileOptions {
  /** Extra codes that mean "no answer" for every item (mapping file `missing:`), e.g. ["-99"]. */
  extraMissing?: string[];
}

/** Compile one choice item: codes, ranges and the cell-text lookups. */
function compileChoice(inst: Instrument, it: Item, index: number, scale: number, opts: CompileOptions): CompiledItem {
  const rs = responseSetOf(inst, it);
  const codes = rs.options.map((o) => o.value);
  const numeric = codes.every((c) => typeof c === 'number');
  const nums = codes.filter((c): c is number => typeof c === 'number');
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  const add = (text: string, v: number) => {
    if (!exact.has(text)) exact.set(text, v);
    const nk = numericKey(text);
    if (nk !== undefined && !folded.has(nk)) folded.set(nk, v);
    const f = normalizeLabel(text);
    if (!folded.has(f)) folded.set(f, v);
  };
  // Codes first (they win over labels that look like codes), then labels.
  rs.options.forEach((o, k) => add(String(o.value), k));
  rs.missing.forEach((o) => add(String(o.value), -1));
  rs.options.forEach((o, k) => o.code !== undefined && add(o.code, k));
  rs.missing.forEach((o) => o.code !== undefined && add(o.code, -1));
  for (const m of opts.extraMissing ?? []) add(m, -1);
  rs.options.forEach((o, k) => texts(o.label).forEach((t) => add(t, k)));
  rs.missing.forEach((o) => texts(o.label).forEach((t) => add(t, -1)));
  const show = (o: ResponseOption, extra = '') => `${o.code !== undefined ? `${o.code} = ` : ''}${o.value} (${texts(o.label)[0]}${extra})`;
  const accepted = [...rs.options.map((o) => show(o)), ...rs.missing.map((o) => show(o, ', no answer'))].join(', ');
  return {
    id: it.id,
    index,
    kind: it.multiple === true ? ITEM_KIND.MULTIPLE : ITEM_KIND.CHOICE,
    numeric,
    codes,
    min: nums.length ? Math.min(...nums) : NaN,
    max: nums.length ? Math.max(...nums) : NaN,
    reverse: it.reverse,
    scale,
    exact,
    folded,
    accepted,
  };
}

/** Compile a number or text item: no options; a number item keeps its range. */
function compileOpen(it: Item, index: number, scale: number): CompiledItem {
  const number = itemType(it) === 'number';
  return {
    id: it.id,
    index,
    kind: number ? ITEM_KIND.NUMBER : ITEM_KIND.TEXT,
    numeric: number,
    codes: [],
    min: number ? it.min! : NaN,
    max: number ? it.max! : NaN,
    reverse: it.reverse,
    scale,
    exact: new Map(),
    folded: new Map(),
    accepted: number ? `a number from ${it.min} to ${it.max}` : 'free text',
  };
}

export function compileInstrument(inst: Instrument, opts: CompileOptions = {}): CompiledInstrument {
  const itemIndex = new Map<string, number>();
  inst.items.forEach((it, i) => itemIndex.set(it.id, i));
  const scaleOf = new Map<string, number>();
  inst.scales.forEach((s, k) => s.items.forEach((id) => scaleOf.set(id, k)));

  const items: CompiledItem[] = inst.items.map((it, index) =>
    itemType(it) === 'choice' ? compileChoice(inst, it, index, scaleOf.get(it.id) ?? -1, opts) : compileOpen(it, index, scaleOf.get(it.id) ?? -1),
  );

  const scales: CompiledScale[] = inst.scales.map((s, index) => {
    const idx = Int32Array.from(s.items.map((id) => itemIndex.get(id)!));
    const n = idx.length;
    const minCount = s.min_answered.kind === 'count' ? s.min_answered.n : Math.max(1, Math.ceil(s.min_answered.p * n - 1e-9));
    let loMean = 0;
    let hiMean = 0;
    for (const i of idx) {
      loMean += items[i].min;
      hiMean += items[i].max;
    }
    loMean /= n;
    hiMean /= n;
    const lo = s.method === 'sum' ? loMean * n : loMean;
    const hi = s.method === 'sum' ? hiMean * n : hiMean;
    const transform = s.transform === '0-100';
    return { id: s.id, index, items: idx, method: s.method, minCount, lo: transform ? 0 : lo, hi: transform ? 100 : hi, rawLo: lo, rawHi: hi, transform };
  });

  return { id: inst.id, version: inst.version, items, scales, itemIndex };
}

/**
 * Read one cell for an item. Returns the status; for CELL.VALUE the option index is written to
 * `out[0]`. Accepts an option's code (`4`, `4.0`), its label in any declared language after trimming,
 * case-folding and normalising quotes and whitespace, or a missing code/label (REFUSED).
 */
export function readCell(item: CompiledItem, cell: string, out: Int32Array): CellStatus {
  if (cell.length === 0) return CELL.EMPTY;
  let k = item.exact.get(cell);
  if (k === undefined) {
    const t = cell.trim();
    if (t.length === 0) return CELL.EMPTY;
    const nk = numericKey(t);
    k = nk !== undefined ? item.folded.get(nk) : undefined;
    if (k === undefined) k = item.folded.get(normalizeLabel(t));
    // A text neutralised against spreadsheet formulas ('-A1, by rapport run or a spreadsheet): read the code.
    if (k === undefined && t.length > 1 && t.charCodeAt(0) === 39 && /^'[=+\-@]/.test(t)) return readCell(item, t.slice(1), out);
    if (k === undefined) return CELL.INVALID;
  }
  if (k < 0) return CELL.REFUSED;
  out[0] = k;
  return CELL.VALUE;
}

/**
 * Read a number item's cell: the value, or NaN when the cell is not a number within [min, max]
 * (an empty cell is the caller's business).
 */
export function readNumber(item: CompiledItem, cell: string): number {
  let t = cell.trim();
  if (t.length > 1 && t.charCodeAt(0) === 39 && /^'[+-]/.test(t)) t = t.slice(1);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  const v = Number(t);
  return v >= item.min && v <= item.max ? v : NaN;
}

/**
 * The options a multi-select cell lists ("White,Other", "1,3"): one option index per comma-separated
 * part, or undefined when the cell is not such a list (a part that is no option, or a missing code).
 */
export function multiSelectParts(item: CompiledItem, cell: string): number[] | undefined {
  if (!cell.includes(',')) return undefined;
  const out: number[] = [];
  const kb = new Int32Array(1);
  for (const part of cell.split(',')) {
    if (part.trim() === '') continue;
    if (readCell(item, part, kb) !== CELL.VALUE) return undefined;
    if (!out.includes(kb[0])) out.push(kb[0]);
  }
  return out.length >= 2 ? out : undefined;
}

/**
 * Read a `multiple: true` item's cell as a bit set of option indexes: one option (whole cell), or a
 * comma-separated list of options. Returns -1 when the cell is not readable (a missing code gives -2).
 */
export function readMultiple(item: CompiledItem, cell: string): number {
  const kb = new Int32Array(1);
  const st = readCell(item, cell, kb);
  if (st === CELL.VALUE) return 1 << kb[0];
  if (st === CELL.REFUSED) return -2;
  const parts = multiSelectParts(item, cell);
  if (!parts) return -1;
  let bits = 0;
  for (const k of parts) bits |= 1 << k;
  return bits;
}
