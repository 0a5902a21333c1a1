import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONCLUDED_COMPLAINT_STATUSES, RESOLVED_COMPLAINT_STATUSES } from '../../src/domain/appeal-workflow';
import { ANSWER_LAG_CLIP, DAY_COUNT_KIND, NO_ANSWER_LAG } from '../../src/domain/rating/day-counts';

/** The day counters' trigger SQL (drizzle/0012) is written by hand: it must use the domain's lists and constants. */
describe('rating day counters migration', () => {
  const text = readFileSync(join(__dirname, '../../drizzle/0012_rating_day_counts_triggers.sql'), 'utf8');
  const list = (statuses: readonly string[]) => `a.status in (${statuses.map((s) => `'${s}'`).join(', ')})`;

  it('counts concluded and resolved complaints by the domain status lists', () => {
    expect(text).toContain(list(CONCLUDED_COMPLAINT_STATUSES));
    expect(text).toContain(list(RESOLVED_COMPLAINT_STATUSES));
  });

  it('uses the kinds, the answer lag clip and the no-answer lag of day-counts.ts', () => {
    for (const kind of Object.values(DAY_COUNT_KIND)) expect(text).toContain(`${kind}::smallint`);
    expect(text).toContain(`, ${ANSWER_LAG_CLIP}), ${NO_ANSWER_LAG})::smallint`);
  });
});
