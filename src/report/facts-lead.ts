/**
 * The sentences written for leadership (issue 18): the page's title and subtitle (--title, --period,
 * the outcome in words), the "In short" list (traits with higher odds kept apart from those with
 * lower odds), the "What this means" paragraph in plain words with no statistical term, and the
 * one-line explanations of the terms the report then uses (odds ratio, per SD, 95% CI, Holm,
 * dominance). Re-exported by facts.ts; the renderers only lay these out.
 */
import { andList, fmtInt, fmtOr } from './format.js';
import { designHeadlineNote } from './design-facts.js';
import { bootstrapTop, mattersMost } from './facts-inference.js';
import { RANK_FIRST_MIN_PCT } from './sections/bootstrap.js';
import type { PredictorRow, ReportResult } from './types.js';

/**
 * The outcome as sentences name it: the --outcome-label in quotes (it may be a noun, "patient portal
 * use", or a verb phrase, "uses the patient portal", and reads in every sentence either way), else
 * the outcome's name in words ("portal_use" and "PORTAL_USE" both read "portal use").
 */
export function outcomePhrase(variable: string, given: string | null | undefined): string {
  if (given !== null && given !== undefined && given.trim() !== '') return `“${given.trim()}”`;
  const words = variable.replace(/[_.]+/g, ' ').trim();
  return words === words.toUpperCase() ? words.toLowerCase() : words;
}

/** The report's title (--title, else the question it answers) and the line under it. */
export function reportTitle(r: ReportResult): { title: string; subtitle: string | null } {
  const question = `Which relationship traits go with ${r.outcome.label}`;
  const title = r.options.title ?? question;
  const sub = [r.options.title !== null ? question : null, r.options.period].filter((s): s is string => s !== null);
  return { title, subtitle: sub.length ? sub.join(' · ') : null };
}

/** Upper-case the first letter, after an opening quote if any ("“uses" → "“Uses"). */
export function capitalise(s: string): string {
  return s.replace(/^([“"]?)(.)/u, (_m, q: string, c: string) => q + c.toUpperCase());
}

/** Traits clearly associated after adjustment (Holm p < 0.05), strongest first. */
function clear(r: ReportResult, higher: boolean): PredictorRow[] {
  const rows = r.predictorRows.filter((p) => p.adjustedPHolm !== null && p.adjustedPHolm < 0.05 && p.adjustedOr !== null && p.adjustedOr > 1 === higher);
  return rows.sort((a, b) => (higher ? (b.adjustedOr ?? 0) - (a.adjustedOr ?? 0) : (a.adjustedOr ?? 0) - (b.adjustedOr ?? 0)));
}

const traitName = (r: ReportResult, p: PredictorRow) => lowerFirst(r.predictors.find((x) => x.name === p.predictor)?.label ?? p.predictor);

function lowerFirst(s: string): string {
  return s.length > 1 && /[A-Z]/.test(s[0]) && /[a-z]/.test(s[1]) ? s[0].toLowerCase() + s.slice(1) : s;
}

/** What the traits were adjusted for, as a clause ("the other traits and age"), or null. */
function adjustedFor(r: ReportResult): string | null {
  const k = r.predictors.length;
  const adj = [...(k > 1 ? [k > 2 ? 'the other traits' : 'the other trait'] : []), ...r.covariates.map((c) => c.name)];
  return adj.length ? andList(adj) : null;
}

/**
 * The "In short" list: traits with higher odds, traits with lower odds (never in one list), the
 * traits with no clear difference, and which trait matters most. Assumes a fitted model.
 */
export function inShort(r: ReportResult): string[] {
  // An ordinal or count outcome keeps its own one-paragraph headline (facts-family.ts).
  if (!r.model || r.family) return [];
  const per = r.options.rawUnits ? 'per point' : 'per SD';
  const list = (ps: PredictorRow[]) => andList(ps.map((p, i) => `${traitName(r, p)} (${i === 0 ? `odds ratio ${fmtOr(p.adjustedOr)} ${per}` : fmtOr(p.adjustedOr)})`));
  const up = clear(r, true);
  const down = clear(r, false);
  const adj = adjustedFor(r);
  const out: string[] = [];
  if (up.length) out.push(`Higher odds of ${r.outcome.label} with higher ${list(up)}.`);
  if (down.length) out.push(`Lower odds of ${r.outcome.label} with higher ${list(down)}.`);
  const rest = r.predictorRows.filter((p) => !up.includes(p) && !down.includes(p));
  if (up.length + down.length === 0) out.push(`No trait went with ${r.outcome.label} clearly enough to rule out chance (Holm-adjusted p ≥ 0.05 for every trait${adj ? `, each adjusted for ${adj}` : ''}).`);
  else {
    if (rest.length) out.push(`No clear difference with ${andList(rest.map((p) => traitName(r, p)))}.`);
    out.push(`${adj ? `Each trait adjusted for ${adj}; ` : ''}${adj ? 'clear' : 'Clear'} means Holm-adjusted p < 0.05.`);
  }
  const most = mattersMost(r, (p) => traitName(r, p));
  if (most) out.push(most);
  if (r.model.fit.method === 'firth') out.push('Estimated with Firth’s method (see Method).');
  const weighted = designHeadlineNote(r).trim();
  if (weighted) out.push(weighted);
  return out;
}


/** "What this means": the findings in plain words, before any statistic. Null without a model. */
export function whatThisMeans(r: ReportResult): string | null {
  if (!r.model || r.family) return null;
  const label = r.outcome.label;
  const up = clear(r, true).map((p) => traitName(r, p));
  const down = clear(r, false).map((p) => traitName(r, p));
  const s: string[] = [];
  const o = r.outcome;
  const answered = o.nPositive + o.nNegative;
  if (o.prevalence !== null) s.push(`In this survey ${label} applies to ${Math.round(100 * o.prevalence)}% of the patients with an answer (${fmtInt(o.nPositive)} of ${fmtInt(answered)}).`);
  const alike = r.predictors.length > 1 ? ', also when comparing patients who rated the other traits alike' : '';
  if (up.length) s.push(`${capitalise(label)} was more common among patients who rated their clinician higher on ${andList(up)}${alike}.`);
  if (down.length) s.push(`${up.length ? 'It' : capitalise(label)} was less common among patients who rated their clinician higher on ${andList(down)}${up.length ? '' : alike}.`);
  if (!up.length && !down.length) s.push(`No relationship trait made a clear difference to ${label}: the differences seen in this survey could be chance.`);
  // the bootstrap's most-often-first trait when there is one (and only if first in >= 60% of resamples)
  const boot = r.inference?.bootstrap?.status === 'ok' ? bootstrapTop(r) : null;
  const top = boot ? (boot.pct >= RANK_FIRST_MIN_PCT ? boot.row : undefined) : r.predictorRows.find((p) => p.rank === 1);
  const clearTop = top && (up.includes(traitName(r, top)) || down.includes(traitName(r, top)));
  if (clearTop && r.dominance && up.length + down.length > 1) s.push(`Of these, ${traitName(r, top)} made the biggest difference.`);
  s.push(`The survey shows which parts of the relationship go together with ${label}; it cannot show that improving them would change it.`);
  return s.join(' ');
}

/** One-line explanations of the terms the report uses, in the order they first appear. */
export function termExplanations(r: ReportResult): [string, string][] {
  const out: [string, string][] = [
    ['Odds ratio', `how many times the odds of ${r.outcome.label} change; 1 means no difference, above 1 more likely, below 1 less likely.`],
  ];
  if (!r.options.rawUnits) out.push(['Per SD', 'per standard deviation: a step from an average score to one clearly above average (about the top sixth of patients).']);
  out.push(
    ['95% CI', 'the confidence interval: the range of odds ratios the data are consistent with; one that includes 1 may be chance.'],
    ['Holm-adjusted p', 'the chance of a difference this large if the trait made none, corrected for testing several traits at once; below 0.05 counts as clear.'],
  );
  if (r.dominance) out.push(['Dominance analysis', 'shares out what the traits explain together among them, to show which trait matters most.']);
  if (r.dominance && r.inference?.bootstrap?.status === 'ok')
    out.push(['Resamples', 'the survey drawn again at random from its own patients, many times: how often a trait comes out first shows how sure the ranking is.']);
  return out;
}
