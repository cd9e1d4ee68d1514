/**
 * Platform row rules of issue 13 on small hand-made exports (library calls, no CLI): Qualtrics'
 * single-quoted ImportId row, LimeSurvey full-text headings, REDCap longitudinal and repeating rows
 * (key, other repeating instruments, per-form completeness, forms not collected, --event, records at
 * several events), R-written files (row names, NA), labelled REDCap exports, and --platform checks.
 */
import { describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import { detectPlatform, parseImportId } from '../../src/ingest/platform.js';
import { type ScoreOptions, scoreInput } from '../../src/scoring/pipeline.js';

const INST = instrumentFromText(
  `rapport: 1
id: two-forms
version: 1.0.0
title: two forms
response_sets:
  agree: {options: [{value: 1, label: No}, {value: 2, label: Yes}]}
items:
  - {id: a1, text: A one, response_set: agree}
  - {id: b1, text: B one, response_set: agree}
`,
  'two-forms.yaml',
);

async function run(text: string, extra: Partial<ScoreOptions> = {}) {
  const rows: { id: string; values: number[]; fields: string[] }[] = [];
  const s = await scoreInput({ input: 'x.csv', text, instrument: INST, ...extra }, (r) => rows.push({ id: r.id, values: Array.from(r.values), fields: [...r.fields] }));
  const excluded = Object.fromEntries(Object.entries(s.excluded).filter(([, n]) => n > 0));
  return { s, rows, excluded };
}

describe('Qualtrics exports of about 2016', () => {
  it("read the single-quoted ImportId row ({'ImportId': 'QID2'}) as the third header row", async () => {
    expect(parseImportId("{'ImportId': 'QID2'}")).toBe('QID2');
    const text = "ResponseID,Status,Finished,a1,b1\nResponse ID,Response Type,Finished,A one,B one\n{'ImportId': 'responseId'},{'ImportId': 'status'},{'ImportId': 'finished'},{'ImportId': 'QID1'},{'ImportId': 'QID2'}\nR_1,0,1,1,2\nR_2,1,1,2,2\n";
    expect(detectPlatform(text.split('\n').slice(0, 3).map((l) => l.split(',')))).toBe('qualtrics');
    const { s, rows, excluded } = await run(text);
    expect([s.platform, s.rowsRead, s.rowsScored]).toEqual(['qualtrics', 2, 1]);
    expect(excluded).toEqual({ preview: 1 });
    expect(rows[0].id).toBe('R_1');
  });
});

describe('LimeSurvey full-text headings', () => {
  it('are a LimeSurvey export; an empty Date submitted is incomplete; Response ID is the id', async () => {
    const { s, rows, excluded } = await run('Response ID,Date submitted,Last page,Start language,a1,b1\n7,2020-01-01 10:00,2,en,1,2\n8,,1,en,2,\n');
    expect([s.platform, s.rowsRead, s.rowsScored]).toEqual(['limesurvey', 2, 1]);
    expect(excluded).toEqual({ incomplete: 1 });
    expect(rows.map((r) => r.id)).toEqual(['7']);
  });
});

describe('REDCap longitudinal and repeating projects', () => {
  const HEAD = 'record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,a1,form_a_complete,b1,form_b_complete,bp,bp_complete\n';
  const DATA =
    HEAD +
    '1,base_arm_1,,,1,2,2,0,,\n' + // form b incomplete: b1 is missing, the row counts (form a complete)
    '1,base_arm_1,bp,1,,,,,120,2\n' + // another repeating instrument: not a respondent
    '1,week_arm_1,,,2,2,1,2,,\n' + // the same record at another event
    '2,base_arm_1,,,,,,,,\n' + // neither form collected at this event
    '3,base_arm_1,,,1,1,1,0,,\n'; // both forms incomplete
  it('skips other repeating instruments, tells not collected from incomplete, and blanks items of incomplete forms', async () => {
    const { s, rows, excluded } = await run(DATA);
    expect([s.rowsRead, s.rowsScored]).toEqual([5, 2]);
    expect(excluded).toEqual({ other_repeating: 1, not_collected: 1, incomplete: 1 });
    expect(rows[0].values).toEqual([1, NaN]);
    expect(rows[1].values).toEqual([2, 1]);
    expect(s.events).toEqual(['base_arm_1', 'week_arm_1']);
    expect(s.multiEventRecords).toBe(1);
  });
  it('--event keeps the named events only (other_event), and the key columns follow the id in the plan', async () => {
    let keep: string[] = [];
    const { s, excluded } = await run(DATA, { events: ['week_arm_1'], onHeader: (h) => (keep = h.plan.keepHeaders) });
    expect(keep).toEqual(['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance']);
    expect(s.rowsScored).toBe(1);
    expect(excluded).toEqual({ other_event: 4 });
    expect(s.multiEventRecords).toBe(0);
  });
  it('duplicate detection uses the whole key (the same record at two events is not a duplicate)', async () => {
    const { s } = await run(DATA + '3,base_arm_1,,,2,2,2,2,,\n');
    expect(s.duplicateIds).toBe(0);
    const again = await run(DATA + '1,week_arm_1,,,2,2,1,2,,\n');
    expect(again.s.duplicateIds).toBe(1);
  });
});

describe('R-written files', () => {
  it('an empty first header cell (row names) is never the id; NA is an empty cell, not an invalid answer', async () => {
    const { s, rows } = await run('"","record_id","a1","b1","form_a_complete"\n"1",11,1,NA,2\n"2",12,NA,2,2\n');
    expect(s.platform).toBe('redcap');
    expect(rows.map((r) => r.id)).toEqual(['11', '12']);
    expect(s.invalidCells).toBe(0);
    expect(s.emptyCells).toBe(2);
  });
  it('in a plain export without row names, NA stays an invalid answer', async () => {
    const { s } = await run('id,a1,b1\n1,NA,2\n');
    expect(s.invalidCells).toBe(1);
  });
});

describe('refusals', () => {
  it('a labelled REDCap export (Complete? columns) is refused, asking for raw data', async () => {
    await expect(run('Record ID,A one,B one,Form A Complete?\n1,Yes,No,Complete\n')).rejects.toThrow(/export raw data/);
  });
  it('--platform names what the export lacks (exit 65)', async () => {
    await expect(run('id,a1,b1\n1,1,2\n2,2,2\n3,1,1\n', { platform: 'qualtrics' })).rejects.toMatchObject({ code: 'SCORE_PLATFORM_MISSING', message: expect.stringMatching(/--platform qualtrics needs a third header row of ImportId cells/) });
    await expect(run('id,a1,b1\n1,1,2\n', { platform: 'limesurvey' })).rejects.toThrow(/--platform limesurvey needs a "submitdate" \(or "Date submitted"\) column/);
    await expect(run('record_id,a1,b1\n1,1,2\n', { platform: 'redcap' })).rejects.toThrow(/--platform redcap needs a "<form>_complete" column/);
    const ok = await run('record_id,a1,b1\n1,1,2\n', { platform: 'redcap', includeIncomplete: true });
    expect(ok.s.rowsScored).toBe(1);
  });
});
