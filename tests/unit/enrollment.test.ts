import { enrolledOn, enrollmentOn, periodEnd, standingIn } from '../../src/domain/enrollment';

const at = (local: string) => new Date(`${local}T10:00:00+08:00`);
const period = (id: string, program: 'SETTLEMENT_PLATFORM' | 'ODR', started: string, ended: string | null) => ({
  id,
  program,
  startedAt: at(started),
  endedAt: ended ? at(ended) : null,
});

describe('enrollment standing', () => {
  it('is ENROLLED since the open period started, newest period first in the history', () => {
    const periods = [period('1', 'SETTLEMENT_PLATFORM', '2023-01-01', '2023-06-01'), period('2', 'SETTLEMENT_PLATFORM', '2024-01-01', null), period('3', 'ODR', '2024-02-01', null)];
    const standing = standingIn('SETTLEMENT_PLATFORM', periods);
    expect(standing).toMatchObject({ program: 'SETTLEMENT_PLATFORM', status: 'ENROLLED', since: at('2024-01-01') });
    expect(standing.history.map((p) => p.id)).toEqual(['2', '1']);
  });

  it('is NOT_ENROLLED since the latest end once every period is closed, and since null when never enrolled', () => {
    const periods = [period('1', 'ODR', '2023-01-01', '2023-06-01'), period('2', 'ODR', '2022-01-01', '2022-03-01')];
    expect(standingIn('ODR', periods)).toMatchObject({ status: 'NOT_ENROLLED', since: at('2023-06-01') });
    expect(standingIn('SETTLEMENT_PLATFORM', periods)).toMatchObject({ status: 'NOT_ENROLLED', since: null, history: [] });
  });

  it('covers the start day up to the day before the end day', () => {
    const p = period('1', 'ODR', '2024-01-10', '2024-02-10');
    expect(['2024-01-09', '2024-01-10', '2024-02-09', '2024-02-10'].map((d) => enrolledOn(p, d))).toEqual([false, true, true, false]);
    expect(enrollmentOn([p], 'ODR', '2024-01-20')?.id).toBe('1');
    expect(enrollmentOn([p], 'SETTLEMENT_PLATFORM', '2024-01-20')).toBeUndefined();
  });

  it('ends a period strictly after its start, even when closed in the same millisecond', () => {
    const start = at('2024-01-10');
    expect(periodEnd(start, at('2024-01-11'))).toEqual(at('2024-01-11'));
    expect(periodEnd(start, start).getTime()).toBe(start.getTime() + 1);
    expect(periodEnd(start, new Date(start.getTime() - 5)).getTime()).toBe(start.getTime() + 1);
  });
});
