// Placeholder until the 'run' command lands; replaced by its implementation.
import { Command } from 'commander';
import { UsageError } from '../../errors.js';

export function build(): Command {
  return new Command('run').description('(not available yet)').allowUnknownOption().allowExcessArguments().action(() => {
    throw new UsageError("'rapport run' is not available in this build yet.");
  });
}
