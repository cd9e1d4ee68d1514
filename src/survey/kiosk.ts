/**
 * The kiosk's keyboard: the terminal stays in raw mode for the whole kiosk run, so Ctrl-C, Ctrl-D,
 * Ctrl-Z and Ctrl-\ never become signals (no way to a shell, no suspend, no core dump). Those keys are
 * taken out of the input and become a staff request; every other byte goes on to the prompts. A timer
 * counts the seconds since the last key: at `idle` the current screen is abandoned.
 *
 * `KioskInput.arm()` gives each prompt an AbortSignal; a staff key or the idle timer aborts it with
 * the reason, and `kioskAsk` turns that into a `KioskEvent` ('staff' | 'idle') for the session.
 * SIGTERM and SIGHUP from the system are not keys: they still end the process (src/cli/main.ts).
 */
import { PassThrough } from 'node:stream';
import { password } from '@inquirer/prompts';
import type { Ask } from './ask.js';
import type { Messages } from './messages.js';

/** ETX (Ctrl-C), EOT (Ctrl-D), SUB (Ctrl-Z), FS (Ctrl-\). */
const STAFF_KEYS = new Set([0x03, 0x04, 0x1a, 0x1c]);

export type KioskEventKind = 'staff' | 'idle';

export class KioskEvent extends Error {
  constructor(readonly kind: KioskEventKind) {
    super(kind === 'staff' ? 'staff key pressed' : 'idle');
    this.name = 'KioskEvent';
  }
}

export function kioskEventKind(e: unknown): KioskEventKind | undefined {
  return e instanceof KioskEvent ? e.kind : undefined;
}

type RawInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };

export class KioskInput {
  /** What the prompts read: the terminal's bytes without the staff keys. */
  readonly input = new PassThrough();
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: Buffer) => this.take(chunk);
  private readonly restore = () => this.raw.setRawMode?.(false);

  constructor(
    private readonly raw: RawInput,
    /** Seconds without a key before the screen is abandoned; 0 = never. */
    private readonly idleSeconds: number,
  ) {}

  start(): void {
    this.raw.setRawMode?.(true);
    process.on('exit', this.restore);
    this.raw.on('data', this.onData);
    this.raw.resume();
  }

  stop(): void {
    this.raw.removeListener('data', this.onData);
    this.raw.pause();
    this.restore();
    process.removeListener('exit', this.restore);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller = undefined;
  }

  /** A signal for the prompt about to be shown; the idle clock starts again. */
  arm(): AbortSignal {
    this.controller = new AbortController();
    this.restartIdle();
    return this.controller.signal;
  }

  private restartIdle(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.idleSeconds > 0) this.timer = setTimeout(() => this.fire('idle'), this.idleSeconds * 1000);
  }

  private fire(kind: KioskEventKind): void {
    const c = this.controller;
    this.controller = undefined;
    c?.abort(kind);
  }

  private take(chunk: Buffer): void {
    this.restartIdle();
    let staff = false;
    const keep: number[] = [];
    for (const b of chunk) {
      if (STAFF_KEYS.has(b)) staff = true;
      else keep.push(b);
    }
    if (keep.length) this.input.write(Buffer.from(keep));
    if (staff) this.fire('staff');
  }
}

/** `ask` whose prompts are aborted by the kiosk's staff keys and idle timer (as a KioskEvent). */
export function kioskAsk(base: (signal: () => AbortSignal | undefined) => Ask, kiosk: KioskInput): Ask {
  let signal: AbortSignal | undefined;
  const ask = base(() => signal);
  const run = async <T>(f: () => Promise<T>): Promise<T> => {
    signal = kiosk.arm();
    const mine = signal;
    try {
      return await f();
    } catch (e) {
      if (mine.aborted && (mine.reason === 'staff' || mine.reason === 'idle')) throw new KioskEvent(mine.reason);
      throw e;
    }
  };
  return {
    choose: (s) => run(() => ask.choose(s)),
    pressEnter: (lines, hint) => run(() => ask.pressEnter(lines, hint)),
    text: (lines, prompt, check) => run(() => ask.text(lines, prompt, check)),
    show: (lines) => ask.show(lines),
    clear: (wipe) => ask.clear(wipe),
    close: () => ask.close(),
  };
}

export interface StaffGateOptions {
  kiosk: KioskInput;
  output: NodeJS.WritableStream;
  verify: (pin: string) => boolean;
  messages: () => Messages;
  /** Wrong PINs before the gate returns to the survey. */
  tries?: number;
}

/**
 * The staff PIN screen: resolves true when the right PIN is typed (staff may leave), false after
 * `tries` wrong PINs, a staff key, or the idle time (back to the survey).
 */
export function staffGate(o: StaffGateOptions): () => Promise<boolean> {
  return async () => {
    const m = o.messages();
    const tries = o.tries ?? 3;
    o.output.write('\x1b[H\x1b[2J\x1b[3J');
    for (let i = 0; i < tries; i++) {
      let pin: string;
      try {
        pin = await password(
          { message: i === 0 ? m.staffPin : m.wrongPin(tries - i), mask: '*', toggleMask: false },
          { input: o.kiosk.input, output: o.output, signal: o.kiosk.arm(), clearPromptOnDone: true },
        );
      } catch {
        return false;
      }
      if (o.verify(pin)) return true;
    }
    return false;
  };
}
