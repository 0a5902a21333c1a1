import { and, eq, isNull } from 'drizzle-orm';
import { demonstrationStreetMembers, demonstrationStreets, disputeEnrollments } from '../../src/db/schema';
import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const STREET = /* GraphQL */ `
  query ($id: ID!) {
    demonstrationStreet(id: $id) {
      name
      members { id }
      targets { key targetPct numerator denominator actualPct met missing { id } }
    }
  }
`;

describe.each(drivers)('the demonstration street on %s', (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(driver);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows 解放路 with its members and every target met by the seed', async () => {
    const [street] = await server.handle.db.select().from(demonstrationStreets);
    const { data, errors } = await server.gql(STREET, { id: street!.id });
    expect(errors).toBeUndefined();
    const s = data!.demonstrationStreet;
    expect(s.name).toBe('解放路放心消费示范街');
    expect(s.members.length).toBeGreaterThanOrEqual(50);
    const enrollment = s.targets.find((t: any) => t.key === 'SETTLEMENT_PLATFORM_ENROLLMENT');
    expect(enrollment).toMatchObject({ targetPct: 100, numerator: s.members.length, denominator: s.members.length, actualPct: 100, met: true, missing: [] });
  });

  it('lists the demonstration streets to the public, a city code covering its districts', async () => {
    const list = `query ($region: String) { demonstrationStreets(regionCode: $region) { id name regionCode } }`;
    const all = await server.gql(list, {});
    expect(all.errors).toBeUndefined();
    expect(all.data!.demonstrationStreets).toEqual([expect.objectContaining({ name: '解放路放心消费示范街', regionCode: '421303' })]);
    expect((await server.gql(list, { region: '421300' })).data!.demonstrationStreets).toEqual(all.data!.demonstrationStreets);
    expect((await server.gql(list, { region: '421321' })).data!.demonstrationStreets).toEqual([]);
    const bad = await server.gql(list, { region: '4213' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
  });

  it('names the member that misses the enrollment target once it withdraws', async () => {
    const [street] = await server.handle.db.select().from(demonstrationStreets);
    const [member] = await server.handle.db
      .select()
      .from(demonstrationStreetMembers)
      .where(and(eq(demonstrationStreetMembers.streetId, street!.id), isNull(demonstrationStreetMembers.leftOn)))
      .limit(1);
    const admin = await authHeader({ sub: 'admin', role: 'ADMIN' });
    const withdrawn = await server.gql(`mutation ($id: ID!) { withdrawFromSettlementPlatform(merchantId: $id, reason: "测试") { id } }`, { id: member!.merchantId }, admin);
    expect(withdrawn.errors).toBeUndefined();
    const open = await server.handle.db.select().from(disputeEnrollments).where(and(eq(disputeEnrollments.merchantId, member!.merchantId), isNull(disputeEnrollments.endedAt)));
    expect(open.filter((e) => e.program === 'SETTLEMENT_PLATFORM')).toEqual([]);
    const { data } = await server.gql(STREET, { id: street!.id });
    const enrollment = data!.demonstrationStreet.targets.find((t: any) => t.key === 'SETTLEMENT_PLATFORM_ENROLLMENT');
    expect(enrollment.met).toBe(false);
    expect(enrollment.missing).toEqual([{ id: member!.merchantId }]);
    expect(enrollment.numerator).toBe(enrollment.denominator - 1);
  });
});
