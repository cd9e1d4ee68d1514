/**
 * When maximum likelihood gives way to Firth's bias-reduced fit: the one rule used by `report
 * --method auto` and by the power simulation. ML estimates do not exist under complete or
 * quasi-complete separation, and a fit that did not converge cannot be trusted; in both cases Firth's
 * penalised fit gives finite estimates. Separation is checked only when the ML fit gives a reason to
 * (not converged, or fitted probabilities at 0 or 1) unless the fit already carries the check.
 */
import type { SeparationResult } from './separation.js';

/** Why Firth's method is used: the data are separated, or ML did not converge. */
export type FirthCause = 'separation' | 'not_converged';

export interface FirthDecision {
  useFirth: boolean;
  cause: FirthCause | null;
  /** The separation check consulted (null when none was needed). */
  separation: SeparationResult | null;
}

/** True for complete or quasi-complete separation. */
export function isSeparated(s: SeparationResult | null): boolean {
  return s !== null && (s.status === 'complete' || s.status === 'quasi-complete');
}

/**
 * Decide from an ML fit. `fit.separation` is used when present; otherwise `checkSeparation` runs only
 * for a suspicious fit (not converged, or on the boundary).
 */
export function firthDecision(
  fit: { converged: boolean; boundary: boolean; separation: SeparationResult | null },
  checkSeparation: () => SeparationResult,
): FirthDecision {
  const separation = fit.separation ?? (!fit.converged || fit.boundary ? checkSeparation() : null);
  if (isSeparated(separation)) return { useFirth: true, cause: 'separation', separation };
  if (!fit.converged) return { useFirth: true, cause: 'not_converged', separation };
  return { useFirth: false, cause: null, separation };
}
