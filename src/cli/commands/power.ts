/**
 * `rapport power --instrument <id|file> --effect trait=OR,... --n n1,n2,...`: power of the report's
 * adjusted model to detect a trait's effect, by simulation, with Hsieh's closed form alongside.
 * The shell only: flags are parsed here; src/simulate/power.ts does the work.
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../../errors.js';
import { loadInstrument } from '../../instrument/load.js';
import { DEFAULTS, planSimulation } from '../../simulate/generate.js';
import { MAX_REPS, parseChoice, parseClusterFlags, parseCorrelation, parseCount, parseEffects, parseMissing, parseNList, parseOpenProportion, parseSeed } from '../../simulate/options.js';
import { designEffect, fitClustered } from '../../simulate/power-cluster.js';
import { hsiehSampleSize, pilotStats, powerSteps, smallestAdequateN, type PowerPoint } from '../../simulate/power.js';
import { formatNumber } from '../../util/format.js';
import { makeUi } from '../ui.js';

interface PowerFlags {
  instrument: string;
  effect: string;
  trait?: string;
  outcome?: string;
  prevalence: string;
  n?: string;
  clusters?: string;
  clusterSize?: string;
  icc?: string;
  traitShare?: string;
  reps: string;
  alpha: string;
  seed: string;
  correlation: string;
  missing: string;
  format: string;
}

const TARGET = 0.8;

export function build(): Command {
  return new Command('power')
    .description("power to detect a trait's effect on the outcome in the report's adjusted model, by simulation (with Hsieh's formula alongside)")
    .requiredOption('-i, --instrument <id|file>', 'a built-in instrument id or an instrument file')
    .requiredOption('--effect <trait=OR,...>', 'assumed odds ratios per 1 SD of the scale scores, e.g. trust=1.5,agreement=1.3 (others: 1)')
    .option('-n, --n <n1,n2,...>', 'sample sizes (respondents surveyed) to evaluate, e.g. 100,200,400 (required without --clusters)')
    .option('--clusters <K>', 'a clustered design: K clinicians, the model the report fits with --cluster (random intercept)')
    .option('--cluster-size <m1,m2,...>', 'with --clusters: patients per clinician to evaluate (n = K x m)')
    .option('--icc <rho>', 'with --clusters: latent-scale ICC of the outcome between clinicians', '0.1')
    .option('--trait-share <s>', "with --clusters: share of each trait's variance between clinicians", '0.1')
    .option('--trait <scale>', 'the trait whose effect is tested (default: the first one in --effect)')
    .option('--outcome <item>', 'the yes/no item in no scale that is the outcome (default: the first two-option item in no scale, named on stderr)')
    .option('--prevalence <p>', 'expected share of respondents with the outcome', String(DEFAULTS.prevalence))
    .option('--reps <count>', 'simulated data sets per sample size', '500')
    .option('--alpha <a>', 'significance level of the two-sided Wald test', '0.05')
    .option('--seed <int>', 'random seed (same seed, same result)', String(DEFAULTS.seed))
    .option('--correlation <r>', 'correlation between every pair of latent traits', String(DEFAULTS.correlation))
    .option('--missing <p>', 'share of unanswered item cells', String(DEFAULTS.missing))
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
Each data set is drawn as 'rapport simulate' draws it; the model is the report's adjusted model (all
scales, standardised, on the respondents with the outcome and every score). Power is the share of
data sets in which the trait's p-value is below --alpha, with a Wilson 95% interval.

Example:
  rapport power -i relationship-engagement --effect trust=1.5 --prevalence 0.3 --n 100,200,300,400,600`,
    )
    .action(async function (this: Command) {
      const ui = makeUi(this);
      const f = this.opts<PowerFlags>();
      const effects = parseEffects(f.effect);
      const design = clusteredDesign(f);
      const ns = design ? design.ns : parseNList(f.n ?? '');
      const reps = parseCount(f.reps, '--reps', '500', MAX_REPS);
      const alpha = parseOpenProportion(f.alpha, '--alpha', 'the significance level', '0.05');
      const seed = parseSeed(f.seed);
      const prevalence = parseOpenProportion(f.prevalence, '--prevalence', 'the outcome prevalence', '0.3');
      const correlation = parseCorrelation(f.correlation);
      const missing = parseMissing(f.missing);
      const format = parseChoice(f.format, '--format', ['text', 'json'] as const);
      const inst = loadInstrument(f.instrument);
      const plan = planSimulation(inst, { effects, prevalence, correlation, missing, outcome: f.outcome, ...(design ? { clusters: design.clusters, icc: design.icc, traitShare: design.traitShare } : {}) });
      const traitId = f.trait ?? Object.keys(effects)[0];
      const trait = plan.ci.scales.findIndex((s) => s.id === traitId);
      if (trait < 0) throw new UsageError(`--trait ${traitId}: "${traitId}" is not a scale of instrument ${inst.id}; its scales are ${plan.ci.scales.map((s) => s.id).join(', ')}.`);
      if (plan.outcome < 0) throw new UsageError(`instrument ${inst.id} has no two-option item outside its scales to serve as the outcome, so there is no model whose power could be computed.`);
      if (f.outcome === undefined) ui.info(`rapport power: outcome ${plan.ci.items[plan.outcome].id} (the first two-option item in no scale; --outcome <item> names another).`);

      const pilot = pilotStats(plan, seed);
      const showBar = process.stderr.isTTY === true && !ui.quiet;
      const bar = showBar
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: 'simulating {bar} {percentage}% | {value}/{total} data sets | n = {n} | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      const clustered = design ? { fit: fitClustered, designEffect: (n: number) => designEffect(n / design.clusters, design.icc) } : undefined;
      const spec = { plan, trait, ns, reps, alpha, seed, clustered };
      const it = powerSteps(spec, pilot);
      bar?.start(ns.length * reps, 0, { n: ns[0] });
      const t0 = performance.now();
      let last = t0;
      let points: PowerPoint[];
      try {
        for (;;) {
          const s = it.next();
          if (s.done) {
            points = s.value;
            break;
          }
          const now = performance.now();
          if (now - last > 100) {
            last = now;
            bar?.update(s.value.done, { n: ns[Math.min(ns.length - 1, Math.floor((s.value.done - 1) / reps))] });
            // let the event loop run: progress output, Ctrl-C
            await new Promise((r) => setImmediate(r));
          }
        }
      } finally {
        bar?.stop();
      }
      const seconds = (performance.now() - t0) / 1000;

      const beta = plan.beta[trait];
      const best = smallestAdequateN(points, TARGET);
      const nHsieh = beta !== 0 ? Math.ceil(hsiehSampleSize(TARGET, beta, pilot.p1, pilot.rho2[trait], alpha) / pilot.completeShare) : null;
      const outcomeId = plan.ci.items[plan.outcome].id;
      if (format === 'json') {
        const doc = {
          points,
          trait: traitId,
          outcome: outcomeId,
          smallest_n_reaching_80: best,
          hsieh_n_for_80: nHsieh,
          settings: { instrument: inst.id, instrument_version: inst.version, effects, prevalence, correlation, missing, reps, alpha, seed, ...(design ? { clusters: design.clusters, icc: design.icc, trait_share: design.traitShare } : {}) },
          pilot: { rho2: pilot.rho2[trait], p1: pilot.p1, complete_share: pilot.completeShare, n: pilot.n },
        };
        ui.out(JSON.stringify(doc, null, 2) + '\n');
      } else {
        ui.out(powerText({ points, traitId, outcomeId, orText: formatNumber(effects[traitId] ?? 1), effects, inst: `${inst.id} ${inst.version}`, prevalence, correlation, missing, reps, alpha, seed, best, nHsieh, rho2: pilot.rho2[trait], p1: pilot.p1, completeShare: pilot.completeShare, nScales: plan.K, design }));
      }
      ui.info(`rapport power: ${(ns.length * reps).toLocaleString('en-US')} data sets simulated and fitted in ${seconds.toFixed(1)} s.`);
    });
}

/** --clusters K --cluster-size m1,m2 --icc rho: the grid n = K x m, or null without --clusters. */
function clusteredDesign(f: PowerFlags): { clusters: number; sizes: number[]; ns: number[]; icc: number; traitShare: number } | null {
  if (f.clusters === undefined) {
    if (f.clusterSize !== undefined) throw new UsageError('--cluster-size goes with --clusters <K> (the number of clinicians).');
    if (f.n === undefined) throw new UsageError("required option '-n, --n <n1,n2,...>' not specified (or give --clusters <K> --cluster-size <m>).");
    return null;
  }
  if (f.n !== undefined) throw new UsageError('--n and --clusters do not go together: with --clusters the sample sizes are K x --cluster-size.');
  if (f.clusterSize === undefined) throw new UsageError('--clusters needs --cluster-size <m> (patients per clinician; several as 10,20,40).');
  const clusters = parseCount(f.clusters, '--clusters', '40', 100_000);
  if (clusters < 2) throw new UsageError(`--clusters ${f.clusters}: a clustered design needs at least 2 clinicians (in practice 20 or more).`);
  const sizes = f.clusterSize.split(',').map((x) => parseCount(x.trim(), '--cluster-size', '25', 100_000));
  const c = parseClusterFlags({ clusters: f.clusters, icc: f.icc, traitShare: f.traitShare }, Number.MAX_SAFE_INTEGER);
  const ns = parseNList(sizes.map((m) => m * clusters).join(','));
  return { clusters, sizes: ns.map((n) => n / clusters), ns, icc: c.icc, traitShare: c.traitShare };
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

export function powerText(o: {
  points: PowerPoint[];
  traitId: string;
  outcomeId: string;
  orText: string;
  effects: Record<string, number>;
  inst: string;
  prevalence: number;
  correlation: number;
  missing: number;
  reps: number;
  alpha: number;
  seed: number;
  best: number | null;
  nHsieh: number | null;
  rho2: number;
  p1: number;
  completeShare: number;
  nScales: number;
  design?: { clusters: number; icc: number; traitShare: number } | null;
}): string {
  const lines: string[] = [];
  const effects = Object.entries(o.effects).map(([k, v]) => `${k} ${formatNumber(v)}`).join(', ');
  lines.push(`Power to detect ${o.traitId} (OR ${o.orText} per 1 SD) on ${o.outcomeId}, adjusted for the other ${o.nScales - 1} scales`);
  lines.push(`  instrument ${o.inst} · assumed ORs: ${effects} (others 1) · prevalence ${formatNumber(o.prevalence)}`);
  lines.push(`  trait correlation ${formatNumber(o.correlation)} · ${formatNumber(o.missing * 100)}% unanswered items · ${o.reps} data sets per n · two-sided alpha ${formatNumber(o.alpha)} · seed ${o.seed}`);
  const d = o.design;
  if (d) lines.push(`  ${d.clusters} clinicians · latent ICC of the outcome ${formatNumber(d.icc)} · trait share between clinicians ${formatNumber(d.traitShare)} · fitted: random-intercept logistic model (Laplace), as report --cluster`);
  lines.push('');
  const header = ['n', ...(d ? ['per clinician'] : []), 'in model', 'power', '95% CI', 'Hsieh 1989', ...(d ? ['design effect'] : [])];
  const rows = o.points.map((p) => [String(p.n), ...(d ? [String(p.n / d.clusters)] : []), p.mean_model_n.toFixed(0), f3(p.power), `${f3(p.ci_low)}–${f3(p.ci_high)}`, f3(p.hsieh), ...(d ? [f2(p.design_effect ?? 1)] : [])]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const ciCol = header.indexOf('95% CI');
  const fmt = (r: string[]) => '  ' + r.map((c, j) => (j === ciCol ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('   ');
  lines.push(fmt(header));
  for (const r of rows) lines.push(fmt(r));
  lines.push('');
  if (o.best !== null) {
    const p = o.points.find((q) => q.n === o.best)!;
    lines.push(`Smallest n in the grid reaching 80% power: ${o.best} (power ${f3(p.power)}, 95% CI ${f3(p.ci_low)}–${f3(p.ci_high)}).`);
  } else {
    const top = o.points[o.points.length - 1];
    lines.push(`No n in the grid reaches 80% power (the largest, ${top.n}, gives ${f3(top.power)}); try larger sample sizes.`);
  }
  if (d) {
    lines.push(`Hsieh (1989) here is at the effective sample size n / DE, with the design effect DE = 1 + (m - 1) ρ (m patients per clinician, ρ = ${formatNumber(d.icc)}).`);
    lines.push("  DE is the loss for a clinician-level predictor; a trait that varies mostly within clinicians loses less, so the formula is conservative; trust the simulation.");
  }
  else if (o.nHsieh !== null) {
    lines.push(`Hsieh (1989) with the variance-inflation factor 1/(1 - ρ²): about ${o.nHsieh} surveyed for 80% power`);
    lines.push(`  (ρ² = ${f2(o.rho2)} with the other scales, P₁ = ${f2(o.p1)} at the mean scores, ${formatNumber(Math.round(o.completeShare * 1000) / 10)}% of respondents in the model).`);
  }
  const failed = o.points.reduce((a, p) => a + p.failed, 0);
  const firth = o.points.reduce((a, p) => a + p.firth, 0);
  if (firth > 0) lines.push(`${firth} data sets showed separation or did not converge and were fitted with Firth's method, as the report would.`);
  if (failed > 0) lines.push(`${failed} data sets could not be fitted at all (for example one outcome class) and count as non-detections.`);
  if (Object.entries(o.effects).some(([k, v]) => k !== o.traitId && v !== 1)) {
    lines.push("Hsieh's formula ignores the other traits' effects on the outcome, so it is optimistic when they are strong; trust the simulation.");
  }
  return lines.join('\n') + '\n';
}
