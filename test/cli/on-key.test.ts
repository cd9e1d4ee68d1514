/** `--on key` / `--on key=key2` (src/cli/on-key.ts), shared by --join and --dyad. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseOnKey } from '../../src/cli/on-key.js';

describe('parseOnKey', () => {
  it('one name serves both files; A=B names the key in the input, then in the other file (trimmed)', () => {
    expect(parseOnKey('visit_id')).toEqual({ input: 'visit_id', other: 'visit_id' });
    expect(parseOnKey('visit_id=VisitID')).toEqual({ input: 'visit_id', other: 'VisitID' });
    expect(parseOnKey(' visit_id = VisitID ')).toEqual({ input: 'visit_id', other: 'VisitID' });
  });
  it('refuses an empty side or two equals signs with a usage error (exit 2)', () => {
    for (const bad of ['', '=', 'a=', '=b', 'a=b=c']) expect(() => parseOnKey(bad), bad).toThrow(UsageError);
    expect(() => parseOnKey('a=')).toThrow('--on a=: give the key column\'s name (--on visit_id), or its name in the input and in the other file (--on visit_id=VisitID).');
  });
});
