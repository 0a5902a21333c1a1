import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/rows';
import { APPEAL_COUNTS, REPORT_RATES, appealCounts, type CountedAppeal } from '../../src/domain/appeal-counts';
import { appealCountsSql } from '../../src/domain/appeal-counts.sql';
import { APPEAL_STATUSES } from '../../src/domain/appeal-workflow';
import { addDays } from '../../src/domain/calendar';
import { drivers, openTestDb, type TestDb } from '../helpers/drivers';

/** Instants near Shanghai midnights (16:00 UTC), where a day boundary decides "on time". */
const instant = fc.option(
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -90, max: 90 })).map(([day, minutes]) => new Date(Date.UTC(2023, 0, 9 + day, 16, minutes))),
  { nil: null },
);
const dueOn = fc.option(fc.integer({ min: 0, max: 6 }).map((n) => addDays('2023-01-09', n)), { nil: null });
const appeal: fc.Arbitrary<CountedAppeal> = fc.record({
  type: fc.constantFrom('CONSULTATION', 'COMPLAINT', 'REPORT', 'PRAISE' as const),
  status: fc.constantFrom(...APPEAL_STATUSES),
  acceptedAt: instant,
  rejectedAt: instant,
  concludedAt: instant,
  decidedAt: instant,
  acceptanceDueOn: dueOn,
  conclusionDueOn: dueOn,
  verificationDueOn: dueOn,
});

describe('the counts of one appeal', () => {
  it('count a step on its due day as on time, and the next Shanghai day as late', () => {
    const complaint: CountedAppeal = {
      type: 'COMPLAINT',
      status: 'ACCEPTED',
      acceptedAt: new Date('2023-01-10T15:59:00Z'), // 23:59 on the 10th in Shanghai
      rejectedAt: null,
      concludedAt: null,
      decidedAt: null,
      acceptanceDueOn: '2023-01-10',
      conclusionDueOn: null,
      verificationDueOn: null,
    };
    expect(appealCounts(complaint)).toMatchObject({ decided: true, decidedOnTime: true, concluded: false });
    expect(appealCounts({ ...complaint, acceptedAt: new Date('2023-01-10T16:00:00Z') })).toMatchObject({ decided: true, decidedOnTime: false });
    expect(appealCounts({ ...complaint, acceptanceDueOn: null })).toMatchObject({ decided: true, decidedOnTime: false });
  });

  it('never counts a numerator without its denominator', () => {
    fc.assert(
      fc.property(appeal, (a) => {
        const counts = appealCounts(a);
        for (const { numerator, denominator } of Object.values(REPORT_RATES)) if (counts[numerator]) expect(counts[denominator]).toBe(true);
      }),
    );
  });
});

describe.each(drivers)('the counts of one appeal in SQL on %s', (driver) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(driver, { empty: true });
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('agree with the pure rule on any appeal, legal or not', async () => {
    const a = (name: string) => sql.raw(`a.${name}`);
    const conditions = appealCountsSql({
      type: a('type'),
      status: a('status'),
      acceptedAt: a('accepted_at'),
      rejectedAt: a('rejected_at'),
      concludedAt: a('concluded_at'),
      decidedAt: a('decided_at'),
      acceptanceDueOn: a('acceptance_due_on'),
      conclusionDueOn: a('conclusion_due_on'),
      verificationDueOn: a('verification_due_on'),
    });
    const columns = APPEAL_COUNTS.map((count) => sql`${conditions[count]} as ${sql.identifier(count)}`);
    await fc.assert(
      fc.asyncProperty(fc.array(appeal, { minLength: 1, maxLength: 100 }), async (list) => {
        const json = JSON.stringify(
          list.map((x, n) => ({
            n,
            type: x.type,
            status: x.status,
            accepted_at: x.acceptedAt,
            rejected_at: x.rejectedAt,
            concluded_at: x.concludedAt,
            decided_at: x.decidedAt,
            acceptance_due_on: x.acceptanceDueOn,
            conclusion_due_on: x.conclusionDueOn,
            verification_due_on: x.verificationDueOn,
          })),
        );
        const result = await testDb.handle.db.execute(sql`
          select ${sql.join(columns, sql`, `)}
          from jsonb_to_recordset(${json}::jsonb) as a(type text, status text, accepted_at timestamptz, rejected_at timestamptz,
            concluded_at timestamptz, decided_at timestamptz, acceptance_due_on date, conclusion_due_on date, verification_due_on date, n int)
          order by a.n`);
        expect(rowsOf<Record<string, boolean>>(result)).toEqual(list.map(appealCounts));
      }),
      { numRuns: 20 },
    );
  });
});
