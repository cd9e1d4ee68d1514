/**
 * `--within-between`: every trait of the adjusted model split into the clinician's mean of the trait
 * (between) and the patient's deviation from it (within), both in the model's units (per SD of the
 * trait on the model respondents), refitted with the same clustered method as the adjusted model
 * (the GLMM, or the ordinary fit with CR1 SEs); the contextual effect is between - within
 * (stats/within-between.ts). Not done on separated data (the fallback there is a Firth fit, for
 * which the split adds nothing the report could state reliably).
 */
import { clusterRobustVcov } from '../../stats/cluster-robust.js';
import { fitGlmm, type GlmmInput } from '../../stats/glmm.js';
import { irlsLogit } from '../../stats/irls.js';
import { waldEstimate, waldMultiplier, type WaldEstimate } from '../../stats/wald.js';
import { contextualEffect, withinBetween } from '../../stats/within-between.js';
import type { ClusterModelKind, WithinBetweenRow } from '../cluster-types.js';

/** Coefficients (intercept first) and their covariance of the split model. */
interface SplitFit {
  beta: Float64Array;
  vcov: Float64Array;
}

/** Ordinary ML fit of the split columns with CR1 covariance. */
function robustSplit(inp: GlmmInput): SplitFit | null {
  const n = inp.y.length;
  const p = inp.columns.length + 1;
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    data[i * p] = 1;
    for (let j = 1; j < p; j++) data[i * p + j] = inp.columns[j - 1][i];
  }
  const fit = irlsLogit({ data, n, stride: p, cols: Int32Array.from({ length: p }, (_, j) => j) }, inp.y, { keepFitted: true });
  if (!fit.covariance || !fit.mu || fit.singularColumn >= 0) return null;
  const residual = Float64Array.from(inp.y, (v, i) => v - fit.mu![i]);
  const V = clusterRobustVcov({ x: data, n, p, residual, bread: fit.covariance, cluster: inp.cluster });
  return { beta: fit.beta, vcov: V.vcov };
}

const orRow = (w: WaldEstimate) => ({ or: Math.exp(w.estimate), lo: Math.exp(w.ciLow), hi: Math.exp(w.ciHigh), p: w.p });

/** The within and between odds ratios and the contextual effect of each trait; null when the split model cannot be fitted. */
export function withinBetweenRows(base: GlmmInput, traits: string[], kind: ClusterModelKind, quadrature: number): WithinBetweenRow[] | null {
  if (kind === 'firth-cluster-robust') return null;
  const columns: Float64Array[] = [];
  const names: string[] = [];
  const slots = new Map<string, { w: number; b: number }>();
  base.columns.forEach((x, j) => {
    const name = base.names![j];
    if (!traits.includes(name)) {
      columns.push(x);
      names.push(name);
      return;
    }
    const wb = withinBetween(x, base.cluster);
    slots.set(name, { w: columns.length + 1, b: columns.length + 2 });
    columns.push(wb.within, wb.between);
    names.push(`${name}.within`, `${name}.between`);
  });
  const inp: GlmmInput = { columns, names, y: base.y, cluster: base.cluster };
  let split: SplitFit | null = null;
  if (kind === 'glmm') {
    const g = fitGlmm(inp, { nAGQ: quadrature });
    if (g.ok) split = { beta: Float64Array.from(g.coefficients, (c) => c.estimate), vcov: g.vcov };
  } else split = robustSplit(inp);
  if (!split) return null;
  const p = columns.length + 1;
  const z = waldMultiplier();
  const { beta, vcov } = split;
  return traits.filter((t) => slots.has(t)).map((t) => {
    const { w, b } = slots.get(t)!;
    const within = orRow(waldEstimate(beta[w], Math.sqrt(vcov[w * p + w]), z));
    const between = orRow(waldEstimate(beta[b], Math.sqrt(vcov[b * p + b]), z));
    const ctx = orRow(contextualEffect(beta, vcov, p, b, w));
    return {
      predictor: t,
      withinOr: within.or, withinCiLow: within.lo, withinCiHigh: within.hi, withinP: within.p,
      betweenOr: between.or, betweenCiLow: between.lo, betweenCiHigh: between.hi, betweenP: between.p,
      contextualRatio: ctx.or, contextualCiLow: ctx.lo, contextualCiHigh: ctx.hi, contextualP: ctx.p,
    };
  });
}
