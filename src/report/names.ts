/** How platforms and exclusion reasons are named in sentences (shared by facts.ts and pilot-facts.ts). */
import type { Count } from './types.js';

/** How the input was read, for "What was analysed": the platform, and an Excel or SPSS file (`qualtrics+xlsx`). */
export function formatName(f: string | null): string | null {
  const plus = f?.indexOf('+') ?? -1;
  if (f !== null && plus > 0) {
    const [platform, kind] = [f.slice(0, plus), f.slice(plus + 1)];
    const file = kind === 'xlsx' ? 'Excel workbook' : kind === 'sav' ? 'SPSS .sav file' : kind;
    if (platform === 'scored') return `already scored, ${file}`;
    return platform === 'plain' ? file : `${formatName(platform)}, ${file}`;
  }
  const names: Record<string, string> = {
    plain: 'plain CSV',
    qualtrics: 'Qualtrics export',
    'qualtrics-legacy': 'Qualtrics export, legacy format',
    redcap: 'REDCap export',
    limesurvey: 'LimeSurvey export',
    'scored CSV': 'already scored CSV',
  };
  return f === null ? null : (names[f] ?? f);
}

const EXCLUSION_REASON: Record<string, string> = {
  preview: 'survey previews',
  test: 'test responses',
  spam: 'spam',
  incomplete: 'unfinished',
  duplicate: 'duplicate ids',
  not_collected: 'forms not collected (REDCap)',
  other_repeating: 'rows of other repeating instruments (REDCap)',
  other_event: 'other events (REDCap)',
};

export function exclusionReason(c: Count): string {
  return EXCLUSION_REASON[c.reason] ?? c.reason;
}
