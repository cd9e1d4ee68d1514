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

/**
 * Theta still growing past this when the alternation stops: the counts are no more spread out than a
 * Poisson model expects, theta's estimate is infinite (glm.nb's "alternation limit reached") and the
 * fit is the Poisson model's, which is then what the report gives.
 */
export const THETA_POISSON = 20;

/** Beyond this theta the negative binomial is the Poisson model for any count the report meets. */
const THETA_INFINITE = 1e4;

/** A fit whose theta ran off to infinity (the Poisson limit), whether or not the alternation stopped. */
export const poissonLimit = (converged: boolean, theta: number) => theta > THETA_INFINITE || (!converged && theta > THETA_POISSON);

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
        converged: f.converged || poissonLimit(f.converged, f.theta),
        poissonLimit: poissonLimit(f.converged, f.theta),
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
      return f.ok && (f.converged || poissonLimit(f.converged, f.theta)) ? f.logLik : null;
    },
  };
}

/** The overdispersion note (numbers only), when theta is small for the mean count; the Poisson-limit note when theta is unbounded. */
export function overdispersionWarning(y: Float64Array, theta: number, atPoissonLimit: boolean): ReportWarning[] {
  if (atPoissonLimit) return [{ code: 'no_overdispersion', theta }];
  let s = 0;
  for (const v of y) s += v;
  const mean = s / y.length;
  const factor = 1 + mean / theta;
  return factor >= OVERDISPERSION_FACTOR ? [{ code: 'overdispersion', theta, factor, mean }] : [];
}
