import { isLocalDate, shanghaiToday } from '../domain/local-date';
import { isRegionCode } from '../domain/region';
import { validateUscc } from '../domain/uscc';
import { BadUserInputError } from '../errors';

/** Trimmed non-blank text of at most `max` characters; otherwise BAD_USER_INPUT naming `field`. */
export function requireText(value: string | null | undefined, field: string, max = 500): string {
  const text = value?.trim() ?? '';
  if (text.length === 0) throw new BadUserInputError(`${field} must not be blank`, field);
  if (text.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters`, field);
  return text;
}

/** Like requireText, but null/undefined/blank mean "no value". */
export function optionalText(value: string | null | undefined, field: string, max = 500): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(value, field, max);
}

/** A calendar date (the scalar already checked its form); optionally not in the future (Shanghai). */
export function requireDate(value: string, field: string, options: { notAfterToday?: boolean } = {}): string {
  if (!isLocalDate(value)) throw new BadUserInputError(`${field} must be a date written YYYY-MM-DD`, field);
  if (options.notAfterToday && value > shanghaiToday()) {
    throw new BadUserInputError(`${field} must not be in the future`, field);
  }
  return value;
}

export function requireRegionCode(value: string, field: string): string {
  if (!isRegionCode(value)) throw new BadUserInputError(`${field} must be a six-digit GB/T 2260 region code`, field);
  return value;
}

/** A telephone number as people write them: mobile 1xxxxxxxxxx or landline 0722-1234567. */
export function optionalPhone(value: string | null | undefined, field: string): string | null {
  const phone = optionalText(value, field, 30);
  if (phone !== null && !/^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|400-?\d{3}-?\d{4})$/.test(phone)) {
    throw new BadUserInputError(`${field} is not a telephone number (e.g. 13812345678 or 0722-3251234)`, field);
  }
  return phone;
}

/** A positive whole number no larger than `max`. */
export function requirePositiveInt(value: number, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new BadUserInputError(`${field} must be a whole number from 1 to ${max}`, field);
  }
  return value;
}

/** Checks a USCC argument and returns it normalised; a bad one is BAD_USER_INPUT naming `field`. */
export function requireValidUscc(uscc: string, field: string): string {
  const result = validateUscc(uscc);
  if (!result.valid) throw new BadUserInputError(`${field} is not a valid USCC: ${result.reason}`, field);
  return result.uscc;
}
