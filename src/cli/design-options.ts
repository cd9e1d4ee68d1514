/**
 * `rapport report`'s sampling-design options (--weights, --strata, --replicate-weights,
 * --replicate-type) and --pool-small: defined here, added to the command by one call, and turned into
 * the loader's DesignRequest (src/report/design-load.ts). A --cluster column, when the command has
 * one, is the design's primary sampling unit.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { DesignRequest } from '../report/design-load.js';

export interface DesignFlags {
  weights?: string;
  strata?: string;
  replicateWeights?: string;
  replicateType?: 'jk1';
  poolSmall?: boolean;
  cluster?: string;
}

export function addDesignOptions(cmd: Command): Command {
  return cmd
    .option('--weights <column>', 'sampling weights: design-based (weighted) estimates, as survey::svyglm and svymean')
    .option('--strata <column>', 'with --weights: the sampling strata')
    .option('--replicate-weights <prefix>', 'with --weights: replicate weight columns <prefix>1, <prefix>2, ... for the variance')
    .addOption(new Option('--replicate-type <type>', 'how the replicate weights were made').choices(['jk1']).default('jk1'))
    .option('--pool-small', 'with --group-by: show the groups under --min-cell together as "other" (when together they reach it) instead of suppressing them');
}

/** The loader's design request, or undefined without --weights. */
export function designRequest(flags: DesignFlags, cmd: Command): DesignRequest | undefined {
  const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  if (flags.weights === undefined) {
    const orphan = flags.strata !== undefined ? '--strata' : flags.replicateWeights !== undefined ? '--replicate-weights' : given('replicateType') ? '--replicate-type' : null;
    if (orphan) throw new UsageError(`${orphan} describes the sampling design and needs --weights <column> (the sampling weights).`);
    return undefined;
  }
  if (given('replicateType') && flags.replicateWeights === undefined) throw new UsageError('--replicate-type goes with --replicate-weights <prefix>.');
  return {
    weights: flags.weights,
    strata: flags.strata,
    cluster: flags.cluster,
    replicateWeights: flags.replicateWeights,
    replicateType: flags.replicateWeights !== undefined ? flags.replicateType ?? 'jk1' : undefined,
  };
}
