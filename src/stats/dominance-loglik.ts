/**
 * Dominance analysis for any likelihood model (Budescu 1993; Azen & Traxel 2009), with McFadden's
 * R² = 1 - LL / LL0 from the model's own log-likelihood (LL0: the model with no predictor on the same
 * respondents, e.g. thresholds only for a proportional-odds model, intercept and theta only for a
 * negative binomial). The report uses it for ordinal and count outcomes; the logistic report keeps
 * the faster warm-started engine of dominance.ts. Every other term of X is a covariate in every model.
 * `fit` returns the log-likelihood of the model on a column subset of X (with its intercept column,
 * if any), or null when that model cannot be fitted.
 */
import { selectColumns, type DesignMatrix } from './design.js';
import { generalDominance } from './dominance.js';

export interface LogLikDominance {
  ok: true;
  traits: { term: string; general: number; share: number; rank: number }[];
  /** McFadden R² of the model with every trait and covariate, and of the covariates alone. */
  r2Full: number;
  r2Covariates: number;
  models: number;
  /** Trait subsets whose model could not be fitted (their R² counts as the covariates-only R²). */
  failed: string[];
}

export interface LogLikDominanceFailure {
  ok: false;
  reason: string;
}

export function dominanceByLogLik(X: DesignMatrix, traits: readonly string[], fit: (Xs: DesignMatrix) => number | null): LogLikDominance | LogLikDominanceFailure {
  const p = traits.length;
  if (p < 1) return { ok: false, reason: 'Dominance analysis needs at least one trait.' };
  if (p > 12) return { ok: false, reason: `Dominance analysis over ${p} traits would need 2^${p} models of this kind; use at most 12.` };
  const termCols = traits.map((t) => X.terms.find((u) => u.name === t)?.columns ?? []);
  const traitCols = new Set(termCols.flat());
  const base = X.hasIntercept ? [0] : [];
  const covCols = Array.from({ length: X.p }, (_, j) => j).filter((j) => !traitCols.has(j) && !base.includes(j));
  const ll0 = fit(selectColumns(X, base));
  if (ll0 === null || !(ll0 < 0)) return { ok: false, reason: 'The model without predictors could not be fitted.' };
  const M = 1 << p;
  const r2 = new Float64Array(M);
  const failed: string[] = [];
  for (let mask = 0; mask < M; mask++) {
    const cols = [...base, ...covCols];
    termCols.forEach((tc, j) => {
      if (mask & (1 << j)) cols.push(...tc);
    });
    cols.sort((a, b) => a - b);
    const ll = fit(selectColumns(X, cols));
    if (ll === null) {
      failed.push(traits.filter((_, j) => mask & (1 << j)).join('+') || '(covariates only)');
      r2[mask] = mask === 0 ? 0 : r2[0];
    } else r2[mask] = 1 - ll / ll0;
  }
  const { general } = generalDominance(r2, p);
  const explained = r2[M - 1] - r2[0];
  const out = traits.map((term, j) => ({ term, general: general[j], share: explained > 0 ? general[j] / explained : 0, rank: 0 }));
  for (const t of out) t.rank = 1 + out.filter((u) => u.general > t.general).length;
  return { ok: true, traits: out, r2Full: r2[M - 1], r2Covariates: r2[0], models: M, failed };
}
