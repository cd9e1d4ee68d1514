/**
 * The sampling design's part of the report (--weights, --strata, --cluster as PSU, --replicate-weights):
 * design-based estimates as survey::svyglm / svymean on svydesign(ids = ~ cluster or ~ 1, strata, weights)
 * or svrepdesign(type = "JK1"):
 * - the adjusted model and the one-trait models: weighted logistic regression, linearisation (or
 *   replicate) SEs, p-values and CIs on t with the model's residual design df (degf + 1 - p), as
 *   summary() and confint() of a svyglm; the fit statistics that are not design-based (deviance, AIC,
 *   LR test, R², AUC, Hosmer–Lemeshow) are not given;
 * - the outcome's rate and each trait's mean, and --group-by rates and means: weighted, as domains
 *   of the whole design (svyby), with t intervals on the design df (the rate's on the logit scale);
 * - dominance: the same 2^p fits with the sampling weights (R² of the weighted pseudo-likelihood);
 * - small-cell rules stay on respondent counts (unweighted), as privacy is about people.
 * Numbers and codes only; design-facts.ts words them.
 */
import { dominance, pAdjust, pTTwoSided, qT, type DesignMatrix } from '../../stats/index.js';
import { designUnits, svyLogistic, type SvyFailure, type SvyFit } from '../../stats/svyglm.js';
import { svyInterval, svyMean } from '../../stats/svy-mean.js';
import { svyLogisticReplicate, svyMeanReplicate } from '../../stats/svy-replicate.js';
import { standardise } from '../../stats/standardise.js';
import type { DesignColumns, ReportData, TraitColumn } from '../data.js';
import type { DesignResult, MethodInfo, ModelResult, PredictorRow, ReportWarning, WeightedEstimate } from '../types.js';
import type { DominanceOutcome } from './dominance.js';
import type { UnadjustedRow } from './unadjusted.js';
import { nn } from './util.js';

/** Design degrees of freedom of the whole design: PSUs minus strata, or replicates minus 1. */
export function designDf(d: DesignColumns): { df: number; psus: number; strata: number } {
  if (d.replicate) return { df: d.replicate.columns.length - 1, psus: d.replicate.columns.length, strata: 1 };
  const u = designUnits(d.weights.length, d.cluster?.codes ?? null, d.strata?.codes ?? null);
  return { df: u.units - u.strata, psus: u.units, strata: u.strata };
}

const pick = (v: Float64Array, rows: number[]) => Float64Array.from(rows, (i) => v[i]);

/**
 * The weighted mean (kind 'mean') or rate ('proportion') of `values` over the respondents of `rows`
 * (all when null) that have a value: a domain of the whole design. Null when none has one.
 */
export function weightedEstimate(d: DesignColumns, df: number, values: Float64Array, kind: 'mean' | 'proportion', rows: number[] | null = null): WeightedEstimate | null {
  const n = values.length;
  const domain = new Uint8Array(n);
  const inRows = rows ?? Array.from({ length: n }, (_, i) => i);
  const idx: number[] = [];
  for (const i of inRows)
    if (Number.isFinite(values[i])) {
      domain[i] = 1;
      idx.push(i);
    }
  if (idx.length === 0) return null;
  if (d.replicate) {
    const m = svyMeanReplicate(pick(values, idx), pick(d.weights, idx), d.replicate.columns.map((c) => pick(c, idx)));
    if (!m.ok) return null;
    const ci = svyInterval(m.mean, m.se, df, kind, m.logitSe);
    return { n: idx.length, estimate: m.mean, se: m.se, ciLow: ci?.low ?? null, ciHigh: ci?.high ?? null };
  }
  const m = svyMean(values, d.weights, d.cluster?.codes ?? null, d.strata?.codes ?? null, domain);
  if (!m.ok) return null;
  const ci = svyInterval(m.mean, m.se, df, kind);
  return { n: idx.length, estimate: m.mean, se: m.se, ciLow: ci?.low ?? null, ciHigh: ci?.high ?? null };
}

/** A weighted logistic fit of y on columns over the rows of `use` (a domain of the design). */
function designFit(d: DesignColumns, columns: Float64Array[], names: string[], y: Float64Array, use: Uint8Array): SvyFit | SvyFailure {
  if (d.replicate) {
    const idx: number[] = [];
    for (let i = 0; i < use.length; i++) if (use[i]) idx.push(i);
    const reps = d.replicate.columns.map((c) => pick(c, idx));
    return svyLogisticReplicate({ columns: columns.map((c) => pick(c, idx)), names, y: pick(y, idx), weights: pick(d.weights, idx), replicates: reps });
  }
  return svyLogistic({ columns, names, y, weights: d.weights, psu: d.cluster?.codes ?? null, strata: d.strata?.codes ?? null, domain: use });
}

/** t-based inference of one coefficient on the fit's residual design df (summary/confint of a svyglm). */
function tRow(est: number, se: number, dfResid: number) {
  const t = est / se;
  const q = dfResid > 0 ? qT(0.975, dfResid) : NaN;
  return { t, p: dfResid > 0 ? pTTwoSided(t, dfResid) : NaN, low: Math.exp(est - q * se), high: Math.exp(est + q * se) };
}

/** The design matrix's columns spread back over the data rows (zero outside the model rows). */
function spread(X: DesignMatrix, n: number): { columns: Float64Array[]; y: Float64Array; use: Uint8Array } {
  const columns = Array.from({ length: X.p - 1 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const use = new Uint8Array(n);
  for (let r = 0; r < X.n; r++) {
    const i = X.rows[r];
    use[i] = 1;
    y[i] = X.y![r];
    for (let j = 1; j < X.p; j++) columns[j - 1][i] = X.data[r * X.p + j];
  }
  return { columns, y, use };
}

/**
 * Replace the model's coefficients by the design-based fit's (same terms); the fit statistics that are
 * not design-based become null (NaN for the deviance block, which JSON shows as null). Returns the
 * failure when the weighted fit fails (the model is then left as it was, unweighted).
 */
export function applyDesignModel(d: DesignColumns, X: DesignMatrix, model: ModelResult, n: number): SvyFailure | null {
  const { columns, y, use } = spread(X, n);
  const fit = designFit(d, columns, X.names.slice(1), y, use);
  if (!fit.ok) return fit;
  const dfResid = fit.df + 1 - X.p;
  const byName = new Map(fit.coefficients.map((c) => [c.name, c]));
  for (const t of model.terms) {
    const c = byName.get(t.term);
    if (!c) continue;
    const r = tRow(c.estimate, c.se, dfResid);
    Object.assign(t, { estimate: c.estimate, stdError: c.se, z: r.t, pValue: r.p, oddsRatio: Math.exp(c.estimate), ciLow: r.low, ciHigh: r.high, lrStatistic: null, lrDf: null, lrP: null });
  }
  Object.assign(model.fit, {
    method: d.replicate ? 'svyglm-jk1' : 'svyglm',
    converged: fit.converged,
    deviance: NaN,
    nullDeviance: NaN,
    logLik: NaN,
    aic: NaN,
    ...{ lrStatistic: null, lrDf: null, lrP: null, mcfadden: null, nagelkerke: null },
    ...{ auc: null, aucCiLow: null, aucCiHigh: null, hlStatistic: null, hlDf: null, hlP: null },
  });
  return null;
}

/** The one-trait models, weighted: each trait (standardised on its respondents unless raw units) alone. */
export function designUnadjusted(d: DesignColumns, traits: TraitColumn[], y: Float64Array, rawUnits: boolean): UnadjustedRow[] {
  const n = y.length;
  return traits.map((t) => {
    const use = new Uint8Array(n);
    let k = 0;
    for (let i = 0; i < n; i++)
      if (Number.isFinite(t.values[i]) && (y[i] === 0 || y[i] === 1)) {
        use[i] = 1;
        k++;
      }
    const none = { n: k, or: null, low: null, high: null, p: null };
    if (k < 3) return none;
    const x = rawUnits ? t.values : standardise(t.values, use).z;
    const zero = (v: Float64Array) => Float64Array.from(v, (a, i) => (use[i] ? a : 0));
    const fit = designFit(d, [zero(x)], [t.name], zero(y), use);
    if (!fit.ok) return none;
    const c = fit.coefficients[1];
    const r = tRow(c.estimate, c.se, fit.df - 1);
    return { n: k, or: nn(Math.exp(c.estimate)), low: nn(r.low), high: nn(r.high), p: nn(r.p) };
  });
}

/** The predictor rows' adjusted odds ratios from the design-based model table (and Holm over the traits). */
export function designPredictorRows(rows: PredictorRow[], model: ModelResult): void {
  const terms = rows.map((r) => model.terms.find((t) => t.term === r.predictor && t.kind === 'trait'));
  const holm = pAdjust(terms.map((t) => (t && Number.isFinite(t.pValue) ? t.pValue : NaN)), 'holm');
  rows.forEach((r, j) => {
    const t = terms[j];
    Object.assign(r, { adjustedOr: nn(t?.oddsRatio), adjustedCiLow: nn(t?.ciLow), adjustedCiHigh: nn(t?.ciHigh), adjustedP: nn(t?.pValue), adjustedPHolm: nn(holm[j]) });
  });
}

/** Dominance analysis with the sampling weights (normalised to mean 1, as svyglm) on the model rows. */
export function weightedDominance(d: DesignColumns, X: DesignMatrix, traits: string[], epsilon: number): () => DominanceOutcome {
  const w = Float64Array.from(X.rows, (i) => d.weights[i]);
  const mean = w.reduce((a, b) => a + b, 0) / w.length;
  for (let r = 0; r < w.length; r++) w[r] /= mean;
  return () => dominance(X, X.y!, traits, { epsilon, termTests: false, weights: w });
}

/** The design's summary and the weighted rate and means. */
export function designSummary(d: DesignColumns, y: Float64Array, traits: TraitColumn[], flags: { modelWeighted: boolean; dominanceWeighted: boolean }): DesignResult {
  const { df, psus, strata } = designDf(d);
  let sw = 0;
  let sw2 = 0;
  for (const w of d.weights) {
    sw += w;
    sw2 += w * w;
  }
  return {
    weights: d.weightsName,
    strata: d.strata?.name ?? null,
    nStrata: d.strata ? strata : null,
    cluster: d.cluster?.name ?? null,
    nPsus: psus,
    replicate: d.replicate ? { prefix: d.replicate.prefix, type: d.replicate.type, replicates: d.replicate.columns.length } : null,
    variance: d.replicate ? 'jk1' : 'linearisation',
    n: d.weights.length,
    sumWeights: sw,
    effectiveN: (sw * sw) / sw2,
    df,
    dropped: d.dropped,
    outcome: weightedEstimate(d, df, y, 'proportion'),
    traits: traits.flatMap((t) => {
      const e = weightedEstimate(d, df, t.values, 'mean');
      return e ? [{ predictor: t.name, ...e }] : [];
    }),
    ...flags,
  };
}

/** What the design changes in the report: computed by designFigures, finished once the ranking is known. */
export interface DesignFigures {
  /** The weighted one-trait models (null: keep the unweighted ones, as under Firth). */
  unadjusted: UnadjustedRow[] | null;
  result: DesignResult;
  /** Put the design-based odds ratios into the predictor rows and note how dominance was computed. */
  finish(rows: PredictorRow[], dom: DominanceOutcome | null): void;
}

/**
 * The design-based model (unless Firth was needed: separated data have no weighted ML estimates,
 * so the Firth fit stays, unweighted, with a `design_model` warning), the weighted one-trait models
 * and the design's summary. Mutates `model` and `warnings`.
 */
export function designFigures(data: ReportData, model: ModelResult | null, adj: { X: DesignMatrix | null; method: MethodInfo }, rawUnits: boolean, warnings: ReportWarning[]): DesignFigures {
  const d = data.design!;
  let modelWeighted = false;
  const firth = adj.method.used === 'firth';
  if (model && adj.X) {
    const fail = firth ? null : applyDesignModel(d, adj.X, model, data.n);
    if (firth) warnings.push({ code: 'design_model', kind: 'firth', requested: adj.method.requested === 'firth' });
    else if (fail) warnings.push({ code: 'design_model', kind: 'failed', reason: fail.reason });
    else modelWeighted = true;
  }
  const result = designSummary(d, data.outcome.y, data.traits, { modelWeighted, dominanceWeighted: false });
  return {
    unadjusted: firth ? null : designUnadjusted(d, data.traits, data.outcome.y, rawUnits),
    result,
    finish(rows, dom) {
      if (modelWeighted) designPredictorRows(rows, model!);
      if (dom && dom.ok) {
        result.dominanceWeighted = true;
        warnings.push({ code: 'design_dominance', kind: d.replicate ? 'replicate' : 'weighted' });
      }
    },
  };
}

/** Weighted rate or mean of a --group-by group (a domain of the whole design). */
export type GroupEstimator = (rows: number[], values: Float64Array, kind: 'mean' | 'proportion') => WeightedEstimate | null;

export function designGroupStats(d: DesignColumns): GroupEstimator {
  const { df } = designDf(d);
  return (rows, values, kind) => weightedEstimate(d, df, values, kind, rows);
}
