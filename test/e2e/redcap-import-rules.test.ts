/** REDCap import rules of issue 13 through the built CLI: JSON metadata, a bad field skipped with a note, the multi-form export/import round trip (unit tests: test/instrument/redcap-import-rules.test.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

const fx = (name: string) => `fixtures/redcap/${name}`;

describe.skipIf(distMissing())('import-redcap / export-redcap (built CLI)', () => {
  it('reads JSON metadata; a JSON error is one sentence, exit 65', () => {
    const ok = rapport(['instruments', 'import-redcap', fx('api-metadata.json'), '--out', '-']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/id: phone-followup/);
    const dir = tmpDir('rapport-rc-');
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"error": "no"}');
    const r = rapport(['instruments', 'import-redcap', bad, '--out', path.join(dir, 'x.yaml')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/holds JSON object, but REDCap metadata is an array/);
    expect(r.stderr).not.toMatch(/CSV/);
    expect(fs.existsSync(path.join(dir, 'x.yaml'))).toBe(false);
  });
  it('export-redcap then import-redcap gives back a multi-form instrument (forms, sections, sliders)', () => {
    const dir = tmpDir('rapport-rc-');
    const y1 = path.join(dir, 'a.yaml');
    const csv = path.join(dir, 'a.csv');
    const y2 = path.join(dir, 'b.yaml');
    expect(rapport(['instruments', 'import-redcap', fx('sections-two-forms.csv'), '--out', y1]).code).toBe(0);
    expect(rapport(['instruments', 'export-redcap', y1, '--out', csv]).code).toBe(0);
    expect(rapport(['instruments', 'import-redcap', csv, '--out', y2]).code).toBe(0);
    const body = (f: string) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => !/^(#|id:|title:)/.test(l)).join('\n');
    expect(body(y2)).toBe(body(y1));
    // the second form's first item has no section: the first form's header does not carry over
    const j = JSON.parse(rapport(['instruments', 'show', y2, '--json']).stdout);
    expect(j.items.map((i: any) => [i.id, i.form, i.section ?? null])).toEqual([
      ['fv_trust', 'first_visit', 'About your doctor'],
      ['fv_listen', 'first_visit', 'About your doctor'],
      ['fu_trust', 'follow_up', null],
      ['fu_pain', 'follow_up', 'Your health'],
      ['fu_portal', 'follow_up', 'Your health'],
    ]);
    expect(j.items[3]).toMatchObject({ type: 'number', min: 0, max: 10 });
  });
});
