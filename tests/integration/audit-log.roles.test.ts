import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq, sql } from 'drizzle-orm';
import { auditLog, compensationFunds, merchants, returnPledges } from '../../src/db/schema';
import { drivers } from '../helpers/drivers';
import { plainMerchants, rowsOf } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const LOG = `query ($targetId: String, $first: Int) {
  auditLog(targetId: $targetId, first: $first) { totalCount edges { node { action targetType targetId regionCode actorSub } } }
}`;

type Row = { action: string; targetType: string; targetId: string; regionCode: string | null; actorSub: string };

/**
 * auditLog shows a supervisor only the rows of targets in its regions (fund notes, idempotency
 * keys and actors of other regions stayed visible before); admins see everything.
 */
describe.each(drivers)('who may read the audit log, on %s', (driver) => {
  let server: TestServer;
  /** Targets changed per district by the setup, by kind. */
  const targets: Record<'421303' | '421321', { merchant: string; appeal: string; fund: string; pledge: string }> = {} as never;

  async function changeEverythingIn(regionCode: '421303' | '421321') {
    const admin = await authHeader({ sub: `admin-${regionCode}`, role: 'ADMIN' });
    const db = server.handle.db;
    const [m] = await plainMerchants(db, regionCode, 1, 3);
    const ok = async (query: string, variables: Record<string, unknown>) => {
      const res = await server.gql(query, variables, admin);
      expect(res.errors).toBeUndefined();
      return res.data!;
    };
    await ok(`mutation ($input: UpdateMerchantContactInput!) { updateMerchantContact(input: $input) { id } }`, {
      input: { merchantId: m!.id, contactPhone: '13900001111' },
    });
    const appeal = await ok(`mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`, {
      input: { type: 'COMPLAINT', channel: 'WEB', merchantId: m!.id },
    });
    const [fund] = await db
      .select({ id: compensationFunds.id })
      .from(compensationFunds)
      .innerJoin(merchants, eq(merchants.id, compensationFunds.hostMerchantId))
      .where(eq(merchants.regionCode, regionCode))
      .orderBy(asc(compensationFunds.id))
      .limit(1);
    await ok(`mutation ($fund: ID!) { depositToFund(fundId: $fund, amountFen: 100, idempotencyKey: "audit-scope", note: "机密备注") { replayed } }`, {
      fund: fund!.id,
    });
    const [pledge] = await db
      .select({ id: returnPledges.id })
      .from(returnPledges)
      .innerJoin(merchants, eq(merchants.id, returnPledges.merchantId))
      .where(and(eq(merchants.regionCode, regionCode), eq(returnPledges.status, 'ACTIVE')))
      .orderBy(asc(returnPledges.id))
      .limit(1);
    await ok(`mutation ($id: ID!) { suspendPledge(id: $id, reason: "整改") { id } }`, { id: pledge!.id });
    targets[regionCode] = { merchant: m!.id, appeal: appeal.createAppeal.id, fund: fund!.id, pledge: pledge!.id };
  }

  const read = async (headers: Record<string, string>, targetId?: string) => {
    const res = await server.gql(LOG, { first: 100, targetId }, headers);
    return { codes: (res.errors ?? []).map((e) => e.extensions?.code), total: res.data?.auditLog.totalCount as number, rows: (res.data?.auditLog.edges ?? []).map((e: { node: Row }) => e.node) as Row[] };
  };

  beforeAll(async () => {
    server = await startTestServer(driver);
    await changeEverythingIn('421303');
    await changeEverythingIn('421321');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('files every row the mutations wrote under its target’s region, for merchants, appeals, funds and pledges', async () => {
    const rows = await server.handle.db.select().from(auditLog).where(sql`${auditLog.actorSub} like 'admin-4213%'`);
    expect(rows.length).toBe(8);
    for (const row of rows) expect(row.regionCode).toBe(row.actorSub.slice('admin-'.length));
  });

  it('a supervisor of one district reads its own district’s rows and none of the other’s', async () => {
    const zengdu = await read(await authHeader({ sub: 'sup-zengdu', role: 'SUPERVISOR', regions: ['421303'] }));
    expect(zengdu.codes).toEqual([]);
    expect(zengdu.rows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(zengdu.rows.map((r) => r.regionCode))).toEqual(new Set(['421303']));
    expect(zengdu.rows.map((r) => r.targetId)).toEqual(expect.arrayContaining(Object.values(targets['421303'])));
    expect(zengdu.total).toBe(zengdu.rows.length);
    // Asking for another district's target by id answers nothing either.
    for (const id of Object.values(targets['421321'])) expect((await read(await authHeader({ sub: 'sup-zengdu', role: 'SUPERVISOR', regions: ['421303'] }), id)).total).toBe(0);
  });

  it('a supervisor with no regions reads nothing', async () => {
    const none = await read(await authHeader({ sub: 'sup-none', role: 'SUPERVISOR', regions: [] }));
    expect(none).toEqual({ codes: [], total: 0, rows: [] });
  });

  it('a city supervisor reads its districts; an admin reads everything, rows without a region too', async () => {
    const city = await read(await authHeader({ sub: 'sup-city', role: 'SUPERVISOR', regions: ['421300'] }));
    expect(new Set(city.rows.map((r) => r.regionCode))).toEqual(new Set(['421303', '421321']));
    await server.gql(
      `mutation ($csv: String!) { importAppeals(csv: $csv, sourceName: "scope.csv") { inserted } }`,
      { csv: 'external_id,type,channel,received_at,region_code,status\nSCOPE-1,CONSULTATION,HOTLINE,2026-09-01 09:12,421303,CLOSED' },
      await authHeader({ sub: 'sup-zengdu', role: 'SUPERVISOR', regions: ['421303'] }),
    );
    const admin = await read(await authHeader({ sub: 'admin', role: 'ADMIN' }));
    expect(admin.rows.map((r) => r.regionCode)).toEqual(expect.arrayContaining(['421303', '421321', null]));
    const again = await read(await authHeader({ sub: 'sup-zengdu', role: 'SUPERVISOR', regions: ['421303'] }));
    expect(again.rows.some((r) => r.targetType === 'import')).toBe(false);
  });

  it('merchants and the public are refused', async () => {
    expect((await read(await authHeader({ sub: 'm', role: 'MERCHANT', merchantIds: [targets['421303'].merchant] }))).codes).toEqual(['FORBIDDEN']);
    expect((await read({})).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('the migration backfills the region of rows written before it', async () => {
    const db = server.handle.db;
    const { merchant, appeal, fund, pledge } = targets['421321'];
    const legacy = [
      { targetType: 'merchant', targetId: merchant },
      { targetType: 'Merchant', targetId: merchant },
      { targetType: 'appeal', targetId: appeal },
      { targetType: 'CompensationFund', targetId: fund },
      { targetType: 'pledge', targetId: pledge },
      { targetType: 'import', targetId: 'old.csv' },
    ];
    const inserted = await db
      .insert(auditLog)
      .values(legacy.map((t) => ({ ...t, actorSub: 'legacy', actorRole: 'ADMIN' as const, action: 'legacy.row', regionCode: null })))
      .returning({ id: auditLog.id });
    const migration = readFileSync(join(__dirname, '../../drizzle/0004_audit_log_region.sql'), 'utf8');
    // The statements after the column and index: the backfill, between the trigger switches.
    const statements = migration.split('--> statement-breakpoint').slice(2);
    expect(statements.join('')).toMatch(/UPDATE "audit_log"/);
    await db.transaction(async (tx) => {
      for (const statement of statements) await tx.execute(sql.raw(statement));
    });
    const rows = rowsOf<{ id: number; region_code: string | null }>(
      await db.execute(sql`select id::int as id, region_code from audit_log where id >= ${inserted[0]!.id} and actor_sub = 'legacy' order by id`),
    );
    expect(rows.map((r) => r.region_code)).toEqual(['421321', '421321', '421321', '421321', '421321', null]);
    // The append-only trigger is back on.
    const refused = await db.execute(sql`update audit_log set action = 'x' where id = ${inserted[0]!.id}`).then(
      () => 'updated',
      (error: { cause?: { message?: string }; message: string }) => error.cause?.message ?? error.message,
    );
    expect(refused).toMatch(/append-only/);
  });
});
