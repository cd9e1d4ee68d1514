/**
 * The clinician level's CSV tables (--cluster): cluster_reliability.csv and clusters.csv, and the
 * robust_se column of model.csv. Full precision, as csv.ts.
 */
import { RATING_TEXT } from './cluster-facts.js';
import { csvText } from './csv.js';
import type { ReportResult } from './types.js';

const RELIABILITY_COLUMNS = ['scale', 'icc', 'icc_ci_low', 'icc_ci_high', 'tau2', 'sigma2', 'median_cluster_size', 'reliability_at_median', 'n_for_0.70', 'n_for_0.80'];

export function clusterReliabilityCsv(r: ReportResult): string {
  const rows = (r.clustering?.reliability ?? []).map((x) => [x.scale, x.icc, x.iccCiLow, x.iccCiHigh, x.tau2, x.sigma2, x.medianClusterSize, x.reliabilityAtMedian, x.nFor070, x.nFor080]);
  return csvText(RELIABILITY_COLUMNS, rows);
}

const MEASURE_COLUMNS = ['mean', 'adjusted', 'ci_low', 'ci_high', 'reliability', 'rating'];

/** clusters.csv: one row per shown clinician (withheld ones with n `>=11` and no statistic). */
export function clustersCsv(r: ReportResult): string {
  const c = r.clustering!;
  const measures = c.comparison.reference.map((m) => m.measure);
  const header = ['cluster', 'n', ...measures.flatMap((m) => MEASURE_COLUMNS.map((k) => `${m}_${k}`))];
  const rows = c.comparison.rows.map((row) => [
    row.cluster,
    row.withheld ? row.nLabel : row.n,
    ...row.measures.flatMap(({ value: v }) => [v.mean, v.adjusted, v.ciLow, v.ciHigh, v.reliability, v.rating === null ? null : RATING_TEXT[v.rating]]),
  ]);
  return csvText(header, rows);
}

