import { eq, sql } from 'drizzle-orm';
import type { Driver } from '../../src/db';
import { auditLog, fundLedgerEntries, merchants, returnPledges } from '../../src/db/schema';
import { withUsccCheckCharacter } from '../../src/domain/uscc';
import { seedDemo } from '../../seeds/load';
import { drivers, openTestDb, type TestDb } from '../helpers/drivers';

/** The message of the database error behind a failed drizzle query (drizzle wraps it). */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return `${(error as Error).message} ${cause?.message ?? ''}`;
  }
  throw new Error('expected the database to refuse this');
}

describe.each(drivers)('the data model on %s', (driver: Driver) => {
  let testDb: TestDb;
  const db = () => testDb.handle.db;

  beforeAll(async () => {
    testDb = await openTestDb(driver);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  const newMerchant = (over: Partial<typeof merchants.$inferInsert> = {}) => ({
    uscc: withUsccCheckCharacter('92421303MA4TE0T01'),
    name: '测试商行',
    kind: 'INDIVIDUAL_BUSINESS' as const,
    industry: 'FOOD' as const,
    sizeBand: 'MICRO' as const,
    regionCode: '421303',
    address: '随州市曾都区解放路1号',
    establishedOn: '2020-01-01',
    ...over,
  });

  it('loads the demo seed a second time without inserting anything', async () => {
    const { inserted } = await seedDemo(db());
    expect(Object.values(inserted).every((n) => n === 0)).toBe(true);
  });

  it('refuses a merchant whose kind does not match its USCC', async () => {
    const message = await failure(db().insert(merchants).values(newMerchant({ kind: 'ENTERPRISE' })));
    expect(message).toMatch(/merchants_kind_matches_uscc/);
  });

  it('refuses a second merchant with the same USCC', async () => {
    const [existing] = await db().select({ uscc: merchants.uscc, kind: merchants.kind }).from(merchants).limit(1);
    const message = await failure(db().insert(merchants).values(newMerchant({ uscc: existing!.uscc, kind: existing!.kind })));
    expect(message).toMatch(/merchants_uscc_key/);
  });

  it('refuses a second pledge in effect for the same merchant', async () => {
    const [active] = await db().select().from(returnPledges).where(eq(returnPledges.status, 'ACTIVE')).limit(1);
    const message = await failure(
      db().insert(returnPledges).values({ merchantId: active!.merchantId, effectiveFrom: '2026-01-01', status: 'SUSPENDED' }),
    );
    expect(message).toMatch(/return_pledges_one_in_effect/);
  });

  it('refuses a pledge window shorter than seven days', async () => {
    const [m] = await db().select({ id: merchants.id }).from(merchants).limit(1);
    const message = await failure(
      db().insert(returnPledges).values({ merchantId: m!.id, effectiveFrom: '2026-01-01', windowDays: 6, status: 'EXPIRED' }),
    );
    expect(message).toMatch(/return_pledges_window_at_least_7/);
  });

  it('keeps the audit log and the fund ledger append-only', async () => {
    await db().insert(auditLog).values({ actorSub: 'test', actorRole: 'SYSTEM', action: 'test', targetType: 'x', targetId: '1' });
    expect(await failure(db().update(auditLog).set({ action: 'rewritten' }))).toMatch(/append-only/);
    expect(await failure(db().delete(auditLog))).toMatch(/append-only/);
    expect(await failure(db().delete(fundLedgerEntries))).toMatch(/append-only/);
  });

  it('refuses a reimbursement that points at an entry of another fund', async () => {
    const rows = await db().execute(sql`
      select r.id, r.fund_id, p.id as other
      from fund_ledger_entries r
      join fund_ledger_entries p on p.fund_id <> r.fund_id and p.kind = 'PAYOUT'
      where r.kind = 'REIMBURSEMENT' limit 1`);
    const row = ((rows as { rows?: unknown[] }).rows ?? rows) as { fund_id: string; other: string }[];
    const [first] = await db().select().from(fundLedgerEntries).where(eq(fundLedgerEntries.kind, 'REIMBURSEMENT')).limit(1);
    const message = await failure(
      db().insert(fundLedgerEntries).values({
        fundId: row[0]!.fund_id,
        kind: 'REIMBURSEMENT',
        amountFen: 100,
        occurredAt: new Date(),
        tenantMerchantId: first!.tenantMerchantId,
        reimbursesEntryId: row[0]!.other,
        idempotencyKey: 'cross-fund',
      }),
    );
    expect(message).toMatch(/fund_ledger_entries_reimburses_same_fund_fk/);
  });
});
