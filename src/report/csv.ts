/**
 * CSV tables of the report: model.csv, predictors.csv, reliability.csv, reliability_items.csv,
 * descriptives.csv, groups.csv. Full precision (12 significant digits, no float noise), empty cell
 * for a missing value, LF line ends, text cells neutralised against formula injection.
 */
import { formatNumber, neutralizeFormula } from '../util/format.js';
import type { ReportResult } from './types.js';

type Cell = string | number | null | undefined | boolean;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = neutralizeFormula(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(header: string[], rows: Cell[][]): string {
  let out = header.map(cell).join(',') + '\n';
  for (const r of rows) out += r.map(cell).join(',') + '\n';
  return out;
}

const MODEL_COLUMNS = ['term', 'estimate', 'std_error', 'z', 'p_value', 'odds_ratio', 'ci_low', 'ci_high', 'vif', 'method', 'lr_p'];

export function modelCsv(r: ReportResult): string {
  // --cluster: method glmm / ml-cluster-robust / firth-cluster-robust, and robust_se of the ordinary fit
  const robust = r.clustering ? new Map(r.clustering.robustSe.map((x) => [x.term, x.se])) : null;
  const rows = (r.model?.terms ?? []).map((t) => [
    t.term,
    t.estimate,
    t.stdError,
    t.z,
    t.pValue,
    t.oddsRatio,
    t.ciLow,
    t.ciHigh,
    t.vif,
    r.clustering ? r.clustering.method : r.model!.fit.method,
    t.lrP,
    ...(robust ? [robust.get(t.term)] : []),
  ]);
  return csvText(robust ? [...MODEL_COLUMNS, 'robust_se'] : MODEL_COLUMNS, rows);
}

const PREDICTOR_COLUMNS = [
  'predictor',
  'rank',
  'unadjusted_or',
  'unadjusted_ci_low',
  'unadjusted_ci_high',
  'unadjusted_p',
  'adjusted_or',
  'adjusted_ci_low',
  'adjusted_ci_high',
  'adjusted_p',
  'adjusted_p_holm',
  'dominance',
  'auc',
  'unadjusted_n',
  'dominance_share',
  'units',
];

export function predictorsCsv(r: ReportResult): string {
  const units = r.options.rawUnits ? 'raw' : 'sd';
  const rows = r.predictorRows.map((p) => [
    p.predictor,
    p.rank,
    p.unadjustedOr,
    p.unadjustedCiLow,
    p.unadjustedCiHigh,
    p.unadjustedP,
    p.adjustedOr,
    p.adjustedCiLow,
    p.adjustedCiHigh,
    p.adjustedP,
    p.adjustedPHolm,
    p.dominance,
    p.auc,
    p.unadjustedN,
    p.dominanceShare,
    units,
    ...(r.design ? [weightedWhat(r)] : []),
  ]);
  return csvText([...PREDICTOR_COLUMNS, ...(r.design ? ['weighted'] : [])], rows);
}

const RELIABILITY_COLUMNS = ['scale', 'n_items', 'n', 'alpha', 'alpha_ci_low', 'alpha_ci_high', 'std_alpha', 'omega_total', 'average_r', 'flags'];

export function reliabilityCsv(r: ReportResult): string {
  const rows = (r.reliability ?? []).map((s) => [
    s.scale,
    s.nItems,
    s.n,
    s.alpha,
    s.alphaCiLow,
    s.alphaCiHigh,
    s.stdAlpha,
    s.omegaTotal,
    s.averageR,
    s.flags.join(';'),
  ]);
  return csvText(RELIABILITY_COLUMNS, rows);
}

const RELIABILITY_ITEM_COLUMNS = ['scale', 'item', 'r_drop', 'alpha_if_deleted', 'mean', 'sd', 'missing_pct'];

export function reliabilityItemsCsv(r: ReportResult): string {
  const rows: Cell[][] = [];
  for (const s of r.reliability ?? []) for (const it of s.items) rows.push([s.scale, it.item, it.rDrop, it.alphaIfDeleted, it.mean, it.sd, it.missingPct]);
  return csvText(RELIABILITY_ITEM_COLUMNS, rows);
}

const DESCRIPTIVE_COLUMNS = [
  'scale',
  'n',
  'mean',
  'sd',
  'median',
  'q1',
  'q3',
  'min',
  'max',
  'pct_floor',
  'pct_ceiling',
  'pct_missing',
  'n_positive',
  'mean_positive',
  'sd_positive',
  'n_negative',
  'mean_negative',
  'sd_negative',
  'mean_difference',
  'cohens_d',
  'cohens_d_ci_low',
  'cohens_d_ci_high',
  'welch_t',
  'welch_df',
  'welch_p',
  'auc',
];

export function descriptivesCsv(r: ReportResult): string {
  const rows = r.descriptives.map((d) => [
    d.scale,
    d.n,
    d.mean,
    d.sd,
    d.median,
    d.q1,
    d.q3,
    d.min,
    d.max,
    d.pctFloor,
    d.pctCeiling,
    d.pctMissing,
    d.nPositive,
    d.meanPositive,
    d.sdPositive,
    d.nNegative,
    d.meanNegative,
    d.sdNegative,
    d.meanDifference,
    d.cohensD,
    d.cohensDCiLow,
    d.cohensDCiHigh,
    d.welchT,
    d.welchDf,
    d.welchP,
    d.auc,
    ...weightedMeanCells(r, d.scale),
  ]);
  return csvText([...DESCRIPTIVE_COLUMNS, ...(r.design ? WEIGHTED_MEAN_COLUMNS : [])], rows);
}

/** Under a sampling design the rates and means of groups.csv are weighted, and their columns say so. */
function groupsColumns(r: ReportResult): string[] {
  const w = r.design ? 'weighted_' : '';
  const cols = ['group', 'n', 'n_outcome', `${w}outcome_rate`, 'rate_ci_low', 'rate_ci_high'];
  for (const p of r.predictors) cols.push(`${p.name}_${w}mean`, `${p.name}_ci_low`, `${p.name}_ci_high`);
  return cols;
}

/**
 * predictors.csv's `weighted` column under a sampling design: which of the row's figures are weighted
 * (`unadjusted;adjusted;dominance`, or fewer when a fit stayed unweighted, as Firth on separated data).
 */
function weightedWhat(r: ReportResult): string {
  const d = r.design!;
  return [...(r.method.used !== 'firth' ? ['unadjusted'] : []), ...(d.modelWeighted ? ['adjusted'] : []), ...(d.dominanceWeighted ? ['dominance'] : [])].join(';');
}

/** descriptives.csv's extra columns under a sampling design: the weighted mean with its 95% CI. */
const WEIGHTED_MEAN_COLUMNS = ['weighted_mean', 'weighted_mean_se', 'weighted_mean_ci_low', 'weighted_mean_ci_high'];

function weightedMeanCells(r: ReportResult, scale: string): Cell[] {
  if (!r.design) return [];
  const t = r.design.traits.find((x) => x.predictor === scale);
  return t ? [t.estimate, t.se, t.ciLow, t.ciHigh] : [null, null, null, null];
}

/** groups.csv: suppressed groups show n as `<11` and no statistic. */
export function groupsCsv(r: ReportResult): string {
  const g = r.groups;
  const rows: Cell[][] = [];
  for (const row of g?.rows ?? []) {
    const cells: Cell[] = [row.group, row.suppressed ? row.nLabel : row.n, row.nOutcome, row.rate, row.rateCiLow, row.rateCiHigh];
    for (const t of row.traits) cells.push(t.mean, t.ciLow, t.ciHigh);
    rows.push(cells);
  }
  return csvText(groupsColumns(r), rows);
}
