/**
 * The synthetic-data generator (src/simulate/generate.ts) and writers (src/simulate/writers.ts):
 * recovery of the generating effects, determinism by seed, realistic item distributions,
 * non-response, and the layout of each export flavour.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { instrumentFromText } from '../../src/instrument/load.js';
import { scoreValues } from '../../src/scoring/score.js';
import { buildDesign, fitLogistic } from '../../src/stats/index.js';
import { EMPTY, REFUSED, REFUSAL_SHARE, exchangeableCholesky, planSimulation, simulate, solveIntercept, type SimData, type SimPlan } from '../../src/simulate/generate.js';
import { parseEffects } from '../../src/simulate/options.js';
import { FORMATS, csvString } from '../../src/simulate/writers.js';

const inst = loadInstrument('relationship-engagement');
const item = (plan: SimPlan, id: string) => plan.ci.itemIndex.get(id)!;

/** The report's adjusted model: all scales standardised on the complete cases, logistic regression. */
function fitReportModel(plan: SimPlan, d: SimData) {
  const oc = d.cat[plan.outcome];
  const keep: number[] = [];
  for (let i = 0; i < d.n; i++) if (oc[i] >= 0 && plan.ci.scales.every((_, k) => !Number.isNaN(d.scores[k][i]))) keep.push(i);
  const numeric: Record<string, Float64Array> = {};
  plan.ci.scales.forEach((s, k) => {
    const x = Float64Array.from(keep, (i) => d.scores[k][i]);
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
    numeric[s.id] = x.map((v) => (v - m) / sd);
  });
  const X = buildDesign({ numeric, outcome: Float64Array.from(keep, (i) => oc[i]) });
  const fit = fitLogistic(X, X.y!, { termTests: false, diagnostics: false });
  if (!fit.ok) throw new Error(fit.reason);
  return fit;
}

describe('recovery of the generating effects (n = 20,000)', () => {
  const effects = { trust: 2.0, agreement: 1.6, communication: 1.4 };
  const plan = planSimulation(inst, { effects, prevalence: 0.35 });
  // The default seed (1). A single data set covers each OR with probability 0.95, so this is a
  // spot check; the calibration test below checks coverage over many data sets.
  const d = simulate(plan, 20000, 1);
  const fit = fitReportModel(plan, d);

  it('the generating ORs of trust, agreement and communication lie inside the fitted model 95% CIs', () => {
    for (const [id, truth] of Object.entries(effects)) {
      const row = fit.coefficients.find((c) => c.name === id)!;
      expect(row.orLower, id).toBeLessThan(truth);
      expect(row.orUpper, id).toBeGreaterThan(truth);
    }
    const trust = fit.coefficients.find((c) => c.name === 'trust')!;
    expect(trust.oddsRatio).toBeGreaterThan(1.85);
    expect(trust.oddsRatio).toBeLessThan(2.15);
  });

  it('calibration over 40 data sets (n = 4,000): 95% CIs cover the true ORs (incl. OR 1) about 95% of the time, z unbiased', () => {
    let covered = 0;
    let total = 0;
    const zs: number[][] = plan.ci.scales.map(() => []);
    for (let seed = 101; seed <= 140; seed++) {
      const f = fitReportModel(plan, simulate(plan, 4000, seed));
      plan.ci.scales.forEach((s, k) => {
        const row = f.coefficients.find((c) => c.name === s.id)!;
        const b = plan.beta[k];
        total++;
        if (row.lower < b && b < row.upper) covered++;
        zs[k].push((row.estimate - b) / row.se);
      });
    }
    // 240 intervals: coverage 0.95 has SE 0.014
    expect(covered / total).toBeGreaterThan(0.9);
    expect(covered / total).toBeLessThanOrEqual(0.99);
    for (const z of zs) {
      const m = z.reduce((a, b) => a + b, 0) / z.length;
      expect(Math.abs(m)).toBeLessThan(3.5 / Math.sqrt(z.length));
    }
  });

  it('the outcome prevalence matches --prevalence; the intercept solves mean(p) = prevalence', () => {
    const oc = d.cat[plan.outcome];
    let yes = 0;
    let answered = 0;
    for (let i = 0; i < d.n; i++)
      if (oc[i] >= 0) {
        answered++;
        yes += oc[i];
      }
    const p = yes / answered;
    expect(Math.abs(p - 0.35)).toBeLessThan(4 * Math.sqrt((0.35 * 0.65) / answered));
    expect(fit.nEvents / fit.n).toBeGreaterThan(0.33);
  });

  it('scores are exactly what scoreValues gives for the stored answers', () => {
    const row = new Float64Array(plan.items.length);
    for (let i = 0; i < 2000; i++) {
      for (let t = 0; t < plan.items.length; t++) {
        const c = d.cat[t][i];
        row[t] = c >= 0 ? plan.items[t].values[c] : NaN;
      }
      const s = scoreValues(plan.ci, row);
      for (let k = 0; k < plan.K; k++) expect(Object.is(s[k], d.scores[k][i]) || s[k] === d.scores[k][i]).toBe(true);
    }
  });
});

describe('solveIntercept', () => {
  it('finds b0 with mean(expit(b0 + eta)) = p to 1e-12, for skewed linear predictors and extreme p', () => {
    const eta = Float64Array.from({ length: 500 }, (_, i) => 3 * Math.sin(i) + (i % 7 === 0 ? 8 : 0));
    for (const p of [0.01, 0.3, 0.5, 0.97]) {
      const b = solveIntercept(eta, eta.length, p);
      let m = 0;
      for (const e of eta) m += 1 / (1 + Math.exp(-(b + e)));
      expect(Math.abs(m / eta.length - p)).toBeLessThan(1e-12);
    }
  });
});

describe('items: skew, reverse keying, non-response, latent correlation', () => {
  const plan = planSimulation(inst, { missing: 0.03 });
  const d = simulate(plan, 20000, 1);
  const share = (t: number, pred: (c: number) => boolean) => {
    let k = 0;
    for (let i = 0; i < d.n; i++) if (pred(d.cat[t][i])) k++;
    return k / d.n;
  };

  it('ratings bunch at the favourable end; reverse-keyed items are stored mirrored', () => {
    // trust_1 positively worded: "Agree"/"Strongly agree" (options 3, 4) most common
    const t1 = item(plan, 'trust_1');
    const t3 = item(plan, 'trust_3'); // reverse-keyed
    expect(share(t1, (c) => c >= 3)).toBeGreaterThan(0.6);
    expect(share(t1, (c) => c === 0 || c === 1)).toBeLessThan(0.15);
    expect(share(t3, (c) => c === 0 || c === 1)).toBeGreaterThan(0.6);
    expect(share(t3, (c) => c >= 3)).toBeLessThan(0.15);
    // scored (keyed) trust is high: mean above the scale midpoint 3, below the ceiling 5
    let m = 0;
    let k = 0;
    for (const v of d.scores[0]) if (!Number.isNaN(v)) (m += v), k++;
    expect(m / k).toBeGreaterThan(3.6);
    expect(m / k).toBeLessThan(4.5);
  });

  it('about 3% of cells are unanswered, a quarter of them refusals (agree5 has missing code 9)', () => {
    let empty = 0;
    let refused = 0;
    let cells = 0;
    for (let t = 0; t < plan.items.length; t++)
      for (let i = 0; i < d.n; i++) {
        cells++;
        if (d.cat[t][i] === EMPTY) empty++;
        else if (d.cat[t][i] === REFUSED) refused++;
      }
    const miss = (empty + refused) / cells;
    expect(Math.abs(miss - 0.03)).toBeLessThan(0.002);
    expect(Math.abs(refused / (empty + refused) - REFUSAL_SHARE)).toBeLessThan(0.02);
    const none = simulate(planSimulation(inst, { missing: 0 }), 2000, 1);
    expect(none.cat.every((c) => c.every((v) => v >= 0))).toBe(true);
  });

  it('scale scores correlate positively by default and not at all with --correlation 0', () => {
    const corr = (a: Float64Array, b: Float64Array) => {
      const idx = [...a.keys()].filter((i) => !Number.isNaN(a[i]) && !Number.isNaN(b[i]));
      const ma = idx.reduce((s, i) => s + a[i], 0) / idx.length;
      const mb = idx.reduce((s, i) => s + b[i], 0) / idx.length;
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      for (const i of idx) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) ** 2;
        sbb += (b[i] - mb) ** 2;
      }
      return sab / Math.sqrt(saa * sbb);
    };
    const r = corr(d.scores[0], d.scores[4]);
    // latent 0.45, attenuated by the scales' reliability and the categorisation
    expect(r).toBeGreaterThan(0.3);
    expect(r).toBeLessThan(0.45);
    const d0 = simulate(planSimulation(inst, { correlation: 0 }), 20000, 1);
    expect(Math.abs(corr(d0.scores[0], d0.scores[4]))).toBeLessThan(0.03);
  });

  it('portal_frequency is consistent with portal_use; demographics are plausible', () => {
    const pe = planSimulation(inst, { effects: { trust: 2 }, missing: 0 });
    const de = simulate(pe, 5000, 3);
    const use = de.cat[pe.outcome];
    const freq = de.cat[item(pe, 'portal_frequency')];
    for (let i = 0; i < de.n; i++) {
      if (use[i] === 0) expect(freq[i]).toBe(0);
      else expect(freq[i]).toBeGreaterThan(0);
    }
    let f = 0;
    for (let i = 0; i < de.n; i++) {
      expect(de.age[i]).toBeGreaterThanOrEqual(18);
      expect(de.age[i]).toBeLessThanOrEqual(90);
      f += de.sex[i] === 0 ? 1 : 0;
    }
    expect(Math.abs(f / de.n - 0.56)).toBeLessThan(0.03);
  });
});

describe('determinism', () => {
  const plan = planSimulation(inst, { effects: { trust: 2 } });
  it('same seed → same bytes in every flavour; another seed → different bytes', () => {
    for (const f of FORMATS) {
      const a = csvString(plan, simulate(plan, 300, 42), f, 42);
      const b = csvString(plan, simulate(plan, 300, 42), f, 42);
      const c = csvString(plan, simulate(plan, 300, 43), f, 43);
      expect(a, f).toBe(b);
      expect(a, f).not.toBe(c);
    }
  });
  it('every flavour holds the same answers for a seed (only the layout differs)', () => {
    const d = simulate(plan, 50, 9);
    const plain = csvString(plan, d, 'plain', 9).trim().split('\n').slice(1).map((l) => l.split(',').slice(1, 1 + plan.items.length));
    const redcap = csvString(plan, d, 'redcap', 9).trim().split('\n').slice(1).map((l) => l.split(',').slice(1, 1 + plan.items.length));
    expect(redcap).toEqual(plain);
    const lime = csvString(plan, d, 'limesurvey', 9)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(';').map((c) => c.slice(1, -1)).slice(7, 7 + plan.items.length));
    expect(lime).toEqual(plain);
  });
});

describe('export layouts', () => {
  const plan = planSimulation(inst, { effects: { trust: 2 } });
  const d = simulate(plan, 20, 5);

  it('qualtrics: three header rows (export tags, question text, ImportId JSON), metadata, choice text, CRLF', () => {
    const text = csvString(plan, d, 'qualtrics', 5);
    const lines = text.split('\r\n');
    expect(lines.length).toBe(3 + 20 + 1);
    expect(lines[0].startsWith('StartDate,EndDate,Status,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,DistributionChannel,UserLanguage,trust_1,')).toBe(true);
    expect(lines[1]).toContain('"When my doctor recommends something, I believe it is the right thing for me."');
    expect(lines[2].startsWith('"{""ImportId"":""startDate"",""timeZone"":""America/New_York""}"')).toBe(true);
    expect(lines[2]).toContain('"{""ImportId"":""QID1""}"');
    const row = lines[3].split(',');
    expect(row[0]).toMatch(/^2026-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(row[2]).toBe('IP Address');
    expect(row[5]).toBe('True');
    expect(row[7]).toMatch(/^R_[A-Za-z0-9]{15}$/);
    const labels = new Set(['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree', 'Prefer not to answer', '']);
    expect(labels.has(row[10])).toBe(true);
    // start dates increase, end = start + duration
    const t = lines.slice(3, 23).map((l) => l.split(','));
    for (let i = 1; i < t.length; i++) expect(t[i][0] >= t[i - 1][0]).toBe(true);
    const s0 = Date.parse(t[0][0].replace(' ', 'T') + 'Z');
    const e0 = Date.parse(t[0][1].replace(' ', 'T') + 'Z');
    expect((e0 - s0) / 1000).toBe(Number(t[0][4]));
  });

  it('redcap: record_id first, raw codes, <form>_complete = 2 last, LF', () => {
    const lines = csvString(plan, d, 'redcap', 5).trimEnd().split('\n');
    expect(lines[0].split(',')[0]).toBe('record_id');
    expect(lines[0].endsWith(',age,sex,relationship_engagement_complete')).toBe(true);
    for (const l of lines.slice(1)) {
      expect(l.endsWith(',2')).toBe(true);
      expect(l).not.toContain('\r');
    }
  });

  it('limesurvey: BOM, system columns, ";" separator, every field quoted, CRLF', () => {
    const text = csvString(plan, d, 'limesurvey', 5);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0].startsWith('"id";"submitdate";"lastpage";"startlanguage";"seed";"startdate";"datestamp";"trust_1"')).toBe(true);
    for (const l of lines.slice(1, 21)) expect(l).toMatch(/^("[^"]*";)*"[^"]*"$/);
    expect(lines[21]).toBe('');
  });

  it('plain: id, item ids, age, sex; refusals as the missing code 9', () => {
    const text = csvString(plan, simulate(plan, 2000, 5), 'plain', 5);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(['id', ...plan.ci.items.map((i) => i.id), 'age', 'sex'].join(','));
    expect(lines[1].startsWith('R0001,')).toBe(true);
    expect(text).toMatch(/,9,/);
    expect(lines[1]).toMatch(/,\d+,[FM]$/);
  });
});

describe('bad option values are usage errors naming the fix', () => {
  it('unknown trait lists the scales; OR <= 0; prevalence outside (0, 1); correlation not positive definite', () => {
    expect(() => planSimulation(inst, { effects: { trusty: 2 } })).toThrow(UsageError);
    expect(() => planSimulation(inst, { effects: { trusty: 2 } })).toThrow(/its scales are trust, respect, liking, listening, agreement, communication/);
    expect(() => planSimulation(inst, { effects: { trust: 0 } })).toThrow(/positive number/);
    expect(() => planSimulation(inst, { prevalence: 1 })).toThrow(UsageError);
    expect(() => planSimulation(inst, { prevalence: 0 })).toThrow(UsageError);
    // 6 traits: an exchangeable matrix is positive definite only above -1/5
    expect(() => planSimulation(inst, { correlation: -0.25 })).toThrow(/above -0\.2/);
    expect(() => planSimulation(inst, { correlation: -0.19 })).not.toThrow();
    expect(() => parseEffects('trust2.0')).toThrow(/trait=OR/);
    expect(() => parseEffects('trust=2,trust=3')).toThrow(/twice/);
    expect(parseEffects(' trust = 2.0 ,agreement=1.6')).toEqual({ trust: 2, agreement: 1.6 });
  });

  it('exchangeable Cholesky: L L\' = R, and undefined exactly outside (-1/(K-1), 1)', () => {
    const K = 4;
    const L = exchangeableCholesky(K, 0.3)!;
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += L[i * K + k] * L[j * K + k];
        expect(s).toBeCloseTo(i === j ? 1 : 0.3, 12);
      }
    expect(exchangeableCholesky(K, -0.33)).toBeDefined();
    expect(exchangeableCholesky(K, -0.34)).toBeUndefined();
    expect(exchangeableCholesky(K, 1)).toBeUndefined();
  });

  it('an instrument without a two-option item outside its scales: data yes, effects no', () => {
    const noOutcome = instrumentFromText(
      `rapport: 1
id: tiny
version: 1.0.0
title: Tiny
languages: [en]
response_sets:
  a3:
    options:
      - {value: 1, label: Low}
      - {value: 2, label: Mid}
      - {value: 3, label: High}
    missing: []
items:
  - {id: q1, response_set: a3, text: One}
  - {id: q2, response_set: a3, text: Two, reverse: true}
scales:
  - {id: s, label: S, items: [q1, q2], method: sum, min_answered: 1}
`,
      'tiny.yaml',
    );
    expect(() => planSimulation(noOutcome, { effects: { s: 2 } })).toThrow(/no two-option item/);
    const p = planSimulation(noOutcome, {});
    const d = simulate(p, 100, 1);
    const text = csvString(p, d, 'plain', 1);
    expect(text.split('\n')[0]).toBe('id,q1,q2,age,sex');
    expect(d.cat[0].every((c) => c === EMPTY || (c >= 0 && c <= 2))).toBe(true);
  });
});
