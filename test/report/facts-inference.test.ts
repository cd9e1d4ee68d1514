/**
 * The "matters most" clause of the headline (facts-inference.ts): the largest weight without the
 * bootstrap; with it, the trait most often first when that is at least 60% of resamples, else no winner.
 */
import { describe, expect, it } from 'vitest';
import { mattersMost } from '../../src/report/facts-inference.js';
import type { BootstrapInfo, PredictorRow, ReportResult } from '../../src/report/types.js';

function result(bootstrap: BootstrapInfo): ReportResult {
  const row = (predictor: string, rank: number, share: number, first: number | null) => ({ predictor, label: predictor, rank, dominanceShare: share, rankFirstPct: first }) as PredictorRow;
  return {
    predictorRows: [row('trust', 1, 0.41, bootstrap.status === 'ok' ? 55 : null), row('respect', 2, 0.39, bootstrap.status === 'ok' ? 45 : null)],
    dominance: { r2Full: 0.2, r2Covariates: 0, models: 4 },
    inference: { bootstrap },
  } as unknown as ReportResult;
}
const label = (p: PredictorRow) => p.label;

describe('mattersMost', () => {
  it('without the bootstrap: the largest weight', () => {
    expect(mattersMost(result({ status: 'off' }), label)).toBe('Trust matters most: 41% of the variation the traits explain together (dominance analysis).');
  });
  it('first in at least 60%: named as most likely', () => {
    const r = result({ status: 'ok', resamples: 500, seed: 1, failed: 0, fitting: 'refit', top: 'respect', topPct: 81 });
    expect(mattersMost(r, label)).toBe('Most likely respect matters most (first in 81% of 500 resamples; 39% of the variation the traits explain together, dominance analysis).');
  });
  it('no trait first in 60%: no winner', () => {
    const r = result({ status: 'ok', resamples: 500, seed: 1, failed: 0, fitting: 'refit', top: 'trust', topPct: 59.6 });
    const s = mattersMost(r, label)!;
    expect(s.startsWith('No trait clearly matters most')).toBe(true);
    expect(s).not.toMatch(/Most likely/);
    expect(s).toContain('trust, 59%'); // rounded down: 59.6% must not read as 60%
  });
});
