/** issue 11, data loss in run, through the built CLI: run's own responses file with an item id ending in _complete is scored as a plain file (the rest: test/survey/data-loss.test.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');

describe.skipIf(distMissing())('run\'s own responses file with an item id ending in _complete (built CLI)', () => {
  it('rapport score reads it as plain: every row scored, none excluded as an incomplete REDCap form', () => {
    const dir = tmpDir();
    const inst = fs.readFileSync(MINI, 'utf8').replace('id: portal_use', 'id: visit_complete');
    fs.writeFileSync(path.join(dir, 'i.yaml'), inst);
    const head = 'respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,warm_1,warm_2,clear_1,clear_2,visit_complete';
    fs.writeFileSync(path.join(dir, 'r.csv'), `${head}\nK1,mini,0.1.0,en,s,c,3,2,4,4,1\nK2,mini,0.1.0,en,s,c,1,1,2,2,0\n`);
    const r = rapport(['score', 'r.csv', '--instrument', 'i.yaml', '--summary-json', 's.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['respondent_id,warmth,clarity,visit_complete', 'K1,3,8,1', 'K2,2.5,4,0']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8'))).toMatchObject({ platform: 'plain', rows_scored: 2 });
  });
});
