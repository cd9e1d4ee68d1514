/**
 * Privacy (issue #8).
 * - Files that hold responses are created 0600 whatever the umask: run's responses CSV, its journals
 *   (in a 0700 folder) and their lock files; score's output, --errors file (it echoes raw cells) and
 *   --summary-json. (report's files hold only aggregates and keep the default 0644.)
 * - The report never prints a respondent id or a free-text answer: only counts and statistics.
 * - --group-by honours small-cell suppression in every output: text, CSV, JSON and HTML.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

/** Run a shell command with umask 000, so any mode below comes from the code, not the umask. */
function withUmask0(cmd: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const r = spawnSync('sh', ['-c', `umask 000; exec ${cmd.map(q).join(' ')}`], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const mode = (f: string) => fs.statSync(f).mode & 0o777;

describe.skipIf(distMissing())('file modes under umask 000', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('rapport-privacy-');
  });

  it('score: output, --errors and --summary-json are 0600 (also when replacing an existing 0644 file)', () => {
    const out = path.join(dir, 'scored.csv');
    fs.writeFileSync(out, 'old\n', { mode: 0o644 });
    fs.chmodSync(out, 0o644);
    const errors = path.join(dir, 'errors.csv');
    const sum = path.join(dir, 'summary.json');
    const r = withUmask0([process.execPath, BIN, 'score', 'fixtures/exports/qualtrics.csv', '-i', 'fixtures/instruments/score-fixture.yaml', '-o', out, '--errors', errors, '--summary-json', sum, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect([mode(out), mode(errors), mode(sum)]).toEqual([0o600, 0o600, 0o600]);
  });

  it('run: responses CSV 0600, journal folder 0700, journal and lock files 0600', () => {
    const out = path.join(dir, 'responses.csv');
    const script = `
      import { loadInstrument } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/instrument/load.js')).href)};
      import { Journal, startLine } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/survey/journal.js')).href)};
      import { appendResponse, buildRow } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/survey/responses.js')).href)};
      import * as fs from 'node:fs';
      const inst = loadInstrument('fixtures/instruments/mini.yaml');
      const meta = { respondent: 'K1', instrumentId: inst.id, version: inst.version, lang: 'en', startedAt: '2026-01-01T00:00:00.000Z' };
      const j = Journal.open(${JSON.stringify(out)}, 'K1');
      j.append(startLine(meta));
      const st = (f) => (fs.statSync(f).mode & 0o777).toString(8);
      const modes = { dir: st(${JSON.stringify(out + '.sessions')}), journal: st(j.file), lock: st(${JSON.stringify(path.join(out + '.sessions', 'K1.lock'))}) };
      await appendResponse(${JSON.stringify(out)}, inst, buildRow(meta, inst.items.map(() => undefined), '2026-01-01T00:01:00.000Z'));
      modes.responses = st(${JSON.stringify(out)});
      j.close();
      console.log(JSON.stringify(modes));`;
    const f = path.join(dir, 'modes.mjs');
    fs.writeFileSync(f, script);
    const r = withUmask0([process.execPath, f]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ dir: '700', journal: '600', lock: '600', responses: '600' });
  });
});

/** Every file the report wrote, and its stdout, as one text per name. */
function reportOutputs(dir: string, stdout: string, stderr: string): Map<string, string> {
  const m = new Map<string, string>([
    ['stdout', stdout],
    ['stderr', stderr],
  ]);
  for (const f of fs.readdirSync(dir)) m.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  return m;
}

describe.skipIf(distMissing())('the report prints no ids and no free text', () => {
  it('survey export with --instrument: no ResponseId and no comment appears in any output', () => {
    const src = fs.readFileSync(path.join(ROOT, 'fixtures', 'report', 'survey.csv'), 'utf8');
    const ids = [...src.matchAll(/^"(R_\d+)"/gm)].map((m) => m[1]);
    expect(ids.length).toBe(900);
    const dir = tmpDir('rapport-privacy-report-');
    const r = rapport(['report', 'fixtures/report/survey.csv', '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--covariates', 'age,sex', '--group-by', 'clinic', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    for (const [name, text] of reportOutputs(dir, r.stdout, r.stderr)) {
      expect(text, name).not.toContain('PRIVATE-NOTE');
      expect(text.match(/R_\d{5}/g), name).toBeNull();
    }
  }, 180_000); // the default report runs 500 bootstrap resamples (issue 17): slow on a busy machine

  it('scored file with distinctive ids and a free-text column, JSON on stdout: none of them appears', () => {
    const dir = tmpDir('rapport-privacy-scored-');
    const src = fs.readFileSync(path.join(ROOT, 'fixtures', 'report', 'scored.csv'), 'utf8').trim().split('\n');
    const lines = [src[0] + ',"site","notes"'];
    src.slice(1).forEach((l, i) => {
      const f = l.split(',');
      f[0] = `"IDQX${1000 + i}"`;
      lines.push([...f, `"S${i % 3}"`, `"FREETEXTQX ${i} lives at 12 Elm St"`].join(','));
    });
    const input = path.join(dir, 'in.csv');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const out = path.join(dir, 'report');
    const r = rapport(['report', input, '--predictors', 'trust,respect', '--outcome', 'uses_portal', '--covariates', 'sex', '--group-by', 'site', '--out', out, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    JSON.parse(r.stdout);
    for (const [name, text] of reportOutputs(out, r.stdout, r.stderr)) {
      expect(text, name).not.toMatch(/IDQX|FREETEXTQX|Elm St/);
    }
  });
});

describe.skipIf(distMissing())('--group-by small-cell suppression in every output', () => {
  let dir: string;
  let files: Map<string, string>;
  beforeAll(() => {
    // fixtures/report/scored.csv (300 respondents) with a clinic column: A 150, B 100, C 47, D 3.
    const src = fs.readFileSync(path.join(ROOT, 'fixtures', 'report', 'scored.csv'), 'utf8').trim().split('\n');
    const clinic = (i: number) => (i < 150 ? 'Alpha' : i < 250 ? 'Bravo' : i < 297 ? 'Charlie' : 'Delta');
    const lines = [src[0] + ',"clinic"', ...src.slice(1).map((l, i) => `${l},"${clinic(i)}"`)];
    dir = tmpDir('rapport-privacy-groups-');
    const input = path.join(dir, 'in.csv');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const out = path.join(dir, 'report');
    const r = rapport(['report', input, '--predictors', 'trust,respect', '--outcome', 'uses_portal', '--group-by', 'clinic', '--min-cell', '50', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    files = reportOutputs(out, r.stdout, r.stderr);
  });

  it('text: Charlie (47) and Delta (3) show "<50 suppressed" and no statistics', () => {
    const text = files.get('report.txt')!;
    expect(files.get('stdout')).toBe(text);
    const rows = text.split('\n').filter((l) => /^\s+(Alpha|Bravo|Charlie|Delta)\s/.test(l));
    expect(rows).toHaveLength(4);
    for (const g of ['Charlie', 'Delta']) expect(rows.find((l) => l.includes(g))).toMatch(new RegExp(`^\\s+${g}\\s+<50\\s+suppressed\\s*$`));
    for (const g of ['Alpha', 'Bravo']) expect(rows.find((l) => l.includes(g))).toMatch(/\d+\.\d%/);
    expect(text).not.toMatch(/(?<![\d.])47(?![\d.%])/); // Charlie's count appears nowhere
  });

  it('CSV: suppressed rows have "<50" and every statistic empty', () => {
    const g = parse(files.get('groups.csv')!) as string[][];
    const by = new Map(g.slice(1).map((r) => [r[0], r]));
    for (const name of ['Charlie', 'Delta']) {
      const row = by.get(name)!;
      expect(row[1]).toBe('<50');
      expect(row.slice(2).every((c) => c === '')).toBe(true);
    }
    expect(by.get('Alpha')![1]).toBe('150');
    expect(by.get('Bravo')![1]).toBe('100');
  });

  it('JSON: suppressed groups carry no number at all', () => {
    const s = JSON.parse(files.get('summary.json')!);
    const rows = s.groups.rows as Record<string, unknown>[];
    const numbers = (v: unknown): number[] => (typeof v === 'number' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(numbers) : []);
    for (const r of rows.filter((x) => x.group === 'Charlie' || x.group === 'Delta')) {
      expect(r.suppressed).toBe(true);
      expect(numbers(r)).toEqual([]);
    }
    expect(rows.find((x) => x.group === 'Alpha')!.n).toBe(150);
    expect(s.groups.suppressed_groups).toBe(2);
  });

  it('HTML: suppressed groups show "<50" and "suppressed" in the table and the plot, nothing else', () => {
    const html = files.get('report.html')!;
    for (const g of ['Charlie', 'Delta']) {
      const row = html.match(new RegExp(`<tr[^>]*><td>${g}</td>.*?</tr>`))![0];
      expect(row).toContain('class="suppressed"');
      expect(row.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').trim().split(/\s+/)).toEqual([g, '<50', 'suppressed']);
      // In the plot: the label, then the suppression note, and no marker or interval for it.
      const at = html.indexOf(`>${g}</text>`);
      expect(at).toBeGreaterThan(0);
      const next = html.slice(at, html.indexOf('</text>', at + g.length + 8) + 7);
      expect(next).toMatch(/n &lt;50: suppressed<\/text>$/);
    }
  });
});
