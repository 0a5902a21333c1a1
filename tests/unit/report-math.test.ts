import { changePercent, percent } from '../../src/domain/report-math';

describe('report percentages', () => {
  it('rounds half-up to two decimals from integers', () => {
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(1, 20_000)).toBe(0.01); // 0.005 → 0.01
    expect(percent(1, 20_001)).toBe(0);
    expect(percent(0, 5)).toBe(0);
    expect(percent(3, 0)).toBeNull();
  });

  it('gives changes against the previous year with their sign', () => {
    expect(changePercent(3259, 2445)).toBe(33.29);
    expect(changePercent(98, 100)).toBe(-2);
    expect(changePercent(5, 0)).toBeNull();
  });
});
