/** Plain renderings of an instrument for `instruments list/show` (pure functions). */
import type { Instrument, LocalText, MinAnswered, Scale } from './types.js';
import { localize } from './types.js';

export interface InstrumentSummary {
  id: string;
  version: string;
  title: string;
  languages: string[];
  items: number;
  scales: string[];
  wording_bundled: boolean;
  source: string;
}

export function instrumentSummary(inst: Instrument): InstrumentSummary {
  return {
    id: inst.id,
    version: inst.version,
    title: localize(inst.title, inst.languages[0]),
    languages: inst.languages,
    items: inst.items.length,
    scales: inst.scales.map((s) => s.id),
    wording_bundled: inst.license?.wording_bundled !== false,
    source: inst.source,
  };
}

export function minAnsweredText(m: MinAnswered): string {
  return m.kind === 'count' ? String(m.n) : `${+(m.p * 100).toFixed(6)}%`;
}

/** The parsed instrument as JSON (`instruments show --json`); with `lang`, texts are resolved to that language. */
export function instrumentToJson(inst: Instrument, lang?: string): Record<string, unknown> {
  const t = (x: LocalText | undefined) => (x === undefined ? undefined : lang ? localize(x, lang, inst.languages[0]) : x);
  return {
    rapport: 1,
    id: inst.id,
    version: inst.version,
    title: t(inst.title),
    languages: inst.languages,
    ...(inst.intro !== undefined ? { intro: t(inst.intro) } : {}),
    ...(inst.license ? { license: inst.license } : {}),
    ...(inst.citation ? { citation: inst.citation } : {}),
    response_sets: Object.fromEntries(
      Object.values(inst.response_sets).map((rs) => [
        rs.id,
        { options: rs.options.map((o) => ({ value: o.value, label: t(o.label) })), missing: rs.missing.map((o) => ({ value: o.value, label: t(o.label) })) },
      ]),
    ),
    items: inst.items.map((it) => ({ ...it, text: t(it.text), ...(it.section !== undefined ? { section: t(it.section) } : {}), reverse: it.reverse })),
    scales: inst.scales.map((s: Scale) => ({
      id: s.id,
      label: t(s.label),
      items: s.items,
      method: s.method,
      min_answered: s.min_answered.kind === 'count' ? s.min_answered.n : minAnsweredText(s.min_answered),
      ...(s.transform ? { transform: s.transform } : {}),
    })),
  };
}

/** A readable text description (`instruments show`). */
export function describeInstrument(inst: Instrument, lang: string): string {
  const L = (x: LocalText | undefined) => localize(x, lang, inst.languages[0]);
  const lines: string[] = [];
  lines.push(`${L(inst.title)}`);
  lines.push(`id ${inst.id}, version ${inst.version}, languages ${inst.languages.join(', ')}`);
  if (inst.license) {
    const lic = inst.license;
    if (lic.owner) lines.push(`Owner: ${lic.owner}`);
    if (lic.terms) lines.push(`Terms: ${lic.terms}`);
    if (lic.wording_bundled === false) lines.push('Item wording is not bundled: obtain it from the owner.');
  }
  if (inst.citation) for (const c of [inst.citation].flat()) lines.push(`Source: ${c}`);
  lines.push('');
  lines.push('Response sets:');
  for (const rs of Object.values(inst.response_sets)) {
    const opts = rs.options.map((o) => `${o.value} ${L(o.label)}`).join(' | ');
    const miss = rs.missing.length ? `; no answer: ${rs.missing.map((o) => `${o.value} ${L(o.label)}`).join(' | ')}` : '';
    lines.push(`  ${rs.id}: ${opts}${miss}`);
  }
  lines.push('');
  const scaleOf = new Map<string, string>();
  for (const s of inst.scales) for (const i of s.items) scaleOf.set(i, s.id);
  lines.push('Items:');
  const w = Math.max(...inst.items.map((i) => i.id.length));
  for (const it of inst.items) {
    const flags = [scaleOf.get(it.id) ?? 'no scale', it.response_set, it.reverse ? 'reverse-keyed' : '', it.pair !== undefined ? `pair ${it.pair}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${it.id.padEnd(w)}  ${L(it.text)}  [${flags}]`);
  }
  if (inst.scales.length) {
    lines.push('');
    lines.push('Scales:');
    for (const s of inst.scales) {
      lines.push(
        `  ${s.id} (${L(s.label)}): ${s.method} of ${s.items.length} items [${s.items.join(', ')}], at least ${minAnsweredText(s.min_answered)} answered${s.transform ? ', rescaled 0-100' : ''}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
