/**
 * The sentences of an ordinal or count outcome (issue 17): why the outcome has its type, the model's
 * method, the headline, one sentence per trait, the model and fit facts, the family's own section
 * (categories and thresholds with the proportional-odds tests, or the count's distribution and theta)
 * and its warnings. facts.ts calls these when `r.family` is set and re-exports what renderers use;
 * this module never imports facts.ts.
 */
import { andList, fmtFixed, fmtInt, fmtOr, fmtPEq, fmtPct } from './format.js';
import type { FamilyMethod, FamilyResult, ModelError, PredictorRow, ReportResult, ReportWarning, TermRow } from './types.js';

type FamilyR = ReportResult & { family: FamilyResult };

/** "Trust" → "trust" (keeps acronyms). */
function lower(s: string): string {
  return s.length > 1 && /[A-Z]/.test(s[0]) && /[a-z]/.test(s[1]) ? s[0].toLowerCase() + s.slice(1) : s;
}

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

const isCount = (r: FamilyR) => r.family.type === 'count';

/** The ratio's name: "odds ratio" (cumulative odds of a higher category) or "rate ratio". */
export function ratioName(r: FamilyR): string {
  return isCount(r) ? 'rate ratio' : 'odds ratio';
}

/** The model's name in a sentence. */
function modelName(m: FamilyMethod): string {
  return m === 'polr' ? 'Proportional-odds (cumulative logit) regression, as MASS::polr' : 'Negative binomial regression (log link), as MASS::glm.nb';
}

export function familyMethodReason(kind: FamilyMethod, converged: boolean, iterations: number): string {
  return `${modelName(kind)}, ${converged ? `converged in ${iterations} iterations` : `did NOT converge in ${iterations} iterations`}; Wald 95% CIs.`;
}

export function familyModelError(e: ModelError): string | null {
  if (e.code === 'constant_outcome') return `all ${e.n} respondents in the model have the same count; a count model needs counts that differ.`;
  if (e.code === 'too_few_categories')
    return `only ${e.observed} of the outcome's ${e.total} categories occur among the model respondents; a proportional-odds model needs at least 3 (use --outcome-type binary with --positive).`;
  return null;
}

export function familyWarningText(w: ReportWarning): string | null {
  switch (w.code) {
    case 'proportional_odds':
      return `${w.term}: the proportional-odds assumption fails (likelihood-ratio test against the model in which ${w.term} has its own effect at each threshold: χ² = ${fmtFixed(w.statistic, 2)} on ${w.df} df, ${fmtPEq(w.p)}): its effect differs between the lower and the higher categories, so its single odds ratio is an average; read the categories separately (for example with --outcome-type binary and --positive).`;
    case 'overdispersion':
      return `The counts vary far more than a Poisson model allows: theta = ${fmtFixed(w.theta, 2)}, so at the mean count (${fmtFixed(w.mean, 2)}) the variance is ${fmtFixed(w.factor, 1)} times the Poisson variance. A Poisson model would give CIs that are too narrow; the negative binomial model used here allows for it.`;
    case 'no_overdispersion':
      return `The counts are no more spread out than a Poisson model expects: theta grows without bound (${w.theta > 1e4 ? 'past 10,000' : fmtFixed(w.theta, 0)} when the fit stopped), so the negative binomial model is the Poisson model here and its estimates are the Poisson model's. If the counts are really categories (0 to 3, say), use --outcome-type ordinal.`;
    case 'family_not_converged':
      return `The ${w.method === 'polr' ? 'proportional-odds' : 'negative binomial'} fit did not converge in ${w.iterations} iterations; the estimates are not reliable.`;
    default:
      return null;
  }
}

/** The outcome fact of "What was analysed": the type, why, and the distribution. */
export function familyOutcomeFact(r: FamilyR, style: 'text' | 'html'): string | string[] {
  const f = r.family;
  const o = r.outcome;
  const why =
    f.rule === 'option' ? 'chosen with --outcome-type' : f.rule === 'item_options' ? `the default for an item with ${f.categories!.length} ordered options` : 'the default for a column of whole numbers 0 or more with more than two values';
  const lines: string[] = [];
  if (f.type === 'ordinal') {
    const total = f.categories!.reduce((a, c) => a + c.n, 0);
    lines.push(`${o.variable}: ordinal, ${f.categories!.length} ordered categories (${f.categories!.map((c) => c.label).join(' < ')}); proportional-odds model (${why})`);
    lines.push(`model respondents by category: ${f.categories!.map((c) => `${c.label} ${fmtInt(c.n)} (${fmtPct(total ? (100 * c.n) / total : null)})`).join(', ')}`);
    lines.push(`rate shown in the group and descriptive tables: the share above the lowest category ("${f.lowest}"), ${fmtPct(o.prevalence === null ? null : 100 * o.prevalence)} of the ${fmtInt(o.nPositive + o.nNegative)} with an answer; ${fmtInt(o.nMissing)} without an answer`);
  } else {
    const c = f.count!;
    lines.push(`${o.variable}: a count; negative binomial model (${why})`);
    lines.push(`model respondents: mean ${fmtFixed(c.mean, 2)} (variance ${fmtFixed(c.variance, 2)}), median ${fmtFixed(c.median, 1)}, ${fmtPct(c.n ? (100 * c.zeros) / c.n : null)} with 0`);
    lines.push(`rate shown in the group and descriptive tables: the share with a count of 1 or more, ${fmtPct(o.prevalence === null ? null : 100 * o.prevalence)} of the ${fmtInt(o.nPositive + o.nNegative)} with a value; ${fmtInt(o.nMissing)} without a value`);
  }
  // HTML: one paragraph; the first line starts with the variable's name, kept as it is.
  return style === 'html' ? lines.map((l, i) => (i === 0 ? l : l[0].toUpperCase() + l.slice(1))).join('. ') + '.' : lines;
}

/** "a higher portal frequency category" / "more portal logins". */
function more(r: FamilyR): string {
  return isCount(r) ? `more ${r.outcome.label}` : `a higher ${r.outcome.label} category`;
}

export function familyTraitSentence(r: FamilyR, p: PredictorRow): string {
  const label = lower(r.predictors.find((x) => x.name === p.predictor)?.label ?? p.predictor);
  const unit = r.options.rawUnits ? '1-point' : '1-SD';
  const adj = [...r.predictors.filter((x) => x.name !== p.predictor).map((x) => x.name), ...r.covariates.map((c) => c.name)];
  if (p.adjustedOr === null) return `${label[0].toUpperCase() + label.slice(1)}: no adjusted estimate (the model was not fitted).`;
  const what = isCount(r) ? `the expected number of ${r.outcome.label}` : `the odds of ${more(r)} (rather than a lower one)`;
  let s = `Each ${unit} higher ${label} score went with ${fmtOr(p.adjustedOr)} times ${what}`;
  s += adj.length > 0 ? `, after adjusting for ${andList(adj)}` : '';
  s += ` (${ratioName(r)}, 95% CI ${fmtOr(p.adjustedCiLow)}–${fmtOr(p.adjustedCiHigh)}, ${fmtPEq(p.adjustedP)}).`;
  if (p.adjustedCiLow !== null && p.adjustedCiHigh !== null && p.adjustedCiLow <= 1 && p.adjustedCiHigh >= 1) s += ' The interval includes 1 (no difference), so this may be chance.';
  else s += ` In plain words: respondents with higher ${label} scores report ${p.adjustedOr >= 1 ? (isCount(r) ? 'more' : 'higher') : isCount(r) ? 'fewer' : 'lower'} ${r.outcome.label}.`;
  return s;
}

export function familyHeadline(r: FamilyR): string {
  const per = r.options.rawUnits ? 'per point' : 'per SD';
  const sig = r.predictorRows.filter((p) => p.adjustedPHolm !== null && p.adjustedPHolm < 0.05 && p.adjustedOr !== null);
  sig.sort((a, b) => (b.adjustedOr ?? 0) - (a.adjustedOr ?? 0));
  const k = r.predictors.length;
  const adjFor = [...(k > 1 ? [k > 2 ? 'the other traits' : 'the other trait'] : []), ...r.covariates.map((c) => c.name)];
  const adjust = adjFor.length ? ` after adjusting for ${andList(adjFor)}` : '';
  let s: string;
  if (sig.length === 0) s = `No trait went with ${r.outcome.label} clearly enough to rule out chance${adjust} (Holm-adjusted p ≥ 0.05 for every trait).`;
  else {
    const up = sig.filter((p) => (p.adjustedOr ?? 1) > 1);
    const down = sig.filter((p) => (p.adjustedOr ?? 1) <= 1);
    const parts = sig.map((p, i) => `${p.predictor} (${i === 0 ? `${ratioName(r)} ${fmtOr(p.adjustedOr)} ${per}` : fmtOr(p.adjustedOr)})`);
    const plain = [
      ...(up.length ? [`respondents with higher ${andList(up.map((p) => lower(p.label)))} scores report ${isCount(r) ? 'more' : 'higher'} ${r.outcome.label}`] : []),
      ...(down.length ? [`those with higher ${andList(down.map((p) => lower(p.label)))} scores report ${isCount(r) ? 'fewer' : 'lower'} ${r.outcome.label}`] : []),
    ].join(', and ');
    s = `${plain[0].toUpperCase() + plain.slice(1)}${adjust} (Holm-adjusted p < 0.05): ${andList(parts)}.`;
  }
  s += ` ${outcomeShare(r)}`;
  s += isCount(r)
    ? ` The rate ratio is the multiple of the expected count per ${r.options.rawUnits ? 'point' : 'SD'} (negative binomial model).`
    : ` The odds ratio is for a higher rather than a lower category, at every cut between categories (proportional-odds model).`;
  const top = r.predictorRows.find((p) => p.rank === 1);
  if (top && top.dominanceShare !== null && r.dominance)
    s += ` ${lower(top.label)[0].toUpperCase() + lower(top.label).slice(1)} matters most: ${Math.round(100 * top.dominanceShare)}% of the variation the traits explain together (dominance analysis).`;
  return s;
}

/** The outcome in one sentence: the share above the lowest category and in the top one, or the mean count and the share of zeros. */
function outcomeShare(r: FamilyR): string {
  const f = r.family;
  if (f.type === 'count') {
    const c = f.count!;
    return `The ${fmtInt(c.n)} respondents in the model had ${fmtFixed(c.mean, 1)} ${r.outcome.label} on average; ${fmtPct(c.n ? (100 * c.zeros) / c.n : null, 0)} had none.`;
  }
  const cats = f.categories!;
  const total = cats.reduce((a, c) => a + c.n, 0);
  const top = cats[cats.length - 1];
  const pct = (k: number) => fmtPct(total ? (100 * k) / total : null, 0);
  return `${pct(total - cats[0].n)} of the ${fmtInt(total)} respondents in the model were above “${cats[0].label}”, ${pct(top.n)} in the top category (“${top.label}”).`;
}

export function familyModelIntro(r: FamilyR, style: 'text' | 'html'): string {
  const f = r.model!.fit;
  const cov = r.covariates.length ? ` and ${andList(r.covariates.map((c) => c.name))}` : '';
  const what = isCount(r)
    ? `Negative binomial regression of ${r.outcome.label} on every trait${cov}: ${fmtInt(f.n)} respondents. ${style === 'text' ? 'Rate ratios' : 'Rate ratios (the multiple of the expected count)'}`
    : `Proportional-odds regression of ${r.outcome.label} (${r.family.categories!.length} ordered categories) on every trait${cov}: ${fmtInt(f.n)} respondents. Odds ratios of a higher rather than a lower category`;
  return `${what} with Wald 95% CIs; Holm-adjusted p over the ${r.predictors.length} traits.`;
}

export function familyFitFacts(r: FamilyR, style: 'text' | 'html'): [string, string][] {
  const f = r.model!.fit;
  const lr = f.lrStatistic === null ? '–' : `χ² = ${fmtFixed(f.lrStatistic, 2)} on ${f.lrDf} df, ${fmtPEq(f.lrP)}`;
  const facts: [string, string][] = [
    ['Respondents', fmtInt(f.n)],
    ['Log-likelihood', `${fmtFixed(f.logLik, 2)} (AIC ${fmtFixed(f.aic, 1)})`],
    ['Nagelkerke R²', `${fmtFixed(f.nagelkerke, 3)} (McFadden ${fmtFixed(f.mcfadden, 3)})`],
    [style === 'text' ? 'LR test' : 'Likelihood-ratio test', `${lr} (against the model without predictors)`],
  ];
  const th = r.family.theta;
  if (th) facts.push(['Theta', `${fmtFixed(th.estimate, 3)} (SE ${fmtFixed(th.se, 3)}); Var(Y) = mu + mu²/theta`]);
  const po = r.family.poTests;
  if (po) {
    const failed = po.filter((t) => t.p !== null && t.p < 0.05).map((t) => t.term);
    facts.push(['Proportional odds', failed.length ? `fails for ${andList(failed)} (LR test p < 0.05; see the warnings)` : 'no term fails the LR test against the partial model (p ≥ 0.05)']);
  }
  return facts;
}

/** Rows of the family's own table: thresholds and PO tests (ordinal), or the count summary and theta. */
export function familySectionTitle(r: FamilyR): string {
  return isCount(r) ? 'The count model' : 'Categories, thresholds and the proportional-odds test';
}

export function familySectionIntro(r: FamilyR): string {
  if (isCount(r))
    return `The negative binomial model lets the variance grow faster than the mean: Var(Y) = mu + mu²/theta, so a small theta means counts far more spread out than a Poisson model allows. Zero counts are ordinary values of the model. The intercept row of model.csv is the expected count at the mean of every trait${r.options.rawUnits ? ' (at 0 with --raw-units)' : ''}.`;
  return `The thresholds are the log odds of being at or below each cut between adjacent categories for a respondent at ${r.options.rawUnits ? '0 on every predictor (--raw-units)' : 'the mean of every trait'} (MASS::polr's zeta). The proportional-odds assumption is that each trait's odds ratio is the same at every cut; it is tested per term by a likelihood-ratio test against the model in which that term has its own effect at each cut (as ordinal::nominal_test); p < 0.05 means it fails.`;
}

export function poVerdict(p: number | null): string {
  return p === null ? 'not tested (the partial model did not converge)' : p < 0.05 ? 'fails' : 'holds';
}

/** The threshold rows of the model, for the family's section. */
export function thresholdRows(r: FamilyR): TermRow[] {
  return (r.model?.terms ?? []).filter((t) => t.kind === 'threshold');
}

export function familyDominanceNote(r: FamilyR): string {
  return ` McFadden R² is 1 − LL/LL0 from the ${isCount(r) ? 'negative binomial' : 'proportional-odds'} model's log-likelihood (LL0: the model without predictors${isCount(r) ? ', with its own theta' : ', thresholds only'}).`;
}

export function familyCaution(r: FamilyR): string {
  return `This is a cross-sectional survey: the ${ratioName(r)}s describe association, not cause. Patients who already use the portal more may rate their doctor differently because of it, and traits not measured here may explain both.${isCount(r) ? ` Recorded counts depend on how long each patient was followed; this model assumes the same period for everyone.` : ` Self-reported ${r.outcome.label} may differ from recorded use.`}`;
}

/** The two columns of the trait means by outcome group. */
export function familySplit(r: FamilyR): [string, string] {
  return isCount(r) ? ['Count 1 or more', 'Count 0'] : [`Above “${r.family.lowest}”`, `“${r.family.lowest}”`];
}

export function familyDescriptivesIntro(r: FamilyR): string {
  const [a, b] = familySplit(r);
  return `Mean (SD) of each trait in two groups of ${r.outcome.label}: ${lowerFirst(a)} and ${lowerFirst(b)}; Cohen’s d with 95% CI; Welch’s t-test. The model above uses every ${isCount(r) ? 'count' : 'category'}; this split is only for description.`;
}

export function familyDescriptivesCounts(r: FamilyR): string {
  const [a, b] = familySplit(r);
  const nPos = Math.max(0, ...r.descriptives.map((d) => d.nPositive));
  const nNeg = Math.max(0, ...r.descriptives.map((d) => d.nNegative));
  return `n = ${fmtInt(nPos)} ${lowerFirst(a)}, ${fmtInt(nNeg)} ${lowerFirst(b)} (fewer for a trait some respondents could not be scored on).`;
}

export function familyGroupsRate(r: FamilyR): string {
  return isCount(r) ? `share with 1 or more ${r.outcome.label}` : `share of ${r.outcome.label} above “${r.family.lowest}”`;
}

export function familyForest(r: FamilyR): { caption: string; left: string; right: string; axis: string } {
  const name = ratioName(r);
  const cap = name[0].toUpperCase() + name.slice(1) + 's';
  return {
    caption: `${cap} with 95% CIs (log scale; | marks 1 = no association)`,
    left: isCount(r) ? '← fewer ' : '← lower ',
    right: isCount(r) ? ' more →' : ' higher →',
    axis: `${cap.slice(0, -1)} (log scale) · left of the dashed line: ${isCount(r) ? 'fewer' : 'lower categories of'} ${r.outcome.label}, right: ${isCount(r) ? 'more' : 'higher'}`,
  };
}
