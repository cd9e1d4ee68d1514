/**
 * issue 16: the kiosk in a real terminal (tmux). Staff exit only (Ctrl-C, Ctrl-D, Ctrl-Z, Ctrl-\ open
 * the Staff PIN prompt; wrong then right PIN; three wrong return to the survey), SIGTERM still exits
 * 130 with the journal intact, idle reset with no way back, Enter with nothing chosen, the language
 * screen, --ask-id with an invalid then a valid id, --site. Every wait polls the screen with a
 * generous timeout; no sleep decides anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';
import { HAVE_TMUX, Term } from '../helpers/term.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');
const SKIP = !HAVE_TMUX || distMissing();
if (SKIP) console.warn('test/e2e/kiosk.test.ts: needs tmux and dist/ (npx tsc -p tsconfig.json); skipped.');

function kioskDir(): string {
  const dir = tmpDir();
  const r = rapport(['kiosk-pin', 'staff.pin'], { cwd: dir, input: '2468\n' });
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

const journalLines = (dir: string, id?: string): Record<string, unknown>[] => {
  const sessions = path.join(dir, 'responses.csv.sessions');
  const files = fs.existsSync(sessions) ? fs.readdirSync(sessions).filter((f) => f.endsWith('.jsonl') && (!id || f === `${id}.jsonl`)) : [];
  return files.flatMap((f) => fs.readFileSync(path.join(sessions, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>));
};

async function choose(t: Term, n: number, label: RegExp = /Your choice|Su elección/): Promise<void> {
  t.keys(String(n));
  await t.see(new RegExp(`(${label.source}): ${n}\\. `));
  t.keys('Enter');
}

describe.skipIf(SKIP)('rapport run --kiosk in a real terminal', () => {
  it('Ctrl-C, Ctrl-D, Ctrl-Z and Ctrl-\\ open the Staff PIN prompt; three wrong PINs return to the survey; wrong then right PIN leaves (130, resume hint with every flag)', async () => {
    const dir = kioskDir();
    const t = new Term(dir, ['run', MINI, '--kiosk', '--staff-pin-file', 'staff.pin', '--lang', 'en', '--respondent', 'K1', '--site', 'North clinic']);
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    await t.see(/Item 1 of 5/);
    await choose(t, 3);
    await t.see(/Item 2 of 5/);
    for (const key of ['C-d', 'C-z', 'C-\\']) {
      t.keys(key);
      await t.see(/Staff PIN/);
      // A staff key inside the PIN prompt returns to the survey, at the same item.
      t.keys('C-c');
      await t.see(/Item 2 of 5/);
    }
    t.keys('C-c');
    await t.see(/Staff PIN/);
    for (const [i, left] of [[0, 2], [1, 1]]) {
      t.keys('1111', 'Enter');
      await t.see(new RegExp(`Wrong PIN \\(${left} tr(y|ies) left\\)`));
      expect(i).toBeGreaterThanOrEqual(0);
    }
    t.keys('1111', 'Enter');
    // Three wrong: back to the survey where it was; nothing was lost.
    await t.see(/Item 2 of 5/);
    t.keys('C-c');
    await t.see(/Staff PIN/);
    t.keys('0000', 'Enter');
    await t.see(/Wrong PIN/);
    t.keys('2468', 'Enter');
    expect(await t.exitCode()).toBe(130);
    const s = await t.see(/To resume:/);
    expect(s.replace(/\n/g, '')).toContain(`To resume: rapport run ${MINI} --out responses.csv --lang en --kiosk --staff-pin-file staff.pin --site 'North clinic' --respondent K1`);
    expect(journalLines(dir, 'K1').filter((l) => l.type === 'answer')).toEqual([expect.objectContaining({ item: 'warm_1', value: 3 })]);
  });

  it('SIGTERM from the system still ends a kiosk session with exit 130 and the journal intact', async () => {
    const dir = kioskDir();
    const t = new Term(dir, ['run', MINI, '--kiosk', '--staff-pin-file', 'staff.pin', '--lang', 'en', '--respondent', 'T1']);
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    await t.see(/Item 1 of 5/);
    await choose(t, 2);
    await t.see(/Item 2 of 5/);
    process.kill(t.childPid(), 'SIGTERM');
    expect(await t.exitCode()).toBe(130);
    expect(journalLines(dir, 'T1').filter((l) => l.type === 'answer')).toEqual([expect.objectContaining({ item: 'warm_1', value: 2 })]);
  });

  it('Enter with nothing chosen records nothing; idle reset clears screen and scrollback, keeps the session as abandoned, and there is no way back', async () => {
    const dir = kioskDir();
    const t = new Term(dir, ['run', MINI, '--kiosk', '--staff-pin-file', 'staff.pin', '--lang', 'en', '--idle', '3']);
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    const first = await t.see(/Item 1 of 5/);
    expect(first).not.toMatch(/❯/);
    t.keys('Enter');
    t.keys('Enter');
    // Still item 1 and no answer in the journal, while a chosen answer is recorded at once.
    await choose(t, 4);
    await t.see(/Item 2 of 5/);
    const answers = journalLines(dir).filter((l) => l.type === 'answer');
    expect(answers).toEqual([expect.objectContaining({ item: 'warm_1', value: 4 })]);
    // The patient walks away: after 3 s without a key the screen and the scrollback are wiped.
    await t.see(/Next respondent: press Enter/, 60_000);
    expect(t.history().trim()).toBe('Next respondent: press Enter');
    const lines = journalLines(dir);
    expect(lines.map((l) => l.type)).toEqual(['start', 'answer', 'abandoned']);
    // The next patient starts a new session: on item 1, b has nothing before it.
    t.keys('Enter');
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    await t.see(/Item 1 of 5/);
    t.keys('b');
    await t.see(/This is the first item; there is nothing before it\./);
    // Nothing of the previous patient: no answer marked, no later item, not even in the scrollback.
    expect(t.history()).not.toMatch(/your answer|Item 2 of 5|Your choice/);
    // Staff resume the abandoned session with --respondent.
    const id = String(lines[0].respondent);
    t.keys('C-c');
    await t.see(/Staff PIN/);
    t.keys('2468', 'Enter');
    expect(await t.exitCode()).toBe(130);
    const r = new Term(dir, ['run', MINI, '--lang', 'en', '--respondent', id], {}, 'rc2');
    await r.see(/Welcome back: your earlier answers are saved, so we continue at item 2 of 5\./);
  });

  it('several languages and no --lang: the first screen asks for the language, each named in itself; the session stays in it', async () => {
    const dir = kioskDir();
    const t = new Term(dir, ['run', MINI, '--kiosk', '--staff-pin-file', 'staff.pin', '--respondent', 'L1']);
    const s = await t.see(/Choose your language · Elija su idioma/);
    expect(s).toMatch(/1\. English/);
    expect(s).toMatch(/2\. Español/);
    await choose(t, 2, /Your choice/);
    await t.see(/Pulse Enter para empezar\./);
    t.keys('Enter');
    await t.see(/Pregunta 1 de 5 · Calidez/);
    await choose(t, 1);
    await t.see(/Pregunta 2 de 5/);
    t.keys('C-c');
    const pin = await t.see(/PIN del personal/);
    // Nothing of the PIN screen is in English (Inquirer's own "ctrl+t toggle visibility" hint is off).
    expect(pin).not.toMatch(/toggle|visibility/);
    t.keys('2468', 'Enter');
    expect(await t.exitCode()).toBe(130);
    expect(journalLines(dir, 'L1')[0]).toMatchObject({ type: 'start', lang: 'es' });
  });

  it('--ask-id with --id-pattern: an invalid id is refused and asked again; a valid one becomes respondent_id; --site fills the site column', async () => {
    const dir = kioskDir();
    const t = new Term(dir, ['run', MINI, '--kiosk', '--staff-pin-file', 'staff.pin', '--lang', 'en', '--ask-id', 'Your clinic number', '--id-pattern', '[0-9]{6}', '--site', 'North']);
    await t.see(/Your clinic number/);
    t.keys('12ab', 'Enter');
    await t.see(/"12ab" is not a valid id here; check it and type it again\./);
    t.keys('BSpace', 'BSpace', 'BSpace', 'BSpace', '123456', 'Enter');
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    for (let i = 1; i <= 5; i++) {
      await t.see(new RegExp(`Item ${i} of 5`));
      await choose(t, 1);
    }
    await t.see(/Submit\?/);
    await choose(t, 1);
    await t.see(/Thank you!/);
    t.keys('Enter');
    await t.see(/Next respondent: press Enter/);
    t.keys('Enter');
    // The same id again is refused: a patient never enters another patient's session or row.
    await t.see(/Your clinic number/);
    t.keys('123456', 'Enter');
    await t.see(/"123456" is not a valid id here/);
    t.keys('C-c');
    await t.see(/Staff PIN/);
    t.keys('2468', 'Enter');
    expect(await t.exitCode()).toBe(0);
    const csv = fs.readFileSync(path.join(dir, 'responses.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,site,warm_1,warm_2,clear_1,clear_2,portal_use');
    expect(csv[1]).toMatch(/^123456,mini,0\.1\.0,en,[^,]+,[^,]+,North,1,1,1,1,0$/);
  });
});

describe.skipIf(SKIP)('branching in a real terminal', () => {
  it('"No" hides the follow-up, "Yes" shows it; the review and the row agree', async () => {
    const BR = path.join(ROOT, 'fixtures', 'instruments', 'branching.yaml');
    const dir = tmpDir();
    const t = new Term(dir, ['run', BR, '--respondent', 'B1']);
    await t.see(/Item 1 of 4/);
    await choose(t, 1);
    // No: straight to item 4.
    const s4 = await t.see(/Item 4 of 4/);
    expect(s4).toMatch(/I trust the test doctor\./);
    t.keys('b');
    await t.see(/Item 1 of 4/);
    await choose(t, 2);
    // Yes: the follow-up is asked.
    await t.see(/Item 2 of 4[\s\S]*How often did you use it\?/);
    await choose(t, 2);
    await t.see(/Item 4 of 4/);
    await choose(t, 2);
    const review = await t.see(/Submit\?/);
    expect(review).toMatch(/1\. Yes\s+2\. Monthly\s+3\. \(not asked\)\s+4\. Yes/);
    expect(review).toMatch(/You answered 3 of 3\. Submit\?/);
    await choose(t, 1);
    expect(await t.exitCode()).toBe(0);
    const row = fs.readFileSync(path.join(dir, 'responses.csv'), 'utf8').trim().split('\n')[1].split(',');
    expect(row.slice(6)).toEqual(['1', '2', '', '1']);
  });
});

describe.skipIf(SKIP)('number and text items in a real terminal', () => {
  it('a number out of range or not a number is asked again; a text over max_length too; the row holds both', async () => {
    const OPEN = path.join(ROOT, 'fixtures', 'instruments', 'open-items.yaml');
    const dir = tmpDir();
    const t = new Term(dir, ['run', OPEN, '--respondent', 'N1']);
    await t.see(/Type a number from 0 to 52, then Enter:/);
    t.keys('99', 'Enter');
    await t.see(/Please type a number from 0 to 52\./);
    t.keys('BSpace', 'BSpace', 'abc', 'Enter');
    await t.see(/Please type a number from 0 to 52\./);
    t.keys('BSpace', 'BSpace', 'BSpace', '12', 'Enter');
    await t.see(/Item 2 of 3/);
    await choose(t, 2);
    await t.see(/at most 20 characters/);
    t.keys('This answer is far too long', 'Enter');
    await t.see(/Please shorten your answer to at most 20 characters\./);
    for (let i = 0; i < 27; i++) t.keys('BSpace');
    t.keys('Kind, "clear"', 'Enter');
    const review = await t.see(/Submit\?/);
    expect(review).toMatch(/1\. 12\s+2\. Yes\s+3\. Kind, "clear"/);
    await choose(t, 1);
    expect(await t.exitCode()).toBe(0);
    const lines = fs.readFileSync(path.join(dir, 'responses.csv'), 'utf8').trim().split('\n');
    expect(lines[1]).toMatch(/^N1,open-items,0\.1\.0,en,[^,]+,[^,]+,12,1,"Kind, ""clear"""$/);
  });
});

describe.skipIf(SKIP)('screens in a real terminal', () => {
  it('re-render on resize; at 40x10 the question keeps its start and the options page around the highlight', async () => {
    const dir = tmpDir();
    const t = new Term(dir, ['run', 'relationship-engagement@1.0.0', '--lang', 'en', '--respondent', 'S1'], {}, 'rc', [100, 30]);
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    await t.see(/Physician–patient relationship and engagement\nItem 1 of 27 · Trust/);
    t.resize(40, 10);
    const small = await t.see(/^Item 1 of 27 · Trust\nI can count on my doctor/);
    for (const l of small.split('\n')) expect(l.length).toBeLessThanOrEqual(40);
    for (let i = 0; i < 6; i++) t.keys('Down');
    const paged = await t.see(/❯ 6\. Prefer not to answer/);
    expect(paged).toMatch(/^Item 1 of 27 · Trust\nI can count on my doctor/);
    expect(paged).toMatch(/↑ …/);
    t.resize(100, 30);
    await t.see(/^Physician–patient relationship and engagement\nItem 1 of 27 · Trust\n\nI can count on my doctor to put my health first\.\n/);
    t.keys('Enter');
    await t.see(/Item 2 of 27/);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
  });
});

describe.skipIf(distMissing())('kiosk flags and the PIN file', () => {
  it('--kiosk needs --staff-pin-file; a PIN file that is not 0600 is refused; kiosk-pin writes a salted hash 0600', () => {
    const dir = tmpDir();
    const no = rapport(['run', MINI, '--kiosk'], { cwd: dir });
    expect(no.code).toBe(2);
    expect(no.stderr).toMatch(/--kiosk needs --staff-pin-file <file>/);
    const w = rapport(['kiosk-pin', 'staff.pin'], { cwd: dir, input: '2468\n' });
    expect(w.code, w.stderr).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'staff.pin'), 'utf8');
    expect(text).toMatch(/^rapport-kiosk-pin 1 scrypt N=16384,r=8,p=1 \S+ \S+\n$/);
    expect(text).not.toContain('2468');
    expect(fs.statSync(path.join(dir, 'staff.pin')).mode & 0o777).toBe(0o600);
    fs.chmodSync(path.join(dir, 'staff.pin'), 0o644);
    const open = rapport(['run', MINI, '--kiosk', '--staff-pin-file', 'staff.pin'], { cwd: dir });
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/has mode 0644.*chmod 600 staff\.pin/);
    const short = rapport(['kiosk-pin', 'p2'], { cwd: dir, input: '12\n' });
    expect(short.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'p2'))).toBe(false);
    expect(rapport(['run', MINI, '--idle', '5'], { cwd: dir }).code).toBe(2);
  });
});

