import { asc, sql, type SQL } from 'drizzle-orm';
import { rowsOf } from '../../src/db/rows';
import { appeals, merchantAnswers, merchants, patternResponses } from '../../src/db/schema';
import { addDays } from '../../src/domain/calendar';
import { shanghaiToday } from '../../src/domain/local-date';
import { rate, rateInputs, ratingInputs, type RatingInputs } from '../../src/domain/rating/v1';
import { loadRatingInputs } from '../../src/modules/rating/rating.inputs';
import { loadRatingRecords } from '../../src/modules/rating/rating.records';
import { drivers, openTestDb, type TestDb } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';

/** JSON with object keys sorted (Dates as ISO strings). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The parts of the inputs whose row order is the database's: sorted, so two loads compare. */
function normalized(inputs: RatingInputs): string {
  const byId = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
  return canonical({
    ...inputs,
    pledges: byId(inputs.pledges).map((p) => ({ ...p, statusChanges: [...p.statusChanges].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.toStatus < b.toStatus ? -1 : 1)) })),
    audits: byId(inputs.audits),
    enrollments: byId(inputs.enrollments),
    listEntries: byId(inputs.listEntries),
    patternResponses: byId(inputs.patternResponses),
    payoutsForTenant: byId(inputs.payoutsForTenant).map((p) => ({ ...p, reimbursements: [...p.reimbursements].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.amountFen - b.amountFen) })),
  });
}

const DAY_MS = 86_400_000;

describe.each(drivers)('aggregated rating inputs on %s', (driver) => {
  let testDb: TestDb;

  beforeAll(async () => {
    testDb = await openTestDb(driver);
  }, 120_000);
  afterAll(async () => {
    await testDb?.dispose();
  });

  /** Every merchant's inputs by SQL (by ids and by id range) equal those reduced from its full records, and so do the ratings. */
  async function expectSameAsFull(asOf: string, only?: string[]) {
    const db = testDb.handle.db;
    const ids = only ?? (await db.select({ id: merchants.id }).from(merchants).orderBy(asc(merchants.id))).map((m) => m.id);
    const records = await loadRatingRecords(db, ids);
    const byIds = await loadRatingInputs(db, { ids }, asOf);
    const sorted = [...ids].sort();
    const byRange = await loadRatingInputs(db, { after: null, upTo: sorted.at(-1)! }, asOf);
    expect(byIds.size).toBe(ids.length);
    const mismatches: string[] = [];
    for (const id of ids) {
      const full = ratingInputs(records.get(id)!, asOf);
      const aggregated = byIds.get(id)!;
      if (normalized(aggregated) !== normalized(full) || normalized(byRange.get(id)!) !== normalized(full)) mismatches.push(id);
      else if (canonical(rateInputs(aggregated)) !== canonical(rate(records.get(id)!, asOf))) mismatches.push(`${id} (rating)`);
    }
    expect(mismatches).toEqual([]);
  }

  it('gives every seeded merchant the inputs of its full records, today and on past days', async () => {
    await expectSameAsFull(shanghaiToday());
    const sample = (await testDb.handle.db.select({ id: merchants.id }).from(merchants).orderBy(asc(merchants.id))).filter((_, i) => i % 8 === 0).map((m) => m.id);
    await expectSameAsFull('2023-06-30', sample);
    await expectSameAsFull('2024-02-29', sample);
  }, 300_000);

  it('gives a merchant with thousands of records the same rating and factors as the full computation', async () => {
    const db = testDb.handle.db;
    const [m] = await plainMerchants(db, '421303', 1, 7);
    const now = Date.now();
    const statuses = ['ACCEPTED', 'IN_MEDIATION', 'MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'] as const;
    const issueTypes = ['QUALITY', 'PRICE', 'AFTER_SALES', null];
    // Four years of complaints (some past the three years that weigh), reports and praise, at
    // uneven hours so that Shanghai days and UTC days differ.
    const rows = Array.from({ length: 4000 }, (_, i) => {
      const received = new Date(now - Math.floor((i * 4 * 365 * DAY_MS) / 4000) - ((i * 7919) % 86_400) * 1000);
      const kind: 'COMPLAINT' | 'REPORT' | 'PRAISE' = i % 10 === 0 ? 'REPORT' : i % 13 === 0 ? 'PRAISE' : 'COMPLAINT';
      const accepted = kind === 'COMPLAINT' && i % 17 !== 0 ? new Date(received.getTime() + (i % 5) * 3_600_000 * 7) : null;
      const status = kind === 'COMPLAINT' ? (accepted ? statuses[i % statuses.length]! : 'RECEIVED') : kind === 'REPORT' ? (i % 3 === 0 ? 'CASE_FILED' : 'RECEIVED') : 'RECEIVED';
      const concluded = accepted && (status === 'MEDIATED' || status === 'MEDIATION_FAILED' || status === 'WITHDRAWN') ? new Date(accepted.getTime() + (i % 40) * DAY_MS) : null;
      return {
        type: kind,
        channel: 'WEB' as const,
        receivedAt: received,
        acceptedAt: accepted,
        concludedAt: concluded && concluded.getTime() < now ? concluded : null,
        caseFiledAt: status === 'CASE_FILED' ? new Date(received.getTime() + 5 * DAY_MS) : null,
        status: (status === 'CASE_FILED' && received.getTime() + 5 * DAY_MS > now ? 'RECEIVED' : concluded && concluded.getTime() >= now ? 'IN_MEDIATION' : status) as 'RECEIVED',
        merchantId: m!.id,
        regionCode: m!.regionCode,
        issueType: kind === 'COMPLAINT' ? issueTypes[i % issueTypes.length]! : null,
      };
    });
    const fixed = rows.map((r) => (r.status === 'RECEIVED' && r.type === 'REPORT' ? { ...r, caseFiledAt: null } : r));
    const inserted: { id: string; acceptedAt: Date | null }[] = [];
    for (let i = 0; i < fixed.length; i += 500) {
      inserted.push(...(await db.insert(appeals).values(fixed.slice(i, i + 500)).returning({ id: appeals.id, acceptedAt: appeals.acceptedAt })));
    }
    // Answers: on time, late, and two answers to some; none to others.
    const answers = inserted.flatMap((a, i) => {
      if (!a.acceptedAt || i % 4 === 3) return [];
      const first = new Date(a.acceptedAt.getTime() + (i % 4 === 0 ? 2 : 20) * DAY_MS);
      const list = [{ appealId: a.id, merchantId: m!.id, body: '已处理', answeredAt: first }];
      if (i % 8 === 1) list.push({ appealId: a.id, merchantId: m!.id, body: '补充', answeredAt: new Date(first.getTime() - 15 * DAY_MS) });
      return list.filter((x) => x.answeredAt.getTime() >= a.acceptedAt!.getTime());
    });
    for (let i = 0; i < answers.length; i += 500) await db.insert(merchantAnswers).values(answers.slice(i, i + 500));
    await db.insert(patternResponses).values({ merchantId: m!.id, issueType: 'PRICE', respondedAt: new Date(now - 30 * DAY_MS), body: '整改说明', actor: 'test' });

    const today = shanghaiToday();
    const records = await loadRatingRecords(db, [m!.id]);
    expect(records.get(m!.id)!.complaints.length).toBeGreaterThan(2500);
    const aggregated = (await loadRatingInputs(db, { ids: [m!.id] }, today)).get(m!.id)!;
    const full = rate(records.get(m!.id)!, today);
    expect(canonical(rateInputs(aggregated))).toBe(canonical(full));
    // The evidence names at most 100 records per factor, while the counts cover them all.
    const volume = full.factors.find((f) => f.key === 'volume')!;
    expect(volume.evidence.recordIds).toHaveLength(100);
    expect(Number(volume.evidence.countedComplaints)).toBeGreaterThan(1000);
    await expectSameAsFull(today, [m!.id]);
    await expectSameAsFull(addDays(today, -400), [m!.id]);
    await expectSameAsFull(addDays(today, -1200), [m!.id]);

    // The triggers keep the day counters equal to a rebuild from the records through updates
    // (a conclusion undone, an issue type changed), answers added (above), deleted and moved.
    await db.execute(sql`update appeals set status = 'ACCEPTED', concluded_at = null where merchant_id = ${m!.id}::uuid and status = 'MEDIATED' and accepted_at > now() - interval '500 days'`);
    await db.execute(sql`update appeals set issue_type = 'SAFETY' where merchant_id = ${m!.id}::uuid and issue_type = 'PRICE' and received_at > now() - interval '200 days'`);
    await db.execute(sql`delete from merchant_answers where merchant_id = ${m!.id}::uuid and body = '补充'`);
    await db.execute(sql`update merchant_answers set answered_at = answered_at + interval '9 days' where merchant_id = ${m!.id}::uuid and answered_at < now() - interval '30 days'`);
    // Rows the changes zeroed are deleted (drizzle/0014): the stored rows are exactly the rebuild's.
    const counters = (table: SQL) =>
      db.execute(sql`select kind, day, issue_type, answer_lag, concluded_day, resolved, n from ${table} where merchant_id = ${m!.id}::uuid order by 1, 2, 3, 4, 5, 6`);
    const rebuilt = sql`(
      select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int as n
      from appeals a
      left join (select appeal_id, min(answered_at) as first from merchant_answers group by appeal_id) f on f.appeal_id = a.id
      cross join lateral rating_day_counts_of(a, f.first, 1) d
      where a.merchant_id = ${m!.id}::uuid group by 1, 2, 3, 4, 5, 6, 7) r`;
    expect(rowsOf(await counters(sql`rating_day_counts`))).toEqual(rowsOf(await counters(rebuilt)));
    await expectSameAsFull(today, [m!.id]);
  }, 300_000);
});
