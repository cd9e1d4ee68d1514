/**
 * `rapport score` on the platform fixtures in fixtures/exports/, in-process through the pipeline and the
 * scored-CSV writer. Expected scores are hand-computed from fixtures/instruments/score-fixture.yaml:
 * trust = mean(trust_1, trust_2, 6 - trust_3), at least 2 answered; comm = mean(comm_1, comm_2) x 2,
 * at least 1 answered; portal_use copied (0/1).
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { ScoredCsvWriter } from '../../src/ingest/csv-write.js';
import { parseMapping } from '../../src/ingest/mapping.js';
import { type InvalidCell, type ScoreOptions, type ScoreSummary, scoreInput } from '../../src/scoring/pipeline.js';

const inst = loadInstrument('fixtures/instruments/score-fixture.yaml');
const fx = (name: string) => `fixtures/exports/${name}`;

async function score(input: string, opts: Partial<ScoreOptions> = {}): Promise<{ csv: string; summary: ScoreSummary; invalid: InvalidCell[] }> {
  const w = new ScoredCsvWriter();
  const invalid: InvalidCell[] = [];
  let csv = '';
  const summary = await scoreInput(
    { input, instrument: inst, onHeader: (h) => w.header(h), onInvalid: (c) => invalid.push(c), drain: () => void (csv += w.take()), ...opts },
    (r) => w.row(r),
  );
  csv += w.take();
  return { csv, summary, invalid };
}

describe('Qualtrics (current): three header rows, CRLF, a CRLF inside a question text, choice text in mixed case', () => {
  it('scores exactly, excludes the preview and the unfinished response, reports the invalid cell at its editor line', async () => {
    const { csv, summary, invalid } = await score(fx('qualtrics.csv'));
    // R_1: Agree 4, strongly agree 5, DISAGREE 2 -> 4: 13/3; comm Neutral 3, Agree 4 -> 3.5 x 2 = 7; Yes = 1.
    // R_4: only trust_1 answered (trust_3 refused) -> no trust; comm Strongly disagree 1 -> 1 x 2 = 2; No = 0.
    // R_5: "agree " 4, "Agreeish" invalid, "strongly  disagree" 1 -> 5: 4.5; comm 5 and 4.0 -> 9; yes = 1.
    expect(csv).toBe('ResponseId,trust,comm,portal_use\nR_1aaaaaaaaaaaaaa,4.33333333333,7,1\nR_4dddddddddddddd,,2,0\nR_5eeeeeeeeeeeeee,4.5,9,1\n');
    expect(summary.platform).toBe('qualtrics');
    expect(summary.rowsRead).toBe(5);
    expect(summary.excluded).toMatchObject({ preview: 1, incomplete: 1, test: 0, spam: 0 });
    expect(summary.rowsScored).toBe(3);
    expect(summary.invalidCells).toBe(1);
    expect(summary.refusedCells).toBe(1);
    // Header rows 1-4 (row 2 holds a line break), data from line 5: R_5 is on line 9.
    expect(invalid).toEqual([expect.objectContaining({ line: 9, column: 'trust_2', item: 'trust_2', value: 'Agreeish' })]);
    expect(summary.scales).toEqual([
      { id: 'trust', scored: 2, share: 2 / 3 },
      { id: 'comm', scored: 3, share: 1 },
    ]);
  });
  it('--include-previews and --include-incomplete keep them (R_2 all Neutral: trust 3, comm 6; R_3 one answer: no scores)', async () => {
    const { csv, summary } = await score(fx('qualtrics.csv'), { includePreviews: true, includeIncomplete: true });
    expect(csv.split('\n').slice(1, 4)).toEqual(['R_1aaaaaaaaaaaaaa,4.33333333333,7,1', 'R_2bbbbbbbbbbbbbb,3,6,0', 'R_3cccccccccccccc,,,']);
    expect(summary.rowsScored).toBe(5);
  });
  it('--platform plain reads the two extra header rows as (invalid) data', async () => {
    const { summary } = await score(fx('qualtrics.csv'), { platform: 'plain' });
    expect(summary.platform).toBe('plain');
    expect(summary.rowsRead).toBe(7);
    expect(summary.invalidCells).toBeGreaterThanOrEqual(12);
  });
});

describe('Qualtrics (current), numeric values with a mapping file', () => {
  it('maps by export tag and by ImportId, treats -99 as missing, excludes preview (1), test (2) and unfinished', async () => {
    const mapping = parseMapping(fs.readFileSync(fx('qualtrics-numeric.map.yaml'), 'utf8'), 'qualtrics-numeric.map.yaml');
    const { csv, summary } = await score(fx('qualtrics-numeric.csv'), { mapping, keep: ['Q4_TEXT'] });
    // R_a: 4, 4, 1 -> 5: 13/3; comm 2 and -99 (missing) -> 2 x 2 = 4; portal 1. The text cell is neutralised and quoted.
    // R_e: -99, 3, 9 (refused) -> one answer: no trust; comm 5, 5 -> 10; portal 0; "-5" is a number, untouched.
    expect(csv).toBe('ResponseId,Q4_TEXT,trust,comm,portal_use\nR_a,"\'=1+2, ""hi""",4.33333333333,4,1\nR_e,-5,,10,0\n');
    expect(summary.excluded).toMatchObject({ preview: 1, test: 1, incomplete: 1 });
    expect(summary.columns).toEqual({ trust_1: 'Q1_1', trust_2: 'Q1_2', trust_3: 'Q1_3', comm_1: 'Q2_1', comm_2: 'Q2_2', portal_use: 'Q3' });
    expect(summary.invalidCells).toBe(0);
  });
  it('without the mapping none of the items is found: MAP_NO_ITEMS_FOUND lists the columns and suggests --map', async () => {
    await expect(score(fx('qualtrics-numeric.csv'))).rejects.toMatchObject({ code: 'MAP_NO_ITEMS_FOUND', exitCode: 65, message: expect.stringMatching(/"Q1_1".*--map/) });
  });
});

describe('Qualtrics legacy: BOM, V1..V10, two header rows, trailing comma', () => {
  it('uses row 2 names for the metadata, drops the trailing empty column, excludes preview and unfinished', async () => {
    const { csv, summary } = await score(fx('qualtrics-legacy.csv'));
    // R_L1: 5, 4, 2 -> 4: 13/3; comm 4, 4 -> 8. R_L4: 1 and 5 -> 1: mean 1; comm 3 -> 6.
    expect(csv).toBe('ResponseID,trust,comm,portal_use\nR_L1,4.33333333333,8,1\nR_L4,1,6,0\n');
    expect(summary.platform).toBe('qualtrics-legacy');
    expect(summary.encodingHow).toBe('bom');
    expect(summary.excluded).toMatchObject({ preview: 1, incomplete: 1 });
  });
});

describe('REDCap records export: events, repeating instrument, checkboxes, _complete', () => {
  it('scores complete forms only, one row per event/instance, ignores checkbox columns', async () => {
    const { csv, summary } = await score(fx('redcap.csv'));
    // 1/baseline: 4, 5, 2 -> 4: 13/3, comm 3.5 x 2 = 7. 1/followup: 5, 5, 1 -> 5: 5, comm 10.
    // 3/baseline: 2, 2, 4 -> 2: 2, comm 1 x 2 = 2. 3/engagement#2: 1, 1, 5 -> 1: 1, comm 2 x 2 = 4.
    // The key columns (event, repeat instrument and instance) follow the id (issue 13).
    expect(csv).toBe(
      'record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,trust,comm,portal_use\n1,baseline_arm_1,,,4.33333333333,7,1\n1,followup_arm_1,,,5,10,1\n3,baseline_arm_1,,,2,2,0\n3,baseline_arm_1,engagement,2,1,4,0\n',
    );
    expect(summary.platform).toBe('redcap');
    expect(summary.excluded.incomplete).toBe(2);
    // Same record id in other events or instances is not a duplicate.
    expect(summary.duplicateIds).toBe(0);
  });
  it('--include-incomplete keeps record 2 (one trust answer: no score) and record 4 (empty)', async () => {
    const { csv } = await score(fx('redcap.csv'), { includeIncomplete: true });
    expect(csv.split('\n')).toContain('2,baseline_arm_1,,,,,');
    expect(csv.split('\n')).toContain('4,baseline_arm_1,,,,,');
  });
});

describe('LimeSurvey: BOM, ;, every field quoted, CRLF, Q[SQ] headings, empty submitdate', () => {
  it('matches trust[1] to item trust_1, excludes the incomplete response, neutralises kept text', async () => {
    const { csv, summary } = await score(fx('limesurvey.csv'), { keep: ['comment'] });
    // 1: 4, 4, 2 -> 4: 4; comm 10. 3: trust_2 refused (9), trust_3 empty: no trust; comm 1 -> 2. 4: 5, 4, 1 -> 5: 14/3; comm 2.5 x 2 = 5.
    expect(csv).toBe("id,comment,trust,comm,portal_use\n1,fine,4,10,1\n3,'=SUM(A1),,2,0\n4,,4.66666666667,5,1\n");
    expect(summary).toMatchObject({ platform: 'limesurvey', delimiter: ';', encodingHow: 'bom', rowsRead: 4, rowsScored: 3 });
    expect(summary.excluded.incomplete).toBe(1);
    expect(summary.columns.trust_1).toBe('trust[1]');
  });
});

describe('plain: ; delimiter, CRLF, case-insensitive header, refusal codes, a repeated id', () => {
  it('keeps all rows and counts the duplicate by default', async () => {
    const { csv, summary } = await score(fx('plain-semicolon.csv'));
    // p1: 5, 5, 5 -> 1: 11/3; comm 10. p2: all refused. p3: 1, 2, 3 -> 3: 2; comm 4 -> 8. p1 again: 3, 3, 3: 3; comm 6.
    expect(csv).toBe('respondent,trust,comm,portal_use\np1,3.66666666667,10,1\np2,,,\np3,2,8,0\np1,3,6,1\n');
    expect(summary.duplicateIds).toBe(1);
    expect(summary.duplicateExamples).toEqual([{ firstLine: 2, line: 5 }]);
    expect(summary.warnings.join('\n')).toMatch(/line 5 repeats line 2/);
    expect(summary.refusedCells).toBe(6);
  });
  it('--dedupe first keeps line 2, --dedupe last keeps line 5, --dedupe error fails naming both lines', async () => {
    expect((await score(fx('plain-semicolon.csv'), { dedupe: 'first' })).csv).toBe('respondent,trust,comm,portal_use\np1,3.66666666667,10,1\np2,,,\np3,2,8,0\n');
    const last = await score(fx('plain-semicolon.csv'), { dedupe: 'last' });
    expect(last.csv).toBe('respondent,trust,comm,portal_use\np2,,,\np3,2,8,0\np1,3,6,1\n');
    expect(last.summary.excluded.duplicate).toBe(1);
    await expect(score(fx('plain-semicolon.csv'), { dedupe: 'error' })).rejects.toMatchObject({ code: 'SCORE_DUPLICATE_ID', exitCode: 65, message: expect.stringMatching(/line 5.*line 2/) });
  });
});

describe('the row API for other commands (report)', () => {
  it('gives raw values, option codes, scores, the line and any column by name; buffers are reused', async () => {
    const rows: { line: number; id: string; values: number[]; codes: number[]; scores: number[]; date: string; nope: string }[] = [];
    let first: Float64Array | undefined;
    let same = true;
    await scoreInput({ input: fx('redcap.csv'), instrument: inst }, (r) => {
      if (!first) first = r.values;
      else same &&= first === r.values;
      rows.push({ line: r.line, id: r.id, values: [...r.values], codes: [...r.codes], scores: [...r.scores], date: r.cell('visit_date'), nope: r.cell('no_such_column') });
    });
    expect(same).toBe(true);
    expect(rows[0]).toEqual({ line: 2, id: '1', values: [4, 5, 2, 3, 4, 1], codes: [3, 4, 1, 2, 3, 1], scores: [13 / 3, 7], date: '2023-01-05', nope: '' });
    expect(rows.map((r) => r.line)).toEqual([2, 3, 5, 6]);
    // Raw (not reverse-keyed) values; NaN for empty cells.
    expect(rows[2].values.slice(0, 5).map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([2, 2, 4, 1, 'NaN']);
  });
  it('reads an in-memory text the same as a file', async () => {
    const a = await score(fx('limesurvey.csv'));
    const b = await score('memory.csv', { text: fs.readFileSync(fx('limesurvey.csv'), 'utf8') });
    expect(b.csv).toBe(a.csv);
  });
});
