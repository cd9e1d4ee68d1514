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
 * precision. 2e8 is 400 resamples of 500,000 respondents.
 */
const VALIDATION_MAX_WORK = 2e8;

/** Bootstrap the dominance weights and put the CIs and rank-first shares in the predictor rows. */
export function dominanceBootstrap(X: DesignMatrix, y: Float64Array, traits: string[], rows: PredictorRow[], resamples: number, seed: number): BootstrapInfo {
  if (resamples <= 0) return { status: 'off' };
  const b = bootstrapDominance(X, y, traits, { resamples, seed });
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
export function modelValidation(X: DesignMatrix, y: Float64Array, resamples: number, seed: number): ValidationInfo {
  if (resamples <= 0) return { status: 'off' };
  if (X.n * resamples > VALIDATION_MAX_WORK) return { status: 'too_large', n: X.n, parameters: X.p - 1 };
  const v = validateLogistic(X, y, { resamples, seed });
  if (!v.ok) return { status: 'failed', reason: v.reason };
  const idx = (i: { apparent: number; optimism: number; corrected: number }) => ({ apparent: i.apparent, optimism: i.optimism, corrected: i.corrected });
  return { status: 'ok', resamples, failed: v.failed, seed, auc: idx(v.auc), calibrationIntercept: idx(v.calibrationIntercept), calibrationSlope: idx(v.calibrationSlope) };
}
