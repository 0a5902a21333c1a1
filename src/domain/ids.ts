import { createHash } from 'node:crypto';

// Keeps these ids apart from any other name-based UUIDs that hash similar keys.
const NAMESPACE = 'merchant-integrity-registry/seed/';

/**
 * A deterministic UUID for a natural key such as `merchant:<uscc>`: the SHA-1 of the key laid out
 * like an RFC 4122 version-5 UUID.
 */
export function nameBasedId(naturalKey: string): string {
  const bytes = createHash('sha1').update(NAMESPACE + naturalKey, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A merchant's id is derived from its USCC when it is registered (a USCC never changes), so a
 * token for a merchant can be made from its USCC alone, without opening the database.
 */
export function merchantIdForUscc(uscc: string): string {
  return nameBasedId(`merchant:${uscc}`);
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
