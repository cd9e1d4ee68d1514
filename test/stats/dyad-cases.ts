/** The paired columns the dyad statistics are checked on (test/reference/dyad-golden.R): generated pairs and psych's sat.act. */
import { readCsv, readJson } from './helpers.js';

export const dyadGolden = readJson('dyad-golden.json');
export const dyadGenerated = readCsv('dyad-data.csv');
export const dyadPublic = readCsv('dyad-public.csv');

/** [label, patient-like column, clinician-like column, the golden block of that data set]. */
export function dyadScoreCases(): [string, Float64Array, Float64Array, any][] {
  return [
    ['generated pairs', dyadGenerated.num('P'), dyadGenerated.num('C'), dyadGolden.generated],
    ['sat.act SATV vs SATQ', dyadPublic.num('SATV').map((v) => v / 100), dyadPublic.num('SATQ').map((v) => v / 100), dyadGolden.public],
  ];
}
