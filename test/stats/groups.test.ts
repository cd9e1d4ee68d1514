/**
 * Group comparison (src/stats/groups.ts) on test/reference/survey.csv against R: `t.test` (Welch),
 * hand-written Cohen's d with its CI and the Mann–Whitney AUC. Golden values: test/reference/golden.R
 * -> golden-groups.json.
 */
import { describe as group, expect, it } from 'vitest';
import { compareGroups } from '../../src/stats/groups.js';
import { expectRel, readCsv, readJson } from './helpers.js';

const data = readCsv('survey.csv');
const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const groups = readJson('golden-groups.json');

group('group comparison: users vs non-users of the portal', () => {
  const y = data.num('portal_use');
  for (const t of TRAITS) {
    it(`${t}: Welch t, df, p; Cohen's d with CI; AUC`, () => {
      const g = groups[t];
      const c = compareGroups(data.num(t), y);
      if (!c.ok) throw new Error(c.reason);
      expect([c.positive.n, c.negative.n]).toEqual([g.n1, g.n0]);
      expectRel(c.positive.mean, g.mean1, 1e-12, 'mean1');
      expectRel(c.negative.mean, g.mean0, 1e-12, 'mean0');
      expectRel(c.positive.sd, g.sd1, 1e-12, 'sd1');
      expectRel(c.negative.sd, g.sd0, 1e-12, 'sd0');
      expectRel(c.welch.t, g.t, 1e-10, 't');
      expectRel(c.welch.df, g.df, 1e-10, 'df');
      expectRel(c.welch.p, g.p, 1e-8, 'p');
      expectRel(c.cohensD.d, g.d, 1e-10, 'd');
      expectRel(c.cohensD.lower, g.dLower, 1e-8, 'd lower');
      expectRel(c.cohensD.upper, g.dUpper, 1e-8, 'd upper');
      expectRel(c.auc, g.auc, 1e-12, 'AUC');
    });
  }
  it('a group with fewer than 2 scores, or no variance, is an explained failure', () => {
    expect(compareGroups(new Float64Array([1, 2, 3]), new Float64Array([1, 0, 0]))).toMatchObject({ ok: false, code: 'group-too-small', nPositive: 1 });
    expect(compareGroups(new Float64Array([2, 2, 3, 3]), new Float64Array([1, 1, 0, 0]))).toMatchObject({ ok: false, code: 'no-variance' });
  });
});
