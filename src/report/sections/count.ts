/**
 * A count outcome: the negative binomial model (MASS::glm.nb; src/stats/negbin.ts), rate ratios per
 * SD with Wald 95% CIs (conditional on theta, as summary() of glm.nb), theta with its SE as a
 * `(theta)` row, and the overdispersion note: at the mean count the variance is 1 + mean/theta times
 * what a Poisson model allows; from OVERDISPERSION_FACTOR on, a Poisson model's CIs would be too narrow.
 */
import { fitNegbin, type DesignMatrix } from '../../stats/index.js';
import type { ReportWarning } from '../types.js';
import { columnKind, familyTerm, type FamilyEngine, type FamilyFit } from './family-engine.js';

/** The overdispersion note fires when the variance at the mean count is at least this many times the Poisson variance. */
export const OVERDISPERSION_FACTOR = 2;

export const THETA_TERM = '(theta)';

export function countEngine(traits: Set<string>): FamilyEngine {
  return {
    method: 'negbin',
    fit(X: DesignMatrix, y: Float64Array): FamilyFit | { ok: false; reason: string } {
      const f = fitNegbin(X, y);
      if (!f.ok) return f;
      return {
        ok: true,
        n: f.n,
        logLik: f.logLik,
        converged: f.converged,
        iterations: f.iterations,
        npar: X.p + 1,
        terms: [
          ...f.coefficients.map((c, j) => {
            const k = columnKind(X, j, traits);
            return familyTerm({ name: c.name, estimate: c.estimate, se: c.se }, k.kind, k.variable, true);
          }),
          familyTerm({ name: THETA_TERM, estimate: f.theta, se: f.thetaSe }, 'dispersion', THETA_TERM, false),
        ],
        coefCovariance: f.covariance,
      };
    },
    logLik(X: DesignMatrix, y: Float64Array): number | null {
      const f = fitNegbin(X, y);
      return f.ok && f.converged ? f.logLik : null;
    },
  };
}

/** The overdispersion note (numbers only), when theta is small for the mean count. */
export function overdispersionWarning(y: Float64Array, theta: number): ReportWarning[] {
  let s = 0;
  for (const v of y) s += v;
  const mean = s / y.length;
  const factor = 1 + mean / theta;
  return factor >= OVERDISPERSION_FACTOR ? [{ code: 'overdispersion', theta, factor, mean }] : [];
}
