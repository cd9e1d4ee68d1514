/**
 * Every sentence of the report's patient–clinician part (`--dyad`): the pairing, the clustering, the
 * agreement tables' captions, and the plain-word reading of each response surface from its codes
 * (sections/dyads.ts). Re-exported by facts.ts.
 */
import { plural } from '../util/format.js';
import type { ConcordanceRow, DyadResult, SurfaceResult } from './dyad-types.js';
import { andList, fmtFixed, fmtOrCi, fmtPEq } from './format.js';

export const DYAD_HEADINGS = {
  section: 'Both sides of the visit',
  traits: 'How far patients and clinicians agree',
  concordance: 'Agreement on the visit',
  surface: 'Does agreement go with OUTCOME?',
} as const;

/** How the clinicians' file was paired with the patients'. */
export function dyadPairing(d: DyadResult, nPatients: number): string {
  const form = d.instrument ? `, scored with ${d.instrument.id} ${d.instrument.version}` : ', already scored';
  const parts = [`The clinicians' forms (${d.file}${form}) were paired with the patients' by ${d.on}: ${d.matched} of ${plural(nPatients, 'patient row')} paired.`];
  if (d.unmatched > 0) parts.push(`${plural(d.unmatched, 'patient row')} had no clinician form (or repeated a visit key) and ${d.unmatched === 1 ? 'is' : 'are'} left out of the paired results.`);
  if (d.unused > 0) parts.push(`${plural(d.unused, 'visit key')} in the clinicians' file matched no patient row.`);
  if (d.duplicateKeys > 0) parts.push(`${plural(d.duplicateKeys, "clinician row")} repeated an earlier visit key; the first row of each visit was used.`);
  if (d.patientDuplicateKeys > 0) parts.push(`${plural(d.patientDuplicateKeys, 'patient row')} repeated an earlier visit key and ${d.patientDuplicateKeys === 1 ? 'was' : 'were'} not paired.`);
  if (d.invalidCells > 0) parts.push(`${plural(d.invalidCells, 'cell')} of the clinicians' file ${d.invalidCells === 1 ? 'was' : 'were'} not an answer to ${d.invalidCells === 1 ? 'its' : 'their'} item and counted as missing (rapport score --errors lists them).`);
  if (d.unpairedTraits.length > 0) parts.push(`The clinicians' form does not rate ${andList(d.unpairedTraits)}.`);
  return parts.join(' ');
}

/** Which standard errors the surface and the agreement indicators use. */
export function dyadClusterText(d: DyadResult): string {
  if (!d.cluster) return "The clinicians' file has no clinician column (--dyad-cluster), so the standard errors treat every visit as independent; if clinicians saw several of these patients they are too small.";
  return `Clinicians rate many patients: the response surfaces' and the agreement indicators' standard errors are cluster-robust by clinician (${d.cluster.column}, ${plural(d.cluster.clusters, 'clinician')}; CR1, as sandwich::vcovCL type HC1).`;
}

export function dyadWithheldText(d: DyadResult): string | null {
  const w = [...d.withheldTraits, ...d.withheldItems];
  if (w.length === 0) return null;
  return `Withheld, with fewer than ${d.minCell} complete pairs: ${andList(w)}.`;
}

export const DYAD_TRAITS_INTRO =
  "Patient and clinician mean scores on the complete pairs; Pearson r with its Fisher 95% CI; ICC(A,1), the absolute agreement of single ratings (psych's ICC2); the mean patient-minus-clinician difference with Bland–Altman 95% limits of agreement. All numbers at full precision in dyads.csv.";

export const CONCORDANCE_INTRO =
  "Share of visits where both sides chose the same answer; Cohen's kappa (chance-corrected agreement) with its 95% CI; weighted kappa, which gives credit for near answers, is in concordance.csv and means something only when the options are ordered. Odds ratio: portal use when both sides agreed on the item, against when they did not, in the adjusted model (agree_<item> in model.csv).";

/** Why an item's agree/disagree indicator is not in the adjusted model. */
export function agreementEffectText(c: ConcordanceRow, minCell: number): string {
  if (c.model) return `${fmtOrCi(c.model.oddsRatio, c.model.ciLow, c.model.ciHigh)}, ${fmtPEq(c.model.pValue)}`;
  return c.notInModel === 'small_cell' ? `not in the model (fewer than ${minCell} agreeing or disagreeing pairs)` : 'the model was not fitted';
}

export function surfaceIntro(d: DyadResult, outcomeLabel: string): string {
  return `For each trait, a logistic regression of ${outcomeLabel} on the patient's score P and the clinician's score C, both centred at the scale midpoint: b1 P + b2 C + b3 P² + b4 PC + b5 C² (plus the covariates). Along the line of agreement (P = C), a1 = b1 + b2 is the slope and a2 = b3 + b4 + b5 the curvature; along the line of disagreement (P = −C), a3 = b1 − b2 is the slope (positive: higher where the patient rates the trait above the clinician) and a4 = b3 − b4 + b5 the curvature (negative: lower the more the two ratings diverge). Estimates per scale point on the log-odds scale; every term in surface.csv.`;
}

const HIGHEST: Record<SurfaceResult['reading']['highest'], (t: string) => string> = {
  both_high: (t) => `where both rated ${t} high`,
  both_low: (t) => `where both rated ${t} low`,
  both_middle: (t) => `where both rated ${t} near the middle of the scale`,
  patient_higher: (t) => `where the patient rated ${t} higher than the clinician did`,
  clinician_higher: (t) => `where the clinician rated ${t} higher than the patient did`,
};

function term(s: SurfaceResult, name: string) {
  return s.terms.find((t) => t.term === name)!;
}

function est(s: SurfaceResult, name: string): string {
  const t = term(s, name);
  return `${name} = ${fmtFixed(t.estimate, 2)}, ${fmtPEq(t.pValue)}`;
}

/** The plain-word reading of one surface ("portal use was highest where both rated trust high, and lower the more their ratings diverged"). */
export function surfaceSentence(s: SurfaceResult, outcomeLabel: string): string {
  const t = s.label.toLowerCase();
  const r = s.reading;
  if (r.agreement === 'flat' && r.divergence === 'flat')
    return `${s.label}: no clear pattern; ${outcomeLabel} changed neither clearly with both sides' ${t} ratings together (${est(s, 'a1')}) nor with their disagreement (${est(s, 'a3')}; ${est(s, 'a4')}).`;
  const along = r.agreement === 'rises' ? `rose as both ratings rose together (${est(s, 'a1')})` : r.agreement === 'falls' ? `fell as both ratings rose together (${est(s, 'a1')})` : `did not change clearly along the line of agreement (${est(s, 'a1')})`;
  const apart = {
    lower_when_diverging: `was lower the more their ratings diverged (${est(s, 'a4')})`,
    higher_when_diverging: `was higher the more their ratings diverged (${est(s, 'a4')})`,
    higher_when_patient_higher: `was higher where the patient rated ${t} above the clinician (${est(s, 'a3')})`,
    higher_when_clinician_higher: `was higher where the clinician rated ${t} above the patient (${est(s, 'a3')})`,
    flat: `did not change clearly with their disagreement (${est(s, 'a3')}; ${est(s, 'a4')})`,
  }[r.divergence];
  return `${s.label}: ${outcomeLabel} was highest ${HIGHEST[r.highest](t)}; it ${along}, and ${apart}.`;
}

/** Why a surface was not fitted. */
export function surfaceFailureText(f: { trait: string; reason: string }, minCell: number): string {
  if (f.reason === 'small_cell') return `${f.trait}: no surface: fewer than ${minCell} pairs with and without the outcome.`;
  return `${f.trait}: the surface could not be fitted (${f.reason.replace(/[-_]/g, ' ')}).`;
}

export const SURFACE_CAPTION = (label: string, outcomeLabel: string, observed: boolean) =>
  `Predicted ${outcomeLabel} by the patient's (across) and the clinician's (up) ${label.toLowerCase()} score${observed ? ' (over the range observed)' : ''}; the diagonal is the line of agreement. Covariates at their means.`;
