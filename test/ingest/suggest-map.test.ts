/**
 * `rapport map` (issue 13): the mapping suggested from an export's header. Library calls on small
 * hand-made headers, and the built CLI on two real exports (one child process): the LimeSurvey
 * full-text export gets the columns of the hand-written map (gender: 10, agree: 43), and scoring with
 * the suggested map gives the hand-checked counts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import { parseMapping } from '../../src/ingest/mapping.js';
import { overlap, suggestMapping, words } from '../../src/ingest/suggest-map.js';
import { mappingYaml } from '../../src/cli/commands/map.js';
import { distMissing, rapportMany, tmpDir } from '../helpers/cli.js';

const INST = instrumentFromText(
  `rapport: 1
id: m
version: 1.0.0
title: m
response_sets:
  yn: {options: [{value: 0, label: No}, {value: 1, label: Yes}]}
items:
  - {id: q_wait, text: "I waited too long for my appointment", response_set: yn}
  - {id: q_listen, text: "My doctor listened to me", response_set: yn}
  - {id: q_other, text: "Something the export does not ask", response_set: yn}
`,
  'm.yaml',
);

describe('words and overlap', () => {
  it('drop HTML, punctuation and one-letter words; Dice coefficient of the word sets', () => {
    expect([...words('<b>My</b> doctor, listened!  a')]).toEqual(['my', 'doctor', 'listened']);
    expect(overlap(words('a b c d'), words('a b c d'))).toBe(0);
    expect(overlap(words('my doctor listened'), words('my doctor listened to me'))).toBeCloseTo((2 * 3) / (3 + 5), 12);
  });
});

describe('suggestMapping', () => {
  it('matches by name first, then by question text, each column once; lists the rest', () => {
    const recs = [
      ['ResponseId', 'Q1', 'q_listen', 'Q3'],
      ['Response ID', 'Q1. I waited too long for my appointment?', 'My doctor listened', 'My doctor listened to me'],
      ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2"}', '{"ImportId":"QID3"}'],
    ];
    const s = suggestMapping(recs, INST);
    expect(s.platform).toBe('qualtrics');
    expect(s.idColumn).toBe(0);
    expect(s.matches.map((m) => [m.item, m.column, m.by])).toEqual([
      ['q_wait', 1, 'text'],
      ['q_listen', 2, 'name'],
      ['q_other', -1, 'none'],
    ]);
    const yaml = mappingYaml(s, 'x.csv', 'm 1.0.0');
    expect(yaml).toContain('# Not matched (1 item): q_other');
    const map = parseMapping(yaml, 'map.yaml');
    expect(Object.fromEntries(map.items)).toEqual({ q_wait: 'Q1', q_listen: 'q_listen' });
  });
});

describe.skipIf(distMissing())('rapport map (built CLI)', () => {
  it('suggests the hand-written map of the LimeSurvey full-text export, which scores to the hand counts', () => {
    const dir = tmpDir('rapport-map-');
    const real = (p: string) => path.join('fixtures', 'real', p);
    const out = path.join(dir, 'map.yaml');
    const [m, sc] = rapportMany([
      ['map', real('files/limesurvey-fulltext-998192.csv'), '-i', real('instruments/limonaid-998192.yaml'), '--out', out],
      ['score', real('files/limesurvey-fulltext-998192.csv'), '-i', real('instruments/limonaid-998192.yaml'), '--map', out, '-o', path.join(dir, 's.csv'), '--summary-json', path.join(dir, 's.json'), '-q'],
    ]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stderr).toContain('2 items matched (2 by question text), 0 not matched');
    const map = parseMapping(fs.readFileSync(out, 'utf8'), out);
    expect(Object.fromEntries(map.items)).toEqual({ gender: 10, agree: 43 });
    expect(sc.code, sc.stderr).toBe(0);
    const s = JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8'));
    expect([s.rows_read, s.rows_scored, s.invalid_cells]).toEqual([7, 2, 0]);
  });
});
