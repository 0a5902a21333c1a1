import { asc, eq } from 'drizzle-orm';
import { creditListEntries, demonstrationStreetMembers, merchants } from '../../src/db/schema';
import { merchantIdForUscc } from '../../src/domain/ids';
import { withUsccCheckCharacter } from '../../src/domain/uscc';
import { drivers } from '../helpers/drivers';
import { plainMerchants, streetAndOutsiders } from '../helpers/fixtures';
import { caseTitle, expectedOutcomes, runRoleCase, type RoleCase } from '../helpers/roles';
import { startTestServer, type TestServer } from '../helpers/server';

/** Each attempt (six per case) acts on the n-th plain merchant of 曾都区, from this offset on. */
const offsets = { update: 100, contact: 110, host: 120, listAdd: 130, listRemove: 140, crossHost: 150, crossTenant: 160, unlink: 170 };

const cases: RoleCase[] = [
  {
    mutation: 'registerMerchant',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (_server, attempt) => {
      const uscc = withUsccCheckCharacter(`92421303MA4R${String(attempt).padStart(5, '0')}`);
      return {
        target: { id: merchantIdForUscc(uscc), regionCode: '421303' },
        query: `mutation ($input: RegisterMerchantInput!) { registerMerchant(input: $input) { id } }`,
        variables: {
          input: { uscc, name: `角色测试店${attempt}`, industry: 'FOOD', sizeBand: 'MICRO', regionCode: '421303', address: '解放路1号', establishedOn: '2020-01-01' },
        },
      };
    },
  },
  {
    mutation: 'updateMerchant',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, offsets.update + attempt);
      return {
        target: m!,
        query: `mutation ($input: UpdateMerchantInput!) { updateMerchant(input: $input) { id } }`,
        variables: { input: { id: m!.id, sizeBand: 'SMALL' } },
      };
    },
  },
  {
    mutation: 'updateMerchantContact',
    allowed: ['merchantOwn', 'supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, offsets.contact + attempt);
      return {
        target: m!,
        query: `mutation ($input: UpdateMerchantContactInput!) { updateMerchantContact(input: $input) { id } }`,
        variables: { input: { merchantId: m!.id, contactPhone: '13900001111' } },
      };
    },
  },
  {
    mutation: 'setMerchantHost',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const [m, host] = await plainMerchants(server.handle.db, '421303', 2, offsets.host + attempt * 2);
      return {
        target: m!,
        query: `mutation ($input: SetMerchantHostInput!) { setMerchantHost(input: $input) { id } }`,
        variables: { input: { merchantId: m!.id, hostMerchantId: host!.id, tenancyKind: 'COUNTER_TENANT' } },
      };
    },
  },
  {
    // The hole of issue 10: a supervisor of the tenant's district linked it to a host elsewhere.
    mutation: 'setMerchantHost',
    variant: 'host in another region: a supervisor of the tenant’s district only',
    allowed: ['supervisorIn', 'admin'],
    regions: { in: ['421303', '421321'], out: ['421303'] },
    prepare: async (server, attempt) => {
      const [tenant] = await plainMerchants(server.handle.db, '421303', 1, offsets.crossHost + attempt);
      const [host] = await plainMerchants(server.handle.db, '421321', 1, 20 + attempt);
      return {
        target: tenant!,
        query: `mutation ($input: SetMerchantHostInput!) { setMerchantHost(input: $input) { id } }`,
        variables: { input: { merchantId: tenant!.id, hostMerchantId: host!.id, tenancyKind: 'COUNTER_TENANT' } },
      };
    },
  },
  {
    mutation: 'setMerchantHost',
    variant: 'host in another region: a supervisor of the host’s district only',
    allowed: ['supervisorIn', 'admin'],
    regions: { in: ['421300'], out: ['421321'] },
    prepare: async (server, attempt) => {
      const [tenant] = await plainMerchants(server.handle.db, '421303', 1, offsets.crossTenant + attempt);
      const [host] = await plainMerchants(server.handle.db, '421321', 1, 40 + attempt);
      return {
        target: tenant!,
        query: `mutation ($input: SetMerchantHostInput!) { setMerchantHost(input: $input) { id } }`,
        variables: { input: { merchantId: tenant!.id, hostMerchantId: host!.id, tenancyKind: 'COUNTER_TENANT' } },
      };
    },
  },
  {
    // Unlinking from a host elsewhere changes that host's duties too: both ends must be governed.
    mutation: 'setMerchantHost',
    variant: 'unlinking from a host in another region',
    allowed: ['supervisorIn', 'admin'],
    regions: { in: ['421303', '421321'], out: ['421303'] },
    prepare: async (server, attempt) => {
      const db = server.handle.db;
      const [tenant] = await plainMerchants(db, '421303', 1, offsets.unlink + attempt);
      const [host] = await plainMerchants(db, '421321', 1, 60 + attempt);
      await db.update(merchants).set({ hostMerchantId: host!.id, tenancyKind: 'COUNTER_TENANT' }).where(eq(merchants.id, tenant!.id));
      return {
        target: tenant!,
        query: `mutation ($input: SetMerchantHostInput!) { setMerchantHost(input: $input) { id } }`,
        variables: { input: { merchantId: tenant!.id, hostMerchantId: null } },
      };
    },
  },
  {
    mutation: 'addDemonstrationStreetMember',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const { street, outsiders } = await streetAndOutsiders(server.handle.db, 30);
      const m = outsiders[20 + attempt]!;
      return {
        target: m,
        query: `mutation ($input: StreetMembershipInput!) { addDemonstrationStreetMember(input: $input) { id } }`,
        variables: { input: { streetId: street.id, merchantId: m.id, on: '2024-01-01' } },
      };
    },
  },
  {
    mutation: 'removeDemonstrationStreetMember',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const db = server.handle.db;
      const [member] = await db.select().from(demonstrationStreetMembers).orderBy(asc(demonstrationStreetMembers.id)).offset(attempt).limit(1);
      const [m] = await db.select().from(merchants).where(eq(merchants.id, member!.merchantId));
      return {
        target: m!,
        query: `mutation ($input: StreetMembershipInput!) { removeDemonstrationStreetMember(input: $input) { id } }`,
        variables: { input: { streetId: member!.streetId, merchantId: m!.id, on: '2026-01-01' } },
      };
    },
  },
  {
    mutation: 'addCreditListEntry',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, offsets.listAdd + attempt);
      return {
        target: m!,
        query: `mutation ($input: AddCreditListEntryInput!) { addCreditListEntry(input: $input) { id } }`,
        variables: { input: { merchantId: m!.id, list: 'ABNORMAL_OPERATIONS', listedOn: '2025-01-01', reason: '通过登记的住所无法联系' } },
      };
    },
  },
  {
    mutation: 'removeCreditListEntry',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, offsets.listRemove + attempt);
      const [entry] = await server.handle.db
        .insert(creditListEntries)
        .values({ merchantId: m!.id, list: 'ABNORMAL_OPERATIONS', listedOn: '2024-01-01', reason: '未公示年报' })
        .returning();
      return {
        target: m!,
        query: `mutation ($input: RemoveCreditListEntryInput!) { removeCreditListEntry(input: $input) { id } }`,
        variables: { input: { entryId: entry!.id, removedOn: '2024-06-01', removalReason: '已补报' } },
      };
    },
  },
];

describe.each(drivers)('who may change merchants, on %s', (driver) => {
  let server: TestServer;
  let otherMerchantId: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    const [other] = await plainMerchants(server.handle.db, '421381', 1);
    otherMerchantId = other!.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(cases.map((c) => [caseTitle(c), c] as const))('%s', async (_name, roleCase) => {
    expect(await runRoleCase(server, roleCase, otherMerchantId)).toEqual(expectedOutcomes(roleCase));
  });
});
