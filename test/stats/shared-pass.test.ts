/**
 * Newton passes shared between two threads (src/stats/shared-pass.ts): the owner's result must be
 * the same bit for bit whether a helper thread computed some blocks or none, and the same as the
 * single-thread pass (blocks summed in order either way). The helper runs the compiled module
 * (dist/, built by `npm test`) in a real worker thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { dominance } from '../../src/stats/dominance.js';
import { newtonPass } from '../../src/stats/newton.js';
import { createPassChannel, helpPass, ownerPool } from '../../src/stats/shared-pass.js';
import { Rng } from '../../src/stats/rng.js';

const DIST = path.resolve(__dirname, '../../dist/stats/shared-pass.js');

function data(n: number) {
  const rng = new Rng(20261203);
  const rnd = () => rng.uniform();
  const num: Record<string, Float64Array> = { a: new Float64Array(n), b: new Float64Array(n), c: new Float64Array(n) };
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    num.a[i] = Math.round(rnd() * 16) / 4;
    num.b[i] = rnd() * 2 - 1;
    num.c[i] = num.a[i] * 0.3 + rnd();
    y[i] = rnd() < 1 / (1 + Math.exp(-(-1 + 0.4 * num.a[i] - 0.8 * num.b[i]))) ? 1 : 0;
  }
  return buildDesign({ numeric: num, outcome: y, shared: true });
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBe(true);
};

describe('shared Newton passes', () => {
  it('without a helper, the owner pool gives exactly the single-thread pass', () => {
    const X = data(70_000); // 5 blocks of 16384 rows
    const ch = createPassChannel(X.data, X.y!, X.n, X.p);
    const beta = Float64Array.from([-0.9, 0.35, -0.7, 0.05]);
    const a = newtonPass(X.data, X.n, X.p, X.y!, beta);
    const b = ownerPool(ch).pass(X.data, X.n, X.p, X.y!, beta, null)!;
    expect(a.dev).toBe(b.dev);
    same(a.A, b.A);
    same(a.g, b.g);
    expect(helpPass(ch)).toBe(false); // every pass is over and claimed
  });

  it('refuses what it cannot share: another design, or frequency weights', () => {
    const X = data(40_000);
    const ch = createPassChannel(X.data, X.y!, X.n, X.p);
    const pool = ownerPool(ch);
    const beta = new Float64Array(X.p);
    expect(pool.pass(X.data.slice(), X.n, X.p, X.y!, beta, null)).toBeNull();
    expect(pool.pass(X.data, X.n, X.p, X.y!, beta, new Float64Array(X.n).fill(1))).toBeNull();
    expect(() => createPassChannel(X.data.slice(), X.y!, X.n, X.p)).toThrow(/shared memory/);
  });

  it.skipIf(!fs.existsSync(DIST))('with a helper thread, a dominance analysis is identical to the single-thread one', async () => {
    const X = data(120_000);
    const ch = createPassChannel(X.data, X.y!, X.n, X.p);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const helper = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       import(workerData.url).then((m) => {
         const { ch, stop } = workerData;
         let helped = 0;
         parentPort.postMessage('ready');
         while (Atomics.load(stop, 0) === 0) {
           const seen = m.bellValue(ch);
           if (m.helpPass(ch)) helped++;
           else m.waitForBell(ch, seen, 20);
         }
         parentPort.postMessage(helped);
       });`,
      { eval: true, workerData: { url: pathToFileURL(DIST).href, ch, stop } },
    );
    const messages: unknown[] = [];
    const ready = new Promise<void>((res) => helper.on('message', (m) => (messages.push(m), m === 'ready' && res())));
    await ready;
    const traits = ['a', 'b', 'c'];
    const shared = dominance(X, X.y!, traits, { epsilon: 1e-8, termTests: true, pool: ownerPool(ch) });
    Atomics.store(stop, 0, 1);
    Atomics.add(ch.ctl, 4, 1);
    Atomics.notify(ch.ctl, 4);
    const done = new Promise<void>((res) => helper.on('exit', () => res()));
    const helped = await new Promise<number>((res) => helper.on('message', (m) => typeof m === 'number' && res(m)));
    await helper.terminate();
    await done;
    const single = dominance(X, X.y!, traits, { epsilon: 1e-8, termTests: true });
    expect(shared.ok && single.ok).toBe(true);
    if (!shared.ok || !single.ok) return;
    same(shared.traits.map((t) => t.general), single.traits.map((t) => t.general));
    expect(shared.r2Full).toBe(single.r2Full);
    same(shared.termTests!.map((t) => t.statistic), single.termTests!.map((t) => t.statistic));
    // How many passes the helper joined depends on the machine's load; the numbers above may not.
    void helped;
  });
});
