/**
 * Issue 11, "Output paths": never damage what is not ours. Through the built CLI (dist/).
 *
 * Devices are made with mknod and read-only / full file systems with small tmpfs mounts, which need
 * root (as in CI); those tests are skipped with the reason otherwise. /dev/full is used directly.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const IS_ROOT = process.getuid?.() === 0;
const ROOT_REASON = 'needs root for mknod and mount (CI runs as root)';
const INST = 'relationship-engagement';
const SCORED = path.join(ROOT, 'fixtures/report/scored.csv');
const REPORT_ARGS = ['--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--bootstrap', '0', '--quiet']; // output handling is the subject, not the resamples

let dir: string;
let input: string;
let inputText: string;

beforeAll(() => {
  if (distMissing()) throw new Error('dist/ is missing: run npm run build first');
  dir = tmpDir('rapport-outsafe-');
  input = path.join(dir, 'in.csv');
  const r = rapport(['simulate', '-i', INST, '--n', '40', '--seed', '7', '--quiet']);
  expect(r.code).toBe(0);
  inputText = r.stdout;
  fs.writeFileSync(input, inputText);
});

/** Names in a folder that look like rapport's temporary or backup files. */
function leftovers(d: string): string[] {
  return fs.readdirSync(d).filter((f) => /\.(tmp|old)$/.test(f));
}

/** Run the CLI with explicit stdio (a file descriptor for stdin/stdout, or extra pipes). */
function run(args: string[], stdio: (number | 'pipe' | 'ignore')[], cwd = dir) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, stdio, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), output: r.output };
}

describe('output path kinds', () => {
  it.skipIf(!IS_ROOT)(`a character device (mknod c 1 3, a private /dev/null) is written in place, not replaced [${ROOT_REASON}]`, () => {
    const dev = path.join(dir, 'fakenull');
    spawnSync('mknod', [dev, 'c', '1', '3']);
    for (const args of [
      ['score', input, '-i', INST, '--out', dev, '--quiet'],
      ['simulate', '-i', INST, '--n', '5', '--out', dev, '--quiet'],
      ['instruments', 'export-redcap', 'care', '--out', dev, '--quiet'],
    ]) {
      const r = rapport(args, { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const st = fs.lstatSync(dev);
      expect(st.isCharacterDevice()).toBe(true);
      expect(st.rdev).toBe(fs.statSync('/dev/null').rdev);
    }
    expect(leftovers(dir)).toEqual([]);
  });

  it('a FIFO is opened and written, and stays a FIFO', async () => {
    const fifo = path.join(dir, 'out.fifo');
    spawnSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (d) => (got += d));
    const done = new Promise((r) => reader.on('close', r));
    const r = rapport(['score', input, '-i', INST, '--out', fifo, '--quiet'], { cwd: dir });
    await done;
    expect(r.code).toBe(0);
    expect(got.split('\n')[0]).toMatch(/^id,trust,/);
    expect(got.trimEnd().split('\n')).toHaveLength(41);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('/dev/stdout and /dev/fd/N are the open descriptors, written in place', () => {
    const viaStdout = rapport(['simulate', '-i', INST, '--n', '40', '--seed', '7', '--out', '/dev/stdout', '--quiet']);
    expect(viaStdout.code).toBe(0);
    expect(viaStdout.stdout).toBe(inputText);
    // fd 3 is a pipe to this process, as bash's >(...) process substitution gives.
    const r = run(['simulate', '-i', INST, '--n', '40', '--seed', '7', '--out', '/dev/fd/3', '--quiet'], ['ignore', 'pipe', 'pipe', 'pipe']);
    expect(r.code).toBe(0);
    expect(String(r.output[3])).toBe(inputText);
    expect(r.stdout).toBe('');
  });

  it('stdout redirected to a file with /dev/stdout: the file is appended to in place (>>), never renamed over', () => {
    const f = path.join(dir, 'appended.csv');
    fs.writeFileSync(f, 'kept\n');
    const fd = fs.openSync(f, 'a');
    const r = run(['simulate', '-i', INST, '--n', '40', '--seed', '7', '--out', '/dev/stdout', '--quiet'], ['ignore', fd, 'pipe']);
    fs.closeSync(fd);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(f, 'utf8')).toBe('kept\n' + inputText);
  });

  it('a symlink is followed: its target is replaced atomically and the link stays a link', () => {
    const sub = path.join(dir, 'linkcase');
    fs.mkdirSync(path.join(sub, 'real'), { recursive: true });
    const target = path.join(sub, 'real', 'scores.csv');
    fs.writeFileSync(target, 'old\n');
    fs.symlinkSync('real/scores.csv', path.join(sub, 'scores-link.csv'));
    fs.symlinkSync('real/new.csv', path.join(sub, 'dangling.csv'));
    expect(rapport(['score', input, '-i', INST, '--out', 'scores-link.csv', '--quiet'], { cwd: sub }).code).toBe(0);
    expect(rapport(['score', input, '-i', INST, '--out', 'dangling.csv', '--quiet'], { cwd: sub }).code).toBe(0);
    expect(fs.lstatSync(path.join(sub, 'scores-link.csv')).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(path.join(sub, 'dangling.csv')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toMatch(/^id,trust,/);
    expect(fs.readFileSync(path.join(sub, 'real', 'new.csv'), 'utf8')).toMatch(/^id,trust,/);
    expect(leftovers(sub)).toEqual([]);
    expect(leftovers(path.join(sub, 'real'))).toEqual([]);
  });
});

describe('the input is never an output (exit 2 before anything is read or written)', () => {
  const cases: [string, (d: string) => string[]][] = [
    ['./in.csv', () => ['score', 'in.csv', '-i', INST, '--out', './in.csv']],
    ['an absolute spelling', (d) => ['score', 'in.csv', '-i', INST, '--out', path.join(d, 'in.csv')]],
    ['a symlink to the input', () => ['score', 'in.csv', '-i', INST, '--out', 'in-link.csv']],
    ['--errors naming the input', () => ['score', 'in.csv', '-i', INST, '--errors', 'in-link.csv']],
    ['--summary-json naming the input', () => ['score', 'in.csv', '-i', INST, '--summary-json', 'in.csv']],
    ['--out s.csv --summary-json s.csv', () => ['score', 'in.csv', '-i', INST, '--out', 's.csv', '--summary-json', 's.csv']],
    ['--out and --errors through a link to one new file', () => ['score', 'in.csv', '-i', INST, '--out', 'new.csv', '--errors', './new.csv']],
  ];
  it.each(cases)('%s', (_name, args) => {
    const d = tmpDir('rapport-same-');
    fs.writeFileSync(path.join(d, 'in.csv'), inputText);
    fs.symlinkSync('in.csv', path.join(d, 'in-link.csv'));
    const r = rapport(args(d), { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the same file as/);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(path.join(d, 'in.csv'), 'utf8')).toBe(inputText);
    expect(fs.readdirSync(d).sort()).toEqual(['in-link.csv', 'in.csv']);
  });

  it('standard input redirected from the file that --out names', () => {
    const d = tmpDir('rapport-same-');
    const f = path.join(d, 'in.csv');
    fs.writeFileSync(f, inputText);
    const fd = fs.openSync(f, 'r');
    const r = run(['score', '-', '-i', INST, '--out', 'in.csv'], [fd, 'pipe', 'pipe'], d);
    fs.closeSync(fd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out in\.csv: is the same file as the input/);
    expect(fs.readFileSync(f, 'utf8')).toBe(inputText);
  });

  it('every other command that writes: an instrument or dictionary is never its own output', () => {
    const d = tmpDir('rapport-same-');
    const inst = path.join(d, 'inst.yaml');
    fs.copyFileSync(path.join(ROOT, 'instruments', 'care.yaml'), inst);
    const before = fs.readFileSync(inst, 'utf8');
    expect(rapport(['instruments', 'export-redcap', 'care', '--out', 'dict.csv', '--quiet'], { cwd: d }).code).toBe(0);
    const dict = fs.readFileSync(path.join(d, 'dict.csv'), 'utf8');
    for (const args of [
      ['instruments', 'export-redcap', 'inst.yaml', '--out', './inst.yaml'],
      ['instruments', 'import-redcap', 'dict.csv', '--out', path.join(d, 'dict.csv')],
      ['simulate', '-i', 'inst.yaml', '--n', '5', '--out', 'inst.yaml'],
      ['run', 'inst.yaml', '--out', 'inst.yaml'],
    ]) {
      const r = rapport(args, { cwd: d });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/is the same file as/);
    }
    expect(fs.readFileSync(inst, 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(d, 'dict.csv'), 'utf8')).toBe(dict);
  });

  it('report: the input inside the report folder', () => {
    const d = tmpDir('rapport-same-');
    fs.mkdirSync(path.join(d, 'rep'));
    fs.copyFileSync(SCORED, path.join(d, 'rep', 'model.csv'));
    const r = rapport(['report', 'rep/model.csv', ...REPORT_ARGS, '--out', 'rep'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/same file as the input/);
    expect(fs.readdirSync(path.join(d, 'rep'))).toEqual(['model.csv']);
  });
});

describe('several outputs of one command are all or none', () => {
  it('score --out s3.csv --summary-json nodir/s.json: 73 without touching s3.csv', () => {
    const d = tmpDir('rapport-aon-');
    fs.writeFileSync(path.join(d, 's3.csv'), 'old\n');
    const r = rapport(['score', input, '-i', INST, '--out', 's3.csv', '--summary-json', 'nodir/s.json'], { cwd: d });
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/nodir\/s\.json: .*folder does not exist \(.*nodir\)/);
    expect(fs.readFileSync(path.join(d, 's3.csv'), 'utf8')).toBe('old\n');
    expect(fs.readdirSync(d)).toEqual(['s3.csv']);
  });

  /**
   * A child runs the built CLI in-process with fs.renameSync patched (node:fs's exports are synced to
   * ESM importers with syncBuiltinESMExports), to fail or to receive SIGTERM at the Nth rename.
   */
  function withPatchedRename(mode: 'fail' | 'signal', nth: number, args: string[], cwd: string) {
    const child = `
      import fs from 'node:fs';
      import { syncBuiltinESMExports } from 'node:module';
      const real = fs.renameSync;
      let calls = 0;
      fs.renameSync = (a, b) => {
        if (!String(a).endsWith('.tmp')) return real(a, b);
        calls++;
        if (calls === ${nth}) {
          if (${JSON.stringify(mode)} === 'fail') throw Object.assign(new Error('EIO: injected'), { code: 'EIO' });
          process.kill(process.pid, 'SIGTERM');
        }
        return real(a, b);
      };
      syncBuiltinESMExports();
      const { main } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href)});
      await main([process.argv0, 'rapport', ...process.argv.slice(1)]);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    return { code: r.status, stderr: r.stderr };
  }

  it('a failure at the second rename of score leaves every old file as it was (rolled back)', () => {
    const d = tmpDir('rapport-aon-');
    for (const f of ['s.csv', 'e.csv', 's.json']) fs.writeFileSync(path.join(d, f), `old ${f}\n`);
    const r = withPatchedRename('fail', 2, ['score', input, '-i', INST, '--out', 's.csv', '--errors', 'e.csv', '--summary-json', 's.json', '--quiet'], d);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/EIO/);
    for (const f of ['s.csv', 'e.csv', 's.json']) expect(fs.readFileSync(path.join(d, f), 'utf8')).toBe(`old ${f}\n`);
    expect(fs.readdirSync(d).sort()).toEqual(['e.csv', 's.csv', 's.json']);
  });

  it('a failure at the fifth rename of report leaves the old report as it was', () => {
    const d = tmpDir('rapport-aon-');
    expect(rapport(['report', SCORED, ...REPORT_ARGS, '--out', 'rep'], { cwd: d }).code).toBe(0);
    const before = Object.fromEntries(fs.readdirSync(path.join(d, 'rep')).map((f) => [f, fs.readFileSync(path.join(d, 'rep', f), 'utf8')]));
    const r = withPatchedRename('fail', 5, ['report', SCORED, ...REPORT_ARGS, '--raw-units', '--out', 'rep'], d);
    expect(r.code).toBe(73);
    const after = Object.fromEntries(fs.readdirSync(path.join(d, 'rep')).map((f) => [f, fs.readFileSync(path.join(d, 'rep', f), 'utf8')]));
    expect(after).toEqual(before);
  });

  it('a SIGTERM during the renames is handled after them: the report is all new, never a mix (exit 130)', () => {
    const d = tmpDir('rapport-aon-');
    expect(rapport(['report', SCORED, ...REPORT_ARGS, '--out', 'rep'], { cwd: d }).code).toBe(0);
    const r = withPatchedRename('signal', 3, ['report', SCORED, ...REPORT_ARGS, '--raw-units', '--out', 'rep'], d);
    expect(r.code).toBe(130);
    const files = fs.readdirSync(path.join(d, 'rep'));
    expect(files.filter((f) => /\.(tmp|old)$/.test(f))).toEqual([]);
    // Every file is the --raw-units run's: the manifest's hashes match each file.
    const manifest = JSON.parse(fs.readFileSync(path.join(d, 'rep', '.rapport-manifest.json'), 'utf8'));
    for (const [name, hash] of Object.entries(manifest.files)) {
      const h = spawnSync('sha256sum', [path.join(d, 'rep', name)], { encoding: 'utf8' }).stdout.split(' ')[0];
      expect(h).toBe(hash);
    }
    expect(rapport(['report', SCORED, ...REPORT_ARGS, '--raw-units', '--out', 'clean'], { cwd: d }).code).toBe(0);
    expect(fs.readFileSync(path.join(d, 'rep', 'model.csv'), 'utf8')).toBe(fs.readFileSync(path.join(d, 'clean', 'model.csv'), 'utf8'));
  });

  it('a report folder is one run: files of an earlier run that this run does not write are removed; nothing else is', () => {
    const d = tmpDir('rapport-aon-');
    expect(rapport(['report', SCORED, ...REPORT_ARGS, '--group-by', 'sex', '--out', 'rep'], { cwd: d }).code).toBe(0);
    expect(fs.existsSync(path.join(d, 'rep', 'groups.csv'))).toBe(true);
    fs.writeFileSync(path.join(d, 'rep', 'notes.txt'), 'mine\n');
    expect(rapport(['report', SCORED, ...REPORT_ARGS, '--out', 'rep'], { cwd: d }).code).toBe(0);
    const files = fs.readdirSync(path.join(d, 'rep')).sort();
    expect(files).not.toContain('groups.csv');
    expect(files).toContain('notes.txt');
    expect(files).toContain('.rapport-manifest.json');
    expect(files.filter((f) => /\.(tmp|old)$/.test(f))).toEqual([]);
    // A stale file the user changed since rapport wrote it is left in place, with a warning.
    expect(rapport(['report', SCORED, ...REPORT_ARGS, '--group-by', 'sex', '--out', 'rep'], { cwd: d }).code).toBe(0);
    fs.appendFileSync(path.join(d, 'rep', 'groups.csv'), 'edited by hand\n');
    const r = rapport(['report', SCORED, '--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--out', 'rep'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/groups\.csv is from an earlier run but was changed/);
    expect(fs.readFileSync(path.join(d, 'rep', 'groups.csv'), 'utf8')).toMatch(/edited by hand/);
  });

  it('report --out - is a usage error pointing to --format json', () => {
    const r = rapport(['report', SCORED, ...REPORT_ARGS, '--out', '-'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/use --format json to print to standard output/);
    expect(fs.existsSync(path.join(dir, '-'))).toBe(false);
  });
});

describe('paths that cannot work fail fast with 73 and the real reason', () => {
  it('report --out /proc/x', () => {
    const r = rapport(['report', SCORED, ...REPORT_ARGS, '--out', '/proc/rapport-x'], { cwd: dir });
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/does not allow a folder/);
  });

  it('an existing file given as a report folder', () => {
    const r = rapport(['report', SCORED, ...REPORT_ARGS, '--out', input]);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/is a file, not a folder/);
    expect(fs.readFileSync(input, 'utf8')).toBe(inputText);
  });

  it('a folder given as score --out, and a file in the path', () => {
    expect(rapport(['score', input, '-i', INST, '--out', dir]).stderr).toMatch(/is a folder; name a file/);
    const r = rapport(['score', input, '-i', INST, '--out', path.join(input, 'x.csv')]);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/is a file, not a folder/);
  });

  it('run --out <folder> is 73; run --out <FIFO> is refused at once', () => {
    const a = rapport(['run', INST, '--out', dir]);
    expect(a.code).toBe(73);
    expect(a.stderr).toMatch(/is a folder/);
    const fifo = path.join(dir, 'run.fifo');
    spawnSync('mkfifo', [fifo]);
    const b = rapport(['run', INST, '--out', fifo]);
    expect(b.code).toBe(73);
    expect(b.stderr).toMatch(/is a FIFO; rapport run appends/);
  });

  describe.skipIf(!IS_ROOT)(`read-only and full file systems [${ROOT_REASON}]`, () => {
    let ro: string;
    let full: string;
    beforeAll(() => {
      ro = tmpDir('rapport-ro-');
      full = tmpDir('rapport-full-');
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', ro]).status).toBe(0);
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]).status).toBe(0);
    });
    afterAll(() => {
      spawnSync('umount', [ro]);
      spawnSync('umount', [full]);
    });

    it('a read-only file system says so (score, report, run)', () => {
      for (const args of [
        ['score', input, '-i', INST, '--out', path.join(ro, 's.csv')],
        ['report', SCORED, ...REPORT_ARGS, '--out', path.join(ro, 'rep')],
        ['run', INST, '--out', path.join(ro, 'r.csv')],
      ]) {
        const r = rapport(args);
        expect(r.code).toBe(73);
        expect(r.stderr).toMatch(/read-only file system/);
      }
    });

    it('a full disk: --out keeps the old file and leaves no temporary file; stdout to the full disk is 73', () => {
      const big = path.join(dir, 'big.csv');
      fs.writeFileSync(big, rapport(['simulate', '-i', INST, '--n', '2000', '--quiet']).stdout);
      const target = path.join(full, 'scores.csv');
      fs.writeFileSync(target, 'old\n');
      const r = rapport(['score', big, '-i', INST, '--out', target, '--quiet']);
      expect(r.code).toBe(73);
      expect(r.stderr).toMatch(/disk is full/);
      expect(fs.readFileSync(target, 'utf8')).toBe('old\n');
      expect(fs.readdirSync(full)).toEqual(['scores.csv']);
      const f = path.join(full, 'stdout.csv');
      const fd = fs.openSync(f, 'w');
      const s = run(['score', big, '-i', INST, '--quiet'], ['ignore', fd, 'pipe']);
      fs.closeSync(fd);
      expect(s.code).toBe(73);
      expect(s.stderr.trim().split('\n')).toHaveLength(1);
      expect(s.stderr).toMatch(/standard output: the disk is full/);
    });
  });
});

describe('every write to standard output is checked', () => {
  const cmds: [string, string[]][] = [
    ['report --format json', ['report', SCORED, ...REPORT_ARGS, '--format', 'json', '--out', 'rep-json']],
    ['power', ['power', '-i', INST, '--effect', 'trust=1.5', '--n', '100', '--reps', '3', '--quiet']],
    ['instruments show', ['instruments', 'show', INST]],
    ['score', ['score', 'in.csv', '-i', INST, '--quiet']],
    ['simulate', ['simulate', '-i', INST, '--n', '50', '--quiet']],
    ['export-redcap --out -', ['instruments', 'export-redcap', INST, '--out', '-', '--quiet']],
    ['score --out /dev/full', ['score', 'in.csv', '-i', INST, '--out', '/dev/full', '--quiet']],
  ];
  it.each(cmds)('%s > /dev/full ends with 73 and one sentence', (_name, args) => {
    const fd = fs.openSync('/dev/full', 'w');
    const r = run(args, ['ignore', fd, 'pipe']);
    fs.closeSync(fd);
    expect(r.stderr).toMatch(/^rapport: (standard output|\/dev\/full): the disk is full .*run again\.\n$/);
    expect(r.code).toBe(73);
  });

  it("score's stdout spool is unlinked as soon as it is created (nothing survives a SIGKILL in TMPDIR)", async () => {
    const tmp = tmpDir('rapport-spool-');
    const big = path.join(dir, 'spool-in.csv');
    fs.writeFileSync(big, rapport(['simulate', '-i', INST, '--n', '100000', '--quiet']).stdout); // about 9.4 MB scored: past the 8 MiB kept in memory
    const keep = inputText.split('\n')[0].split(',').slice(1, 23).join(',');
    const child = spawn(process.execPath, [BIN, 'score', big, '-i', INST, '--keep', keep, '--quiet'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'ignore'] });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    let sawSpool = false;
    let gone = false;
    child.on('exit', () => (gone = true));
    while (!gone && !sawSpool) {
      try {
        for (const fd of fs.readdirSync(`/proc/${child.pid}/fd`)) {
          const l = fs.readlinkSync(`/proc/${child.pid}/fd/${fd}`);
          if (l.includes('.rapport-spool-') && l.endsWith('(deleted)')) sawSpool = true;
        }
      } catch {
        /* the process is ending */
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(sawSpool).toBe(true);
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 60_000);
});
