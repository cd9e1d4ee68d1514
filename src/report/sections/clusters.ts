/**
 * The clinician comparisons of `--cluster` (issue 14): the reliability of clinician scores
 * (cluster_reliability.csv: one-way REML ICC per scale, stats/icc-oneway.ts) and the case-mix
 * adjusted clinician means with the CAHPS better / about the same / worse rating (clusters.csv:
 * stats/case-mix.ts) for every trait and the outcome rate.
 * Respondents: the analysed respondents with a clinician; per measure, those with the measure and
 * every case-mix adjuster (categorical adjusters as dummies of their non-reference levels).
 * Small cells exactly as --group-by (sections/groups.ts): a clinician with fewer than --min-cell
 * respondents is rated "too few" and shown nowhere (not even its label); while those together
 * number fewer than --min-cell, the smallest shown clinicians are withheld too (label with n
 * `>=minCell`, no statistics); a measure of a shown clinician with fewer than --min-cell answering
 * is withheld (null).
 */
import { caseMixAdjust, type CaseMixCluster } from '../../stats/case-mix.js';
import { oneWayReml } from '../../stats/icc-oneway.js';
import { OUTCOME_MEASURE, type ClusterComparison, type ClusterMeasure, type ClusterReliabilityRow, type ClusterRow } from '../cluster-types.js';
import type { CovariateColumn, GroupColumn, TraitColumn } from '../data.js';
import type { ReportWarning } from '../types.js';
import { complementary } from './groups.js';

/** Numeric adjuster columns: numeric covariates as they are, categorical ones as dummies (first level = reference). */
export function adjusterColumns(cols: CovariateColumn[]): { names: string[]; values: Float64Array[] } {
  const names: string[] = [];
  const values: Float64Array[] = [];
  for (const c of cols) {
    if (c.kind === 'numeric') {
      names.push(c.name);
      values.push(c.values);
      continue;
    }
    for (const level of c.levels.slice(1)) {
      names.push(`${c.name}=${level}`);
      values.push(Float64Array.from(c.values, (v) => (v === null ? NaN : v === level ? 1 : 0)));
    }
  }
  return { names, values };
}

/** Rows with a clinician, a finite value and (when given) every adjuster: 1 in `base` marks the latter two. */
function rowsWith(y: Float64Array, cluster: Int32Array, base: Uint8Array | null): Int32Array {
  const rows = new Int32Array(y.length);
  let m = 0;
  for (let i = 0; i < y.length; i++) if (cluster[i] >= 0 && y[i] === y[i] && Math.abs(y[i]) !== Infinity && (!base || base[i])) rows[m++] = i;
  return rows.subarray(0, m);
}

function pick(v: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = v[rows[k]];
  return out;
}

function pickCodes(v: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = v[rows[k]];
  return out;
}

/** One-way REML ICC and reliability of each trait's clinician means. */
export function clusterReliability(traits: TraitColumn[], cluster: GroupColumn): ClusterReliabilityRow[] {
  return traits.map((t) => {
    const rows = rowsWith(t.values, cluster.codes, null);
    const f = oneWayReml(pick(t.values, rows), pickCodes(cluster.codes, rows));
    const none = { icc: null, iccCiLow: null, iccCiHigh: null, tau2: null, sigma2: null, medianClusterSize: null, reliabilityAtMedian: null, nFor070: null, nFor080: null };
    if (!f.ok) return { scale: t.name, label: t.label, n: rows.length, ...none };
    return {
      scale: t.name, label: t.label, n: rows.length, icc: f.icc, iccCiLow: f.iccCi[0], iccCiHigh: f.iccCi[1], tau2: f.tau2, sigma2: f.sigma2,
      medianClusterSize: f.clusterSize.median, reliabilityAtMedian: f.reliabilityAtMedian, nFor070: f.nFor070, nFor080: f.nFor080,
    };
  });
}

interface MeasureResult {
  byCluster: Map<number, CaseMixCluster>;
  reference: number | null;
  failure: string | null;
}

/** The case-mix adjusted means of one measure over the clinicians (`complete`: rows with every adjuster). */
function adjustMeasure(y: Float64Array, adj: Float64Array[], cluster: Int32Array, complete: Uint8Array, minCell: number, alpha: number): MeasureResult {
  const rows = rowsWith(y, cluster, complete);
  const r = caseMixAdjust(pick(y, rows), adj.map((a) => pick(a, rows)), pickCodes(cluster, rows), { alpha, minCell, minReliability: 0.7 });
  if (!r.ok) return { byCluster: new Map(), reference: null, failure: r.reason };
  return { byCluster: new Map(r.clusters.map((c) => [c.cluster, c])), reference: r.reference, failure: null };
}

/** 1 for the rows with every adjuster. */
function completeRows(n: number, adj: Float64Array[]): Uint8Array {
  const ok = new Uint8Array(n).fill(1);
  for (const a of adj) for (let i = 0; i < n; i++) if (!Number.isFinite(a[i])) ok[i] = 0;
  return ok;
}

const WITHHELD: ClusterMeasure = { n: null, mean: null, adjusted: null, ciLow: null, ciHigh: null, reliability: null, rating: null };

function measureOf(c: CaseMixCluster | undefined, minCell: number): ClusterMeasure {
  if (!c || c.n < minCell) return WITHHELD;
  return { n: c.n, mean: c.mean, adjusted: c.adjusted, ciLow: c.ciLow, ciHigh: c.ciHigh, reliability: c.reliability, rating: c.rating };
}

export interface ComparisonInput {
  cluster: GroupColumn;
  traits: TraitColumn[];
  y: Float64Array;
  caseMix: CovariateColumn[];
  minCell: number;
  alpha: number;
}

export function clusterComparison(o: ComparisonInput): { comparison: ClusterComparison; warnings: ReportWarning[] } {
  const { cluster, minCell } = o;
  const adj = adjusterColumns(o.caseMix);
  const measures: [string, Float64Array][] = [...o.traits.map((t): [string, Float64Array] => [t.name, t.values]), [OUTCOME_MEASURE, o.y]];
  const complete = completeRows(o.y.length, adj.values);
  const results = measures.map(([name, v]) => ({ name, ...adjustMeasure(v, adj.values, cluster.codes, complete, minCell, o.alpha) }));
  const sizes = cluster.levels.map(() => 0);
  for (const c of cluster.codes) if (c >= 0) sizes[c]++;
  const also = new Set(complementary(sizes, minCell));
  const small = sizes.filter((n) => n < minCell).length;
  const rows: ClusterRow[] = [];
  cluster.levels.forEach((label, k) => {
    if (sizes[k] < minCell) return;
    if (also.has(k)) {
      rows.push({ cluster: label, n: null, nLabel: `>=${minCell}`, withheld: true, measures: results.map((m) => ({ measure: m.name, value: WITHHELD })) });
      return;
    }
    rows.push({ cluster: label, n: sizes[k], nLabel: String(sizes[k]), withheld: false, measures: results.map((m) => ({ measure: m.name, value: measureOf(m.byCluster.get(k), minCell) })) });
  });
  const comparison: ClusterComparison = {
    caseMix: adj.names,
    failures: results.filter((m) => m.failure !== null).map((m) => ({ measure: m.name, reason: m.failure! })),
    rows,
    small,
    alsoWithheld: also.size,
    reference: results.map((m) => ({ measure: m.name, value: m.reference })),
  };
  const warnings: ReportWarning[] = small > 0 ? [{ code: 'small_clusters', by: cluster.name, small, minCell, alsoWithheld: also.size }] : [];
  return { comparison, warnings };
}
