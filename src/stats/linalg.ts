/**
 * Small dense linear algebra on row-major Float64Array matrices (p x p, p small): Cholesky
 * factorisation with a rank check, solves, inverse, log-determinant, symmetric eigen-decomposition.
 * Internal to the statistics core.
 */

/**
 * In-place Cholesky factorisation A = L L' of a symmetric positive-definite p x p matrix (row-major,
 * only the lower triangle is read). On success L is stored in the lower triangle (upper triangle
 * zeroed) and -1 is returned; if pivot j is not positive relative to the original diagonal (the
 * column is, to working precision, a linear combination of the earlier ones), returns j.
 */
export function cholesky(a: Float64Array, p: number, relTol = 1e-10): number {
  for (let j = 0; j < p; j++) {
    const orig = a[j * p + j];
    let d = orig;
    for (let k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
    if (!(d > relTol * Math.abs(orig)) || !(d > 0)) return j;
    const ljj = Math.sqrt(d);
    a[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / ljj;
    }
    for (let k = j + 1; k < p; k++) a[j * p + k] = 0;
  }
  return -1;
}

/** Solve L L' x = b given the Cholesky factor L (lower triangle of l); returns a new array. */
export function cholSolve(l: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b as ArrayLike<number>);
  for (let i = 0; i < p; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * x[k];
    x[i] = s / l[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}

/** Inverse (L L')^{-1} from the Cholesky factor; returns a full symmetric row-major matrix. */
export function cholInverse(l: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const col = cholSolve(l, p, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i];
  }
  return symmetrize(inv, p);
}

/** Replace a p x p matrix (row-major) by (A + A')/2 in place, against rounding; returns it. */
export function symmetrize(a: Float64Array, p: number): Float64Array {
  for (let i = 0; i < p; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (a[i * p + j] + a[j * p + i]);
      a[i * p + j] = v;
      a[j * p + i] = v;
    }
  return a;
}

/**
 * Inverse of a symmetric positive-definite p x p matrix (row-major) by its Cholesky factor;
 * undefined when the matrix is not positive definite (a pivot below 1e-10 of its diagonal).
 */
export function invertSpd(a: Float64Array, p: number): Float64Array | undefined {
  const l = Float64Array.from(a);
  return cholesky(l, p) >= 0 ? undefined : cholInverse(l, p);
}

/** Inverse of a general small dense m x m matrix (Gauss–Jordan with partial pivoting). */
export function invert(a: Float64Array, m: number): Float64Array {
  const w = Float64Array.from(a);
  const inv = new Float64Array(m * m);
  for (let i = 0; i < m; i++) inv[i * m + i] = 1;
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(w[r * m + c]) > Math.abs(w[piv * m + c])) piv = r;
    if (piv !== c)
      for (let k = 0; k < m; k++) {
        [w[c * m + k], w[piv * m + k]] = [w[piv * m + k], w[c * m + k]];
        [inv[c * m + k], inv[piv * m + k]] = [inv[piv * m + k], inv[c * m + k]];
      }
    const d = w[c * m + c];
    for (let k = 0; k < m; k++) {
      w[c * m + k] /= d;
      inv[c * m + k] /= d;
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = w[r * m + c];
      if (f === 0) continue;
      for (let k = 0; k < m; k++) {
        w[r * m + k] -= f * w[c * m + k];
        inv[r * m + k] -= f * inv[c * m + k];
      }
    }
  }
  return inv;
}

/** log det(A) from its Cholesky factor. */
export function cholLogDet(l: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) s += Math.log(l[i * p + i]);
  return 2 * s;
}

/**
 * Eigen-decomposition of a symmetric p x p matrix by cyclic Jacobi rotations. Returns eigenvalues
 * in decreasing order and the matching unit eigenvectors as columns of a row-major matrix.
 */
export function symmetricEigen(a0: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(a0);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i * p + j] * a[i * p + j];
    if (off < 1e-30) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j];
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (a[j * p + j] - a[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i];
          const akj = a[k * p + j];
          a[k * p + i] = c * aki - s * akj;
          a[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k];
          const ajk = a[j * p + k];
          a[i * p + k] = c * aik - s * ajk;
          a[j * p + k] = s * aik + c * ajk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i];
          const vkj = v[k * p + j];
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => a[y * p + y] - a[x * p + x]);
  const values = Float64Array.from(order, (i) => a[i * p + i]);
  const vectors = new Float64Array(p * p);
  order.forEach((src, dst) => {
    for (let k = 0; k < p; k++) vectors[k * p + dst] = v[k * p + src];
  });
  return { values, vectors };
}
