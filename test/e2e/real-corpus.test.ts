/**
 * The real corpus (issue 13): export and dictionary files from public repositories
 * (fixtures/real/files, sources and licences in fixtures/real/SOURCES.md), each run through the built
 * CLI and checked against counts made by hand (fixtures/real/manifest.json).
 *
 * Dictionaries go through `instruments import-redcap --verbose`; records through `score` with an
 * instrument imported from the project's dictionary (one form) or written for the file
 * (fixtures/real/instruments); the longitudinal files also through `report` (exit 2 listing the
 * events without --event, analysed with it). The manifest's `rules` name the platform rules a file
 * exercises, and `before` what rapport gave before them (for the record; not asserted).
 *
 * Speed: every command line runs in ONE child process (rapportMany: the built CLI's `main` once per
 * job), not one process per case; the expectations are the same as through `rapport(args)`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import type { Instrument } from '../../src/instrument/types.js';
import { type CliResult, distMissing, rapportMany, ROOT, tmpDir } from '../helpers/cli.js';

const REAL = path.join(ROOT, 'fixtures', 'real');
const file = (name: string) => path.join(REAL, 'files', name);

interface Entry {
  file: string;
  kind: string;
  repo: string;
  path: string;
  commit: string;
  licence: string;
  command: 'import-redcap' | 'score';
  instrument?: { dictionary?: string; form?: string; file?: string };
  map?: string;
  expected: Record<string, any>;
  rules?: string[];
  /** A file rapport refuses on purpose: exit code and the message's words. */
  refused?: { code: number; message: string; why: string };
  before?: Record<string, unknown>;
}

const manifest: { files: Entry[] } = JSON.parse(fs.readFileSync(path.join(REAL, 'manifest.json'), 'utf8'));
const dictionaries = manifest.files.filter((e) => e.command === 'import-redcap');
const records = manifest.files.filter((e) => e.command === 'score');

/** Non-zero exclusion counts of a summary. */
const excludedOf = (s: { excluded: Record<string, number> }) => Object.fromEntries(Object.entries(s.excluded).filter(([, n]) => n > 0));

describe('the real corpus manifest', () => {
  it('holds at least 20 files from at least 8 repositories, each present, with its source and licence', () => {
    expect(manifest.files.length).toBeGreaterThanOrEqual(20);
    expect(new Set(manifest.files.map((e) => e.repo)).size).toBeGreaterThanOrEqual(8);
    const sources = fs.readFileSync(path.join(REAL, 'SOURCES.md'), 'utf8');
    for (const e of manifest.files) {
      expect(fs.existsSync(file(e.file)), e.file).toBe(true);
      expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(e.licence.length).toBeGreaterThan(0);
      expect(sources).toContain(e.file);
    }
  });
});

/** `report` on the longitudinal files: a yes/no item of the scored form as outcome, another item as predictor. */
const REPORT_VARIABLES: Record<string, string[]> = {
  'redcapr-longitudinal-data.csv': ['--outcome', 'pmq3', '--predictors', 'pmq1'],
  'phpcap-longitudinal-data.csv': ['--outcome', 'discuss_pmq', '--predictors', 'avg_pills_pmq'],
  'redcapcast-data.csv': ['--outcome', 'hypertension', '--predictors', 'diabetes'],
};

describe.skipIf(distMissing())('real corpus through the built CLI', () => {
  const dir = tmpDir('rapport-real-');
  const jobs: string[][] = [];
  const at = new Map<string, number>();
  /** Queue a command line under a name (once); its result is looked up by that name after the batch. */
  const queue = (name: string, args: string[]) => {
    if (!at.has(name)) at.set(name, jobs.push(args) - 1);
    return name;
  };
  let results: CliResult[] = [];
  const result = (name: string) => results[at.get(name)!];

  const dictOut = (name: string, form?: string) => path.join(dir, `${name}.${form ?? 'all'}.yaml`);
  const importJob = (name: string, form?: string) =>
    queue(`import:${name}#${form ?? ''}`, ['instruments', 'import-redcap', file(name), '--out', dictOut(name, form), '--verbose', ...(form ? ['--form', form] : [])]);
  const instrumentPath = (e: Entry) => (e.instrument!.file ? path.join(REAL, e.instrument!.file) : dictOut(e.instrument!.dictionary!, e.instrument!.form));
  const scoreArgs = (e: Entry) => {
    const args = ['score', file(e.file), '-i', instrumentPath(e), '-o', path.join(dir, `${e.file}.scored.csv`), '--summary-json', path.join(dir, `${e.file}.summary.json`), '-q'];
    if (e.map) args.push('--map', path.join(REAL, e.map));
    return args;
  };
  const reportArgs = (e: Entry, extra: string[]) => ['report', file(e.file), '-i', instrumentPath(e), ...REPORT_VARIABLES[e.file], '--out', path.join(dir, `${e.file}-report${extra.length}`), '-q', ...extra];

  // Every job, in order (imports before the scores that use them), in one child process.
  for (const e of dictionaries) importJob(e.file);
  for (const e of records) {
    if (e.instrument!.dictionary) importJob(e.instrument!.dictionary, e.instrument!.form);
    queue(`score:${e.file}`, scoreArgs(e));
    if (e.expected.events > 1) {
      queue(`report:${e.file}`, reportArgs(e, []));
      queue(`report-event:${e.file}`, reportArgs(e, ['--event', e.expected.firstEvent]));
    }
  }
  beforeAll(() => {
    results = rapportMany(jobs);
  }, 300_000);

  const imported = (name: string, form?: string) => {
    const r = result(`import:${name}#${form ?? ''}`);
    expect(r.code, r.stderr).toBe(0);
    const out = dictOut(name, form);
    return { inst: instrumentFromText(fs.readFileSync(out, 'utf8'), out), stderr: r.stderr };
  };

  for (const e of dictionaries) {
    it(`${e.kind}: ${e.file} (${e.repo})`, () => {
      const x = e.expected;
      if (e.refused) {
        const r = result(`import:${e.file}#`);
        expect(r.code).toBe(e.refused.code);
        expect(r.stderr).toContain(e.refused.message);
        return;
      }
      const { inst, stderr } = imported(e.file);
      expect(inst.items.length).toBe(x.items);
      if (x.checkboxItems !== undefined) expect(inst.items.filter((it) => /___/.test(it.id)).length).toBe(x.checkboxItems);
      if (x.numberItems !== undefined) expect(inst.items.filter((it) => it.type === 'number').length).toBe(x.numberItems);
      if (x.responseSets !== undefined) expect(Object.keys(inst.response_sets).length).toBe(x.responseSets);
      expect(inst.scales.length).toBe(x.scales);
      // Skipped fields, by reason, from the --verbose notes.
      const lines = stderr.split('\n');
      const notScorable = lines.filter((l) => /^skipped field "[^"]*" \([^)]*\): not a scorable item$/.test(l)).length;
      const calc = lines.filter((l) => /^skipped field "[^"]*" \(calc\): not a scorable item \(only mean/.test(l)).length;
      expect({ 'not-scorable': notScorable, ...(calc ? { calc } : {}) }).toEqual(x.skipped);
      const forms = /has (\d+) forms/.exec(stderr);
      expect(forms ? Number(forms[1]) : 1).toBe(x.forms);
      // "No answer" choices became missing codes of exactly these items.
      if (x.missingCodes) {
        const missing: Record<string, string[]> = {};
        for (const it of inst.items) {
          const rs = it.response_set === undefined ? undefined : inst.response_sets[it.response_set];
          if (rs && rs.missing.length && !/___/.test(it.id)) missing[it.id] = rs.missing.map((m) => String(m.value));
        }
        expect(missing).toEqual(x.missingCodes);
      }
      if (x.missingCodeFields !== undefined) expect(lines.filter((l) => / imported as missing codes \(no answer\), not scored$/.test(l)).length).toBe(x.missingCodeFields);
      if (x.headerNote) expect(stderr).toMatch(/the first header cell is "1", not "Variable \/ Field Name"/);
      if (x.sameAs) {
        const other = imported(x.sameAs).inst;
        expect(inst.items).toEqual(other.items);
        expect(inst.response_sets).toEqual(other.response_sets);
      }
      // No "NA" anywhere (R's write.csv empty cells).
      expect(JSON.stringify(inst)).not.toMatch(/"NA"/);
    });
  }

  for (const e of records) {
    it(`${e.kind}: ${e.file} (${e.repo})`, () => {
      const x = e.expected;
      const r = result(`score:${e.file}`);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(fs.readFileSync(path.join(dir, `${e.file}.summary.json`), 'utf8'));
      expect(s.platform).toBe(x.platform);
      expect(s.rows_read).toBe(x.rows);
      expect(s.rows_scored).toBe(x.scored);
      expect(excludedOf(s)).toEqual(x.excluded);
      expect(s.invalid_cells).toBe(x.invalidCells);
      // The exclusions and the scored rows add up to the rows read.
      expect(Object.values(excludedOf(s)).reduce((a: number, b) => a + (b as number), 0) + s.rows_scored).toBe(s.rows_read);
      // One output row per scored row (and, where the manifest gives it, the scored CSV itself).
      const text = fs.readFileSync(path.join(dir, `${e.file}.scored.csv`), 'utf8');
      const scored = text.trim().split('\n').slice(1);
      expect(scored.length).toBe(s.rows_scored);
      // The manifest's columns of the scored CSV, by name (REDCap key columns sit after the id).
      if (x.scoredCsv) {
        const lines = text.trim().split('\n').map((l) => l.split(','));
        const want: string[] = x.scoredCsv[0].split(',');
        const cols = want.map((name) => lines[0].indexOf(name));
        expect(cols.every((i) => i >= 0), `columns ${want.join(', ')} in ${lines[0].join(', ')}`).toBe(true);
        expect(lines.map((l) => cols.map((i) => l[i]).join(','))).toEqual(x.scoredCsv);
      }
      if (x.events > 1 && x.scored <= x.respondents) {
        // Several events, but at most one row per record is kept: nothing is counted twice.
        expect(result(`report:${e.file}`).stderr).not.toMatch(/several events/);
      } else if (x.events > 1) {
        // Records kept at several events: report refuses (exit 2) and lists the events; --event analyses one.
        const rep = result(`report:${e.file}`);
        expect(rep.code, rep.stderr).toBe(2);
        expect(rep.stderr).toContain(`(${x.events} events: `);
        expect(rep.stderr).toContain(x.firstEvent);
        expect(rep.stderr).toMatch(/--event/);
        const one = result(`report-event:${e.file}`);
        expect(one.stderr).not.toMatch(/several events/);
      }
    });
  }
});
