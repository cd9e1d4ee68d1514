/**
 * Worker thread for the report's two long, independent computations (see parallel.ts): the dominance
 * analysis (2^p logistic fits) and the one-trait models. Jobs arrive on the parent port and run in
 * order; each result goes back on the job's own port, then the job's shared flag is set (1 = result
 * posted, 2 = failed) and the main thread, blocked in Atomics.wait, wakes.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { dominance, type DesignMatrix } from '../stats/index.js';
import { ownerPool, ringBell, type SharedPassChannel } from '../stats/shared-pass.js';
import { dominanceOptions } from './analyze.js';
import { unadjustedModels } from './sections/unadjusted.js';
import type { Method } from './types.js';

type Job =
  | { kind: 'dominance'; X: DesignMatrix; y: Float64Array; traits: string[]; epsilon: number; channel: SharedPassChannel | null; port: MessagePort; flag: Int32Array }
  | { kind: 'unadjusted'; traits: Float64Array[]; y: Float64Array; rawUnits: boolean; method: Method; port: MessagePort; flag: Int32Array };

parentPort!.on('message', (job: Job) => {
  let state: 1 | 2 = 1;
  try {
    const result =
      job.kind === 'dominance'
        ? dominance(job.X, job.y, job.traits, { ...dominanceOptions(job.epsilon), pool: job.channel ? ownerPool(job.channel) : null })
        : unadjustedModels(job.traits, job.y, job.rawUnits, job.method);
    job.port.postMessage({ result });
  } catch (err) {
    job.port.postMessage({ error: (err as Error)?.message ?? String(err) });
    state = 2;
  }
  job.port.close();
  Atomics.store(job.flag, 0, state);
  Atomics.notify(job.flag, 0);
  if (job.kind === 'dominance' && job.channel) ringBell(job.channel); // the main thread may be waiting on the bell
});
