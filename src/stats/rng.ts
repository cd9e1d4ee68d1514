/**
 * A seeded pseudo-random generator that gives the same numbers on every machine: xoshiro128**
 * (Blackman & Vigna, 2018; 128-bit state, 32-bit integer arithmetic only through Math.imul and
 * shifts), seeded through the splitmix32 finaliser from a (seed, stream) pair so that independent streams can be
 * derived from one user seed (one per data set in `power`, one for export metadata in `simulate`).
 *
 * Doubles use 53 random bits. Normal deviates use Marsaglia's polar method, which needs only
 * Math.log and Math.sqrt (sqrt is exact in IEEE 754; V8's log is its own fdlibm port, the same on
 * every platform). Never Math.random.
 */

/** The splitmix32 output function (a bijection on 32-bit integers; Steele, Lea & Flood's splitmix finaliser). */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO32 = 4294967296;

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = NaN;

  /**
   * @param seed any safe integer (negative allowed); both its low and high 32 bits are used.
   * @param stream an integer selecting an independent stream for the same seed.
   */
  constructor(seed: number, stream = 0) {
    this.reseed(seed, stream);
  }

  /** A generator in a given raw state (four 32-bit words, not all 0): for checks against the reference C code. */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.map((x) => x >>> 0);
    r.spare = NaN;
    return r;
  }

  reseed(seed: number, stream = 0): void {
    // Each state word is a bijective mix of one 32-bit word of (seed, stream), so distinct
    // (seed, stream) pairs always give distinct states; a short warm-up decorrelates neighbours.
    this.s0 = mix32((seed >>> 0) ^ 0x243f6a88);
    this.s1 = mix32((Math.floor(seed / TWO32) >>> 0) ^ 0x85a308d3);
    this.s2 = mix32((stream >>> 0) ^ 0x13198a2e);
    this.s3 = mix32((Math.floor(stream / TWO32) >>> 0) ^ 0x03707344);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    for (let k = 0; k < 12; k++) this.nextU32();
    this.spare = NaN;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5; // 27 bits
    const b = this.nextU32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform integer in [0, k) (k ≤ 2^32), without modulo bias. */
  int(k: number): number {
    if (k <= 1) return 0;
    const limit = TWO32 - (TWO32 % k);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % k;
    }
  }

  /** Standard normal deviate (Marsaglia polar method; the second deviate of each pair is kept). */
  normal(): number {
    const sp = this.spare;
    if (sp === sp) {
      this.spare = NaN;
      return sp;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
