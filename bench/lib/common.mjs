// Shared by the benchmarks: a seeded PRNG, a buffered writer for generated data, and a timed child run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** mulberry32: a small seeded PRNG (uniform in [0, 1)), so every run generates the same data. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Write text to a file in 1 MiB blocks. */
export function bufferedFile(file) {
  const fd = fs.openSync(file, 'w');
  let buf = '';
  return {
    write(s) {
      buf += s;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    },
    close() {
      fs.writeSync(fd, buf);
      fs.closeSync(fd);
    },
  };
}

const hasTime = fs.existsSync('/usr/bin/time');

/**
 * Run `cmd args` in `cwd`; wall seconds, CPU seconds (user + system) and peak RSS (MB), the last two via
 * /usr/bin/time when present (NaN otherwise). Exits on failure. On a shared machine the CPU time is
 * the steadier measure: wall time includes waiting for a core.
 */
export function measure(label, cmd, args, cwd) {
  const argv = hasTime ? ['-f', 'RSSKB=%M CPU=%U+%S', cmd, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(hasTime ? '/usr/bin/time' : cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    console.error(`${label} failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(1);
  }
  const m = /RSSKB=(\d+)/.exec(r.stderr ?? '');
  const c = /CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  return { secs, cpu: c ? Number(c[1]) + Number(c[2]) : NaN, rssMB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}
