/**
 * The progress bars of `report` and `simulate` (src/cli/progress.ts) in a real terminal (tmux): shown
 * on stderr when it is a terminal, never when stderr is a pipe or with --quiet. Everything the pane
 * receives is recorded with `pipe-pane` (the bar is cleared at the end, so the screen alone would not
 * show it); the command waits for the recording to start before it runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, ROOT, distMissing, tmpDir } from '../helpers/cli.js';
import { HAVE_TMUX, removeSocket, sq, until } from '../helpers/term.js';

const socks: string[] = [];
afterAll(() => {
  for (const s of socks) {
    spawnSync('tmux', ['-L', s, 'kill-server']);
    removeSocket(s);
  }
});

/** Runs `shellCmd` in a tmux pane (after the recording starts); returns what the pane received and the exit code. */
async function inTerminal(dir: string, shellCmd: string): Promise<{ pane: string; code: number }> {
  const sock = `rapport-progress-${process.pid}-${socks.length}`;
  socks.push(sock);
  const go = path.join(dir, 'go');
  const rc = path.join(dir, 'rc.txt');
  const log = path.join(dir, 'pane.log');
  const script = `while [ ! -e ${sq(go)} ]; do sleep 0.05; done; ${shellCmd}; echo $? > ${sq(rc)}; sleep 60`;
  const tmux = (...a: string[]) => execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...a], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 't', '-x', '120', '-y', '30', '-c', ROOT, '-e', 'TERM=xterm-256color', '-e', 'NO_COLOR=1', 'sh', '-c', script);
  tmux('pipe-pane', '-o', '-t', 't', `cat >> ${sq(log)}`);
  fs.writeFileSync(go, '');
  const code = await until('the command to finish', () => (fs.existsSync(rc) && fs.readFileSync(rc, 'utf8').endsWith('\n') ? Number(fs.readFileSync(rc, 'utf8')) : undefined), 120_000);
  spawnSync('tmux', ['-L', sock, 'kill-server']);
  return { pane: fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', code };
}

const node = sq(process.execPath);
const bin = sq(BIN);
const sample = sq(path.join(ROOT, 'fixtures/sample/qualtrics-sample.csv'));
const BAR = /report \[[█░ ]*\] +\d+% \| (reading|scoring|models|dominance|writing)/;

describe.skipIf(distMissing() || !HAVE_TMUX)('progress bars on a terminal', () => {
  it('report shows its phases on a terminal', async () => {
    const dir = tmpDir('rapport-progress-a-');
    const r = await inTerminal(dir, `${node} ${bin} report ${sample} --instrument relationship-engagement@1.0.0 --outcome portal_use --out ${sq(path.join(dir, 'rep'))} > ${sq(path.join(dir, 'stdout.txt'))}`);
    expect(r.code).toBe(0);
    expect(r.pane).toMatch(BAR);
    expect(fs.readFileSync(path.join(dir, 'stdout.txt'), 'utf8')).toMatch(/^Which relationship traits/);
  }, 150_000);

  it('no bar when stderr is a pipe, or with --quiet', async () => {
    const dir = tmpDir('rapport-progress-b-');
    const err = path.join(dir, 'stderr.txt');
    const piped = await inTerminal(dir, `${node} ${bin} report ${sample} --instrument relationship-engagement@1.0.0 --out ${sq(path.join(dir, 'rep'))} 2>&1 > /dev/null | cat > ${sq(err)}`);
    expect(piped.code).toBe(0);
    expect(fs.readFileSync(err, 'utf8')).toMatch(/^rapport: wrote 7 files/);
    expect(fs.readFileSync(err, 'utf8')).not.toMatch(/report \[/);
    expect(piped.pane).not.toMatch(/report \[/);
    const dir2 = tmpDir('rapport-progress-c-');
    const quiet = await inTerminal(dir2, `${node} ${bin} report ${sample} --instrument relationship-engagement@1.0.0 --out ${sq(path.join(dir2, 'rep'))} --quiet > /dev/null`);
    expect(quiet.code).toBe(0);
    expect(quiet.pane).not.toMatch(/report \[/);
  }, 150_000);

  it('simulate shows its bar on a terminal when the CSV goes to a file', async () => {
    const dir = tmpDir('rapport-progress-d-');
    const r = await inTerminal(dir, `${node} ${bin} simulate --instrument relationship-engagement --n 20000 --out ${sq(path.join(dir, 'sim.csv'))}`);
    expect(r.code).toBe(0);
    expect(r.pane).toMatch(/simulate \[[█░ ]*\] +\d+% \| (simulating|writing)/);
    const q = await inTerminal(tmpDir('rapport-progress-e-'), `${node} ${bin} simulate --instrument relationship-engagement --n 200 --out ${sq(path.join(dir, 'sim2.csv'))} --quiet`);
    expect(q.pane).not.toMatch(/simulate \[/);
  }, 150_000);
});
