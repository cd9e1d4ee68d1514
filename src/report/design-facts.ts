/**
 * The sentences of the sampling design (--weights, --strata, --replicate-weights) and of --pool-small:
 * re-exported by facts.ts, which calls them where a figure is weighted, so that the report says
 * "weighted" wherever it is. Plain text (the HTML renderer escapes it).
 */
import { andList, fmtFixed, fmtInt, fmtPct, fmtRateCi } from './format.js';
import type { ReportResult, ReportWarning } from './types.js';

type DesignWarning = Extract<ReportWarning, { code: 'weights_dropped' | 'design_dominance' | 'design_model' | 'pooled_groups' | 'pool_too_small' }>;

/** The sentence of a design or pooling warning. */
export function designWarningText(w: DesignWarning): string {
  switch (w.code) {
    case 'weights_dropped': {
      const n = w.missing + w.zero;
      const why = andList([...(w.missing ? [`${fmtInt(w.missing)} missing`] : []), ...(w.zero ? [`${fmtInt(w.zero)} zero`] : [])]);
      return `${fmtInt(n)} respondent${n === 1 ? ' has' : 's have'} no positive weight in "${w.column}" (${why}) and ${n === 1 ? 'was' : 'were'} left out of the whole report: a design-based analysis covers the weighted sample only.`;
    }
    case 'design_dominance':
      return `Dominance weights come from the same models fitted with the sampling weights (McFadden R² of the weighted pseudo-likelihood): they describe the weighted population, but have no design-based standard errors${w.kind === 'replicate' ? ' (the replicate weights are not used for them)' : ''}.`;
    case 'design_model':
      if (w.kind === 'firth' && w.requested)
        return 'Firth’s method (--method firth) has no design-based version: the model table shows Firth’s unweighted fit, whose standard errors ignore the sampling design; leave out --method firth for the weighted model.';
      return w.kind === 'firth'
        ? 'The data show separation, so no weighted (design-based) model exists: the model table shows Firth’s unweighted fit, whose standard errors ignore the sampling design.'
        : `The weighted (design-based) model could not be fitted (${w.reason.replace(/\.$/, '')}); the model table is unweighted and its standard errors ignore the sampling design.`;
    case 'pooled_groups':
      return `${w.groups} ${w.by} groups with fewer than ${w.minCell} respondents each are shown together as one group, "other" (--pool-small).`;
    case 'pool_too_small':
      return `--pool-small: the ${w.by} groups with fewer than ${w.minCell} respondents number fewer than ${w.minCell} together (or there is only one), so they are suppressed instead of being pooled into "other".`;
  }
}

const isDesignModel = (r: ReportResult) => r.design !== null && r.design.modelWeighted;

/** "Weighted (design-based) logistic regression ..." when the model is design-based; else null. */
export function designModelIntro(r: ReportResult, style: 'text' | 'html'): string | null {
  if (!isDesignModel(r)) return null;
  const d = r.design!;
  const f = r.model!.fit;
  const label = r.outcome.label;
  const cov = r.covariates.length ? ` and ${andList(r.covariates.map((c) => c.name))}` : '';
  const se = d.replicate ? `JK1 replicate-weight standard errors (${d.replicate.replicates} replicates)` : 'linearisation (Taylor series) standard errors';
  return `Weighted (design-based) logistic regression of ${label} on every trait${cov}, as survey::svyglm: ${fmtInt(f.n)} respondents, ${fmtInt(f.events)} with ${label}; ${se}. ${style === 'text' ? 'Weighted odds ratios with ' : ''}95% CIs and p-values on t with ${fmtInt(d.df + 1 - (f.parameters + 1))} design degrees of freedom; Holm-adjusted p over the ${r.predictors.length} traits.`;
}

/** The Method fact of a design-based model, or null. */
export function designMethodReason(r: ReportResult): string | null {
  if (!isDesignModel(r)) return null;
  const d = r.design!;
  const se = d.replicate ? 'JK1 replicate-weight standard errors' : 'linearisation (Taylor series) standard errors';
  const sep = r.method.separation.detected ? `the data show ${r.method.separation.kind} separation, so some estimates are not finite` : 'the unweighted fit showed no separation';
  return `Weighted (design-based) logistic regression, as survey::svyglm, with ${se}; ${sep}.`;
}

/** The headline's note that its estimates are weighted ('' without a design-based model). */
export function designHeadlineNote(r: ReportResult): string {
  return isDesignModel(r) ? ` Odds ratios are weighted (design-based, --weights ${r.design!.weights}).` : '';
}

/** The facts of "What was analysed" about the design (none without one). */
export function designFacts(r: ReportResult): [string, string][] {
  const d = r.design;
  if (!d) return [];
  const parts = [`weighted by ${d.weights}`];
  if (d.replicate) parts.push(`${d.replicate.replicates} JK1 replicate weights (${d.replicate.prefix}1–${d.replicate.prefix}${d.replicate.replicates})`);
  else {
    if (d.strata) parts.push(`${d.nStrata} strata (${d.strata})`);
    parts.push(d.cluster ? `${fmtInt(d.nPsus)} primary sampling units (${d.cluster})` : 'each respondent a sampling unit');
  }
  parts.push(`${fmtInt(d.df)} design degrees of freedom`);
  const facts: [string, string][] = [
    ['Design', `${parts.join('; ')}. Sum of weights ${fmtFixed(d.sumWeights, 1)}; effective sample size (Kish) ${fmtFixed(d.effectiveN, 1)} of ${fmtInt(d.n)}.`],
  ];
  const est: string[] = [];
  if (d.outcome) est.push(`${r.outcome.label} ${fmtRateCi(d.outcome.estimate, d.outcome.ciLow, d.outcome.ciHigh)}`);
  for (const t of d.traits) est.push(`${t.predictor} mean ${fmtFixed(t.estimate, 2)} (95% CI ${fmtFixed(t.ciLow, 2)}–${fmtFixed(t.ciHigh, 2)})`);
  if (est.length) facts.push(['Weighted', `${est.join('; ')}.`]);
  return facts;
}

/** The outcome fact's weighted rate ('' without a design). */
export function weightedRateNote(r: ReportResult): string {
  const o = r.design?.outcome;
  return o ? `; weighted rate ${fmtPct(100 * o.estimate)}` : '';
}

/** The fit facts of a design-based model (replacing ML's), or null. */
export function designFitFacts(r: ReportResult): [string, string][] | null {
  if (!isDesignModel(r)) return null;
  const f = r.model!.fit;
  return [
    ['Respondents', `${fmtInt(f.n)} (${fmtInt(f.events)} with ${r.outcome.label}, ${fmtInt(f.nonEvents)} without), unweighted counts`],
    ['Events per variable', fmtFixed(f.epv, 1)],
    ['Fit statistics', 'none for a design-based fit: the deviance, AIC, likelihood-ratio test, R², AUC and Hosmer–Lemeshow test assume independent, equally weighted respondents'],
  ];
}

/** The groups table's rate heading and intro under a design. */
export function weightedGroupsIntro(r: ReportResult): string | null {
  if (!r.design || !r.groups) return null;
  const g = r.groups;
  return `Weighted rate of ${r.outcome.label} with its design-based 95% CI (logit), and weighted trait means (each group a domain of the whole design). Which groups are shown depends on respondent counts: groups with fewer than ${g.minCell} respondents are suppressed (n shown as <${g.minCell}), and while the suppressed groups together number fewer than ${g.minCell}, the next smallest is withheld too (n shown as >=${g.minCell}). A rate or mean with fewer than ${g.minCell} respondents answering is withheld (–).`;
}

/** "Rate" or "Weighted rate" (table headings). */
export const rateHeading = (r: ReportResult) => (r.design ? 'Weighted rate' : 'Rate');

/** The note under the (unweighted) trait means by outcome group under a design. */
export function unweightedNote(r: ReportResult): string {
  return r.design ? ' These are unweighted sample figures; the weighted means are under What was analysed.' : '';
}
