/** The kiosk's parts without a terminal: the staff PIN hash and file, and the key filter / idle timer. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { KioskInput } from '../../src/survey/kiosk.js';
import { checkNewPin, hashPin, parsePinFile, readPinFile, verifyPin } from '../../src/survey/pin.js';
import { tmpDir } from '../helpers/cli.js';

describe('staff PIN', () => {
  it('a salted scrypt hash: the right PIN verifies, others do not; two hashes of one PIN differ', () => {
    const a = hashPin('2468');
    const b = hashPin('2468');
    expect(a).not.toBe(b);
    expect(a).not.toContain('2468');
    const rec = parsePinFile(a, 'p');
    expect(verifyPin('2468', rec)).toBe(true);
    expect(verifyPin('2469', rec)).toBe(false);
    expect(verifyPin('', rec)).toBe(false);
    // Golden from another implementation: Python's hashlib.scrypt(b'2468', salt=b'\x07'*16, n=16384, r=8, p=1, dklen=32).
    expect(hashPin('2468', Buffer.alloc(16, 7))).toBe('rapport-kiosk-pin 1 scrypt N=16384,r=8,p=1 BwcHBwcHBwcHBwcHBwcHBw== yjc7qQgUfBMmr2lQFJ9CzXrzB4oHNNjB4ZLEUguv+Rk=\n');
  });

  it('the file: 0600 only, one well-formed line; weak new PINs refused', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'staff.pin');
    fs.writeFileSync(f, hashPin('13579'), { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    expect(verifyPin('13579', readPinFile(f))).toBe(true);
    fs.chmodSync(f, 0o640);
    expect(() => readPinFile(f)).toThrow(expect.objectContaining({ exitCode: 2 }));
    fs.chmodSync(f, 0o600);
    fs.writeFileSync(f, 'rapport-kiosk-pin 1 scrypt N=3,r=8,p=1 AAAAAAAAAAA= AAAA\n');
    expect(() => readPinFile(f)).toThrow(expect.objectContaining({ exitCode: 65 }));
    expect(() => readPinFile(path.join(dir, 'none'))).toThrow(expect.objectContaining({ exitCode: 66 }));
    expect(checkNewPin('12')).toMatch(/at least 4/);
    expect(checkNewPin('12 34')).toMatch(/spaces/);
    expect(checkNewPin('1234')).toBeUndefined();
  });
});

describe('kiosk keys', () => {
  const raw = () => {
    const s = new PassThrough() as PassThrough & { setRawMode: (on: boolean) => void; raw?: boolean };
    s.setRawMode = (on) => {
      s.raw = on;
    };
    return s;
  };

  it('raw mode while running; Ctrl-C/D/Z/\\ never reach the prompts and abort the armed one as a staff request', async () => {
    const r = raw();
    const k = new KioskInput(r, 0);
    k.start();
    expect(r.raw).toBe(true);
    let seen = '';
    k.input.on('data', (d: Buffer) => (seen += d.toString('latin1')));
    for (const key of ['\x03', '\x04', '\x1a', '\x1c']) {
      const signal = k.arm();
      r.write(`a${key}b`);
      await new Promise((res) => setImmediate(res));
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBe('staff');
    }
    expect(seen).toBe('abababab');
    // Arrow keys and UTF-8 pass through untouched.
    r.write('\x1b[B\u00e9');
    await new Promise((res) => setImmediate(res));
    expect(seen.endsWith('\x1b[B\u00c3\u00a9')).toBe(true);
    k.stop();
    expect(r.raw).toBe(false);
  });

  it('idle: the armed prompt is aborted after the idle time without a key; a key restarts the clock (fake timers)', () => {
    vi.useFakeTimers();
    try {
      const r = raw();
      const k = new KioskInput(r, 120);
      k.start();
      const signal = k.arm();
      vi.advanceTimersByTime(119_000);
      r.emit('data', Buffer.from('x'));
      vi.advanceTimersByTime(119_000);
      expect(signal.aborted).toBe(false);
      vi.advanceTimersByTime(1_000);
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBe('idle');
      k.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
