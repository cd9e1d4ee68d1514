/** A finite number or null (result objects hold null, never NaN or Infinity). */
export function nn(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}
