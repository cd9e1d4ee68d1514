/**
 * `rapport simulate --instrument <id|file> --n <N> ...`: synthetic survey responses with a known
 * truth, as a plain CSV or a Qualtrics / REDCap / LimeSurvey export. The shell only: flags are
 * parsed here, the generator (src/simulate/generate.ts) and writers (src/simulate/writers.ts) do the
 * work, and the file is written atomically (stdout for `-`, the default).
 */
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { loadInstrument } from '../../instrument/load.js';
import { openOutput } from '../../io/atomic.js';
import { checkDistinct } from '../../io/output-target.js';
import { CLUSTER_DEFAULTS, DEFAULTS, planSimulation, simulatePausing } from '../../simulate/generate.js';
import { MAX_N, parseChoice, parseClusterFlags, parseCorrelation, parseCount, parseEffects, parseMissing, parseOpenProportion, parseSeed } from '../../simulate/options.js';
import { FORMATS, writeChunks, writeCsv } from '../../simulate/writers.js';
import { phaseBar, SIMULATE_PHASES } from '../progress.js';
import { formatNumber } from '../../util/format.js';
import { makePauser } from '../../util/pause.js';
import { addDeprecatedAlias } from '../input-options.js';
import { makeUi } from '../ui.js';
import { DYAD_OPTION_DEFAULTS, runDyadSimulation, type DyadFlags } from './simulate-dyads.js';

interface SimulateFlags extends DyadFlags {
  dyads?: boolean;
  n: string;
  seed: string;
  effect?: string;
  prevalence: string;
  correlation: string;
  missing: string;
  platform: string;
  out: string;
  clusters?: string;
  icc?: string;
  traitShare?: string;
  outcomeType?: string;
  outcome?: string;
}

export function build(): Command {
  const cmd = new Command('simulate')
    .description('generate realistic synthetic responses for an instrument, with known effects on the outcome')
    .option('-i, --instrument <id|file>', 'a built-in instrument id or an instrument file (with --dyads, the patient form; default relationship-engagement)')
    .requiredOption('-n, --n <N>', 'number of respondents')
    .option('--seed <int>', 'random seed: the same seed gives the same bytes on every machine', String(DEFAULTS.seed))
    .option('--effect <trait=OR,...>', 'odds ratio of the outcome per 1 SD of a scale score, e.g. trust=2.0,agreement=1.6 (others: 1)')
    .option('--outcome <item>', 'the yes/no item drawn as the outcome, in no scale (default: the first two-option item in no scale, named on stderr)')
    .option('--prevalence <p>', 'share of respondents with the outcome', String(DEFAULTS.prevalence))
    .option('--correlation <r>', 'correlation between every pair of latent traits', String(DEFAULTS.correlation))
    .option('--missing <p>', 'share of unanswered item cells (a quarter of them refusals, where the response set has a missing code)', String(DEFAULTS.missing))
    .option('--outcome-type <type>', 'binary (default), or ordinal: the outcome\'s follow-up with 3+ options (portal_frequency) from a proportional-odds model with the same odds ratios')
    .option('--clusters <K>', 'nest the respondents in K clinicians (adds a clinician_id column)')
    .option('--icc <rho>', 'with --clusters: latent-scale ICC of the outcome between clinicians', String(CLUSTER_DEFAULTS.icc))
    .option('--trait-share <s>', 'with --clusters: share of each trait\'s variance between clinicians', String(CLUSTER_DEFAULTS.traitShare))
    .option('--platform <platform>', `survey platform whose export layout to write: ${FORMATS.join(', ')}`, 'plain')
    .option('-o, --out <file>', 'output CSV (- = standard output)', '-')
    .option('--dyads', "patient-clinician pairs: a patient form (--out) and a clinician form (--dyad-out) per visit")
    .option('--dyad-out <file>', 'with --dyads: the clinician forms')
    .option('--dyad-instrument <id|file>', "with --dyads: the clinician's instrument", DYAD_OPTION_DEFAULTS.dyadInstrument)
    .option('--concordance <p>', 'with --dyads: probability that the two sides give the same answer to a paired item', DYAD_OPTION_DEFAULTS.concordance)
    .option('--pair-correlation <r>', "with --dyads: correlation of the patient's and the clinician's latent trait", DYAD_OPTION_DEFAULTS.pairCorrelation)
    .option('--per-clinician <m>', 'with --dyads: visits per clinician', DYAD_OPTION_DEFAULTS.perClinician)
    .addHelpText(
      'after',
      `
Examples:
  rapport simulate --instrument relationship-engagement --n 400 --seed 2026 \\
      --effect trust=2.0,agreement=1.6,communication=1.4 --prevalence 0.35 --platform qualtrics --out sample.csv
  rapport simulate -i relationship-engagement -n 50 --platform redcap | head
  rapport simulate --dyads --n 600 --out patients.csv --dyad-out clinicians.csv \\
      --effect trust.agreement=2.0,trust.disagreement_curvature=0.7 --concordance 0.6`,
    )
    .action(async function (this: Command) {
      const ui = makeUi(this);
      const f = this.opts<SimulateFlags>();
      // Flags first (exit 2), then the instrument (65/66), then the output (73).
      const n = parseCount(f.n, '--n', '400', MAX_N);
      const seed = parseSeed(f.seed);
      const effects = f.effect !== undefined ? parseEffects(f.effect) : {};
      const prevalence = parseOpenProportion(f.prevalence, '--prevalence', 'the outcome prevalence', '0.3');
      const correlation = parseCorrelation(f.correlation);
      const missing = parseMissing(f.missing);
      const outcomeType = f.outcomeType === undefined ? undefined : (parseChoice(f.outcomeType, '--outcome-type', ['binary', 'ordinal']) as 'binary' | 'ordinal');
      if (f.dyads && outcomeType === 'ordinal') throw new UsageError('--outcome-type ordinal is not available with --dyads; drop one of the two.');
      if (f.dyads) return runDyadSimulation(f, { n, seed, prevalence, correlation, missing, platform: f.platform }, ui);
      const format = parseChoice(f.platform, '--platform', FORMATS);
      if (f.instrument === undefined) throw new UsageError("required option '-i, --instrument <id|file>' not specified; name a built-in instrument or a file, e.g. --instrument relationship-engagement.");
      const cluster = parseClusterFlags(f, n);
      checkDistinct([{ flag: '--instrument', path: f.instrument }], [{ flag: '--out', path: f.out }]);
      const inst = loadInstrument(f.instrument);
      const plan = planSimulation(inst, { effects, prevalence, correlation, missing, ...cluster, outcomeType, outcome: f.outcome });
      const sink = await openOutput(f.out);
      // Long runs pause every 100 ms so Ctrl-C and SIGTERM are handled at once (exit 130, no temporary file).
      const pause = makePauser();
      // Not over a CSV going to the same terminal.
      const bar = phaseBar(ui, 'simulate', SIMULATE_PHASES, process.stderr, !(f.out === '-' && process.stdout.isTTY === true));
      try {
        bar.phase('simulating');
        const data = await simulatePausing(plan, n, seed, pause, (done, total) => bar.within(done, total));
        bar.phase('writing');
        let chunks = 0;
        for (const chunk of writeCsv(plan, data, format, seed)) {
          await sink.write(chunk);
          bar.within(++chunks, writeChunks(n));
          await pause();
        }
        await sink.commit();
      } catch (err) {
        await sink.abort();
        throw err;
      } finally {
        bar.stop();
      }
      const outcome = plan.outcome >= 0 ? plan.ci.items[plan.outcome].id : undefined;
      const eff = plan.ci.scales.filter((_, k) => plan.beta[k] !== 0).map((s) => `${s.id} OR ${formatNumber(effects[s.id])}`);
      ui.info(
        `rapport simulate: ${n.toLocaleString('en-US')} respondents of ${inst.id} ${inst.version} (${format}, seed ${seed}) → ${f.out === '-' ? 'standard output' : f.out}` +
          (outcome
            ? `\n  outcome ${outcome}${f.outcome === undefined ? ' (the first two-option item in no scale; --outcome <item> names another)' : ''}: prevalence ${formatNumber(prevalence)}; ${eff.length ? eff.join(', ') : 'no trait effects'} per 1 SD of the scale score` +
              (plan.ordinal >= 0 ? `\n  ordinal outcome ${plan.ci.items[plan.ordinal].id}: proportional odds with the same odds ratios, ${outcome} = above its lowest option` : '')
            : '\n  no two-option item outside the scales, so no outcome model') +
          (cluster.clusters ? `\n  ${cluster.clusters} clinicians: latent ICC of the outcome ${formatNumber(cluster.icc)}, trait share between clinicians ${formatNumber(cluster.traitShare)}` : ''),
      );
    });
  // The old spelling (simulate --format) keeps working, with a notice; the choices are checked above.
  return addDeprecatedAlias(cmd, { flags: '--format <platform>', attribute: 'format', target: '--platform', targetAttribute: 'platform' });
}
