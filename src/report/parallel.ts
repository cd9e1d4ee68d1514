/**
 * Running the dominance analysis and the one-trait models in a worker thread while the main thread does
 * the rest of the report (reliability, descriptives, the adjusted model's diagnostics). The worker runs
 * the same functions on the same data, so the output does not depend on whether it was used. analyze()
 * stays synchronous: a getter blocks on a shared flag (Atomics.wait) and then reads the reply
 * synchronously (receiveMessageOnPort). If the worker fails, the work is done inline instead.
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { DesignMatrix } from '../stats/index.js';
import { bellValue, createPassChannel, helpPass, waitForBell, type SharedPassChannel } from '../stats/shared-pass.js';
import { inlineOffload, type Offload } from './analyze.js';

/** `a` in a SharedArrayBuffer (posted to a worker without copying): itself, or a copy. */
function shared(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** A worker started ahead of need by prewarmWorker (taken by the next workerOffload). */
let spare: Worker | null = null;

/** Inputs at least this large start the worker while they are read (about 300,000 rows of a survey). */
const PREWARM_MIN_BYTES = 16 * 1024 * 1024;

/**
 * Start the worker thread while a large input file is read, so that it has loaded its modules by the
 * time the dominance analysis is posted to it (the worker is idle until then, and unref'd: it never
 * keeps the process alive). Does nothing for small or unknown inputs, or when workers are off.
 */
export function prewarmWorker(input: string): void {
  if (spare || process.env.RAPPORT_REPORT_WORKER === '0' || input === '-') return;
  const url = new URL('./worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.js') || !fs.existsSync(fileURLToPath(url))) return;
  try {
    const st = fs.statSync(input);
    if (!st.isFile() || st.size < PREWARM_MIN_BYTES) return;
    spare = new Worker(url);
    spare.unref();
    spare.on('error', () => {
      spare = null;
    });
  } catch {
    spare = null;
  }
}

/** Jobs smaller than this (rows x columns) are not worth a thread. */
const WORKER_MIN_CELLS = 200_000;

export interface WorkerOffload extends Offload {
  /** Stop the worker (call when the analysis is over). */
  close(): void;
  /** Jobs that ran in the worker (for --debug). */
  readonly jobsInWorker: number;
  /** Passes of the worker's fits that the main thread helped compute while it waited (for --debug). */
  readonly passesHelped: number;
}

/**
 * An Offload that uses one worker thread for large jobs (`mode` 'auto'), for every job ('always'), or
 * never ('never'). Falls back to inline work when the compiled worker script is not there (running from
 * the TypeScript sources, as under vitest).
 */
export function workerOffload(mode: 'auto' | 'always' | 'never' = 'auto'): WorkerOffload {
  const url = new URL('./worker.js', import.meta.url);
  const available = mode !== 'never' && import.meta.url.endsWith('.js') && fs.existsSync(fileURLToPath(url));
  let worker: Worker | null = null;
  let broken = false;
  let jobsInWorker = 0;
  let passesHelped = 0;
  const getWorker = (): Worker | null => {
    if (broken) return null;
    if (!worker && spare) {
      worker = spare;
      spare = null;
      worker.on('error', () => {
        broken = true;
      });
    }
    if (!worker) {
      try {
        worker = new Worker(url);
        worker.unref();
        worker.on('error', () => {
          broken = true;
        });
      } catch {
        broken = true;
        return null;
      }
    }
    return worker;
  };

  /** Post a job; the getter waits for its reply, or computes `inline()` when the worker failed. */
  function submit<T>(job: Record<string, unknown>, transfer: ArrayBuffer[], inline: () => T, channel: SharedPassChannel | null = null): () => T {
    const w = getWorker();
    if (!w) return inline;
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    try {
      w.postMessage({ ...job, port: port2, flag }, [port2, ...transfer]);
    } catch {
      port1.close();
      return inline;
    }
    return (): T => {
      // 1 = done, 2 = failed; poll so that a worker that died cannot hang the run. With a pass
      // channel, the waiting thread computes blocks of the worker's passes meanwhile.
      while (Atomics.load(flag, 0) === 0 && !broken) {
        if (!channel) {
          Atomics.wait(flag, 0, 0, 250);
          continue;
        }
        const seen = bellValue(channel);
        if (helpPass(channel)) passesHelped++;
        else if (Atomics.load(flag, 0) === 0) waitForBell(channel, seen, 250);
      }
      const msg = Atomics.load(flag, 0) === 1 ? receiveMessageOnPort(port1) : undefined;
      port1.close();
      const m = msg?.message as { result?: T } | undefined;
      if (m && m.result !== undefined) {
        jobsInWorker++;
        return m.result;
      }
      return inline();
    };
  }

  const big = (cells: number) => available && (mode === 'always' || cells >= WORKER_MIN_CELLS);
  // The design goes to the worker in shared memory (analyze() builds it there) instead of as a
  // structured clone on both sides (0.4 s on 1M rows x 7 columns); neither thread writes to it.
  const sharedDesign = (X: DesignMatrix): DesignMatrix => ({ ...X, data: shared(X.data), rows: new Uint32Array(0), y: X.y ? shared(X.y) : undefined });
  return {
    dominance(X, y, traits, epsilon) {
      if (!big(X.n * X.p)) return inlineOffload.dominance(X, y, traits, epsilon);
      const S = sharedDesign(X);
      const Y = y === X.y ? S.y! : shared(y);
      // The main thread, once it waits for the result, computes blocks of the worker's passes.
      const channel = createPassChannel(S.data, Y, S.n, S.p);
      return submit({ kind: 'dominance', X: S, y: Y, traits, epsilon, channel }, [], inlineOffload.dominance(X, y, traits, epsilon), channel);
    },
    unadjusted(traits, y, rawUnits, method) {
      // On two cores the main thread has less left to do than the worker (2^p fits), so the one-trait
      // models stay inline unless a worker is forced (mode 'always', used by the tests).
      if (mode !== 'always' || !big(y.length * (traits.length + 1))) return inlineOffload.unadjusted(traits, y, rawUnits, method);
      return submit({ kind: 'unadjusted', traits, y, rawUnits, method }, [], inlineOffload.unadjusted(traits, y, rawUnits, method));
    },
    close() {
      if (worker) void worker.terminate();
      worker = null;
    },
    get jobsInWorker() {
      return jobsInWorker;
    },
    get passesHelped() {
      return passesHelped;
    },
  };
}
