/**
 * A real pseudo-terminal for end-to-end tests of `rapport run`: one tmux server (own socket) per
 * command, driven with send-keys and read with capture-pane. Every wait polls with a generous timeout
 * (a busy machine is slow, never wrong); no fixed sleeps decide anything.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { BIN } from './cli.js';

export const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;

const servers: Term[] = [];
afterAll(() => {
  for (const t of servers) t.kill();
  fs.rmSync(confFile(), { force: true });
});

const confFile = () => path.join(os.tmpdir(), `rapport-e2e-tmux-${process.pid}.conf`);

/** tmux leaves its socket file behind after kill-server. */
export function removeSocket(sock: string): void {
  const dir = path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
  fs.rmSync(path.join(dir, sock), { force: true });
}

export function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function until<T>(what: string, fn: () => T | undefined | false, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Start the tmux server in the foreground (-D) as our own detached child, and wait for its socket.
 * A server forked by `new-session` itself dies at once on some container set-ups ("server exited
 * unexpectedly"); this way works everywhere. exit-empty is off so it waits for the session.
 */
export function startServer(sock: string): void {
  const conf = confFile();
  fs.writeFileSync(conf, 'set -g exit-empty off\n');
  const server = spawn('tmux', ['-L', sock, '-f', conf, '-D'], { stdio: 'ignore', detached: true });
  server.unref();
  const file = path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, sock);
  const t0 = Date.now();
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(file)) {
    if (Date.now() - t0 > 30_000) throw new Error(`the tmux server for ${sock} did not start`);
    Atomics.wait(nap, 0, 0, 20);
  }
}

let serial = 0;
/** One tmux server (own socket) running one command in a 200×50 pane; exit code written to rc.txt. */
export class Term {
  readonly sock = `rapport-e2e-${process.pid}-${++serial}`;
  readonly rc: string;
  constructor(
    readonly cwd: string,
    args: string[],
    env: Record<string, string> = {},
    tag = 'rc',
    size: [number, number] = [200, 50],
  ) {
    this.rc = path.join(cwd, `${tag}.txt`);
    fs.rmSync(this.rc, { force: true });
    const cmd = `${[process.execPath, BIN, ...args].map(sq).join(' ')}; echo $? > ${sq(this.rc)}; sleep 60`;
    const envArgs = Object.entries({ NO_COLOR: '', TERM: 'xterm-256color', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    startServer(this.sock);
    this.tmux('new-session', '-d', '-s', 't', '-x', String(size[0]), '-y', String(size[1]), '-c', cwd, ...envArgs, cmd);
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
  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', 't', '-x', String(cols), '-y', String(rows));
  }
  async see(re: RegExp, ms = 30_000): Promise<string> {
    try {
      return await until(`${re}`, () => {
        const s = this.screen();
        return re.test(s) ? s : undefined;
      }, ms);
    } catch {
      throw new Error(`the terminal never showed ${re}; it shows:\n${this.screen()}`);
    }
  }
  async exitCode(ms = 30_000): Promise<number> {
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

