import { uuidv7 } from '../../src/db/uuid7';

describe('uuidv7', () => {
  it('makes version-7 UUIDs of the RFC 9562 variant, each greater than the one before', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('starts with the current time in milliseconds', () => {
    const before = Date.now();
    const id = uuidv7();
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    // More than 4,096 ids in a millisecond borrow the next one: a burst runs a little ahead.
    expect(ms).toBeLessThanOrEqual(Date.now() + 1_000);
  });
});
