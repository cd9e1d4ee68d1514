/**
 * The c statistic with its DeLong CI (src/stats/auc.ts) on the fitted probabilities of R's reference
 * model (test/reference/survey.csv): the hand-written DeLong computation and pROC (golden.R ->
 * golden-survey-model.json).
 */
import { describe, expect, it } from 'vitest';
import { auc } from '../../src/stats/auc.js';
import { irlsLogit } from '../../src/stats/irls.js';
import { viewOf } from '../../src/stats/logistic.js';
import { expectAllRel, expectRel, readJson, surveyDesign } from './helpers.js';

const g = readJson('golden-survey-model.json');
const X = surveyDesign();
const y = X.y as Float64Array;
// the fitted probabilities of R's glm (same IRLS path; checked in logistic.test.ts)
const mu = irlsLogit(viewOf(X), y, { keepFitted: true }).mu as Float64Array;

describe('auc', () => {
  it('c statistic and DeLong variance/CI equal the hand computation and pROC', () => {
    const c = auc(mu, y);
    if (!c?.ok) throw new Error('no c statistic');
    expectRel(c.auc, g.delong.auc, 1e-9, 'AUC');
    expectRel(c.auc, g.delong.pROCauc, 1e-9, 'pROC AUC');
    expectRel(c.variance, g.delong.variance, 1e-6, 'DeLong variance');
    expectRel(c.variance, g.delong.pROCvar, 1e-6, 'pROC var');
    expectRel(c.lower, g.delong.lower, 1e-6, 'lower');
    expectRel(c.upper, g.delong.upper, 1e-6, 'upper');
    expectAllRel([c.lower as number, c.upper as number], g.delong.pROCci, 1e-6, 'pROC ci');
  });
  it('a single outcome class is an explained failure', () => {
    expect(auc([0.2, 0.4], [1, 1])).toMatchObject({ ok: false });
  });
});
