// Placeholder until the 'report' command lands; replaced by its implementation.
import { Command } from 'commander';
import { UsageError } from '../../errors.js';

export function build(): Command {
  return new Command('report').description('(not available yet)').allowUnknownOption().allowExcessArguments().action(() => {
    throw new UsageError("'rapport report' is not available in this build yet.");
  });
}
