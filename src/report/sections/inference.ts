/**
 * Issue 17's inference for the binary-outcome report, applied to the adjusted fit:
 *
 * - confidence intervals: under Firth, profile penalised-likelihood limits and penalised LR tests
 *   (logistf's defaults); under ML, profile-likelihood limits when the events per variable are under
 *   20 or some |log OR| exceeds 3 (stats/profile.ts chooseCiMethod), Wald otherwise; `--ci` forces;
 * - fitted probabilities: FLIC under Firth (stats/firth-profile.ts), for the AUC, Hosmer–Lemeshow and
 *   the calibration plot;
 * - Hosmer–Lemeshow with the most groups (<= 10) whose expected counts are all >= 5;
 * - the generalised VIF once per variable (Fox & Monette), on the unweighted design.
 *
 * Numbers and codes only; facts.ts and facts-inference.ts word them.
 */
import { auc, lowess, chooseCiMethod, firthInference, flic, hosmerLemeshow, hosmerLemeshowAuto, profileConfint, vif, type CoefficientRow, type DesignMatrix, type LogisticFit } from '../../stats/index.js';
import type { CalibrationGroup, CiInfo, CiOption, CiReason, GvifRow, InferenceInfo, ModelResult, ReliabilityMethod, ReportWarning } from '../types.js';

/** Per-term penalised LR tests (Firth), keyed by variable, for the model table's lr_p. */
export type TermTests = Map<string, { statistic: number; df: number; p: number }>;

export interface CiOutcome {
  fit: LogisticFit;
  info: CiInfo;
  termTests: TermTests | null;
}

const exp = Math.exp;

/** A coefficient row with new limits (log-odds scale) and, optionally, a new p-value. */
function withLimits(c: CoefficientRow, lower: number, upper: number, p?: number): CoefficientRow {
  return { ...c, lower, upper, orLower: exp(lower), orUpper: exp(upper), p: p ?? c.p };
}

/** Firth: profile penalised-likelihood limits and penalised LR tests, or null when they fail. */
function firthCi(fit: LogisticFit, X: DesignMatrix, y: Float64Array, requested: CiOption): CiOutcome | null {
  const inf = firthInference(X, y, { level: fit.level });
  if (!inf.ok) return null;
  const byName = new Map(inf.coefficients.map((c) => [c.name, c]));
  const coefficients = fit.coefficients.map((c) => {
    const f = byName.get(c.name);
    return f ? withLimits(c, f.lower.value, f.upper.value, f.test.p) : c;
  });
  const termTests: TermTests = new Map(inf.termTests.map((t) => [t.name, { statistic: t.statistic, df: t.df, p: t.p }]));
  const reasons: CiReason[] = [requested === 'profile' ? 'requested' : 'firth'];
  return { fit: { ...fit, coefficients }, info: { requested, method: 'profile', reasons, pValues: 'penalised_lr', converged: inf.converged }, termTests };
}

/** ML: profile-likelihood limits of every coefficient (Wald p-values stay, as summary.glm). */
function mlProfileCi(fit: LogisticFit, X: DesignMatrix, y: Float64Array, requested: CiOption, reasons: CiReason[]): CiOutcome {
  const se = fit.coefficients.map((c) => c.se);
  const beta = fit.coefficients.map((c) => c.estimate);
  const limits = profileConfint(X, y, { beta, deviance: fit.deviance, se }, { level: fit.level });
  const coefficients = fit.coefficients.map((c, j) => withLimits(c, limits[j].lower.value, limits[j].upper.value));
  const converged = limits.every((l) => l.lower.converged && l.upper.converged);
  return { fit: { ...fit, coefficients }, info: { requested, method: 'profile', reasons, pValues: 'wald', converged }, termTests: null };
}

/** The model's intervals and p-values as `--ci` and the fit's method say (see the module comment). */
export function chooseIntervals(fit: LogisticFit, X: DesignMatrix, y: Float64Array, requested: CiOption): CiOutcome {
  const wald: CiOutcome = { fit, info: { requested, method: 'wald', reasons: [], pValues: 'wald', converged: true }, termTests: null };
  if (requested === 'wald') return wald;
  if (fit.method === 'firth') return firthCi(fit, X, y, requested) ?? wald;
  if (requested === 'profile') return mlProfileCi(fit, X, y, requested, ['requested']);
  const choice = chooseCiMethod({ n: fit.n, nEvents: fit.nEvents, coefficients: fit.coefficients });
  if (choice.method === 'wald' || !fit.converged) return wald;
  return mlProfileCi(fit, X, y, requested, choice.reasons.map((r) => (r === 'low-epv' ? 'low_epv' : 'large_estimate')));
}

/** Under Firth, the penalised LR test of each variable goes in the model table's lr_p. */
export function addPenalisedTermTests(model: ModelResult, tests: TermTests | null): void {
  if (!tests) return;
  for (const t of model.terms) {
    const tt = t.kind === 'intercept' ? undefined : tests.get(t.variable);
    if (!tt) continue;
    t.lrStatistic = tt.statistic;
    t.lrDf = tt.df;
    t.lrP = tt.p;
  }
}

/** GVIF^(1/(2 df)) above sqrt(5) is the same overlap as a VIF above 5 for a one-column term. */
export const GVIF_ADJUSTED_LIMIT = Math.sqrt(5);

export interface FitChecks {
  fitted: 'ml' | 'flic';
  vif: GvifRow[] | null;
  hlGroups: number | null;
  calibrationGroups: CalibrationGroup[];
  calibrationCurve: { predicted: number; observed: number }[];
  warnings: ReportWarning[];
}

/** The calibration smoother: R's lowess(p, y, iter = 0) (as rms::val.prob), thinned to 101 points. */
function calibrationCurve(y: Float64Array, fitted: Float64Array): { predicted: number; observed: number }[] {
  const s = lowess(fitted, y, { iter: 0 });
  const n = s.x.length;
  const k = Math.min(n, 101);
  return Array.from({ length: k }, (_, i) => {
    const j = k === 1 ? 0 : Math.round((i * (n - 1)) / (k - 1));
    return { predicted: s.x[j], observed: s.y[j] };
  });
}

/** Decile groups of the fitted probabilities (fewer when a group would have under minCell respondents). */
function calibrationGroups(y: Float64Array, fitted: Float64Array, minCell: number): CalibrationGroup[] {
  const g = Math.min(10, Math.floor(y.length / Math.max(1, minCell)));
  if (g < 2) return [];
  const hl = hosmerLemeshow(y, fitted, g);
  if (!hl.ok) return [];
  return hl.table.filter((t) => t.size >= minCell).map((t) => ({ n: t.size, predicted: t.expected / t.size, observed: t.observed / t.size }));
}

/**
 * Fitted probabilities (FLIC under Firth), the AUC and Hosmer–Lemeshow from them, the GVIF of every
 * variable and the collinearity warning on it. Updates `model.fit` (auc, hl) and `model.terms` (vif:
 * the variable's GVIF on each of its rows).
 */
export function fitChecks(fit: LogisticFit, X: DesignMatrix, y: Float64Array, model: ModelResult, minCell: number, probabilities = true): FitChecks {
  const warnings: ReportWarning[] = [];
  const collinearity = gvifRows(fit, X, model, warnings);
  // a design-based or clustered model: its fit statistics are its own (sections/design.ts, cluster-model.ts)
  if (!probabilities) return { fitted: 'ml', vif: collinearity, hlGroups: null, calibrationGroups: [], calibrationCurve: [], warnings };
  const useFlic = fit.method === 'firth' && X.hasIntercept;
  const fitted = useFlic ? flic(X, y, fit.coefficients.map((c) => c.estimate)).fitted : fit.fitted;
  const f = model.fit;
  const a = auc(fitted, y, fit.level);
  [f.auc, f.aucCiLow, f.aucCiHigh] = a.ok ? [a.auc, a.lower, a.upper] : [null, null, null];
  const hl = hosmerLemeshowAuto(y, fitted);
  const r = hl.result;
  [f.hlStatistic, f.hlDf, f.hlP] = r.ok ? [r.statistic, r.df, r.p] : [null, null, null];
  const groups = calibrationGroups(y, fitted, minCell);
  const curve = groups.length ? calibrationCurve(y, fitted) : [];
  return { fitted: useFlic ? 'flic' : 'ml', vif: collinearity, hlGroups: r.ok ? r.groups : null, calibrationGroups: groups, calibrationCurve: curve, warnings };
}

/** The GVIF of every variable on its model.csv rows, and one collinearity warning per variable over the limit. */
function gvifRows(fit: LogisticFit, X: DesignMatrix, model: ModelResult, warnings: ReportWarning[]): GvifRow[] | null {
  const v = fit.vif ?? vif(X);
  const rows: GvifRow[] | null = v.ok ? v.terms.map((t) => ({ term: t.term, df: t.df, gvif: t.gvif, gvifAdjusted: t.gvifAdjusted })) : null;
  const byVar = new Map((rows ?? []).map((t) => [t.term, t]));
  for (const t of model.terms) t.vif = t.kind === 'intercept' ? null : (byVar.get(t.variable)?.gvif ?? null);
  for (const t of rows ?? []) if (t.gvifAdjusted > GVIF_ADJUSTED_LIMIT) warnings.push({ code: 'vif', term: t.term, vif: t.gvif, df: t.df, gvifAdjusted: t.gvifAdjusted });
  return rows;
}

/** No issue 17 inference (an ordinal or count outcome: its model family has its own Wald intervals). */
export function noInference(reliability: ReliabilityMethod): InferenceInfo {
  return { ci: null, fitted: 'ml', vif: null, hlGroups: null, calibrationGroups: [], calibrationCurve: [], validation: { status: 'off' }, bootstrap: { status: 'off' }, dominanceFits: 'ml', reliability };
}
