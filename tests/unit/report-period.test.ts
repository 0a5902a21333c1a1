import fc from 'fast-check';
import { addDays } from '../../src/domain/calendar';
import { periodSpans, yearEarlier } from '../../src/domain/report-period';

/** Every day a split covers, sorted, a day twice if covered twice (a month stands for its days). */
function daysOf(spans: ReturnType<typeof periodSpans>): string[] {
  const days: string[] = [];
  const run = (from: string, to: string) => {
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  };
  for (const d of spans.days) run(d.from, d.to);
  if (spans.months) run(spans.months.first, addDays(`${addDays(spans.months.last, 31).slice(0, 8)}01`, -1));
  return days.sort();
}

describe('periods read from the appeal count tables', () => {
  it('reads a calendar year as its twelve months and no loose day', () => {
    expect(periodSpans('2023-01-01', '2023-12-31')).toEqual({ months: { first: '2023-01-01', last: '2023-12-01' }, days: [] });
  });

  it('reads the days before the first and after the last whole month from the daily table', () => {
    expect(periodSpans('2023-01-02', '2023-12-30')).toEqual({
      months: { first: '2023-02-01', last: '2023-11-01' },
      days: [
        { from: '2023-01-02', to: '2023-01-31' },
        { from: '2023-12-01', to: '2023-12-30' },
      ],
    });
    expect(periodSpans('2024-01-15', '2024-02-29')).toEqual({ months: { first: '2024-02-01', last: '2024-02-01' }, days: [{ from: '2024-01-15', to: '2024-01-31' }] });
  });

  it('reads a period without a whole month as one run of days', () => {
    expect(periodSpans('2023-03-05', '2023-03-20')).toEqual({ months: null, days: [{ from: '2023-03-05', to: '2023-03-20' }] });
    expect(periodSpans('2023-01-20', '2023-02-10')).toEqual({ months: null, days: [{ from: '2023-01-20', to: '2023-02-10' }] });
    expect(periodSpans('2023-02-01', '2023-02-27')).toEqual({ months: null, days: [{ from: '2023-02-01', to: '2023-02-27' }] });
  });

  it('covers every day of any period exactly once', () => {
    const day = fc.integer({ min: 0, max: 3 * 366 }).map((n) => addDays('2023-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 500 }), (from, length) => {
        const to = addDays(from, length);
        const expected = Array.from({ length: length + 1 }, (_, i) => addDays(from, i));
        expect(daysOf(periodSpans(from, to))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('compares with the same days a year earlier, 29 February with the 28th', () => {
    expect(yearEarlier('2024-03-01')).toBe('2023-03-01');
    expect(yearEarlier('2024-02-29')).toBe('2023-02-28');
    expect(yearEarlier('2025-02-28')).toBe('2024-02-28');
  });
});
