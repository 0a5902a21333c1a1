import fc from 'fast-check';
import { isLocalDate, shanghaiDate } from '../../src/domain/local-date';

const byIntl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('local dates', () => {
  it('takes the Shanghai day of an instant, not the UTC day', () => {
    // 2024-02-09 20:00 UTC is already 2024-02-10 (Spring Festival) in Shanghai.
    expect(shanghaiDate(new Date('2024-02-09T20:00:00Z'))).toBe('2024-02-10');
    expect(shanghaiDate(new Date('2024-02-09T15:59:59Z'))).toBe('2024-02-09');
  });

  it('gives the day the time-zone database gives, summer time of 1986–1991 included', () => {
    // 1988-07-01 15:30 UTC is 23:30 at UTC+8 but 00:30 the next day on that summer's UTC+9.
    expect(shanghaiDate(new Date('1988-07-01T15:30:00Z'))).toBe('1988-07-02');
    fc.assert(
      fc.property(fc.date({ min: new Date('1949-10-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }), (instant) => {
        expect(shanghaiDate(instant)).toBe(byIntl.format(instant));
      }),
      { numRuns: 20_000 },
    );
    for (const edge of ['1991-12-31T15:59:59.999Z', '1991-12-31T16:00:00Z', '1992-01-01T00:00:00Z', '2026-12-31T16:00:00Z']) {
      expect(shanghaiDate(new Date(edge))).toBe(byIntl.format(new Date(edge)));
    }
  });

  it('accepts real dates and refuses impossible ones', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-13-01')).toBe(false);
    expect(isLocalDate('2024-1-01')).toBe(false);
  });
});
