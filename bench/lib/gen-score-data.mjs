// Generates the plain-CSV benchmark file for bench/score.mjs: an id column and 16 items (a1..d4) on
// 1..5, about 3% empty cells and 0.5% refusals (9), from a seeded PRNG (mulberry32), so every run sees
// the same bytes.
import * as fs from 'node:fs';

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ITEMS = ['a', 'b', 'c', 'd'].flatMap((s) => [1, 2, 3, 4].map((i) => s + i));

export function generate(file, rows, seed = 20240611) {
  const rnd = mulberry32(seed);
  const fd = fs.openSync(file, 'w');
  let buf = 'respondent_id,' + ITEMS.join(',') + '\n';
  for (let r = 0; r < rows; r++) {
    let line = 'R' + String(r + 1).padStart(7, '0');
    const level = 1 + Math.floor(rnd() * 5);
    for (let k = 0; k < ITEMS.length; k++) {
      const u = rnd();
      let v;
      if (u < 0.03) v = '';
      else if (u < 0.035) v = '9';
      else {
        const x = level + Math.round((rnd() - 0.5) * 2.4);
        v = String(Math.min(5, Math.max(1, (k & 3) === 2 ? 6 - x : x)));
      }
      line += ',' + v;
    }
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}
