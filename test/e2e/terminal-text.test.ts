/** issue 11, terminal text, through the built CLI: control characters shown visibly in validate, show, import-redcap, score, report and commander errors; run --kiosk refuses --plain and TERM=dumb (unit tests: test/util/terminal.test.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');
// OSC 52 (write the clipboard) and hidden-text SGR.
const OSC52 = '\x1b]52;c;ZWNobyBwd25lZA==\x07';
const HIDDEN = '\x1b[8mSecret\x1b[0m';
// Raw C0 (except LF) or C1 anywhere.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe.skipIf(distMissing())('through the built CLI', () => {
  it('instruments validate reports a control character with its path (65); show refuses the file', () => {
    const dir = tmpDir();
    // YAML double-quoted "\e" is ESC, "\a" BEL.
    const y = fs.readFileSync(MINI, 'utf8').replace('{en: Agree a little, es: Algo de acuerdo}', '{en: "Agree\\e]52;c;eA==\\a a little", es: Algo de acuerdo}');
    expect(y).toContain('\\e]52');
    fs.writeFileSync(path.join(dir, 'bad.yaml'), y);
    const r = rapport(['instruments', 'validate', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(65);
    expect(r.stdout + r.stderr).toContain('response_sets.agree4.options[2].label.en: holds the control character \\x1b (an escape code or other invisible character); remove it, only line breaks are allowed in text');
    expect(RAW.test(r.stdout + r.stderr)).toBe(false);
    const s = rapport(['instruments', 'show', 'bad.yaml'], { cwd: dir });
    expect(s.code).toBe(65);
    expect(RAW.test(s.stdout + s.stderr)).toBe(false);
  });

  it('import-redcap keeps &#27; as text: the imported instrument is valid and holds no ESC', () => {
    const dir = tmpDir();
    const head = fs.readFileSync(path.join(ROOT, 'fixtures', 'redcap', 'letter-codes.csv'), 'utf8').split('\n')[0];
    fs.writeFileSync(path.join(dir, 'd.csv'), `${head}\nrecord_id,f,,text,Record ID,,,,,,,,,,,,,\nq1,f,,radio,Trust &#27;]52;c;eA==&#7; me,"1, No &#x1b;[8mhidden | 2, Yes",,,,,,,,,,,,\n`);
    const r = rapport(['instruments', 'import-redcap', 'd.csv', '--out', 'i.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const y = fs.readFileSync(path.join(dir, 'i.yaml'), 'utf8');
    expect(RAW.test(y)).toBe(false);
    expect(y).toContain('Trust &#27;]52;c;eA==&#7; me');
    expect(rapport(['instruments', 'validate', 'i.yaml'], { cwd: dir }).code).toBe(0);
  });

  it('score: a file name, export values in messages and --errors - are shown with visible escapes', () => {
    const dir = tmpDir();
    const missing = rapport(['score', `in${HIDDEN}.csv`, '--instrument', MINI], { cwd: dir });
    expect(missing.code).toBe(66);
    expect(RAW.test(missing.stderr)).toBe(false);
    expect(missing.stderr).toContain('in\\x1b[8mSecret\\x1b[0m.csv');
    fs.writeFileSync(path.join(dir, 'in.csv'), `id,warm_1,warm_2,clear_1,clear_2,portal_use\nA,3${OSC52},2,1,1,1\nB,1,1,1,1,0\n`);
    const e = rapport(['score', 'in.csv', '--instrument', MINI, '--errors', '-'], { cwd: dir });
    expect(e.code, e.stderr).toBe(0);
    expect(RAW.test(e.stderr)).toBe(false);
    expect(e.stderr).toContain('\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
  });

  it('report: an export column name and group values reach the text report and its file with visible escapes', () => {
    const dir = tmpDir();
    const trait = `tr${HIDDEN}ust`;
    const lines = [`id,"${trait}",clinic,portal_use`];
    // A deterministic data set: the trait goes with use, two clinics of 60.
    for (let i = 0; i < 120; i++) {
      const t = ((i * 37) % 120) / 30 - 2;
      lines.push(`R${i},${t.toFixed(3)},"${i % 2 ? `A${OSC52}` : 'B'}",${(i * 53) % 120 < 60 + 25 * t ? 1 : 0}`);
    }
    fs.writeFileSync(path.join(dir, 's.csv'), lines.join('\n') + '\n');
    const r = rapport(['report', 's.csv', '--outcome', 'portal_use', '--predictors', trait, '--group-by', 'clinic', '--out', 'o'], { cwd: dir });
    expect([0, 65]).toContain(r.code);
    const file = fs.readFileSync(path.join(dir, 'o', 'report.txt'), 'utf8');
    for (const t of [r.stdout, r.stderr, file]) expect(RAW.test(t)).toBe(false);
    expect(r.stdout).toContain('tr\\x1b[8mSecret\\x1b[0must');
    expect(r.stdout).toContain('A\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
  });

  it('run --kiosk --plain (or TERM=dumb) is refused: a plain terminal cannot clear its scrollback', () => {
    const r = rapport(['run', MINI, '--kiosk', '--plain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kiosk cannot run with --plain: a plain terminal cannot clear its scrollback/);
    const d = rapport(['run', MINI, '--kiosk'], { env: { TERM: 'dumb' } });
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/TERM=dumb/);
  });
});
