/**
 * The sentences of issue 17's inference (re-exported by facts.ts): which intervals and p-values the
 * model table has, the "matters most" clause with its bootstrap certainty, the validation and
 * Hosmer–Lemeshow facts, and one plain sentence per method for the report's "How the figures were
 * obtained" section.
 */
import { andList, fmtFixed, fmtInt } from './format.js';
import { RANK_FIRST_MIN_PCT } from './sections/bootstrap.js';
import type { BootstrapInfo, PredictorRow, ReportResult } from './types.js';

/** "Wald 95% CIs" / "profile-likelihood 95% CIs" / Firth's penalised profile CIs and LR p-values. */
export function ciPhrase(r: ReportResult): string {
  const ci = r.inference.ci;
  if (!ci || ci.method === 'wald') return 'Wald 95% CIs';
  if (ci.pValues === 'penalised_lr') return 'profile penalised-likelihood 95% CIs and penalised likelihood-ratio p-values (as logistf)';
  const why = ci.reasons.includes('requested')
    ? 'chosen with --ci profile'
    : andList(ci.reasons.map((x) => (x === 'low_epv' ? 'fewer than 20 events per variable' : 'an estimate beyond 3 on the log-odds scale')));
  return `profile-likelihood 95% CIs (${why})`;
}

/** The trait most often ranked first in the bootstrap, with its share, or null. */
export function bootstrapTop(r: ReportResult): { row: PredictorRow; pct: number } | null {
  const b = r.inference.bootstrap;
  if (b.status !== 'ok' || b.top === null || b.topPct === null) return null;
  const row = r.predictorRows.find((p) => p.predictor === b.top);
  return row ? { row, pct: b.topPct } : null;
}

/**
 * The "matters most" sentence of the headline: with the bootstrap, the trait most often first when it
 * is first in at least 60% of resamples, else no winner; without it, the largest weight.
 */
export function mattersMost(r: ReportResult, label: (p: PredictorRow) => string): string | null {
  const top = r.predictorRows.find((p) => p.rank === 1);
  if (!top || top.dominanceShare === null || !r.dominance) return null;
  const share = (p: PredictorRow) => `${Math.round(100 * (p.dominanceShare ?? 0))}% of the variation the traits explain together`;
  const b = bootstrapTop(r);
  if (!b) return `${capitaliseFirst(label(top))} matters most: ${share(top)} (dominance analysis).`;
  const resamples = (r.inference.bootstrap as Extract<BootstrapInfo, { status: 'ok' }>).resamples;
  if (b.pct >= RANK_FIRST_MIN_PCT)
    return `Most likely ${label(b.row)} matters most (first in ${Math.round(b.pct)}% of ${fmtInt(resamples)} resamples; ${share(b.row)}, dominance analysis).`;
  // rounded down: 59.6% must not read as the 60% it falls short of
  return `No trait clearly matters most: ${label(top)} has the largest dominance weight (${share(top)}) but no trait ranks first in ${RANK_FIRST_MIN_PCT}% of ${fmtInt(resamples)} resamples (the most often first: ${label(b.row)}, ${Math.floor(b.pct)}%).`;
}

function capitaliseFirst(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Hosmer–Lemeshow's value with its groups, or why it was not computed. */
export function hlFact(r: ReportResult): string {
  const f = r.model!.fit;
  if (f.hlStatistic === null || r.inference.hlGroups === null)
    return 'not computed: no grouping (10 down to 3 groups) expects ≥ 5 with and without the outcome in each';
  const p = f.hlP === null ? '–' : f.hlP < 0.001 ? 'p < 0.001' : `p = ${f.hlP.toFixed(3)}`;
  return `χ² = ${fmtFixed(f.hlStatistic, 2)} on ${f.hlDf} df, ${p}, ${r.inference.hlGroups} groups`;
}

/** The validation facts of "Model fit": optimism-corrected AUC and calibration, or why there are none. */
export function validationFacts(r: ReportResult): [string, string][] {
  const v = r.inference.validation;
  if (v.status === 'off') return [['Validation', 'not run (--bootstrap 0)']];
  if (v.status === 'too_large')
    return [['Validation', `not run: with ${fmtInt(v.n)} respondents and ${v.parameters} coefficients the optimism is negligible (of the order of ${v.parameters} / ${fmtInt(v.n)})`]];
  if (v.status === 'design') return [['Validation', 'not run: Harrell’s bootstrap resamples respondents, which ignores the sampling design']];
  if (v.status === 'cluster') return [['Validation', 'not run: Harrell’s bootstrap resamples respondents, which ignores their clinicians']];
  if (v.status === 'firth') return [['Validation', 'not run: Harrell’s bootstrap refits by maximum likelihood, which Firth’s method replaced here']];
  if (v.status === 'failed') return [['Validation', `not computed: ${v.reason.replace(/^./, (c) => c.toLowerCase())}`]];
  return [
    ['Corrected AUC', `${fmtFixed(v.auc.corrected, 3)} (apparent ${fmtFixed(v.auc.apparent, 3)}, optimism ${fmtFixed(v.auc.optimism, 3)}; ${fmtInt(v.resamples)} bootstrap resamples)`],
    ['Calibration', `slope ${fmtFixed(v.calibrationSlope.corrected, 2)}, intercept ${fmtFixed(v.calibrationIntercept.corrected, 2)} (optimism-corrected; ideal 1 and 0)`],
  ];
}

/** One plain sentence per method used in this report. */
export function methodSentences(r: ReportResult): string[] {
  const out: string[] = [];
  const inf = r.inference;
  const ci = inf.ci;
  if (ci && r.model) {
    if (ci.pValues === 'penalised_lr')
      out.push('Firth’s intervals and p-values come from its penalised likelihood itself (profile limits and likelihood-ratio tests, as logistf does), which stays accurate where Wald’s estimate ± 1.96 SE does not.');
    else if (ci.method === 'profile')
      out.push('Confidence intervals are profile-likelihood intervals (as R’s confint): the odds ratios the data do not reject, which stay accurate with few events per variable or large effects, where Wald’s estimate ± 1.96 SE misleads.');
    else out.push('Confidence intervals are Wald intervals (estimate ± 1.96 SE), accurate here because there are at least 20 events per variable and no large estimate.');
  }
  if (r.model) out.push('Holm’s method adjusts the traits’ p-values for testing several traits at once.');
  if (inf.fitted === 'flic') out.push('Predicted probabilities under Firth’s method use FLIC: the intercept is re-estimated so that they average to the observed rate.');
  if (inf.vif) out.push('Collinearity is the generalised VIF of each variable from the predictors themselves (unweighted, not the weighted VIF car::vif gives for a glm), once per categorical covariate, flagged when GVIF^(1/(2 df)) exceeds √5 (a VIF of 5).');
  if (r.model) out.push(`Hosmer–Lemeshow compares predicted and observed rates in groups of predicted risk: as many groups as possible, up to 10, with at least 5 expected respondents with and without ${r.outcome.label} in each.`);
  if (inf.calibrationGroups.length)
    out.push('The calibration plot (HTML page) sets the observed rate against the predicted probability in tenths of predicted risk, with a LOWESS smoother through the individual outcomes.');
  if (inf.validation.status === 'ok')
    out.push(`The corrected AUC and calibration subtract the optimism of fitting and testing on the same respondents: the model was refitted on ${fmtInt(inf.validation.resamples)} bootstrap resamples and tested on the original respondents (Harrell’s method, as rms::validate).`);
  if (r.dominance) out.push('Dominance analysis averages how much each trait adds to McFadden’s R² over every model with the other traits.');
  if (r.dominance && r.model?.fit.method === 'firth')
    out.push('The dominance weights use maximum-likelihood fits although the model table uses Firth’s: McFadden’s R² is defined on the ordinary likelihood, not the penalised one.');
  const b = inf.bootstrap;
  if (b.status === 'ok')
    out.push(`The dominance intervals and “first in” shares come from ${fmtInt(b.resamples)} bootstrap resamples of the respondents (seed ${b.seed}): the 2.5th and 97.5th percentiles of each weight, and how often each trait had the largest.`);
  if (b.status === 'design' || b.status === 'cluster')
    out.push(`No dominance bootstrap: resampling respondents would ignore ${b.status === 'design' ? 'the sampling design (weights, strata)' : 'their clinicians'}, so the weights are given without intervals.`);
  if (b.status === 'failed') out.push(`No dominance bootstrap: ${b.reason.replace(/^./, (c) => c.toLowerCase())}`);
  if (r.reliability) out.push(reliabilityMethod(r));
  return out;
}

function reliabilityMethod(r: ReportResult): string {
  return r.inference.reliability === 'pairwise'
    ? 'Cronbach’s alpha is pairwise (as psych::alpha): each pair of items on the respondents who answered both; omega and the item statistics use the respondents who answered every item.'
    : 'Reliability is listwise: on the respondents who answered every item of the scale (--reliability pairwise gives psych’s pairwise alpha).';
}

/** The dominance table's bootstrap columns: the weight's 95% CI and the share of resamples first. */
export function dominanceCi(p: PredictorRow): string {
  return p.dominanceCiLow === null || p.dominanceCiHigh === null ? '–' : `${fmtFixed(p.dominanceCiLow, 4)}–${fmtFixed(p.dominanceCiHigh, 4)}`;
}

export function rankFirst(p: PredictorRow): string {
  return p.rankFirstPct === null ? '–' : `${Math.round(p.rankFirstPct)}%`;
}

export const CALIBRATION = {
  title: 'Calibration',
  caption: (r: ReportResult) =>
    `Predicted against observed rate of ${r.outcome.label} by tenths of predicted risk (circles, area by respondents); dark line: LOWESS smoother of the outcome on the predicted probability (as rms::val.prob)${r.inference.validation.status === 'ok' ? '; blue dashes: the optimism-corrected calibration line' : ''}; grey dashed diagonal: perfect calibration.`,
  axisX: 'Predicted probability',
  axisY: 'Observed rate',
  none: 'No calibration plot: too few respondents for groups of at least the small-cell size.',
};
