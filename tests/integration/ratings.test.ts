import { Random } from '../../seeds/random';
import { and, eq, sql } from 'drizzle-orm';
import { appeals, disputeEnrollments, merchants, ratingHistory, ratings } from '../../src/db/schema';
import { shanghaiToday } from '../../src/domain/local-date';
import { factorsDigest } from '../../src/domain/rating/digest';
import { rate } from '../../src/domain/rating/v1';
import { loadRatingRecords } from '../../src/modules/rating/rating.records';
import { recomputeAllRatings } from '../../src/modules/rating/rating.store';
import { drivers } from '../helpers/drivers';
import { auditCount, plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

/** JSON with object keys sorted, so a jsonb round trip (which reorders keys) compares equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The seed's PRNG: the random sequence is the same on every run. */
function prng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

const ADVANCE = `mutation ($input: AdvanceAppealInput!) { advanceAppeal(input: $input) { id version status } }`;

describe.each(drivers)('ratings on %s', (driver) => {
  let server: TestServer;
  let admin: Record<string, string>;
  let statements = 0;

  beforeAll(async () => {
    server = await startTestServer(driver, {
      // Only the request's own statements: the node's reads of the event log after a commit and
      // the budgets' sync run beside requests, whenever their turn comes.
      onQuery: (query) => {
        if (!/from "events"|rate_limit_points/.test(query)) statements++;
      },
    });
    admin = await authHeader({ sub: 'admin', role: 'ADMIN' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Every stored rating must equal a fresh computation from the records, for today. */
  async function expectStoredEqualsComputed() {
    const db = server.handle.db;
    const stored = await db.select().from(ratings);
    const all = await db.select({ id: merchants.id }).from(merchants);
    expect(stored).toHaveLength(all.length);
    const records = await loadRatingRecords(db, all.map((m) => m.id));
    const today = shanghaiToday();
    const mismatches = stored.filter((row) => {
      const fresh = rate(records.get(row.merchantId)!, today);
      return row.asOf !== today || Number(row.score) !== fresh.score || row.grade !== fresh.grade || canonical(row.factors) !== canonical(fresh.factors);
    });
    expect(mismatches.map((m) => m.merchantId)).toEqual([]);
  }

  it('stores for every seeded merchant the rating the model gives today', async () => {
    await expectStoredEqualsComputed();
  });

  it('keeps every stored rating equal to rate(records, today) and ratingAsOf(today) after random mutations', async () => {
    const random = prng(20240315);
    const pool = await plainMerchants(server.handle.db, '421303', 12, 80);
    const touched = new Set<string>();
    // What each mutation must have done to its merchant's rating, worked out here from the
    // mutations alone (not from the model's code), and checked against the stored ratings below.
    const before = new Map((await server.handle.db.select().from(ratings)).map((r) => [r.merchantId, r]));
    const expected = new Map<string, { enrolled: boolean; listed: boolean; newPledge: boolean; praise: number; accepted: number; concluded: number; resolved: number }>();
    const expect_ = (id: string) => {
      let e = expected.get(id);
      if (!e) expected.set(id, (e = { enrolled: false, listed: false, newPledge: false, praise: 0, accepted: 0, concluded: 0, resolved: 0 }));
      return e;
    };
    /** A mutation must succeed, or be refused as a CONFLICT where the step allows it (already enrolled, a pledge in effect). */
    const outcome = (res: { data?: any; errors?: readonly { extensions?: Record<string, unknown> }[] }, mayConflict: boolean): 'ok' | 'conflict' => {
      if (!res.errors) return 'ok';
      expect(mayConflict ? res.errors.map((e) => e.extensions?.code) : res.errors).toEqual(mayConflict ? ['CONFLICT'] : undefined);
      return 'conflict';
    };
    let succeeded = 0;
    for (let step = 0; step < 24; step++) {
      const m = pool[Math.floor(random() * pool.length)]!;
      touched.add(m.id);
      const e = expect_(m.id);
      const pick = Math.floor(random() * 5);
      if (pick === 0) {
        const res = await server.gql(`mutation ($id: ID!) { enrollOnSettlementPlatform(merchantId: $id) { id } }`, { id: m.id }, admin);
        if (outcome(res, true) === 'ok') succeeded++;
        e.enrolled = true;
      } else if (pick === 1) {
        const res = await server.gql(
          `mutation ($input: AddCreditListEntryInput!) { addCreditListEntry(input: $input) { id } }`,
          { input: { merchantId: m.id, list: 'ABNORMAL_OPERATIONS', listedOn: shanghaiToday(), reason: '随机测试' } },
          admin,
        );
        outcome(res, false);
        succeeded++;
        e.listed = true;
      } else if (pick === 2) {
        const res = await server.gql(
          `mutation ($input: FilePledgeInput!) { filePledge(input: $input) { id } }`,
          { input: { merchantId: m.id, windowDays: 7, scope: 'ALL_GOODS', effectiveFrom: shanghaiToday(), signboardDisplayed: true } },
          admin,
        );
        if (outcome(res, true) === 'ok') {
          succeeded++;
          e.newPledge = true;
        }
      } else {
        // A complaint accepted, then (sometimes) mediated or failed.
        const created = await server.gql(
          `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id version } }`,
          { input: { type: pick === 4 ? 'PRAISE' : 'COMPLAINT', channel: 'WEB', merchantId: m.id, issueType: pick === 4 ? null : 'QUALITY' } },
          admin,
        );
        outcome(created, false);
        succeeded++;
        const appeal = created.data!.createAppeal;
        if (pick === 4) e.praise++;
        if (pick === 3) {
          outcome(await server.gql(ADVANCE, { input: { id: appeal.id, action: 'ACCEPT', expectedVersion: 1 } }, admin), false);
          e.accepted++;
          if (random() < 0.5) {
            const action = random() < 0.5 ? 'MEDIATE' : 'FAIL_MEDIATION';
            outcome(await server.gql(ADVANCE, { input: { id: appeal.id, action, expectedVersion: 2 } }, admin), false);
            e.concluded++;
            if (action === 'MEDIATE') e.resolved++;
          }
        }
      }
    }
    expect(succeeded).toBeGreaterThanOrEqual(20);

    const after = new Map((await server.handle.db.select().from(ratings)).map((r) => [r.merchantId, r]));
    type StoredFactor = { key: string; points: number; evidence: Record<string, unknown> };
    const factor = (row: { factors: unknown } | undefined, key: string) => (row?.factors as StoredFactor[]).find((f) => f.key === key)!;
    for (const [id, e] of expected) {
      const now = after.get(id)!;
      const was = before.get(id);
      if (e.enrolled) expect(factor(now, 'disputeChannel').evidence.settlementPlatform).toBe(true);
      if (e.listed) expect(Number(now.score)).toBeLessThanOrEqual(59.99);
      // A pledge filed today is in effect and never audited: 7 of its 10 points.
      if (e.newPledge) expect(factor(now, 'pledge').points).toBe(7);
      expect(factor(now, 'praise').evidence.praiseInLastYear).toBe(Number(factor(was, 'praise').evidence.praiseInLastYear) + e.praise);
      // Complaints accepted today weigh 1 each; those concluded today count as concluded.
      expect(factor(now, 'volume').evidence.countedComplaints).toBe(Number(factor(was, 'volume').evidence.countedComplaints) + e.accepted);
      expect(factor(now, 'resolution').evidence.concluded).toBe(Number(factor(was, 'resolution').evidence.concluded) + e.concluded);
      expect(factor(now, 'resolution').evidence.mediatedOrWithdrawn).toBe(Number(factor(was, 'resolution').evidence.mediatedOrWithdrawn) + e.resolved);
    }
    await expectStoredEqualsComputed();
    for (const id of touched) {
      const { data, errors } = await server.gql(
        `query ($id: ID, $today: Date!) { merchant(id: $id) { rating { score grade factors { key points } } ratingAsOf(date: $today) { score grade factors { key points } } } }`,
        { id, today: shanghaiToday() },
      );
      expect(errors).toBeUndefined();
      expect(data!.merchant.ratingAsOf).toEqual(data!.merchant.rating);
    }
  });

  it('writes a history row only when score or grade changes, with the mutation as its cause', async () => {
    const [m] = await plainMerchants(server.handle.db, '421381', 1, 50);
    const db = server.handle.db;
    const open = await db.select().from(disputeEnrollments).where(and(eq(disputeEnrollments.merchantId, m!.id), sql`${disputeEnrollments.endedAt} is null`));
    if (open.some((e) => e.program === 'SETTLEMENT_PLATFORM')) {
      await server.gql(`mutation ($id: ID!) { withdrawFromSettlementPlatform(merchantId: $id, reason: "测试") { id } }`, { id: m!.id }, admin);
    }
    const before = await db.select().from(ratingHistory).where(eq(ratingHistory.merchantId, m!.id));
    // Contact details are no rating input: no history.
    await server.gql(`mutation ($input: UpdateMerchantContactInput!) { updateMerchantContact(input: $input) { id } }`, { input: { merchantId: m!.id, contactPhone: '13700000000' } }, admin);
    expect(await db.select().from(ratingHistory).where(eq(ratingHistory.merchantId, m!.id))).toHaveLength(before.length);
    // Enrolling adds 6 points: one row, caused by the enrollment.
    const [{ score: scoreBefore }] = await db.select({ score: ratings.score }).from(ratings).where(eq(ratings.merchantId, m!.id)) as [{ score: number }];
    await server.gql(`mutation ($id: ID!) { enrollOnSettlementPlatform(merchantId: $id) { id } }`, { id: m!.id }, admin);
    const after = await db.select().from(ratingHistory).where(eq(ratingHistory.merchantId, m!.id));
    expect(after).toHaveLength(before.length + 1);
    const newest = after.sort((a, b) => b.computedAt.getTime() - a.computedAt.getTime())[0]!;
    expect(newest).toMatchObject({ cause: 'enrollment.enroll', previousScore: Number(scoreBefore) });
    expect(Number(newest.score)).toBeCloseTo(Math.min(Number(scoreBefore) + 6, 100), 2);
    const shown = await server.gql(`query ($id: ID) { merchant(id: $id) { ratingHistory(first: 1) { totalCount edges { node { cause score previousScore } } } } }`, { id: m!.id });
    expect(shown.data!.merchant.ratingHistory.edges[0].node.cause).toBe('enrollment.enroll');
  });

  it('re-rates one merchant with the same number of statements however large other merchants’ histories are', async () => {
    const [a, b] = await plainMerchants(server.handle.db, '421321', 2, 30);
    const create = (merchantId: string) =>
      server.gql(`mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`, { input: { type: 'PRAISE', channel: 'WEB', merchantId } }, admin);
    await create(a!.id);
    statements = 0;
    await create(a!.id);
    const small = statements;
    // Two thousand complaints against another merchant.
    await server.handle.db.insert(appeals).values(
      Array.from({ length: 2000 }, (_, i) => ({
        type: 'COMPLAINT' as const,
        channel: 'WEB' as const,
        receivedAt: new Date(Date.now() - (i + 10) * 3_600_000),
        acceptedAt: new Date(Date.now() - (i + 5) * 3_600_000),
        status: 'ACCEPTED' as const,
        merchantId: b!.id,
        regionCode: b!.regionCode,
        issueType: 'QUALITY',
      })),
    );
    statements = 0;
    await create(a!.id);
    expect(statements).toBe(small);
    // A ceiling, not a figure: the appeal and its audit row, the rating's fixed set of input
    // statements (src/modules/rating/rating.inputs.ts), its write, and the event log's lock,
    // rows and wake-up. What matters is the equality above.
    expect(small).toBeLessThan(40);
  });

  it('answers what-if questions without writing anything, and only for the merchant and its supervisors', async () => {
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 100);
    const db = server.handle.db;
    await db.delete(disputeEnrollments).where(eq(disputeEnrollments.merchantId, m!.id));
    await recomputeAllRatings(db, shanghaiToday(), 'test');
    const owner = await authHeader({ sub: 'own', role: 'MERCHANT', merchantIds: [m!.id] });
    const audits = await auditCount(db);
    const query = `query ($id: ID, $changes: [RatingChange!]!) { merchant(id: $id) { ratingWhatIf(changes: $changes) { scoreDelta current { score } projected { score factors { key points reason } } } } }`;
    const { data, errors } = await server.gql(query, { id: m!.id, changes: [{ kind: 'ENROLL_SETTLEMENT_PLATFORM' }, { kind: 'GAIN_ODR_RECOGNITION' }] }, owner);
    expect(errors).toBeUndefined();
    const result = data!.merchant.ratingWhatIf;
    expect(result.projected.factors.find((f: any) => f.key === 'disputeChannel').points).toBe(10);
    // The projected factors carry their reasons too, from the projected counts.
    expect(result.projected.factors.find((f: any) => f.key === 'disputeChannel').reason).toBe('已入驻湖北315消费纠纷和解平台，是ODR企业，得 10/10 分');
    expect(result.scoreDelta).toBeCloseTo(Math.min(result.current.score + 10, 100) - result.current.score, 2);
    expect(await auditCount(db)).toBe(audits);
    const publicTry = await server.gql(query, { id: m!.id, changes: [{ kind: 'FILE_PLEDGE' }] });
    expect(publicTry.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('shows evidence ids to the merchant itself but not to the public, and the same reasons to both', async () => {
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 80);
    const query = `query ($id: ID) { merchant(id: $id) { rating { factors { key evidence reason } } } }`;
    const pub = await server.gql(query, { id: m!.id });
    expect(pub.data!.merchant.rating.factors.every((f: any) => !('recordIds' in f.evidence))).toBe(true);
    const own = await server.gql(query, { id: m!.id }, await authHeader({ sub: 'own', role: 'MERCHANT', merchantIds: [m!.id] }));
    expect(own.data!.merchant.rating.factors.every((f: any) => Array.isArray(f.evidence.recordIds))).toBe(true);
    expect(pub.data!.merchant.rating.factors.map((f: any) => f.reason)).toEqual(own.data!.merchant.rating.factors.map((f: any) => f.reason));
    for (const f of own.data!.merchant.rating.factors) for (const id of f.evidence.recordIds) expect(f.reason).not.toContain(id);
  });

  it('rewrites only the ratings whose factors differ from the stored ones, told apart by their digest', async () => {
    const db = server.handle.db;
    const today = shanghaiToday();
    await recomputeAllRatings(db, today, 'test');
    const [one, two, three] = (await db.select({ merchantId: ratings.merchantId }).from(ratings).limit(3)).map((r) => r.merchantId);
    // One row with foreign factors under a stale digest, one written before digests existed, one left alone.
    await db.update(ratings).set({ factors: [], factorsDigest: 'stale', computedAt: new Date(0) }).where(eq(ratings.merchantId, one!));
    await db.update(ratings).set({ factorsDigest: null, computedAt: new Date(0) }).where(eq(ratings.merchantId, two!));
    await db.update(ratings).set({ computedAt: new Date(0) }).where(eq(ratings.merchantId, three!));
    const historyBefore = (await db.select({ n: sql<number>`count(*)::int` }).from(ratingHistory))[0]!.n;

    const { changed } = await recomputeAllRatings(db, today, 'test');

    expect(changed).toBe(0);
    const rows = new Map((await db.select().from(ratings)).map((r) => [r.merchantId, r]));
    // The two rewritten rows have their factors and digest back and a new computed_at; the third was not touched.
    expect(rows.get(one!)!.computedAt.getTime()).toBeGreaterThan(0);
    expect(rows.get(two!)!.computedAt.getTime()).toBeGreaterThan(0);
    expect(rows.get(three!)!.computedAt.getTime()).toBe(0);
    // Every digest is that of the factors as the model builds them (a jsonb round trip reorders keys, so not of the stored JSON).
    const records = await loadRatingRecords(db, [one!, two!, three!]);
    for (const id of [one!, two!, three!]) expect(rows.get(id)!.factorsDigest).toBe(factorsDigest(rate(records.get(id)!, today).factors));
    await expectStoredEqualsComputed();
    // Same score and grade: no history row.
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(ratingHistory))[0]!.n).toBe(historyBefore);
  });

  it('recomputes range by range, reading the next range while writing one, as one run over all does', async () => {
    const db = server.handle.db;
    const later = '2027-06-30';
    const progress: number[] = [];
    const ranged = await recomputeAllRatings(db, later, 'test', { batchSize: 333, onBatch: (done) => progress.push(done) });
    const stored = await db.select({ merchantId: ratings.merchantId, score: ratings.score, grade: ratings.grade, asOf: ratings.asOf, factorsDigest: ratings.factorsDigest }).from(ratings);
    // Every range reported once, in order, up to every merchant.
    expect(progress.length).toBe(Math.ceil(ranged.merchants / 333));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(stored.length);
    // One range over all of them stores the same ratings and finds nothing more to change.
    const whole = await recomputeAllRatings(db, later, 'test');
    expect(whole.changed).toBe(0);
    const again = await db.select({ merchantId: ratings.merchantId, score: ratings.score, grade: ratings.grade, asOf: ratings.asOf, factorsDigest: ratings.factorsDigest }).from(ratings);
    const byId = (rows: typeof stored) => [...rows].sort((a, b) => (a.merchantId < b.merchantId ? -1 : 1));
    expect(byId(again)).toEqual(byId(stored));
    expect(stored.every((r) => r.asOf === later)).toBe(true);
    await recomputeAllRatings(db, shanghaiToday(), 'test');
  });

  it('ages ratings: a recompute for a later day re-weighs old records with its own cause', async () => {
    const db = server.handle.db;
    const { merchants: count, changes } = await recomputeAllRatings(db, '2027-12-31', 'ratings.recompute');
    expect(count).toBeGreaterThan(2000);
    expect(changes.length).toBeGreaterThan(0);
    const rows = await db.select().from(ratingHistory).where(eq(ratingHistory.cause, 'ratings.recompute'));
    expect(rows).toHaveLength(changes.length);
    // Put today's ratings back for any test that runs after this one.
    await recomputeAllRatings(db, shanghaiToday(), 'test');
  });
});
