/**
 * `rapport simulate --dyads --n <visits> --out patients.csv --dyad-out clinicians.csv`: a patient form and
 * a clinician form per visit (src/simulate/dyads.ts), both written or neither (commitAll).
 * `--effect trust.agreement=2.0,trust.disagreement_curvature=0.7`: odds ratios per pooled SD of the
 * response surface along the line of agreement (a1) and of disagreement (a3), and their curvatures
 * (a2, a4), for traits on both forms.
 */
import { UsageError } from '../../errors.js';
import { loadInstrument } from '../../instrument/load.js';
import { commitAll, openOutput } from '../../io/atomic.js';
import { checkDistinct } from '../../io/output-target.js';
import { dyadCsv } from '../../simulate/dyad-writers.js';
import { DYAD_DEFAULTS, planDyads, simulateDyads, type SurfaceTruth } from '../../simulate/dyads.js';
import { parseCorrelation, parseEffects } from '../../simulate/options.js';
import { formatNumber } from '../../util/format.js';
import type { Ui } from '../ui.js';

const PARTS: Record<string, keyof SurfaceTruth> = {
  agreement: 'agreement',
  disagreement: 'disagreement',
  agreement_curvature: 'agreementCurvature',
  disagreement_curvature: 'disagreementCurvature',
};

/** `trust.agreement=2,trust.disagreement=0.8` → { trust: { agreement: ln 2, disagreement: ln 0.8 } }. */
function parseSurfaceEffects(v: string): Record<string, Partial<SurfaceTruth>> {
  const out: Record<string, Partial<SurfaceTruth>> = Object.create(null);
  for (const [key, or] of Object.entries(parseEffects(v))) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)\.([a-z_]+)$/.exec(key);
    const part = m ? PARTS[m[2]] : undefined;
    if (!m || !part) throw new UsageError(`--effect ${key}=${or}: with --dyads write trait.part=OR, the part being ${Object.keys(PARTS).join(', ')}, e.g. trust.agreement=2.0.`);
    (out[m[1]] ??= {})[part] = Math.log(or);
  }
  return out;
}

function parseNumber(v: string, flag: string, example: string): number {
  const x = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${flag} ${JSON.stringify(v)}: give a number, e.g. ${flag} ${example}.`);
  return x;
}

export interface DyadFlags {
  instrument?: string;
  dyadInstrument: string;
  dyadOut?: string;
  out: string;
  effect?: string;
  concordance: string;
  pairCorrelation: string;
  perClinician: string;
}

export async function runDyadSimulation(f: DyadFlags, common: { n: number; seed: number; prevalence: number; correlation: number; missing: number; platform: string }, ui: Ui): Promise<void> {
  if (common.platform !== 'plain') throw new UsageError(`--platform ${common.platform}: --dyads writes plain CSV files (one row per visit, linked by visit_id); drop --platform.`);
  if (!f.dyadOut || f.dyadOut === '-' || f.out === '-') throw new UsageError("--dyads writes two files: name them with --out <patients.csv> and --dyad-out <clinicians.csv> (not '-').");
  const effects = f.effect !== undefined ? parseSurfaceEffects(f.effect) : {};
  const opts = {
    effects,
    prevalence: common.prevalence,
    correlation: common.correlation,
    missing: common.missing,
    concordance: parseNumber(f.concordance, '--concordance', '0.7'),
    pairCorrelation: parseCorrelation(f.pairCorrelation),
    perClinician: parseNumber(f.perClinician, '--per-clinician', '8'),
  };
  const patient = loadInstrument(f.instrument ?? 'relationship-engagement');
  const clinician = loadInstrument(f.dyadInstrument);
  const plan = planDyads(patient, clinician, opts);
  const data = simulateDyads(plan, common.n, common.seed);
  const csv = dyadCsv(plan, data);
  await writeBoth([f.out, csv.patients], [f.dyadOut, csv.clinicians]);
  const eff = plan.traits.map((t) => Object.entries(PARTS).filter(([, k]) => t.truth[k] !== 0).map(([name, k]) => `${t.id}.${name} OR ${formatNumber(Math.exp(t.truth[k]))}`).join(', '));
  ui.info(
    `rapport simulate: ${common.n.toLocaleString('en-US')} visits (${patient.id} ${patient.version} → ${f.out}; ${clinician.id} ${clinician.version} → ${f.dyadOut}), ${data.clinicians} clinicians, seed ${common.seed}` +
      `\n  paired items agree with probability ${formatNumber(plan.concordance)}; patient–clinician trait correlation ${formatNumber(plan.pairCorrelation)}; ${eff.length ? eff.join('; ') + ' per pooled SD' : 'no surface effects'}`,
  );
}

export const DYAD_OPTION_DEFAULTS = {
  dyadInstrument: 'relationship-engagement-clinician',
  concordance: String(DYAD_DEFAULTS.concordance),
  pairCorrelation: String(DYAD_DEFAULTS.pairCorrelation),
  perClinician: String(DYAD_DEFAULTS.perClinician),
};

/** Both simulated files, committed together: neither is replaced unless both are complete. */
async function writeBoth(...files: [string, string][]): Promise<void> {
  checkDistinct([], files.map(([path], i) => ({ flag: i === 0 ? '--out' : '--dyad-out', path })));
  const sinks = [];
  try {
    for (const [path, data] of files) {
      const sink = await openOutput(path);
      sinks.push(sink);
      await sink.write(data);
    }
  } catch (err) {
    for (const s of sinks) await s.abort();
    throw err;
  }
  await commitAll(sinks);
}
