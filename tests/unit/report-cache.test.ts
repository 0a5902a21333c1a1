import { AnnualReportCache } from '../../src/modules/report/report.cache';
import type { AppealStatistics } from '../../src/modules/report/report.type';

const report = (total: number) => ({ total }) as AppealStatistics;

describe('the annual report cache', () => {
  it('answers only at the version a report was computed at', () => {
    const cache = new AnnualReportCache();
    cache.set('2023:421300', 7, report(1));
    expect(cache.get('2023:421300', 7)).toEqual(report(1));
    expect(cache.get('2023:421300', 8)).toBeUndefined();
    expect(cache.get('2023:', 7)).toBeUndefined();
  });

  it('drops every report of an older version once a newer one is kept, and never keeps an older one after', () => {
    const cache = new AnnualReportCache();
    cache.set('2023:421300', 7, report(1));
    cache.set('2022:421300', 8, report(2));
    expect(cache.get('2023:421300', 7)).toBeUndefined();
    // A request that read version 7 before another cached version 8 finishes late.
    cache.set('2023:421300', 7, report(1));
    expect(cache.get('2023:421300', 7)).toBeUndefined();
    expect(cache.get('2022:421300', 8)).toEqual(report(2));
  });

  it('keeps at most its limit of reports, dropping the oldest first', () => {
    const cache = new AnnualReportCache(2);
    cache.set('a', 1, report(1));
    cache.set('b', 1, report(2));
    cache.set('c', 1, report(3));
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toEqual(report(2));
    expect(cache.get('c', 1)).toEqual(report(3));
  });
});
