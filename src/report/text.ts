/**
 * report.txt: the plain-text report (also printed to stdout). Pure: result in, text out.
 * Holds counts and statistics only: no respondent ids, no free-text answers.
 */
import { visible } from '../util/terminal.js';
import type { ReportResult, TermRow, PredictorRow } from './types.js';
import { andList, fmtFixed, fmtInt, fmtOr, fmtOrCi, fmtP, fmtPEq, fmtPct, padEnd, textTable, wrap } from './format.js';

const WIDTH = 78;

function heading(s: string): string[] {
  return ['', s.toUpperCase(), '-'.repeat(Math.min(WIDTH, [...s].length))];
}

function kv(rows: [string, string | string[]][], keyWidth = 14): string[] {
  const out: string[] = [];
  for (const [k, v] of rows) {
    const vals = Array.isArray(v) ? v : [v];
    vals.forEach((val, i) => {
      const lines = wrap(val, WIDTH, '');
      lines.forEach((l, j) => out.push('  ' + padEnd(i === 0 && j === 0 ? k : '', keyWidth) + l));
    });
  }
  return out;
}

/** "trust" → "trust"; "Patient-centred communication" → "patient-centred communication"; keeps acronyms. */
export function lowerLabel(s: string): string {
  if (s.length > 1 && /[A-Z]/.test(s[0]) && /[a-z]/.test(s[1])) return s[0].toLowerCase() + s.slice(1);
  return s;
}

export function capitalise(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
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

/** The covariate list as a phrase: "age and sex". */
function covariatePhrase(r: ReportResult): string {
  return andList(r.covariates.map((c) => c.name));
}

/** One plain-language sentence per trait. */
export function traitSentence(r: ReportResult, p: PredictorRow): string {
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

/** Platform names as a reader knows them. */
export function formatName(f: string | null): string | null {
  const names: Record<string, string> = {
    plain: 'plain CSV',
    qualtrics: 'Qualtrics export',
    'qualtrics-legacy': 'Qualtrics export, legacy format',
    redcap: 'REDCap export',
    limesurvey: 'LimeSurvey export',
    'scored CSV': 'already scored CSV',
  };
  return f === null ? null : (names[f] ?? f);
}

/**
 * Two or three sentences for the top of the report: which traits went with the outcome after
 * adjustment (Holm p < 0.05), and which matters most by dominance.
 */
export function headline(r: ReportResult): string {
  if (!r.model) return `The model could not be fitted: ${r.modelError ?? 'unknown reason'} See the descriptive results below.`;
  const per = r.options.rawUnits ? 'per point' : 'per SD';
  const sig = r.predictorRows.filter((p) => p.adjustedPHolm !== null && p.adjustedPHolm < 0.05 && p.adjustedOr !== null);
  sig.sort((a, b) => (b.adjustedOr ?? 0) - (a.adjustedOr ?? 0));
  const k = r.predictors.length;
  const adjFor = [...(k > 1 ? [k > 2 ? 'the other traits' : 'the other trait'] : []), ...r.covariates.map((c) => c.name)];
  const adjust = adjFor.length ? ` after adjusting for ${andList(adjFor)}` : '';
  let s: string;
  if (sig.length === 0)
    s = `No trait went with ${r.outcome.label} clearly enough to rule out chance${adjust} (Holm-adjusted p ≥ 0.05 for every trait).`;
  else {
    const parts = sig.map((p, i) => `${p.predictor} (${i === 0 ? `odds ratio ${fmtOr(p.adjustedOr)} ${per}` : fmtOr(p.adjustedOr)})`);
    const up = sig.filter((p) => (p.adjustedOr ?? 1) > 1).length === sig.length;
    s = `Of ${k} trait${k === 1 ? '' : 's'}, ${sig.length === 1 ? 'one' : String(sig.length)} went with ${up ? 'higher' : 'different'} odds of ${r.outcome.label}${adjust} (Holm-adjusted p < 0.05): ${andList(parts)}.`;
  }
  if (r.model.fit.method === 'firth') s += ' Estimated with Firth’s method (see Method).';
  const top = r.predictorRows.find((p) => p.rank === 1);
  if (top && top.dominanceShare !== null && r.dominance)
    s += ` ${capitalise(lowerLabel(top.label))} matters most: ${Math.round(100 * top.dominanceShare)}% of the variation the traits explain together (dominance analysis).`;
  return s;
}

/** Log-scale axis for odds ratios: limits and tick values. */
export function orAxis(values: number[]): { lo: number; hi: number; ticks: number[] } {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  let lo = Math.min(1, ...finite);
  let hi = Math.max(1, ...finite);
  lo = Math.max(lo, 1e-3);
  hi = Math.min(hi, 1e3);
  const candidates = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10, 20, 50, 100, 200, 500, 1000];
  const ratio = hi / lo;
  const base = ratio <= 64 ? [0.015625, 0.03125, 0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64] : ratio <= 1e4 ? [0.001, 0.01, 0.1, 1, 10, 100, 1000] : candidates.filter((c) => Math.log10(c) % 1 === 0);
  const tLo = [...base].reverse().find((c) => c <= lo * 1.0000001) ?? base[0];
  const tHi = base.find((c) => c >= hi / 1.0000001) ?? base[base.length - 1];
  const ticks = base.filter((c) => c >= tLo && c <= tHi);
  return { lo: tLo, hi: tHi, ticks };
}

function tickLabel(v: number): string {
  if (v >= 1) return String(v);
  const s = String(v);
  return s.length <= 5 ? s : v.toPrecision(2);
}

/** ASCII forest plot of the non-intercept terms: `├───●───┤` on a log axis with `|` at 1. */
export function asciiForest(r: ReportResult, plotWidth = 40): string[] {
  const terms = (r.model?.terms ?? []).filter((t) => t.kind !== 'intercept');
  if (terms.length === 0) return [];
  const axis = orAxis(terms.flatMap((t) => [t.ciLow, t.ciHigh, t.oddsRatio]));
  const llo = Math.log(axis.lo);
  const lhi = Math.log(axis.hi);
  const pos = (v: number) => Math.round(((Math.log(Math.min(Math.max(v, axis.lo), axis.hi)) - llo) / (lhi - llo)) * (plotWidth - 1));
  const labels = terms.map((t) => t.term);
  const lw = Math.max(...labels.map((l) => [...l].length), 4) + 2;
  const out: string[] = [];
  // axis labels line (labels kept inside the plot area)
  const axisLine = new Array<string>(plotWidth).fill(' ');
  for (const t of axis.ticks) {
    const s = tickLabel(t);
    const c = Math.min(Math.max(0, pos(t) - Math.floor(s.length / 2)), plotWidth - s.length);
    if (axisLine.slice(Math.max(0, c - 1), c + s.length + 1).some((ch) => ch !== ' ')) continue;
    for (let k = 0; k < s.length; k++) axisLine[c + k] = s[k];
  }
  out.push('  ' + ' '.repeat(lw) + axisLine.join('').replace(/\s+$/, ''));
  const one = pos(1);
  const tickPos = new Set(axis.ticks.map(pos));
  for (const t of terms) {
    const line = new Array<string>(plotWidth).fill(' ');
    for (const p of tickPos) line[p] = '·';
    line[one] = '|';
    const a = pos(t.ciLow);
    const b = pos(t.ciHigh);
    for (let k = a; k <= b; k++) line[k] = '─';
    line[a] = t.ciLow < axis.lo ? '<' : '├';
    line[b] = t.ciHigh > axis.hi ? '>' : '┤';
    if (t.oddsRatio > axis.hi) line[plotWidth - 1] = '>';
    else if (t.oddsRatio < axis.lo) line[0] = '<';
    else line[pos(t.oddsRatio)] = '●';
    out.push('  ' + padEnd(t.term, lw) + line.join('') + '  ' + fmtOr(t.oddsRatio));
  }
  const left = '← lower odds ';
  const right = ' higher odds →';
  if (one >= left.length) out.push('  ' + ' '.repeat(lw) + ' '.repeat(one - left.length) + left + '|' + right);
  return out;
}

function bar(share: number, width = 20): string {
  const n = Math.round(Math.max(0, Math.min(1, share)) * width);
  return '█'.repeat(n) + '░'.repeat(width - n);
}

export function renderText(r: ReportResult): string {
  const L: string[] = [];
  const title = `rapport report: which relationship traits go with ${r.outcome.label}`;
  L.push(title, '='.repeat(Math.min(WIDTH, [...title].length)));
  L.push('');
  L.push(...wrap(`In short: ${headline(r)}`, WIDTH, ''));

  // What was analysed
  L.push(...heading('What was analysed'));
  const inputLine = r.input.format ? `${r.input.file} (${formatName(r.input.format)})` : r.input.file;
  const rows: [string, string | string[]][] = [['Input', inputLine]];
  if (r.input.instrument) rows.push(['Instrument', `${r.input.instrument.id} ${r.input.instrument.version}, ${r.input.instrument.title}`]);
  const exclTotal = r.counts.excluded.reduce((a, c) => a + c.n, 0);
  const respondents = [`${fmtInt(r.counts.read)} read, ${fmtInt(exclTotal)} excluded, ${fmtInt(r.counts.analysed)} analysed`];
  if (r.counts.excluded.length > 0) respondents.push('excluded: ' + r.counts.excluded.map((c) => `${fmtInt(c.n)} ${c.reason}`).join(', '));
  if (r.counts.invalidCells > 0) respondents.push(`${fmtInt(r.counts.invalidCells)} invalid cells were treated as missing`);
  rows.push(['Respondents', respondents]);
  if (r.input.join) {
    const j = r.input.join;
    rows.push([
      'Joined',
      `${j.file} on ${j.on} (${j.columns.join(', ')}): ${fmtInt(j.matched)} respondents matched, ${fmtInt(j.unmatched)} without a match, ${fmtInt(j.unused)} rows of the joined file not in the survey` +
        (j.duplicateKeys > 0 ? `, ${fmtInt(j.duplicateKeys)} duplicate keys (first row used)` : ''),
    ]);
  }
  const o = r.outcome;
  const answered = o.nPositive + o.nNegative;
  rows.push([
    'Outcome',
    [
      `${o.variable}: ${o.positive.map((v) => `"${v}"`).join(', ')} counts as ${o.label} (${o.rule})`,
      `${fmtInt(o.nPositive)} of ${fmtInt(answered)} respondents with an answer (${fmtPct(o.prevalence === null ? null : 100 * o.prevalence)}); ${fmtInt(o.nMissing)} without an answer`,
    ],
  ]);
  rows.push(['Traits', `${r.predictors.map((p) => p.name).join(', ')} (${r.options.rawUnits ? 'odds ratios per scale point' : 'odds ratios per 1 SD, standardised on the model respondents'})`]);
  rows.push([
    'Covariates',
    r.covariates.length === 0
      ? 'none'
      : r.covariates.map((c) => (c.kind === 'numeric' ? `${c.name} (numeric)` : `${c.name} (categorical, reference ${c.levels?.[0] ?? '?'})`)).join(', '),
  ]);
  const dropped = r.sample.dropped.filter((d) => d.n > 0);
  rows.push([
    'Model sample',
    `${fmtInt(r.sample.n)} respondents with the outcome and every predictor and covariate` +
      (dropped.length ? `; ${fmtInt(r.counts.analysed - r.sample.n)} dropped (${dropped.map((d) => `${fmtInt(d.n)} ${d.reason}`).join(', ')})` : ''),
  ]);
  rows.push(['Method', r.method.reason]);
  L.push(...kv(rows));

  // Reliability
  L.push(...heading('Scale reliability'));
  if (!r.reliability) {
    L.push(...wrap(r.reliabilityNote ?? 'Not computed.'));
  } else {
    L.push(...wrap('Cronbach’s alpha with its Feldt 95% CI and McDonald’s omega, on the respondents who answered every item of the scale.'));
    L.push('');
    const trs = r.reliability.map((s) => [
      s.scale,
      String(s.nItems),
      fmtInt(s.n),
      s.alpha === null ? '–' : `${fmtFixed(s.alpha, 2)} (${fmtFixed(s.alphaCiLow, 2)}–${fmtFixed(s.alphaCiHigh, 2)})`,
      fmtFixed(s.omegaTotal, 2),
      fmtFixed(s.averageR, 2),
      s.flags.length ? s.flags.map(flagText).join('; ') : s.note ?? 'ok',
    ]);
    L.push(...textTable(['Scale', 'Items', 'n', 'Alpha (95% CI)', 'Omega', 'Mean r', 'Flags'], trs, ['l', 'r', 'r', 'l', 'r', 'r', 'l']));
  }

  // Trait means by outcome group
  L.push(...heading(`Trait means by ${r.outcome.label}`));
  if (r.descriptives.length === 0) L.push('  No trait to describe.');
  else {
    L.push(...wrap(`Mean (SD) of each trait among respondents with and without ${r.outcome.label}; Cohen’s d with 95% CI; Welch’s t-test.`));
    L.push('');
    const nPos = Math.max(0, ...r.descriptives.map((d) => d.nPositive));
    const nNeg = Math.max(0, ...r.descriptives.map((d) => d.nNegative));
    const drs = r.descriptives.map((d) => [
      d.scale,
      d.meanPositive === null ? '–' : `${fmtFixed(d.meanPositive, 2)} (${fmtFixed(d.sdPositive, 2)})`,
      d.meanNegative === null ? '–' : `${fmtFixed(d.meanNegative, 2)} (${fmtFixed(d.sdNegative, 2)})`,
      d.cohensD === null ? '–' : `${fmtFixed(d.cohensD, 2)} (${fmtFixed(d.cohensDCiLow, 2)} to ${fmtFixed(d.cohensDCiHigh, 2)})`,
      fmtP(d.welchP),
    ]);
    L.push(...textTable(['Trait', `With ${r.outcome.label}`, 'Without', 'Cohen’s d (95% CI)', 'p'], drs, ['l', 'l', 'l', 'l', 'r']));
    L.push(`  n = ${fmtInt(nPos)} with and ${fmtInt(nNeg)} without ${r.outcome.label} (fewer for a trait some respondents could not be scored on).`);
  }

  // Adjusted model
  if (r.model) {
    const f = r.model.fit;
    L.push(...heading('Adjusted model'));
    L.push(
      ...wrap(
        `${f.method === 'firth' ? 'Firth’s bias-reduced' : 'Maximum-likelihood'} logistic regression of ${r.outcome.label} on every trait${r.covariates.length ? ` and ${covariatePhrase(r)}` : ''}: ${fmtInt(f.n)} respondents, ${fmtInt(f.events)} with ${r.outcome.label}. Odds ratios with Wald 95% CIs; Holm-adjusted p over the ${r.predictors.length} traits.`,
      ),
    );
    L.push('');
    const holm = new Map(r.predictorRows.map((p) => [p.predictor, p.adjustedPHolm]));
    const mrs = r.model.terms
      .filter((t) => t.kind !== 'intercept')
      .map((t) => [termLabel(r, t), fmtOrCi(t.oddsRatio, t.ciLow, t.ciHigh), fmtP(t.pValue), t.kind === 'trait' ? fmtP(holm.get(t.term) ?? null) : '']);
    L.push(...textTable(['Term', 'Odds ratio', 'p', 'Holm p'], mrs, ['l', 'l', 'r', 'r']));
    L.push('');
    L.push('  Odds ratios with 95% CIs (log scale; | marks 1 = no association)');
    L.push('');
    L.push(...asciiForest(r));
  } else {
    L.push(...heading('Adjusted model'));
    L.push(...wrap(`The model could not be fitted: ${r.modelError ?? 'unknown reason'}`));
  }

  // Ranking
  L.push(...heading('Which traits matter most'));
  const ranked = r.predictorRows.filter((p) => p.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  if (ranked.length > 0 && r.dominance) {
    L.push(
      ...wrap(
        `General dominance weights: each trait’s average gain in McFadden R² when added to models with the other traits${r.covariates.length ? ' (covariates always in)' : ''}. The weights add up to the R² the traits explain together (${fmtFixed(r.dominance.r2Full - r.dominance.r2Covariates, 3)}${r.covariates.length ? `, beyond ${fmtFixed(r.dominance.r2Covariates, 3)} for the covariates alone` : ''}).`,
      ),
    );
    L.push('');
    const rrs = ranked.map((p) => [String(p.rank), p.predictor, fmtFixed(p.dominance, 4), p.dominanceShare === null ? '–' : `${Math.round(100 * p.dominanceShare)}%`, bar(p.dominanceShare ?? 0)]);
    L.push(...textTable(['Rank', 'Trait', 'Weight', 'Share', ''], rrs, ['r', 'l', 'r', 'r', 'l']));
    L.push('');
    for (const p of ranked) {
      const ws = wrap(traitSentence(r, p), WIDTH, '     ');
      ws[0] = '  ' + padEnd(`${p.rank}.`, 3) + ws[0].slice(5);
      L.push(...ws);
    }
  } else if (r.model) {
    L.push(...wrap('No dominance ranking (it needs a fitted maximum-likelihood model with at least one trait).'));
    for (const p of r.predictorRows) L.push(...wrap(traitSentence(r, p), WIDTH, '  '));
  } else {
    L.push(...wrap('No ranking: the model could not be fitted. Unadjusted odds ratios (one trait at a time):'));
    L.push('');
    const urs = r.predictorRows.map((p) => [p.predictor, fmtInt(p.unadjustedN), fmtOrCi(p.unadjustedOr, p.unadjustedCiLow, p.unadjustedCiHigh), fmtP(p.unadjustedP)]);
    L.push(...textTable(['Trait', 'n', 'Unadjusted odds ratio', 'p'], urs, ['l', 'r', 'l', 'r']));
  }

  // Model fit
  if (r.model) {
    const f = r.model.fit;
    L.push(...heading('Model fit'));
    const fitRows: [string, string | string[]][] = [
      ['Respondents', `${fmtInt(f.n)} (${fmtInt(f.events)} with ${r.outcome.label}, ${fmtInt(f.nonEvents)} without)`],
      [
        'Events per variable',
        `${fmtFixed(f.epv, 1)} (the smaller outcome group, ${fmtInt(Math.min(f.events, f.nonEvents))}, over ${f.parameters} coefficients)${f.epv < 10 ? ': below 10, estimates may be unstable' : ''}`,
      ],
      ['AUC', f.auc === null ? '–' : `${fmtFixed(f.auc, 3)} (95% CI ${fmtFixed(f.aucCiLow, 3)}–${fmtFixed(f.aucCiHigh, 3)}, DeLong)`],
      ['Nagelkerke R²', `${fmtFixed(f.nagelkerke, 3)} (McFadden ${fmtFixed(f.mcfadden, 3)})`],
      ['LR test', f.lrStatistic === null ? 'not computed for Firth’s method (penalised likelihood)' : `χ² = ${fmtFixed(f.lrStatistic, 2)} on ${f.lrDf} df, ${fmtPEq(f.lrP)}`],
      [
        'Hosmer–Lemeshow',
        f.hlStatistic === null ? '–' : `χ² = ${fmtFixed(f.hlStatistic, 2)} on ${f.hlDf} df, ${fmtPEq(f.hlP)}${f.hlP !== null && f.hlP < 0.05 ? ' (predicted and observed rates differ)' : ' (no sign of poor calibration)'}`,
      ],
    ];
    L.push(...kv(fitRows, 21));
  }

  // Groups
  if (r.groups) {
    const g = r.groups;
    L.push(...heading(`${r.outcome.label} by ${g.by}`));
    L.push(...wrap(`Rate of ${r.outcome.label} with Wilson 95% CI, and trait means. Groups with fewer than ${g.minCell} respondents are suppressed (n shown as <${g.minCell}, no statistics); when only one group would be suppressed, the next smallest is withheld too (n shown as >=${g.minCell}) so that its size cannot be worked out from the total.`));
    L.push('');
    const grs = g.rows.map((row) =>
      row.suppressed
        ? [row.group, row.nLabel, 'suppressed', ...r.predictors.map(() => '')]
        : [
            row.group,
            fmtInt(row.n ?? 0),
            row.rate === null ? '–' : `${fmtPct(100 * row.rate)} (${fmtFixed(100 * (row.rateCiLow ?? NaN), 1)}–${fmtFixed(100 * (row.rateCiHigh ?? NaN), 1)})`,
            ...row.traits.map((t) => fmtFixed(t.mean, 2)),
          ],
    );
    L.push(...textTable(['Group', 'n', `Rate (95% CI)`, ...r.predictors.map((p) => p.name)], grs, ['l', 'r', 'l', ...r.predictors.map(() => 'r' as const)]));
  }

  // Warnings
  L.push(...heading('Warnings'));
  if (r.warnings.length === 0) L.push('  None.');
  for (const w of r.warnings) {
    const ws = wrap(w.message, WIDTH, '    ');
    ws[0] = '  - ' + ws[0].slice(4);
    L.push(...ws);
  }

  // Caution
  L.push(...heading('Read with care'));
  L.push(
    ...wrap(
      `This is a cross-sectional survey: the odds ratios describe association, not cause. Patients who already use the portal may rate their doctor differently because of it, and traits not measured here may explain both. Self-reported ${r.outcome.label} may differ from recorded use.`,
    ),
  );
  L.push('');
  // Column names and group values come from the export: shown, never sent raw to a terminal.
  return visible(L.join('\n'), { lines: true });
}

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
