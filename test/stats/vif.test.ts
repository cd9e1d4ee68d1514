/**
 * Variance inflation factors (src/stats/vif.ts) of R's reference model's design: 1/(1 - R²) from lm
 * per column and the GVIF of a 3-level factor (golden.R -> golden-survey-model.json).
 */
import { describe, expect, it } from 'vitest';
import { vif } from '../../src/stats/vif.js';
import { expectAllRel, expectRel, readJson, surveyDesign } from './helpers.js';

const g = readJson('golden-survey-model.json');
const X = surveyDesign();

describe('vif', () => {
  it('VIF per column equals 1/(1 - R²) from lm, and GVIF of site equals the determinant formula', () => {
    const v = vif(X);
    if (!v?.ok) throw new Error('no VIF');
    expect(v.columns.map((c) => c.name)).toEqual(X.names.slice(1));
    expectAllRel(v.columns.map((c) => c.vif), g.vif, 1e-8, 'VIF');
    const site = v.terms.find((t) => t.term === 'site');
    expectRel(site?.gvif, g.gvifSite, 1e-8, 'GVIF site');
    expect(site?.df).toBe(2);
  });
});
