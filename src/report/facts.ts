/**
 * Every sentence of the report, in one place: the warnings and the method's reason worded from their
 * codes and numbers, the headline, the per-trait sentences, the facts of "What was analysed" and the
 * paragraphs that introduce each section. Used by the text and HTML renderers and by summary.json
 * (which carries each warning's sentence next to its code). Plain text: the HTML renderer escapes it.
 */
import { clusteredModelIntro, clusterFitFact, clusterMethodFact, clusterWarningText } from './cluster-facts.js';
export * from './cluster-facts.js';
import { andList, fmtFixed, fmtInt, fmtOr, fmtPEq, fmtPct } from './format.js';
import { ciPhrase, hlFact, mattersMost, validationFacts } from './facts-inference.js';

export { capitalise, inShort, outcomePhrase, reportTitle, termExplanations, whatThisMeans } from './facts-lead.js';
import { capitalise, inShort } from './facts-lead.js';
import { exclusionReason, formatName } from './names.js';
import { designFacts, designFitFacts, designMethodReason, designHeadlineNote, designModelIntro, designWarningText, rateHeading, unweightedNote, weightedGroupsIntro, weightedRateNote } from './design-facts.js';
import type { Count, Dropped, FamilyResult, MethodInfo, ModelError, OutcomeRule, PredictorRow, ReportResult, ReportWarning, SeparationInfo, TermRow } from './types.js';
import * as fam from './facts-family.js';

export { familySectionIntro, familySectionTitle, familySplit, poVerdict, thresholdRows } from './facts-family.js';

/** The result of an ordinal or count outcome (facts-family.ts words it), or null for yes/no. */
export function familyOf(r: ReportResult): (ReportResult & { family: FamilyResult }) | null {
  return r.family ? (r as ReportResult & { family: FamilyResult }) : null;
}

export { exclusionReason, formatName };
export * from './pilot-facts.js';

export { CALIBRATION, dominanceCi, methodSentences, rankFirst } from './facts-inference.js';

/** "trust" → "trust"; "Patient-centred communication" → "patient-centred communication"; keeps acronyms. */
function lowerLabel(s: string): string {
  if (s.length > 1 && /[A-Z]/.test(s[0]) && /[a-z]/.test(s[1])) return s[0].toLowerCase() + s.slice(1);
  return s;
}


export function droppedReason(d: Dropped): string {
  return d.variable === null ? 'missing the outcome' : `missing ${d.variable}`;
}

const OUTCOME_RULE: Record<OutcomeRule, string> = {
  positive_option: 'given by --positive',
  higher_option: 'the higher of the item’s two options',
  positive_value: 'given by --positive; every other value counts as negative',
  default_values: 'default: 1, yes or true',
  outcome_type: 'an ordinal or count outcome: above the lowest category, or a count above 0, is the split used by the descriptive tables and group rates',
  positive_comparison: 'given by --positive as a comparison; every other number counts as negative',
};

export function outcomeRule(rule: OutcomeRule): string {
  return OUTCOME_RULE[rule];
}

const RELIABILITY_NOT_COMPUTED = 'Not computed: the input is an already scored file (no --instrument), so the item answers are not available.';

export function reliabilityNote(r: ReportResult): string | null {
  return r.reliability ? null : RELIABILITY_NOT_COMPUTED;
}

/** "the data show complete separation (by trust), so ..." or "maximum likelihood did not converge ...". */
function firthBecause(cause: 'separation' | 'not_converged', s: SeparationInfo, iterations: number): string {
  return cause === 'separation'
    ? `the data show ${s.kind} separation${s.terms.length ? ` (by ${s.terms.join(', ')})` : ''}, so maximum-likelihood estimates do not exist`
    : `maximum likelihood did not converge in ${iterations} iterations`;
}

/** One sentence: which method was used and why. */
export function methodReason(m: MethodInfo): string {
  const c = m.choice;
  const s = m.separation;
  switch (c.kind) {
    case 'not_fitted':
      return 'No model was fitted.';
    case 'requested_firth':
      return 'Firth’s bias-reduced logistic regression (chosen with --method firth).';
    case 'requested_ml': {
      let reason = `Maximum-likelihood logistic regression (chosen with --method ml), ${c.converged ? `converged in ${c.iterations} iterations` : `did NOT converge in ${c.iterations} iterations`}.`;
      if (s.detected) reason += ` The data show ${s.kind} separation${s.terms.length ? ` (${s.terms.join(', ')})` : ''}, so some estimates are not finite; --method firth or auto would give finite estimates.`;
      return reason;
    }
    case 'auto_firth':
      return `Firth’s bias-reduced logistic regression, because ${firthBecause(c.cause, s, c.iterations)}.`;
    case 'auto_ml':
      return `Maximum-likelihood logistic regression (no separation; converged in ${c.iterations} iterations).`;
    case 'polr':
    case 'negbin':
      return fam.familyMethodReason(c.kind, c.converged, c.iterations);
  }
}

/** Why the model could not be fitted, as a clause (lower-case start, full stop). */
function modelErrorClause(e: ModelError, outcomeLabel: string): string {
  switch (e.code) {
    case 'no_complete':
      return 'no respondent has the outcome and every predictor and covariate.';
    case 'one_class':
      return `all ${e.n} respondents in the model have the same outcome (${e.events === 0 ? `no ${outcomeLabel}` : `all ${outcomeLabel}`}); a logistic model needs both outcomes.`;
    case 'too_few_events':
      return `the smaller outcome group has only ${e.smaller} respondents for ${e.parameters} coefficients (more predictors than events); collect more data or use fewer predictors.`;
    case 'fit_failed':
      return e.reason.replace(/^./, (ch) => ch.toLowerCase());
    case 'constant_predictor':
      return `${e.variable} has the same value for all ${e.n} respondents in the model, so its association cannot be estimated; leave it out (--predictors or --covariates).`;
    case 'constant_outcome':
    case 'too_few_categories':
      return fam.familyModelError(e)!;
  }
}

export function modelErrorText(r: ReportResult): string | null {
  return r.modelError ? modelErrorClause(r.modelError, r.outcome.label) : null;
}

function separationSentence(status: 'complete' | 'quasi-complete' | 'undetermined', who: string[]): string {
  if (status === 'undetermined') return 'The separation check did not finish (linear program iteration limit); treat very large coefficients with caution.';
  const list = who.map((w) => `"${w}"`).join(', ');
  return (
    `${status === 'complete' ? 'Complete' : 'Quasi-complete'} separation${list ? ` by ${list}` : ''}: ` +
    (status === 'complete'
      ? 'the predictors classify every respondent perfectly, so maximum-likelihood estimates do not exist; use the Firth (bias-reduced) fit.'
      : 'some respondents are classified perfectly, so at least one maximum-likelihood estimate is infinite; use the Firth (bias-reduced) fit.')
  );
}

/** The sentence of one warning. */
export function warningText(w: ReportWarning, outcomeLabel: string): string {
  switch (w.code) {
    case 'input':
      return w.text.charAt(0).toUpperCase() + w.text.slice(1) + '.';
    case 'invalid_cells':
      return `${w.n} answers were not valid values of their item and were treated as missing (list them with rapport score --errors).`;
    case 'join_column':
      return `"${w.column}" is a column of both the input and the joined file; the input's was used.`;
    case 'join_unmatched':
      return joinUnmatchedText(w);
    case 'join_duplicates':
      return `${w.keys} keys occur more than once in ${w.file}; the first row of each was used.`;
    case 'low_alpha':
      return `${w.label}: Cronbach's alpha is ${w.alpha.toFixed(2)}, below ${w.threshold.toFixed(2)}: the items may not measure one thing.`;
    case 'high_alpha':
      return `${w.label}: Cronbach's alpha is ${w.alpha.toFixed(2)}, above ${w.threshold.toFixed(2)}: some items may be redundant.`;
    case 'negative_item':
      return `${w.label}: Item "${w.item}" correlates negatively with the rest of the scale (r = ${w.r.toFixed(2)}): probably a reverse-keyed item that was not reversed.`;
    case 'floor':
    case 'ceiling':
      return `${w.label}: ${w.pct.toFixed(1)}% of respondents score at the ${w.code} (${w.bound}), above ${w.threshold}%.`;
    case 'fit':
      if (w.kind === 'boundary') return 'Fitted probabilities numerically 0 or 1 occurred (some respondents are predicted perfectly).';
      return w.method === 'ml'
        ? `The fit did not converge in ${w.iterations} iterations (glm.fit: algorithm did not converge); the estimates are not reliable.`
        : `The Firth fit did not converge in ${w.iterations} iterations; the estimates are not reliable.`;
    case 'separation':
      return separationSentence(w.status, w.who);
    case 'firth':
      return `Switched to Firth’s method: ${firthBecause(w.cause, w.separation, w.iterations)}.`;
    case 'low_epv':
      return `Only ${w.epv.toFixed(1)} events per variable (below 10): the estimates may be unstable and optimistic; consider fewer predictors or more respondents.`;
    case 'vif':
      return w.df === 1
        ? `${w.term} has a variance inflation factor of ${w.vif.toFixed(1)} (above 5): it overlaps strongly with the other predictors, so its adjusted odds ratio is imprecise.`
        : `${w.term} has a generalised variance inflation factor of ${w.vif.toFixed(1)} over its ${w.df} levels (GVIF^(1/(2 df)) = ${w.gvifAdjusted.toFixed(2)}, above √5): it overlaps strongly with the other predictors, so its adjusted odds ratios are imprecise.`;
    case 'calibration':
      return `Hosmer–Lemeshow p = ${w.p < 0.001 ? '< 0.001' : w.p.toFixed(3)}: predicted and observed rates differ in some risk groups.`;
    case 'model_not_fitted':
      return `The model could not be fitted: ${modelErrorClause(w.error, outcomeLabel)}`;
    case 'dominance':
      return w.kind === 'failed'
        ? `No dominance analysis: ${w.reason}`
        : `Dominance analysis: ${w.count} of ${w.models} models did not converge (possible separation); their R² values, and the weights built on them, are unreliable.`;
    case 'small_cells':
      return (
        `${w.small} ${w.by} group${w.small === 1 ? ' has' : 's have'} fewer than ${w.minCell} respondents; ${w.small === 1 ? 'its' : 'their'} statistics are suppressed` +
        (w.alsoWithheld.length === 1
          ? `, and so are those of the smallest other group (${w.alsoWithheld[0]}), so that the small group${w.small === 1 ? '' : 's'} cannot be worked out from the total.`
          : w.alsoWithheld.length > 1
            ? `, and so are those of the smallest other groups (${andList(w.alsoWithheld)}), so that the small groups cannot be worked out from the total.`
            : '.')
      );
    case 'small_level': {
      const one = w.levels.length === 1;
      const quoted = andList(w.levels.map((l) => `"${l}"`));
      return (
        `${w.variable}: ${one ? 'the level' : 'the levels'} ${quoted} ${one ? 'has' : 'have'} fewer than ${w.minCell} respondents in the model, so ${one ? 'its estimate is' : 'their estimates are'} not shown` +
        (w.reference ? `, nor the other levels' odds ratios or the intercept, as "${w.levels[0]}" is the reference level` : '') +
        `; pool ${one ? 'it' : 'them'} with a similar level in the data (for example recode rare values as "other") and run the report again.`
      );
    }
    case 'weights_dropped':
    case 'design_dominance':
    case 'design_model':
    case 'pooled_groups':
    case 'pool_too_small':
      return designWarningText(w);
    case 'rare_outcome':
      return `The outcome is ${w.prevalence < 0.05 ? 'rare' : 'very common'} (${(100 * w.prevalence).toFixed(1)}%): odds ratios then differ from risk ratios, and estimates need many respondents.`;
    case 'proportional_odds':
    case 'overdispersion':
    case 'no_overdispersion':
    case 'family_not_converged':
      return fam.familyWarningText(w)!;
    default:
      return clusterWarningText(w, outcomeLabel);
  }
}

/** Every warning's sentence, in order. */
export function warningTexts(r: ReportResult): string[] {
  return r.warnings.map((w) => warningText(w, r.outcome.label));
}

/** A reliability flag code as a short table note. */
export function flagText(code: string): string {
  switch (code) {
    case 'low_alpha':
      return 'alpha < 0.70';
    case 'high_alpha':
      return 'alpha > 0.95 (redundant items?)';
    case 'negative_item':
      return 'negative item-total r (reverse key?)';
    case 'floor':
      return '>15% at floor';
    case 'ceiling':
      return '>15% at ceiling';
    default:
      return code;
  }
}

export function termLabel(r: ReportResult, t: TermRow): string {
  if (t.kind === 'trait') return r.model?.units === 'raw' ? `${t.term} (per point)` : `${t.term} (per SD)`;
  if (t.kind === 'level') {
    const cov = r.covariates.find((c) => c.name === t.variable);
    return cov?.levels ? `${t.term} (vs ${cov.levels[0]})` : t.term;
  }
  if (t.kind === 'numeric') return `${t.term} (per unit)`;
  return t.term;
}

/** One plain-language sentence per trait. */
export function traitSentence(r: ReportResult, p: PredictorRow): string {
  const f = familyOf(r);
  if (f) return fam.familyTraitSentence(f, p);
  const label = lowerLabel(r.predictors.find((x) => x.name === p.predictor)?.label ?? p.predictor);
  const unit = r.options.rawUnits ? '1-point' : '1-SD';
  const others = r.predictors.filter((x) => x.name !== p.predictor).map((x) => x.name);
  const adj = [...others, ...r.covariates.map((c) => c.name)];
  if (p.adjustedOr === null) return `${capitalise(label)}: no adjusted estimate (the model was not fitted).`;
  const dir = p.adjustedOr >= 1 ? '' : ' (lower odds)';
  let s = `Each ${unit} higher ${label} score went with ${fmtOr(p.adjustedOr)} times the odds of ${r.outcome.label}${dir}`;
  s += adj.length > 0 ? `, after adjusting for ${andList(adj)}` : '';
  s += ` (95% CI ${fmtOr(p.adjustedCiLow)}–${fmtOr(p.adjustedCiHigh)}, ${fmtPEq(p.adjustedP)}).`;
  if (p.adjustedCiLow !== null && p.adjustedCiHigh !== null && p.adjustedCiLow <= 1 && p.adjustedCiHigh >= 1)
    s += ' The interval includes 1 (no difference), so this may be chance.';
  return s;
}

/**
 * The "In short" finding as one paragraph (summary.json and other one-line uses): the list of
 * facts-lead.ts joined, or why the model could not be fitted.
 */
export function headline(r: ReportResult): string {
  if (!r.model) return `The model could not be fitted: ${modelErrorText(r) ?? 'unknown reason'} See the descriptive results below.`;
  const f = familyOf(r);
  if (f) return fam.familyHeadline(f);
  return inShort(r).join(' ');
}

/** A fact of "What was analysed": a key and one or more lines (HTML joins the lines). */
export type Fact = [string, string | string[]];

function respondentsFact(r: ReportResult, style: 'text' | 'html'): string | string[] {
  const c = r.counts;
  const exclTotal = c.excluded.reduce((a, x) => a + x.n, 0);
  const first = `${fmtInt(c.read)} read, ${fmtInt(exclTotal)} excluded, ${fmtInt(c.analysed)} analysed`;
  const excluded = c.excluded.map((x) => `${fmtInt(x.n)} ${exclusionReason(x)}`).join(', ');
  if (style === 'html')
    return first + (c.excluded.length ? ` (excluded: ${excluded})` : '') + (c.invalidCells ? `; ${fmtInt(c.invalidCells)} invalid cells treated as missing` : '');
  const lines = [first];
  if (c.excluded.length > 0) lines.push('excluded: ' + excluded);
  if (c.invalidCells > 0) lines.push(`${fmtInt(c.invalidCells)} invalid cells were treated as missing`);
  return lines;
}

function outcomeFact(r: ReportResult, style: 'text' | 'html'): string | string[] {
  const f = familyOf(r);
  if (f) return fam.familyOutcomeFact(f, style);
  const o = r.outcome;
  const pct = fmtPct(o.prevalence === null ? null : 100 * o.prevalence);
  const answered = fmtInt(o.nPositive + o.nNegative);
  const asked = o.question ? ` (“${o.question}”)` : '';
  const rule = outcomeRule(o.rule) + (o.source === 'record' ? '; recorded, not self-reported' : '');
  if (style === 'html')
    return `${o.variable}${asked}: ${o.positive.map((v) => `“${v}”`).join(', ')} counts as ${o.label} (${rule}). ${fmtInt(o.nPositive)} of ${answered} with an answer (${pct}${weightedRateNote(r)}); ${fmtInt(o.nMissing)} without.`;
  return [
    `${o.variable}${asked}: ${o.positive.map((v) => `"${v}"`).join(', ')} counts as ${o.label} (${rule})`,
    `${fmtInt(o.nPositive)} of ${answered} respondents with an answer (${pct}${weightedRateNote(r)}); ${fmtInt(o.nMissing)} without an answer`,
  ];
}

/**
 * The facts of "What was analysed", in order. Text and HTML state the same facts (the traits by name,
 * the join with its duplicate keys); `style` only chooses the longer text lines or the HTML's one line.
 */
export function analysedFacts(r: ReportResult, style: 'text' | 'html'): Fact[] {
  const facts: Fact[] = [['Input', r.input.format ? `${r.input.file} (${formatName(r.input.format)})` : r.input.file]];
  if (r.input.instrument) facts.push(['Instrument', `${r.input.instrument.id} ${r.input.instrument.version}, ${r.input.instrument.title}`]);
  facts.push(['Respondents', respondentsFact(r, style)]);
  const j = r.input.join;
  if (j) facts.push(['Joined', joinFact(j, j.columns.includes(r.outcome.variable))]);
  facts.push(['Outcome', outcomeFact(r, style)]);
  // Traits by name (as --predictors and the CSV files name them), in text and HTML alike.
  const ratios = `${ratioName(r)}s`;
  facts.push(['Traits', `${r.predictors.map((p) => p.name).join(', ')} (${r.options.rawUnits ? `${ratios} per scale point` : `${ratios} per 1 SD, standardised on the model respondents`})`]);
  const cov = r.covariates.map((c) => (c.kind === 'numeric' ? `${c.name} (numeric)` : `${c.name} (categorical, reference ${c.levels?.[0] ?? '?'})`));
  facts.push(['Covariates', cov.length === 0 ? 'none' : cov.join(', ')]);
  const dropped = r.sample.dropped.filter((d) => d.n > 0);
  const list = dropped.map((d) => `${fmtInt(d.n)} ${droppedReason(d)}`).join(', ');
  facts.push([
    'Model sample',
    style === 'text'
      ? `${fmtInt(r.sample.n)} respondents with the outcome and every predictor and covariate` + (dropped.length ? `; ${fmtInt(r.counts.analysed - r.sample.n)} dropped (${list})` : '')
      : `${fmtInt(r.sample.n)} respondents` + (dropped.length ? `; dropped: ${list}` : ''),
  ]);
  facts.push(['Method', (designMethodReason(r) ?? methodReason(r.method)) + (r.clustering ? ` Clinicians: ${clusterMethodFact(r.clustering)}.` : '')], ...designFacts(r));
  return facts;
}

/** The sentence introducing the adjusted model's table. */
export function modelIntro(r: ReportResult, style: 'text' | 'html'): string {
  const fr = familyOf(r);
  if (fr) return fam.familyModelIntro(fr, style);
  const weighted = designModelIntro(r, style);
  if (weighted) return weighted;
  if (r.clustering) return clusteredModelIntro(r, style);
  const f = r.model!.fit;
  const label = r.outcome.label;
  const cov = r.covariates.length ? ` and ${andList(r.covariates.map((c) => c.name))}` : '';
  return `${f.method === 'firth' ? 'Firth’s bias-reduced' : 'Maximum-likelihood'} logistic regression of ${label} on every trait${cov}: ${fmtInt(f.n)} respondents, ${fmtInt(f.events)} with ${label}. ${style === 'text' ? 'Odds ratios with ' : ''}${ciPhrase(r)}; Holm-adjusted p over the ${r.predictors.length} traits.`;
}

/** The sentence introducing the dominance ranking. */
export function dominanceIntro(r: ReportResult, style: 'text' | 'html'): string {
  const d = r.dominance!;
  const cov = r.covariates.length > 0;
  const traitsR2 = fmtFixed(d.r2Full - d.r2Covariates, 3);
  const fr = familyOf(r);
  const note = fr ? fam.familyDominanceNote(fr) : '';
  if (style === 'text')
    return `General dominance weights${r.design?.dominanceWeighted ? ' (weighted fits)' : ''}: each trait’s average gain in McFadden R² when added to models with the other traits${cov ? ' (covariates always in)' : ''}. The weights add up to the R² the traits explain together (${traitsR2}${cov ? `, beyond ${fmtFixed(d.r2Covariates, 3)} for the covariates alone` : ''}).${note}`;
  return `Ranked by general dominance weight${r.design?.dominanceWeighted ? ' (weighted fits)' : ''}: each trait’s average gain in McFadden R² when it is added to models with the other traits${cov ? ' (covariates always in)' : ''}. Together the traits explain R² = ${traitsR2}${cov ? ` beyond the covariates (${fmtFixed(d.r2Covariates, 3)})` : ''}.${note}`;
}

export const RELIABILITY_INTRO = {
  text: 'Cronbach’s alpha with its Feldt 95% CI and McDonald’s omega, listwise: on the respondents who answered every item of the scale.',
  html: 'Cronbach’s alpha (Feldt 95% CI) and McDonald’s omega, listwise: on the respondents who answered every item of the scale.',
};

/** The reliability section's intro: listwise (default) or pairwise alpha. */
export function reliabilityIntro(r: ReportResult, style: 'text' | 'html'): string {
  if (r.inference.reliability === 'listwise') return RELIABILITY_INTRO[style];
  return 'Cronbach’s alpha pairwise (as psych::alpha): each covariance from the respondents who answered both items; n is the fewest behind any pair, and no Feldt CI (it assumes one complete sample). McDonald’s omega is listwise.';
}

export function cautionText(r: ReportResult): string {
  const f = familyOf(r);
  if (f) return fam.familyCaution(f);
  // The caveat about self-report only when the outcome is self-reported (--outcome-source survey).
  const selfReport = r.outcome.source === 'survey' ? ` Self-reported ${r.outcome.label} may differ from recorded use.` : '';
  return `This is a cross-sectional survey: the odds ratios describe association, not cause. Patients who already use the portal may rate their doctor differently because of it, and traits not measured here may explain both.${selfReport}`;
}

/** The join_unmatched warning: how many respondents had no joined row, and what their values count as (--unmatched). */
function joinUnmatchedText(w: Extract<ReportWarning, { code: 'join_unmatched' }>): string {
  const head = `${w.unmatched} of ${w.n} respondents have no row in ${w.file} (key ${w.on}); `;
  if (w.outcome !== null && w.as === 'negative') {
    const others = w.columns.filter((c) => c !== w.outcome);
    return head + `their ${w.outcome} counts as negative (--unmatched negative)${others.length ? `, their ${others.join(', ')} values as missing` : ''}.`;
  }
  return head + `their ${w.columns.join(', ') || 'joined'} values count as missing${w.outcome !== null ? ' (--unmatched missing; --unmatched negative counts them as without the outcome)' : ''}.`;
}

/** The join's fact line: matches, the --unmatched choice and its count. */
function joinFact(j: NonNullable<ReportResult['input']['join']>, outcomeJoined: boolean): string {
  const unmatched = outcomeJoined ? `${fmtInt(j.unmatched)} without a match (counted as ${j.unmatchedAs === 'negative' ? 'negative' : 'missing'}, --unmatched ${j.unmatchedAs})` : `${fmtInt(j.unmatched)} without a match`;
  return (
    `${j.file} on ${j.on} (${j.columns.join(', ')}): ${fmtInt(j.matched)} respondents matched, ${unmatched}, ${fmtInt(j.unused)} rows of the joined file not in the survey` +
    (j.duplicateKeys > 0 ? `, ${fmtInt(j.duplicateKeys)} duplicate keys (first row used)` : '')
  );
}

/** The sentence introducing the trait means by outcome group (text). */
export function descriptivesIntro(r: ReportResult): string {
  const f = familyOf(r);
  if (f) return fam.familyDescriptivesIntro(f);
  return `Mean (SD) of each trait among respondents with and without ${r.outcome.label}; Cohen’s d with 95% CI; Welch’s t-test.${unweightedNote(r)}`;
}

/** The note under the trait means: the group sizes. */
export function descriptivesCounts(r: ReportResult): string {
  const f = familyOf(r);
  if (f) return fam.familyDescriptivesCounts(f);
  const nPos = Math.max(0, ...r.descriptives.map((d) => d.nPositive));
  const nNeg = Math.max(0, ...r.descriptives.map((d) => d.nNegative));
  return `n = ${fmtInt(nPos)} with and ${fmtInt(nNeg)} without ${r.outcome.label} (fewer for a trait some respondents could not be scored on).`;
}

export const NO_TRAIT = 'No trait to describe.';
export const FOREST_CAPTION_TEXT = 'Odds ratios with 95% CIs (log scale; | marks 1 = no association)';

/** The forest plot's caption and its two arrow labels (text report). */
export function forestLabels(r: ReportResult): { caption: string; left: string; right: string } {
  const f = familyOf(r);
  return f ? fam.familyForest(f) : { caption: FOREST_CAPTION_TEXT, left: '← lower odds ', right: ' higher odds →' };
}

/** "odds ratio", or "rate ratio" for a count outcome. */
export function ratioName(r: ReportResult): string {
  const f = familyOf(r);
  return f ? fam.ratioName(f) : 'odds ratio';
}

/** The column heads of the trait means by outcome group. */
export function descriptivesHeads(r: ReportResult): [string, string] {
  const f = familyOf(r);
  return f ? fam.familySplit(f) : [`With ${r.outcome.label}`, 'Without'];
}

/** The title of the HTML section of trait scores by outcome group. */
export function distributionsTitle(r: ReportResult): string {
  const f = familyOf(r);
  if (!f) return `Trait scores with and without ${r.outcome.label}`;
  return f.family.type === 'count' ? `Trait scores with and without any ${r.outcome.label}` : `Trait scores by ${r.outcome.label}: above “${f.family.lowest}” or not`;
}

/** "Rate of portal use" (yes/no), or the share an ordinal or count outcome's rate is. */
export function rateLabel(r: ReportResult): string {
  const f = familyOf(r);
  return f ? capitalise(fam.familyGroupsRate(f)) : `Rate of ${r.outcome.label}`;
}

/** Why there is no dominance ranking: no ML model with a trait (`fitted`), or no model at all. */
export function noRanking(fitted: boolean, style: 'text' | 'html'): string {
  if (fitted) return `No dominance ranking (it needs a fitted maximum-likelihood model${style === 'text' ? ' with at least one trait' : ''}).`;
  return `No ranking: the model could not be fitted. ${style === 'text' ? 'Unadjusted odds ratios (one trait at a time):' : 'One trait at a time:'}`;
}

/** The facts of "Model fit". */
export function fitFacts(r: ReportResult, style: 'text' | 'html'): [string, string][] {
  const fr = familyOf(r);
  if (fr) return fam.familyFitFacts(fr, style);
  const weighted = designFitFacts(r);
  if (weighted) return weighted;
  const f = r.model!.fit;
  const text = style === 'text';
  const hl = hlFact(r);
  const hlNote = f.hlP !== null && f.hlP < 0.05 ? ' (predicted and observed rates differ)' : ' (no sign of poor calibration)';
  const lowEpv = f.epv < 10 ? (text ? ': below 10, estimates may be unstable' : ' — below 10: estimates may be unstable') : '';
  const epvWhy = text ? ` (the smaller outcome group, ${fmtInt(Math.min(f.events, f.nonEvents))}, over ${f.parameters} coefficients)` : '';
  const lr = f.lrStatistic === null ? (text ? 'not computed for Firth’s method (penalised likelihood)' : '–') : `χ² = ${fmtFixed(f.lrStatistic, 2)} on ${f.lrDf} df, ${fmtPEq(f.lrP)}`;
  return [
    ['Respondents', `${fmtInt(f.n)} (${fmtInt(f.events)} with ${r.outcome.label}, ${fmtInt(f.nonEvents)} without)`],
    ['Events per variable', `${fmtFixed(f.epv, 1)}${epvWhy}${lowEpv}`],
    [text ? 'AUC' : 'AUC (c statistic)', f.auc === null ? '–' : `${fmtFixed(f.auc, 3)} (95% CI ${fmtFixed(f.aucCiLow, 3)}–${fmtFixed(f.aucCiHigh, 3)}, DeLong)`],
    ['Nagelkerke R²', `${fmtFixed(f.nagelkerke, 3)} (McFadden ${fmtFixed(f.mcfadden, 3)})`],
    [text ? 'LR test' : 'Likelihood-ratio test', lr],
    ['Hosmer–Lemeshow', hl + (text && f.hlStatistic !== null ? hlNote : '')],
    ...validationFacts(r),
    ...(r.clustering ? [clusterFitFact(r.clustering)] : []),
  ];
}

/** The sentence introducing the groups table (text). */
export function groupsIntro(r: ReportResult): string {
  const weighted = weightedGroupsIntro(r);
  if (weighted) return weighted;
  const g = r.groups!;
  return `${rateLabel(r)} with Wilson 95% CI, and trait means. Groups with fewer than ${g.minCell} respondents are suppressed (n shown as <${g.minCell}, no statistics); while the suppressed groups together number fewer than ${g.minCell}, the next smallest is withheld too (n shown as >=${g.minCell}) so that their sizes cannot be worked out from the total. A rate or mean with fewer than ${g.minCell} respondents answering is withheld (–).`;
}

/** The --group-by row of respondents with no value in the column. */
export const NOT_STATED = 'not stated';

/** The --group-by row of the small groups pooled by --pool-small. */
export const POOLED_GROUP = 'other';

export { designFacts, rateHeading };

export const GROUPS_NOTE = 'Trait columns: mean score; the 95% CIs are in groups.csv.';

/** Captions and axis titles of the HTML page's figures. */
export const FIGURE = {
  forestAxis: (r: ReportResult) => (familyOf(r) ? fam.familyForest(familyOf(r)!).axis : `Odds ratio (log scale) · left of the dashed line: lower odds, right: higher odds of ${r.outcome.label}`),
  forest: (r: ReportResult) =>
    `Adjusted ${ratioName(r)}s with 95% confidence intervals (${r.clustering ? clusterMethodFact(r.clustering) : r.model?.fit.method === 'firth' ? 'Firth' : r.design?.modelWeighted ? 'weighted, design-based' : r.family ? (r.family.type === 'count' ? 'negative binomial' : 'proportional odds') : 'maximum likelihood'}). Traits in blue${r.model?.units === 'sd' ? ', per 1 SD' : ', per scale point'}; covariates in grey.`,
  dominance: 'General dominance weights (McFadden R²): each trait’s average contribution to the explained variation; the share is of all traits together.',
  distributions: 'Box: quartiles; thick line: median; circle: mean; whiskers: lowest to highest score. Scores in scale units.',
  groupsAxis: (r: ReportResult) => (r.design ? `Weighted rate of ${r.outcome.label} with design-based 95% CI; dashed line: overall weighted rate` : `${rateLabel(r)} with 95% CI (Wilson); dashed line: overall rate`),
  /** The phone layout's shorter axis titles. */
  groupsAxisShort: 'Rate with 95% CI; dashed: overall',
  forestAxisEnds: ['← lower odds', 'higher odds →'] as const,
  rateWithheld: (nLabel: string, minCell: number) => `n ${nLabel}: rate withheld (fewer than ${minCell} answering)`,
  groups: (minCell: number) => `Groups with fewer than ${minCell} respondents are suppressed: no rate or mean is shown for them.`,
  footer: (r: ReportResult) =>
    `Made by rapport ${r.tool.version}. The tables behind this page are in model.csv, predictors.csv, reliability.csv, reliability_items.csv, descriptives.csv${r.groups ? ', groups.csv' : ''}${r.clustering ? ', cluster_reliability.csv, clusters.csv' : ''} and summary.json.`,
};
export * from './facts-xlsx.js';
export * from './facts-dyads.js';
