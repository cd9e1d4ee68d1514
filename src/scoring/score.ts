/**
 * Scale scores from item values. The rules, exactly (README "Instrument format"):
 * - an item is answered when it has a value (not empty, not a missing code);
 * - a scale score exists when the answered items number at least min_answered;
 * - reverse-keyed items count as min + max - value;
 * - mean = mean of the answered items; sum = that mean times the number of items (prorated sum);
 * - transform "0-100" = 100 * (score - lowest possible) / (highest possible - lowest possible).
 * Pure and allocation-free in the hot path (scoreInto).
 */
import type { CompiledInstrument, CompiledScale } from './compile.js';

export { compileInstrument, readCell, CELL } from './compile.js';
export type { CompiledInstrument, CompiledItem, CompiledScale, CellStatus } from './compile.js';

/** Value of an item after reverse keying. */
export function keyed(value: number, min: number, max: number, reverse: boolean): number {
  return reverse ? min + max - value : value;
}

/**
 * The keyed values of the items `idx` (raw values in instrument order, NaN stays NaN) written into
 * `out` from `offset`; returns the offset after them. The report's reliability items are keyed here,
 * so reverse keying has one home.
 */
export function keyedInto(ci: CompiledInstrument, idx: Int32Array, values: ArrayLike<number>, out: Float64Array, offset: number): number {
  for (let j = 0; j < idx.length; j++) {
    const it = ci.items[idx[j]];
    out[offset++] = keyed(values[idx[j]], it.min, it.max, it.reverse);
  }
  return offset;
}

/** Score one scale from raw item values (NaN = no answer). Returns NaN when there is no score. */
export function scoreScale(ci: CompiledInstrument, scale: CompiledScale, values: ArrayLike<number>): number {
  let sum = 0;
  let answered = 0;
  const idx = scale.items;
  for (let j = 0; j < idx.length; j++) {
    const it = ci.items[idx[j]];
    const v = values[idx[j]];
    if (v !== v) continue; // NaN
    sum += keyed(v, it.min, it.max, it.reverse);
    answered++;
  }
  if (answered < scale.minCount || answered === 0) return NaN;
  const mean = sum / answered;
  const score = scale.method === 'sum' ? mean * idx.length : mean;
  if (!scale.transform) return score;
  return (100 * (score - scale.rawLo)) / (scale.rawHi - scale.rawLo);
}

/** Score every scale into `out` (length = number of scales). */
export function scoreInto(ci: CompiledInstrument, values: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let k = 0; k < ci.scales.length; k++) out[k] = scoreScale(ci, ci.scales[k], values);
  return out;
}

/**
 * Score one respondent: `values` holds one raw (not reversed) value per item in instrument order,
 * NaN for missing or refused. Returns one score per scale (NaN = no score by the min_answered rule).
 */
export function scoreValues(ci: CompiledInstrument, values: ArrayLike<number>): Float64Array {
  return scoreInto(ci, values, new Float64Array(ci.scales.length));
}
