/**
 * Each export flavour of `simulate` is recognised by `rapport score`'s pipeline (src/scoring/pipeline.ts)
 * without a mapping file and scores exactly like the plain CSV, and exactly like the generator's own
 * scores (which the outcome model was drawn from).
 */
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { scoreInput, type ScoreSummary } from '../../src/scoring/pipeline.js';
import { planSimulation, simulate } from '../../src/simulate/generate.js';
import { FORMATS, csvString, type Flavour } from '../../src/simulate/writers.js';

const inst = loadInstrument('relationship-engagement');
const plan = planSimulation(inst, { effects: { trust: 2, agreement: 1.6 }, prevalence: 0.35, missing: 0.05 });
const N = 600;
const data = simulate(plan, N, 77);

interface Scored {
  summary: ScoreSummary;
  ids: string[];
  scores: Float64Array[];
  codes: Int32Array[];
}

async function scoreFlavour(f: Flavour): Promise<Scored> {
  const ids: string[] = [];
  const scores: Float64Array[] = [];
  const codes: Int32Array[] = [];
  const summary = await scoreInput({ input: `sim-${f}.csv`, text: csvString(plan, data, f, 77), instrument: inst }, (row) => {
    ids.push(row.id);
    scores.push(Float64Array.from(row.scores));
    codes.push(Int32Array.from(row.codes));
  });
  return { summary, ids, scores, codes };
}

describe('every flavour scores like plain through the score pipeline', () => {
  it.each(FORMATS)('%s: detected, all rows scored, no invalid cells, same answers and scores as generated', async (f) => {
    const r = await scoreFlavour(f);
    expect(r.summary.platform).toBe(f);
    expect(r.summary.platformHow).toBe('detected');
    expect(r.summary.rowsRead).toBe(N);
    expect(r.summary.rowsScored).toBe(N);
    expect(r.summary.invalidCells).toBe(0);
    expect(r.summary.missingItems).toEqual([]);
    // every item read from the column named by its id (export tag / field name / question code)
    for (const it of inst.items) expect(r.summary.columns[it.id]).toBe(it.id);
    for (let i = 0; i < N; i++) {
      for (let t = 0; t < plan.items.length; t++) expect(r.codes[i][t]).toBe(data.cat[t][i]);
      for (let k = 0; k < plan.K; k++) {
        const want = data.scores[k][i];
        if (Number.isNaN(want)) expect(r.scores[i][k]).toBeNaN();
        else expect(r.scores[i][k]).toBe(want);
      }
    }
  });

  it('ids: R0001.. (plain), Qualtrics ResponseIds, REDCap record ids, LimeSurvey ids', async () => {
    expect((await scoreFlavour('plain')).ids.slice(0, 2)).toEqual(['R0001', 'R0002']);
    expect((await scoreFlavour('qualtrics')).ids[0]).toMatch(/^R_[A-Za-z0-9]{15}$/);
    expect((await scoreFlavour('redcap')).ids.slice(0, 2)).toEqual(['1', '2']);
    expect((await scoreFlavour('limesurvey')).ids.slice(0, 2)).toEqual(['1', '2']);
  });

  it('refusals are read as refusals (missing codes in plain/redcap/limesurvey, the label in qualtrics)', async () => {
    const plain = await scoreFlavour('plain');
    const q = await scoreFlavour('qualtrics');
    expect(plain.summary.refusedCells).toBeGreaterThan(0);
    expect(q.summary.refusedCells).toBe(plain.summary.refusedCells);
    expect(q.summary.emptyCells).toBe(plain.summary.emptyCells);
  });
});
