/**
 * --pool-small (sections/groups.ts): small --group-by groups shown together as "other" when together
 * they reach --min-cell, else suppressed as without the option; complementary suppression and
 * subtraction attacks checked by hand-worked cases and by a property over random group sizes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupsSection } from '../../src/report/sections/groups.js';
import type { GroupColumn, TraitColumn } from '../../src/report/data.js';

/** A group column with `sizes[k]` respondents in level k (and `missing` with no group); y alternates 1, 0. */
function groups(sizes: Record<string, number>, missing = 0) {
  const levels = Object.keys(sizes);
  const codes: number[] = [];
  levels.forEach((l, k) => codes.push(...Array<number>(sizes[l]).fill(k)));
  codes.push(...Array<number>(missing).fill(-1));
  const g: GroupColumn = { name: 'clinic', codes: Int32Array.from(codes), levels };
  const y = Float64Array.from(codes, (_, i) => i % 2);
  const trait: TraitColumn = { name: 'trust', label: 'Trust', lo: 1, hi: 5, values: Float64Array.from(codes, (_, i) => 1 + (i % 5)) };
  return { g, y, traits: [trait] };
}

const run = (sizes: Record<string, number>, missing = 0, minCell = 11) => {
  const { g, y, traits } = groups(sizes, missing);
  return groupsSection(g, y, traits, minCell, { poolSmall: true });
};

describe('--pool-small', () => {
  it('small groups that reach --min-cell together become one "other" row; none is suppressed or named in a row', () => {
    const { groups: res, warnings } = run({ A: 30, B: 25, C: 4, D: 5, E: 3 });
    expect(res.rows.map((r) => [r.group, r.nLabel, r.suppressed])).toEqual([
      ['A', '30', false],
      ['B', '25', false],
      ['other', '12', false],
    ]);
    const other = res.rows[2];
    expect(other.pooled).toEqual(['C', 'D', 'E']);
    expect(other.nOutcome).toBe(12);
    expect(other.events).toBe(6); // members 55..66: alternate 1, 0 from an odd index
    expect(res.suppressedGroups).toBe(0);
    expect(warnings).toEqual([{ code: 'pooled_groups', by: 'clinic', groups: 3, minCell: 11 }]);
  });

  it('"other" still under --min-cell: the small groups are suppressed as without the option, complementary rule included', () => {
    const { groups: res, warnings } = run({ A: 30, B: 25, C: 4, D: 5 });
    expect(res.rows.map((r) => [r.group, r.nLabel, r.suppressed])).toEqual([
      ['A', '30', false],
      ['B', '>=11', true], // 4 + 5 = 9 < 11: the smallest shown group is withheld too
      ['C', '<11', true],
      ['D', '<11', true],
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['small_cells', 'pool_too_small']);
  });

  it('one small group is never "pooled" alone (it would be the group itself)', () => {
    const { groups: res, warnings } = run({ A: 30, B: 25, C: 10 });
    expect(res.rows.find((r) => r.group === 'C')?.nLabel).toBe('<11');
    expect(res.rows.some((r) => r.group === 'other')).toBe(false);
    expect(warnings.map((w) => w.code)).toContain('pool_too_small');
  });

  it('"not stated" is never pooled into "other", and a level already called "other" keeps its own row', () => {
    const { groups: res } = run({ A: 30, other: 20, C: 6, D: 6 }, 4);
    expect(res.rows.map((r) => [r.group, r.nLabel])).toEqual([
      ['A', '30'],
      ['other', '20'],
      ['other (pooled)', '12'],
      ['not stated', '<11'],
    ]);
  });

  it('without --pool-small nothing changes', () => {
    const { g, y, traits } = groups({ A: 30, B: 25, C: 4, D: 5, E: 3 });
    const res = groupsSection(g, y, traits, 11).groups;
    expect(res.rows.filter((r) => r.suppressed).map((r) => r.group)).toEqual(['C', 'D', 'E']);
  });

  it('subtraction attack: the total minus the shown groups is never a small stated group, whatever the sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 2, max: 15 }), (sizes, missing, minCell) => {
        const named = Object.fromEntries(sizes.map((n, k) => [`g${k}`, n]));
        const { groups: res } = run(named, missing, minCell);
        const shown = res.rows.filter((r) => !r.suppressed);
        // no shown row is small, and no small stated group is shown by name
        for (const r of shown) expect(r.n!).toBeGreaterThanOrEqual(minCell);
        // when a stated group is withheld, the withheld rows (not stated included) hold at least minCell
        // respondents together, so subtracting the shown rows from the total reveals no small group
        // (unless nothing at all is shown: the whole sample is then too small to split)
        const withheld = res.rows.filter((r) => r.suppressed);
        const hidden = withheld.reduce((a, r) => a + (r.group === 'not stated' ? missing : named[r.group]), 0);
        if (withheld.some((r) => r.group !== 'not stated') && shown.length > 0) expect(hidden).toBeGreaterThanOrEqual(minCell);
        // every respondent is in exactly one row
        const pooled = shown.find((r) => r.pooled);
        const rowsTotal = res.rows.reduce((a, r) => a + (r.group === 'not stated' ? missing : r.pooled ? r.pooled.reduce((b, p) => b + named[p], 0) : named[r.group]), 0);
        expect(rowsTotal).toBe(sizes.reduce((a, b) => a + b, 0) + missing);
        if (pooled) expect(pooled.pooled!.every((p) => named[p] < minCell)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
