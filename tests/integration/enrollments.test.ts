import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { demonstrationStreetMembers, demonstrationStreets, disputeEnrollments, merchants } from '../../src/db/schema';
import { drivers } from '../helpers/drivers';
import { auditCount, plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const CHANNELS = /* GraphQL */ `
  query ($id: ID) {
    merchant(id: $id) {
      disputeChannels {
        settlementPlatform { status since history { id startedAt endedAt endReason } }
        odr { status since history { id startedAt endedAt endReason } }
      }
    }
  }
`;
const ENROLL = `mutation ($id: ID!) { enrollOnSettlementPlatform(merchantId: $id) { id program startedAt endedAt merchant { id } } }`;
const WITHDRAW = `mutation ($id: ID!, $reason: String) { withdrawFromSettlementPlatform(merchantId: $id, reason: $reason) { id startedAt endedAt endReason } }`;
const GRANT_ODR = `mutation ($id: ID!) { grantOdrRecognition(merchantId: $id) { id program } }`;
const WITHDRAW_ODR = `mutation ($id: ID!, $reason: String) { withdrawOdrRecognition(merchantId: $id, reason: $reason) { id endedAt endReason } }`;
const RATES = `query ($code: String!, $program: DisputeProgram) { enrollmentRates(regionCode: $code, program: $program) { regionCode regionName enrolled total percent } }`;
const STREET = /* GraphQL */ `
  query ($id: ID!) {
    demonstrationStreetEnrollment(streetId: $id) { streetName members enrolled percent targetPct meetsTarget notEnrolled { id name } }
  }
`;

/** Percent to two decimals, computed independently of the service's integer rounding. */
function percent(part: number, whole: number): number {
  return Math.round((part / whole) * 10_000) / 100;
}

describe.each(drivers)('platform enrollment and ODR on %s', (driver) => {
  let server: TestServer;
  let statements = 0;
  let admin: Record<string, string>;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(driver, { onQuery: () => statements++ });
    admin = await authHeader({ sub: 'admin-1', role: 'ADMIN' });
    supervisor = await authHeader({ sub: 'supervisor-1', role: 'SUPERVISOR', regions: ['421300'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const db = () => server.handle.db;

  /** Plain merchants of 曾都区 not enrolled in `program` now; `offset` keeps tests on different merchants. */
  async function notEnrolled(program: 'SETTLEMENT_PLATFORM' | 'ODR', offset: number) {
    const open = sql`exists (select 1 from dispute_enrollments e where e.merchant_id = ${merchants.id} and e.program = ${program} and e.ended_at is null)`;
    const candidates = await plainMerchants(db(), '421303', 400);
    const ids = new Set(
      (await db().select({ id: merchants.id }).from(merchants).where(sql`not ${open}`)).map((r) => r.id),
    );
    return candidates.filter((m) => ids.has(m.id))[offset]!;
  }

  async function openPeriods(merchantId: string, program: 'SETTLEMENT_PLATFORM' | 'ODR') {
    return db()
      .select()
      .from(disputeEnrollments)
      .where(and(eq(disputeEnrollments.merchantId, merchantId), eq(disputeEnrollments.program, program), isNull(disputeEnrollments.endedAt)));
  }

  it('lets a merchant enroll itself: ENROLLED since the new period, one audit row', async () => {
    const merchant = await notEnrolled('SETTLEMENT_PLATFORM', 0);
    const own = await authHeader({ sub: 'shop', role: 'MERCHANT', merchantIds: [merchant.id] });
    const before = await auditCount(db());
    const res = await server.gql(ENROLL, { id: merchant.id }, own);
    expect(res.errors).toBeUndefined();
    expect(res.data!.enrollOnSettlementPlatform).toMatchObject({ program: 'SETTLEMENT_PLATFORM', endedAt: null, merchant: { id: merchant.id } });
    expect(await auditCount(db())).toBe(before + 1);

    const { data } = await server.gql(CHANNELS, { id: merchant.id });
    const status = data!.merchant.disputeChannels.settlementPlatform;
    expect(status.status).toBe('ENROLLED');
    expect(status.since).toBe(res.data!.enrollOnSettlementPlatform.startedAt);
    expect(status.history[0].id).toBe(res.data!.enrollOnSettlementPlatform.id);
  });

  it('refuses to enroll a merchant twice with CONFLICT and writes nothing', async () => {
    const merchant = await notEnrolled('SETTLEMENT_PLATFORM', 1);
    expect((await server.gql(ENROLL, { id: merchant.id }, supervisor)).errors).toBeUndefined();
    const before = await auditCount(db());
    const again = await server.gql(ENROLL, { id: merchant.id }, supervisor);
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
    expect(await auditCount(db())).toBe(before);
    expect(await openPeriods(merchant.id, 'SETTLEMENT_PLATFORM')).toHaveLength(1);
  });

  it('withdraws by closing the open period and keeps closed periods unchanged when re-enrolling', async () => {
    const merchant = await notEnrolled('SETTLEMENT_PLATFORM', 2);
    const first = (await server.gql(ENROLL, { id: merchant.id }, admin)).data!.enrollOnSettlementPlatform;
    const before = await auditCount(db());
    const closed = await server.gql(WITHDRAW, { id: merchant.id, reason: '  停业装修  ' }, admin);
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.withdrawFromSettlementPlatform).toMatchObject({ id: first.id, startedAt: first.startedAt, endReason: '停业装修' });
    expect(Date.parse(closed.data!.withdrawFromSettlementPlatform.endedAt)).toBeGreaterThan(Date.parse(first.startedAt));
    expect(await auditCount(db())).toBe(before + 1);

    const after = (await server.gql(CHANNELS, { id: merchant.id })).data!.merchant.disputeChannels.settlementPlatform;
    expect(after).toMatchObject({ status: 'NOT_ENROLLED', since: closed.data!.withdrawFromSettlementPlatform.endedAt });

    const second = (await server.gql(ENROLL, { id: merchant.id }, admin)).data!.enrollOnSettlementPlatform;
    const history = (await server.gql(CHANNELS, { id: merchant.id })).data!.merchant.disputeChannels.settlementPlatform.history;
    expect(history.map((p: any) => p.id)).toEqual([second.id, first.id]);
    expect(history[1]).toEqual(closed.data!.withdrawFromSettlementPlatform);
    const [row] = await db().select().from(disputeEnrollments).where(eq(disputeEnrollments.id, first.id));
    expect(row).toMatchObject({ endedBy: 'admin-1', endReason: '停业装修' });
  });

  it('refuses to withdraw a merchant that is not enrolled with CONFLICT and writes nothing', async () => {
    const merchant = await notEnrolled('SETTLEMENT_PLATFORM', 3);
    const before = await auditCount(db());
    const res = await server.gql(WITHDRAW, { id: merchant.id }, supervisor);
    expect(res.errors![0]!.extensions!.code).toBe('CONFLICT');
    expect(await auditCount(db())).toBe(before);
  });

  it('grants and withdraws ODR recognition by a supervisor, independently of the platform', async () => {
    const merchant = await notEnrolled('ODR', 4);
    const platformBefore = (await server.gql(CHANNELS, { id: merchant.id })).data!.merchant.disputeChannels.settlementPlatform;
    const granted = await server.gql(GRANT_ODR, { id: merchant.id }, supervisor);
    expect(granted.errors).toBeUndefined();
    expect((await server.gql(GRANT_ODR, { id: merchant.id }, supervisor)).errors![0]!.extensions!.code).toBe('CONFLICT');
    let channels = (await server.gql(CHANNELS, { id: merchant.id })).data!.merchant.disputeChannels;
    expect(channels.odr.status).toBe('ENROLLED');
    expect(channels.settlementPlatform).toEqual(platformBefore);

    const withdrawn = await server.gql(WITHDRAW_ODR, { id: merchant.id, reason: '未按期答复' }, supervisor);
    expect(withdrawn.data!.withdrawOdrRecognition).toMatchObject({ id: granted.data!.grantOdrRecognition.id, endReason: '未按期答复' });
    expect((await server.gql(WITHDRAW_ODR, { id: merchant.id }, supervisor)).errors![0]!.extensions!.code).toBe('CONFLICT');
    channels = (await server.gql(CHANNELS, { id: merchant.id })).data!.merchant.disputeChannels;
    expect(channels.odr.status).toBe('NOT_ENROLLED');
  });

  it('does not let a merchant grant itself ODR recognition', async () => {
    const merchant = await notEnrolled('ODR', 5);
    const own = await authHeader({ sub: 'shop', role: 'MERCHANT', merchantIds: [merchant.id] });
    const res = await server.gql(GRANT_ODR, { id: merchant.id }, own);
    expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await openPeriods(merchant.id, 'ODR')).toHaveLength(0);
  });

  it('refuses a blank reason, a malformed id and an unknown merchant', async () => {
    const merchant = await notEnrolled('SETTLEMENT_PLATFORM', 6);
    await server.gql(ENROLL, { id: merchant.id }, admin);
    const blank = await server.gql(WITHDRAW, { id: merchant.id, reason: '   ' }, admin);
    expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const malformed = await server.gql(ENROLL, { id: 'nope' }, admin);
    expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'merchantId' });
    const unknown = await server.gql(ENROLL, { id: '00000000-0000-4000-8000-000000000000' }, admin);
    expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('shows NOT_ENROLLED with no date for a merchant never enrolled', async () => {
    const never = await db()
      .select({ id: merchants.id })
      .from(merchants)
      .where(sql`not exists (select 1 from dispute_enrollments e where e.merchant_id = ${merchants.id} and e.program = 'ODR')`)
      .limit(1);
    const { data } = await server.gql(CHANNELS, { id: never[0]!.id });
    expect(data!.merchant.disputeChannels.odr).toEqual({ status: 'NOT_ENROLLED', since: null, history: [] });
  });

  it('loads the channels of 100 merchants with as many statements as of 2 (no N+1)', async () => {
    const list = `query ($first: Int) { merchants(first: $first) { edges { node { id disputeChannels { settlementPlatform { status history { id } } odr { status } } } } } }`;
    const cost = async (first: number) => {
      statements = 0;
      const res = await server.gql(list, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data!.merchants.edges).toHaveLength(first);
      return statements;
    };
    const small = await cost(2);
    expect(await cost(100)).toBe(small);
    expect(small).toBeLessThanOrEqual(3);
  });

  it('gives the rates of a city and its districts equal to counts made from the rows', async () => {
    const all = await db().select({ id: merchants.id, regionCode: merchants.regionCode }).from(merchants);
    const open = await db()
      .select({ merchantId: disputeEnrollments.merchantId })
      .from(disputeEnrollments)
      .where(and(eq(disputeEnrollments.program, 'SETTLEMENT_PLATFORM'), isNull(disputeEnrollments.endedAt)));
    const enrolled = new Set(open.map((r) => r.merchantId));
    const expected = (prefix: string, code: string) => {
      const inRegion = all.filter((m) => m.regionCode.startsWith(prefix));
      const n = inRegion.filter((m) => enrolled.has(m.id)).length;
      return { regionCode: code, enrolled: n, total: inRegion.length, percent: percent(n, inRegion.length) };
    };

    const { data, errors } = await server.gql(RATES, { code: '421300' });
    expect(errors).toBeUndefined();
    expect(data!.enrollmentRates).toEqual([
      { ...expected('4213', '421300'), regionName: '随州市' },
      { ...expected('421303', '421303'), regionName: '曾都区' },
      { ...expected('421321', '421321'), regionName: '随县' },
      { ...expected('421381', '421381'), regionName: '广水市' },
    ]);
    const district = await server.gql(RATES, { code: '421321' });
    expect(district.data!.enrollmentRates).toEqual([{ ...expected('421321', '421321'), regionName: '随县' }]);
  });

  it('counts a new enrollment in the district rate at once, and ODR separately', async () => {
    const merchant = await notEnrolled('SETTLEMENT_PLATFORM', 7);
    const rate = async (program: string) =>
      (await server.gql(RATES, { code: '421303', program })).data!.enrollmentRates[0].enrolled as number;
    const [platform, odr] = [await rate('SETTLEMENT_PLATFORM'), await rate('ODR')];
    await server.gql(ENROLL, { id: merchant.id }, admin);
    expect(await rate('SETTLEMENT_PLATFORM')).toBe(platform + 1);
    expect(await rate('ODR')).toBe(odr);
  });

  it('refuses a malformed region code', async () => {
    const res = await server.gql(RATES, { code: '4213' });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
  });

  it("gives a street's enrollment from its current members, listing those not enrolled", async () => {
    const [street] = await db().select().from(demonstrationStreets).orderBy(asc(demonstrationStreets.id)).limit(1);
    // Take one member off the platform so the list of those not enrolled is never empty.
    const [member] = await db()
      .select({ id: demonstrationStreetMembers.merchantId })
      .from(demonstrationStreetMembers)
      .where(and(eq(demonstrationStreetMembers.streetId, street!.id), isNull(demonstrationStreetMembers.leftOn)))
      .orderBy(asc(demonstrationStreetMembers.merchantId))
      .limit(1);
    if ((await openPeriods(member!.id, 'SETTLEMENT_PLATFORM')).length > 0) await server.gql(WITHDRAW, { id: member!.id }, admin);

    const members = await db()
      .select({ id: merchants.id, name: merchants.name })
      .from(demonstrationStreetMembers)
      .innerJoin(merchants, eq(merchants.id, demonstrationStreetMembers.merchantId))
      .where(and(eq(demonstrationStreetMembers.streetId, street!.id), isNull(demonstrationStreetMembers.leftOn)));
    const open = await db()
      .select({ merchantId: disputeEnrollments.merchantId })
      .from(disputeEnrollments)
      .where(and(eq(disputeEnrollments.program, 'SETTLEMENT_PLATFORM'), isNull(disputeEnrollments.endedAt)));
    const enrolled = new Set(open.map((r) => r.merchantId));
    const missing = members.filter((m) => !enrolled.has(m.id));
    const n = members.length - missing.length;

    const { data, errors } = await server.gql(STREET, { id: street!.id });
    expect(errors).toBeUndefined();
    const result = data!.demonstrationStreetEnrollment;
    expect(result).toMatchObject({
      streetName: street!.name,
      members: members.length,
      enrolled: n,
      percent: percent(n, members.length),
      targetPct: street!.targetEnrollmentPct,
      meetsTarget: percent(n, members.length) >= street!.targetEnrollmentPct,
    });
    expect(result.notEnrolled.map((m: any) => m.id).sort()).toEqual(missing.map((m) => m.id).sort());
    expect(result.notEnrolled.map((m: any) => m.id)).toContain(member!.id);
  });

  it('answers NOT_FOUND for an unknown street', async () => {
    const res = await server.gql(STREET, { id: '00000000-0000-4000-8000-000000000000' });
    expect(res.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});
