/**
 * Time-ordered UUIDs (RFC 9562 version 7) for rows written in bulk. A batch of random (v4) ids
 * lands on random leaf pages of every index that starts with the id; once the indexes outgrow
 * shared buffers, each insert reads a page and logs a full-page image. Ids that rise with time
 * append to the right edge instead. Unique as v4 ids are: 48 bits of milliseconds, a 12-bit
 * counter within the millisecond (this process's ids strictly increase) and 62 random bits.
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = Buffer.alloc(8 * 1024);
let poolAt = pool.length;
let lastMs = 0;
let counter = 0;
/** The id's first 17 characters (time and version), remade when the millisecond changes. */
let prefix = '';

/** A new version-7 UUID, greater than every one this process made before. */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
    const time = lastMs.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next one (the clock catches up within ms).
    lastMs++;
    counter = 0;
    const time = lastMs.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool;
  const i = poolAt;
  poolAt += 8;
  // 0x80-0xbf: the RFC 9562 variant (binary 10) and six random bits.
  return `${prefix}${HEX[counter >> 8]!.slice(1)}${HEX[counter & 0xff]}-${HEX[(b[i]! & 0x3f) | 0x80]}${HEX[b[i + 1]!]}-${HEX[b[i + 2]!]}${HEX[b[i + 3]!]}${HEX[b[i + 4]!]}${HEX[b[i + 5]!]}${HEX[b[i + 6]!]}${HEX[b[i + 7]!]}`;
}
