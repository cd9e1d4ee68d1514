/** The shared conventions of every command (issue #2): exit-code table, stderr messages, --json, colour. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DataError, InputError, OutputError, UsageError, InterruptedError } from '../../src/errors.js';
import { reportError } from '../../src/cli/report-error.js';
import { rapport, tmpDir } from '../helpers/cli.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let buf = '';
  stream.on('data', (c) => (buf += c));
  return { stream, text: () => buf };
}

describe('exit-code table', () => {
  it('no command: help on stdout, exit 2', () => {
    const r = rapport([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Usage: rapport/);
    expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+success/);
  });
  it('--help and --version exit 0', () => {
    expect(rapport(['--help']).code).toBe(0);
    const v = rapport(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });
  it('every command documents the exit codes and the common options in --help', () => {
    for (const c of ['instruments', 'run', 'score', 'report', 'simulate', 'power']) {
      const r = rapport([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(/65\s+invalid input data or instrument/);
      expect(r.stdout, c).toMatch(/--quiet/);
      expect(r.stdout, c).toMatch(/--debug/);
    }
  });
  it('unknown command and unknown option: exit 2, one message, no stack trace', () => {
    const a = rapport(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/rapport: unknown command 'frobnicate'/);
    const b = rapport(['instruments', 'list', '--frob']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown option '--frob'/);
    // The hint names the whole command path (regression: it said 'rapport  --help').
    expect(b.stderr).toContain("(run 'rapport instruments list --help' for usage)");
    expect(rapport(['report', 'x.csv']).stderr).toContain("(run 'rapport report --help' for usage)");
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
  it('invalid instrument: exit 65 listing every problem', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'bad.yaml');
    fs.writeFileSync(f, 'rapport: 1\nid: bad\nversion: "1"\ntitle: B\nresponse_sets:\n  r: {options: []}\nitems:\n  - {id: i1, text: t, response_set: q}\n  - {id: i1, text: t, response_set: r}\n');
    const r = rapport(['instruments', 'validate', f]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('3 problems in the instrument');
    expect(r.stderr).toContain('response_sets.r.options: is empty');
    expect(r.stderr).toContain('items[0].response_set: unknown response set "q"; use one of: r');
    expect(r.stderr).toContain('items[1].id: duplicate item id "i1" (also items[0])');
  });
  it('validate: ok files print ok, --json gives a machine-readable verdict', () => {
    const r = rapport(['instruments', 'validate', 'instruments/archive/relationship-engagement@1.0.0.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^ok: instruments\/archive\/relationship-engagement@1\.0\.0\.yaml \(relationship-engagement 1\.0\.0: 27 items, 6 scales\)/);
    const j = rapport(['instruments', 'validate', '--json', 'instruments/relationship-engagement.yaml', 'nope.yaml']);
    expect(j.code).toBe(66);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.valid).toBe(false);
    expect(parsed.files[0]).toMatchObject({ ok: true, id: 'relationship-engagement' });
    expect(parsed.files[1]).toMatchObject({ ok: false, file: 'nope.yaml' });
  });
  it('missing input file: exit 66 naming the file', () => {
    const r = rapport(['instruments', 'show', 'no/such/file.yaml']);
    expect(r.code).toBe(66);
    expect(r.stderr).toBe('rapport: no/such/file.yaml: no such file; check the path (use - to read standard input).\n');
  });
  it('unknown built-in id: exit 66 listing the built-ins', () => {
    const r = rapport(['instruments', 'show', 'no-such-instrument']);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/"no-such-instrument" is neither a built-in instrument nor a file; built-ins are: .*relationship-engagement/);
  });
  it('bad option value: exit 2 (unknown language lists the available ones)', () => {
    const r = rapport(['instruments', 'show', 'relationship-engagement', '--lang', 'fr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lang fr: instrument "relationship-engagement" is available in en, es; choose one of those.');
  });
});

describe('reportError maps typed errors to codes (exit 1 only for bugs)', () => {
  it.each([
    [new UsageError('bad flag'), 2],
    [new DataError('CSV_INVALID', 'bad data'), 65],
    [new InputError('gone'), 66],
    [new OutputError('cannot write'), 73],
    [new InterruptedError(), 130],
  ])('%s', (err, code) => {
    const c = capture();
    expect(reportError(err, false, c.stream)).toBe(code);
    expect(c.text()).toBe(`rapport: ${err.message}\n`);
  });
  it('an unexpected error is a bug: one sentence, how to report, no stack unless --debug', () => {
    const c = capture();
    expect(reportError(new TypeError('x is undefined'), false, c.stream)).toBe(1);
    expect(c.text()).toMatch(/^rapport: internal error: x is undefined\.\nThis is a bug\. Please report it at \S+ with the command you ran and rapport [\d.]+ \(node v[\d.]+\); run again with --debug/);
    expect(c.text()).not.toMatch(/\n\s+at /);
    const d = capture();
    reportError(new TypeError('x is undefined'), true, d.stream);
    expect(d.text()).toMatch(/\n\s+at /);
  });
  it('inquirer ExitPromptError (Ctrl-C at a prompt) is 130', () => {
    const c = capture();
    const e = Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
    expect(reportError(e, false, c.stream)).toBe(130);
  });
});

describe('stdout hygiene', () => {
  it('instruments show --json | head: exits 0 without EPIPE noise', () => {

    const r = spawnSync('bash', ['-c', 'set -o pipefail; node bin/rapport.js instruments show relationship-engagement --json | head -c 20 >/dev/null; echo "status=${PIPESTATUS[0]}"'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('status=0');
    expect(r.stderr).not.toMatch(/EPIPE|at /);
  });
  it('colour: NO_COLOR (which chalk ignores) and --no-color turn chalk off; otherwise chalk decides', async () => {
    const { configureColor } = await import('../../src/cli/main.js');
    const chalk = (await import('chalk')).default;
    const saved = chalk.level;
    try {
      chalk.level = 3;
      configureColor(['node', 'rapport'], { NO_COLOR: '1' });
      expect(chalk.level).toBe(0);
      chalk.level = 3;
      configureColor(['node', 'rapport', '--no-color'], {});
      expect(chalk.level).toBe(0);
      chalk.level = 3;
      configureColor(['node', 'rapport'], { NO_COLOR: '' });
      expect(chalk.level).toBe(3);
    } finally {
      chalk.level = saved;
    }
  });
  it('instruments list --json lists built-ins with their facts', () => {
    const r = rapport(['instruments', 'list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    const re = rows.find((x: { id: string }) => x.id === 'relationship-engagement');
    expect(re).toMatchObject({ version: '1.1.0', items: 31, languages: ['en', 'es'], scales: ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'] });
  });
});

describe('--debug shows the error code', () => {
  it('as a line of its own after the message (docs/errors.md lists the codes)', () => {
    const r = rapport(['score', 'fixtures/broken/ragged-rows.csv', '-i', 'fixtures/instruments/score-fixture.yaml', '--debug']);
    expect(r.code).toBe(65);
    expect(r.stderr.split('\n')[1]).toBe('rapport: error code CSV_RAGGED_ROW (exit 65; see docs/errors.md)');
    const u = rapport(['score', 'x.csv', '--instrumnet', 'y', '--debug']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('rapport: error code USAGE (exit 2; see docs/errors.md)');
    const plain = rapport(['score', 'fixtures/broken/ragged-rows.csv', '-i', 'fixtures/instruments/score-fixture.yaml']);
    expect(plain.stderr).not.toContain('error code');
  });
});
