import { eq } from 'drizzle-orm';
import { disputeEnrollments, eventsPruned, merchants, returnPledges } from '../../src/db/schema';
import { shanghaiToday } from '../../src/domain/local-date';
import { rerateMerchants } from '../../src/modules/rating/rating.store';
import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';
import { settle, subscribe, until } from '../helpers/ws';

const RATING = `subscription ($id: ID) { ratingChanged(merchantId: $id) { merchantId score grade previousScore previousGrade cause } }`;
const APPEAL = `subscription { appealUpdated { id status consumerName consumerPhone details } }`;
const FUND = `subscription { fundBalanceChanged { balanceFen belowMinimum fund { id } } }`;
const PLEDGES = `subscription ($after: String) { pledgeChanged(after: $after) { id status version cursor merchant { name regionCode } } }`;

describe.each(drivers)('live subscriptions on %s', (driver) => {
  let server: TestServer;
  let admin: Record<string, string>;
  let statements: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(driver, { onQuery: (query) => statements.push(query) });
    admin = await authHeader({ sub: 'admin', role: 'ADMIN' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const subscribers = (type: 'rating' | 'appeal' | 'pledge' | 'fund') => server.app.subscriptions()[type]!;

  it('tells a rating subscriber exactly once per change of score or grade, and nothing for the rest', async () => {
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 120);
    const db = server.handle.db;
    // Start from a merchant that is on no dispute channel.
    await db.delete(disputeEnrollments).where(eq(disputeEnrollments.merchantId, m!.id));
    await db.transaction((tx) => rerateMerchants(tx, [m!.id], shanghaiToday(), 'test'));
    const before = subscribers('rating');
    const feed = subscribe(server.url, RATING, { id: m!.id });
    try {
      await until(() => subscribers('rating') > before);
      // Not a rating input: no event.
      await server.gql(`mutation ($input: UpdateMerchantContactInput!) { updateMerchantContact(input: $input) { id } }`, { input: { merchantId: m!.id, contactName: '新联系人' } }, admin);
      const enroll = `mutation ($id: ID!) { enrollOnSettlementPlatform(merchantId: $id) { id } }`;
      await server.gql(enroll, { id: m!.id }, admin);
      // Refused and rolled back: no event.
      expect((await server.gql(enroll, { id: m!.id }, admin)).errors![0]!.extensions!.code).toBe('CONFLICT');
      await server.gql(`mutation ($id: ID!) { withdrawFromSettlementPlatform(merchantId: $id, reason: "测试") { id } }`, { id: m!.id }, admin);
      await feed.next(2);
      await settle();
      const events = feed.results.map((r) => r.data.ratingChanged);
      expect(events.map((e) => e.cause)).toEqual(['enrollment.enroll', 'enrollment.withdraw']);
      expect(events[0].score).toBeCloseTo(Math.min(events[0].previousScore + 6, 100), 2);
      expect(events[1].previousScore).toBe(events[0].score);
    } finally {
      await feed.close();
    }
  });

  it('shows appeal updates to the region’s supervisor whole, to the merchant masked, to others not at all', async () => {
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 121);
    const supervisor = subscribe(server.url, APPEAL, {}, (await authHeader({ sub: 's', role: 'SUPERVISOR', regions: ['421300'] })).authorization);
    const owner = subscribe(server.url, APPEAL, {}, (await authHeader({ sub: 'o', role: 'MERCHANT', merchantIds: [m!.id] })).authorization);
    const foreign = subscribe(server.url, APPEAL, {}, (await authHeader({ sub: 'f', role: 'MERCHANT', merchantIds: ['00000000-0000-4000-8000-000000000002'] })).authorization);
    const outside = subscribe(server.url, APPEAL, {}, (await authHeader({ sub: 'x', role: 'SUPERVISOR', regions: ['421381'] })).authorization);
    const anonymous = subscribe(server.url, APPEAL);
    try {
      await until(() => subscribers('appeal') >= 4);
      await anonymous.next(1);
      expect(anonymous.results[0].errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const created = await server.gql(
        `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id version } }`,
        { input: { type: 'COMPLAINT', channel: 'WEB', merchantId: m!.id, consumerName: '赵敏', consumerPhone: '13611112222', details: '私密' } },
        admin,
      );
      const { id } = created.data!.createAppeal;
      // A stale step is refused and rolled back: it announces nothing.
      await server.gql(`mutation ($input: AdvanceAppealInput!) { advanceAppeal(input: $input) { id } }`, { input: { id, action: 'ACCEPT', expectedVersion: 9 } }, admin);
      await Promise.all([supervisor.next(1), owner.next(1)]);
      await settle();
      expect(supervisor.results.map((r) => r.data.appealUpdated)).toEqual([{ id, status: 'RECEIVED', consumerName: '赵敏', consumerPhone: '13611112222', details: '私密' }]);
      expect(owner.results.map((r) => r.data.appealUpdated)).toEqual([{ id, status: 'RECEIVED', consumerName: '赵', consumerPhone: '136****2222', details: '私密' }]);
      expect(foreign.results).toEqual([]);
      expect(outside.results).toEqual([]);
    } finally {
      await Promise.all([supervisor, owner, foreign, outside, anonymous].map((f) => f.close()));
    }
  });

  it('reads a fund once per event however many supervisors listen, and refuses merchants', async () => {
    const [fund] = await server.handle.db.query.compensationFunds.findMany({ limit: 1 });
    const [host] = await server.handle.db.select().from(merchants).where(eq(merchants.id, fund!.hostMerchantId));
    const token = (await authHeader({ sub: 's', role: 'SUPERVISOR', regions: [host!.regionCode] })).authorization;
    const feeds = [subscribe(server.url, FUND, {}, token), subscribe(server.url, FUND, {}, token), subscribe(server.url, FUND, {}, token)];
    const merchant = subscribe(server.url, FUND, {}, (await authHeader({ sub: 'm', role: 'MERCHANT', merchantIds: [host!.id] })).authorization);
    try {
      await until(() => subscribers('fund') >= 3);
      await merchant.next(1);
      expect(merchant.results[0].errors[0].extensions.code).toBe('FORBIDDEN');
      statements = [];
      await server.gql(
        `mutation ($fundId: ID!) { depositToFund(fundId: $fundId, amountFen: 10000, idempotencyKey: "live-test") { entry { id } } }`,
        { fundId: fund!.id },
        admin,
      );
      const results = await Promise.all(feeds.map((f) => f.next(1)));
      for (const r of results) expect(r[0].data.fundBalanceChanged.fund.id).toBe(fund!.id);
      const fundReads = statements.filter((q) => /from "compensation_funds" where "compensation_funds"."id" = \$1$/.test(q) && !/for update/.test(q));
      expect(fundReads).toHaveLength(1);
    } finally {
      await Promise.all([...feeds, merchant].map((f) => f.close()));
    }
  });

  describe('the event log', () => {
    let pledgeId: string;
    let version: number;
    /** One pledge event: suspends the pledge, or resumes it. */
    const change = async () => {
      const suspend = version % 2 === 1;
      const response = await server.gql(
        suspend
          ? `mutation ($id: ID!, $v: Int) { suspendPledge(id: $id, expectedVersion: $v, reason: "整改") { version } }`
          : `mutation ($id: ID!, $v: Int) { resumePledge(id: $id, expectedVersion: $v) { version } }`,
        { id: pledgeId, v: version },
        admin,
      );
      expect(response.errors).toBeUndefined();
      version = (response.data as any)[suspend ? 'suspendPledge' : 'resumePledge'].version;
    };
    const readyz = async () => (await fetch(server.url.replace(/\/graphql$/, '/readyz'))).json() as Promise<any>;

    beforeAll(async () => {
      const [pledge] = await server.handle.db.select().from(returnPledges).where(eq(returnPledges.status, 'ACTIVE')).limit(1);
      pledgeId = pledge!.id;
      version = pledge!.version;
      // An odd version suspends first: make it so.
      if (version % 2 === 0) await change();
      if (version % 2 === 0) throw new Error('could not start from an active pledge');
    });

    it('resumes after a cursor: the missed events first, in order, none twice, then the live ones', async () => {
      const first = subscribe(server.url, PLEDGES);
      let cursor: string;
      try {
        await until(() => subscribers('pledge') >= 1);
        await change();
        await first.next(1);
        cursor = first.results[0].data.pledgeChanged.cursor;
        expect(cursor).toMatch(/^\d+$/);
      } finally {
        await first.close();
      }
      // A closed socket stops counting at once, without an event to wake its stream.
      await until(() => subscribers('pledge') === 0);
      await change();
      await change();
      const resumed = subscribe(server.url, PLEDGES, { after: cursor });
      try {
        await resumed.next(2);
        await change();
        await resumed.next(3);
        await settle();
        const got = resumed.results.map((r) => r.data.pledgeChanged);
        expect(got).toHaveLength(3);
        const cursors = got.map((e) => Number(e.cursor));
        expect(cursors.every((c, i) => c > (i === 0 ? Number(cursor) : cursors[i - 1]!))).toBe(true);
        expect(got.every((e) => e.id === pledgeId && e.merchant.regionCode)).toBe(true);
      } finally {
        await resumed.close();
      }
    });

    it('refuses a cursor the log no longer holds with CURSOR_EXPIRED, and a made-up one with BAD_USER_INPUT', async () => {
      const db = server.handle.db;
      await db.insert(eventsPruned).values({ id: 1, through: 3 }).onConflictDoUpdate({ target: eventsPruned.id, set: { through: 3 } });
      const expired = subscribe(server.url, PLEDGES, { after: '2' });
      const bad = subscribe(server.url, PLEDGES, { after: 'abc' });
      try {
        await Promise.all([expired.next(1), bad.next(1)]);
        const codeOf = (feed: typeof expired) => {
          const error = feed.error() as any;
          return (Array.isArray(error) ? error[0] : (error ?? feed.results[0]?.errors?.[0]))?.extensions?.code;
        };
        expect(codeOf(expired)).toBe('CURSOR_EXPIRED');
        expect(codeOf(bad) ?? bad.results[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      } finally {
        await Promise.all([expired.close(), bad.close()]);
        await db.update(eventsPruned).set({ through: 0 });
      }
    });

    it('runs one execution per event for subscribers of the same query and audience, reading the merchant once', async () => {
      const token = (await authHeader({ sub: 's', role: 'SUPERVISOR', regions: ['421300'] })).authorization;
      const feeds = [subscribe(server.url, PLEDGES), subscribe(server.url, PLEDGES, {}, token)];
      /** Statements reading merchants while two changes (a suspension and a resumption) reach every feed. */
      const merchantReadsOfTwoChanges = async () => {
        statements = [];
        const counts = feeds.map((f) => f.results.length);
        await change();
        await change();
        await Promise.all(feeds.map((f, i) => f.next(counts[i]! + 2)));
        await settle();
        return statements.filter((q) => /from "merchants"/.test(q)).length;
      };
      try {
        await until(() => subscribers('pledge') >= 2);
        const alone = await merchantReadsOfTwoChanges();
        feeds.push(...Array.from({ length: 5 }, () => subscribe(server.url, PLEDGES)));
        await until(() => subscribers('pledge') >= 7);
        // The public share one execution, the supervisor has its own.
        expect((await readyz()).executions).toBe(2);
        // Six public subscribers cost what one did: the merchant is read once per event and audience.
        expect(await merchantReadsOfTwoChanges()).toBe(alone);
        const last = feeds.map((f) => JSON.stringify(f.results.at(-1).data));
        expect(new Set(last).size).toBe(1);
      } finally {
        await Promise.all(feeds.map((f) => f.close()));
      }
      await until(() => subscribers('pledge') === 0);
      expect((await readyz()).executions).toBe(0);
    });
  });
});
