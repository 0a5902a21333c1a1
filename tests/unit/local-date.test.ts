import { isLocalDate, shanghaiDate } from '../../src/domain/local-date';

describe('local dates', () => {
  it('takes the Shanghai day of an instant, not the UTC day', () => {
    // 2024-02-09 20:00 UTC is already 2024-02-10 (Spring Festival) in Shanghai.
    expect(shanghaiDate(new Date('2024-02-09T20:00:00Z'))).toBe('2024-02-10');
    expect(shanghaiDate(new Date('2024-02-09T15:59:59Z'))).toBe('2024-02-09');
  });

  it('accepts real dates and refuses impossible ones', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-13-01')).toBe(false);
    expect(isLocalDate('2024-1-01')).toBe(false);
  });
});
