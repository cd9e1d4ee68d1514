/**
 * `rapport instruments import-redcap` / `export-redcap` through the built CLI (run `npx tsc -p
 * tsconfig.json` or `npm test` first): files written, notes on stderr, exit codes, atomic output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { instrumentFromText, loadInstrument } from '../../src/instrument/load.js';
import { REDCAP_UI_HEADERS } from '../../src/instrument/redcap.js';
import { rapport, tmpDir } from '../helpers/cli.js';

const fx = (name: string) => path.join('fixtures', 'redcap', name);

describe('import-redcap', () => {
  it('writes a valid instrument file and one note per skipped field on stderr', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'clinic.yaml');
    const r = rapport(['instruments', 'import-redcap', fx('ui-dictionary.csv'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('skipped field'))).toEqual([
      'skipped field "record_id" (text): not a scorable item',
      'skipped field "intro_text" (descriptive): not a scorable item',
      'skipped field "visit_date" (text): not a scorable item',
      'skipped field "topics" (checkbox): not a scorable item',
      'skipped field "pain_now" (slider): not a scorable item',
      'skipped field "weight" (text): not a scorable item',
      'skipped field "height" (text): not a scorable item',
      'skipped field "bmi" (calc): not a scorable item',
      'skipped field "consent_scan" (file): not a scorable item',
      'skipped field "comments" (notes): not a scorable item',
    ]);
    expect(lines[lines.length - 1]).toBe(`wrote ${out}: instrument "clinic-visit" with 6 items, 4 response sets, 1 scales`);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Imported by rapport .* from the REDCap data dictionary fixtures\/redcap\/ui-dictionary\.csv\./);
    // YAML 1.1 booleans are quoted so that any YAML reader keeps them as labels
    expect(text).toContain('{ value: 0, label: "No" }');
    const inst = instrumentFromText(text, out);
    expect(inst.id).toBe('clinic-visit');
    expect(inst.items.map((i) => i.id)).toEqual(['visit_type', 'sat_wait', 'sat_staff', 'sat_explain', 'would_return', 'portal_ever']);
    expect(inst.items[3].text).toBe('how clearly the clinician explained\nthe \u201cnext steps\u201d');
    expect(inst.scales.map((s) => [s.id, s.items, s.method, s.min_answered])).toEqual([
      ['visit_sat', ['sat_wait', 'sat_staff', 'sat_explain'], 'mean', { kind: 'proportion', p: 0.5 }],
    ]);
    // and `instruments validate` accepts the file
    expect(rapport(['instruments', 'validate', out]).code).toBe(0);
  });
  it('--quiet silences the notes; --out - writes the YAML to stdout; - reads stdin', () => {
    const r = rapport(['instruments', 'import-redcap', '-', '--out', '-', '--quiet'], { input: fs.readFileSync(fx('api-metadata.csv')) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const inst = instrumentFromText(r.stdout, 'stdout');
    expect(inst.id).toBe('phone-followup');
    expect(inst.items.find((i) => i.id === 'reach_3')!.reverse).toBe(true);
    expect(inst.scales.map((s) => [s.id, s.method])).toEqual([['reach_total', 'sum']]);
  });
  it('--form picks one form; an unknown form exits 2 listing the forms', () => {
    const dir = tmpDir();
    const ok = rapport(['instruments', 'import-redcap', fx('two-forms.csv'), '--form', 'baseline', '--out', path.join(dir, 'b.yaml')]);
    expect(ok.code).toBe(0);
    expect(loadInstrument(path.join(dir, 'b.yaml')).items.map((i) => i.id)).toEqual(['base_trust', 'base_portal']);
    const bad = rapport(['instruments', 'import-redcap', fx('two-forms.csv'), '--form', 'week_6', '--out', path.join(dir, 'c.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('rapport: --form week_6: fixtures/redcap/two-forms.csv has no such form; its forms are: baseline, followup.');
    expect(fs.existsSync(path.join(dir, 'c.yaml'))).toBe(false);
  });
  it('a dictionary with no scorable field exits 65 and writes nothing', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'x.yaml');
    const r = rapport(['instruments', 'import-redcap', fx('no-scorable-fields.csv'), '--out', out]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/rapport: form "contact" of fixtures\/redcap\/no-scorable-fields\.csv has no scorable field/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it('a file that is not a dictionary exits 65 naming the header, and an existing output is left untouched', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'keep.yaml');
    fs.writeFileSync(out, 'precious\n');
    const r = rapport(['instruments', 'import-redcap', fx('records-not-dictionary.csv'), '--out', out]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/line 1 is not a REDCap data-dictionary header: found "record_id", "redcap_event_name"/);
    expect(r.stderr).toMatch(/"Variable \/ Field Name"/);
    expect(fs.readFileSync(out, 'utf8')).toBe('precious\n');
    expect(fs.readdirSync(dir)).toEqual(['keep.yaml']);
  });
  it('a missing input exits 66; an output folder that does not exist exits 73; no --out exits 2', () => {
    const dir = tmpDir();
    const miss = rapport(['instruments', 'import-redcap', 'no/such/dictionary.csv', '--out', path.join(dir, 'x.yaml')]);
    expect(miss.code).toBe(66);
    expect(miss.stderr).toMatch(/no\/such\/dictionary\.csv: no such file/);
    const noDir = rapport(['instruments', 'import-redcap', fx('ui-dictionary.csv'), '--out', path.join(dir, 'nope', 'x.yaml')]);
    expect(noDir.code).toBe(73);
    expect(noDir.stderr).toMatch(/folder does not exist/);
    const noOut = rapport(['instruments', 'import-redcap', fx('ui-dictionary.csv')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out <file>/);
  });
});

describe('export-redcap', () => {
  it('writes the UI-style dictionary (BOM, 18 exact headers) that import-redcap reads back to the same instrument', () => {
    const dir = tmpDir();
    const csvFile = path.join(dir, 'engagement.csv');
    const r = rapport(['instruments', 'export-redcap', 'relationship-engagement@1.0.0', '--out', csvFile]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(`wrote ${csvFile}: REDCap data dictionary, form "relationship_engagement", 34 fields (record_id, 27 items, 6 score calcs)`);
    const bytes = fs.readFileSync(csvFile);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.subarray(3)) as string[][];
    expect(rows[0]).toEqual([...REDCAP_UI_HEADERS]);
    expect(rows[0][5]).toBe('Choices, Calculations, OR Slider Labels');
    expect(rows[0][11]).toBe('Branching Logic (Show field only if...)');
    expect(rows[1].slice(0, 5)).toEqual(['record_id', 'relationship_engagement', '', 'text', 'Record ID']);
    // field names are REDCap-legal
    for (const row of rows.slice(1)) expect(row[0]).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(rows.slice(1).filter((x) => x[3] === 'calc').map((x) => x[0])).toEqual([
      'trust_score', 'respect_score', 'liking_score', 'listening_score', 'agreement_score', 'communication_score',
    ]);
    const trust3 = rows.find((x) => x[0] === 'trust_3')!;
    expect(trust3[5]).toBe('1, Strongly disagree | 2, Disagree | 3, Neither agree nor disagree | 4, Agree | 5, Strongly agree | 9, Prefer not to answer');
    expect(trust3[15]).toBe('trust');
    expect(trust3[17]).toBe('rapport: @RAPPORT-RESPONSE-SET=agree5 @RAPPORT-MISSING=9 @RAPPORT-REVERSE');
    const portal = rows.find((x) => x[0] === 'portal_use')!;
    expect(portal[2]).toBe('Online health tools');
    expect(portal[15]).toBe('');

    const yamlFile = path.join(dir, 'back.yaml');
    const back = rapport(['instruments', 'import-redcap', csvFile, '--out', yamlFile]);
    expect(back.code).toBe(0);
    expect(back.stderr.trim().split('\n')).toEqual([
      'skipped field "record_id" (text): not a scorable item',
      `wrote ${yamlFile}: instrument "relationship-engagement" with 27 items, 4 response sets, 6 scales`,
    ]);
    const a = loadInstrument('relationship-engagement@1.0.0');
    const b = loadInstrument(yamlFile);
    expect(b.items.map((i) => [i.id, i.text, i.response_set, i.reverse])).toEqual(a.items.map((i) => [i.id, (i.text as Record<string, string>).en, i.response_set, i.reverse]));
    expect(b.scales.map((s) => [s.id, s.label, s.items, s.method, s.min_answered])).toEqual(a.scales.map((s) => [s.id, (s.label as Record<string, string>).en, s.items, s.method, s.min_answered]));
  });
  it('--lang es exports the Spanish texts; an undeclared language exits 2', () => {
    const r = rapport(['instruments', 'export-redcap', 'relationship-engagement', '--lang', 'es', '--out', '-']);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout.replace(/^\uFEFF/, '')) as string[][];
    expect(rows.find((x) => x[0] === 'trust_1')![4]).toBe('Puedo contar con que mi médico pone mi salud en primer lugar.');
    expect(rows.find((x) => x[0] === 'trust_score')![4]).toBe('Confianza');
    const bad = rapport(['instruments', 'export-redcap', 'care', '--lang', 'fr', '--out', '-']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim()).toBe('rapport: --lang fr: instrument "care" is available in en; choose one of those.');
  });
  it('an unknown instrument exits 66; an invalid instrument file exits 65; nothing is written', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'x.csv');
    const unknown = rapport(['instruments', 'export-redcap', 'no-such-scale', '--out', out]);
    expect(unknown.code).toBe(66);
    expect(unknown.stderr).toMatch(/"no-such-scale" is neither a built-in instrument nor a file/);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'rapport: 1\nid: bad\nversion: 1.0.0\ntitle: Bad\nresponse_sets: {a: {options: [{value: 1, label: One}]}}\nitems: [{id: q1, text: Q, response_set: nope}]\n');
    const invalid = rapport(['instruments', 'export-redcap', bad, '--out', out]);
    expect(invalid.code).toBe(65);
    expect(invalid.stderr).toMatch(/items\[0\]\.response_set: unknown response set "nope"/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
