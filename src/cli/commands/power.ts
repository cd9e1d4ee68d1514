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
import { MAX_REPS, parseChoice, parseCorrelation, parseCount, parseEffects, parseMissing, parseNList, parseOpenProportion, parseSeed } from '../../simulate/options.js';
import { hsiehSampleSize, pilotStats, powerSteps, smallestAdequateN, type PowerPoint } from '../../simulate/power.js';
import { formatNumber } from '../../util/format.js';
import { makeUi } from '../ui.js';

interface PowerFlags {
  instrument: string;
  effect: string;
  trait?: string;
  outcome?: string;
  prevalence: string;
  n: string;
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
    .requiredOption('-n, --n <n1,n2,...>', 'sample sizes (respondents surveyed) to evaluate, e.g. 100,200,400')
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
      const ns = parseNList(f.n);
      const reps = parseCount(f.reps, '--reps', '500', MAX_REPS);
      const alpha = parseOpenProportion(f.alpha, '--alpha', 'the significance level', '0.05');
      const seed = parseSeed(f.seed);
      const prevalence = parseOpenProportion(f.prevalence, '--prevalence', 'the outcome prevalence', '0.3');
      const correlation = parseCorrelation(f.correlation);
      const missing = parseMissing(f.missing);
      const format = parseChoice(f.format, '--format', ['text', 'json'] as const);
      const inst = loadInstrument(f.instrument);
      const plan = planSimulation(inst, { effects, prevalence, correlation, missing, outcome: f.outcome });
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
      const spec = { plan, trait, ns, reps, alpha, seed };
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
          settings: { instrument: inst.id, instrument_version: inst.version, effects, prevalence, correlation, missing, reps, alpha, seed },
          pilot: { rho2: pilot.rho2[trait], p1: pilot.p1, complete_share: pilot.completeShare, n: pilot.n },
        };
        ui.out(JSON.stringify(doc, null, 2) + '\n');
      } else {
        ui.out(powerText({ points, traitId, outcomeId, orText: formatNumber(effects[traitId] ?? 1), effects, inst: `${inst.id} ${inst.version}`, prevalence, correlation, missing, reps, alpha, seed, best, nHsieh, rho2: pilot.rho2[trait], p1: pilot.p1, completeShare: pilot.completeShare, nScales: plan.K }));
      }
      ui.info(`rapport power: ${(ns.length * reps).toLocaleString('en-US')} data sets simulated and fitted in ${seconds.toFixed(1)} s.`);
    });
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
}): string {
  const lines: string[] = [];
  const effects = Object.entries(o.effects).map(([k, v]) => `${k} ${formatNumber(v)}`).join(', ');
  lines.push(`Power to detect ${o.traitId} (OR ${o.orText} per 1 SD) on ${o.outcomeId}, adjusted for the other ${o.nScales - 1} scales`);
  lines.push(`  instrument ${o.inst} · assumed ORs: ${effects} (others 1) · prevalence ${formatNumber(o.prevalence)}`);
  lines.push(`  trait correlation ${formatNumber(o.correlation)} · ${formatNumber(o.missing * 100)}% unanswered items · ${o.reps} data sets per n · two-sided alpha ${formatNumber(o.alpha)} · seed ${o.seed}`);
  lines.push('');
  const header = ['n', 'in model', 'power', '95% CI', 'Hsieh 1989'];
  const rows = o.points.map((p) => [String(p.n), p.mean_model_n.toFixed(0), f3(p.power), `${f3(p.ci_low)}–${f3(p.ci_high)}`, f3(p.hsieh)]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const fmt = (r: string[]) => '  ' + r.map((c, j) => (j === 3 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('   ');
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
  if (o.nHsieh !== null) {
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
