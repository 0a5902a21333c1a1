import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { eq } from 'drizzle-orm';
import { creditListEntries, merchants } from '../../src/db/schema';
import { merchantIdForUscc } from '../../src/domain/ids';
import { withUsccCheckCharacter } from '../../src/domain/uscc';
import { drivers } from '../helpers/drivers';
import { auditCount, plainMerchants, streetAndOutsiders } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterMerchantInput!) {
    registerMerchant(input: $input) { id uscc kind name regionCode version host { id } tenancyKind }
  }
`;
const UPDATE = `mutation ($input: UpdateMerchantInput!) { updateMerchant(input: $input) { id name version } }`;
const CONTACT = `mutation ($input: UpdateMerchantContactInput!) { updateMerchantContact(input: $input) { contactName contactPhone version } }`;

const newInput = (n: number, over: Record<string, unknown> = {}) => ({
  uscc: withUsccCheckCharacter(`92421303MA4N${String(n).padStart(5, '0')}`),
  name: `测试便利店${n}`,
  industry: 'SUPERMARKET',
  sizeBand: 'MICRO',
  regionCode: '421303',
  address: '随州市曾都区解放路88号',
  establishedOn: '2021-05-01',
  ...over,
});

describe.each(drivers)('merchant mutations on %s', (driver) => {
  let server: TestServer;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(driver);
    supervisor = await authHeader({ sub: 'sup-zengdu', role: 'SUPERVISOR', regions: ['421303'] });
    admin = await authHeader({ sub: 'admin', role: 'ADMIN' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('registers a merchant with its kind read from the USCC and its id derived from it', async () => {
    const input = newInput(1);
    const before = await auditCount(server.handle.db);
    const { data, errors } = await server.gql(REGISTER, { input }, supervisor);
    expect(errors).toBeUndefined();
    expect(data!.registerMerchant).toMatchObject({ id: merchantIdForUscc(input.uscc), kind: 'INDIVIDUAL_BUSINESS', version: 1 });
    expect(await auditCount(server.handle.db)).toBe(before + 1);
    const log = await server.gql(
      `query ($id: String) { auditLog(targetType: "merchant", targetId: $id) { totalCount edges { node { action actorSub actorRole after } } } }`,
      { id: data!.registerMerchant.id },
      admin,
    );
    expect(log.data!.auditLog.edges[0].node).toMatchObject({ action: 'merchant.register', actorSub: 'sup-zengdu', actorRole: 'SUPERVISOR' });
    expect(log.data!.auditLog.edges[0].node.after.uscc).toBe(input.uscc);
  });

  it('refuses a wrong USCC, naming the field, and writes nothing', async () => {
    const before = await auditCount(server.handle.db);
    const { errors } = await server.gql(REGISTER, { input: newInput(2, { uscc: '91421300MA4ABCDEF0' }) }, supervisor);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.uscc' });
    expect(await auditCount(server.handle.db)).toBe(before);
  });

  it('refuses a USCC that is already registered with CONFLICT', async () => {
    await server.gql(REGISTER, { input: newInput(3) }, supervisor);
    const { errors } = await server.gql(REGISTER, { input: newInput(3, { name: '另一个名字' }) }, supervisor);
    expect(errors![0]!.extensions!.code).toBe('CONFLICT');
  });

  it('refuses registration outside the supervisor’s jurisdiction', async () => {
    const { errors } = await server.gql(REGISTER, { input: newInput(4, { regionCode: '421381' }) }, supervisor);
    expect(errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('refuses blank names and future establishment dates', async () => {
    const blank = await server.gql(REGISTER, { input: newInput(5, { name: '  ' }) }, supervisor);
    expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const future = await server.gql(REGISTER, { input: newInput(6, { establishedOn: '2999-01-01' }) }, supervisor);
    expect(future.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.establishedOn' });
  });

  it('updates with optimistic concurrency: a stale version is CONFLICT and changes nothing', async () => {
    const [target] = await plainMerchants(server.handle.db, '421303', 1, 10);
    const ok = await server.gql(UPDATE, { input: { id: target!.id, expectedVersion: target!.version, name: '新名字超市' } }, supervisor);
    expect(ok.data!.updateMerchant).toMatchObject({ name: '新名字超市', version: target!.version + 1 });
    const stale = await server.gql(UPDATE, { input: { id: target!.id, expectedVersion: target!.version, name: '又一个名字' } }, supervisor);
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: target!.version + 1 });
    const [row] = await server.handle.db.select().from(merchants).where(eq(merchants.id, target!.id));
    expect(row!.name).toBe('新名字超市');
  });

  it('lets a merchant change its own contact details and checks the phone', async () => {
    const [target] = await plainMerchants(server.handle.db, '421303', 1, 11);
    const own = await authHeader({ sub: 'shop', role: 'MERCHANT', merchantIds: [target!.id] });
    const ok = await server.gql(CONTACT, { input: { merchantId: target!.id, contactName: '王店长', contactPhone: '0722-3251234' } }, own);
    expect(ok.data!.updateMerchantContact).toMatchObject({ contactName: '王店长', contactPhone: '0722-3251234' });
    const bad = await server.gql(CONTACT, { input: { merchantId: target!.id, contactPhone: 'call me' } }, own);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contactPhone' });
  });

  it('links a tenant to a host and refuses a host that is itself a tenant', async () => {
    const [tenant, other] = await plainMerchants(server.handle.db, '421303', 2, 12);
    const [someTenant] = await server.handle.db.select().from(merchants).where(eq(merchants.tenancyKind, 'COUNTER_TENANT')).limit(1);
    const hostId = someTenant!.hostMerchantId!;
    const SET = `mutation ($input: SetMerchantHostInput!) { setMerchantHost(input: $input) { host { id } tenancyKind } }`;
    const ok = await server.gql(SET, { input: { merchantId: tenant!.id, hostMerchantId: hostId, tenancyKind: 'COUNTER_TENANT' } }, admin);
    expect(ok.data!.setMerchantHost).toEqual({ host: { id: hostId }, tenancyKind: 'COUNTER_TENANT' });
    const chained = await server.gql(SET, { input: { merchantId: other!.id, hostMerchantId: tenant!.id, tenancyKind: 'COUNTER_TENANT' } }, admin);
    expect(chained.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.hostMerchantId' });
    const unlinked = await server.gql(SET, { input: { merchantId: tenant!.id, hostMerchantId: null } }, admin);
    expect(unlinked.data!.setMerchantHost).toEqual({ host: null, tenancyKind: null });
  });

  it('adds a merchant to the demonstration street once, and records its leaving', async () => {
    const { street, outsiders } = await streetAndOutsiders(server.handle.db, 1);
    const input = { streetId: street.id, merchantId: outsiders[0]!.id, on: '2024-03-15' };
    const ADD = `mutation ($input: StreetMembershipInput!) { addDemonstrationStreetMember(input: $input) { demonstrationStreets { name } } }`;
    const REMOVE = `mutation ($input: StreetMembershipInput!) { removeDemonstrationStreetMember(input: $input) { demonstrationStreets { name } } }`;
    const added = await server.gql(ADD, { input }, supervisor);
    expect(added.data!.addDemonstrationStreetMember.demonstrationStreets).toEqual([{ name: street.name }]);
    expect((await server.gql(ADD, { input }, supervisor)).errors![0]!.extensions!.code).toBe('CONFLICT');
    const removed = await server.gql(REMOVE, { input: { ...input, on: '2025-01-01' } }, supervisor);
    expect(removed.data!.removeDemonstrationStreetMember.demonstrationStreets).toEqual([]);
    // Having left, it may join again: membership is a history of periods.
    expect((await server.gql(ADD, { input: { ...input, on: '2025-06-01' } }, supervisor)).errors).toBeUndefined();
  });

  it('lists a merchant on a credit list and takes it off (信用修复), showing both publicly', async () => {
    const [target] = await plainMerchants(server.handle.db, '421303', 1, 13);
    const ADD = `mutation ($input: AddCreditListEntryInput!) { addCreditListEntry(input: $input) { id list listedOn } }`;
    const added = await server.gql(
      ADD,
      { input: { merchantId: target!.id, list: 'ABNORMAL_OPERATIONS', listedOn: '2025-03-01', reason: '未按规定公示年度报告' } },
      supervisor,
    );
    const entryId = added.data!.addCreditListEntry.id;
    const REMOVE = `mutation ($input: RemoveCreditListEntryInput!) { removeCreditListEntry(input: $input) { removedOn } }`;
    const early = await server.gql(REMOVE, { input: { entryId, removedOn: '2025-02-01', removalReason: '已补报' } }, supervisor);
    expect(early.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.removedOn' });
    const removed = await server.gql(REMOVE, { input: { entryId, removedOn: '2025-04-01', removalReason: '已补报年度报告' } }, supervisor);
    expect(removed.data!.removeCreditListEntry.removedOn).toBe('2025-04-01');
    const again = await server.gql(REMOVE, { input: { entryId, removedOn: '2025-05-01', removalReason: 'x' } }, supervisor);
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
    const shown = await server.gql(`query ($id: ID) { merchant(id: $id) { creditListEntries { list removedOn } } }`, { id: target!.id });
    expect(shown.data!.merchant.creditListEntries).toContainEqual({ list: 'ABNORMAL_OPERATIONS', removedOn: '2025-04-01' });
    const [row] = await server.handle.db.select().from(creditListEntries).where(eq(creditListEntries.id, entryId));
    expect(row!.removedBy).toBe('sup-zengdu');
  });

  it('finds merchants by USCC and by whether they have an active pledge', async () => {
    const [target] = await plainMerchants(server.handle.db, '421321', 1);
    const byUscc = await server.gql(`query ($u: String) { merchants(filter: { uscc: $u }) { totalCount edges { node { id } } } }`, { u: target!.uscc });
    expect(byUscc.data!.merchants).toEqual({ totalCount: 1, edges: [{ node: { id: target!.id } }] });
    const all = await server.gql(`{ merchants { totalCount } }`);
    const withPledge = await server.gql(`{ merchants(filter: { hasActivePledge: true }) { totalCount } }`);
    const without = await server.gql(`{ merchants(filter: { hasActivePledge: false }) { totalCount } }`);
    expect(withPledge.data!.merchants.totalCount).toBeGreaterThan(100);
    expect(withPledge.data!.merchants.totalCount + without.data!.merchants.totalCount).toBe(all.data!.merchants.totalCount);
  });

  it('answers a bad token with UNAUTHENTICATED and HTTP 401, never as the public', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      body: JSON.stringify({ query: '{ merchants(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
  });

  it('refuses a graphql-ws connection with a bad token and accepts a good one', async () => {
    const url = server.url.replace(/^http/, 'ws');
    let closed: (code: number) => void = () => undefined;
    const closeCode = new Promise<number>((resolve) => (closed = resolve));
    const refused = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: 'Bearer not.a.token' },
      on: { closed: (event) => closed((event as { code: number }).code) },
      onNonLazyError: () => undefined,
    });
    try {
      expect(await closeCode).toBe(4403);
    } finally {
      await refused.dispose();
    }

    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: admin.authorization } });
    try {
      const result = await new Promise<any>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: '{ auditLog(first: 1) { totalCount } }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      expect(result.errors).toBeUndefined();
      expect(result.data.auditLog.totalCount).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });

  it('keeps the audit log from the public and from merchants', async () => {
    const pub = await server.gql(`{ auditLog(first: 1) { totalCount } }`);
    expect(pub.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const merchant = await server.gql(`{ auditLog(first: 1) { totalCount } }`, {}, await authHeader({ sub: 'm', role: 'MERCHANT' }));
    expect(merchant.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});
