// The seeded survey-like export of the report benchmarks (bench/report.mjs, bench/report-bootstrap.mjs):
// 16 items in 4 scales (bench/report-instrument.yaml), a yes/no outcome, age and sex.
import { bufferedFile, mulberry32 } from './common.mjs';

const SCALES = ['trust', 'respect', 'listening', 'communication'];

/** Seeded survey-like data: correlated traits, 1..5 items (item 3 reverse-worded), 3% skipped, 0.5% refused. */
export function generate(file, n, seed = 20250105) {
  const rnd = mulberry32(seed);
  let spare = null;
  const gauss = () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rnd();
    const v = rnd();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const out = bufferedFile(file);
  out.write('ResponseId,' + SCALES.flatMap((s) => [1, 2, 3, 4].map((k) => `${s}_${k}`)).join(',') + ',portal_use,age,sex\n');
  const z = new Float64Array(4);
  for (let r = 0; r < n; r++) {
    const g = gauss();
    for (let s = 0; s < 4; s++) z[s] = 0.65 * g + 0.76 * gauss();
    let line = 'R' + String(r + 1).padStart(7, '0');
    for (let s = 0; s < 4; s++) {
      for (let k = 1; k <= 4; k++) {
        const u = rnd();
        let v;
        if (u < 0.03) v = '';
        else if (u < 0.035) v = '9';
        else {
          const x = Math.min(5, Math.max(1, Math.round(3.4 + 0.9 * z[s] + 0.6 * gauss())));
          v = String(k === 3 ? 6 - x : x);
        }
        line += ',' + v;
      }
    }
    const age = 18 + Math.floor(rnd() * 72);
    const us = rnd();
    const sex = us < 0.52 ? 'female' : us < 0.97 ? 'male' : 'other';
    const eta = -0.3 + 0.8 * z[0] + 0.15 * z[1] + 0.4 * z[3] - 0.01 * (age - 50) + 0.2 * (sex === 'female' ? 1 : 0);
    const y = rnd() < 1 / (1 + Math.exp(-eta)) ? '1' : '0';
    line += ',' + (rnd() < 0.01 ? '' : y) + ',' + age + ',' + sex;
    out.write(line + '\n');
  }
  out.close();
}

