/**
 * report.txt: the plain-text report (also printed to stdout). Pure: result in, text out.
 * Holds counts and statistics only: no respondent ids, no free-text answers.
 */
import { visible } from '../util/terminal.js';
import { familyText } from './text-family.js';
import type { ReportResult } from './types.js';
import { clinicianLines } from './cluster-text.js';
import { dyadText } from './text-dyads.js';
import { fmtEstCi, fmtFixed, fmtInt, fmtMeanSd, fmtOr, fmtOrCi, fmtP, fmtRateCi, isEffect, padEnd, textTable, wrap } from './format.js';
import {
  analysedFacts,
  capitalise,
  cautionText,
  descriptivesCounts,
  descriptivesIntro,
  dominanceCi,
  dominanceIntro,
  methodSentences,
  rankFirst,
  fitFacts,
  flagText,
  descriptivesHeads,
  forestLabels,
  ratioName,
  groupsIntro,
  headline,
  inShort,
  reportTitle,
  termExplanations,
  whatThisMeans,
  modelErrorText,
  modelIntro,
  NO_TRAIT,
  noRanking,
  rateHeading,
  reliabilityNote,
  reliabilityIntro,
  termLabel,
  traitSentence,
  warningTexts,
} from './facts.js';

const WIDTH = 78;

export function heading(s: string): string[] {
  return ['', s.toUpperCase(), '-'.repeat(Math.min(WIDTH, [...s].length))];
}

export function kv(rows: [string, string | string[]][], keyWidth = 14): string[] {
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
  const terms = (r.model?.terms ?? []).filter(isEffect);
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
  const { left, right } = forestLabels(r);
  if (one >= left.length) out.push('  ' + ' '.repeat(lw) + ' '.repeat(one - left.length) + left + '|' + right);
  return out;
}

function bar(share: number, width = 20): string {
  const n = Math.round(Math.max(0, Math.min(1, share)) * width);
  return '█'.repeat(n) + '░'.repeat(width - n);
}

function reliabilitySection(r: ReportResult): string[] {
  const L = heading('Scale reliability');
  if (!r.reliability) return [...L, ...wrap(reliabilityNote(r) ?? 'Not computed.')];
  const rows = r.reliability.map((s) => [
    s.scale,
    String(s.nItems),
    fmtInt(s.n),
    fmtEstCi(s.alpha, s.alphaCiLow, s.alphaCiHigh),
    fmtFixed(s.omegaTotal, 2),
    fmtFixed(s.averageR, 2),
    s.flags.length ? s.flags.map(flagText).join('; ') : s.note ?? 'ok',
  ]);
  return [...L, ...wrap(reliabilityIntro(r, 'text')), '', ...textTable(['Scale', 'Items', 'n', 'Alpha (95% CI)', 'Omega', 'Mean r', 'Flags'], rows, ['l', 'r', 'r', 'l', 'r', 'r', 'l'])];
}

function descriptivesSection(r: ReportResult): string[] {
  const L = heading(`Trait means by ${r.outcome.label}`);
  if (r.descriptives.length === 0) return [...L, `  ${NO_TRAIT}`];
  const rows = r.descriptives.map((d) => [
    d.scale,
    fmtMeanSd(d.meanPositive, d.sdPositive),
    fmtMeanSd(d.meanNegative, d.sdNegative),
    fmtEstCi(d.cohensD, d.cohensDCiLow, d.cohensDCiHigh, ' to '),
    fmtP(d.welchP),
  ]);
  const [withHead, withoutHead] = descriptivesHeads(r);
  const table = textTable(['Trait', withHead, withoutHead, 'Cohen’s d (95% CI)', 'p'], rows, ['l', 'l', 'l', 'l', 'r']);
  return [...L, ...wrap(descriptivesIntro(r)), '', ...table, `  ${descriptivesCounts(r)}`];
}

function modelSection(r: ReportResult): string[] {
  const L = heading('Adjusted model');
  if (!r.model) return [...L, ...wrap(`The model could not be fitted: ${modelErrorText(r) ?? 'unknown reason'}`)];
  const holm = new Map(r.predictorRows.map((p) => [p.predictor, p.adjustedPHolm]));
  const rows = r.model.terms
    .filter(isEffect)
    .map((t) => [termLabel(r, t), fmtOrCi(t.oddsRatio, t.ciLow, t.ciHigh), fmtP(t.pValue), t.kind === 'trait' ? fmtP(holm.get(t.term) ?? null) : '']);
  const table = textTable(['Term', capitalise(ratioName(r)), 'p', 'Holm p'], rows, ['l', 'l', 'r', 'r']);
  return [...L, ...wrap(modelIntro(r, 'text')), '', ...table, '', `  ${forestLabels(r).caption}`, '', ...asciiForest(r), ...familyText(r, heading)];
}

function rankingSection(r: ReportResult): string[] {
  const L = heading('Which traits matter most');
  const ranked = r.predictorRows.filter((p) => p.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  if (ranked.length > 0 && r.dominance) {
    const boot = r.inference.bootstrap.status === 'ok';
    const rows = ranked.map((p) => [String(p.rank), p.predictor, fmtFixed(p.dominance, 4), ...(boot ? [dominanceCi(p), rankFirst(p)] : []), p.dominanceShare === null ? '–' : `${Math.round(100 * p.dominanceShare)}%`, bar(p.dominanceShare ?? 0)]);
    const head = ['Rank', 'Trait', 'Weight', ...(boot ? ['95% CI', 'First'] : []), 'Share', ''];
    L.push(...wrap(dominanceIntro(r, 'text')), '', ...textTable(head, rows, ['r', 'l', 'r', ...(boot ? (['l', 'r'] as const) : []), 'r', 'l']), '');
    for (const p of ranked) {
      const ws = wrap(traitSentence(r, p), WIDTH, '     ');
      ws[0] = '  ' + padEnd(`${p.rank}.`, 3) + ws[0].slice(5);
      L.push(...ws);
    }
    return L;
  }
  if (r.model) return [...L, ...wrap(noRanking(true, 'text')), ...r.predictorRows.flatMap((p) => wrap(traitSentence(r, p), WIDTH, '  '))];
  const rows = r.predictorRows.map((p) => [p.predictor, fmtInt(p.unadjustedN), fmtOrCi(p.unadjustedOr, p.unadjustedCiLow, p.unadjustedCiHigh), fmtP(p.unadjustedP)]);
  return [...L, ...wrap(noRanking(false, 'text')), '', ...textTable(['Trait', 'n', `Unadjusted ${ratioName(r)}`, 'p'], rows, ['l', 'r', 'l', 'r'])];
}

function groupsSection(r: ReportResult): string[] {
  const g = r.groups!;
  const rows = g.rows.map((row) =>
    row.suppressed
      ? [row.group, row.nLabel, 'suppressed', ...r.predictors.map(() => '')]
      : [
          row.group,
          fmtInt(row.n ?? 0),
          fmtRateCi(row.rate, row.rateCiLow, row.rateCiHigh),
          ...row.traits.map((t) => fmtFixed(t.mean, 2)),
        ],
  );
  const table = textTable(['Group', 'n', `${rateHeading(r)} (95% CI)`, ...r.predictors.map((p) => p.name)], rows, ['l', 'r', 'l', ...r.predictors.map(() => 'r' as const)]);
  return [...heading(`${r.outcome.label} by ${g.by}`), ...wrap(groupsIntro(r)), '', ...table];
}

/** A sentence as a list item: "  - " then the text wrapped under itself. */
function bullet(s: string): string[] {
  const ws = wrap(s, WIDTH, '    ');
  ws[0] = '  - ' + ws[0].slice(4);
  return ws;
}

/** The title, the line under it (--period, the question when --title is given) and a rule. */
function titleLines(r: ReportResult): string[] {
  const { title, subtitle } = reportTitle(r);
  const lines = [title, ...(subtitle ? [subtitle] : [])];
  return [...lines, '='.repeat(Math.min(WIDTH, Math.max(...lines.map((l) => [...l].length))))];
}

/** What this means (plain words), In short (the findings as a list) and the terms they use. */
function leadSection(r: ReportResult): string[] {
  const means = whatThisMeans(r);
  if (!means) return ['', ...wrap(`In short: ${headline(r)}`, WIDTH, '')];
  const L = [...heading('What this means'), ...wrap(means), ...heading('In short')];
  for (const item of inShort(r)) L.push(...bullet(item));
  L.push('', '  Terms used:');
  const w = Math.max(...termExplanations(r).map(([k]) => k.length)) + 2;
  for (const [k, v] of termExplanations(r)) {
    const ws = wrap(v, WIDTH, ' '.repeat(4 + w));
    ws[0] = '    ' + padEnd(k, w) + ws[0].slice(4 + w);
    L.push(...ws);
  }
  return L;
}

function warningsSection(r: ReportResult): string[] {
  const L = heading('Warnings');
  if (r.warnings.length === 0) L.push('  None.');
  for (const w of warningTexts(r)) L.push(...bullet(w));
  return L;
}

export function renderText(r: ReportResult): string {
  const L: string[] = [...titleLines(r), ...leadSection(r)];
  if (r.clustering && r.model) L.push(...heading('Clinicians'), ...clinicianLines(r, WIDTH));
  L.push(...heading('What was analysed'), ...kv(analysedFacts(r, 'text')));
  L.push(...reliabilitySection(r), ...descriptivesSection(r), ...modelSection(r), ...rankingSection(r));
  if (r.model) L.push(...heading('Model fit'), ...kv(fitFacts(r, 'text'), 21));
  if (r.groups) L.push(...groupsSection(r));
  L.push(...dyadText(r));
  L.push(...heading('How the figures were obtained'), ...methodSentences(r).flatMap(bullet));
  L.push(...warningsSection(r), ...heading('Read with care'), ...wrap(cautionText(r)), '');
  // Column names and group values come from the export: shown, never sent raw to a terminal.
  return visible(L.join('\n'), { lines: true });
}
