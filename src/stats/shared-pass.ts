/**
 * Newton passes shared between two threads through shared memory: the thread that runs a long series
 * of fits (the owner: the report's dominance worker) publishes each pass, and another thread with
 * nothing left to do (the helper: the report's main thread, once it waits for the owner's result)
 * computes some of its blocks. Blocks are claimed one at a time from a shared counter, each block's
 * partial sums go to its own slot, and the owner adds the slots in block order (newton.ts
 * sumPartials), so the numbers do not depend on who computed what, nor on whether anyone helped.
 *
 * Protocol (all on `ctl`, seq-cst Atomics): the owner writes beta, sets NEXT = 0, then increments SEQ
 * (pass s) and rings BELL. A helper that sees pass s joins it only by moving CLAIM from s - 1 to s;
 * the owner, after its own blocks, tries the same move: if it succeeds nobody joined, otherwise it
 * waits until DONE = s. So CLAIM = s - 1 whenever pass s starts, a helper never works on a pass the
 * owner has left, and the owner never reuses beta or the slots while a helper is in them.
 */
import { blockCount, computePartial, partialSize, sumPartials, type NewtonState, type PassPool } from './newton.js';

const SEQ = 0;
const NEXT = 1;
const CLAIM = 2;
const DONE = 3;
const BELL = 4;
const P = 5;
const CTL = 6;

/** What both threads share: the design, the outcome, and the pass's control words, beta and slots. */
export interface SharedPassChannel {
  data: Float64Array;
  y: Float64Array;
  n: number;
  maxP: number;
  ctl: Int32Array;
  beta: Float64Array;
  partials: Float64Array;
}

const sharedF64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n)));

/** A channel for passes over `data` (n rows of maxP columns) and `y`, both in shared memory. */
export function createPassChannel(data: Float64Array, y: Float64Array, n: number, maxP: number): SharedPassChannel {
  if (!(data.buffer instanceof SharedArrayBuffer) || !(y.buffer instanceof SharedArrayBuffer))
    throw new RangeError('createPassChannel: the design and the outcome must be in shared memory.');
  return {
    data,
    y,
    n,
    maxP,
    ctl: new Int32Array(new SharedArrayBuffer(4 * CTL)),
    beta: sharedF64(maxP),
    partials: sharedF64(blockCount(n) * partialSize(maxP)),
  };
}

/** Claim and compute blocks of the current pass until none is left. */
function work(ch: SharedPassChannel, p: number, nBlocks: number): void {
  const size = partialSize(p);
  const beta = ch.beta.subarray(0, p);
  for (let b = Atomics.add(ch.ctl, NEXT, 1); b < nBlocks; b = Atomics.add(ch.ctl, NEXT, 1))
    computePartial(ch.data, ch.n, p, ch.y, beta, null, b, ch.partials, b * size);
}

/** Ring the helper's bell (a new pass, or the owner's work is over). */
export function ringBell(ch: SharedPassChannel): void {
  Atomics.add(ch.ctl, BELL, 1);
  Atomics.notify(ch.ctl, BELL);
}

/** The owner's side: a PassPool taking the unweighted passes over the channel's own design. */
export function ownerPool(ch: SharedPassChannel): PassPool {
  return {
    pass(data: Float64Array, n: number, p: number, y: Float64Array, beta: Float64Array, weights: Float64Array | null): NewtonState | null {
      if (data !== ch.data || y !== ch.y || n !== ch.n || weights !== null || p > ch.maxP) return null;
      const nBlocks = blockCount(n);
      if (nBlocks < 2) return null;
      ch.beta.set(beta);
      Atomics.store(ch.ctl, P, p);
      Atomics.store(ch.ctl, NEXT, 0);
      const s = Atomics.add(ch.ctl, SEQ, 1) + 1;
      ringBell(ch);
      work(ch, p, nBlocks);
      if (Atomics.compareExchange(ch.ctl, CLAIM, s - 1, s) !== s - 1) {
        while (Atomics.load(ch.ctl, DONE) !== s) Atomics.wait(ch.ctl, DONE, Atomics.load(ch.ctl, DONE), 50);
      }
      return sumPartials(ch.partials, nBlocks, p, beta);
    },
  };
}

/**
 * The helper's side: join the owner's current pass if there is one not yet joined; returns whether
 * it did. Call it in a loop with waitForBell() between calls.
 */
export function helpPass(ch: SharedPassChannel): boolean {
  const s = Atomics.load(ch.ctl, SEQ);
  if (s === 0 || Atomics.compareExchange(ch.ctl, CLAIM, s - 1, s) !== s - 1) return false;
  work(ch, Atomics.load(ch.ctl, P), blockCount(ch.n));
  Atomics.store(ch.ctl, DONE, s);
  Atomics.notify(ch.ctl, DONE);
  return true;
}

/** The bell's current value (read it before checking for work, then wait on it). */
export const bellValue = (ch: SharedPassChannel): number => Atomics.load(ch.ctl, BELL);

/** Sleep until the bell rings after `seen`, or `ms` milliseconds. */
export function waitForBell(ch: SharedPassChannel, seen: number, ms: number): void {
  Atomics.wait(ch.ctl, BELL, seen, ms);
}
