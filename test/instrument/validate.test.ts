/**
 * Every validation rule of instrument format v1 (issue #2): each case is a small instrument with one
 * defect; the error must name the path and say what would fix it. All problems are reported at once.
 */
import { describe, expect, it } from 'vitest';
import { InstrumentError } from '../../src/errors.js';
import { instrumentFromText, loadInstrument, builtinIds } from '../../src/instrument/load.js';
import { validateInstrument, jsonPointerToPath } from '../../src/instrument/validate.js';

const base = () => ({
  rapport: 1,
  id: 'demo',
  version: '1.0.0',
  title: 'Demo',
  response_sets: {
    agree5: {
      options: [1, 2, 3, 4, 5].map((v) => ({ value: v, label: `L${v}` })),
      missing: [{ value: 9, label: 'Prefer not to answer' }],
    },
  },
  items: [
    { id: 'a1', text: 'one', response_set: 'agree5' },
    { id: 'a2', text: 'two', response_set: 'agree5', reverse: true },
    { id: 'b1', text: 'three', response_set: 'agree5' },
  ],
  scales: [
    { id: 'a', items: ['a1', 'a2'] },
    { id: 'b', items: ['b1'] },
  ],
});

function problems(mutate: (d: any) => void): { path: string; message: string }[] {
  const d = base();
  mutate(d);
  const r = validateInstrument(d, 'test');
  if (r.ok) return [];
  return r.problems;
}

describe('a valid instrument', () => {
  it('normalises defaults: languages [en], method mean, min_answered 50%, reverse false', () => {
    const r = validateInstrument(base(), 'test');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.instrument.languages).toEqual(['en']);
    expect(r.instrument.scales[0].method).toBe('mean');
    expect(r.instrument.scales[0].min_answered).toEqual({ kind: 'proportion', p: 0.5 });
    expect(r.instrument.items[0].reverse).toBe(false);
    expect(r.instrument.items[1].reverse).toBe(true);
  });
});

describe('validation rules', () => {
  it('unknown response set', () => {
    expect(problems((d) => (d.items[1].response_set = 'agree7'))).toEqual([
      { path: 'items[1].response_set', message: 'unknown response set "agree7"; use one of: agree5' },
    ]);
  });
  it('duplicate item ids', () => {
    const p = problems((d) => (d.items[2].id = 'a1'));
    expect(p.map((x) => x.path)).toContain('items[2].id');
    expect(p.find((x) => x.path === 'items[2].id')!.message).toMatch(/duplicate item id "a1" \(also items\[0\]\)/);
  });
  it('duplicate scale ids', () => {
    const p = problems((d) => (d.scales[1].id = 'a'));
    expect(p).toContainEqual({ path: 'scales[1].id', message: 'duplicate scale id "a" (also scales[0]); give each scale its own id' });
  });
  it('a scale naming an unknown item', () => {
    expect(problems((d) => d.scales[0].items.push('zz'))).toEqual([
      { path: 'scales[0].items[2]', message: 'unknown item "zz"; it must be the id of an item in items' },
    ]);
  });
  it('an item in two scales', () => {
    expect(problems((d) => d.scales[1].items.push('a1'))).toEqual([
      { path: 'scales[1].items[1]', message: 'item "a1" is already in scale "a"; an item may belong to one scale only' },
    ]);
  });
  it('an empty option list', () => {
    const p = problems((d) => (d.response_sets.agree5.options = []));
    expect(p[0]).toEqual({ path: 'response_sets.agree5.options', message: 'is empty; list the response options from lowest to highest' });
  });
  it('duplicate option values (also across options and missing codes, and 4 vs "4")', () => {
    expect(problems((d) => (d.response_sets.agree5.options[4].value = 4))[0]).toEqual({
      path: 'response_sets.agree5.options[4].value',
      message: 'duplicate value 4 (also at response_sets.agree5.options[3]); each option needs its own code',
    });
    expect(problems((d) => (d.response_sets.agree5.missing[0].value = '5'))[0].path).toBe('response_sets.agree5.missing[0].value');
  });
  it('duplicate option labels (after case and space folding)', () => {
    const p = problems((d) => (d.response_sets.agree5.options[1].label = ' l1 '));
    expect(p[0].path).toBe('response_sets.agree5.options[1].label');
    expect(p[0].message).toMatch(/duplicate label " l1 " \(also at response_sets\.agree5\.options\[0\]\)/);
  });
  it.each([
    ['abc', /use a whole number of items \(1 or more\), or a percentage such as "50%"/],
    [0, /use a whole number of items \(1 or more\), or a percentage such as "50%"/],
    ['150%', /use a whole number of items \(1 or more\), or a percentage such as "50%"/],
    [2.5, /use a whole number/],
  ])('bad min_answered %j', (v, re) => {
    const p = problems((d) => (d.scales[0].min_answered = v));
    expect(p).toHaveLength(1);
    expect(p[0].path).toBe('scales[0].min_answered');
    expect(p[0].message).toMatch(re);
  });
  it('min_answered larger than the scale', () => {
    expect(problems((d) => (d.scales[0].min_answered = 3))).toEqual([
      { path: 'scales[0].min_answered', message: 'asks for 3 answered items but the scale has only 2; use at most 2 or a percentage' },
    ]);
  });
  it('0% is refused', () => {
    expect(problems((d) => (d.scales[0].min_answered = '0%'))[0].message).toMatch(/above 0%/);
  });
  it('missing translations for a declared language', () => {
    const p = problems((d) => {
      d.languages = ['en', 'es'];
      d.title = { en: 'Demo', es: 'Demostración' };
      for (const o of [...d.response_sets.agree5.options, ...d.response_sets.agree5.missing]) o.label = { en: `E${o.value}`, es: `S${o.value}` };
      d.items = d.items.map((it: any) => ({ ...it, text: { en: it.text, es: it.text + ' (es)' } }));
      d.items[2].text = { en: 'three' };
      d.scales[0].label = 'Plain string';
    });
    expect(p).toEqual([
      { path: 'items[2].text', message: 'has no "es" translation; add es: ... (declared in languages)' },
      { path: 'scales[0].label', message: 'is a plain string but the instrument declares languages [en, es]; give {en: ..., es: ...}' },
    ]);
  });
  it('a translation in an undeclared language', () => {
    expect(problems((d) => (d.title = { en: 'Demo', fr: 'Démo' }))).toEqual([
      { path: 'title.fr', message: 'language "fr" is not declared in languages [en]; add it there or remove this text' },
    ]);
  });
  it('letter codes are allowed, but not in a scale', () => {
    const p = problems((d) => {
      d.response_sets.abc = { options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] };
      d.items.push({ id: 'c1', text: 'letters', response_set: 'abc' });
    });
    expect(p).toEqual([]);
    const q = problems((d) => {
      d.response_sets.abc = { options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] };
      d.items.push({ id: 'c1', text: 'letters', response_set: 'abc' });
      d.scales.push({ id: 'c', items: ['c1'] });
    });
    expect(q).toHaveLength(1);
    expect(q[0].path).toBe('scales[2].items[0]');
    expect(q[0].message).toMatch(/codes "a", "b" are not numbers, so it cannot be scored/);
  });
  it('a bad instrument id and a missing required field', () => {
    const p = problems((d) => {
      d.id = 'Bad Id';
      delete d.version;
    });
    expect(p).toContainEqual({ path: 'version', message: 'is required but missing; add it' });
    expect(p.find((x) => x.path === 'id')!.message).toMatch(/lower-case letters, digits and single dashes/);
  });
  it('wrong format version', () => {
    expect(problems((d) => (d.rapport = 2))).toEqual([{ path: 'rapport', message: 'must be 1, got 2' }]);
  });
  it('reports every problem at once', () => {
    const p = problems((d) => {
      d.items[0].response_set = 'nope';
      d.items[2].id = 'a2';
      d.scales[0].items.push('ghost');
      d.response_sets.agree5.options[0].value = 2;
    });
    // b1 was renamed, so scale b now names an unknown item too.
    expect(p.map((x) => x.path).sort()).toEqual(['items[0].response_set', 'items[2].id', 'response_sets.agree5.options[1].value', 'scales[0].items[2]', 'scales[1].items[0]'].sort());
  });
  it('a scale id equal to an item id is refused (columns would collide)', () => {
    expect(problems((d) => (d.scales[1].id = 'b1'))[0].message).toMatch(/also an item id/);
  });
});

describe('safe YAML parsing', () => {
  const ok = `rapport: 1\nid: y\nversion: "1"\ntitle: Y\nresponse_sets:\n  r: {options: [{value: 1, label: A}, {value: 2, label: B}]}\nitems:\n  - {id: i1, text: t, response_set: r}\n`;
  it('parses YAML and JSON alike', () => {
    expect(instrumentFromText(ok, 'y.yaml').items[0].id).toBe('i1');
    const json = JSON.stringify({ rapport: 1, id: 'j', version: '1', title: 'J', response_sets: { r: { options: [{ value: 1, label: 'A' }] } }, items: [{ id: 'i', text: 't', response_set: 'r' }] });
    expect(instrumentFromText(json, 'j.json').id).toBe('j');
  });
  it('refuses an alias bomb without expanding it', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]'].join('\n');
    const t0 = Date.now();
    expect(() => instrumentFromText(bomb, 'bomb.yaml')).toThrow(/alias bomb/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
  it('refuses custom tags', () => {
    expect(() => instrumentFromText(ok + 'extra: !!js/function "function(){}"\n', 'tag.yaml')).toThrow(/uses a YAML tag/);
    expect(() => instrumentFromText(ok + 'extra: !custom 1\n', 'tag.yaml')).toThrow(/uses a YAML tag \(!custom\)/);
  });
  it('refuses duplicate keys, with the line', () => {
    try {
      instrumentFromText(ok + 'id: z\n', 'dup.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InstrumentError);
      expect((e as InstrumentError).message).toMatch(/dup\.yaml: line 9, column 1: is not valid YAML: Map keys must be unique/);
      expect((e as InstrumentError).exitCode).toBe(65);
    }
  });
  it('a syntax error names line and column', () => {
    expect(() => instrumentFromText('rapport: 1\nid: [unclosed\n', 'bad.yaml')).toThrow(/bad\.yaml: .*line \d+, column \d+/);
  });
  it('deep nesting is an error, not a crash', () => {
    const deep = 'x: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n';
    expect(() => instrumentFromText(deep, 'deep.yaml')).toThrow(InstrumentError);
  });
  it('a non-mapping document', () => {
    expect(() => instrumentFromText('- 1\n- 2\n', 'list.yaml')).toThrow(/must hold a mapping/);
  });
});

describe('paths', () => {
  it('JSON pointers become instrument paths', () => {
    expect(jsonPointerToPath('/items/3/response_set')).toBe('items[3].response_set');
    expect(jsonPointerToPath('/response_sets/agree5/options/0/label')).toBe('response_sets.agree5.options[0].label');
    expect(jsonPointerToPath('')).toBe('');
  });
});

describe('built-in instruments', () => {
  it('all load and validate', () => {
    const ids = builtinIds();
    expect(ids).toContain('relationship-engagement');
    for (const id of ids) expect(loadInstrument(id).id).toBe(id);
  });
  it('relationship-engagement@1.0.0: six traits, 22 scale items, a few reverse-keyed, outcomes in no scale, en + es', () => {
    const inst = loadInstrument('relationship-engagement@1.0.0');
    expect(inst.version).toBe('1.0.0');
    expect(inst.scales.map((s) => s.id)).toEqual(['trust', 'respect', 'liking', 'listening', 'agreement', 'communication']);
    expect(inst.scales.reduce((n, s) => n + s.items.length, 0)).toBe(22);
    expect(inst.items.filter((i) => i.reverse).map((i) => i.id)).toEqual(['trust_3', 'respect_3', 'listening_4', 'communication_4']);
    const inScale = new Set(inst.scales.flatMap((s) => s.items));
    expect(inst.items.filter((i) => !inScale.has(i.id)).map((i) => i.id)).toEqual(['portal_use', 'portal_frequency', 'phr_use', 'decision_aid_use', 'preferred_channel']);
    expect(inst.languages).toEqual(['en', 'es']);
    const portal = inst.response_sets[inst.items.find((i) => i.id === 'portal_use')!.response_set];
    expect(portal.options.map((o) => o.value)).toEqual([0, 1]);
  });
});
