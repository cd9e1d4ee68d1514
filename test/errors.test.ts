/**
 * src/errors.ts: the closed list of error codes. docs/errors.md lists exactly the codes of ERROR_CODES
 * with their exit codes; every code follows the AREA_WHAT convention; each error class gets the exit
 * code of its code.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, ERROR_CODES, EXIT, InputError, OutputError, UsageError } from '../src/errors.js';

const AREAS = ['USAGE', 'INPUT', 'OUTPUT', 'CSV', 'SAV', 'XLSX', 'MAP', 'SCORE', 'INSTRUMENT', 'REDCAP', 'REPORT', 'RUN', 'KIOSK', 'RESPONSES', 'JOURNAL'];

describe('error codes', () => {
  it('docs/errors.md lists every code with its exit code, and nothing else', () => {
    const doc = fs.readFileSync('docs/errors.md', 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (.+) \|$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows.length).toBeGreaterThan(40);
    expect(rows).toEqual(Object.entries(ERROR_CODES).map(([c, v]) => [c, v.exit]));
  });
  it('every code is AREA or AREA_WHAT with a known area (INTERNAL and INTERRUPTED stand alone)', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      if (code === 'INTERNAL' || code === 'INTERRUPTED') continue;
      const area = AREAS.find((a) => code === a || code.startsWith(`${a}_`));
      expect(area, code).toBeDefined();
    }
  });
  it('each error takes the exit code of its code', () => {
    expect(new DataError('CSV_RAGGED_ROW', 'x').exitCode).toBe(EXIT.DATA);
    expect(new UsageError('x').exitCode).toBe(EXIT.USAGE);
    expect(new UsageError('x', 'RUN_NO_TTY').code).toBe('RUN_NO_TTY');
    expect(new InputError('x', 'f', 'INSTRUMENT_UNKNOWN').exitCode).toBe(EXIT.NO_INPUT);
    expect(new OutputError('x').code).toBe('OUTPUT_FAILED');
  });
  it('the README links the list', () => {
    expect(fs.readFileSync('README.md', 'utf8')).toContain('(docs/errors.md)');
  });
});
