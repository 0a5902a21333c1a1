import { decodeCursor, encodeCursor, pageSize, toConnection } from '../../src/graphql/connection';
import { BadUserInputError } from '../../src/errors';

describe('connections', () => {
  it('round-trips a cursor, including Chinese names', () => {
    const values = ['随州新世纪购物中心', '0f8b1c9e-8f2a-4c2e-9a51-2b9c1c0d3e4f'];
    expect(decodeCursor(encodeCursor(values), 2)).toEqual(values);
  });

  it('refuses a cursor it did not make', () => {
    expect(() => decodeCursor('not-a-cursor', 2)).toThrow(BadUserInputError);
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(/after is not a cursor/);
  });

  it('caps the page size at 100 and refuses zero or negative sizes', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(101)).toThrow(/from 1 to 100/);
    expect(() => pageSize(0)).toThrow(BadUserInputError);
  });

  it('uses the extra row only to tell that a next page exists', () => {
    const page = toConnection([1, 2, 3], 2, 10, (n) => `c${n}`, false);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c2' });
    expect(toConnection([1], 2, 1, String, true).pageInfo.hasNextPage).toBe(false);
  });
});
