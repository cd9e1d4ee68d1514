/**
 * `rapport run` end to end: the built CLI in a real pseudo-terminal (tmux send-keys / capture-pane).
 * Needs `npx tsc -p tsconfig.json` first (npm test builds) and tmux; skipped with a message otherwise.
 * Every wait polls the screen or a file with a timeout; no fixed sleeps.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { CELL, compileInstrument, readCell, scoreValues } from '../../src/scoring/score.js';
import { BIN, ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');
const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SKIP = !HAVE_TMUX || distMissing();
if (!HAVE_TMUX) console.warn('test/e2e/run.test.ts: tmux is not installed, so the terminal tests of rapport run are skipped (apt-get install tmux).');
if (distMissing()) console.warn('test/e2e/run.test.ts: dist/ is missing, so the terminal tests of rapport run are skipped (run npx tsc -p tsconfig.json).');

const servers: Term[] = [];
afterAll(() => {
  for (const t of servers) t.kill();
});

/** tmux leaves its socket file behind after kill-server. */
function removeSocket(sock: string): void {
  const dir = path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
  fs.rmSync(path.join(dir, sock), { force: true });
}

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let serial = 0;
/** One tmux server (own socket) running one command in a 200×50 pane; exit code written to rc.txt. */
class Term {
  readonly sock = `rapport-e2e-${process.pid}-${++serial}`;
  readonly rc: string;
  constructor(
    readonly cwd: string,
    args: string[],
    env: Record<string, string> = {},
    tag = 'rc',
  ) {
    this.rc = path.join(cwd, `${tag}.txt`);
    fs.rmSync(this.rc, { force: true });
    const cmd = `${[process.execPath, BIN, ...args].map(sq).join(' ')}; echo $? > ${sq(this.rc)}; sleep 60`;
    const envArgs = Object.entries({ NO_COLOR: '', TERM: 'xterm-256color', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux('new-session', '-d', '-s', 't', '-x', '200', '-y', '50', '-c', cwd, ...envArgs, cmd);
    servers.push(this);
  }
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.sock, ...args], { encoding: 'utf8' });
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 't');
  }
  history(): string {
    return this.tmux('capture-pane', '-p', '-S', '-', '-t', 't');
  }
  keys(...k: string[]): void {
    this.tmux('send-keys', '-t', 't', ...k);
  }
  async see(re: RegExp, ms = 20_000): Promise<string> {
    try {
      return await until(`${re}`, () => {
        const s = this.screen();
        return re.test(s) ? s : undefined;
      }, ms);
    } catch {
      throw new Error(`the terminal never showed ${re}; it shows:\n${this.screen()}`);
    }
  }
  async exitCode(ms = 20_000): Promise<number> {
    const t = await until('exit code', () => {
      try {
        const s = fs.readFileSync(this.rc, 'utf8');
        return s.endsWith('\n') ? s : undefined;
      } catch {
        return undefined;
      }
    }, ms);
    return Number(t.trim());
  }
  /** Pid of the rapport process (child of the pane's shell). */
  childPid(): number {
    const shell = this.tmux('display-message', '-p', '-t', 't', '#{pane_pid}').trim();
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', shell], { encoding: 'utf8' }).trim().split(/\s+/);
    return Number(out[0]);
  }
  kill(): void {
    spawnSync('tmux', ['-L', this.sock, 'kill-server']);
    removeSocket(this.sock);
  }
}

function rows(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

/** Answer the mini survey's items with typed numbers (1-based options), waiting for each screen. */
async function answerByNumbers(t: Term, from: number, options: (number | 's')[]): Promise<void> {
  for (let i = 0; i < options.length; i++) {
    await t.see(new RegExp(`Item ${from + i} of \\d+`));
    const o = options[i];
    if (o === 's') t.keys('s');
    else {
      t.keys(String(o));
      await t.see(new RegExp(`Your choice: ${o}`));
      t.keys('Enter');
    }
  }
}

describe.skipIf(SKIP)('rapport run in a real terminal (tmux)', () => {
  it('a full survey by arrow keys lands as the right row (random ULID respondent, file 0600)', async () => {
    const dir = tmpDir();
    const t = new Term(dir, ['run', MINI]);
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    // How many times to press Down on each item (0 = first option).
    const downs = [2, 4, 0, 3, 1];
    for (let i = 0; i < downs.length; i++) {
      await t.see(new RegExp(`Item ${i + 1} of 5`));
      for (let k = 0; k < downs[i]; k++) t.keys('Down');
      await t.see(new RegExp(`❯ ${downs[i] + 1}\\.`));
      t.keys('Enter');
    }
    await t.see(/You answered 5 of 5\. Submit\?/);
    t.keys('Enter');
    await t.see(/Thank you! Your answers have been saved\./);
    expect(await t.exitCode()).toBe(0);
    const r = rows(path.join(dir, 'responses.csv'));
    expect(r[0].join(',')).toBe('respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,warm_1,warm_2,clear_1,clear_2,portal_use');
    expect(r).toHaveLength(2);
    expect(r[1][0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(r[1].slice(1, 4)).toEqual(['mini', '0.1.0', 'en']);
    expect(r[1][4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(r[1][5])).toBeGreaterThanOrEqual(Date.parse(r[1][4]));
    expect(r[1].slice(6)).toEqual(['3', '9', '1', '4', '1']);
    expect(fs.statSync(path.join(dir, 'responses.csv')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dir, 'responses.csv.sessions'))).toBe(false);
  });

  it('a full survey by number keys, with a skip and a Backspace to change an answer', async () => {
    const dir = tmpDir();
    const t = new Term(dir, ['run', MINI, '--respondent', 'N1', '--out', 'out.csv']);
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    await answerByNumbers(t, 1, [2, 5, 's']);
    await t.see(/Item 4 of 5/);
    t.keys('BSpace');
    await t.see(/Item 3 of 5/);
    await answerByNumbers(t, 3, [1, 4, 2]);
    await t.see(/You answered 5 of 5\. Submit\?/);
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
    expect(rows(path.join(dir, 'out.csv'))[1].slice(6)).toEqual(['2', '9', '1', '4', '1']);
    expect(rows(path.join(dir, 'out.csv'))[1][0]).toBe('N1');
  });

  it('SIGKILL after some answers, then resume: the same row as an uninterrupted run', async () => {
    const answers = [4, 1, 3, 5, 1];
    const whole = tmpDir();
    const t0 = new Term(whole, ['run', MINI, '--respondent', 'K9']);
    await t0.see(/Press Enter to begin\./);
    t0.keys('Enter');
    await answerByNumbers(t0, 1, answers);
    await t0.see(/Submit\?/);
    t0.keys('Enter');
    expect(await t0.exitCode()).toBe(0);

    const dir = tmpDir();
    const t1 = new Term(dir, ['run', MINI, '--respondent', 'K9'], {}, 'rc1');
    await t1.see(/Press Enter to begin\./);
    t1.keys('Enter');
    await answerByNumbers(t1, 1, answers.slice(0, 3));
    await t1.see(/Item 4 of 5/);
    process.kill(t1.childPid(), 'SIGKILL');
    expect(await t1.exitCode()).toBe(137);
    const journal = fs.readFileSync(path.join(dir, 'responses.csv.sessions', 'K9.jsonl'), 'utf8').trim().split('\n');
    expect(journal.map((l) => JSON.parse(l).value)).toEqual([undefined, 4, 1, 3]);

    const t2 = new Term(dir, ['run', MINI, '--respondent', 'K9'], {}, 'rc2');
    const s = await t2.see(/Item 4 of 5/);
    expect(s).toMatch(/Welcome back: your earlier answers are saved, so we continue at item 4 of 5\./);
    await answerByNumbers(t2, 4, answers.slice(3));
    await t2.see(/Submit\?/);
    t2.keys('Enter');
    expect(await t2.exitCode()).toBe(0);
    const a = rows(path.join(whole, 'responses.csv'));
    const b = rows(path.join(dir, 'responses.csv'));
    expect(b).toHaveLength(2);
    expect(b[1].slice(6)).toEqual(a[1].slice(6));
    expect(b[1].slice(6)).toEqual(['4', '1', '3', '9', '0']);
    expect(b[0]).toEqual(a[0]);
  });

  it('Ctrl-C exits 130 with the resume hint; SIGTERM too', async () => {
    const dir = tmpDir();
    const t = new Term(dir, ['run', MINI, '--respondent', 'K7']);
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    await answerByNumbers(t, 1, [2]);
    await t.see(/Item 2 of 5/);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    const s = await t.see(/To resume:/);
    expect(s).toContain(`To resume: rapport run ${MINI} --out responses.csv --respondent K7`);
    expect(s).toContain('rapport: interrupted; the answers given so far are saved in responses.csv.sessions/K7.jsonl.');

    const t2 = new Term(dir, ['run', MINI, '--respondent', 'K7', '--plain'], {}, 'rc2');
    await t2.see(/Item 2 of 5/);
    process.kill(t2.childPid(), 'SIGTERM');
    expect(await t2.exitCode()).toBe(130);
    expect(await t2.see(/To resume:/)).toContain(`To resume: rapport run ${MINI} --out responses.csv --respondent K7`);
  });

  it('four sessions submitting at the same moment: four whole rows and one header', async () => {
    const dir = tmpDir();
    const terms = ['A1', 'A2', 'A3', 'A4'].map((id) => new Term(dir, ['run', MINI, '--respondent', id], {}, `rc-${id}`));
    for (const t of terms) {
      await t.see(/Press Enter to begin\./);
      t.keys('Enter');
    }
    for (const t of terms) await answerByNumbers(t, 1, [1, 2, 3, 4, 2]);
    for (const t of terms) await t.see(/Submit\?/);
    for (const t of terms) t.keys('Enter');
    for (const t of terms) expect(await t.exitCode()).toBe(0);
    const r = rows(path.join(dir, 'responses.csv'));
    expect(r).toHaveLength(5);
    expect(r[0][0]).toBe('respondent_id');
    expect(r.slice(1).map((x) => x[0]).sort()).toEqual(['A1', 'A2', 'A3', 'A4']);
    for (const x of r.slice(1)) expect(x.slice(6)).toEqual(['1', '2', '3', '4', '1']);
  });

  it('in kiosk mode: next respondent screen shows nothing of the previous one; Ctrl-C there exits 0', async () => {
    const dir = tmpDir();
    const t = new Term(dir, ['run', MINI, '--kiosk']);
    for (const ans of [
      [1, 1, 1, 1, 1],
      [4, 4, 4, 4, 2],
    ]) {
      await t.see(/Press Enter to begin\./);
      t.keys('Enter');
      await answerByNumbers(t, 1, ans);
      await t.see(/Submit\?/);
      t.keys('Enter');
      await t.see(/Thank you!/);
      t.keys('Enter');
      await t.see(/Next respondent: press Enter/);
      // Nothing of the previous respondent, not even in the scrollback.
      expect(t.history().trim()).toBe('Next respondent: press Enter');
      t.keys('Enter');
    }
    await t.see(/Press Enter to begin\./);
    t.keys('Enter');
    await answerByNumbers(t, 1, [2, 2, 2, 2, 2]);
    await t.see(/Submit\?/);
    t.keys('Enter');
    await t.see(/Thank you!/);
    t.keys('Enter');
    await t.see(/Next respondent: press Enter/);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(0);
    const r = rows(path.join(dir, 'responses.csv'));
    expect(r.slice(1).map((x) => x.slice(6).join(','))).toEqual(['1,1,1,1,0', '4,4,4,4,1', '2,2,2,2,1']);
    expect(new Set(r.slice(1).map((x) => x[0])).size).toBe(3);
  });

  it('the full built-in instrument in Spanish by number keys; the file reads back as codes for the scoring core', async () => {
    const dir = tmpDir();
    const inst = loadInstrument('relationship-engagement@1.0.0');
    const t = new Term(dir, ['run', 'relationship-engagement@1.0.0', '--lang', 'es', '--respondent', 'ES1', '--show-scores']);
    await t.see(/Pulse Enter para empezar\./);
    t.keys('Enter');
    // 22 scale items (1..5 cycling, one refusal = option 6), then the 5 outcome items.
    const picks: number[] = inst.items.map((_, i) => (i < 22 ? (i === 5 ? 6 : (i % 5) + 1) : 1));
    for (let i = 0; i < picks.length; i++) {
      const s = await t.see(new RegExp(`Pregunta ${i + 1} de 27`));
      if (i === 0) expect(s).toMatch(/Pregunta 1 de 27 · Confianza/);
      if (i === 0) expect(s).toMatch(/6\. Prefiero no responder/);
      t.keys(String(picks[i]));
      await t.see(new RegExp(`Su elección: ${picks[i]}`));
      t.keys('Enter');
    }
    await t.see(/Respondió 27 de 27\. ¿Enviar\?/);
    t.keys('Enter');
    const end = await t.see(/Sus puntuaciones:/);
    expect(await t.exitCode()).toBe(0);
    const r = rows(path.join(dir, 'responses.csv'));
    expect(r[0].slice(6)).toEqual(inst.items.map((i) => i.id));
    const row = r[1];
    expect(row.slice(0, 4)).toEqual(['ES1', 'relationship-engagement', '1.0.0', 'es']);
    const expected = picks.map((p, i) => String(i === 5 ? 9 : i < 22 ? p : [0, 0, 0, 0, 1][i - 22]));
    expect(row.slice(6)).toEqual(expected);
    // The "plain" format: item columns by id holding codes; every cell reads without a mapping.
    const ci = compileInstrument(inst);
    const out = new Int32Array(1);
    const values = new Float64Array(inst.items.length);
    row.slice(6).forEach((cell, i) => {
      const st = readCell(ci.items[i], cell, out);
      expect(st, inst.items[i].id).toBe(i === 5 ? CELL.REFUSED : CELL.VALUE);
      values[i] = st === CELL.VALUE ? Number(ci.items[i].codes[out[0]]) : NaN;
    });
    const scores = scoreValues(ci, values);
    // Trust: items 1-4 = 1,2,3,4 with trust_3 reversed (6-3=3) → (1+2+3+4)/4 = 2.5.
    expect(scores[0]).toBe(2.5);
    // Shown to the respondent on the thank-you screen with --show-scores.
    expect(end).toMatch(/Confianza: 2\.50/);
    // And `rapport score` reads the file as it is, without a mapping.
    const sc = rapport(['score', 'responses.csv', '--instrument', 'relationship-engagement@1.0.0'], { cwd: dir });
    expect(sc.code, sc.stderr).toBe(0);
    const [head, first] = sc.stdout.trim().split('\n').map((l) => l.split(','));
    expect(head[0]).toBe('respondent_id');
    expect(first[0]).toBe('ES1');
    expect(first[head.indexOf('trust')]).toBe('2.5');
  }, 40_000);

  it('stdin is a terminal but stdout is a file: exit 2, nothing written to the file', async () => {
    const dir = tmpDir();
    const sock = `rapport-e2e-${process.pid}-redirect`;
    const rc = path.join(dir, 'rc.txt');
    const cmd = `${[process.execPath, BIN, 'run', MINI].map(sq).join(' ')} > out.txt 2> err.txt; echo $? > ${sq(rc)}; sleep 30`;
    execFileSync('tmux', ['-L', sock, 'new-session', '-d', '-s', 't', '-c', dir, cmd]);
    try {
      const code = await until('exit', () => (fs.existsSync(rc) && fs.readFileSync(rc, 'utf8').endsWith('\n') ? fs.readFileSync(rc, 'utf8') : undefined));
      expect(Number(code)).toBe(2);
      expect(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('');
      expect(fs.readFileSync(path.join(dir, 'err.txt'), 'utf8')).toMatch(/needs an interactive terminal on standard input and output.*rapport score/);
    } finally {
      spawnSync('tmux', ['-L', sock, 'kill-server']);
      removeSocket(sock);
    }
  });
});

describe.skipIf(distMissing())('rapport run without a terminal, and its flags', () => {
  it('no TTY: exit 2 with one sentence pointing to rapport score; no files created', () => {
    const dir = tmpDir();
    const r = rapport(['run', MINI], { cwd: dir, input: '1\n2\n' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "rapport: 'rapport run' needs an interactive terminal on standard input and output, so it cannot read answers from a pipe or file; to score answers collected elsewhere, use 'rapport score <file> --instrument <id>'.\n",
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('unknown --lang: usage error listing the languages; bad --respondent; --out -', () => {
    const r = rapport(['run', 'relationship-engagement', '--lang', 'fr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rapport: --lang "fr": instrument relationship-engagement has no text in that language; available languages: en, es.\n');
    const b = rapport(['run', MINI, '--respondent', '../../etc/x']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--respondent "..\/..\/etc\/x" is not a usable id/);
    expect(rapport(['run', MINI, '--out', '-']).code).toBe(2);
  });

  it('four processes appending at the same moment: four whole rows, one header', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    const script = `
      const { appendResponse, buildRow } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'survey', 'responses.js'))});
      const { loadInstrument } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'instrument', 'load.js'))});
      const inst = loadInstrument(${JSON.stringify(MINI)});
      const [id, at] = process.argv.slice(1);
      const row = buildRow({ respondent: id, instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: 's' },
        inst.items.map((_, i) => ({ kind: 'value', value: i === 4 ? 1 : 2 })), 'c');
      while (Date.now() < Number(at)) {}
      console.log(await appendResponse(${JSON.stringify(out)}, inst, row));`;
    const at = Date.now() + 1500;
    const results = await Promise.all(
      ['C1', 'C2', 'C3', 'C4'].map(
        (id) =>
          new Promise<string>((resolve, reject) => {
            const p = spawn(process.execPath, ['--input-type=module', '-e', script, id, String(at)], { stdio: ['ignore', 'pipe', 'inherit'] });
            let o = '';
            p.stdout.on('data', (d) => (o += d));
            p.on('error', reject);
            p.on('close', (code) => (code === 0 ? resolve(o.trim()) : reject(new Error(`child exit ${code}`))));
          }),
      ),
    );
    expect(results).toEqual(['appended', 'appended', 'appended', 'appended']);
    const lines = fs.readFileSync(out, 'utf8').split('\n');
    expect(lines[0]).toBe('respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,warm_1,warm_2,clear_1,clear_2,portal_use');
    expect(lines.slice(1, 5).sort()).toEqual(['C1', 'C2', 'C3', 'C4'].map((id) => `${id},mini,0.1.0,en,s,c,2,2,2,2,1`));
    expect(lines[5]).toBe('');
    expect(lines).toHaveLength(6);
  });
});
