/**
 * Which traits matter most: the dominance analysis's weights and ranks, the drop-one
 * likelihood-ratio tests it yields for the model table (ML fits), Holm-adjusted p over the traits,
 * and one row per predictor joining the unadjusted, adjusted and dominance results.
 */
import { pAdjust, type LogisticFit } from '../../stats/index.js';
import type { dominance } from '../../stats/dominance.js';
import type { TraitColumn } from '../data.js';
import type { DescriptiveRow, ModelResult, PredictorRow, ReportWarning } from '../types.js';
import type { UnadjustedRow } from './unadjusted.js';
import { nn } from './util.js';

export type DominanceOutcome = ReturnType<typeof dominance>;

/** Put the drop-one LR tests of the dominance fits into the model table (ML fits only). */
export function addTermTests(model: ModelResult, fit: LogisticFit, dom: DominanceOutcome): void {
  if (!dom.ok || !dom.termTests || fit.method !== 'ml') return;
  const byTerm = new Map(dom.termTests.map((t) => [t.term, t]));
  for (const t of model.terms) {
    const tt = t.kind === 'intercept' ? undefined : byTerm.get(t.variable);
    if (!tt) continue;
    t.lrStatistic = nn(tt.statistic);
    t.lrDf = tt.df;
    t.lrP = nn(tt.p);
  }
}

export function dominanceWarnings(dom: DominanceOutcome): ReportWarning[] {
  if (!dom.ok) return [{ code: 'dominance', kind: 'failed', reason: dom.reason }];
  return dom.nonConverged.length ? [{ code: 'dominance', kind: 'not_converged', count: dom.nonConverged.length, models: dom.models }] : [];
}

/** One row per trait: unadjusted and adjusted odds ratios, Holm p, dominance weight and rank, AUC. */
export function predictorRows(traits: TraitColumn[], fit: LogisticFit | null, dom: DominanceOutcome | null, unadjusted: UnadjustedRow[], descriptives: DescriptiveRow[]): PredictorRow[] {
  return adjustedRows(
    traits,
    (name) => {
      const c = fit?.coefficients.find((x) => x.name === name);
      return c ? { ratio: c.oddsRatio, low: c.orLower, high: c.orUpper, p: c.p } : undefined;
    },
    dom && dom.ok ? dom.traits : null,
    unadjusted,
    descriptives,
  );
}

/** A trait's adjusted ratio (odds ratio, or rate ratio of a count model), its 95% CI and p. */
export interface AdjustedEstimate {
  ratio: number;
  low: number;
  high: number;
  p: number;
}

/** The rows of predictorRows for any model: `adjusted` looks a trait's estimate up by name. */
export function adjustedRows(
  traits: TraitColumn[],
  adjusted: (name: string) => AdjustedEstimate | undefined,
  dom: { term: string; general: number; share: number; rank: number }[] | null,
  unadjusted: UnadjustedRow[],
  descriptives: DescriptiveRow[],
): PredictorRow[] {
  const holm = pAdjust(
    traits.map((t) => adjusted(t.name)?.p ?? NaN),
    'holm',
  );
  return traits.map((t, j) => {
    const c = adjusted(t.name);
    const dt = dom ? dom.find((x) => x.term === t.name) : undefined;
    const u = unadjusted[j];
    return {
      predictor: t.name,
      label: t.label,
      rank: dt ? dt.rank : null,
      unadjustedN: u.n,
      unadjustedOr: nn(u.or),
      unadjustedCiLow: nn(u.low),
      unadjustedCiHigh: nn(u.high),
      unadjustedP: nn(u.p),
      adjustedOr: c ? nn(c.ratio) : null,
      adjustedCiLow: c ? nn(c.low) : null,
      adjustedCiHigh: c ? nn(c.high) : null,
      adjustedP: c ? nn(c.p) : null,
      adjustedPHolm: nn(holm[j]),
      dominance: dt ? dt.general : null,
      dominanceShare: dt ? dt.share : null,
      auc: descriptives[j].auc,
    };
  });
}
