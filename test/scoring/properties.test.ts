/**
 * Property tests (fast-check) for the scoring rules, and for the streaming pipeline agreeing with the
 * scoring core on arbitrary data written as CSV.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { instrumentFromText } from '../../src/instrument/load.js';
import { compileInstrument, keyed, scoreValues } from '../../src/scoring/score.js';
import { scoreInput } from '../../src/scoring/pipeline.js';

/** An instrument with one scale of `n` items on a `lo..hi` response set; `rev` marks reverse-keyed items. */
function makeInstrument(n: number, lo: number, hi: number, rev: boolean[], method: 'mean' | 'sum', minAnswered: number) {
  const options = [];
  for (let v = lo; v <= hi; v++) options.push(`{value: ${v}, label: "L${v}"}`);
  const items = Array.from({ length: n }, (_, i) => `  - {id: i${i}, text: t, response_set: r${rev[i] ? ', reverse: true' : ''}}`).join('\n');
  return instrumentFromText(
    `rapport: 1
id: p
version: '1'
title: P
response_sets:
  r:
    options: [${options.join(', ')}]
    missing: [{value: ${hi + 10}, label: Refused}]
items:
${items}
scales:
  - {id: s, items: [${Array.from({ length: n }, (_, i) => `i${i}`).join(', ')}], method: ${method}, min_answered: ${minAnswered}}
`,
    'p.yaml',
  );
}

const scaleArb = fc
  .record({ n: fc.integer({ min: 1, max: 8 }), lo: fc.integer({ min: -3, max: 2 }), span: fc.integer({ min: 1, max: 9 }) })
  .chain(({ n, lo, span }) =>
    fc.record({
      n: fc.constant(n),
      lo: fc.constant(lo),
      hi: fc.constant(lo + span),
      rev: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      method: fc.constantFrom<'mean' | 'sum'>('mean', 'sum'),
      minAnswered: fc.integer({ min: 1, max: n }),
      // NaN = unanswered
      values: fc.array(fc.option(fc.integer({ min: lo, max: lo + span }), { nil: undefined, freq: 4 }), { minLength: n, maxLength: n }),
    }),
  );

describe('scoring rules (properties)', () => {
  it('reverse-keying twice is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 10 }), fc.nat(10), (lo, span, off) => {
        const v = lo + (off % (span + 1));
        expect(keyed(keyed(v, lo, lo + span, true), lo, lo + span, true)).toBe(v);
        expect(keyed(v, lo, lo + span, false)).toBe(v);
      }),
    );
  });

  it('reversing an item and its answer (v -> lo + hi - v) leaves the score unchanged', () => {
    let scored = 0; // cases with a score (an unscored pair passes trivially)
    fc.assert(
      fc.property(scaleArb, fc.nat(7), (s, j) => {
        const k = j % s.n;
        const vals = s.values.map((v) => (v === undefined ? NaN : v));
        const a = scoreValues(compileInstrument(makeInstrument(s.n, s.lo, s.hi, s.rev, s.method, s.minAnswered)), vals)[0];
        const rev2 = [...s.rev];
        rev2[k] = !rev2[k];
        const vals2 = [...vals];
        vals2[k] = s.lo + s.hi - vals[k];
        const b = scoreValues(compileInstrument(makeInstrument(s.n, s.lo, s.hi, rev2, s.method, s.minAnswered)), vals2)[0];
        if (Number.isNaN(a)) expect(Number.isNaN(b)).toBe(true);
        else {
          expect(b).toBeCloseTo(a, 10);
          scored++;
        }
      }),
    );
    expect(scored).toBeGreaterThan(0);
  });

  it('a mean score lies within the response range', () => {
    let scored = 0; // cases with a score: the property says nothing about the others
    fc.assert(
      fc.property(scaleArb, (s) => {
        const ci = compileInstrument(makeInstrument(s.n, s.lo, s.hi, s.rev, 'mean', s.minAnswered));
        const x = scoreValues(ci, s.values.map((v) => (v === undefined ? NaN : v)))[0];
        if (!Number.isNaN(x)) {
          expect(x).toBeGreaterThanOrEqual(s.lo - 1e-12);
          expect(x).toBeLessThanOrEqual(s.hi + 1e-12);
          scored++;
        }
      }),
    );
    expect(scored).toBeGreaterThan(0);
  });

  it('proration of a complete scale equals the plain sum of the keyed values', () => {
    fc.assert(
      fc.property(scaleArb, (s) => {
        const full = s.values.map((v, i) => v ?? s.lo + (i % (s.hi - s.lo + 1)));
        const ci = compileInstrument(makeInstrument(s.n, s.lo, s.hi, s.rev, 'sum', s.minAnswered));
        const plain = full.reduce((acc, v, i) => acc + (s.rev[i] ? s.lo + s.hi - v : v), 0);
        expect(scoreValues(ci, full)[0]).toBeCloseTo(plain, 10);
      }),
    );
  });

  it('dropping answers below min_answered removes the score; at min_answered it exists', () => {
    fc.assert(
      fc.property(scaleArb, fc.nat(), (s, seed) => {
        const ci = compileInstrument(makeInstrument(s.n, s.lo, s.hi, s.rev, s.method, s.minAnswered));
        const full = s.values.map((v) => v ?? s.lo);
        // Keep exactly minAnswered - 1, then minAnswered, answers (a rotation picks which).
        const keep = (count: number) => full.map((v, i) => ((i + seed) % s.n < count ? v : NaN));
        expect(Number.isNaN(scoreValues(ci, keep(s.minAnswered - 1))[0])).toBe(true);
        expect(Number.isNaN(scoreValues(ci, keep(s.minAnswered))[0])).toBe(false);
      }),
    );
  });
});

describe('the streaming pipeline agrees with the scoring core', () => {
  it('on random exports (codes, labels in any case, refusals, empty and invalid cells)', async () => {
    await fc.assert(
      fc.asyncProperty(scaleArb, fc.array(fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 12 }), async (s, rows) => {
        const inst = makeInstrument(s.n, s.lo, s.hi, s.rev, s.method, s.minAnswered);
        const ci = compileInstrument(inst);
        const span = s.hi - s.lo + 1;
        const expected: number[][] = [];
        const lines = ['id,' + inst.items.map((it) => it.id).join(',')];
        rows.forEach((r, ri) => {
          const vals: number[] = [];
          const cells = inst.items.map((_, i) => {
            const u = r[i];
            const v = s.lo + (u % span);
            if (u < 10) return vals.push(NaN), '';
            if (u < 15) return vals.push(NaN), String(s.hi + 10); // refusal code
            if (u < 18) return vals.push(NaN), 'bogus'; // invalid
            if (u < 40) return vals.push(v), ` l${v} `.replace('l', u % 2 ? 'L' : 'l'); // label, any case, spaces
            if (u < 50) return vals.push(v), `${v}.0`;
            return vals.push(v), String(v);
          });
          expected.push([...scoreValues(ci, vals)]);
          lines.push(`r${ri},${cells.join(',')}`);
        });
        const got: number[][] = [];
        const summary = await scoreInput({ input: 'gen.csv', text: lines.join('\n') + '\n', instrument: inst }, (row) => got.push([...row.scores]));
        expect(got.map((g) => g.map((x) => (Number.isNaN(x) ? null : x)))).toEqual(expected.map((g) => g.map((x) => (Number.isNaN(x) ? null : x))));
        expect(summary.rowsScored).toBe(rows.length);
      }),
      { numRuns: 150 },
    );
  });
});
