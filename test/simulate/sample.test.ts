/**
 * The bundled sample (fixtures/sample/qualtrics-sample.csv) is exactly what the command in
 * fixtures/sample/README.md produces, so anyone can regenerate it, and its truth is what it says.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { planSimulation, simulate } from '../../src/simulate/generate.js';
import { parseEffects } from '../../src/simulate/options.js';
import { csvString } from '../../src/simulate/writers.js';

const dir = new URL('../../fixtures/sample/', import.meta.url);
const readme = fs.readFileSync(new URL('README.md', dir), 'utf8');

describe('fixtures/sample', () => {
  it('README gives the exact command, and that command reproduces the file byte for byte', () => {
    const m = /```sh\n(rapport simulate [^\n]+)\n```/.exec(readme);
    expect(m).not.toBeNull();
    const argv = m![1].split(/\s+/).slice(2);
    const flag = (name: string) => argv[argv.indexOf(name) + 1];
    expect(flag('--out')).toBe('fixtures/sample/qualtrics-sample.csv');
    expect(flag('--platform')).toBe('qualtrics');
    const inst = loadInstrument(flag('--instrument'));
    const seed = Number(flag('--seed'));
    const plan = planSimulation(inst, { effects: parseEffects(flag('--effect')), prevalence: Number(flag('--prevalence')) });
    const text = csvString(plan, simulate(plan, Number(flag('--n')), seed), 'qualtrics', seed);
    const file = fs.readFileSync(new URL('qualtrics-sample.csv', dir));
    expect(file.equals(Buffer.from(text, 'utf8'))).toBe(true);
    // the checksum quoted in the README is the file's
    const sha = /sha256 `([0-9a-f]{64})`/.exec(readme)![1];
    return import('node:crypto').then(({ createHash }) => expect(createHash('sha256').update(file).digest('hex')).toBe(sha));
  });
});
