/**
 * Administrative region codes (GB/T 2260). A city code (ending in 00) covers its districts and a
 * province code (ending in 0000) covers its cities. Pure.
 */

/** Suizhou's codes, the ones the demo data uses. */
export const SUIZHOU_REGIONS = {
  '421300': '随州市',
  '421303': '曾都区',
  '421321': '随县',
  '421381': '广水市',
} as const;

/** The name of a region the registry knows (the demo's Suizhou codes), or undefined. */
export function regionName(code: string): string | undefined {
  return (SUIZHOU_REGIONS as Record<string, string>)[code];
}

/**
 * How a report says "the whole region" in Chinese: 全区 for a district, 全县 for a county, 全市 for
 * a city (a county-level city such as 广水市 included).
 */
export function wholeRegionWord(name: string): string {
  if (name.endsWith('区')) return '全区';
  if (name.endsWith('县')) return '全县';
  if (name.endsWith('市')) return '全市';
  return name;
}

export function isRegionCode(code: string): boolean {
  return /^[0-9]{6}$/.test(code) && !code.startsWith('00');
}

/** The prefix shared by every code the given code covers: `421300` → `4213`, `421303` → `421303`. */
export function regionPrefix(code: string): string {
  if (!isRegionCode(code)) throw new RangeError(`not a six-digit region code: ${code}`);
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** Whether `scope` (a district, city or province) covers `code`. */
export function regionCovers(scope: string, code: string): boolean {
  return isRegionCode(code) && code.startsWith(regionPrefix(scope));
}

/**
 * The codes `code` covers as a range of six-digit codes (`421300` → `421300`…`421399`), so an
 * index on the code serves it whatever the database's collation (a LIKE prefix needs "C").
 */
export function regionCodeRange(code: string): { from: string; to: string } {
  const prefix = regionPrefix(code);
  return { from: prefix.padEnd(6, '0'), to: prefix.padEnd(6, '9') };
}
