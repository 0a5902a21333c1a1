import { describeCounts, progressLine } from '../../src/cli/import-progress';

const progress = { read: 30, inserted: 27, alreadyPresent: 0, badRows: 3, bytesRead: 7_000, batches: 1 };

describe('import:appeals progress lines', () => {
  it('say nothing once the whole file is read, so the summary is printed once', () => {
    expect(progressLine(progress, 7_000)).toBeUndefined();
  });

  it('put the share of the file first, where it cannot be read as a share of bad rows', () => {
    const line = progressLine({ ...progress, bytesRead: 2_800 }, 7_000)!;
    expect(line).toBe('40% of the file so far, read 30 rows: 27 inserted, 0 already present, 3 bad');
    expect(line).not.toMatch(/bad \(\d+%\)/);
  });

  it('count read, inserted, already present and bad rows', () => {
    expect(describeCounts(progress)).toBe('read 30 rows: 27 inserted, 0 already present, 3 bad');
  });
});
