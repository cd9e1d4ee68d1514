/**
 * Report hardening found by the robustness suite: covariate names that are Object.prototype keys, and
 * complementary small-cell suppression (a single suppressed group could be worked out from the total).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rapport, tmpDir } from '../helpers/cli.js';

const scored = fs.readFileSync('fixtures/report/scored.csv', 'utf8').trimEnd().split('\n');

function withColumn(name: string, value: (i: number) => string): string {
  return scored.map((line, i) => (i === 0 ? `${line},"${name}"` : `${line},${value(i - 1)}`)).join('\n') + '\n';
}

describe('report hardening', () => {
  it('a covariate named __proto__ is an ordinary column', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'in.csv');
    // A numeric covariate: a deterministic pattern unrelated to the outcome.
    fs.writeFileSync(f, withColumn('__proto__', (i) => String(20 + ((i * 7) % 50))));
    const r = rapport(['report', f, '--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--covariates', '__proto__', '--out', path.join(dir, 'out'), '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const model = fs.readFileSync(path.join(dir, 'out', 'model.csv'), 'utf8');
    expect(model.split('\n').map((l) => l.split(',')[0])).toContain('__proto__');
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.model.terms.map((t: { term: string }) => t.term)).toContain('__proto__');
  });

  it('one group under --min-cell: the smallest other group is withheld too, in every output', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'in.csv');
    // 300 respondents: clinic A 5, B 95, C 200 → A is suppressed (<11), B withheld (>=11), C shown.
    fs.writeFileSync(f, withColumn('clinic', (i) => (i < 5 ? 'A' : i < 100 ? 'B' : 'C')));
    const out = path.join(dir, 'out');
    const r = rapport(['report', f, '--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--group-by', 'clinic', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const groups = fs.readFileSync(path.join(out, 'groups.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(groups.slice(1).map((g) => [g[0], g[1]])).toEqual([
      ['A', '<11'],
      ['B', '>=11'],
      ['C', '200'],
    ]);
    expect(groups[2].slice(2).every((c) => c === '')).toBe(true);
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const B = s.groups.rows.find((g: { group: string }) => g.group === 'B');
    expect(B).toMatchObject({ n: null, suppressed: true, rate: null });
    const text = fs.readFileSync(path.join(out, 'report.txt'), 'utf8');
    const rowB = text.split('\n').find((l) => /^\s+B\s/.test(l))!;
    expect(rowB).toMatch(/^\s+B\s+>=11\s+suppressed\s*$/);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('&gt;=11');
    expect(html).not.toMatch(/>95</);
  });
});
