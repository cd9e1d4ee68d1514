/**
 * The kiosk's staff PIN: `rapport kiosk-pin <file>` stores a salted scrypt hash (node:crypto), never
 * the PIN; `run --kiosk --staff-pin-file <file>` checks a typed PIN against it. The file must be mode
 * 0600 (it guards the way out of the kiosk), one line:
 *   rapport-kiosk-pin 1 scrypt N=16384,r=8,p=1 <salt, base64> <hash, base64>
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import { DataError, UsageError, inputErrorFrom } from '../errors.js';

const TAG = 'rapport-kiosk-pin';
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEYLEN = 32;
export const MIN_PIN_LENGTH = 4;

export interface PinRecord {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** The file line for `pin` with a fresh 16-byte salt. */
export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(pin.normalize('NFC'), salt, KEYLEN, PARAMS);
  return `${TAG} 1 scrypt N=${PARAMS.N},r=${PARAMS.r},p=${PARAMS.p} ${salt.toString('base64')} ${hash.toString('base64')}\n`;
}

/** A PIN the staff can type: at least 4 characters, no spaces or control characters. */
export function checkNewPin(pin: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(pin)) return 'a staff PIN cannot hold spaces or control characters';
  if ([...pin].length < MIN_PIN_LENGTH) return `a staff PIN needs at least ${MIN_PIN_LENGTH} characters`;
  return undefined;
}

export function parsePinFile(text: string, file: string): PinRecord {
  const m = /^rapport-kiosk-pin 1 scrypt N=(\d+),r=(\d+),p=(\d+) ([A-Za-z0-9+/=]+) ([A-Za-z0-9+/=]+)\n?$/.exec(text);
  const bad = () => new DataError('KIOSK_PIN_FILE_BAD', `${file}: is not a staff PIN file written by 'rapport kiosk-pin'; write one with: rapport kiosk-pin ${file}`, { file });
  if (!m) throw bad();
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Parameters within what scrypt accepts and a kiosk can afford (N a power of two up to 2^20).
  if (!(N >= 1024 && N <= 1 << 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 4)) throw bad();
  const salt = Buffer.from(m[4], 'base64');
  const hash = Buffer.from(m[5], 'base64');
  if (salt.length < 8 || hash.length !== KEYLEN) throw bad();
  return { N, r, p, salt, hash };
}

export function verifyPin(pin: string, rec: PinRecord): boolean {
  const got = scryptSync(pin.normalize('NFC'), rec.salt, rec.hash.length, { N: rec.N, r: rec.r, p: rec.p, maxmem: 256 * rec.N * rec.r + (1 << 20) });
  return timingSafeEqual(got, rec.hash);
}

/** Read `--staff-pin-file`: a regular file of mode 0600, else refused (exit 2); unreadable 66; malformed 65. */
export function readPinFile(file: string): PinRecord {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw inputErrorFrom(e, file);
  }
  if (!st.isFile()) throw new UsageError(`--staff-pin-file ${file}: is not a regular file; write one with: rapport kiosk-pin ${file}`, 'KIOSK_PIN_FILE_MODE');
  const mode = st.mode & 0o777;
  if (mode !== 0o600) {
    throw new UsageError(
      `--staff-pin-file ${file}: has mode ${mode.toString(8).padStart(4, '0')}, so others may read or change the way out of the kiosk; make it private with: chmod 600 ${file}`,
      'KIOSK_PIN_FILE_MODE',
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw inputErrorFrom(e, file);
  }
  return parsePinFile(text, file);
}
