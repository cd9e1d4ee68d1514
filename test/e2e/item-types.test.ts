/** Item types (number, text, multiple, option codes) through the built CLI: score and instruments show (unit tests: test/instrument/item-types.test.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

const INST = 'fixtures/item-types/types.yaml';
const EXPORT = 'fixtures/item-types/export.csv';

describe.skipIf(distMissing())('score with item types (built CLI)', () => {
  it('scores codes, numbers, multi-selects; keeps text only with --keep; explains multi-select cells', () => {
    const dir = tmpDir('rapport-types-');
    const errors = path.join(dir, 'e.csv');
    const r = rapport(['score', EXPORT, '-i', INST, '--errors', errors, '--keep', 'comment']);
    expect(r.code).toBe(0);
    // By hand: r1 q1 A1=1, q2 A5=5 reversed 1 -> 1; pain (3+5)/2*2 = 8; race White,Other.
    // r2 q1 4, q2 "Strongly agree" 5 reversed 1 -> 2.5; pain_now 11 invalid, pain 2*2 = 4; sex multi-select invalid.
    // r3 q1 1, q2 AO99 refused -> 1; pain 7.5*2 = 15. r4 q1 a2 (code, case-folded) 2, q2 2 reversed 4 -> 3; pain 10*2 = 20; race 1,3.
    expect(r.stdout).toBe(
      'id,comment,att,pain,race___1,race___2,race___3,race___4,sex\n' +
        'r1,hello there,1,8,1,0,0,1,1\n' +
        "r2,'=cmd,2.5,4,0,0,1,0,\n" +
        'r3,,1,15,,,,,2\n' +
        'r4,x,3,20,1,0,1,0,\n',
    );
    const e = fs.readFileSync(errors, 'utf8').split('\n');
    expect(e[1]).toBe('3,pain_now,11,"""11"" is not an answer to item pain_now; accepted: a number from 0 to 10; counted as unanswered"');
    expect(e[2]).toMatch(/^3,sex,"Female,Male","""Female,Male"" is a multi-select cell \(2 options\), not one option of item sex; .*multiple: true/);
    expect(e[3]).toMatch(/^5,pain_now,-1,/);
    expect(r.stderr).toMatch(/invalid cells 3/);
  });
  it('free text never reaches the output without --keep', () => {
    const r = rapport(['score', EXPORT, '-i', INST, '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('id,att,pain,race___1,race___2,race___3,race___4,sex');
    expect(r.stdout).not.toMatch(/hello|cmd/);
  });
  it('instruments show names codes and item types', () => {
    const r = rapport(['instruments', 'show', INST]);
    expect(r.stdout).toMatch(/1 \(code A1\) Strongly disagree/);
    expect(r.stdout).toMatch(/pain_now +Pain now +\[pain, number 0 to 10\]/);
    expect(r.stdout).toMatch(/comment +Anything else\? +\[no scale, free text \(never reported\)\]/);
    const j = JSON.parse(rapport(['instruments', 'show', INST, '--json']).stdout);
    expect(j.response_sets.agree5.options[0]).toEqual({ value: 1, code: 'A1', label: 'Strongly disagree' });
    expect(j.items[2]).toMatchObject({ id: 'pain_now', type: 'number', min: 0, max: 10 });
  });
});
