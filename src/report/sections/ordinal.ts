/**
 * An ordinal outcome: the proportional-odds model (MASS::polr's parameterisation; src/stats/polr.ts),
 * its thresholds as `term` = `lower|upper` rows named by the option labels, odds ratios of a higher
 * category per SD, and the per-term likelihood-ratio tests of proportional odds against the partial
 * model, with a warning for each term whose test fails (p < 0.05).
 */
import { fitPolr, proportionalOddsTests, type DesignMatrix, type PolrFit } from '../../stats/index.js';
import type { PoTestRow, ReportWarning } from '../types.js';
import { columnKind, familyTerm, type FamilyEngine, type FamilyFit } from './family-engine.js';
import { nn } from './util.js';

/** The proportional-odds test fails below this p. */
export const PO_ALPHA = 0.05;

/** The engine for an outcome coded 0..K-1 with every category present; `levels` name the categories. */
export function ordinalEngine(levels: string[], traits: Set<string>): FamilyEngine & { last: PolrFit | null } {
  const K = levels.length;
  const engine = {
    method: 'polr' as const,
    last: null as PolrFit | null,
    fit(X: DesignMatrix, y: Float64Array): FamilyFit | { ok: false; reason: string } {
      const f = fitPolr(X, y, K, { levels });
      if (!f.ok) return f;
      engine.last = f;
      const cols = Array.from({ length: X.p }, (_, j) => j).filter((j) => !(X.hasIntercept && j === 0));
      const nt = K - 1;
      const q = cols.length;
      const cov = new Float64Array(X.p * X.p);
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) cov[cols[a] * X.p + cols[b]] = f.covariance[(nt + a) * (nt + q) + nt + b];
      return {
        ok: true,
        n: f.n,
        logLik: f.logLik,
        converged: f.converged,
        iterations: f.iterations,
        npar: nt + q,
        terms: [
          ...f.thresholds.map((t) => familyTerm({ name: t.name, estimate: t.estimate, se: t.se }, 'threshold', t.name, false)),
          ...f.coefficients.map((c, a) => {
            const k = columnKind(X, cols[a], traits);
            return familyTerm({ name: c.name, estimate: c.estimate, se: c.se }, k.kind, k.variable, true);
          }),
        ],
        coefCovariance: cov,
      };
    },
    logLik(X: DesignMatrix, y: Float64Array): number | null {
      const f = fitPolr(X, y, K, { levels });
      return f.ok && f.converged ? f.logLik : null;
    },
  };
  return engine;
}

/** The LR tests of proportional odds per term, and a warning for each that fails. */
export function poTests(X: DesignMatrix, y: Float64Array, fit: PolrFit): { rows: PoTestRow[]; warnings: ReportWarning[] } {
  const tests = proportionalOddsTests(X, y, fit);
  const rows = tests.map((t) => ({ term: t.term, statistic: nn(t.statistic), df: t.df, p: nn(t.p) }));
  const warnings: ReportWarning[] = [];
  for (const t of rows) if (t.p !== null && t.statistic !== null && t.p < PO_ALPHA) warnings.push({ code: 'proportional_odds', term: t.term, statistic: t.statistic, df: t.df, p: t.p });
  return { rows, warnings };
}
