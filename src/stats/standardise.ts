/**
 * Standardisation: (x - mean) / sd with the sample SD (n - 1), as R's `scale()`. One home for the
 * report's trait columns (standardised on the model respondents) and the power simulation's design.
 */

/** Mean and sample SD of x over the rows where `use` is set (every row when `use` is omitted). */
export function meanSd(x: ArrayLike<number>, use?: Uint8Array): { n: number; mean: number; sd: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++)
    if (!use || use[i]) {
      n++;
      s += x[i];
    }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (!use || use[i]) ss += (x[i] - mean) * (x[i] - mean);
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** Mean and sample SD of the values that are not NaN (NaN = missing). */
export function meanSdPresent(x: ArrayLike<number>): { n: number; mean: number; sd: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) {
      n++;
      s += v;
    }
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) ss += (v - mean) * (v - mean);
  }
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** Standardise x on the rows where `use` is set; other rows become NaN. */
export function standardise(x: ArrayLike<number>, use: Uint8Array): { z: Float64Array; mean: number; sd: number } {
  const { mean, sd } = meanSd(x, use);
  const z = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) z[i] = use[i] ? (x[i] - mean) / sd : NaN;
  return { z, mean, sd };
}

/**
 * Standardise column `col` of the first `n` rows of a row-major matrix with `stride` columns, in
 * place. A constant column (sd 0) is only centred. Returns the mean and SD used.
 */
export function standardiseColumn(data: Float64Array, n: number, stride: number, col: number): { mean: number; sd: number } {
  let s = 0;
  for (let r = 0; r < n; r++) s += data[r * stride + col];
  const mean = s / n;
  let ss = 0;
  for (let r = 0; r < n; r++) {
    const v = data[r * stride + col] - mean;
    ss += v * v;
  }
  const sd = Math.sqrt(ss / (n - 1));
  const div = sd > 0 ? sd : 1;
  for (let r = 0; r < n; r++) data[r * stride + col] = (data[r * stride + col] - mean) / div;
  return { mean, sd };
}
