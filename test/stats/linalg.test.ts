/** Dense linear algebra (src/stats/linalg.ts) against R's chol, solve, determinant and eigen. */
import { describe, expect, it } from 'vitest';
import { cholesky, cholInverse, cholLogDet, cholSolve, invert, invertSpd, symmetricEigen } from '../../src/stats/linalg.js';
import { expectAllRel, expectRel } from './helpers.js';
import { units } from './units-golden.js';

const L = units.linalg;
const A = Float64Array.from(L.A as number[]);

describe('linalg', () => {
  it('Cholesky factor, solve, inverse and log-determinant equal chol, solve and determinant', () => {
    const l = Float64Array.from(A);
    expect(cholesky(l, 4)).toBe(-1);
    expectAllRel(l, L.chol, 1e-12, 'chol');
    expectAllRel(cholSolve(l, 4, Float64Array.of(1, -2, 0.5, 3)), L.solveA_b, 1e-12, 'solve');
    expectAllRel(cholInverse(l, 4), L.inverseA, 1e-12, 'inverse');
    expectRel(cholLogDet(l, 4), L.logdetA, 1e-12, 'log det');
  });
  it('invertSpd equals solve(A); a singular matrix has no inverse (as chol fails in R)', () => {
    expectAllRel(invertSpd(A, 4)!, L.inverseA, 1e-12, 'inverse');
    expect(L.S_singular).toBe(true);
    expect(invertSpd(Float64Array.from(L.S as number[]), 2)).toBeUndefined();
    expect(Array.from(A)).toEqual(L.A); // the input is not modified
  });
  it('invert (partial pivoting) equals solve(B) on a matrix with a zero first pivot', () => {
    expectAllRel(invert(Float64Array.from(L.B as number[]), 3), L.inverseB, 1e-12, 'inverse');
  });
  it('symmetricEigen equals eigen(symmetric = TRUE) up to the sign of each vector', () => {
    const e = symmetricEigen(A, 4);
    expectAllRel(e.values, L.eigenvalues, 1e-10, 'values');
    for (let j = 0; j < 4; j++) {
      const got = Array.from({ length: 4 }, (_, k) => e.vectors[k * 4 + j]);
      const want = Array.from({ length: 4 }, (_, k) => L.eigenvectors[k * 4 + j] as number);
      const sign = Math.sign(got[0]) === Math.sign(want[0]) ? 1 : -1;
      expectAllRel(got.map((v) => sign * v), want, 1e-8, `vector ${j}`);
    }
  });
});
