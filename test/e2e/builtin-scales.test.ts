/**
 * The published scales shipped as scoring definitions (issue #2): CARE, PDRQ-9, HINTS PCC, HCCQ short
 * form. Each loads and validates, bundles no item wording, and reproduces the reference-check vectors
 * of the reference notes (relationship-instruments.md §4) through the scoring engine. Also
 * `instruments list/show --json` for the built-ins, through the built CLI.
 */
import { describe, expect, it } from 'vitest';
import { builtinIds, loadInstrument } from '../../src/instrument/load.js';
import type { Instrument } from '../../src/instrument/types.js';
import { CELL, compileInstrument, readCell, scoreValues } from '../../src/scoring/score.js';
import { rapport } from '../helpers/cli.js';

const PUBLISHED = ['care', 'pdrq-9', 'hints-pcc', 'hccq-short'];

/** Score one respondent from raw cell texts (codes or labels), one per item in instrument order. */
function score(inst: Instrument, cells: string[]): number[] {
  const ci = compileInstrument(inst);
  expect(cells).toHaveLength(ci.items.length);
  const out = new Int32Array(1);
  const values = ci.items.map((it, i) => {
    const st = readCell(it, cells[i], out);
    if (st === CELL.INVALID) throw new Error(`cell ${JSON.stringify(cells[i])} is not valid for ${it.id}`);
    return st === CELL.VALUE ? (it.codes[out[0]] as number) : NaN;
  });
  return [...scoreValues(ci, values)];
}

describe('published scales: definitions', () => {
  it('are built-ins, listed next to relationship-engagement', () => {
    expect(builtinIds()).toEqual(['care', 'hccq-short', 'hints-pcc', 'pdrq-9', 'relationship-engagement', 'relationship-engagement-clinician']);
  });
  it.each(PUBLISHED)('%s bundles no item wording: numbered placeholder texts, a licence block and a citation', (id) => {
    const inst = loadInstrument(id);
    expect(inst.license?.wording_bundled).toBe(false);
    expect(inst.license?.owner).toBeTruthy();
    expect(inst.license?.terms).toMatch(/obtain|take/);
    expect([inst.citation].flat().length).toBeGreaterThan(0);
    for (const it of inst.items) {
      const n = it.id.match(/_(\d+)$/)![1];
      expect(it.text).toMatch(new RegExp(`^(CARE|PDRQ-9|HINTS PCC|HCCQ) item ${n} \\(obtain the wording from the licence holder\\)$`));
    }
  });
  it('CARE: 10 items, Poor=1 … Excellent=5, "Does not apply" is a missing code, prorated sum with at least 8 answered', () => {
    const inst = loadInstrument('care');
    expect(inst.items.map((i) => i.id)).toEqual(Array.from({ length: 10 }, (_, k) => `care_${k + 1}`));
    const rs = inst.response_sets.care5;
    expect(rs.options).toEqual([
      { value: 1, label: 'Poor' },
      { value: 2, label: 'Fair' },
      { value: 3, label: 'Good' },
      { value: 4, label: 'Very good' },
      { value: 5, label: 'Excellent' },
    ]);
    expect(rs.missing).toEqual([{ value: 9, label: 'Does not apply' }]);
    expect(inst.items.some((i) => i.reverse)).toBe(false);
    expect(inst.scales).toEqual([
      expect.objectContaining({ id: 'care', items: inst.items.map((i) => i.id), method: 'sum', min_answered: { kind: 'count', n: 8 } }),
    ]);
    expect(inst.scales[0].transform).toBeUndefined();
  });
  it('PDRQ-9: 9 items, 1–5, mean, none reversed', () => {
    const inst = loadInstrument('pdrq-9');
    expect(inst.items).toHaveLength(9);
    expect(inst.response_sets.pdrq5.options.map((o) => o.value)).toEqual([1, 2, 3, 4, 5]);
    expect(inst.response_sets.pdrq5.missing).toEqual([]);
    expect(inst.items.some((i) => i.reverse)).toBe(false);
    expect(inst.scales).toEqual([expect.objectContaining({ id: 'pdrq', items: inst.items.map((i) => i.id), method: 'mean', min_answered: { kind: 'proportion', p: 0.5 } })]);
  });
  it('HINTS PCC: 7 items, 1 = Always … 4 = Never, all reverse-keyed, -1 and -9 missing, mean rescaled 0-100', () => {
    const inst = loadInstrument('hints-pcc');
    expect(inst.items).toHaveLength(7);
    expect(inst.items.every((i) => i.reverse)).toBe(true);
    const rs = inst.response_sets.hints_freq4;
    expect(rs.options).toEqual([
      { value: 1, label: 'Always' },
      { value: 2, label: 'Usually' },
      { value: 3, label: 'Sometimes' },
      { value: 4, label: 'Never' },
    ]);
    expect(rs.missing.map((m) => m.value)).toEqual([-1, -9]);
    expect(inst.scales).toEqual([expect.objectContaining({ id: 'pcc', method: 'mean', transform: '0-100', items: inst.items.map((i) => i.id) })]);
  });
  it('HCCQ short form: long-form items 1, 2, 4, 7, 10, 14; 1–7; mean; none reversed', () => {
    const inst = loadInstrument('hccq-short');
    expect(inst.items.map((i) => i.id)).toEqual(['hccq_1', 'hccq_2', 'hccq_4', 'hccq_7', 'hccq_10', 'hccq_14']);
    const rs = inst.response_sets.agree7;
    expect(rs.options.map((o) => o.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([rs.options[0].label, rs.options[3].label, rs.options[6].label]).toEqual(['Strongly disagree', 'Neutral', 'Strongly agree']);
    expect(inst.items.some((i) => i.reverse)).toBe(false);
    expect(inst.scales).toEqual([expect.objectContaining({ id: 'hccq', method: 'mean', items: inst.items.map((i) => i.id) })]);
  });
});

describe('published scales: reference-check vectors (relationship-instruments.md §4)', () => {
  it('CARE: 8 answered summing 32 plus 2 "does not apply" → 32 + 2×4 = 40; 3 → no score', () => {
    const inst = loadInstrument('care');
    expect(score(inst, ['4', '4', '4', '4', '4', '4', '4', '4', '9', '9'])).toEqual([40]);
    // uneven answers: 8 answered (5+5+3+3+4+4+4+3 = 31 → mean 3.875 → 38.75); labels and the missing label read too
    expect(score(inst, ['5', 'Excellent', '3', '3', 'Very good', '4', '4', 'good', 'Does not apply', ''])).toEqual([38.75]);
    expect(score(inst, ['4', '4', '4', '4', '4', '4', '4', '9', '9', '9'])).toEqual([NaN]);
    expect(score(inst, ['5', '5', '5', '5', '5', '5', '5', '5', '5', '5'])).toEqual([50]);
    expect(score(inst, ['1', '1', '1', '1', '1', '1', '1', '1', '1', ''])).toEqual([10]);
  });
  it('HINTS PCC: raw [1,1,2,2,1,3,4] → recoded [4,4,3,3,4,2,1] → mean 3.0 → 66.67; -1 and -9 are missing', () => {
    const inst = loadInstrument('hints-pcc');
    const [s] = score(inst, ['1', '1', '2', '2', '1', '3', '4']);
    expect(s).toBeCloseTo(200 / 3, 10);
    // the same answers with two special codes: mean of [4,4,3,3,4] = 3.6 → 100 × 2.6 / 3
    expect(score(inst, ['1', '1', '2', '2', '1', '-1', '-9'])[0]).toBeCloseTo((100 * 2.6) / 3, 10);
    expect(score(inst, ['1', '1', '1', '1', '1', '1', '1'])).toEqual([100]);
    expect(score(inst, ['Never', 'Never', 'Never', 'Never', 'Never', 'Never', 'Never'])).toEqual([0]);
    // fewer than 50% answered (3 of 7): no score
    expect(score(inst, ['1', '1', '1', '-1', '-9', '', '-9'])).toEqual([NaN]);
  });
  it('HCCQ short form: score = mean (1–7), no reversal', () => {
    const inst = loadInstrument('hccq-short');
    expect(score(inst, ['7', '6', '5', '4', '3', '2'])).toEqual([4.5]);
    expect(score(inst, ['7', '7', '7', '', '', ''])).toEqual([7]);
    expect(score(inst, ['7', '7', '', '', '', ''])).toEqual([NaN]);
  });
  it('PDRQ-9: all items 4 → mean 4.0 (sum metric 36), above the 3.5 cut point', () => {
    const inst = loadInstrument('pdrq-9');
    const [m] = score(inst, Array(9).fill('4'));
    expect(m).toBe(4);
    expect(m * 9).toBe(36);
    expect(m).toBeGreaterThan(3.5);
    expect(score(inst, ['1', '2', '3', '4', '5', '1', '2', '3', '4'])).toEqual([25 / 9]);
  });
});

describe('instruments list / show --json for the built-ins (built CLI)', () => {
  it('list shows all six', () => {
    const r = rapport(['instruments', 'list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; items: number; scales: string[]; wording_bundled: boolean; version: string }[];
    expect(rows.map((x) => [x.id, x.items, x.scales, x.wording_bundled])).toEqual([
      ['care', 10, ['care'], false],
      ['hccq-short', 6, ['hccq'], false],
      ['hints-pcc', 7, ['pcc'], false],
      ['pdrq-9', 9, ['pdrq'], false],
      ['relationship-engagement', 31, ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'], true],
      ['relationship-engagement-clinician', 22, ['trust', 'respect', 'liking', 'listening', 'agreement'], true],
    ]);
    const text = rapport(['instruments', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['care', 'hccq-short', 'hints-pcc', 'pdrq-9', 'relationship-engagement', 'relationship-engagement-clinician']);
  });
  it.each(PUBLISHED)('show %s --json prints id, version, items[] (id/text/response_set/reverse), response_sets, scales[]', (id) => {
    const r = rapport(['instruments', 'show', id, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const inst = loadInstrument(id);
    expect(j.id).toBe(id);
    expect(j.version).toBe('1.0.0');
    expect(j.items.map((i: any) => ({ id: i.id, text: i.text, response_set: i.response_set, reverse: i.reverse }))).toEqual(
      inst.items.map((i) => ({ id: i.id, text: i.text, response_set: i.response_set, reverse: i.reverse })),
    );
    expect(Object.keys(j.response_sets)).toEqual(Object.keys(inst.response_sets));
    for (const [k, rs] of Object.entries(inst.response_sets)) {
      expect(j.response_sets[k]).toEqual({ options: rs.options, missing: rs.missing });
    }
    expect(j.scales).toEqual(
      inst.scales.map((s) => ({
        id: s.id,
        label: s.label,
        items: s.items,
        method: s.method,
        min_answered: s.min_answered.kind === 'count' ? s.min_answered.n : `${s.min_answered.p * 100}%`,
        ...(s.transform ? { transform: s.transform } : {}),
      })),
    );
    expect(j.license.wording_bundled).toBe(false);
  });
  it('show care --json: the exact scoring facts', () => {
    const j = JSON.parse(rapport(['instruments', 'show', 'care', '--json']).stdout);
    expect(j.scales).toEqual([{ id: 'care', label: 'CARE score', items: j.items.map((i: any) => i.id), method: 'sum', min_answered: 8 }]);
    expect(j.response_sets.care5.missing).toEqual([{ value: 9, label: 'Does not apply' }]);
    expect(j.items[0]).toEqual({ id: 'care_1', text: 'CARE item 1 (obtain the wording from the licence holder)', response_set: 'care5', reverse: false });
  });
  it('show hints-pcc (text) says the wording is not bundled and describes the scale', () => {
    const r = rapport(['instruments', 'show', 'hints-pcc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Item wording is not bundled: obtain it from the owner.');
    expect(r.stdout).toContain('pcc (Patient-centred communication (0-100)): mean of 7 items [pcc_1, pcc_2, pcc_3, pcc_4, pcc_5, pcc_6, pcc_7], at least 50% answered, rescaled 0-100');
    expect(r.stdout).toContain('hints_freq4: 1 Always | 2 Usually | 3 Sometimes | 4 Never; no answer: -1 Inapplicable | -9 Missing');
  });
});
