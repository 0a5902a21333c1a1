import {
  addDays,
  addWorkingDays,
  isProvisionalDate,
  isPublishedYear,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
} from '../../src/domain/calendar';

describe('the official PRC working-day calendar', () => {
  it('knows which years are published (2004–2026 in chinese-days 1.5.7)', () => {
    expect(isPublishedYear(2004)).toBe(true);
    expect(isPublishedYear(2024)).toBe(true);
    expect(isPublishedYear(2026)).toBe(true);
    expect(isPublishedYear(2003)).toBe(false);
    expect(isPublishedYear(2027)).toBe(false);
  });

  it.each([
    ['2024-02-04', true, 'a Sunday made a workday for the Spring Festival'],
    ['2024-02-09', true, 'the Friday before the Spring Festival holiday'],
    ['2024-02-10', false, 'first day of the Spring Festival holiday'],
    ['2024-02-14', false, 'a Wednesday inside the holiday'],
    ['2024-02-17', false, 'last day of the Spring Festival holiday'],
    ['2024-02-18', true, 'a Sunday made a workday after the Spring Festival'],
    ['2024-09-29', true, 'a Sunday made a workday for National Day'],
    ['2024-10-01', false, 'National Day'],
    ['2024-10-04', false, 'a Friday inside the National Day holiday'],
    ['2024-10-07', false, 'last day of the National Day holiday'],
    ['2024-10-08', true, 'the first working day after National Day'],
    ['2024-10-12', true, 'a Saturday made a workday for National Day'],
    ['2024-03-16', false, 'a plain Saturday'],
    ['2024-03-17', false, 'a plain Sunday'],
    ['2024-03-18', true, 'a plain Monday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });

  it('adds calendar days across month and leap-year ends', () => {
    expect(addDays('2024-02-27', 3)).toBe('2024-03-01');
    expect(addDays('2024-09-27', 7)).toBe('2024-10-04');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });

  it('moves a non-working day to the next working day, and leaves a working day alone', () => {
    expect(nextWorkingDayOnOrAfter('2024-10-04')).toEqual({ date: '2024-10-08', provisional: false });
    expect(nextWorkingDayOnOrAfter('2024-02-10')).toEqual({ date: '2024-02-18', provisional: false });
    expect(nextWorkingDayOnOrAfter('2024-03-16')).toEqual({ date: '2024-03-18', provisional: false });
    expect(nextWorkingDayOnOrAfter('2024-10-12')).toEqual({ date: '2024-10-12', provisional: false });
  });

  it('counts working days after a date, skipping holidays and counting adjusted workdays', () => {
    // 2024-02-08 (Thu) → 02-09 (Fri) is the 1st; the holiday 02-10..17 is skipped; 02-18 (Sun) is the 2nd.
    expect(addWorkingDays('2024-02-08', 1)).toEqual({ date: '2024-02-09', provisional: false });
    expect(addWorkingDays('2024-02-08', 2)).toEqual({ date: '2024-02-18', provisional: false });
    // 2024-09-27 (Fri) → 09-29 (Sun, workday) 1st, 09-30 (Mon) 2nd, holiday, 10-08 3rd … 10-12 (Sat) 7th.
    expect(addWorkingDays('2024-09-27', 7)).toEqual({ date: '2024-10-12', provisional: false });
    expect(addWorkingDays('2024-09-27', 0)).toEqual({ date: '2024-09-27', provisional: false });
  });

  it('counts 45 working days through the National Day holiday', () => {
    // From 2024-09-02 (Mon): September has 20 working days after it (incl. Sat 09-14 and Sun 09-29,
    // minus Mid-Autumn 09-16/17), October 10-08..10-31 has 19 (incl. Sat 10-12), so the 45th is 2024-11-08.
    expect(addWorkingDays('2024-09-02', 45)).toEqual({ date: '2024-11-08', provisional: false });
  });

  it('falls back to Monday–Friday in an unpublished year and marks the result provisional', () => {
    // Years far ahead, so that an update of chinese-days publishing the next year breaks nothing here.
    expect(isProvisionalDate('2099-01-01')).toBe(true);
    expect(isProvisionalDate('2026-12-31')).toBe(false);
    // 2099-01-01 is a Thursday: a working day under the fallback, though New Year's Day will surely be a holiday.
    expect(isWorkingDay('2099-01-01')).toBe(true);
    expect(isWorkingDay('2099-10-03')).toBe(false);
    expect(addWorkingDays('2098-12-30', 3)).toEqual({ date: '2099-01-02', provisional: true });
    expect(nextWorkingDayOnOrAfter('2099-10-03')).toEqual({ date: '2099-10-05', provisional: true });
    expect(addWorkingDays('2026-12-28', 2)).toEqual({ date: '2026-12-30', provisional: false });
  });

  it('refuses malformed dates and negative counts', () => {
    expect(() => isWorkingDay('2023-02-29')).toThrow(RangeError);
    expect(() => addWorkingDays('2024-01-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-01-01', 1.5)).toThrow(RangeError);
  });
});
