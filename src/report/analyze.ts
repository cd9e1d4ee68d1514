/**
 * The report's analysis: typed-array columns in, one plain result object out. All statistics come
 * from the statistics core (src/stats); this module decides what to compute on which respondents,
 * chooses the method, and applies the reporting rules (standardisation, Holm, small-cell suppression,
 * warnings). Pure: no I/O.
 */
import {
  buildDesign,
  compareGroups,
  describe,
  dominance as dominanceAnalysis,
  fitLogistic,
  pAdjust,
  reliability as reliabilityOf,
  type DesignMatrix,
  type LogisticFit,
  type LogisticResult,
  pNormalTwoSided,
  qNormal,
} from '../stats/index.js';
import { irlsLogit } from '../stats/irls.js';
import { VERSION } from '../version.js';
import type { ReportData } from './data.js';
import { meanCi, wilson } from './intervals.js';
import type {
  BoxSummary,
  Count,
  DescriptiveRow,
  GroupRow,
  GroupsResult,
  Method,
  MethodInfo,
  MethodOption,
  ModelResult,
  PredictorRow,
  ReliabilityRow,
  ReportResult,
  TermRow,
  Warning,
} from './types.js';

export type DominanceOutcome = ReturnType<typeof dominanceAnalysis>;

/**
 * Starts the dominance analysis of the fitted design and returns a getter for its result. The default
 * runs it inline when the getter is called; the CLI passes one that runs it in a worker thread while
 * the rest of the analysis proceeds (same function, same data, same result).
 */
export type DominanceRunner = (X: DesignMatrix, y: Float64Array, traits: string[], epsilon: number) => () => DominanceOutcome;

/**
 * Convergence tolerance of the 2^p fits of the dominance analysis: each warm-started Newton fit stops
 * when its Newton decrement (the deviance still to gain) is below 1e-8 relative, and reports the
 * deviance at the optimum to third order (see src/stats/newton.ts); the weights agree with glm fits
 * to about 1e-10 relative.
 */
export const DOMINANCE_EPSILON = 1e-8;

export interface UnadjustedRow {
  n: number;
  or: number | null;
  low: number | null;
  high: number | null;
  p: number | null;
}

/**
 * Where the two long, independent computations run: the dominance analysis (2^p fits) and the
 * one-trait models. Each call starts the work and returns a getter for its result. `inlineOffload`
 * computes when the getter is called; parallel.ts offers one that uses a worker thread.
 */
export interface Offload {
  dominance: DominanceRunner;
  unadjusted: (traits: Float64Array[], y: Float64Array, rawUnits: boolean, method: Method) => () => UnadjustedRow[];
}

/** Options of every dominance run of the report: the drop-one LR tests come from the same fits. */
export const dominanceOptions = (epsilon: number) => ({ epsilon, termTests: true });

export const inlineDominance: DominanceRunner = (X, y, traits, epsilon) => () => dominanceAnalysis(X, y, traits, dominanceOptions(epsilon));

export const inlineOffload: Offload = {
  dominance: inlineDominance,
  unadjusted: (traits, y, rawUnits, method) => () => unadjustedModels(traits, y, rawUnits, method),
};

/**
 * One logistic model per trait on the respondents with that trait and the outcome, the trait
 * standardised on them (or in raw units). Same method as the adjusted model.
 */
export function unadjustedModels(traits: Float64Array[], y: Float64Array, rawUnits: boolean, method: Method): UnadjustedRow[] {
  const n = y.length;
  return traits.map((values) => {
    const u = new Uint8Array(n);
    let k = 0;
    for (let i = 0; i < n; i++)
      if (values[i] === values[i] && (y[i] === 0 || y[i] === 1)) {
        u[i] = 1;
        k++;
      }
    if (k < 3) return { n: k, or: null, low: null, high: null, p: null };
    if (method === 'ml') {
      const fast = collapsedModel(values, y, u, k, rawUnits);
      if (fast) return fast;
    }
    let x: Float64Array;
    if (rawUnits) {
      x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = u[i] ? values[i] : NaN;
    } else x = standardise(values, u).z;
    const yu = new Float64Array(n);
    for (let i = 0; i < n; i++) yu[i] = u[i] ? y[i] : NaN;
    const Xu = buildDesign({ numeric: { x }, outcome: yu });
    const f = fitWith(Xu, Xu.y!, method, false);
    if (!f.ok) return { n: k, or: null, low: null, high: null, p: null };
    const c = f.coefficients[1];
    return { n: k, or: c.oddsRatio, low: c.orLower, high: c.orUpper, p: c.p };
  });
}

/** Above this many distinct (score, outcome) pairs the one-trait model is fitted on the rows themselves. */
const COLLAPSE_MAX = 20_000;

/**
 * The one-trait ML model on the distinct (score, outcome) pairs weighted by their counts: a survey
 * scale score takes few distinct values, and glm on the rows and glm on the weighted pairs run the
 * same iterations to the same estimates (each sum over rows is a sum over pairs times counts; every
 * respondent starts at glm's mustart either way). Null when the data are unusual (one distinct score,
 * one outcome class, too many distinct scores, no convergence): the caller then fits the rows.
 */
function collapsedModel(values: Float64Array, y: Float64Array, u: Uint8Array, k: number, rawUnits: boolean): UnadjustedRow | null {
  const slot = new Map<number, number>();
  const score: number[] = [];
  const c1: number[] = [];
  const c0: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!u[i]) continue;
    const v = values[i];
    let s = slot.get(v);
    if (s === undefined) {
      s = score.length;
      if (s >= COLLAPSE_MAX) return null;
      slot.set(v, s);
      score.push(v);
      c1.push(0);
      c0.push(0);
    }
    if (y[i] === 1) c1[s]++;
    else c0[s]++;
  }
  let events = 0;
  for (const c of c1) events += c;
  if (score.length < 2 || events === 0 || events === k) return null;
  let mean = 0;
  let sd = 1;
  if (!rawUnits) ({ mean, sd } = scaleOf(values, u));
  const rows: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  score.forEach((v, s) => {
    const x = rawUnits ? v : (v - mean) / sd;
    if (c1[s] > 0) rows.push(1, x), ys.push(1), ws.push(c1[s]);
    if (c0[s] > 0) rows.push(1, x), ys.push(0), ws.push(c0[s]);
  });
  const data = Float64Array.from(rows);
  const r = irlsLogit({ data, n: ys.length, stride: 2, cols: Int32Array.of(0, 1) }, Float64Array.from(ys), { weights: Float64Array.from(ws) });
  if (!r.converged || !r.covariance || r.singularColumn >= 0) return null;
  const est = r.beta[1];
  const se = Math.sqrt(r.covariance[3]);
  if (!(se > 0) || !Number.isFinite(est)) return null;
  const z = qNormal(1 - (1 - 0.95) / 2); // as fitLogistic's default level
  return { n: k, or: Math.exp(est), low: Math.exp(est - z * se), high: Math.exp(est + z * se), p: pNormalTwoSided(est / se) };
}

export interface AnalyzeOptions {
  method?: MethodOption;
  rawUnits?: boolean;
  /** Smallest group shown with --group-by (default 11). */
  minCell?: number;
  /** Where dominance and the one-trait models run (default: inline). */
  offload?: Offload;
  /** Called after each phase with its wall time in ms (benchmarks, --debug). */
  onPhase?: (phase: string, ms: number) => void;
}

export const DEFAULT_MIN_CELL = 11;

function nn(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

function groupMean(values: Float64Array, y: Float64Array, which: 0 | 1): number | null {
  let k = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++)
    if (y[i] === which && values[i] === values[i]) {
      k++;
      s += values[i];
    }
  return k ? s / k : null;
}

/** Five-number summary and mean of the values with y === which (for the distribution plot). */
export function boxOf(values: Float64Array, y: Float64Array, which: 0 | 1): BoxSummary | null {
  // Survey scores take few distinct values: count them (O(n)); fall back to sorting when they are many.
  const counts = new Map<number, number>();
  let k = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (y[i] === which && v === v) {
      k++;
      sum += v;
      if (counts.size <= 4096) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  if (k === 0) return null;
  let at: (idx: number) => number;
  if (counts.size <= 4096) {
    const keys = Float64Array.from(counts.keys()).sort();
    const cum = new Float64Array(keys.length);
    let c = 0;
    keys.forEach((key, j) => {
      c += counts.get(key)!;
      cum[j] = c;
    });
    at = (idx) => {
      let lo = 0;
      let hi = keys.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > idx) hi = mid;
        else lo = mid + 1;
      }
      return keys[lo];
    };
  } else {
    const s = new Float64Array(k);
    let j = 0;
    for (let i = 0; i < values.length; i++) if (y[i] === which && values[i] === values[i]) s[j++] = values[i];
    s.sort();
    at = (idx) => s[idx];
  }
  // R's quantile type 7 on the (virtually) sorted values
  const q = (p: number) => {
    const h = (k - 1) * p;
    const lo = Math.floor(h);
    const a = at(lo);
    return lo + 1 < k ? a + (h - lo) * (at(lo + 1) - a) : a;
  };
  return { min: at(0), q1: q(0.25), median: q(0.5), q3: q(0.75), max: at(k - 1), mean: sum / k };
}

/** Mean and sample SD of x on the rows where `use` is set. */
function scaleOf(x: Float64Array, use: Uint8Array): { mean: number; sd: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++)
    if (use[i]) {
      n++;
      s += x[i];
    }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (use[i]) ss += (x[i] - mean) * (x[i] - mean);
  return { mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** Standardise x on the rows where `use` is set: (x - mean) / sd; returns the new column and the scaling. */
function standardise(x: Float64Array, use: Uint8Array): { z: Float64Array; mean: number; sd: number } {
  const { mean, sd } = scaleOf(x, use);
  const z = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) z[i] = use[i] ? (x[i] - mean) / sd : NaN;
  return { z, mean, sd };
}

function fitWith(X: DesignMatrix, y: Float64Array, method: Method, full: boolean): LogisticResult {
  // Drop-one likelihood-ratio tests are not reported (Wald tests are), so they are not computed.
  return fitLogistic(X, y, full ? { method, termTests: false } : { method, termTests: false, diagnostics: false, separationCheck: false });
}

/** Fit the adjusted model by the requested method; auto switches to Firth on separation or non-convergence. */
function fitModel(X: DesignMatrix, y: Float64Array, requested: MethodOption): { fit: LogisticResult; method: MethodInfo } {
  const sepInfo = (f: LogisticResult) => {
    const s = f.ok ? f.separation : null;
    return { detected: !!s && (s.status === 'complete' || s.status === 'quasi-complete'), kind: s && s.status !== 'none' ? s.status : null, terms: s?.terms ?? [] };
  };
  if (requested === 'firth') {
    const ml = fitLogistic(X, y, { method: 'ml', termTests: false, diagnostics: false });
    const fit = fitWith(X, y, 'firth', true);
    return { fit, method: { requested, used: 'firth', reason: 'Firth’s bias-reduced logistic regression (chosen with --method firth); Wald confidence intervals.', separation: sepInfo(ml) } };
  }
  const ml = fitWith(X, y, 'ml', true);
  if (!ml.ok) return { fit: ml, method: { requested, used: null, reason: 'No model was fitted.', separation: { detected: false, kind: null, terms: [] } } };
  const sep = sepInfo(ml);
  if (requested === 'ml') {
    let reason = `Maximum-likelihood logistic regression (chosen with --method ml), ${ml.converged ? `converged in ${ml.iterations} iterations` : `did NOT converge in ${ml.iterations} iterations`}.`;
    if (sep.detected) reason += ` The data show ${sep.kind} separation${sep.terms.length ? ` (${sep.terms.join(', ')})` : ''}, so some estimates are not finite; --method firth or auto would give finite estimates.`;
    return { fit: ml, method: { requested, used: 'ml', reason, separation: sep } };
  }
  if (sep.detected || !ml.converged) {
    const why = sep.detected
      ? `the data show ${sep.kind} separation${sep.terms.length ? ` (by ${sep.terms.join(', ')})` : ''}, so maximum-likelihood estimates do not exist`
      : `maximum likelihood did not converge in ${ml.iterations} iterations`;
    const fit = fitWith(X, y, 'firth', true);
    return { fit, method: { requested, used: 'firth', reason: `Firth’s bias-reduced logistic regression, because ${why}; Wald confidence intervals.`, separation: sep } };
  }
  return {
    fit: ml,
    method: { requested, used: 'ml', reason: `Maximum-likelihood logistic regression (no separation; converged in ${ml.iterations} iterations).`, separation: sep },
  };
}

export function analyze(data: ReportData, options: AnalyzeOptions = {}): ReportResult {
  let tPhase = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    options.onPhase?.(name, now - tPhase);
    tPhase = now;
  };
  const method = options.method ?? 'auto';
  const offload = options.offload ?? inlineOffload;
  const rawUnits = options.rawUnits ?? false;
  const minCell = options.minCell ?? DEFAULT_MIN_CELL;
  const n = data.n;
  const y = data.outcome.y;
  const warnings: Warning[] = [...data.warnings];
  const traits = data.traits;

  // Outcome counts.
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === 1) nPos++;
    else if (y[i] === 0) nNeg++;
  }
  const prevalence = nPos + nNeg > 0 ? nPos / (nPos + nNeg) : null;

  // The model sample: outcome, every trait and every covariate present. Drops attributed in order.
  const use = new Uint8Array(n);
  const dropCounts = new Map<string, number>();
  const dropReason = (k: string) => dropCounts.set(k, (dropCounts.get(k) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    if (!(y[i] === 0 || y[i] === 1)) {
      dropReason('missing the outcome');
      continue;
    }
    let ok = true;
    for (const t of traits)
      if (t.values[i] !== t.values[i]) {
        dropReason(`missing ${t.name}`);
        ok = false;
        break;
      }
    if (!ok) continue;
    for (const c of data.covariates) {
      const miss = c.kind === 'numeric' ? c.values[i] !== c.values[i] : c.values[i] === null;
      if (miss) {
        dropReason(`missing ${c.name}`);
        ok = false;
        break;
      }
    }
    if (ok) use[i] = 1;
  }
  let nModel = 0;
  for (let i = 0; i < n; i++) nModel += use[i];
  const dropped: Count[] = [...dropCounts.entries()].map(([reason, k]) => ({ reason, n: k }));

  // Trait columns for the model: standardised on the model respondents unless --raw-units.
  const scaling: { predictor: string; mean: number; sd: number }[] = [];
  // Keyed by user-given column names: null-prototype objects, so `__proto__` is an ordinary key.
  const numeric: Record<string, Float64Array> = Object.create(null);
  for (const t of traits) {
    if (rawUnits || nModel < 2) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = use[i] ? t.values[i] : NaN;
      numeric[t.name] = x;
      const st = nModel >= 2 ? standardise(t.values, use) : null;
      scaling.push({ predictor: t.name, mean: st?.mean ?? NaN, sd: st?.sd ?? NaN });
    } else {
      const st = standardise(t.values, use);
      numeric[t.name] = st.z;
      scaling.push({ predictor: t.name, mean: st.mean, sd: st.sd });
    }
  }
  const categorical: Record<string, (string | null)[]> = Object.create(null);
  const levels: Record<string, string[]> = Object.create(null);
  for (const c of data.covariates) {
    if (c.kind === 'numeric') {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = use[i] ? c.values[i] : NaN;
      numeric[c.name] = x;
    } else {
      categorical[c.name] = c.values.map((v, i) => (use[i] ? v : null));
      levels[c.name] = c.levels;
    }
  }
  const order = [...traits.map((t) => t.name), ...data.covariates.map((c) => c.name)];
  const yModel = new Float64Array(n);
  for (let i = 0; i < n; i++) yModel[i] = use[i] ? y[i] : NaN;

  let modelError: string | null = null;
  let model: ModelResult | null = null;
  let methodInfo: MethodInfo = { requested: method, used: null, reason: 'No model was fitted.', separation: { detected: false, kind: null, terms: [] } };
  let fit: LogisticFit | null = null;
  let X: DesignMatrix | null = null;

  let domGetter: (() => DominanceOutcome) | null = null;
  let events = 0;
  for (let i = 0; i < n; i++) if (use[i] && y[i] === 1) events++;
  const nonEvents = nModel - events;
  if (nModel === 0) modelError = 'no respondent has the outcome and every predictor and covariate.';
  else if (events === 0 || nonEvents === 0)
    modelError = `all ${nModel} respondents in the model have the same outcome (${events === 0 ? `no ${data.outcome.label}` : `all ${data.outcome.label}`}); a logistic model needs both outcomes.`;
  else {
    X = buildDesign({ numeric, categorical, order, levels, outcome: yModel });
    const params = X.p - 1;
    phase('design');
    if (Math.min(events, nonEvents) < params)
      modelError = `the smaller outcome group has only ${Math.min(events, nonEvents)} respondents for ${params} coefficients (more predictors than events); collect more data or use fewer predictors.`;
    else {
      // Dominance needs only the design: start it now (in a worker when the runner provides one).
      if (traits.length >= 1) domGetter = offload.dominance(X, X.y!, traits.map((t) => t.name), DOMINANCE_EPSILON);
      const r = fitModel(X, X.y!, method);
      methodInfo = r.method;
      if (!r.fit.ok) modelError = r.fit.reason.replace(/^./, (c) => c.toLowerCase());
      else fit = r.fit;
    }
  }

  phase('model');
  // Unadjusted models: one trait at a time (in the worker when there is one; collected below).
  const usedMethod: Method = methodInfo.used ?? (method === 'firth' ? 'firth' : 'ml');
  const unadjustedGetter = offload.unadjusted(
    traits.map((t) => t.values),
    y,
    rawUnits,
    usedMethod,
  );

  // Reliability.
  let reliability: ReliabilityRow[] | null = null;
  const descByScale = new Map<string, ReturnType<typeof describe>>();
  for (const t of traits) descByScale.set(t.name, describe(t.values, { floor: t.lo ?? undefined, ceiling: t.hi ?? undefined }));
  if (data.scaleItems) {
    reliability = data.scaleItems.map((s) => {
      const rel = reliabilityOf(
        s.items.map((i) => i.values),
        { itemNames: s.items.map((i) => i.id) },
      );
      const flags: string[] = [];
      const d = descByScale.get(s.scale);
      const missingPct = s.items.map((it) => {
        let m = 0;
        for (let i = 0; i < it.values.length; i++) if (it.values[i] !== it.values[i]) m++;
        return it.values.length ? (100 * m) / it.values.length : 0;
      });
      if (!rel.ok) {
        return {
          scale: s.scale,
          label: s.label,
          nItems: s.items.length,
          n: rel.nComplete,
          alpha: null,
          alphaCiLow: null,
          alphaCiHigh: null,
          stdAlpha: null,
          omegaTotal: null,
          averageR: null,
          flags,
          items: s.items.map((it, j) => ({ item: it.id, rDrop: null, alphaIfDeleted: null, mean: null, sd: null, missingPct: missingPct[j] })),
          note: rel.reason,
        };
      }
      for (const f of rel.flags) {
        const code = f.code === 'alpha-low' ? 'low_alpha' : f.code === 'alpha-high' ? 'high_alpha' : 'negative_item';
        if (!flags.includes(code)) flags.push(code);
        warnings.push({ code, message: `${s.label}: ${f.message}` });
      }
      if (d && d.ok)
        for (const f of d.flags) {
          flags.push(f.code);
          warnings.push({ code: f.code, message: `${s.label}: ${f.message}` });
        }
      return {
        scale: s.scale,
        label: s.label,
        nItems: rel.k,
        n: rel.nComplete,
        alpha: rel.alpha,
        alphaCiLow: rel.alphaLower,
        alphaCiHigh: rel.alphaUpper,
        stdAlpha: rel.standardizedAlpha,
        omegaTotal: rel.omegaTotal,
        averageR: rel.averageR,
        flags,
        items: rel.items.map((it, j) => ({ item: it.name, rDrop: nn(it.rDrop), alphaIfDeleted: nn(it.alphaIfDeleted), mean: nn(it.mean), sd: nn(it.sd), missingPct: missingPct[j] })),
        note: null,
      };
    });
  }

  phase('reliability');
  // Descriptives and the comparison by outcome group.
  const descriptives: DescriptiveRow[] = traits.map((t) => {
    const d = descByScale.get(t.name)!;
    const c = compareGroups(t.values, y);
    let nP = 0;
    let nN = 0;
    for (let i = 0; i < n; i++)
      if (t.values[i] === t.values[i]) {
        if (y[i] === 1) nP++;
        else if (y[i] === 0) nN++;
      }
    return {
      scale: t.name,
      label: t.label,
      n: d.n,
      mean: d.ok ? d.mean : null,
      sd: d.ok ? d.sd : null,
      median: d.ok ? d.median : null,
      q1: d.ok ? d.q1 : null,
      q3: d.ok ? d.q3 : null,
      min: d.ok ? d.min : null,
      max: d.ok ? d.max : null,
      pctFloor: d.ok ? d.pctFloor : null,
      pctCeiling: d.ok ? d.pctCeiling : null,
      pctMissing: d.pctMissing,
      nPositive: nP,
      meanPositive: c.ok ? c.positive.mean : groupMean(t.values, y, 1),
      sdPositive: c.ok ? c.positive.sd : null,
      nNegative: nN,
      meanNegative: c.ok ? c.negative.mean : groupMean(t.values, y, 0),
      sdNegative: c.ok ? c.negative.sd : null,
      meanDifference: c.ok ? c.meanDifference : null,
      cohensD: c.ok ? c.cohensD.d : null,
      cohensDCiLow: c.ok ? c.cohensD.lower : null,
      cohensDCiHigh: c.ok ? c.cohensD.upper : null,
      welchT: c.ok ? c.welch.t : null,
      welchDf: c.ok ? c.welch.df : null,
      welchP: c.ok ? c.welch.p : null,
      auc: c.ok ? c.auc : null,
      boxPositive: boxOf(t.values, y, 1),
      boxNegative: boxOf(t.values, y, 0),
    };
  });

  phase('descriptives');
  const traitNames = new Set(traits.map((t) => t.name));
  if (fit && X) {
    const vifByCol = new Map(fit.vif && fit.vif.ok ? fit.vif.columns.map((c) => [c.name, c.vif]) : []);
    const terms: TermRow[] = fit.coefficients.map((c) => ({
      term: c.name,
      variable: c.term,
      kind: c.name === '(Intercept)' ? 'intercept' : traitNames.has(c.term) ? 'trait' : c.name === c.term ? 'numeric' : 'level',
      estimate: c.estimate,
      stdError: c.se,
      z: c.z,
      pValue: c.p,
      oddsRatio: c.oddsRatio,
      ciLow: c.orLower,
      ciHigh: c.orUpper,
      vif: c.name === '(Intercept)' ? null : nn(vifByCol.get(c.name)),
      lrStatistic: null,
      lrDf: null,
      lrP: null,
    }));
    const cs = fit.cStatistic;
    const hl = fit.hosmerLemeshow;
    const params = X.p - 1;
    model = {
      terms,
      units: rawUnits ? 'raw' : 'sd',
      scaling,
      fit: {
        n: fit.n,
        events: fit.nEvents,
        nonEvents: fit.n - fit.nEvents,
        parameters: params,
        epv: Math.min(fit.nEvents, fit.n - fit.nEvents) / params,
        method: fit.method,
        converged: fit.converged,
        iterations: fit.iterations,
        deviance: fit.deviance,
        nullDeviance: fit.nullDeviance,
        logLik: fit.logLik,
        aic: fit.aic,
        lrStatistic: fit.lrTest ? fit.lrTest.statistic : null,
        lrDf: fit.lrTest ? fit.lrTest.df : null,
        lrP: fit.lrTest ? fit.lrTest.p : null,
        mcfadden: nn(fit.r2McFadden),
        nagelkerke: nn(fit.r2Nagelkerke),
        auc: cs && cs.ok ? cs.auc : null,
        aucCiLow: cs && cs.ok ? cs.lower : null,
        aucCiHigh: cs && cs.ok ? cs.upper : null,
        hlStatistic: hl && hl.ok ? hl.statistic : null,
        hlDf: hl && hl.ok ? hl.df : null,
        hlP: hl && hl.ok ? hl.p : null,
      },
    };
    for (const w of fit.warnings) warnings.push({ code: w.toLowerCase().includes('separat') ? 'separation' : 'fit', message: w });
    if (methodInfo.used === 'firth' && methodInfo.requested === 'auto') warnings.push({ code: 'firth', message: `Switched to Firth’s method: ${methodInfo.reason.replace(/^Firth’s bias-reduced logistic regression, because /, '').replace(/; Wald confidence intervals\.$/, '.')}` });
    if (model.fit.epv < 10)
      warnings.push({
        code: 'low_epv',
        message: `Only ${model.fit.epv.toFixed(1)} events per variable (below 10): the estimates may be unstable and optimistic; consider fewer predictors or more respondents.`,
      });
    for (const t of terms)
      if (t.vif !== null && t.vif > 5)
        warnings.push({ code: 'vif', message: `${t.term} has a variance inflation factor of ${t.vif.toFixed(1)} (above 5): it overlaps strongly with the other predictors, so its adjusted odds ratio is imprecise.` });
    if (hl && hl.ok && hl.p < 0.05)
      warnings.push({ code: 'calibration', message: `Hosmer–Lemeshow p = ${hl.p < 0.001 ? '< 0.001' : hl.p.toFixed(3)}: predicted and observed rates differ in some risk groups.` });
  } else if (modelError) {
    warnings.push({ code: 'model_not_fitted', message: `The model could not be fitted: ${modelError}` });
  }

  // The one-trait models first (inline, they run while the worker does the dominance analysis).
  const unadjusted = unadjustedGetter();
  phase('unadjusted');
  // Dominance analysis (started above).
  let dom: DominanceOutcome | null = null;
  if (fit && X && domGetter) {
    dom = domGetter();
    phase('dominance (wait)');
  }
  // Drop-one LR tests (ML fits only): from the dominance analysis, which fits the reduced models anyway.
  if (dom && dom.ok && dom.termTests && model && fit && fit.method === 'ml') {
    const byTerm = new Map(dom.termTests.map((t) => [t.term, t]));
    for (const t of model.terms) {
      const tt = t.kind === 'intercept' ? undefined : byTerm.get(t.variable);
      if (!tt) continue;
      t.lrStatistic = nn(tt.statistic);
      t.lrDf = tt.df;
      t.lrP = nn(tt.p);
    }
  }
  if (dom) {
    if (dom.ok) for (const w of dom.warnings) warnings.push({ code: 'dominance', message: `Dominance analysis: ${w}` });
    else warnings.push({ code: 'dominance', message: `No dominance analysis: ${dom.reason}` });
  }

  const adjustedP = traits.map((t) => fit?.coefficients.find((c) => c.name === t.name)?.p ?? NaN);
  const holm = pAdjust(adjustedP, 'holm');
  const predictorRows: PredictorRow[] = traits.map((t, j) => {
    const c = fit?.coefficients.find((x) => x.name === t.name);
    const dt = dom && dom.ok ? dom.traits.find((x) => x.term === t.name) : undefined;
    const desc = descriptives[j];
    return {
      predictor: t.name,
      label: t.label,
      rank: dt ? dt.rank : null,
      unadjustedN: unadjusted[j].n,
      unadjustedOr: nn(unadjusted[j].or),
      unadjustedCiLow: nn(unadjusted[j].low),
      unadjustedCiHigh: nn(unadjusted[j].high),
      unadjustedP: nn(unadjusted[j].p),
      adjustedOr: c ? nn(c.oddsRatio) : null,
      adjustedCiLow: c ? nn(c.orLower) : null,
      adjustedCiHigh: c ? nn(c.orUpper) : null,
      adjustedP: c ? nn(c.p) : null,
      adjustedPHolm: nn(holm[j]),
      dominance: dt ? dt.general : null,
      dominanceShare: dt ? dt.share : null,
      auc: desc.auc,
    };
  });

  phase('ranking');
  // Groups with small-cell suppression.
  let groups: GroupsResult | null = null;
  if (data.group) {
    const g = data.group;
    const L = g.levels.length;
    const members: number[][] = Array.from({ length: L }, () => []);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      if (g.codes[i] >= 0) members[g.codes[i]].push(i);
      else missing++;
    }
    const labels = [...g.levels];
    if (missing > 0) {
      labels.push('(missing)');
      const miss: number[] = [];
      for (let i = 0; i < n; i++) if (g.codes[i] < 0) miss.push(i);
      members.push(miss);
    }
    // A group whose statistics are not shown: n as `<minCell` (too small) or `>=minCell` (withheld).
    const withheld = (label: string, nLabel: string): GroupRow => ({
      group: label,
      n: null,
      nLabel,
      suppressed: true,
      nOutcome: null,
      events: null,
      rate: null,
      rateCiLow: null,
      rateCiHigh: null,
      traits: traits.map((t) => ({ predictor: t.name, n: null, mean: null, ciLow: null, ciHigh: null })),
    });
    let small = 0;
    const rows: GroupRow[] = labels.map((label, k) => {
      const idx = members[k];
      if (idx.length < minCell) {
        small++;
        return withheld(label, `<${minCell}`);
      }
      let no = 0;
      let ev = 0;
      for (const i of idx)
        if (y[i] === 0 || y[i] === 1) {
          no++;
          ev += y[i];
        }
      const w = wilson(ev, no);
      return {
        group: label,
        n: idx.length,
        nLabel: String(idx.length),
        suppressed: false,
        nOutcome: no,
        events: ev,
        rate: no > 0 ? ev / no : null,
        rateCiLow: w ? w.low : null,
        rateCiHigh: w ? w.high : null,
        traits: traits.map((t) => {
          const m = meanCi(Float64Array.from(idx, (i) => t.values[i]));
          return { predictor: t.name, n: m.n, mean: m.mean, ciLow: m.low, ciHigh: m.high };
        }),
      };
    });
    // Complementary suppression: with exactly one small group, the total minus the groups shown would
    // give its size (and its events), so the smallest shown group is withheld too.
    let extra = 0;
    if (small === 1) {
      let k = -1;
      rows.forEach((row, j) => {
        if (!row.suppressed && (k < 0 || (row.n ?? 0) < (rows[k].n ?? 0))) k = j;
      });
      if (k >= 0) {
        rows[k] = withheld(rows[k].group, `>=${minCell}`);
        extra = 1;
      }
    }
    groups = { by: g.name, minCell, rows, suppressedGroups: small + extra };
    if (small > 0)
      warnings.push({
        code: 'small_cells',
        message:
          `${small} ${g.name} group${small === 1 ? ' has' : 's have'} fewer than ${minCell} respondents; ${small === 1 ? 'its' : 'their'} statistics are suppressed` +
          (extra ? `, and so are those of the smallest other group (${rows.find((r) => r.nLabel === `>=${minCell}`)!.group}), so that the small group cannot be worked out from the total.` : '.'),
      });
  }

  if (prevalence !== null && (prevalence < 0.05 || prevalence > 0.95) && !modelError)
    warnings.push({ code: 'rare_outcome', message: `The outcome is ${prevalence < 0.05 ? 'rare' : 'very common'} (${(100 * prevalence).toFixed(1)}%): odds ratios then differ from risk ratios, and estimates need many respondents.` });

  return {
    tool: { name: 'rapport', version: VERSION },
    input: data.input,
    options: {
      outcome: data.outcome.variable,
      predictors: traits.map((t) => t.name),
      covariates: data.covariates.map((c) => c.name),
      groupBy: data.group?.name ?? null,
      minCell,
      method,
      rawUnits,
    },
    counts: data.counts,
    outcome: {
      variable: data.outcome.variable,
      positive: data.outcome.positive,
      negative: data.outcome.negative,
      label: data.outcome.label,
      nPositive: nPos,
      nNegative: nNeg,
      nMissing: n - nPos - nNeg,
      prevalence,
      rule: data.outcome.rule,
    },
    predictors: traits.map((t) => ({ name: t.name, label: t.label, lo: t.lo, hi: t.hi })),
    covariates: data.covariates.map((c) => ({ name: c.name, kind: c.kind, levels: c.kind === 'categorical' ? c.levels : null })),
    sample: { n: nModel, dropped },
    method: methodInfo,
    reliability,
    reliabilityNote: data.scaleItems ? null : 'Not computed: the input is an already scored file (no --instrument), so the item answers are not available.',
    descriptives,
    model,
    predictorRows,
    dominance: dom && dom.ok ? { r2Full: dom.r2Full, r2Covariates: dom.r2Covariates, models: dom.models } : null,
    groups,
    warnings,
    modelError,
  };
}
