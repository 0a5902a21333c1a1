/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters: registration authority (1), entity type (1), region code (6), organisation
 * code (9), check character (1). Pure: no GraphQL or database imports.
 */

/** The code's alphabet; a character's value is its index. I, O, S, V and Z never occur. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccKind = 'ENTERPRISE' | 'INDIVIDUAL_BUSINESS' | 'FARMER_COOPERATIVE';

/** Entity types registered by market supervision (authority `9`), by the code's first two characters. */
const KIND_BY_PREFIX: Record<string, UsccKind> = {
  '91': 'ENTERPRISE',
  '92': 'INDIVIDUAL_BUSINESS',
  '93': 'FARMER_COOPERATIVE',
};

export type UsccValidation =
  | { valid: true; uscc: string; kind: UsccKind | null; regionCode: string }
  | { valid: false; reason: string };

/** The check character for the first 17 characters of a code. Throws on a character outside the charset. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`character '${first17[i]}' at position ${i + 1} is not allowed`);
    sum += value * WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * Checks a USCC: length, alphabet, six-digit region code and check character. Surrounding spaces
 * are ignored and lower case is accepted; the normalised code is returned.
 */
export function validateUscc(input: string): UsccValidation {
  const uscc = input.trim().toUpperCase();
  if (uscc.length !== 18) return { valid: false, reason: `must be 18 characters, got ${uscc.length}` };
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(uscc[i]!)) {
      return { valid: false, reason: `character '${uscc[i]}' at position ${i + 1} is not allowed (no I, O, S, V or Z)` };
    }
  }
  const regionCode = uscc.slice(2, 8);
  if (!/^[0-9]{6}$/.test(regionCode)) return { valid: false, reason: 'positions 3–8 must be a six-digit region code' };
  const expected = usccCheckCharacter(uscc.slice(0, 17));
  if (uscc[17] !== expected) {
    return { valid: false, reason: `wrong check character '${uscc[17]}' (expected '${expected}')` };
  }
  return { valid: true, uscc, kind: KIND_BY_PREFIX[uscc.slice(0, 2)] ?? null, regionCode };
}

/** Builds a valid code from its first 17 characters by appending the check character. */
export function withUsccCheckCharacter(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}
