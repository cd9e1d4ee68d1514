/**
 * Trait descriptives and the comparison by outcome group: mean, SD, quartiles, floor and ceiling
 * (on the scale's range from the compiled instrument), Cohen's d, Welch's t, AUC, and the box
 * summaries of the distribution plot.
 */
import { compareGroups, describe, type DescribeResult } from '../../stats/index.js';
import { boxSummary } from '../../stats/quantile.js';
import type { TraitColumn } from '../data.js';
import type { DescriptiveRow } from '../types.js';

/** Mean of the values with y === which (when the group comparison is not possible). */
function groupMean(values: Float64Array, y: Float64Array, which: 0 | 1): number | null {
  let k = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++)
    if (y[i] === which && values[i] === values[i]) {
      k++;
      s += values[i];
    }
  return k ? s / k : null;
}

/** Descriptives of every trait, by name. */
export function describeTraits(traits: TraitColumn[]): Map<string, DescribeResult> {
  return new Map(traits.map((t) => [t.name, describe(t.values, { floor: t.lo ?? undefined, ceiling: t.hi ?? undefined })]));
}

export function descriptiveRow(t: TraitColumn, d: DescribeResult, y: Float64Array): DescriptiveRow {
  const c = compareGroups(t.values, y);
  let nP = 0;
  let nN = 0;
  for (let i = 0; i < y.length; i++)
    if (t.values[i] === t.values[i]) {
      if (y[i] === 1) nP++;
      else if (y[i] === 0) nN++;
    }
  const ok = d.ok ? d : null;
  const g = c.ok ? c : null;
  return {
    scale: t.name,
    label: t.label,
    n: d.n,
    mean: ok ? ok.mean : null,
    sd: ok ? ok.sd : null,
    median: ok ? ok.median : null,
    q1: ok ? ok.q1 : null,
    q3: ok ? ok.q3 : null,
    min: ok ? ok.min : null,
    max: ok ? ok.max : null,
    pctFloor: ok ? ok.pctFloor : null,
    pctCeiling: ok ? ok.pctCeiling : null,
    pctMissing: d.pctMissing,
    nPositive: nP,
    meanPositive: g ? g.positive.mean : groupMean(t.values, y, 1),
    sdPositive: g ? g.positive.sd : null,
    nNegative: nN,
    meanNegative: g ? g.negative.mean : groupMean(t.values, y, 0),
    sdNegative: g ? g.negative.sd : null,
    meanDifference: g ? g.meanDifference : null,
    cohensD: g ? g.cohensD.d : null,
    cohensDCiLow: g ? g.cohensD.lower : null,
    cohensDCiHigh: g ? g.cohensD.upper : null,
    welchT: g ? g.welch.t : null,
    welchDf: g ? g.welch.df : null,
    welchP: g ? g.welch.p : null,
    auc: g ? g.auc : null,
    boxPositive: boxSummary(t.values, y, 1),
    boxNegative: boxSummary(t.values, y, 0),
  };
}
