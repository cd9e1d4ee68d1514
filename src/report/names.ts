/** How platforms and exclusion reasons are named in sentences (shared by facts.ts and pilot-facts.ts). */
import type { Count } from './types.js';

/** Platform names as a reader knows them. */
export function formatName(f: string | null): string | null {
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
