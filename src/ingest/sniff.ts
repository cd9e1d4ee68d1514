/**
 * Delimiter sniffing: count `,` `;` and tab outside double quotes in the first record (up to the first
 * line break that is not inside quotes). The most frequent wins; ties prefer `,` then `;` then tab; a
 * first record with none of them (a one-column file) is read with `,`.
 */

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = string;

export function sniffDelimiter(text: string): Delimiter {
  let comma = 0;
  let semi = 0;
  let tab = 0;
  let quoted = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      if (quoted && i + 1 < n && text.charCodeAt(i + 1) === 34) {
        i++;
        continue;
      }
      quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    if (c === 10 || c === 13) break;
    if (c === 44) comma++;
    else if (c === 59) semi++;
    else if (c === 9) tab++;
  }
  if (comma === 0 && semi === 0 && tab === 0) return ',';
  if (comma >= semi && comma >= tab) return ',';
  if (semi >= tab) return ';';
  return '\t';
}

/** Parse a `--delimiter` value: one character, or the words `tab`, `comma`, `semicolon`, or `\t`. */
export function parseDelimiterOption(v: string): Delimiter | undefined {
  const words = new Map<string, string>([['tab', '\t'], ['\\t', '\t'], ['comma', ','], ['semicolon', ';'], ['pipe', '|']]);
  const w = words.get(v.toLowerCase());
  if (w) return w;
  if (v.length === 1 && v !== '"' && v !== '\n' && v !== '\r') return v;
  return undefined;
}

/** Human name of a delimiter for messages and the summary. */
export function delimiterName(d: Delimiter): string {
  return d === ',' ? 'comma' : d === ';' ? 'semicolon' : d === '\t' ? 'tab' : JSON.stringify(d);
}
