/**
 * Every example marked runnable in README.md and docs/*.md runs, so an example can never fail
 * (issue 18). The convention (README, "Development"):
 *   ```sh runnable [name=path ...]
 *                      each line (a trailing `\` continues it) is a `rapport ...` or
 *                      `node bin/rapport.js ...` command, run in order and expected to exit 0, or the
 *                      code given by a trailing `# exit N`; no pipes or redirections.
 *   ```yaml runnable   written to the file its first line names (`# map.yaml`), for later commands;
 *                      an instrument (`rapport: 1`) must also pass `rapport instruments validate`.
 *   name=path          (any runnable block) the example's file `name` is the repository's `path`,
 *                      e.g. `export.csv=fixtures/sample/qualtrics-tags.csv`.
 *   ```text output     follows a runnable command: every line of it, except `...`, is a line of that
 *                      command's standard output, in the same order (an excerpt).
 * The blocks of one document run in one fresh folder in which `fixtures/` and `instruments/` are the
 * repository's, through the built CLI in one Node process (test/helpers/cli-batch.mjs).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, assertBuilt, tmpDir, type CliResult } from '../helpers/cli.js';

interface Block {
  doc: string;
  line: number;
  info: string[];
  body: string;
}

/** Fenced blocks (``` or ~~~) with their info-string words and the line they start on. */
export function fencedBlocks(doc: string, text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j].trim().startsWith(fence) && lines[j].trim().replace(/[`~]/g, '') === '')) body.push(lines[j++]);
    out.push({ doc, line: i + 1, info: open[3].trim().split(/\s+/).filter(Boolean), body: body.join('\n') });
    i = j;
  }
  return out;
}

/** A command line split as a POSIX shell would (quotes, backslash escapes); throws on shell syntax. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) s += line[j] === '\\' && /["\\$`]/.test(line[j + 1] ?? '') ? line[++j] : line[j];
      if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
      cur = (cur ?? '') + s;
      i = j;
    } else if (c === '\\') cur = (cur ?? '') + (line[++i] ?? '');
    else if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else if (/[|<>;&$`()]/.test(c)) throw new Error(`shell syntax (${c}) is not allowed in a runnable example: ${line}`);
    else cur = (cur ?? '') + c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

interface Command {
  args: string[];
  exit: number;
  where: string;
}

/** The commands of a `sh runnable` block: continuation lines joined, comments and blanks dropped. */
export function commandsOf(b: Block): Command[] {
  const lines: { text: string; at: number }[] = [];
  let open: { text: string; at: number } | null = null;
  b.body.split('\n').forEach((l, k) => {
    const part = open ? `${open.text} ${l.trim()}` : l;
    const at = open ? open.at : b.line + 1 + k;
    open = part.endsWith('\\') ? { text: part.slice(0, -1), at } : null;
    if (!open) lines.push({ text: part, at });
  });
  const out: Command[] = [];
  for (const { text, at } of lines) {
    const m = /^(.*?)(?:\s+#\s*(.*))?$/.exec(text.trim())!;
    const line = m[1].trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = shellWords(line);
    const where = `${b.doc}:${at}`;
    const prefix = words[0] === 'rapport' ? 1 : words[0] === 'node' && words[1] === 'bin/rapport.js' ? 2 : 0;
    if (prefix === 0) throw new Error(`${where}: a runnable example runs rapport only (rapport ... or node bin/rapport.js ...): ${line}`);
    const exit = /\bexit (\d+)\b/.exec(m[2] ?? '');
    out.push({ args: words.slice(prefix), exit: exit ? Number(exit[1]) : 0, where });
  }
  return out;
}

/** Runs a document's jobs in `cwd` in one Node process through the built CLI. */
function runJobs(cwd: string, jobs: string[][]): CliResult[] {
  const jobsFile = path.join(cwd, '.jobs.json');
  const resultsFile = path.join(cwd, '.results.json');
  fs.writeFileSync(jobsFile, JSON.stringify(jobs));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test', 'helpers', 'cli-batch.mjs'), jobsFile, resultsFile], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !fs.existsSync(resultsFile)) throw new Error(`cli-batch failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as CliResult[];
}

/** The lines of `excerpt` (but `...`) that are not lines of `output` in order; [] when all are. */
function missingLines(excerpt: string, output: string): string[] {
  const have = output.split('\n').map((l) => l.trimEnd());
  let at = 0;
  const missing: string[] = [];
  for (const want of excerpt.split('\n').map((l) => l.trimEnd())) {
    if (want.trim() === '...' || want.trim() === '') continue;
    const k = have.indexOf(want, at);
    if (k < 0) missing.push(want);
    else at = k + 1;
  }
  return missing;
}

const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocksOf = (doc: string) => fencedBlocks(doc, fs.readFileSync(path.join(ROOT, doc), 'utf8'));

describe('the examples of README.md and docs/ run', () => {
  it('the README has runnable command, instrument and output examples (the convention is in use)', () => {
    const info = blocksOf('README.md').map((b) => b.info.join(' '));
    expect(info).toContain('sh runnable');
    expect(info).toContain('yaml runnable');
    expect(info).toContain('text output');
  });

  it('the block reader follows the convention', () => {
    expect(shellWords(`rapport report a.csv --title "North clinic" --period '2026 Q4' --x a\\ b`)).toEqual(['rapport', 'report', 'a.csv', '--title', 'North clinic', '--period', '2026 Q4', '--x', 'a b']);
    expect(() => shellWords('rapport score a.csv > b.csv')).toThrow(/shell syntax/);
    const b = { doc: 'X.md', line: 1, info: ['sh', 'runnable'], body: 'rapport score a.csv \\\n   --out b.csv   # writes b\n\n# a comment\nrapport report c.csv   # exit 65' };
    expect(commandsOf(b)).toEqual([
      { args: ['score', 'a.csv', '--out', 'b.csv'], exit: 0, where: 'X.md:2' },
      { args: ['report', 'c.csv'], exit: 65, where: 'X.md:6' },
    ]);
    expect(missingLines('a\n...\nc', 'a\nb\nc\n')).toEqual([]);
    expect(missingLines('c\na', 'a\nb\nc\n')).toEqual(['a']);
  });

  for (const doc of DOCS) {
    const blocks = blocksOf(doc).filter((b) => b.info.includes('runnable') || b.info.includes('output'));
    it.skipIf(blocks.length === 0)(`${doc}: every runnable example runs as documented`, () => {
      assertBuilt();
      const cwd = tmpDir('rapport-readme-');
      for (const name of ['fixtures', 'instruments']) fs.symlinkSync(path.join(ROOT, name), path.join(cwd, name));
      const jobs: Command[] = [];
      const outputs: { block: Block; after: number }[] = [];
      blocks.forEach((b, k) => {
        // `name=path` in the info string: the example's file `name` is the repository's `path`.
        for (const [name, target] of b.info.filter((w) => w.includes('=')).map((w) => w.split('=', 2))) {
          if (!fs.existsSync(path.join(cwd, name))) fs.symlinkSync(path.join(ROOT, target), path.join(cwd, name));
        }
        if (b.info.includes('output')) {
          expect(jobs.length, `${doc}:${b.line}: an output block follows a runnable command`).toBeGreaterThan(0);
          outputs.push({ block: b, after: jobs.length - 1 });
        } else if (b.info[0] === 'yaml') {
          const name = /^#\s*(\S+\.ya?ml)\s*$/.exec(b.body.split('\n')[0])?.[1] ?? `example-${k}.yaml`;
          fs.writeFileSync(path.join(cwd, name), b.body);
          if (/^rapport:\s*1\b/m.test(b.body)) jobs.push({ args: ['instruments', 'validate', name], exit: 0, where: `${doc}:${b.line}` });
        } else jobs.push(...commandsOf(b));
      });
      const results = runJobs(cwd, jobs.map((j) => j.args));
      results.forEach((r, k) => expect(r.code, `${jobs[k].where}: rapport ${jobs[k].args.join(' ')}\n${r.stderr}`).toBe(jobs[k].exit));
      for (const o of outputs) expect(missingLines(o.block.body, results[o.after].stdout), `${doc}:${o.block.line}: lines of the excerpt not in the output`).toEqual([]);
    }, 120_000);
  }
});
