/** The README's library table names exactly the dependencies in package.json (issue 12). */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README library table', () => {
  it('matches package.json: every dependency listed, nothing listed that is not one', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    const readme = fs.readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('| library | why |'), readme.indexOf('\n\n', readme.indexOf('| library | why |')));
    const names = new Set<string>();
    for (const row of table.split('\n').slice(2)) {
      const cell = row.split('|')[1];
      for (const m of cell.matchAll(/`([^`]+)`/g)) names.add(m[1]);
    }
    const deps = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies).filter((d: string) => !d.startsWith('@types/'))].sort();
    expect([...names].sort()).toEqual(deps);
  });
});
