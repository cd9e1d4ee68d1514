/**
 * Fuzzing the instrument loader (issue #8): random byte flips, truncation at every position, inserted
 * quotes, NUL bytes, huge fields, deep nesting and alias bombs. Property: loading either returns a
 * valid instrument or throws an InstrumentError (exit 65) — never anything else, and never hangs.
 * `FUZZ_LONG=1 npm run fuzz` runs many more cases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RapportError } from '../../src/errors.js';
import { instrumentFromText } from '../../src/instrument/load.js';
import { INSTRUMENTS_DIR } from '../../src/paths.js';
import { rapport, tmpDir } from '../helpers/cli.js';

const LONG = process.env.FUZZ_LONG === '1';
const RUNS = LONG ? 20_000 : 400;
const seed = Number(process.env.FUZZ_SEED ?? 20261125);

const source = fs.readFileSync(path.join(INSTRUMENTS_DIR, 'relationship-engagement.yaml'), 'utf8');
const small = `rapport: 1
id: s
version: "1"
title: S
response_sets:
  r: {options: [{value: 1, label: A}, {value: 2, label: B}], missing: [{value: 9, label: N}]}
items:
  - {id: i1, text: "one, two", response_set: r, reverse: true}
  - {id: i2, text: 'it''s', response_set: r}
scales:
  - {id: s1, items: [i1, i2], min_answered: "50%"}
`;

/** Load and classify: 'ok', or the error's exit code; anything but a RapportError fails the property. */
function outcome(text: string): 'ok' | number {
  try {
    instrumentFromText(text, 'fuzz.yaml');
    return 'ok';
  } catch (e) {
    if (!(e instanceof RapportError)) throw new Error(`uncaught ${(e as Error)?.name}: ${(e as Error)?.message}`);
    expect(e.exitCode).toBe(65);
    expect(e.message).not.toMatch(/\n\s+at /);
    return e.exitCode;
  }
}

const mutation = (text: string) =>
  fc.oneof(
    // flip one byte
    fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => text.slice(0, i) + String.fromCharCode(b) + text.slice(i + 1)),
    // truncate
    fc.nat(text.length).map((i) => text.slice(0, i)),
    // insert quotes, NUL, brackets, tabs, anchors and aliases
    fc.tuple(fc.nat(text.length), fc.constantFrom('"', "'", '\0', '[', '{', '\t', '&a ', '*a', ': ', '- ', '!!binary ', '%YAML 1.1\n', '\uFEFF')).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    // delete a span
    fc.tuple(fc.nat(text.length), fc.nat(200)).map(([i, n]) => text.slice(0, i) + text.slice(i + n)),
    // duplicate a line
    fc.nat(text.split('\n').length - 1).map((k) => {
      const lines = text.split('\n');
      lines.splice(k, 0, lines[k]);
      return lines.join('\n');
    }),
  );

describe('instrument loader fuzzing', () => {
  it(`mutations of the built-in instrument never throw anything but an InstrumentError (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(mutation(source), (t) => {
        outcome(t);
      }),
      { numRuns: RUNS, seed },
    );
  });
  it('truncation at every position of a small instrument', () => {
    const seen = new Set<string>();
    for (let i = 0; i <= small.length; i++) seen.add(String(outcome(small.slice(0, i))));
    expect(seen).toEqual(new Set(['65', 'ok']));
  });
  it('truncation at every 7th position of the built-in', () => {
    for (let i = 0; i <= source.length; i += LONG ? 1 : 7) outcome(source.slice(0, i));
  });
  it('huge fields, deep nesting and alias bombs are refused quickly', () => {
    const cases = [
      small.replace('"one, two"', JSON.stringify('x'.repeat(1_000_000))),
      'a: ' + '{b: '.repeat(5000) + '1' + '}'.repeat(5000),
      'a: ' + '- '.repeat(3000) + 'x',
      '&a [' + '*a,'.repeat(1000) + ']',
      'a: &a [*a]\nb: 1',
      Array.from({ length: 12 }, (_, k) => (k === 0 ? 'l0: &l0 [x,x,x,x,x,x,x,x,x,x]' : `l${k}: &l${k} [${Array(10).fill(`*l${k - 1}`).join(',')}]`)).join('\n'),
    ];
    for (const c of cases) {
      const t0 = Date.now();
      outcome(c);
      expect(Date.now() - t0).toBeLessThan(3000);
    }
  });
  it('through the CLI: mutated files give 0 or 65, one message, no stack trace', () => {
    const dir = tmpDir();
    const samples = fc.sample(mutation(small), { numRuns: LONG ? 200 : 12, seed });
    samples.push('\0\0\0binary', '', '\uFEFF', small.replace('rapport: 1', 'rapport: 1\nrapport: 1'));
    samples.forEach((text, k) => {
      const f = path.join(dir, `m${k}.yaml`);
      fs.writeFileSync(f, text);
      const r = rapport(['instruments', 'validate', f]);
      expect([0, 65], `case ${k}: ${JSON.stringify(text.slice(0, 80))}\n${r.stderr}`).toContain(r.code);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    });
  });
});
