/**
 * Types of the report's patient–clinician part (`--dyad`, issue 15): the paired columns dyad-load.ts
 * builds, and the numbers, flags and codes sections/dyads.ts returns (facts-dyads.ts words them).
 * No key, id or free text appears in any of them.
 */

/** Prefix of a paired item's agree/disagree indicator in the ordinary model (`agree_visit_reason`). */
export const AGREE_PREFIX = 'agree_';

/** One trait rated by both sides: the patient's score and the clinician's, one entry per patient row. */
export interface DyadTraitColumns {
  name: string;
  label: string;
  /** The scale's range (null for an already scored file: the observed range is used). */
  lo: number | null;
  hi: number | null;
  patient: Float64Array;
  /** NaN when unpaired or not scored. */
  clinician: Float64Array;
}

/** One visit item asked of both sides (`pair:` key): option values, NaN = no answer or unpaired. */
export interface DyadItemColumns {
  key: string;
  label: string;
  /** Option values of the shared response set, in order (the kappa table's levels). */
  levels: number[];
  patient: Float64Array;
  clinician: Float64Array;
}

/** How the clinicians' file was read and paired with the patients' (in the data and in the result). */
export interface DyadPairing {
  /** The clinician file as shown in messages, and the key (`visit_id`, or `visit_id=VisitID`). */
  file: string;
  on: string;
  instrument: { id: string; version: string } | null;
  /** Clinician rows analysed, and the cells among them that were not an answer (scored as missing). */
  rows: number;
  invalidCells: number;
  /** Patient rows paired with a clinician row; patient rows without one; clinician keys no patient used. */
  matched: number;
  unmatched: number;
  unused: number;
  /** Clinician rows whose key repeats an earlier one (the first is used); patient rows likewise (left unpaired). */
  duplicateKeys: number;
  patientDuplicateKeys: number;
  /** Patient predictors the clinician file does not rate. */
  unpairedTraits: string[];
}

export interface DyadData extends DyadPairing {
  traits: DyadTraitColumns[];
  items: DyadItemColumns[];
  /** Clinician per patient row (-1: unpaired or no id), for CR1 standard errors. */
  cluster: { column: string; codes: Int32Array; clusters: number } | null;
}

/** dyads.csv: how far the two sides agree on a trait. */
export interface DyadTraitRow {
  trait: string;
  label: string;
  nPairs: number;
  patientMean: number;
  patientSd: number;
  clinicianMean: number;
  clinicianSd: number;
  correlation: number | null;
  correlationCiLow: number | null;
  correlationCiHigh: number | null;
  iccA1: number | null;
  iccCiLow: number | null;
  iccCiHigh: number | null;
  meanDifference: number;
  loaLow: number;
  loaHigh: number;
}

/** The agree/disagree indicator of a paired item in the ordinary model (odds ratio agree vs disagree). */
export interface AgreementEffect {
  term: string;
  oddsRatio: number;
  ciLow: number;
  ciHigh: number;
  pValue: number;
}

/** concordance.csv: agreement on the visit for one pair key. */
export interface ConcordanceRow {
  item: string;
  label: string;
  nPairs: number;
  /** Percent of pairs giving the same option (0–100). */
  percentAgreement: number;
  kappa: number | null;
  kappaCiLow: number | null;
  kappaCiHigh: number | null;
  weightedKappa: number | null;
  weightedKappaCiLow: number | null;
  weightedKappaCiHigh: number | null;
  /** In the ordinary model (null: not entered, see `notInModel`). */
  model: AgreementEffect | null;
  notInModel: 'small_cell' | 'model_not_fitted' | null;
}

/** surface.csv: one row per trait and term. */
export interface SurfaceRow {
  trait: string;
  n: number;
  term: string;
  estimate: number;
  stdError: number;
  z: number;
  pValue: number;
}

/** Codes for the plain-word reading of a surface (facts-dyads.ts words them). */
export interface SurfaceReading {
  /** Where predicted use is highest over the scale square. */
  highest: 'both_high' | 'both_low' | 'both_middle' | 'patient_higher' | 'clinician_higher';
  /** Along the line of agreement (a1, p < 0.05): rises, falls, or no clear slope. */
  agreement: 'rises' | 'falls' | 'flat';
  /** Along the line of disagreement (p < 0.05): by a4's sign (curvature) or a3's (slope), whichever has the larger |z|. */
  divergence: 'lower_when_diverging' | 'higher_when_diverging' | 'higher_when_patient_higher' | 'higher_when_clinician_higher' | 'flat';
}

export interface SurfaceResult {
  trait: string;
  label: string;
  n: number;
  events: number;
  lo: number;
  hi: number;
  midpoint: number;
  /** The range came from the data (already scored file without a scale range). */
  observedRange: boolean;
  terms: SurfaceRow[];
  reading: SurfaceReading;
  /** Predicted probability on a GRID x GRID lattice from lo to hi: grid[c][p] (covariates at their means). */
  grid: number[][];
}

export interface DyadResult extends DyadPairing {
  minCell: number;
  /** CR1 standard errors by clinician for the surface and the agreement indicators. */
  cluster: { column: string; clusters: number } | null;
  traits: DyadTraitRow[];
  concordance: ConcordanceRow[];
  surfaces: SurfaceResult[];
  /** Traits and items withheld for fewer than minCell complete pairs. */
  withheldTraits: string[];
  withheldItems: string[];
  /** Surfaces that could not be fitted, with the fitter's reason code. */
  surfaceFailures: { trait: string; reason: string }[];
}
