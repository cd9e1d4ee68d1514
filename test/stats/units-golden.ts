/** The golden values of test/reference/stats-units-golden.R, with R's "NA" strings read as NaN. */
import { readJson } from './helpers.js';

export const units = readJson('stats-units-golden.json');

/** A vector written by jsonlite: numbers, or strings ("NA", " 4") for formatted or missing values. */
export function vec(x: (number | string)[]): Float64Array {
  return Float64Array.from(x, (v) => (v === 'NA' ? NaN : Number(v)));
}
