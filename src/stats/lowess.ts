/**
 * LOWESS smoother (Cleveland 1979), as R's `lowess(x, y, f, iter, delta)` (a port of its clowess):
 * at each x, a tricube-weighted local linear fit over the nearest f*n points; points within `delta`
 * of the last fitted x are linearly interpolated; `iter` robustness iterations reweight residuals by
 * the bisquare. The calibration curve of a logistic model uses `iter = 0` (as rms::val.prob does:
 * robustness weights make no sense for a 0/1 outcome).
 */

const fsquare = (x: number) => x * x;
const fcube = (x: number) => x * x * x;

/** Local fit at xs over x[nleft..nright] (0-based, inclusive); null when every weight is 0. */
function lowest(x: Float64Array, y: Float64Array, xs: number, nleft: number, nright: number, w: Float64Array, rw: Float64Array | null): number | null {
  const n = x.length;
  const range = x[n - 1] - x[0];
  const h = Math.max(xs - x[nleft], x[nright] - xs);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  let j = nleft;
  while (j < n) {
    w[j] = 0;
    const r = Math.abs(x[j] - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1 : fcube(1 - fcube(r / h));
      if (rw) w[j] *= rw[j];
      a += w[j];
    } else if (x[j] > xs) break;
    j++;
  }
  const nrt = j - 1;
  if (a <= 0) return null;
  for (j = nleft; j <= nrt; j++) w[j] /= a;
  if (h > 0) {
    a = 0;
    for (j = nleft; j <= nrt; j++) a += w[j] * x[j];
    let b = xs - a;
    let c = 0;
    for (j = nleft; j <= nrt; j++) c += w[j] * (x[j] - a) * (x[j] - a);
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (j = nleft; j <= nrt; j++) w[j] *= b * (x[j] - a) + 1;
    }
  }
  let ys = 0;
  for (j = nleft; j <= nrt; j++) ys += w[j] * y[j];
  return ys;
}

/** One smoothing pass over sorted x (robustness weights rw, or none). */
function pass(x: Float64Array, y: Float64Array, ns: number, delta: number, rw: Float64Array | null, ys: Float64Array, w: Float64Array): void {
  const n = x.length;
  let nleft = 0;
  let nright = ns - 1;
  let last = -1;
  let i = 0;
  for (;;) {
    if (nright < n - 1) {
      const d1 = x[i] - x[nleft];
      const d2 = x[nright + 1] - x[i];
      if (d1 > d2) {
        nleft++;
        nright++;
        continue;
      }
    }
    ys[i] = lowest(x, y, x[i], nleft, nright, w, rw) ?? y[i];
    if (last < i - 1) {
      const denom = x[i] - x[last];
      for (let j = last + 1; j < i; j++) {
        const alpha = (x[j] - x[last]) / denom;
        ys[j] = alpha * ys[i] + (1 - alpha) * ys[last];
      }
    }
    last = i;
    const cut = x[last] + delta;
    for (i = last + 1; i < n; i++) {
      if (x[i] > cut) break;
      if (x[i] === x[last]) {
        ys[i] = ys[last];
        last = i;
      }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n - 1) break;
  }
}

/** R's rPsort-based median of |residuals| times 6 is the bisquare scale; here a sort (same value). */
function robustnessWeights(y: Float64Array, ys: Float64Array, rw: Float64Array): boolean {
  const n = y.length;
  const res = Float64Array.from(y, (v, i) => Math.abs(v - ys[i]));
  const sorted = Float64Array.from(res).sort();
  const m1 = Math.floor(n / 2);
  const cmad = n % 2 === 0 ? 3 * (sorted[m1 - 1] + sorted[m1]) : 6 * sorted[m1];
  let sc = 0;
  for (let i = 0; i < n; i++) sc += res[i];
  sc /= n;
  if (cmad < 1e-7 * sc) return false;
  const c9 = 0.999 * cmad;
  const c1 = 0.001 * cmad;
  for (let i = 0; i < n; i++) {
    const r = res[i];
    rw[i] = r <= c1 ? 1 : r <= c9 ? fsquare(1 - fsquare(r / cmad)) : 0;
  }
  return true;
}

/**
 * The stable ascending order of x (ties in index order, as R's order()), by an LSD radix sort of the
 * doubles' bit patterns in four 16-bit digits: linear time, where a comparison sort of a million
 * indices takes seconds in V8. Assumes little-endian doubles and no NaN.
 */
function sortOrder(x: Float64Array): Uint32Array {
  const n = x.length;
  const w = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = w[2 * i + 1];
    // flip negatives entirely and set the sign bit of positives: the unsigned order is then numeric
    if (h & 0x80000000) [lo[i], hi[i]] = [~w[2 * i] >>> 0, ~h >>> 0];
    else [lo[i], hi[i]] = [w[2 * i], (h | 0x80000000) >>> 0];
  }
  let order = Uint32Array.from({ length: n }, (_, i) => i);
  let next = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (let d = 0; d < 4; d++) {
    const src = d < 2 ? lo : hi;
    const shift = d % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((src[i] >>> shift) & 0xffff) + 1]++;
    for (let k = 0; k < 65536; k++) count[k + 1] += count[k];
    for (let i = 0; i < n; i++) {
      const r = order[i];
      next[count[(src[r] >>> shift) & 0xffff]++] = r;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * Smoothed values at the sorted x (returned sorted, with y in the same order), as R's
 * `lowess(x, y, f = 2/3, iter = 3, delta = 0.01 * diff(range(x)))`.
 */
export function lowess(xIn: ArrayLike<number>, yIn: ArrayLike<number>, opts: { f?: number; iter?: number; delta?: number } = {}): { x: Float64Array; y: Float64Array } {
  const n = xIn.length;
  const order = sortOrder(Float64Array.from(xIn));
  const x = Float64Array.from(order, (i) => xIn[i]);
  const y = Float64Array.from(order, (i) => yIn[i]);
  if (n < 2) return { x, y: Float64Array.from(y) };
  const f = opts.f ?? 2 / 3;
  const iter = opts.iter ?? 3;
  const delta = opts.delta ?? 0.01 * (x[n - 1] - x[0]);
  const ns = Math.max(2, Math.min(n, Math.floor(f * n + 1e-7)));
  const ys = new Float64Array(n);
  const w = new Float64Array(n);
  const rw = new Float64Array(n);
  for (let it = 0; it <= iter; it++) {
    pass(x, y, ns, delta, it > 0 ? rw : null, ys, w);
    if (it === iter || !robustnessWeights(y, ys, rw)) break;
  }
  return { x, y: ys };
}
