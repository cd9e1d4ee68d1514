// Generates the plain-CSV benchmark file for bench/score.mjs: an id column and 16 items (a1..d4) on
// 1..5, about 3% empty cells and 0.5% refusals (9), from a seeded PRNG (mulberry32), so every run sees
// the same bytes.
import { bufferedFile, mulberry32 } from './common.mjs';

export const ITEMS = ['a', 'b', 'c', 'd'].flatMap((s) => [1, 2, 3, 4].map((i) => s + i));

export function generate(file, rows, seed = 20240611) {
  const rnd = mulberry32(seed);
  const out = bufferedFile(file);
  out.write('respondent_id,' + ITEMS.join(',') + '\n');
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
    out.write(line + '\n');
  }
  out.close();
}
