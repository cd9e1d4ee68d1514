// Generates the clustered reference data sets (committed CSVs) read by the R golden scripts and the
// tests: node test/reference/make-cluster-data.mjs  (deterministic: mulberry32 seeds below).
// cluster.csv: 40 clinicians with 8 to 45 patients each (unbalanced), 4 strata of clinicians,
//   design weights, two traits with a between-clinician share, age and sex, a 0/1 outcome from a
//   random-intercept logistic model (SD 1 on the logit scale) and a continuous score (tau 0.5, sigma 1).
// cluster-flat.csv: the same design with no clinician effect at all (the tau = 0 boundary).
import { writeFileSync } from 'node:fs';
import { mulberry32 } from '../../bench/lib/common.mjs';

function make(seed, sd, file) {
  const rnd = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const rows = ['clinician,stratum,weight,trust,communication,age,female,portal_use,score'];
  for (let g = 0; g < 40; g++) {
    const m = 8 + Math.floor(rnd() * 38);
    const b = sd * normal();
    const tb = 0.5 * normal();
    const sb = 0.5 * normal();
    const stratum = 1 + (g % 4);
    for (let i = 0; i < m; i++) {
      const trust = +(tb + 0.85 * normal()).toFixed(4);
      const comm = +(0.5 * trust + 0.8 * normal()).toFixed(4);
      const age = Math.round(Math.min(90, Math.max(18, 52 + 16 * normal())));
      const female = rnd() < 0.56 ? 1 : 0;
      const eta = -0.6 + 0.7 * trust + 0.3 * comm - 0.01 * (age - 52) + 0.2 * female + b;
      const y = rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      const score = +(3 + sb + 0.3 * trust + normal()).toFixed(4);
      const w = +(0.5 + 2.5 * rnd() * (stratum / 2)).toFixed(3);
      rows.push([`c${String(g + 1).padStart(2, '0')}`, `s${stratum}`, w, trust, comm, age, female, y, score].join(','));
    }
  }
  writeFileSync(new URL(file, import.meta.url), rows.join('\n') + '\n');
}
make(14014, 1.0, './cluster.csv');
make(14015, 0.0, './cluster-flat.csv');
