/**
 * Masking of consumers' personal data for merchants (the public never receives it at all). Pure.
 */

// Two-character surnames common enough to matter when cutting a name down to the surname.
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯', '轩辕', '端木', '独孤', '南宫', '西门', '百里']);

/** A telephone number with all but the first three and last four digits hidden: 138****1234. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** The surname alone: 王小明 → 王, 欧阳娜娜 → 欧阳; a Latin-script name keeps its last word. */
export function surnameOnly(name: string): string {
  const trimmed = name.trim();
  if (/^[\p{Script=Han}·]+$/u.test(trimmed)) {
    const two = trimmed.slice(0, 2);
    return COMPOUND_SURNAMES.has(two) && trimmed.length > 2 ? two : trimmed.slice(0, 1);
  }
  const words = trimmed.split(/\s+/);
  return words.at(-1) ?? '';
}
