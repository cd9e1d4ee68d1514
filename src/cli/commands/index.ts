/** The command table: one module per command, each exporting `build(): Command`. */
import type { Command } from 'commander';
import * as instruments from './instruments.js';
import * as score from './score.js';
import * as report from './report.js';
import * as run from './run.js';
import * as simulate from './simulate.js';
import * as power from './power.js';

export interface CommandModule {
  build(): Command;
}

export const commands: CommandModule[] = [instruments, run, score, report, simulate, power];
