/**
 * The clinician level of the report, assembled: the clustered adjusted model (cluster-model.ts,
 * fitted inside analyze's adjusted model), the within–between split (cluster-context.ts), the
 * reliability of clinician scores and the case-mix adjusted comparisons (clusters.ts).
 */
import type { ClusteringResult, ClusterModelOptions } from '../cluster-types.js';
import type { ReportData } from '../data.js';
import type { ReportWarning } from '../types.js';
import { withinBetweenRows } from './cluster-context.js';
import type { ClusteredModel } from './cluster-model.js';
import { clusterComparison, clusterReliability } from './clusters.js';

export function clusteringSection(data: ReportData, m: ClusteredModel, opts: ClusterModelOptions, minCell: number): { clustering: ClusteringResult; warnings: ReportWarning[] } {
  const cluster = data.cluster!;
  const traits = data.traits.map((t) => t.name);
  const wb = opts.withinBetween ? withinBetweenRows(m.glmmInput, traits, m.method, opts.quadrature) : null;
  const cmp = clusterComparison({ cluster, traits: data.traits, y: data.outcome.y, caseMix: data.caseMix ?? data.covariates, minCell, alpha: opts.alpha });
  const warnings: ReportWarning[] = [...m.warnings, ...cmp.warnings];
  if (opts.withinBetween && wb === null) warnings.push({ code: 'cluster_within_between', firth: m.method === 'firth-cluster-robust' });
  return {
    clustering: {
      variable: cluster.name,
      method: m.method,
      requested: opts.method,
      fallback: m.fallback,
      fallbackReason: m.fallbackReason,
      clusters: m.clusters,
      clusterSize: m.clusterSize,
      randomIntercept: m.randomIntercept,
      robustSe: m.robustSe,
      withinBetween: wb,
      reliability: clusterReliability(data.traits, cluster),
      comparison: cmp.comparison,
      minCell,
      alpha: opts.alpha,
    },
    warnings,
  };
}
