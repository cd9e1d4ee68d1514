// Placeholder until the 'power' command lands; replaced by its implementation.
import { Command } from 'commander';
import { UsageError } from '../../errors.js';

export function build(): Command {
  return new Command('power').description('(not available yet)').allowUnknownOption().allowExcessArguments().action(() => {
    throw new UsageError("'rapport power' is not available in this build yet.");
  });
}
