/**
 * Byte-for-byte regression check (issue 12): every case of test/golden-outputs/cases.mjs (`rapport
 * score` on every fixture export, `rapport report` on the bundled sample and the report fixtures) is
 * rerun with the built CLI, and stdout, stderr, the exit code and every output file must equal the
 * files recorded by test/golden-outputs/generate.mjs before the refactor.
 *
 * Two deliberate differences are allowed, and only these: the tool's version (recorded as
 * GOLDEN_VERSION) is replaced by the current one, and the JSON documents for scheduled jobs
 * (summary.json) are compared by content with every key in snake_case and a top-level "schema" set
 * aside, and report's `run` (start time, elapsed seconds) blanked (issue 12 renamed score's camelCase keys and added the schema field; the key style and the
 * schema field are tested in test/e2e/input-contract.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, rapport, tmpDir } from '../helpers/cli.js';
// @ts-expect-error plain ESM module shared with the generator script
import { CASES, GOLDEN_VERSION } from '../golden-outputs/cases.mjs';

interface Case {
  name: string;
  args: string[];
  files: string[];
}

const GOLDEN = path.join(ROOT, 'test', 'golden-outputs');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The recorded JSON with snake_case keys (map keys such as item ids are data and kept). */
function snakeKeys(v: unknown, parentKey = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => snakeKeys(x, parentKey));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const dataKeys = parentKey === 'columns' || parentKey === 'excluded';
    out[dataKeys ? k : snake(k)] = snakeKeys(x, dataKeys ? '' : snake(k));
  }
  return out;
}

function withVersion(text: string): string {
  return text.replaceAll(`rapport ${GOLDEN_VERSION}`, `rapport ${VERSION}`).replaceAll(`"version": "${GOLDEN_VERSION}"`, `"version": "${VERSION}"`);
}

function compareJson(got: string, want: string, file: string) {
  const g = JSON.parse(got);
  if ('schema' in g) expect(g.schema, `${file}: top-level "schema"`).toMatch(/^rapport\.[a-z-]+\/2$/);
  delete g.schema;
  const w = JSON.parse(withVersion(want));
  delete w.schema; // recorded by generate.mjs since issue 12; checked on the new output above
  // report's summary.json says when it ran and for how long: the one part that differs run to run.
  for (const x of [g, w]) if (x.run) x.run = { started_at: '', elapsed_seconds: 0 };
  expect(snakeKeys(g), file).toEqual(snakeKeys(w));
}

describe('outputs are byte-identical to the recorded ones (test/golden-outputs)', () => {
  it('has cases', () => expect((CASES as Case[]).length).toBeGreaterThan(15));
  for (const c of CASES as Case[]) {
    it(c.name, () => {
      const out = tmpDir('rapport-golden-');
      const r = rapport(c.args.map((a) => a.replaceAll('{OUT}', out)), { asIs: true }); // the default command, resamples included
      const dir = path.join(GOLDEN, c.name);
      const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
      expect(`${r.code}\n`).toBe(read('code'));
      expect(r.stderr.replaceAll(out, '{OUT}')).toBe(read('stderr'));
      const stdoutWant = read('stdout');
      if (c.args.includes('--format') && c.args[c.args.indexOf('--format') + 1] === 'json') compareJson(r.stdout, stdoutWant, 'stdout');
      else expect(r.stdout).toBe(withVersion(stdoutWant));
      for (const f of c.files) {
        const want = path.join(dir, f);
        const got = path.join(out, f);
        expect(fs.existsSync(got), `${c.name}/${f} written`).toBe(fs.existsSync(want));
        if (!fs.existsSync(want)) continue;
        if (f.endsWith('.json')) compareJson(fs.readFileSync(got, 'utf8'), read(f), `${c.name}/${f}`);
        else expect(fs.readFileSync(got, 'utf8'), `${c.name}/${f}`).toBe(withVersion(read(f)));
      }
      fs.rmSync(out, { recursive: true, force: true });
    }, 180_000); // report cases run 500 bootstrap resamples (issue 17): tens of seconds on a busy machine
  }
});
