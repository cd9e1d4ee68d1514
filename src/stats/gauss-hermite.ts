/**
 * Gauss–Hermite quadrature rules for integrals of f(z) exp(-z^2) over the real line: nodes are the
 * roots of the Hermite polynomial H_k (found by Newton's method on the orthonormal recurrence, as in
 * Numerical Recipes' gauher), weights sqrt(pi) 2^(k-1) k! / (k^2 H_{k-1}(z)^2) in orthonormal form.
 * `lme4::GHrule(k)` is the same rule for the standard normal density (nodes sqrt(2) z, weights w / sqrt(pi)).
 */
export interface GaussHermiteRule {
  /** Nodes in increasing order. */
  nodes: Float64Array;
  weights: Float64Array;
}

const PIM4 = Math.pow(Math.PI, -0.25);

export function gaussHermite(k: number): GaussHermiteRule {
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new RangeError(`gaussHermite: the number of points must be a whole number from 1 to 100, got ${k}.`);
  const x = new Float64Array(k);
  const w = new Float64Array(k);
  const m = (k + 1) >> 1;
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * k + 1) - 1.85575 * Math.pow(2 * k + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(k, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let its = 0; its < 100; its++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 1; j <= k; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * k) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[k - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[k - 1 - i] = w[i];
  }
  if (k % 2 === 1) x[m - 1] = 0;
  // increasing order
  x.reverse();
  w.reverse();
  return { nodes: x, weights: w };
}
