import { msUntilNextRun } from '../../src/jobs/daily';

describe('the daily job schedule', () => {
  it('runs next at 00:10 Asia/Shanghai, which is 16:10 UTC', () => {
    expect(msUntilNextRun(new Date('2024-06-01T16:00:00Z'))).toBe(10 * 60_000);
    expect(new Date(Date.parse('2024-06-01T16:10:00Z') + msUntilNextRun(new Date('2024-06-01T16:10:00Z'))).toISOString()).toBe('2024-06-02T16:10:00.000Z');
    expect(new Date(Date.parse('2024-06-02T03:00:00Z') + msUntilNextRun(new Date('2024-06-02T03:00:00Z'))).toISOString()).toBe('2024-06-02T16:10:00.000Z');
  });
});
