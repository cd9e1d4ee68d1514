/**
 * Every sentence of the clinician level (`--cluster`): its warnings, the method, the "Clinicians"
 * section's statements and captions. Re-exported by facts.ts; renderers only lay these out.
 */
import { OUTCOME_MEASURE, type ClusterMeasure, type ClusterRating, type ClusterRow, type ClusterWarning, type ClusteringResult, type WithinBetweenRow } from './cluster-types.js';
import { andList, fmtFixed, fmtInt, fmtOr, fmtOrCi, fmtPEq, fmtPct } from './format.js';
import type { ReportResult } from './types.js';

/** The rating as written in clusters.csv and the report. */
export const RATING_TEXT: Record<ClusterRating, string> = { better: 'better', same: 'about the same', worse: 'worse', 'too-few': 'too few to rate' };


const plural = (n: number, one: string, many = one + 's') => `${fmtInt(n)} ${n === 1 ? one : many}`;

export function clusterWarningText(w: ClusterWarning, outcomeLabel: string): string {
  switch (w.code) {
    case 'cluster_fit':
      return w.kind === 'boundary'
        ? `The random-intercept variance between clinicians was estimated as 0 (a boundary fit): the clinicians' ${outcomeLabel} rates differ no more than chance would make them, and the model equals the ordinary logistic fit.`
        : 'The random-intercept model did not converge; its estimates are not reliable.';
    case 'cluster_fallback':
      if (w.cause === 'requested_firth')
        return 'Firth’s method was asked for (--method firth), so no random-intercept model was fitted: the adjusted model is the Firth fit with cluster-robust standard errors (CR1) by clinician.';
      if (w.cause === 'separation')
        return `The data are separated (some respondents are classified perfectly), so no random-intercept model was fitted: the adjusted model is the ${w.firth ? 'Firth' : 'maximum-likelihood'} fit with cluster-robust standard errors (CR1) by clinician.`;
      return `The random-intercept model could not be fitted (${w.reason ?? 'unknown reason'}); the adjusted model is the ordinary fit with cluster-robust standard errors (CR1) by clinician.`;
    case 'cluster_dominance':
      return 'The dominance ranking comes from ordinary logistic models (McFadden R²): a random-intercept model has no R² that adds up over traits the same way, so the ranking does not account for the clinicians; the odds ratios and p-values do.';
    case 'cluster_design':
      return 'With --weights, the clinicians (--cluster) are the sampling units of the design: the standard errors allow for them, but no random-intercept model, clinician comparison or clinician reliability is computed on weighted data. Run the report without --weights for those.';
    case 'cluster_within_between':
      return w.firth
        ? 'No within/between split: the adjusted model is a Firth fit (separated data, or --method firth), and the split model is not fitted that way.'
        : 'No within/between split: the split model could not be fitted (a trait may not vary between or within clinicians).';
    case 'small_clusters':
      return (
        `${plural(w.small, 'clinician')} (${w.by}) ${w.small === 1 ? 'has' : 'have'} fewer than ${w.minCell} respondents: ${w.small === 1 ? 'it is' : 'they are'} rated "too few to rate" and not shown` +
        (w.alsoWithheld > 0 ? `, and the statistics of the ${w.alsoWithheld === 1 ? 'smallest other clinician are' : `${fmtInt(w.alsoWithheld)} smallest other clinicians are`} withheld so that the small ones cannot be worked out from the total.` : '.')
      );
  }
}

/** "glmm", "ml-cluster-robust" or "firth-cluster-robust": model.csv's method column. */
export function clusterMethodCode(c: ClusteringResult): string {
  return c.method;
}

/** The sentence introducing the adjusted model's table under clustering. */
export function clusteredModelIntro(r: ReportResult, style: 'text' | 'html'): string {
  const c = r.clustering!;
  const f = r.model!.fit;
  const label = r.outcome.label;
  const cov = r.covariates.length ? ` and ${andList(r.covariates.map((x) => x.name))}` : '';
  const who = `${fmtInt(f.n)} respondents of ${fmtInt(c.clusters)} clinicians, ${fmtInt(f.events)} with ${label}`;
  const ors = style === 'text' ? 'Odds ratios with ' : '';
  if (c.method === 'glmm') {
    const how = c.randomIntercept && c.randomIntercept.nAGQ > 1 ? `adaptive Gauss–Hermite quadrature, ${c.randomIntercept.nAGQ} points` : 'Laplace approximation';
    return `Random-intercept logistic regression of ${label} on every trait${cov}, with a random intercept per clinician (${c.variable}; maximum likelihood, ${how}): ${who}. The odds ratios compare patients of the same clinician (conditional). ${ors}Wald 95% CIs; Holm-adjusted p over the ${r.predictors.length} traits.`;
  }
  const fit = c.method === 'firth-cluster-robust' ? 'Firth’s bias-reduced' : 'Maximum-likelihood';
  return `${fit} logistic regression of ${label} on every trait${cov}: ${who}. ${ors}Wald 95% CIs from cluster-robust standard errors (CR1, by ${c.variable}); Holm-adjusted p over the ${r.predictors.length} traits.`;
}

/** How much the clinicians differ, in words: latent ICC and median odds ratio. */
export function clinicianSpread(r: ReportResult): string[] {
  const c = r.clustering!;
  const s = c.clusterSize;
  const out = [`${fmtInt(c.clusters)} clinicians (${c.variable}) with ${fmtInt(s.min)} to ${fmtInt(s.max)} respondents in the model (median ${fmtFixed(s.median, s.median % 1 ? 1 : 0)}).`];
  const ri = c.randomIntercept;
  if (!ri) {
    out.push(`How much the clinicians differ in ${r.outcome.label} was not estimated (no random-intercept model; see Warnings).`);
    return out;
  }
  const words = ri.icc < 0.02 ? 'hardly' : ri.icc < 0.1 ? 'somewhat' : ri.icc < 0.25 ? 'clearly' : 'strongly';
  const ci = (lo: number | null, hi: number | null, f: (x: number) => string) => (lo === null ? '' : ` (95% CI ${f(lo)}–${hi === null ? '∞' : f(hi)})`);
  out.push(
    `Clinicians differ ${words} in ${r.outcome.label}: ${fmtPct(100 * ri.icc)}${ci(ri.iccCiLow, ri.iccCiHigh, (x) => fmtPct(100 * x))} of the variation in the propensity for ${r.outcome.label} (latent scale) lies between clinicians, after the traits and covariates.`,
    `Median odds ratio ${fmtOr(ri.medianOddsRatio)}${ci(ri.morCiLow, ri.morCiHigh, fmtOr)}: for two patients alike in traits and covariates seen by two clinicians picked at random, the odds of ${r.outcome.label} are typically ${fmtOr(ri.medianOddsRatio)} times higher with the one clinician than with the other (the median over such pairs). Random-intercept SD ${fmtFixed(ri.sd, 2)} on the logit scale${ci(ri.sdCiLow, ri.sdCiHigh, (x) => fmtFixed(x, 2)).replace('(95% CI', '(profile-likelihood 95% CI')}.`,
  );
  return out;
}

const measureLabel = (r: ReportResult, m: string) => (m === OUTCOME_MEASURE ? `the rate of ${r.outcome.label}` : `${r.predictors.find((p) => p.name === m)?.label ?? m} scores`);

const valueOf = (row: ClusterRow, m: string): ClusterMeasure | undefined => row.measures.find((x) => x.measure === m)?.value;

/** One sentence per measure naming the clinicians rated better or worse (none: said so once). */
export function namedClinicians(r: ReportResult): string[] {
  const c = r.clustering!;
  const out: string[] = [];
  const measures = c.comparison.reference.map((x) => x.measure);
  for (const m of measures) {
    const better = c.comparison.rows.filter((row) => valueOf(row, m)?.rating === 'better').map((row) => row.cluster);
    const worse = c.comparison.rows.filter((row) => valueOf(row, m)?.rating === 'worse').map((row) => row.cluster);
    if (!better.length && !worse.length) continue;
    const parts = [...(better.length ? [`better than average: ${andList(better)}`] : []), ...(worse.length ? [`worse: ${andList(worse)}`] : [])];
    out.push(`${capital(measureLabel(r, m))}, case-mix adjusted, ${parts.join('; ')}.`);
  }
  if (out.length === 0) out.push(`No clinician was rated better or worse than average on any measure (case-mix adjusted, p < ${c.alpha}).`);
  return out;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** How the comparisons were made (the note under the plot and table). */
export function comparisonNote(r: ReportResult): string {
  const c = r.clustering!;
  const vars = [...new Set(c.comparison.caseMix.map((n) => n.split('=')[0]))];
  const adj = vars.length ? `adjusted for ${andList(vars)} (pooled within-clinician regression, CAHPS method)` : 'not adjusted (no case-mix adjusters)';
  return `Clinician means ${adj}, compared with the mean of all clinicians: "better" or "worse" when p < ${c.alpha}, "too few to rate" when a clinician has fewer than ${c.minCell} respondents or the reliability of its mean is below 0.70. Clinicians with fewer than ${c.minCell} respondents are not shown.`;
}

/** The caterpillar plot's caption. */
export function caterpillarCaption(r: ReportResult): string {
  return `Case-mix adjusted rate of ${r.outcome.label} per clinician with 95% CIs, ranked; dashed line: mean of all clinicians. Filled: rated (reliability ≥ 0.70); open: too few to rate. Clinicians with fewer than ${r.clustering!.minCell} respondents are absent.`;
}

/** One sentence per trait of the within/between split. */
export function withinBetweenSentence(r: ReportResult, w: WithinBetweenRow): string {
  const label = r.predictors.find((p) => p.name === w.predictor)?.label ?? w.predictor;
  const per = r.options.rawUnits ? 'point' : 'SD';
  return `${capital(label)}: a patient who rates 1 ${per} higher than the same clinician's other patients has ${fmtOrCi(w.withinOr, w.withinCiLow, w.withinCiHigh)} times the odds of ${r.outcome.label} (within, ${fmtPEq(w.withinP)}); patients of a clinician whose patients rate 1 ${per} higher on average have ${fmtOrCi(w.betweenOr, w.betweenCiLow, w.betweenCiHigh)} times the odds (between, ${fmtPEq(w.betweenP)}); the difference, the contextual effect, is a ratio of ${fmtOrCi(w.contextualRatio, w.contextualCiLow, w.contextualCiHigh)} (${fmtPEq(w.contextualP)}).`;
}

/** The sentence introducing the reliability of clinician scores. */
export function clusterReliabilityIntro(): string {
  return 'How reliably a clinician’s mean score tells clinicians apart: the ICC of the score (one-way random effects, REML), the reliability of a mean of the median number of patients, and the patients per clinician needed for 0.70 and 0.80.';
}

/** The Method fact under clustering. */
export function clusterMethodFact(c: ClusteringResult): string {
  if (c.method === 'glmm') return `random intercept per clinician (${c.variable}), maximum likelihood (${c.randomIntercept && c.randomIntercept.nAGQ > 1 ? `adaptive Gauss–Hermite, ${c.randomIntercept.nAGQ} points` : 'Laplace'})`;
  return `cluster-robust standard errors (CR1) by ${c.variable}${c.method === 'firth-cluster-robust' ? ' on the Firth fit' : ''}`;
}

/** The "Model fit" line under clustering: the statistics above are the ordinary model's. */
export function clusterFitFact(c: ClusteringResult): [string, string] {
  const ri = c.randomIntercept;
  const glmm = ri ? ` The random-intercept model: deviance ${fmtFixed(ri.deviance, 2)} (${ri.nAGQ > 1 ? `adaptive Gauss–Hermite, ${ri.nAGQ} points` : 'Laplace'}), SD ${fmtFixed(ri.sd, 3)}${ri.boundary ? ' (boundary: 0)' : ''}.` : '';
  return ['Clinicians', `The statistics above are of the ordinary logistic model (they ignore the clinicians).${glmm}`];
}
