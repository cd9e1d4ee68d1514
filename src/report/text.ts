/**
 * report.txt: the plain-text report (also printed to stdout). Pure: result in, text out.
 * Holds counts and statistics only: no respondent ids, no free-text answers.
 */
import type { ReportResult } from './types.js';
import { fmtFixed, fmtInt, fmtOr, fmtOrCi, fmtP, fmtPEq, fmtPct, padEnd, textTable, wrap } from './format.js';
import { analysedFacts, cautionText, dominanceIntro, flagText, headline, modelErrorText, modelIntro, reliabilityNote, RELIABILITY_INTRO, termLabel, traitSentence, warningTexts } from './facts.js';

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
  L.push(...kv(analysedFacts(r, 'text')));

  // Reliability
  L.push(...heading('Scale reliability'));
  if (!r.reliability) {
    L.push(...wrap(reliabilityNote(r) ?? 'Not computed.'));
  } else {
    L.push(...wrap(RELIABILITY_INTRO.text));
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
    L.push(...wrap(modelIntro(r, 'text')));
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
    L.push(...wrap(`The model could not be fitted: ${modelErrorText(r) ?? 'unknown reason'}`));
  }

  // Ranking
  L.push(...heading('Which traits matter most'));
  const ranked = r.predictorRows.filter((p) => p.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  if (ranked.length > 0 && r.dominance) {
    L.push(...wrap(dominanceIntro(r, 'text')));
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
  for (const w of warningTexts(r)) {
    const ws = wrap(w, WIDTH, '    ');
    ws[0] = '  - ' + ws[0].slice(4);
    L.push(...ws);
  }

  // Caution
  L.push(...heading('Read with care'));
  L.push(...wrap(cautionText(r)));
  L.push('');
  return L.join('\n');
}

