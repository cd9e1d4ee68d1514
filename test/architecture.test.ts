/**
 * The layering of src/ (README, Design): cli → survey/simulate/report → scoring → ingest →
 * instrument/io/stats (util below all), imports one way down, no import cycles (static or dynamic).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const RANK: Record<string, number> = { cli: 5, survey: 4, simulate: 4, report: 4, scoring: 3, ingest: 2, instrument: 1, io: 1, stats: 1, util: 0 };

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const src = fs.readFileSync(p, 'utf8');
        const deps = [...src.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => path.normalize(path.join(dir, m[1])).replace(/\.js$/, '.ts'));
        g.set(p, deps);
      }
    }
  };
  walk('src');
  return g;
}

const layer = (file: string) => file.split(path.sep)[1];

describe('architecture', () => {
  const g = graph();
  it('reads the import graph', () => expect(g.size).toBeGreaterThan(50));
  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const dfs = (u: string) => {
      state.set(u, 1);
      stack.push(u);
      for (const v of g.get(u) ?? []) {
        if (state.get(v) === 1) cycles.push([...stack.slice(stack.indexOf(v)), v].join(' -> '));
        else if (!state.has(v) && g.has(v)) dfs(v);
      }
      stack.pop();
      state.set(u, 2);
    };
    for (const u of g.keys()) if (!state.has(u)) dfs(u);
    expect(cycles).toEqual([]);
  });
  it('imports only downwards between layers', () => {
    const upward: string[] = [];
    for (const [u, deps] of g) {
      for (const v of deps) {
        const a = RANK[layer(u)];
        const b = RANK[layer(v)];
        if (a !== undefined && b !== undefined && b > a) upward.push(`${u} -> ${v}`);
      }
    }
    expect(upward).toEqual([]);
  });
  it('only src/ingest/ uses the CSV parser (the one place that turns bytes into records)', () => {
    const users = [...g.keys()].filter((f) => /from 'csv-parse/.test(fs.readFileSync(f, 'utf8')) && layer(f) !== 'ingest');
    expect(users).toEqual([]);
  });
});
