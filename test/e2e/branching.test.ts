/** Branching through the built CLI: import-redcap turns simple branching logic into show_if (unit tests: test/survey/branching.test.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

describe.skipIf(distMissing())('import-redcap with branching logic (built CLI)', () => {
  it('simple rules become show_if on the item, the rest a note; the result validates', () => {
    const dir = tmpDir();
    const head = fs.readFileSync(path.join(ROOT, 'fixtures', 'redcap', 'letter-codes.csv'), 'utf8').split('\n')[0];
    const rows = [
      'record_id,f,,text,Record ID,,,,,,,,,,,,,',
      'portal_use,f,,yesno,Did you use the portal?,,,,,,,,,,,,,',
      `portal_freq,f,,radio,How often?,"1, Rarely | 2, Monthly | 3, Weekly",,,,,,[portal_use] = '1',,,,,,`,
      `why,f,,radio,Why weekly?,"1, Results | 2, Messages",,,,,,[portal_freq] = '2' or [portal_freq] = '3',,,,,,`,
      `odd,f,,yesno,Odd?,,,,,,,[portal_use] <> '0',,,,,,`,
      `later,f,,yesno,Later?,,,,,,,[after] = '1',,,,,,`,
      'after,f,,yesno,After?,,,,,,,,,,,,,',
    ];
    fs.writeFileSync(path.join(dir, 'd.csv'), [head, ...rows].join('\n') + '\n');
    const r = rapport(['instruments', 'import-redcap', 'd.csv', '--out', 'i.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`field "odd": branching logic "[portal_use] <> '0'" was not imported`);
    expect(r.stderr).toContain('field "later": branching logic "[after] = \'1\'" was not imported ("after" is not a choice item imported before it)');
    const show = rapport(['instruments', 'show', 'i.yaml', '--json'], { cwd: dir });
    expect(show.code, show.stderr).toBe(0);
    const items = JSON.parse(show.stdout).items as { id: string; show_if?: unknown }[];
    const rule = (id: string) => items.find((i) => i.id === id)?.show_if;
    expect(rule('portal_freq')).toEqual([{ item: 'portal_use', in: [1] }]);
    expect(rule('why')).toEqual([{ item: 'portal_freq', in: [2, 3] }]);
    expect(rule('odd')).toBeUndefined();
    expect(rule('later')).toBeUndefined();
  });
});
