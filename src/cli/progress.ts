/**
 * A progress bar by phases on stderr for `report` and `simulate` (cli-progress, as `score`'s bar):
 * shown only when stderr is a terminal and --quiet is not given; otherwise every call does nothing.
 * Each phase owns a stretch of the bar; `within` moves inside the current phase (bytes read, rows
 * drawn). The bar is cleared when the command ends, so the terminal keeps only the results.
 */
import cliProgress from 'cli-progress';
import type { Ui } from './ui.js';

export interface PhaseBar {
  /** Enter a phase (it must be one of the bar's phases; later phases only). */
  phase(name: string): void;
  /** Progress inside the current phase, as done / total (ignored when total is unknown or 0). */
  within(done: number, total: number | undefined): void;
  /** Clear the bar (also on failure). */
  stop(): void;
}

const SILENT: PhaseBar = { phase: () => {}, within: () => {}, stop: () => {} };

/**
 * A bar for `command` over `phases`, each with its share of the bar (weights, any scale).
 * `stream.isTTY` decides (tests pass a terminal's stream); `ui.quiet` turns it off, and so does
 * `enabled` false (simulate writing its CSV to the same terminal).
 */
export function phaseBar(ui: Ui, command: string, phases: [string, number][], stream: NodeJS.WriteStream = process.stderr, enabled = true): PhaseBar {
  if (!enabled || ui.quiet || stream.isTTY !== true) return SILENT;
  const total = phases.reduce((a, [, w]) => a + w, 0);
  const starts = new Map<string, { start: number; width: number }>();
  let acc = 0;
  for (const [name, w] of phases) {
    starts.set(name, { start: (100 * acc) / total, width: (100 * w) / total });
    acc += w;
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `${command} [{bar}] {percentage}% | {phase}`, clearOnComplete: true, hideCursor: true, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let current = phases[0][0];
  let value = 0;
  bar.start(100, 0, { phase: current });
  const move = (v: number) => {
    value = Math.max(value, Math.min(100, Math.round(v)));
    bar.update(value, { phase: current });
  };
  let stopped = false;
  return {
    phase: (name) => {
      const p = starts.get(name);
      if (!p || stopped) return;
      current = name;
      move(p.start);
    },
    within: (done, of) => {
      const p = starts.get(current);
      if (!p || stopped || of === undefined || of <= 0) return;
      move(p.start + (p.width * Math.min(done, of)) / of);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** The phases of `rapport report` (weights: the share of a typical run's time). */
export const REPORT_PHASES: [string, number][] = [
  ['reading', 40],
  ['scoring', 10],
  ['models', 25],
  ['dominance', 20],
  ['writing', 5],
];

/** The phases of `rapport simulate`. */
export const SIMULATE_PHASES: [string, number][] = [
  ['simulating', 60],
  ['writing', 40],
];
