import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import { appeals, appealTransitions, auditLog } from '../../src/db/schema';
import { checkHeader, importAppeals, mapRecord, type ImportSummary } from '../../src/modules/appeal/appeal.import';
import { checkBatch, writeCheckedBatch } from '../../src/modules/appeal/appeal.import.batch';
import { createRequestScope } from '../../src/request-scope';
import { systemViewer } from '../../src/auth/viewer';
import { createLogger } from '../../src/logger';
import { projectRoot } from '../../src/util/project-root';
import { drivers } from '../helpers/drivers';
import { auditCount } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const SAMPLE = readFileSync(join(projectRoot(), 'seeds', 'appeals-sample.csv'), 'utf8');
/** The sample's deliberately bad rows (docs/appeals-import.md lists them). */
const SAMPLE_BAD = [
  { line: 17, field: 'merchant_uscc', message: expect.stringMatching(/wrong check character/) },
  { line: 20, field: 'concluded_at', message: 'concluded_at is required for status MEDIATED' },
  { line: 23, field: 'amount_involved_yuan', message: expect.stringMatching(/not an amount in yuan/) },
];
/** Every workflow step the sample's 27 good rows imply (RECEIVED included). */
const SAMPLE_TRANSITIONS = 68;

const HEADER = 'external_id,type,channel,received_at,merchant_uscc,region_code,status,accepted_at,details';
/** Seeded merchants (generateDemoSeed): an appliance store in 曾都区 and one in 广水市. */
const ZENGDU_MERCHANT = '91421303760447616B';
const GUANGSHUI_MERCHANT = '92421381L41290035Q';

const IMPORT = `mutation ($csv: String!, $sourceName: String) {
  importAppeals(csv: $csv, sourceName: $sourceName) { read inserted alreadyPresent badRows bad { line field message } } }`;

describe.each(drivers)('importing 12315 exports on %s', (driver) => {
  let server: TestServer;
  const db = () => server.handle.db;

  const count = async (prefix: string) => {
    const [row] = await db().select({ n: sql<number>`count(*)::int` }).from(appeals).where(like(appeals.externalId, `${prefix}%`));
    return Number(row!.n);
  };
  const transitionsOf = async (prefix: string) =>
    db()
      .select({ externalId: appeals.externalId, status: appeals.status, from: appealTransitions.fromStatus, to: appealTransitions.toStatus, actor: appealTransitions.actor, reason: appealTransitions.reason })
      .from(appealTransitions)
      .innerJoin(appeals, eq(appeals.id, appealTransitions.appealId))
      .where(like(appeals.externalId, `${prefix}%`))
      .orderBy(asc(appeals.externalId), asc(appealTransitions.at));
  const quiet = (csv: string, options: Partial<Parameters<typeof importAppeals>[2]> = {}): Promise<ImportSummary> =>
    importAppeals(db(), csv, { actor: 'test-import', ...options });

  beforeAll(async () => {
    server = await startTestServer(driver);
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('the sample file', () => {
    let first: ImportSummary;
    let auditBefore: number;

    beforeAll(async () => {
      auditBefore = await auditCount(db());
      first = await quiet(SAMPLE, { batchSize: 7, sourceName: 'appeals-sample.csv' });
    });

    it('records the good rows and reports the bad ones at their lines', () => {
      expect(first).toMatchObject({ read: 30, inserted: 27, alreadyPresent: 0, badRows: 3, batches: 5 });
      expect(first.problems).toEqual(SAMPLE_BAD);
    });

    it('writes one appeal.import audit row per batch, with its counts', async () => {
      expect(await auditCount(db())).toBe(auditBefore + 5);
      const rows = await db().select().from(auditLog).where(eq(auditLog.action, 'appeal.import')).orderBy(asc(auditLog.id));
      expect(rows.map((r) => [r.targetType, r.targetId, r.actorSub])).toEqual(Array(5).fill(['import', 'appeals-sample.csv', 'test-import']));
      const after = rows.map((r) => r.after as { inserted: number; skipped: number; bad: number });
      expect(after.reduce((sum, a) => sum + a.inserted, 0)).toBe(27);
      expect(after.reduce((sum, a) => sum + a.bad, 0)).toBe(3);
    });

    it('stores times, amounts and regions as the file gives them', async () => {
      const rows = await db()
        .select()
        .from(appeals)
        .where(inArray(appeals.externalId, ['12315-4213-2026-00101', '12315-4213-2026-00104', '12315-4213-2026-00105', '12315-4213-2026-00130']))
        .orderBy(asc(appeals.externalId));
      expect(rows.map((r) => [r.externalId, r.type, r.channel, r.regionCode, r.receivedAt.toISOString(), r.amountInvolvedFen, r.amountRecoveredFen])).toEqual([
        ['12315-4213-2026-00101', 'CONSULTATION', 'HOTLINE', '421303', '2026-09-01T01:12:00.000Z', 0, 0],
        ['12315-4213-2026-00104', 'COMPLAINT', 'HOTLINE', '421303', '2026-09-02T02:30:00.000Z', 329900, 329900],
        ['12315-4213-2026-00105', 'COMPLAINT', 'PLATFORM', '421303', '2026-09-05T11:22:00.000Z', 5850, 5850],
        ['12315-4213-2026-00130', 'COMPLAINT', 'VISIT', '421321', '2026-11-25T02:30:00.000Z', 0, 0],
      ]);
      const [multiline] = await db().select({ details: appeals.details }).from(appeals).where(eq(appeals.externalId, '12315-4213-2026-00113'));
      expect(multiline!.details).toBe('聚餐后多人腹泻。\n消费者提供就诊记录及消费小票，\n要求退还餐费。');
    });

    it('creates the transitions each status implies, from RECEIVED to the status', async () => {
      const steps = await transitionsOf('12315-4213-2026-');
      expect(steps).toHaveLength(SAMPLE_TRANSITIONS);
      const byAppeal = new Map<string, typeof steps>();
      for (const step of steps) byAppeal.set(step.externalId!, [...(byAppeal.get(step.externalId!) ?? []), step]);
      expect(byAppeal.size).toBe(27);
      for (const history of byAppeal.values()) {
        expect(history[0]).toMatchObject({ from: null, to: 'RECEIVED', actor: 'test-import' });
        expect(history[history.length - 1]!.to).toBe(history[0]!.status);
      }
      const path = (id: string) => byAppeal.get(`12315-4213-2026-${id}`)!.map((s) => s.to);
      expect(path('00104')).toEqual(['RECEIVED', 'ACCEPTED', 'IN_MEDIATION', 'MEDIATED']);
      expect(path('00107')).toEqual(['RECEIVED', 'ACCEPTED', 'WITHDRAWN']);
      expect(path('00108')).toEqual(['RECEIVED', 'REJECTED']);
      expect(byAppeal.get('12315-4213-2026-00108')![1]!.reason).toBe('已由人民法院受理');
      expect(path('00123')).toEqual(['RECEIVED', 'VERIFYING', 'VERIFYING']);
      expect(path('00127')).toEqual(['RECEIVED', 'CLOSED']);
      expect(path('00111')).toEqual(['RECEIVED']);
    });

    it('records nothing twice when run again: every good row is already present', async () => {
      const again = await quiet(SAMPLE, { sourceName: 'appeals-sample.csv' });
      expect(again).toMatchObject({ read: 30, inserted: 0, alreadyPresent: 27, badRows: 3 });
      expect(await count('12315-4213-2026-')).toBe(27);
      expect(await transitionsOf('12315-4213-2026-')).toHaveLength(SAMPLE_TRANSITIONS);
    });
  });

  it('reports a bad row at the line it starts on, after a quoted field spanning lines (CRLF file with BOM)', async () => {
    const csv = [
      HEADER,
      `LN-1,COMPLAINT,HOTLINE,2026-10-01 09:00,${ZENGDU_MERCHANT},,RECEIVED,,"第一行`,
      `第二行`,
      `第三行"`,
      '',
      `LN-2,COMPLAINT,HOTLINE,2026-10-01 09:00,,,RECEIVED,,no merchant`,
      `LN-3,COMPLAINT,HOTLINE,2026-10-01 09:00,${ZENGDU_MERCHANT},,ACCEPTED,,"""quoted"" but no accepted_at"`,
      `LN-4,COMPLAINT,HOTLINE,2026-10-01 09:00,${ZENGDU_MERCHANT},,RECEIVED`,
      `LN-5,COMPLAINT,HOTLINE,2026-10-01 09:00,91421303000000000X,,RECEIVED,,unregistered`,
    ].join('\r\n');
    const summary = await quiet(`\uFEFF${csv}\r\n`);
    expect(summary).toMatchObject({ read: 5, inserted: 1, alreadyPresent: 0, badRows: 4 });
    expect(summary.problems).toEqual([
      { line: 6, field: 'merchant_uscc', message: 'a COMPLAINT must name the merchant concerned' },
      { line: 6, field: 'region_code', message: 'a six-digit region code is required' },
      { line: 7, field: 'accepted_at', message: 'accepted_at is required for status ACCEPTED' },
      { line: 8, field: 'row', message: 'has 7 fields, the header has 9' },
      { line: 9, field: 'merchant_uscc', message: expect.stringMatching(/USCC/) },
    ]);
    const [row] = await db().select({ details: appeals.details }).from(appeals).where(eq(appeals.externalId, 'LN-1'));
    expect(row!.details).toBe('第一行\n第二行\n第三行');
  });

  it('counts an external id repeated within a batch once, with one history', async () => {
    const csv = [HEADER, `DUP-1,咨询,电话,2026-10-02 09:00,,421303,CLOSED,,first`, `DUP-1,咨询,电话,2026-10-02 09:00,,421303,CLOSED,,again`].join('\n');
    expect(await quiet(csv)).toMatchObject({ read: 2, inserted: 1, alreadyPresent: 1, badRows: 0 });
    expect((await transitionsOf('DUP-1')).map((t) => t.to)).toEqual(['RECEIVED', 'CLOSED']);
  });

  it('counts an external id repeated in the next batch once (checked while the batch before it was written)', async () => {
    const csv = [HEADER, `DUP2-1,咨询,电话,2026-10-02 09:00,,421303,CLOSED,,first`, `DUP2-1,咨询,电话,2026-10-02 09:00,,421303,CLOSED,,again`].join('\n');
    expect(await quiet(csv, { batchSize: 1 })).toMatchObject({ read: 2, inserted: 1, alreadyPresent: 1, badRows: 0, batches: 2 });
    expect((await transitionsOf('DUP2-1')).map((t) => t.to)).toEqual(['RECEIVED', 'CLOSED']);
  });

  it('skips a row another import recorded after the batch was checked, and writes the rest with their histories', async () => {
    const columns = checkHeader(HEADER.split(','));
    const rows = ['RACE-1', 'RACE-2', 'RACE-3'].map((id, i) => ({ line: i + 2, result: mapRecord(`${id},咨询,电话,2026-10-02 09:00,,421303,CLOSED,,x`.split(','), columns) }));
    const options = { actor: 'test-import' };
    const checked = await checkBatch(db(), rows, options);
    expect(checked.prepared).toHaveLength(3);
    // Another import commits RACE-2 between the check and the write.
    expect(await quiet([HEADER, 'RACE-2,咨询,电话,2026-10-02 09:00,,421303,RECEIVED,,other'].join('\n'))).toMatchObject({ inserted: 1 });
    const scope = createRequestScope({ db: db(), log: createLogger('silent') }, systemViewer('test-import'), 'race-test');
    expect(await writeCheckedBatch(scope, checked, options, 'race.csv', 1)).toMatchObject({ inserted: 2, alreadyPresent: 1, badLines: 0 });
    const history = await transitionsOf('RACE-');
    expect(history.map((t) => `${t.externalId} ${t.to}`)).toEqual(['RACE-1 RECEIVED', 'RACE-1 CLOSED', 'RACE-2 RECEIVED', 'RACE-3 RECEIVED', 'RACE-3 CLOSED']);
  });

  it('refuses a file with an unknown column as a whole, writing nothing', async () => {
    const before = await auditCount(db());
    await expect(quiet(`${HEADER},remark\nUNK-1,咨询,电话,2026-10-02 09:00,,421303,RECEIVED,,,x\n`)).rejects.toThrow(/line 1: unknown column 'remark'/);
    await expect(quiet('')).rejects.toThrow(/a header row is required/);
    expect(await count('UNK-')).toBe(0);
    expect(await auditCount(db())).toBe(before);
  });

  it('stops at malformed CSV, and a run on the corrected file completes it', async () => {
    const row = (n: number, details: string) => `MAL-${n},咨询,电话,2026-10-02 09:00,,421303,RECEIVED,,${details}`;
    const broken = [HEADER, row(1, 'ok'), row(2, '"never closed'), row(3, 'ok')].join('\n');
    await expect(quiet(broken, { batchSize: 1 })).rejects.toThrow(/malformed CSV: Quote Not Closed/);
    // Rows read before the error may have committed; nothing from the broken row on.
    const kept = await count('MAL-');
    expect(kept).toBeLessThanOrEqual(1);
    const fixed = [HEADER, row(1, 'ok'), row(2, '"closed"'), row(3, 'ok')].join('\n');
    expect(await quiet(fixed, { batchSize: 1 })).toMatchObject({ read: 3, inserted: 3 - kept, alreadyPresent: kept, badRows: 0 });
    expect(await count('MAL-')).toBe(3);
  });

  describe('the importAppeals mutation', () => {
    const rows = (prefix: string) =>
      [
        HEADER,
        `${prefix}-1,投诉,电话,2026-11-02 09:00,${GUANGSHUI_MERCHANT},,ACCEPTED,2026-11-03 10:00,in 广水`,
        `${prefix}-2,咨询,网络,2026-11-02 10:00,,421381,RECEIVED,,in 广水`,
        `${prefix}-3,投诉,电话,2026-11-02 11:00,${ZENGDU_MERCHANT},,RECEIVED,,in 曾都`,
      ].join('\n');

    it('imports the rows of the supervisor’s jurisdiction and reports the others as bad', async () => {
      const headers = await authHeader({ sub: 'supervisor-guangshui', role: 'SUPERVISOR', regions: ['421381'] });
      const response = await server.gql(IMPORT, { csv: rows('GQL'), sourceName: 'guangshui.csv' }, headers);
      expect(response.errors).toBeUndefined();
      expect(response.data!.importAppeals).toEqual({
        read: 3,
        inserted: 2,
        alreadyPresent: 0,
        badRows: 1,
        bad: [{ line: 4, field: 'region_code', message: 'region 421303 is outside your jurisdiction' }],
      });
      const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'appeal.import'), eq(auditLog.targetId, 'guangshui.csv')));
      expect(audit).toMatchObject({ actorSub: 'supervisor-guangshui', actorRole: 'SUPERVISOR', targetType: 'import', after: expect.objectContaining({ inserted: 2, skipped: 0, bad: 1 }) });
      expect((await transitionsOf('GQL-1')).map((t) => [t.to, t.actor])).toEqual([
        ['RECEIVED', 'supervisor-guangshui'],
        ['ACCEPTED', 'supervisor-guangshui'],
      ]);

      const again = await server.gql(IMPORT, { csv: rows('GQL') }, headers);
      expect(again.data!.importAppeals).toMatchObject({ read: 3, inserted: 0, alreadyPresent: 2, badRows: 1 });
    });

    it('lets an admin import every region, and a supervisor re-importing them only their own', async () => {
      const response = await server.gql(IMPORT, { csv: rows('ADM') }, await authHeader({ sub: 'admin-1', role: 'ADMIN' }));
      expect(response.data!.importAppeals).toMatchObject({ read: 3, inserted: 3, badRows: 0 });
      // Recorded or not, a row of another jurisdiction is refused the same way.
      const supervisor = await authHeader({ sub: 'supervisor-guangshui', role: 'SUPERVISOR', regions: ['421381'] });
      const again = await server.gql(IMPORT, { csv: rows('ADM') }, supervisor);
      expect(again.data!.importAppeals).toEqual({
        read: 3,
        inserted: 0,
        alreadyPresent: 2,
        badRows: 1,
        bad: [{ line: 4, field: 'region_code', message: 'region 421303 is outside your jurisdiction' }],
      });
    });

    it('refuses the public and merchants', async () => {
      const anonymous = await server.gql(IMPORT, { csv: rows('PUB') });
      expect(anonymous.errors!.map((e) => e.extensions!.code)).toEqual(['UNAUTHENTICATED']);
      const merchant = await server.gql(IMPORT, { csv: rows('MER') }, await authHeader({ sub: 'merchant-1', role: 'MERCHANT', merchantIds: [] }));
      expect(merchant.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
      expect((await count('PUB-')) + (await count('MER-'))).toBe(0);
    });

    it('refuses more than 10,000 rows or unknown columns with BAD_USER_INPUT, writing nothing', async () => {
      const headers = await authHeader({ sub: 'admin-1', role: 'ADMIN' });
      const lines = ['external_id,type,channel,received_at,region_code'];
      for (let i = 0; i < 10_001; i++) lines.push(`BIG-${i},咨询,电话,2026-11-01 10:00,421381`);
      const big = await server.gql(IMPORT, { csv: lines.join('\n') }, headers);
      expect(big.errors!.map((e) => [e.extensions!.code, e.message])).toEqual([['BAD_USER_INPUT', 'the file has more than 10000 rows']]);
      expect(await count('BIG-')).toBe(0);

      const unknown = await server.gql(IMPORT, { csv: 'external_id,type,channel,received_at,colour\n' }, headers);
      expect(unknown.errors!.map((e) => [e.extensions!.code, e.extensions!.field])).toEqual([['BAD_USER_INPUT', 'csv']]);
    });
  });
});
