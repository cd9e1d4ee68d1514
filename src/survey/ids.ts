/** Respondent ids: generated ULIDs, and the rule for ids given with --respondent (they name journal files). */
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID: 48-bit millisecond time + 80 random bits from node:crypto, 26 Crockford base-32 characters.
 * Sorts by creation time; two ids collide only if 80 random bits repeat within one millisecond.
 */
export function ulid(now: number = Date.now(), rand: Buffer = randomBytes(10)): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 80 bits → 16 characters of 5 bits each.
  let bits = 0n;
  for (const b of rand) bits = (bits << 8n) | BigInt(b);
  let r = '';
  for (let i = 0; i < 16; i++) {
    r = CROCKFORD[Number(bits & 31n)] + r;
    bits >>= 5n;
  }
  return time + r;
}

export const RESPONDENT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Check a --respondent value: it becomes a file name, so letters, digits, `.`, `_`, `-` only. */
export function checkRespondentId(id: string): string {
  if (!RESPONDENT_ID_RE.test(id)) {
    throw new UsageError(
      `--respondent ${JSON.stringify(id)} is not a usable id; use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit (for example K42).`,
    );
  }
  return id;
}

/** Check a --visit value: the same rule as respondent ids (it is recorded beside them). */
export function checkVisitId(id: string): string {
  if (!RESPONDENT_ID_RE.test(id)) throw new UsageError(`--visit ${JSON.stringify(id)} is not a usable visit id; use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit (for example V2026-0142).`);
  return id;
}
