/** `simulate --outcome` and `power --outcome` (src/simulate/outcome.ts): which item is the outcome. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { planSimulation, simulate } from '../../src/simulate/generate.js';
import { distMissing, rapport } from '../helpers/cli.js';

const inst = loadInstrument('relationship-engagement');

describe('the outcome item of a simulation', () => {
  it('defaults to the first two-option item in no scale', () => {
    const plan = planSimulation(inst);
    expect(plan.ci.items[plan.outcome].id).toBe('portal_use');
  });
  it('--outcome phr_use draws phr_use from the outcome model at the asked prevalence, and portal_use as an ordinary item', () => {
    const plan = planSimulation(inst, { outcome: 'phr_use', prevalence: 0.2, effects: { trust: 2 } });
    const k = plan.ci.itemIndex.get('phr_use')!;
    expect(plan.outcome).toBe(k);
    expect(plan.items[k].kind).toBe('outcome');
    expect(plan.items[plan.ci.itemIndex.get('portal_use')!].kind).not.toBe('outcome');
    const d = simulate(plan, 4000, 7);
    let pos = 0;
    for (let i = 0; i < d.n; i++) pos += d.truth[i];
    expect(pos / d.n).toBeGreaterThan(0.17);
    expect(pos / d.n).toBeLessThan(0.23);
    // the drawn outcome is the stored phr_use answer wherever that was answered
    let agree = 0;
    let answered = 0;
    for (let i = 0; i < d.n; i++)
      if (d.cat[k][i] >= 0) {
        answered++;
        if (d.cat[k][i] === d.truth[i]) agree++;
      }
    expect(agree).toBe(answered);
  });
  it('refuses an item that is not binary, belongs to a scale, or does not exist (usage errors)', () => {
    expect(() => planSimulation(inst, { outcome: 'portal_frequency' })).toThrow(UsageError);
    expect(() => planSimulation(inst, { outcome: 'portal_frequency' })).toThrow(/must be binary \(yes\/no\), and portal_frequency has 4 options\. Choose one of portal_use, phr_use, decision_aid_use\./);
    expect(() => planSimulation(inst, { outcome: 'trust_1' })).toThrow(/belongs to the scale trust/);
    expect(() => planSimulation(inst, { outcome: 'nope' })).toThrow(/not an item of instrument relationship-engagement/);
  });
});

describe.skipIf(distMissing())('simulate and power name the outcome on stderr', () => {
  it('simulate without --outcome says which item it used; power refuses a non-binary outcome with exit 2', () => {
    const s = rapport(['simulate', '-i', 'relationship-engagement', '--n', '5']);
    expect(s.code).toBe(0);
    expect(s.stderr).toContain('outcome portal_use (the first two-option item in no scale; --outcome <item> names another)');
    const p = rapport(['power', '-i', 'relationship-engagement', '--effect', 'trust=1.5', '--n', '60', '--reps', '3']);
    expect(p.code).toBe(0);
    expect(p.stderr).toContain('rapport power: outcome portal_use (the first two-option item in no scale');
    const bad = rapport(['power', '-i', 'relationship-engagement', '--effect', 'trust=1.5', '--n', '60', '--reps', '3', '--outcome', 'preferred_channel']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--outcome preferred_channel: the outcome must be binary/);
    const q = rapport(['power', '-i', 'relationship-engagement', '--effect', 'trust=1.5', '--n', '60', '--reps', '3', '--outcome', 'phr_use']);
    expect(q.code).toBe(0);
    expect(q.stderr).not.toContain('first two-option item');
  });
});
