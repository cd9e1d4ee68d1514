/**
 * The adjusted model of an ordinal or count outcome (issue 17), in place of the logistic model: the
 * fit (ordinal.ts, count.ts), its table with drop-one likelihood-ratio tests and Holm-adjusted p over
 * the traits, the fit statistics from the log-likelihood (McFadden and Nagelkerke R², LR test against
 * the model without predictors), the one-trait models and the dominance analysis in the same family
 * (McFadden R² from the model's log-likelihood), and the family's warnings.
 */
import { buildDesign, pAdjust, pChiSq, selectColumns, type DesignMatrix } from '../../stats/index.js';
import { dominanceByLogLik } from '../../stats/dominance-loglik.js';
import { standardise } from '../../stats/standardise.js';
import { modelVif } from '../../stats/vif.js';
import type { ReportData } from '../data.js';
import type { DescriptiveRow, DominanceInfo, FamilyResult, MethodInfo, ModelError, ModelResult, PredictorRow, ReportWarning } from '../types.js';
import { countEngine, overdispersionWarning, THETA_TERM } from './count.js';
import type { FamilyEngine, FamilyFit } from './family-engine.js';
import { withholdSmallLevels } from './model.js';
import { ordinalEngine, poTests } from './ordinal.js';
import { modelColumns, modelSample, type ModelSample } from './sample.js';
import type { UnadjustedRow } from './unadjusted.js';
import { adjustedRows } from './dominance.js';
import { nn } from './util.js';

export interface FamilyOutcome {
  sample: ModelSample;
  method: MethodInfo;
  model: ModelResult | null;
  error: ModelError | null;
  warnings: ReportWarning[];
  dominance: DominanceInfo | null;
  rows: PredictorRow[];
  family: FamilyResult;
}

/** An ordinal outcome recoded to the categories that occur (0..K'-1), with their labels. */
function compact(y: Float64Array, levels: string[]): { y: Float64Array; levels: string[] } {
  const seen = new Set<number>();
  for (const v of y) if (!Number.isNaN(v)) seen.add(v);
  const kept = [...seen].sort((a, b) => a - b);
  const pos = new Map(kept.map((v, k) => [v, k] as const));
  return { y: Float64Array.from(y, (v) => (Number.isNaN(v) ? NaN : pos.get(v)!)), levels: kept.map((k) => levels[k]) };
}

/** The engine and outcome of a design's rows (ordinal: only the categories that occur). */
function engineFor(data: ReportData, y: Float64Array): { engine: FamilyEngine; y: Float64Array; levels: string[] | null } {
  const fam = data.outcome.family!;
  const traits = new Set(data.traits.map((t) => t.name));
  if (fam.type === 'count') return { engine: countEngine(traits), y, levels: null };
  const c = compact(y, fam.levels!);
  return { engine: ordinalEngine(c.levels, traits), y: c.y, levels: c.levels };
}

/** The outcome's distribution among the model respondents. */
function familySummary(data: ReportData, sample: ModelSample): FamilyResult {
  const fam = data.outcome.family!;
  const vals: number[] = [];
  for (let i = 0; i < data.n; i++) if (sample.use[i]) vals.push(fam.values[i]);
  const base = { type: fam.type, rule: fam.rule, poTests: null, theta: null };
  if (fam.type === 'ordinal') {
    const counts = fam.levels!.map(() => 0);
    for (const v of vals) counts[v]++;
    return { ...base, categories: fam.levels!.map((label, k) => ({ label, n: counts[k] })), lowest: fam.levels![0], count: null };
  }
  const n = vals.length;
  const mean = vals.reduce((a, b) => a + b, 0) / Math.max(n, 1);
  const variance = n > 1 ? vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : NaN;
  const sorted = [...vals].sort((a, b) => a - b);
  const median = n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { ...base, categories: null, lowest: '0', count: { n, mean, variance, zeros: vals.filter((v) => v === 0).length, median } };
}

/** Why the model cannot be fitted before trying. */
function familyPrecheck(data: ReportData, s: FamilyResult, n: number): ModelError | null {
  if (n === 0) return { code: 'no_complete' };
  if (s.type === 'ordinal') {
    const observed = s.categories!.filter((c) => c.n > 0).length;
    return observed < 3 ? { code: 'too_few_categories', observed, total: s.categories!.length } : null;
  }
  return s.count!.variance > 0 ? null : { code: 'constant_outcome', n };
}

export function familyModel(data: ReportData, rawUnits: boolean, minCell: number, descriptives: DescriptiveRow[]): FamilyOutcome {
  const fam = data.outcome.family!;
  const sample = modelSample(data);
  const family = familySummary(data, sample);
  const method: MethodInfo = { requested: 'auto', used: null, choice: { kind: 'not_fitted' }, separation: { detected: false, kind: null, terms: [] } };
  const out: FamilyOutcome = { sample, method, model: null, error: familyPrecheck(data, family, sample.n), warnings: [], dominance: null, rows: [], family };
  const unadjusted = familyUnadjusted(data, rawUnits);
  out.rows = adjustedRows(data.traits, () => undefined, null, unadjusted, descriptives);
  if (out.error) return out;
  const cols = modelColumns(data, sample, rawUnits);
  const yAll = Float64Array.from(fam.values, (v, i) => (sample.use[i] ? v : NaN));
  const X = buildDesign({ numeric: cols.numeric, categorical: cols.categorical, order: cols.order, levels: cols.levels, outcome: yAll });
  const { engine, y } = engineFor(data, X.y!);
  const f = engine.fit(X, y);
  if (!f.ok) {
    out.error = { code: 'fit_failed', reason: f.reason };
    return out;
  }
  out.method = { ...method, used: engine.method, choice: { kind: engine.method, converged: f.converged, iterations: f.iterations } };
  const ll0 = engine.logLik(selectColumns(X, X.hasIntercept ? [0] : []), y);
  out.model = familyModelResult(f, X, ll0, engine, y, rawUnits, cols.scaling);
  out.warnings.push(...familyWarnings(f, out.model, engine, X, y, family));
  out.warnings.push(...withholdSmallLevels(out.model, X, minCell));
  const traitNames = data.traits.map((t) => t.name);
  const dom = dominanceByLogLik(X, traitNames, (Xs) => engine.logLik(Xs, y));
  if (dom.ok) {
    out.dominance = { r2Full: dom.r2Full, r2Covariates: dom.r2Covariates, models: dom.models };
    if (dom.failed.length) out.warnings.push({ code: 'dominance', kind: 'not_converged', count: dom.failed.length, models: dom.models });
  } else out.warnings.push({ code: 'dominance', kind: 'failed', reason: dom.reason });
  const byName = new Map(out.model.terms.map((t) => [t.term, t]));
  out.rows = adjustedRows(
    data.traits,
    (name) => {
      const t = byName.get(name);
      return t && t.kind === 'trait' ? { ratio: t.oddsRatio, low: t.ciLow, high: t.ciHigh, p: t.pValue } : undefined;
    },
    dom.ok ? dom.traits : null,
    unadjusted,
    descriptives,
  );
  return out;
}

/** The coefficient table (with drop-one LR tests) and the fit statistics from the log-likelihood. */
function familyModelResult(f: FamilyFit, X: DesignMatrix, ll0: number | null, engine: FamilyEngine, y: Float64Array, rawUnits: boolean, scaling: ModelResult['scaling']): ModelResult {
  for (const term of X.terms) {
    if (term.kind === 'intercept' || term.columns.length === 0) continue;
    const keep = Array.from({ length: X.p }, (_, j) => j).filter((j) => !term.columns.includes(j));
    const llr = engine.logLik(selectColumns(X, keep), y);
    if (llr === null) continue;
    const stat = Math.max(0, 2 * (f.logLik - llr));
    for (const t of f.terms)
      if (t.variable === term.name && (t.kind === 'trait' || t.kind === 'numeric' || t.kind === 'level')) {
        t.lrStatistic = stat;
        t.lrDf = term.columns.length;
        t.lrP = pChiSq(stat, term.columns.length, false);
      }
  }
  const vif = f.coefCovariance ? modelVif(X, f.coefCovariance) : null;
  if (vif && vif.ok) for (const c of vif.columns) for (const t of f.terms) if (t.term === c.name && t.kind !== 'threshold') t.vif = nn(c.vif);
  let events = 0;
  for (const v of y) if (v > 0) events++;
  const n = f.n;
  const params = X.p - (X.hasIntercept ? 1 : 0);
  const lr = ll0 === null ? null : Math.max(0, 2 * (f.logLik - ll0));
  const coxSnell = ll0 === null ? null : 1 - Math.exp((2 * (ll0 - f.logLik)) / n);
  const maxCs = ll0 === null ? null : 1 - Math.exp((2 * ll0) / n);
  return {
    terms: f.terms,
    units: rawUnits ? 'raw' : 'sd',
    scaling,
    fit: {
      n,
      events,
      nonEvents: n - events,
      parameters: params,
      epv: Math.min(events, n - events) / Math.max(params, 1),
      method: engine.method,
      converged: f.converged,
      iterations: f.iterations,
      deviance: -2 * f.logLik,
      nullDeviance: ll0 === null ? NaN : -2 * ll0,
      logLik: f.logLik,
      aic: -2 * f.logLik + 2 * f.npar,
      lrStatistic: lr,
      lrDf: lr === null ? null : params,
      lrP: lr === null ? null : pChiSq(lr, params, false),
      mcfadden: ll0 === null ? null : nn(1 - f.logLik / ll0),
      nagelkerke: coxSnell === null || maxCs === null ? null : nn(coxSnell / maxCs),
      auc: null,
      aucCiLow: null,
      aucCiHigh: null,
      hlStatistic: null,
      hlDf: null,
      hlP: null,
    },
  };
}

/** Non-convergence, VIF, the proportional-odds tests (ordinal) or theta and overdispersion (count). */
function familyWarnings(f: FamilyFit, model: ModelResult, engine: FamilyEngine, X: DesignMatrix, y: Float64Array, family: FamilyResult): ReportWarning[] {
  const w: ReportWarning[] = [];
  if (!f.converged) w.push({ code: 'family_not_converged', method: engine.method, iterations: f.iterations });
  for (const t of model.terms) if (t.vif !== null && t.vif > 5) w.push({ code: 'vif', term: t.term, vif: t.vif });
  if (engine.method === 'polr') {
    const fit = (engine as ReturnType<typeof ordinalEngine>).last!;
    const po = poTests(X, y, fit);
    family.poTests = po.rows;
    w.push(...po.warnings);
  } else {
    const th = model.terms.find((t) => t.term === THETA_TERM)!;
    family.theta = { estimate: th.estimate, se: th.stdError };
    w.push(...overdispersionWarning(y, th.estimate, f.poissonLimit === true));
  }
  return w;
}

/** One model per trait in the same family, on the respondents with that trait and the outcome. */
function familyUnadjusted(data: ReportData, rawUnits: boolean): UnadjustedRow[] {
  const fam = data.outcome.family!;
  const n = data.n;
  return data.traits.map((t) => {
    const u = new Uint8Array(n);
    let k = 0;
    for (let i = 0; i < n; i++)
      if (t.values[i] === t.values[i] && !Number.isNaN(fam.values[i])) {
        u[i] = 1;
        k++;
      }
    const none = { n: k, or: null, low: null, high: null, p: null };
    if (k < 3) return none;
    const x = rawUnits ? Float64Array.from(t.values, (v, i) => (u[i] ? v : NaN)) : standardise(t.values, u).z;
    const X = buildDesign({ numeric: { [t.name]: x }, outcome: Float64Array.from(fam.values, (v, i) => (u[i] ? v : NaN)) });
    const { engine, y, levels } = engineFor(data, X.y!);
    if (levels && levels.length < 3) return none;
    const f = engine.fit(X, y);
    if (!f.ok) return none;
    const row = f.terms.find((r) => r.kind === 'trait')!;
    return { n: k, or: nn(row.oddsRatio), low: nn(row.ciLow), high: nn(row.ciHigh), p: nn(row.pValue) };
  });
}
