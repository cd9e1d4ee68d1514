/**
 * The patient–clinician part of the report (`--dyad`, issue 15): per paired trait how far the two sides
 * agree (Pearson r with Fisher CI, ICC(A,1), Bland–Altman), per `pair:` item agreement on the visit
 * (percent, Cohen's and weighted kappa) and its agree/disagree indicator's odds ratio in the ordinary
 * model, and per trait the polynomial response surface of the outcome on the patient's (P) and the
 * clinician's (C) score, centred at the scale midpoint, with a1..a4. With a clinician column the surface
 * and the indicators get CR1 cluster-robust SEs by clinician (as sandwich::vcovCL type HC1). Anything
 * resting on fewer than --min-cell complete pairs is withheld. Numbers and codes only.
 */
import type { DesignMatrix, LogisticFit } from '../../stats/index.js';
import { blandAltman, clusterRobustVcov, cohenKappa, iccAgreement, meanSd, pearsonCorrelation, waldEstimate } from '../../stats/index.js';
import { completePairs } from '../../stats/pairs.js';
import { clusterCovariance, responseSurface, surfaceProbability, type ResponseSurface } from '../../stats/response-surface.js';
import type { CovariateColumn, ReportData } from '../data.js';
import { AGREE_PREFIX, type AgreementEffect, type ConcordanceRow, type DyadData, type DyadItemColumns, type DyadResult, type DyadTraitColumns, type DyadTraitRow, type SurfaceReading, type SurfaceResult } from '../dyad-types.js';
import { nn } from './util.js';

/** Points per side of the predicted-probability lattice (the HTML heat map). */
export const GRID = 21;
const ALPHA = 0.05;
const SURFACE_EPSILON = 1e-14;

/** The ordinary model's fit, for the agree/disagree indicators. */
export interface OrdinaryModel {
  fit: LogisticFit | null;
  X: DesignMatrix | null;
}

/** Cluster ids with every unclustered row its own cluster (a paired row whose clinician column is empty). */
function clusterIds(d: DyadData): Int32Array | null {
  if (!d.cluster) return null;
  let next = d.cluster.clusters;
  return Int32Array.from(d.cluster.codes, (c) => (c >= 0 ? c : next++));
}

function traitRow(t: DyadTraitColumns, nPairs: number): DyadTraitRow {
  const pc = completePairs(t.patient, t.clinician);
  const p = meanSd(pc.x);
  const c = meanSd(pc.y);
  const r = pearsonCorrelation(pc.x, pc.y);
  const icc = iccAgreement([pc.x, pc.y]);
  const ba = blandAltman(pc.x, pc.y);
  return {
    trait: t.name,
    label: t.label,
    nPairs,
    patientMean: p.mean,
    patientSd: p.sd,
    clinicianMean: c.mean,
    clinicianSd: c.sd,
    correlation: r.ok ? r.r : null,
    correlationCiLow: r.ok ? nn(r.ciLow) : null,
    correlationCiHigh: r.ok ? nn(r.ciHigh) : null,
    iccA1: icc.ok ? icc.icc : null,
    iccCiLow: icc.ok ? nn(icc.ciLow) : null,
    iccCiHigh: icc.ok ? nn(icc.ciHigh) : null,
    meanDifference: ba.ok ? ba.meanDifference : NaN,
    loaLow: ba.ok ? ba.loaLow : NaN,
    loaHigh: ba.ok ? ba.loaHigh : NaN,
  };
}

/** The surface's covariates: numeric ones as they are, categorical ones as 0/1 columns (levels after the first). */
function surfaceCovariates(covs: CovariateColumn[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const c of covs) {
    if (c.name.startsWith(AGREE_PREFIX)) continue; // the concordance indicators belong to the ordinary model
    if (c.kind === 'numeric') out[c.name] = c.values;
    else for (const level of c.levels.slice(1)) out[`${c.name}=${level}`] = Float64Array.from(c.values, (v) => (v === null ? NaN : v === level ? 1 : 0));
  }
  return out;
}

/** The plain-word reading of a surface, as codes. */
function readSurface(s: ResponseSurface, grid: number[][], lo: number, hi: number): SurfaceReading {
  const term = (name: string) => s.terms.find((t) => t.term === name)!;
  let best = { p: -1, i: 0, j: 0 };
  grid.forEach((row, j) => row.forEach((p, i) => p > best.p && (best = { p, i, j })));
  const at = (k: number) => lo + ((hi - lo) * k) / (GRID - 1);
  const P = at(best.i);
  const C = at(best.j);
  const mid = (lo + hi) / 2;
  const quarter = (hi - lo) / 4;
  const highest: SurfaceReading['highest'] =
    Math.abs(P - C) > quarter ? (P > C ? 'patient_higher' : 'clinician_higher') : (P + C) / 2 > mid + quarter / 2 ? 'both_high' : (P + C) / 2 < mid - quarter / 2 ? 'both_low' : 'both_middle';
  const a1 = term('a1');
  const a3 = term('a3');
  const a4 = term('a4');
  const agreement = a1.p < ALPHA ? (a1.estimate > 0 ? 'rises' : 'falls') : 'flat';
  // Along the line of disagreement, the clearer of the slope (a3) and the curvature (a4) is read.
  const curved = a4.p < ALPHA && (a3.p >= ALPHA || Math.abs(a4.z) >= Math.abs(a3.z));
  const divergence: SurfaceReading['divergence'] = curved
    ? a4.estimate < 0 ? 'lower_when_diverging' : 'higher_when_diverging'
    : a3.p < ALPHA ? (a3.estimate > 0 ? 'higher_when_patient_higher' : 'higher_when_clinician_higher') : 'flat';
  return { highest, agreement, divergence };
}

/** The response surface of one trait, or why it could not be fitted. */
function surfaceOf(t: DyadTraitColumns, data: ReportData, cluster: Int32Array | null, minCell: number): SurfaceResult | { trait: string; reason: string } {
  const pc = completePairs(t.patient, t.clinician);
  const observed = t.lo === null || t.hi === null;
  const lo = observed ? Math.min(...pc.x, ...pc.y) : t.lo!;
  const hi = observed ? Math.max(...pc.x, ...pc.y) : t.hi!;
  const midpoint = (lo + hi) / 2;
  const s = responseSurface(
    { patient: t.patient, clinician: t.clinician, outcome: data.outcome.y, midpoint, covariates: surfaceCovariates(data.covariates) },
    // Converged as tightly as glm(control = glm.control(epsilon = 1e-14)): the covariance is taken at
    // the last iterate, so a looser stop moves the SEs in the fifth digit.
    { method: 'ml', epsilon: SURFACE_EPSILON, covariance: cluster ? clusterCovariance(cluster) : undefined },
  );
  if (!s.ok) return { trait: t.name, reason: s.code };
  if (s.n < minCell || s.nEvents < minCell || s.n - s.nEvents < minCell) return { trait: t.name, reason: 'small_cell' };
  if (s.terms.some((x) => !Number.isFinite(x.se))) return { trait: t.name, reason: 'no_standard_error' };
  const grid = Array.from({ length: GRID }, (_, j) => Array.from({ length: GRID }, (_, i) => surfaceProbability(s, lo + ((hi - lo) * i) / (GRID - 1), lo + ((hi - lo) * j) / (GRID - 1))));
  const terms = s.terms.map((x) => ({ trait: t.name, n: s.n, term: x.term, estimate: x.estimate, stdError: x.se, z: x.z, pValue: x.p }));
  return { trait: t.name, label: t.label, n: s.n, events: s.nEvents, lo, hi, midpoint, observedRange: observed, terms, reading: readSurface(s, grid, lo, hi), grid };
}

/** The agree/disagree indicator's odds ratio in the ordinary model (CR1 SE by clinician when clustered). */
function agreementEffect(key: string, m: OrdinaryModel, cluster: Int32Array | null): AgreementEffect | null {
  if (!m.fit || !m.X) return null;
  const name = AGREE_PREFIX + key;
  const k = m.X.names.indexOf(name);
  if (k < 0) return null;
  const X = m.X;
  const fit = m.fit;
  let se = fit.coefficients[k].se;
  if (cluster) {
    const residual = Float64Array.from({ length: X.n }, (_, i) => X.y![i] - fit.fitted[i]);
    const V = clusterRobustVcov({ x: X.data, n: X.n, p: X.p, residual, bread: fit.covariance, cluster: Int32Array.from(X.rows, (r) => cluster[r]) }).vcov;
    se = Math.sqrt(V[k * X.p + k]);
  }
  const w = waldEstimate(fit.coefficients[k].estimate, se);
  return { term: name, oddsRatio: Math.exp(w.estimate), ciLow: Math.exp(w.ciLow), ciHigh: Math.exp(w.ciHigh), pValue: w.p };
}

function concordanceRow(it: DyadItemColumns, nPairs: number, m: OrdinaryModel, cluster: Int32Array | null): ConcordanceRow {
  const k = cohenKappa(it.patient, it.clinician, { levels: it.levels });
  const pc = completePairs(it.patient, it.clinician);
  let same = 0;
  for (let i = 0; i < pc.x.length; i++) if (pc.x[i] === pc.y[i]) same++;
  const model = agreementEffect(it.key, m, cluster);
  return {
    item: it.key,
    label: it.label,
    nPairs,
    percentAgreement: (100 * same) / nPairs,
    kappa: k.ok ? nn(k.kappa) : null,
    kappaCiLow: k.ok ? nn(k.kappaCiLow) : null,
    kappaCiHigh: k.ok ? nn(k.kappaCiHigh) : null,
    weightedKappa: k.ok ? nn(k.weightedKappa) : null,
    weightedKappaCiLow: k.ok ? nn(k.weightedCiLow) : null,
    weightedKappaCiHigh: k.ok ? nn(k.weightedCiHigh) : null,
    model,
    notInModel: model ? null : m.fit ? 'small_cell' : 'model_not_fitted',
  };
}

/** Complete pairs of two columns. */
function pairCount(a: Float64Array, b: Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) n++;
  return n;
}

export function dyadSection(d: DyadData, data: ReportData, model: OrdinaryModel, minCell: number): DyadResult {
  const cluster = clusterIds(d);
  const withheldTraits: string[] = [];
  const withheldItems: string[] = [];
  const traits: DyadTraitRow[] = [];
  const surfaces: SurfaceResult[] = [];
  const surfaceFailures: { trait: string; reason: string }[] = [];
  for (const t of d.traits) {
    const n = pairCount(t.patient, t.clinician);
    if (n < minCell) {
      withheldTraits.push(t.name);
      continue;
    }
    traits.push(traitRow(t, n));
    const s = surfaceOf(t, data, cluster, minCell);
    if ('grid' in s) surfaces.push(s);
    else surfaceFailures.push(s);
  }
  const concordance: ConcordanceRow[] = [];
  for (const it of d.items) {
    const n = pairCount(it.patient, it.clinician);
    if (n < minCell) withheldItems.push(it.key);
    else concordance.push(concordanceRow(it, n, model, cluster));
  }
  const { file, on, instrument, rows, invalidCells, matched, unmatched, unused, duplicateKeys, patientDuplicateKeys, unpairedTraits } = d;
  return {
    file, on, instrument, rows, invalidCells, matched, unmatched, unused, duplicateKeys, patientDuplicateKeys, unpairedTraits, minCell,
    cluster: d.cluster ? { column: d.cluster.column, clusters: d.cluster.clusters } : null,
    traits, concordance, surfaces, withheldTraits, withheldItems, surfaceFailures,
  };
}
