// Placeholder until the 'simulate' command lands; replaced by its implementation.
import { Command } from 'commander';
import { UsageError } from '../../errors.js';

export function build(): Command {
  return new Command('simulate').description('(not available yet)').allowUnknownOption().allowExcessArguments().action(() => {
    throw new UsageError("'rapport simulate' is not available in this build yet.");
  });
}
