/** The end-to-end helper refuses a missing or stale build (the e2e tests fail, never skip). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleBuild, tmpDir } from './cli.js';

function project(): string {
  const root = tmpDir('rapport-helper-');
  fs.mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), 'export {};\n');
  fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export {};\n');
  return root;
}

function build(root: string, when: Date) {
  fs.mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
  for (const f of ['cli/main.js', 'a.js']) {
    fs.writeFileSync(path.join(root, 'dist', f), '');
    fs.utimesSync(path.join(root, 'dist', f), when, when);
  }
}

describe('staleBuild', () => {
  it('names a missing dist/, a missing module and a module older than its source; passes a fresh build', () => {
    const root = project();
    const past = new Date(Date.now() - 60_000);
    for (const f of ['src/cli/main.ts', 'src/a.ts']) fs.utimesSync(path.join(root, f), past, past);
    expect(staleBuild(root)).toBe('dist/ is missing');
    build(root, new Date());
    expect(staleBuild(root)).toBeUndefined();
    fs.writeFileSync(path.join(root, 'src', 'b.ts'), 'export {};\n');
    expect(staleBuild(root)).toBe('dist/b.js is missing');
    fs.rmSync(path.join(root, 'src', 'b.ts'));
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'src', 'a.ts'), later, later);
    expect(staleBuild(root)).toBe('dist/a.js is older than src/a.ts');
  });
  it('the real build is fresh (the e2e tests of this run test the current code)', () => {
    expect(staleBuild()).toBeUndefined();
  });
});
