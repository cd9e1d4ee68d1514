/**
 * The report's two bootstrap analyses (issue 17), both seeded so that the same input and `--seed`
 * give the same files: the dominance bootstrap (stats/bootstrap-dominance.ts: percentile CIs of the
 * weights and how often each trait ranks first) and Harrell's optimism-corrected AUC and calibration
 * (stats/validate.ts). `--bootstrap 0` turns both off.
 */
import { bootstrapDominance, validateLogistic, type DesignMatrix } from '../../stats/index.js';
import type { BootstrapInfo, PredictorRow, ValidationInfo } from '../types.js';

/** Default resamples and seed of `--bootstrap` and `--seed`. */
export const DEFAULT_BOOTSTRAP = 500;
export const DEFAULT_SEED = 20240517;

/** A trait is named "most likely" first only when it ranks first in at least this share of resamples. */
export const RANK_FIRST_MIN_PCT = 60;

/**
 * Rows x resamples above which Harrell's validation is not run: each resample refits the model on
 * all rows, and at that size the optimism (of order parameters / n) is far below the AUC's own
 * precision. 2e7 is 200 resamples of 100,000 respondents.
 */
const VALIDATION_MAX_WORK = 2e7;

/** Harrell's validation uses at most this many of the resamples (his usual 200; rms's default is 40). */
const VALIDATION_MAX_RESAMPLES = 200;

/**
 * Convergence of each resample's 2^p fits (relative Newton decrement). Each fit starts at the same
 * model's full-data estimates and reports its deviance at the optimum to third order (newton.ts), so
 * stopping at 1e-4 instead of dominance's 1e-8 saves a pass per model (1.75x faster) while moving
 * the bootstrap CI limits by at most 2e-7 (the survey fixture: 855 respondents, 6 traits, age and
 * sex, 500 resamples; the CIs are about 0.03 wide).
 */
const BOOTSTRAP_EPSILON = 1e-4;

/** Bootstrap the dominance weights and put the CIs and rank-first shares in the predictor rows. */
export function dominanceBootstrap(X: DesignMatrix, y: Float64Array, traits: string[], rows: PredictorRow[], resamples: number, seed: number): BootstrapInfo {
  if (resamples <= 0) return { status: 'off' };
  const b = bootstrapDominance(X, y, traits, { resamples, seed, epsilon: BOOTSTRAP_EPSILON });
  if (!b.ok) return { status: 'failed', reason: b.reason };
  let top: string | null = null;
  let topPct: number | null = null;
  for (const t of b.traits) {
    const row = rows.find((r) => r.predictor === t.term);
    if (row) [row.dominanceCiLow, row.dominanceCiHigh, row.rankFirstPct] = [t.ciLow, t.ciHigh, t.rankFirstPct];
    if (topPct === null || t.rankFirstPct > topPct) [top, topPct] = [t.term, t.rankFirstPct];
  }
  return { status: 'ok', resamples, seed, failed: b.failed, fitting: b.method, top, topPct };
}

/** Harrell's bootstrap validation of the adjusted model (ML refits, as rms::validate). */
export function modelValidation(X: DesignMatrix, y: Float64Array, bootstrap: number, seed: number): ValidationInfo {
  if (bootstrap <= 0) return { status: 'off' };
  const resamples = Math.min(bootstrap, VALIDATION_MAX_RESAMPLES);
  if (X.n * resamples > VALIDATION_MAX_WORK) return { status: 'too_large', n: X.n, parameters: X.p - 1 };
  const v = validateLogistic(X, y, { resamples, seed });
  if (!v.ok) return { status: 'failed', reason: v.reason };
  const idx = (i: { apparent: number; optimism: number; corrected: number }) => ({ apparent: i.apparent, optimism: i.optimism, corrected: i.corrected });
  return { status: 'ok', resamples, failed: v.failed, seed, auc: idx(v.auc), calibrationIntercept: idx(v.calibrationIntercept), calibrationSlope: idx(v.calibrationSlope) };
}
