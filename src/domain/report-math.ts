/** Percentages of the annual report, exact from integers. Pure. */

/** numerator ÷ denominator in percent, rounded half-up to two decimals; null when there is nothing to divide. */
export function percent(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  // Integer arithmetic: round(10000 × n / d) half-up, then back to two decimals.
  return Math.floor((20000 * numerator + denominator) / (2 * denominator)) / 100;
}

/** Change from `previous` to `current` in percent (two decimals, half away from zero); null without a base. */
export function changePercent(current: number, previous: number): number | null {
  if (previous === 0) return null;
  const diff = current - previous;
  const magnitude = percent(Math.abs(diff), previous)!;
  return diff < 0 ? -magnitude : magnitude;
}
