/**
 * The --dyad tables (issue 15): dyads.csv (how far the two sides agree, one row per paired trait),
 * concordance.csv (agreement on the visit, one row per `pair:` key) and surface.csv (the response
 * surface's b1..b5 and a1..a4 per trait). Same cell rules as csv.ts; withheld rows are absent.
 */
import { csvText } from './csv.js';
import type { DyadResult } from './dyad-types.js';

export const DYAD_FILES = ['dyads.csv', 'concordance.csv', 'surface.csv'] as const;

const DYADS_COLUMNS = ['trait', 'n_pairs', 'patient_mean', 'patient_sd', 'clinician_mean', 'clinician_sd', 'correlation', 'correlation_ci_low', 'correlation_ci_high', 'icc_a1', 'icc_ci_low', 'icc_ci_high', 'mean_difference', 'loa_low', 'loa_high'];
const CONCORDANCE_COLUMNS = ['item', 'n_pairs', 'percent_agreement', 'kappa', 'kappa_ci_low', 'kappa_ci_high', 'weighted_kappa', 'weighted_kappa_ci_low', 'weighted_kappa_ci_high'];
const SURFACE_COLUMNS = ['trait', 'n', 'term', 'estimate', 'std_error', 'z', 'p_value'];

const finite = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);

export function dyadsCsv(d: DyadResult): string {
  return csvText(
    DYADS_COLUMNS,
    d.traits.map((t) => [t.trait, t.nPairs, t.patientMean, t.patientSd, t.clinicianMean, t.clinicianSd, t.correlation, t.correlationCiLow, t.correlationCiHigh, t.iccA1, t.iccCiLow, t.iccCiHigh, t.meanDifference, t.loaLow, t.loaHigh].map((v) => (typeof v === 'number' ? finite(v) : v))),
  );
}

export function concordanceCsv(d: DyadResult): string {
  return csvText(
    CONCORDANCE_COLUMNS,
    d.concordance.map((c) => [c.item, c.nPairs, c.percentAgreement, c.kappa, c.kappaCiLow, c.kappaCiHigh, c.weightedKappa, c.weightedKappaCiLow, c.weightedKappaCiHigh]),
  );
}

export function surfaceCsv(d: DyadResult): string {
  return csvText(
    SURFACE_COLUMNS,
    d.surfaces.flatMap((s) => s.terms.map((t) => [t.trait, t.n, t.term, t.estimate, t.stdError, t.z, t.pValue])),
  );
}

/** The three files, for renderReportFiles. */
export function dyadFiles(d: DyadResult): Record<string, string> {
  return { 'dyads.csv': dyadsCsv(d), 'concordance.csv': concordanceCsv(d), 'surface.csv': surfaceCsv(d) };
}
