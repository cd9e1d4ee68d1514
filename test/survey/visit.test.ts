/** `rapport run --visit <id>`: a visit_id column after the meta columns, kept through a resume, and files of the other layout refused. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, InterruptedError, UsageError } from '../../src/errors.js';
import { loadInstrument } from '../../src/instrument/load.js';
import type { Ask } from '../../src/survey/ask.js';
import { checkVisitId } from '../../src/survey/ids.js';
import { responsesHeader } from '../../src/survey/responses.js';
import { resumeCommand, runSession, type SessionOptions } from '../../src/survey/session.js';
import { ROOT, tmpDir } from '../helpers/cli.js';

const mini = loadInstrument(path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml'));

/** Press Enter on the intro, then pick the first option of every item and Submit; interrupt after `stopAfter` choices. */
function firstOptions(stopAfter = Infinity): Ask {
  let n = 0;
  return {
    async choose() {
      if (n++ >= stopAfter) throw Object.assign(new Error('SIGINT'), { name: 'ExitPromptError' });
      return { kind: 'choose', option: 0 };
    },
    async pressEnter() {},
    show() {},
    clear() {},
    close() {},
  };
}

let clock = Date.parse('2026-03-01T10:00:00.000Z');
function opts(dir: string, ask: Ask, over: Partial<SessionOptions> = {}): SessionOptions {
  return {
    inst: mini, out: path.join(dir, 'r.csv'), outLabel: 'r.csv', lang: 'en', langExplicit: false, respondent: 'K42', ask,
    showScores: false, waitAtEnd: false, resumeHint: (id) => resumeCommand('mini.yaml', 'r.csv', id), now: () => new Date((clock += 1000)), ...over,
  };
}

describe('run --visit', () => {
  it('writes visit_id after completed_at; without --visit the layout is unchanged', async () => {
    expect(responsesHeader(mini).join(',')).toBe('respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,warm_1,warm_2,clear_1,clear_2,portal_use');
    const dir = tmpDir();
    await runSession(opts(dir, firstOptions(), { visit: 'V2026-0142' }));
    await runSession(opts(dir, firstOptions(), { visit: 'V2026-0143', respondent: 'K43' }));
    const lines = fs.readFileSync(path.join(dir, 'r.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,visit_id,warm_1,warm_2,clear_1,clear_2,portal_use');
    expect(lines[1]).toMatch(/^K42,mini,0\.1\.0,en,[^,]+,[^,]+,V2026-0142,1,1,1,1,0$/);
    expect(lines[2]).toMatch(/^K43,.*,V2026-0143,1,1,1,1,0$/);
  });
  it('a resumed session keeps the visit of its journal', async () => {
    const dir = tmpDir();
    await expect(runSession(opts(dir, firstOptions(2), { visit: 'V7' }))).rejects.toBeInstanceOf(InterruptedError);
    await runSession(opts(dir, firstOptions(), { visit: 'V7' }));
    expect(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8').split('\n')[1]).toMatch(/,V7,1,1,1,1,0$/);
  });
  it('a file without visit_id is refused for a session with a visit, and the other way round', async () => {
    const dir = tmpDir();
    await runSession(opts(dir, firstOptions()));
    const e = await runSession(opts(dir, firstOptions(), { visit: 'V1', respondent: 'K2' })).catch((x) => x);
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('r.csv: holds responses to another instrument or version (header column 7 is "warm_1", mini 0.1.0 needs "visit_id"); choose another --out file, nothing was appended.');
    const dir2 = tmpDir();
    await runSession(opts(dir2, firstOptions(), { visit: 'V1' }));
    await expect(runSession(opts(dir2, firstOptions(), { respondent: 'K2' }))).rejects.toBeInstanceOf(DataError);
  });
  it('a visit id follows the respondent id rule', () => {
    expect(checkVisitId('V2026-03.1_a')).toBe('V2026-03.1_a');
    expect(() => checkVisitId('../x')).toThrow(UsageError);
    expect(() => checkVisitId('')).toThrow(/--visit "" is not a usable visit id/);
  });
});
