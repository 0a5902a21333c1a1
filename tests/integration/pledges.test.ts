import { createHash } from 'node:crypto';
import { and, count, eq, exists, inArray, lte, notExists } from 'drizzle-orm';
import { appeals, auditLog, merchants, pledgeAudits, pledgeStatusChanges, returnPledges } from '../../src/db/schema';
import { createContext } from '../../src/context';
import { createLogger } from '../../src/logger';
import { addDays } from '../../src/domain/calendar';
import { shanghaiDate, shanghaiToday } from '../../src/domain/local-date';
import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const PLEDGE_FIELDS = `id status version windowDays scope scopeCategories exclusions effectiveFrom expiresOn
  signboardDisplayed revokedAt revocationReason filedBy merchant { id }
  history { fromStatus toStatus reason actor at }`;

const FILE = `mutation($input: FilePledgeInput!) { filePledge(input: $input) { ${PLEDGE_FIELDS} } }`;
const SUSPEND = `mutation($id: ID!, $reason: String!, $v: Int) { suspendPledge(id: $id, reason: $reason, expectedVersion: $v) { ${PLEDGE_FIELDS} } }`;
const RESUME = `mutation($id: ID!, $v: Int) { resumePledge(id: $id, expectedVersion: $v) { ${PLEDGE_FIELDS} } }`;
const REVOKE = `mutation($id: ID!, $reason: String!, $v: Int) { revokePledge(id: $id, reason: $reason, expectedVersion: $v) { ${PLEDGE_FIELDS} } }`;
const AUDIT = `mutation($input: RecordPledgeAuditInput!) {
  recordPledgeAudit(input: $input) { id auditedOn outcome findings rectificationDueOn inspector pledge { id version } } }`;
const QUEUE = `query($region: String!, $first: Int, $after: String, $asOf: Date) {
  auditQueue(regionCode: $region, first: $first, after: $after, asOf: $asOf) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { reasons openRefusedReturnComplaints pledge { id status } merchant { id regionCode }
      lastAudit { auditedOn outcome rectificationDueOn } } } } }`;
const ELIGIBILITY = `query($uscc: String!, $receivedOn: Date!, $goodsCategory: String, $askedOn: Date) {
  returnEligibility(uscc: $uscc, receivedOn: $receivedOn, goodsCategory: $goodsCategory, askedOn: $askedOn) {
    eligible lastDay lastDayProvisional windowDays reasons { code blocking messageZh messageEn } pledge { id } merchant { id } } }`;

const OUTCOME_RANK: Record<string, number> = { VIOLATION: 0, MINOR_ISSUES: 1, NONE: 2, COMPLIANT: 3 };

describe.each(drivers)('return pledges on %s', (driver) => {
  let server: TestServer;
  let queries = 0;
  const today = shanghaiToday();
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  const used = new Set<string>();

  const db = () => server.handle.db;

  const auditRows = async () => Number((await db().select({ n: count() }).from(auditLog))[0]!.n);
  const historyRows = async (pledgeId: string) =>
    Number((await db().select({ n: count() }).from(pledgeStatusChanges).where(eq(pledgeStatusChanges.pledgeId, pledgeId)))[0]!.n);

  /** A seeded merchant of the region with no pledge in effect, not used by another test. */
  async function merchantWithoutPledge(regionCode = '421303') {
    const rows = await db()
      .select()
      .from(merchants)
      .where(
        and(
          eq(merchants.regionCode, regionCode),
          notExists(
            db()
              .select({ id: returnPledges.id })
              .from(returnPledges)
              .where(and(eq(returnPledges.merchantId, merchants.id), inArray(returnPledges.status, ['ACTIVE', 'SUSPENDED']))),
          ),
        ),
      )
      .orderBy(merchants.id)
      .limit(used.size + 1);
    const merchant = rows.find((r) => !used.has(r.id))!;
    used.add(merchant.id);
    return merchant;
  }

  /** Headers of the merchant account acting for `merchantId`. */
  const merchantHeaders = (merchantId: string) => authHeader({ sub: `merchant-${merchantId}`, role: 'MERCHANT', merchantIds: [merchantId] });

  async function fileFor(merchantId: string, input: Record<string, unknown> = {}) {
    const res = await server.gql(FILE, { input: { merchantId, ...input } }, supervisor);
    expect(res.errors).toBeUndefined();
    return res.data!.filePledge;
  }

  beforeAll(async () => {
    server = await startTestServer(driver, { onQuery: () => queries++ });
    supervisor = await authHeader({ sub: 'supervisor-city', role: 'SUPERVISOR', regions: ['421300'] });
    admin = await authHeader({ sub: 'admin', role: 'ADMIN' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('filing', () => {
    it('lets a merchant file its own pledge: ACTIVE, version 1, one history row, one audit row', async () => {
      const merchant = await merchantWithoutPledge();
      const before = await auditRows();
      const res = await server.gql(
        FILE,
        { input: { merchantId: merchant.id, windowDays: 15, effectiveFrom: '2024-09-01', signboardDisplayed: true } },
        await merchantHeaders(merchant.id),
      );
      expect(res.errors).toBeUndefined();
      const pledge = res.data!.filePledge;
      expect(pledge).toMatchObject({
        status: 'ACTIVE',
        version: 1,
        windowDays: 15,
        scope: 'ALL_GOODS',
        exclusions: [],
        effectiveFrom: '2024-09-01',
        expiresOn: null,
        signboardDisplayed: true,
        merchant: { id: merchant.id },
        // Staff detail is for supervisors and admins only.
        filedBy: null,
      });
      expect(pledge.history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'ACTIVE', actor: null })]);
      expect(await auditRows()).toBe(before + 1);
      const [entry] = await db().select().from(auditLog).where(eq(auditLog.targetId, pledge.id));
      expect(entry).toMatchObject({ action: 'pledge.file', targetType: 'pledge', actorRole: 'MERCHANT' });
      expect((entry!.after as { id: string }).id).toBe(pledge.id);
    });

    it('lets a supervisor register a listed-categories pledge with legal exclusions in its region', async () => {
      const merchant = await merchantWithoutPledge('421381');
      const res = await server.gql(
        FILE,
        {
          input: {
            merchantId: merchant.id,
            scope: 'LISTED_CATEGORIES',
            scopeCategories: ['服装', '鞋帽', '服装'],
            exclusions: ['made_to_order', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED'],
            expiresOn: addDays(today, 365),
          },
        },
        supervisor,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.filePledge).toMatchObject({
        scope: 'LISTED_CATEGORIES',
        scopeCategories: ['服装', '鞋帽'],
        exclusions: ['MADE_TO_ORDER', 'NEAR_EXPIRY_OR_DEFECTIVE_DISCLOSED'],
        effectiveFrom: today,
        filedBy: 'supervisor-city',
        history: [expect.objectContaining({ actor: 'supervisor-city', toStatus: 'ACTIVE' })],
      });
    });

    it('refuses a second pledge in effect as CONFLICT, writing nothing', async () => {
      const merchant = await merchantWithoutPledge();
      const first = await fileFor(merchant.id);
      const before = await auditRows();
      const res = await server.gql(FILE, { input: { merchantId: merchant.id } }, supervisor);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', pledgeId: first.id });
      expect(res.errors![0]!.message).toMatch(/already has a pledge in effect/);
      expect(await auditRows()).toBe(before);
      const pledges = await db().select().from(returnPledges).where(eq(returnPledges.merchantId, merchant.id));
      expect(pledges.filter((p) => p.status === 'ACTIVE')).toHaveLength(1);
    });

    it('refuses an exclusion beyond the legal list as BAD_USER_INPUT naming the entry', async () => {
      const merchant = await merchantWithoutPledge();
      const before = await auditRows();
      const res = await server.gql(FILE, { input: { merchantId: merchant.id, exclusions: ['FRESH_PERISHABLE', 'SALE_ITEMS'] } }, supervisor);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.exclusions[1]' });
      expect(res.errors![0]!.message).toMatch(/SALE_ITEMS.*not an exclusion the law allows/);
      expect(await auditRows()).toBe(before);
      used.delete(merchant.id);
    });

    it.each([
      [{ windowDays: 6 }, 'input.windowDays'],
      [{ scope: 'LISTED_CATEGORIES' }, 'input.scopeCategories'],
      [{ scopeCategories: ['服装'] }, 'input.scopeCategories'],
      [{ effectiveFrom: '2025-01-01', expiresOn: '2025-01-01' }, 'input.expiresOn'],
      [{ effectiveFrom: '2020-01-01', expiresOn: '2021-01-01' }, 'input.expiresOn'],
      [{ merchantId: 'not-an-id' }, 'input.merchantId'],
    ])('refuses %j as BAD_USER_INPUT on %s', async (input, field) => {
      const merchant = await merchantWithoutPledge();
      const res = await server.gql(FILE, { input: { merchantId: merchant.id, ...input } }, supervisor);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      used.delete(merchant.id);
    });

    it('refuses a merchant account filing for another merchant, and a supervisor of another district', async () => {
      const merchant = await merchantWithoutPledge('421303');
      const other = await merchantHeaders('00000000-0000-4000-8000-000000000000');
      const outside = await authHeader({ sub: 'supervisor-out', role: 'SUPERVISOR', regions: ['421321'] });
      for (const headers of [other, outside]) {
        const res = await server.gql(FILE, { input: { merchantId: merchant.id } }, headers);
        expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      }
      const anonymous = await server.gql(FILE, { input: { merchantId: merchant.id } });
      expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      used.delete(merchant.id);
    });
  });

  describe('lifecycle', () => {
    it('goes ACTIVE → SUSPENDED → ACTIVE → SUSPENDED → REVOKED, bumping the version and keeping every change', async () => {
      const merchant = await merchantWithoutPledge();
      const own = await merchantHeaders(merchant.id);
      const pledge = await fileFor(merchant.id);
      let audits = await auditRows();
      const step = async (query: string, vars: Record<string, unknown>, headers: Record<string, string>) => {
        const res = await server.gql(query, vars, headers);
        expect(res.errors).toBeUndefined();
        expect(await auditRows()).toBe(++audits);
        return Object.values(res.data!)[0] as Record<string, any>;
      };

      const suspended = await step(SUSPEND, { id: pledge.id, reason: '店面装修，暂停营业', v: 1 }, own);
      expect(suspended).toMatchObject({ status: 'SUSPENDED', version: 2 });
      const resumed = await step(RESUME, { id: pledge.id, v: 2 }, own);
      expect(resumed).toMatchObject({ status: 'ACTIVE', version: 3 });
      await step(SUSPEND, { id: pledge.id, reason: '监督检查发现拒绝退货，整改期间暂停' }, supervisor);
      const revoked = await step(REVOKE, { id: pledge.id, reason: '整改期满复查仍不合格，撤销承诺', v: 4 }, supervisor);
      expect(revoked).toMatchObject({ status: 'REVOKED', version: 5, revocationReason: '整改期满复查仍不合格，撤销承诺' });
      expect(revoked.revokedAt).toEqual(expect.any(String));
      expect(revoked.history.map((h: any) => [h.fromStatus, h.toStatus])).toEqual([
        [null, 'ACTIVE'],
        ['ACTIVE', 'SUSPENDED'],
        ['SUSPENDED', 'ACTIVE'],
        ['ACTIVE', 'SUSPENDED'],
        ['SUSPENDED', 'REVOKED'],
      ]);
      expect(revoked.history.map((h: any) => h.actor)).toEqual([
        'supervisor-city',
        `merchant-${merchant.id}`,
        `merchant-${merchant.id}`,
        'supervisor-city',
        'supervisor-city',
      ]);
      expect(revoked.history[4].reason).toBe('整改期满复查仍不合格，撤销承诺');

      // A revoked pledge is no longer in effect: the merchant may file again.
      const again = await server.gql(FILE, { input: { merchantId: merchant.id } }, own);
      expect(again.errors).toBeUndefined();
    });

    it.each([
      ['resume an ACTIVE pledge', 'ACTIVE', RESUME, {}],
      ['suspend a SUSPENDED pledge', 'SUSPENDED', SUSPEND, { reason: 'again' }],
      ['suspend a REVOKED pledge', 'REVOKED', SUSPEND, { reason: 'x' }],
      ['resume a REVOKED pledge', 'REVOKED', RESUME, {}],
      ['revoke a REVOKED pledge', 'REVOKED', REVOKE, { reason: 'x' }],
    ])('refuses to %s as CONFLICT and writes nothing', async (_name, state, query, vars) => {
      const merchant = await merchantWithoutPledge();
      const pledge = await fileFor(merchant.id);
      if (state !== 'ACTIVE') await server.gql(SUSPEND, { id: pledge.id, reason: 'setup' }, supervisor);
      if (state === 'REVOKED') await server.gql(REVOKE, { id: pledge.id, reason: 'setup' }, supervisor);
      const [stored] = await db().select().from(returnPledges).where(eq(returnPledges.id, pledge.id));
      expect(stored!.status).toBe(state);
      const [audits, history] = [await auditRows(), await historyRows(pledge.id)];

      const res = await server.gql(query, { id: pledge.id, ...vars }, supervisor);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', status: state });
      expect(await auditRows()).toBe(audits);
      expect(await historyRows(pledge.id)).toBe(history);
      const [after] = await db().select().from(returnPledges).where(eq(returnPledges.id, pledge.id));
      expect(after!.version).toBe(stored!.version);
    });

    it('refuses a stale expectedVersion as CONFLICT, writing nothing', async () => {
      const merchant = await merchantWithoutPledge();
      const pledge = await fileFor(merchant.id);
      await server.gql(SUSPEND, { id: pledge.id, reason: 'first', v: 1 }, supervisor);
      const audits = await auditRows();
      const res = await server.gql(RESUME, { id: pledge.id, v: 1 }, supervisor);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      expect(await auditRows()).toBe(audits);
      expect(await historyRows(pledge.id)).toBe(2);
    });

    it('refuses a revocation by the merchant itself, and a blank reason', async () => {
      const merchant = await merchantWithoutPledge();
      const pledge = await fileFor(merchant.id);
      const own = await server.gql(REVOKE, { id: pledge.id, reason: 'no' }, await merchantHeaders(merchant.id));
      expect(own.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const blank = await server.gql(REVOKE, { id: pledge.id, reason: '  ' }, supervisor);
      expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    });

    it('answers NOT_FOUND for an unknown pledge and BAD_USER_INPUT for a malformed id', async () => {
      const missing = await server.gql(SUSPEND, { id: '00000000-0000-4000-8000-000000000000', reason: 'x' }, supervisor);
      expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      const malformed = await server.gql(`{ pledge(id: "7") { id } }`);
      expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    });
  });

  describe('expiry by date', () => {
    async function insertDuePledge() {
      const merchant = await merchantWithoutPledge();
      const [row] = await db()
        .insert(returnPledges)
        .values({ merchantId: merchant.id, effectiveFrom: '2023-01-01', expiresOn: today, status: 'ACTIVE' })
        .returning();
      return { merchant, pledge: row! };
    }

    it('reads a pledge past its expiresOn as EXPIRED and not as the merchant’s pledge in effect', async () => {
      const { merchant, pledge } = await insertDuePledge();
      const res = await server.gql(`query($id: ID!) { pledge(id: $id) { status merchant { pledge { id } pledges { id status } } } }`, { id: pledge.id });
      expect(res.data!.pledge).toEqual({ status: 'EXPIRED', merchant: { pledge: null, pledges: [{ id: pledge.id, status: 'EXPIRED' }] } });
      const suspend = await server.gql(SUSPEND, { id: pledge.id, reason: 'x' }, supervisor);
      expect(suspend.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', status: 'EXPIRED' });
      // Filing anew writes the expiry the daily job has not written yet, in the same transaction.
      const audits = await auditRows();
      const filed = await server.gql(FILE, { input: { merchantId: merchant.id } }, supervisor);
      expect(filed.errors).toBeUndefined();
      expect(await auditRows()).toBe(audits + 1);
      const [stored] = await db().select().from(returnPledges).where(eq(returnPledges.id, pledge.id));
      expect(stored!.status).toBe('EXPIRED');
    });

    it('expireDuePledges writes EXPIRED, a history row and an audit row for every due pledge, once', async () => {
      const due = [await insertDuePledge(), await insertDuePledge()];
      const notYet = await merchantWithoutPledge();
      await db().insert(returnPledges).values({ merchantId: notYet.id, effectiveFrom: '2023-01-01', expiresOn: addDays(today, 1) }); // in force until tomorrow (from ≤ d < until)
      const ctx = createContext(
        { db: db(), log: createLogger('silent') },
        { role: 'ADMIN', sub: 'daily-job', merchantIds: [], regions: [] },
      );
      // Seeded pledges whose end has come since the demo's day are due as well.
      const alreadyDue = await db()
        .select({ id: returnPledges.id })
        .from(returnPledges)
        .where(and(inArray(returnPledges.status, ['ACTIVE', 'SUSPENDED']), lte(returnPledges.expiresOn, today)));
      const audits = await auditRows();
      const expired = await ctx.services.pledges.expireDuePledges(today);
      expect(expired).toEqual(expect.arrayContaining(due.map((d) => d.pledge.id)));
      expect(expired.sort()).toEqual(alreadyDue.map((r) => r.id).sort());
      expect(await auditRows()).toBe(audits + alreadyDue.length);
      for (const { pledge } of due) {
        const [stored] = await db().select().from(returnPledges).where(eq(returnPledges.id, pledge.id));
        expect(stored).toMatchObject({ status: 'EXPIRED', version: 2 });
        const history = await db().select().from(pledgeStatusChanges).where(eq(pledgeStatusChanges.pledgeId, pledge.id));
        expect(history).toEqual([expect.objectContaining({ fromStatus: 'ACTIVE', toStatus: 'EXPIRED', actor: 'system' })]);
      }
      expect(await ctx.services.pledges.expireDuePledges(today)).toEqual([]);
    });
  });

  describe('audits', () => {
    async function activePledge() {
      const merchant = await merchantWithoutPledge();
      return fileFor(merchant.id, { effectiveFrom: '2024-01-01' });
    }

    it('records an audit, bumps the version, and shows findings to all but the inspector only to keepers', async () => {
      const pledge = await activePledge();
      const audits = await auditRows();
      const input = { pledgeId: pledge.id, auditedOn: today, inspector: '曾都区市场监管局 王明', outcome: 'MINOR_ISSUES', findings: '承诺标志牌位置不醒目', expectedVersion: 1 };
      const res = await server.gql(AUDIT, { input }, supervisor);
      expect(res.errors).toBeUndefined();
      expect(res.data!.recordPledgeAudit).toMatchObject({ auditedOn: today, outcome: 'MINOR_ISSUES', inspector: '曾都区市场监管局 王明', pledge: { version: 2 } });
      expect(await auditRows()).toBe(audits + 1);

      const read = `query($id: ID!) { pledge(id: $id) { audits { outcome findings inspector } } }`;
      const publicView = await server.gql(read, { id: pledge.id });
      expect(publicView.data!.pledge.audits).toEqual([{ outcome: 'MINOR_ISSUES', findings: '承诺标志牌位置不醒目', inspector: null }]);
      const staffView = await server.gql(read, { id: pledge.id }, supervisor);
      expect(staffView.data!.pledge.audits[0].inspector).toBe('曾都区市场监管局 王明');
    });

    it('requires a rectification date for a VIOLATION, not before the audit', async () => {
      const pledge = await activePledge();
      const base = { pledgeId: pledge.id, auditedOn: today, inspector: '检查员', outcome: 'VIOLATION' };
      const audits = await auditRows();
      const missing = await server.gql(AUDIT, { input: base }, supervisor);
      expect(missing.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rectificationDueOn' });
      const early = await server.gql(AUDIT, { input: { ...base, rectificationDueOn: addDays(today, -1) } }, supervisor);
      expect(early.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rectificationDueOn' });
      const future = await server.gql(AUDIT, { input: { ...base, auditedOn: addDays(today, 1), rectificationDueOn: addDays(today, 9) } }, supervisor);
      expect(future.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.auditedOn' });
      expect(await auditRows()).toBe(audits);
    });

    it('refuses an audit of a revoked pledge as CONFLICT', async () => {
      const pledge = await activePledge();
      await server.gql(REVOKE, { id: pledge.id, reason: '撤销' }, supervisor);
      const res = await server.gql(AUDIT, { input: { pledgeId: pledge.id, auditedOn: today, inspector: 'x', outcome: 'COMPLIANT' } }, supervisor);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', status: 'REVOKED' });
    });
  });

  describe('audit queue', () => {
    async function wholeQueue(region: string, asOf: string, first = 100) {
      const nodes: any[] = [];
      let after: string | null = null;
      let total = 0;
      for (let page = 0; page < 50; page++) {
        const res: any = await server.gql(QUEUE, { region, first, after, asOf }, supervisor);
        expect(res.errors).toBeUndefined();
        total = res.data.auditQueue.totalCount;
        nodes.push(...res.data.auditQueue.edges.map((e: any) => e.node));
        if (!res.data.auditQueue.pageInfo.hasNextPage) break;
        after = res.data.auditQueue.pageInfo.endCursor;
      }
      return { nodes, total };
    }

    it('orders the due pledges riskiest first and pages through them without skipping or repeating', async () => {
      const { nodes, total } = await wholeQueue('421321', today);
      expect(total).toBeGreaterThan(10);
      expect(nodes).toHaveLength(total);
      expect(new Set(nodes.map((n) => n.pledge.id)).size).toBe(total);
      const key = (n: any) => [-n.openRefusedReturnComplaints, OUTCOME_RANK[n.lastAudit?.outcome ?? 'NONE']!, n.lastAudit?.auditedOn ?? '', n.pledge.id] as const;
      for (let i = 1; i < nodes.length; i++) {
        const [a, b] = [key(nodes[i - 1]), key(nodes[i])];
        const cmp = a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]) || a[3].localeCompare(b[3]);
        expect(cmp).toBeLessThan(0);
      }
      const small = await wholeQueue('421321', today, 7);
      expect(small.nodes.map((n) => n.pledge.id)).toEqual(nodes.map((n) => n.pledge.id));
      for (const n of nodes) {
        expect(n.merchant.regionCode).toBe('421321');
        expect(['ACTIVE', 'SUSPENDED']).toContain(n.pledge.status);
      }
    });

    it('gives each item the reasons it is due', async () => {
      const { nodes } = await wholeQueue('421381', today);
      const cutoff = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) {
        const expected: string[] = [];
        if (!n.lastAudit) expected.push('NEVER_AUDITED');
        else {
          if (n.lastAudit.auditedOn < cutoff) expected.push('LAST_AUDIT_OVER_12_MONTHS_AGO');
          if (n.lastAudit.outcome === 'VIOLATION' && n.lastAudit.rectificationDueOn <= today) expected.push('RECTIFICATION_DUE');
        }
        expect(n.reasons).toEqual(expected);
        expect(n.reasons.length).toBeGreaterThan(0);
      }
    });

    it('puts open refused-return complaints first, counting only open ones', async () => {
      const pledge = await fileFor((await merchantWithoutPledge('421321')).id, { effectiveFrom: '2024-01-01' });
      const complaint = {
        type: 'COMPLAINT' as const,
        channel: 'HOTLINE' as const,
        receivedAt: new Date(),
        merchantId: pledge.merchant.id,
        regionCode: '421321',
        issueType: 'REFUSED_RETURN',
      };
      await db().insert(appeals).values([
        { ...complaint, status: 'RECEIVED' },
        { ...complaint, status: 'IN_MEDIATION' },
        { ...complaint, status: 'WITHDRAWN' },
        { ...complaint, status: 'RECEIVED', issueType: 'FALSE_ADVERTISING' },
      ]);
      const res = await server.gql(QUEUE, { region: '421321', first: 1, asOf: today }, supervisor);
      expect(res.data!.auditQueue.edges[0].node).toMatchObject({
        pledge: { id: pledge.id },
        openRefusedReturnComplaints: 2,
        reasons: ['NEVER_AUDITED'],
        lastAudit: null,
      });
    });

    it('drops a pledge once audited, brings it back after 12 months, and on a due rectification', async () => {
      const pledge = await fileFor((await merchantWithoutPledge('421381')).id, { effectiveFrom: '2024-01-01' });
      const inQueue = async (asOf: string) => (await wholeQueue('421381', asOf)).nodes.find((n) => n.pledge.id === pledge.id);
      expect((await inQueue(today)).reasons).toEqual(['NEVER_AUDITED']);

      await server.gql(AUDIT, { input: { pledgeId: pledge.id, auditedOn: today, inspector: 'x', outcome: 'COMPLIANT' } }, supervisor);
      expect(await inQueue(today)).toBeUndefined();
      expect(await inQueue(addDays(today, 366))).toMatchObject({ reasons: ['LAST_AUDIT_OVER_12_MONTHS_AGO'] });

      const due = addDays(today, 20);
      await server.gql(AUDIT, { input: { pledgeId: pledge.id, auditedOn: today, inspector: 'x', outcome: 'VIOLATION', rectificationDueOn: due } }, supervisor);
      expect(await inQueue(addDays(due, -1))).toBeUndefined();
      expect(await inQueue(due)).toMatchObject({ reasons: ['RECTIFICATION_DUE'], lastAudit: { outcome: 'VIOLATION' } });
    });

    it('is for supervisors of the region only', async () => {
      const district = await authHeader({ sub: 's', role: 'SUPERVISOR', regions: ['421303'] });
      const outside = await server.gql(QUEUE, { region: '421321' }, district);
      expect(outside.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const city = await server.gql(QUEUE, { region: '421300' }, district);
      expect(city.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const merchant = await server.gql(QUEUE, { region: '421303' }, await merchantHeaders('00000000-0000-4000-8000-000000000000'));
      expect(merchant.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const anonymous = await server.gql(QUEUE, { region: '421303' });
      expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      const bad = await server.gql(QUEUE, { region: '4213' }, supervisor);
      expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
      const ok = await server.gql(QUEUE, { region: '421303', first: 1 }, admin);
      expect(ok.errors).toBeUndefined();
    });
  });

  describe('inspection sample', () => {
    const SAMPLE = `query($region: String!, $size: Int!, $seed: String!) { inspectionSample(regionCode: $region, size: $size, seed: $seed) { id regionCode } }`;

    it('is reproducible for a seed, different for another, and the md5(seed || id) order', async () => {
      const draw = async (seed: string) => {
        const res = await server.gql(SAMPLE, { region: '421321', size: 25, seed }, supervisor);
        expect(res.errors).toBeUndefined();
        return res.data!.inspectionSample.map((m: any) => m.id) as string[];
      };
      const a = await draw('2024-Q3');
      expect(a).toHaveLength(25);
      expect(await draw('2024-Q3')).toEqual(a);
      const b = await draw('2024-Q4');
      expect(b).not.toEqual(a);

      const all = await db().select({ id: merchants.id }).from(merchants).where(eq(merchants.regionCode, '421321'));
      const md5 = (id: string) => createHash('md5').update(`2024-Q3${id}`).digest('hex');
      const expected = all.map((m) => m.id).sort((x, y) => (md5(x) < md5(y) ? -1 : md5(x) > md5(y) ? 1 : 0)).slice(0, 25);
      expect(a).toEqual(expected);
    });

    it('checks the size and the jurisdiction', async () => {
      for (const size of [0, 501]) {
        const res = await server.gql(SAMPLE, { region: '421321', size, seed: 's' }, supervisor);
        expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'size' });
      }
      const district = await authHeader({ sub: 's', role: 'SUPERVISOR', regions: ['421303'] });
      const res = await server.gql(SAMPLE, { region: '421321', size: 5, seed: 's' }, district);
      expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    });
  });

  describe('return eligibility', () => {
    let uscc: string;

    beforeAll(async () => {
      const merchant = await merchantWithoutPledge();
      uscc = merchant.uscc;
      await fileFor(merchant.id, { effectiveFrom: '2024-09-01', exclusions: ['UNSEALING_AFFECTS_SAFETY_HEALTH'] });
    });

    it('moves the last day out of the National Day holiday: received 2024-09-27 → 2024-10-08', async () => {
      const res = await server.gql(ELIGIBILITY, { uscc, receivedOn: '2024-09-27', askedOn: '2024-10-08' });
      expect(res.errors).toBeUndefined();
      expect(res.data!.returnEligibility).toMatchObject({ eligible: true, lastDay: '2024-10-08', lastDayProvisional: false, windowDays: 7, reasons: [] });
      expect(res.data!.returnEligibility.pledge).not.toBeNull();
    });

    it('refuses after the last day, and always-excluded goods by law, with bilingual messages', async () => {
      const late = await server.gql(ELIGIBILITY, { uscc, receivedOn: '2024-09-27', askedOn: '2024-10-09' });
      expect(late.data!.returnEligibility.eligible).toBe(false);
      expect(late.data!.returnEligibility.reasons).toEqual([
        { code: 'WINDOW_PASSED', blocking: true, messageZh: expect.stringContaining('2024-10-08'), messageEn: expect.stringContaining('2024-10-08') },
      ]);
      const fresh = await server.gql(ELIGIBILITY, { uscc, receivedOn: '2024-09-27', askedOn: '2024-09-28', goodsCategory: 'FRESH_FOOD' });
      expect(fresh.data!.returnEligibility.reasons.map((r: any) => r.code)).toEqual(['CATEGORY_EXCLUDED_BY_LAW']);
      const cosmetics = await server.gql(ELIGIBILITY, { uscc, receivedOn: '2024-09-27', askedOn: '2024-09-28', goodsCategory: 'COSMETICS' });
      expect(cosmetics.data!.returnEligibility).toMatchObject({ eligible: true, reasons: [{ code: 'NEEDS_CONFIRMATION_AT_PURCHASE', blocking: false }] });
    });

    it.each(['REVOKED', 'SUSPENDED'] as const)(
      'answers for goods received before a pledge was %s by the pledge as it was that day',
      async (toStatus) => {
        const rows = await server.handle.db
          .select({ pledgeId: returnPledges.id, at: pledgeStatusChanges.at, uscc: merchants.uscc, effectiveFrom: returnPledges.effectiveFrom })
          .from(pledgeStatusChanges)
          .innerJoin(returnPledges, eq(returnPledges.id, pledgeStatusChanges.pledgeId))
          .innerJoin(merchants, eq(merchants.id, returnPledges.merchantId))
          .where(and(eq(pledgeStatusChanges.toStatus, toStatus), eq(pledgeStatusChanges.fromStatus, 'ACTIVE'), eq(returnPledges.status, toStatus)));
        // The day before the change, with no other change on it, inside the pledge's period.
        const candidates = [];
        for (const row of rows) {
          const receivedOn = addDays(shanghaiDate(row.at), -1);
          if (receivedOn < row.effectiveFrom) continue;
          const history = await server.handle.db.select().from(pledgeStatusChanges).where(eq(pledgeStatusChanges.pledgeId, row.pledgeId));
          if (history.some((h) => shanghaiDate(h.at) === receivedOn)) continue;
          candidates.push({ ...row, receivedOn });
          if (candidates.length === 3) break;
        }
        expect(candidates.length).toBeGreaterThan(0);
        for (const c of candidates) {
          const res = await server.gql(ELIGIBILITY, { uscc: c.uscc, receivedOn: c.receivedOn, askedOn: c.receivedOn });
          expect(res.errors).toBeUndefined();
          expect(res.data!.returnEligibility).toMatchObject({ eligible: true, pledge: { id: c.pledgeId } });
          expect(res.data!.returnEligibility.reasons.filter((r: any) => r.blocking)).toEqual([]);
        }
      },
    );

    it('answers NO_PLEDGE_IN_EFFECT without a last day for a merchant with no pledge', async () => {
      const merchant = await merchantWithoutPledge();
      const res = await server.gql(ELIGIBILITY, { uscc: merchant.uscc.toLowerCase(), receivedOn: '2024-09-27', askedOn: '2024-09-28' });
      expect(res.data!.returnEligibility).toMatchObject({ eligible: false, lastDay: null, pledge: null, merchant: { id: merchant.id } });
      expect(res.data!.returnEligibility.reasons.map((r: any) => r.code)).toEqual(['NO_PLEDGE_IN_EFFECT']);
    });

    it('refuses a bad USCC as BAD_USER_INPUT naming uscc, and answers null for an unregistered one', async () => {
      const bad = await server.gql(ELIGIBILITY, { uscc: '91421300MA4ABCDEF0', receivedOn: '2024-09-27' });
      expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
      const unknown = await server.gql(ELIGIBILITY, { uscc: '91350100M000100Y43', receivedOn: '2024-09-27' });
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data!.returnEligibility).toBeNull();
    });

    it('refuses goods received after the day asked about, and defaults askedOn to today', async () => {
      const res = await server.gql(ELIGIBILITY, { uscc, receivedOn: '2024-10-02', askedOn: '2024-10-01' });
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receivedOn' });
      const old = await server.gql(ELIGIBILITY, { uscc, receivedOn: '2024-09-27' });
      expect(old.data!.returnEligibility.reasons.map((r: any) => r.code)).toEqual(['WINDOW_PASSED']);
    });

    it('lists the goods categories with their legal exclusion', async () => {
      const res = await server.gql(`{ goodsCategories { code exclusion alwaysExcluded } }`);
      expect(res.data!.goodsCategories).toEqual(
        expect.arrayContaining([
          { code: 'FRESH_FOOD', exclusion: 'FRESH_PERISHABLE', alwaysExcluded: true },
          { code: 'COSMETICS', exclusion: 'UNSEALING_AFFECTS_SAFETY_HEALTH', alwaysExcluded: false },
          { code: 'CLOTHING', exclusion: null, alwaysExcluded: false },
        ]),
      );
    });
  });

  describe('reading', () => {
    it('loads Merchant.pledge for a page of 100 merchants with a constant number of statements (no N+1)', async () => {
      const LIST = `query($first: Int) { merchants(first: $first) { edges { node { id pledge { id status windowDays } } } } }`;
      const run = async (first: number) => {
        queries = 0;
        const res = await server.gql(LIST, { first });
        expect(res.errors).toBeUndefined();
        return { queries, withPledge: res.data!.merchants.edges.filter((e: any) => e.node.pledge).length };
      };
      const small = await run(2);
      const large = await run(100);
      expect(large.withPledge).toBeGreaterThan(0);
      expect(large.queries).toBe(small.queries);
      expect(large.queries).toBeLessThanOrEqual(3);
    });

    it('shows a merchant’s pledges newest first and the one in effect', async () => {
      const merchant = await merchantWithoutPledge();
      const first = await fileFor(merchant.id);
      await server.gql(REVOKE, { id: first.id, reason: '撤销' }, supervisor);
      const second = await fileFor(merchant.id);
      const res = await server.gql(`query($id: ID) { merchant(id: $id) { pledge { id } pledges { id status } } }`, { id: merchant.id });
      expect(res.data!.merchant).toEqual({
        pledge: { id: second.id },
        pledges: [
          { id: second.id, status: 'ACTIVE' },
          { id: first.id, status: 'REVOKED' },
        ],
      });
    });

    it('shows seeded history and audits to the public without staff names', async () => {
      const [seeded] = await db()
        .select({ id: returnPledges.id })
        .from(returnPledges)
        .where(
          and(
            eq(returnPledges.status, 'REVOKED'),
            exists(db().select({ id: pledgeAudits.id }).from(pledgeAudits).where(eq(pledgeAudits.pledgeId, returnPledges.id))),
          ),
        )
        .orderBy(returnPledges.id)
        .limit(1);
      const res = await server.gql(`query($id: ID!) { pledge(id: $id) { status revocationReason history { toStatus actor } audits { outcome inspector findings } } }`, {
        id: seeded!.id,
      });
      const pledge = res.data!.pledge;
      expect(pledge.status).toBe('REVOKED');
      expect(pledge.revocationReason).toEqual(expect.any(String));
      expect(pledge.history.at(-1)).toEqual({ toStatus: 'REVOKED', actor: null });
      expect(pledge.audits.length).toBeGreaterThan(0);
      for (const audit of pledge.audits) expect(audit.inspector).toBeNull();
    });
  });
});
