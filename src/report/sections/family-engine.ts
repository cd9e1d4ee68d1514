/**
 * What the report needs from an ordinal or count model, whichever it is: a fit with its table rows
 * (Wald CIs on the ratio scale), the coefficient of one column, and the log-likelihood of a model on a
 * column subset (for the drop-one tests, the one-trait models and dominance). ordinal.ts and count.ts
 * implement it for MASS::polr and MASS::glm.nb.
 */
import { pNormalTwoSided, qNormal, type DesignMatrix } from '../../stats/index.js';
import type { FamilyMethod, TermRow } from '../types.js';

export interface FamilyCoef {
  name: string;
  estimate: number;
  se: number;
}

export interface FamilyFit {
  ok: true;
  n: number;
  logLik: number;
  converged: boolean;
  iterations: number;
  /** Number of estimated parameters (thresholds or intercept, coefficients, theta) for the AIC. */
  npar: number;
  /** Thresholds (ordinal) or the intercept (count), then one row per design column, then theta (count). */
  terms: TermRow[];
  /** Count: theta ran off to infinity (no overdispersion), so the fit is the Poisson model's. */
  poissonLimit?: boolean;
  /** Covariance of the coefficients in design-column order (no thresholds, no theta), for the VIF. */
  coefCovariance: Float64Array | null;
}

export interface FamilyEngine {
  method: FamilyMethod;
  fit(X: DesignMatrix, y: Float64Array): FamilyFit | { ok: false; reason: string };
  /** Log-likelihood of the model on X (a column subset), or null when it cannot be fitted. */
  logLik(X: DesignMatrix, y: Float64Array): number | null;
}

const Z95 = qNormal(0.975);

/** A table row of an estimate with its Wald 95% CI on the exp scale (ratio), or of a threshold / theta (no ratio). */
export function familyTerm(c: FamilyCoef, kind: TermRow['kind'], variable: string, ratio: boolean): TermRow {
  const z = c.estimate / c.se;
  return {
    term: c.name,
    variable,
    kind,
    estimate: c.estimate,
    stdError: c.se,
    z: kind === 'dispersion' ? NaN : z,
    pValue: kind === 'dispersion' ? NaN : pNormalTwoSided(z),
    oddsRatio: ratio ? Math.exp(c.estimate) : NaN,
    ciLow: ratio ? Math.exp(c.estimate - Z95 * c.se) : NaN,
    ciHigh: ratio ? Math.exp(c.estimate + Z95 * c.se) : NaN,
    vif: null,
    lrStatistic: null,
    lrDf: null,
    lrP: null,
  };
}

/** The kind and variable of design column j (trait, numeric covariate or level of a categorical one). */
export function columnKind(X: DesignMatrix, j: number, traits: Set<string>): { kind: TermRow['kind']; variable: string } {
  const term = X.terms.find((t) => t.columns.includes(j));
  const variable = term?.name ?? X.names[j];
  if (term?.kind === 'intercept' || X.names[j] === '(Intercept)') return { kind: 'intercept', variable };
  if (traits.has(variable)) return { kind: 'trait', variable };
  return { kind: X.names[j] === variable ? 'numeric' : 'level', variable };
}
