/**
 * The command table: one module per command, each exporting `build(): Command`. Modules are loaded
 * lazily, so `rapport score` does not pay for the prompt library or the statistics code at start-up.
 */
import type { Command } from 'commander';

export interface CommandModule {
  build(): Command;
}

export interface CommandEntry {
  name: string;
  load(): Promise<CommandModule>;
}

export const commands: CommandEntry[] = [
  { name: 'instruments', load: () => import('./instruments.js') },
  { name: 'run', load: () => import('./run.js') },
  { name: 'kiosk-pin', load: () => import('./kiosk-pin.js') },
  { name: 'score', load: () => import('./score.js') },
  { name: 'report', load: () => import('./report.js') },
  { name: 'map', load: () => import('./map.js') },
  { name: 'simulate', load: () => import('./simulate.js') },
  { name: 'power', load: () => import('./power.js') },
];
