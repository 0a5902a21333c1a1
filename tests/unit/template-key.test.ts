import { templateInputFiles } from '../helpers/template';

describe('the test template key', () => {
  it('covers everything the migrated and seeded template is made from', () => {
    const files = templateInputFiles();
    for (const file of [
      'drizzle/meta/_journal.json',
      'seeds/record.ts',
      'src/domain/calendar.ts',
      'src/domain/appeal-record.ts',
      'src/domain/uscc.ts',
      'src/domain/ids.ts',
      'src/domain/rating/v1.ts',
      'src/modules/rating/rating.store.ts',
      'package-lock.json',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => /^drizzle\/\d{4}_.*\.sql$/.test(f))).toBe(true);
  });
});
