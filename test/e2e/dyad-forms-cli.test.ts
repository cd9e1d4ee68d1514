/** Both sides of a visit through the built CLI: `instruments validate` of two paired forms, and `run --visit` usage errors. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

describe.skipIf(distMissing())('instruments validate with both forms (built CLI)', () => {
  it('the built-in forms pass together; a clinician form whose paired options differ exits 65 naming the item', () => {
    const ok = rapport(['instruments', 'validate', 'instruments/relationship-engagement.yaml', 'instruments/relationship-engagement-clinician.yaml']);
    expect(ok.code, ok.stderr).toBe(0);
    const dir = tmpDir();
    const bad = path.join(dir, 'clin.yaml');
    fs.writeFileSync(bad, fs.readFileSync('instruments/relationship-engagement-clinician.yaml', 'utf8').replace('{value: 5, label: {en: No plan was agreed', '{value: 6, label: {en: No plan was agreed'));
    const r = rapport(['instruments', 'validate', 'instruments/relationship-engagement.yaml', bad]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`rapport: ${bad}: items[20].response_set: item "visit_plan" (pair "visit_plan") option 5 has value 6 where the other form has 5 (item "visit_plan" of relationship-engagement); paired items must offer the same options; it pairs with instruments/relationship-engagement.yaml`);
  });
});

describe.skipIf(distMissing())('run --visit (built CLI)', () => {
  it('the CLI refuses --visit with --kiosk, and a bad visit id, with exit 2', () => {
    const k = rapport(['run', 'relationship-engagement-clinician', '--visit', 'V1', '--kiosk']);
    expect([k.code, k.stderr]).toEqual([2, 'rapport: --visit names one visit, so it cannot be combined with --kiosk (a new respondent each time); run once per visit instead.\n']);
    expect(rapport(['run', 'relationship-engagement-clinician', '--visit', 'a/b']).code).toBe(2);
  });
});
