/**
 * The adjusted model: which method (ML, or Firth's when `--method auto` meets separation or
 * non-convergence; the rule is stats/firth-decision.ts), the coefficient table and fit statistics,
 * and the model's warning codes.
 */
import { fitLogistic, type DesignMatrix, type LogisticFit, type LogisticResult } from '../../stats/index.js';
import { detectSeparation, type SeparationResult } from '../../stats/separation.js';
import { firthDecision, isSeparated } from '../../stats/firth-decision.js';
import type { Method, MethodInfo, MethodOption, ModelError, ModelResult, ReportWarning, SeparationInfo, TermRow } from '../types.js';
import type { ModelColumns } from './sample.js';
import { nn } from './util.js';

/** The full fit (diagnostics and the separation check; drop-one tests come from the dominance fits). */
function fullFit(X: DesignMatrix, y: Float64Array, method: Method): LogisticResult {
  return fitLogistic(X, y, { method, termTests: false });
}

function separationInfo(f: LogisticResult): SeparationInfo {
  const s: SeparationResult | null = f.ok ? f.separation : null;
  return { detected: isSeparated(s), kind: s && s.status !== 'none' ? s.status : null, terms: s?.terms ?? [] };
}

const NO_SEPARATION: SeparationInfo = { detected: false, kind: null, terms: [] };

export const NOT_FITTED = (requested: MethodOption): MethodInfo => ({ requested, used: null, choice: { kind: 'not_fitted' }, separation: NO_SEPARATION });

/** Fit the adjusted model by the requested method; auto switches to Firth as firthDecision says. */
export function fitAdjusted(X: DesignMatrix, y: Float64Array, requested: MethodOption): { fit: LogisticResult; method: MethodInfo } {
  if (requested === 'firth') {
    const ml = fitLogistic(X, y, { method: 'ml', termTests: false, diagnostics: false });
    return { fit: fullFit(X, y, 'firth'), method: { requested, used: 'firth', choice: { kind: 'requested_firth' }, separation: separationInfo(ml) } };
  }
  const ml = fullFit(X, y, 'ml');
  if (!ml.ok) return { fit: ml, method: NOT_FITTED(requested) };
  const separation = separationInfo(ml);
  if (requested === 'ml') return { fit: ml, method: { requested, used: 'ml', choice: { kind: 'requested_ml', converged: ml.converged, iterations: ml.iterations }, separation } };
  const d = firthDecision(ml, () => detectSeparation(X, y));
  if (d.useFirth)
    return { fit: fullFit(X, y, 'firth'), method: { requested, used: 'firth', choice: { kind: 'auto_firth', cause: d.cause!, iterations: ml.iterations }, separation } };
  return { fit: ml, method: { requested, used: 'ml', choice: { kind: 'auto_ml', iterations: ml.iterations }, separation } };
}

/** Why the model cannot be fitted before trying (no respondents, one outcome class, too few events). */
export function precheck(nModel: number, events: number, parameters: number | null): ModelError | null {
  const nonEvents = nModel - events;
  if (nModel === 0) return { code: 'no_complete' };
  if (events === 0 || nonEvents === 0) return { code: 'one_class', n: nModel, events };
  if (parameters !== null && Math.min(events, nonEvents) < parameters) return { code: 'too_few_events', smaller: Math.min(events, nonEvents), parameters };
  return null;
}

/** The coefficient table and fit statistics of a fitted model. */
export function modelResult(fit: LogisticFit, X: DesignMatrix, traitNames: Set<string>, rawUnits: boolean, cols: ModelColumns): ModelResult {
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
  const cs = fit.cStatistic?.ok ? fit.cStatistic : null;
  const hl = fit.hosmerLemeshow?.ok ? fit.hosmerLemeshow : null;
  const params = X.p - 1;
  return {
    terms,
    units: rawUnits ? 'raw' : 'sd',
    scaling: cols.scaling,
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
      auc: cs ? cs.auc : null,
      aucCiLow: cs ? cs.lower : null,
      aucCiHigh: cs ? cs.upper : null,
      hlStatistic: hl ? hl.statistic : null,
      hlDf: hl ? hl.df : null,
      hlP: hl ? hl.p : null,
    },
  };
}

/** The fitted model's warning codes, in the report's order. */
export function modelWarnings(fit: LogisticFit, model: ModelResult, method: MethodInfo, collinearity: ReportWarning[]): ReportWarning[] {
  const w: ReportWarning[] = [];
  if (!fit.converged) w.push({ code: 'fit', kind: 'not_converged', method: fit.method, iterations: fit.iterations });
  if (fit.boundary) w.push({ code: 'fit', kind: 'boundary' });
  const s = fit.separation;
  if (s && s.status !== 'none' && fit.method === 'ml') w.push({ code: 'separation', status: s.status, who: s.terms.length ? s.terms : s.columns.filter((c) => c !== '(Intercept)') });
  if (method.choice.kind === 'auto_firth') w.push({ code: 'firth', cause: method.choice.cause, separation: method.separation, iterations: method.choice.iterations });
  if (model.fit.epv < 10) w.push({ code: 'low_epv', epv: model.fit.epv });
  w.push(...collinearity); // one per variable, on its GVIF (sections/inference.ts)
  if (model.fit.hlP !== null && model.fit.hlP < 0.05) w.push({ code: 'calibration', p: model.fit.hlP });
  return w;
}

/**
 * Small-cell rule for categorical covariates: a level with fewer than minCell respondents in the model
 * gets no estimate in any output. Its coefficient row leaves the table (the intercept's too when the
 * small level is the reference); the model itself is fitted as it is. When the small level is the reference, every row of that covariate and the intercept
 * leave the table (they are contrasts with it, and its log odds). One `small_level` warning per
 * covariate concerned. Mutates `model.terms`.
 */
export function withholdSmallLevels(model: ModelResult, X: DesignMatrix, minCell: number): ReportWarning[] {
  const warnings: ReportWarning[] = [];
  const drop = new Set<string>();
  for (const t of X.terms) {
    if (t.kind !== 'categorical' || !t.levels) continue;
    const counts = t.columns.map((j) => {
      let s = 0;
      for (let i = 0; i < X.n; i++) s += X.data[i * X.p + j];
      return s;
    });
    const refN = X.n - counts.reduce((a, b) => a + b, 0);
    const small = t.columns.filter((_, k) => counts[k] < minCell).map((j) => X.names[j]);
    const reference = refN < minCell;
    if (small.length === 0 && !reference) continue;
    for (const name of small) drop.add(name);
    // A small reference level: every other level's odds ratio is against it, and the intercept is its log odds.
    if (reference) for (const name of ['(Intercept)', ...t.columns.map((j) => X.names[j])]) drop.add(name);
    const levels = [...(reference && t.reference !== undefined ? [t.reference] : []), ...small.map((name) => name.slice(t.name.length + 1))];
    warnings.push({ code: 'small_level', variable: t.name, levels, reference, minCell });
  }
  if (drop.size > 0) model.terms = model.terms.filter((r) => !drop.has(r.term));
  return warnings;
}
