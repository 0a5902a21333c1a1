import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';
import { caseTitle, expectedOutcomes, runRoleCase, type RoleCase } from '../helpers/roles';

/** Registers a fresh complaint against the n-th plain merchant of 曾都区 (optionally accepted). */
async function freshComplaint(server: TestServer, attempt: number, offset: number, accepted: boolean) {
  const [m] = await plainMerchants(server.handle.db, '421303', 1, offset + attempt);
  const admin = await authHeader({ sub: 'admin', role: 'ADMIN' });
  const created = await server.gql(
    `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id version } }`,
    { input: { type: 'COMPLAINT', channel: 'HOTLINE', merchantId: m!.id, consumerName: '李四', consumerPhone: '13800000000' } },
    admin,
  );
  const appeal = created.data!.createAppeal as { id: string; version: number };
  if (accepted) {
    await server.gql(`mutation ($input: AdvanceAppealInput!) { advanceAppeal(input: $input) { id } }`, { input: { id: appeal.id, action: 'ACCEPT', expectedVersion: 1 } }, admin);
    appeal.version = 2;
  }
  return { merchant: m!, appeal };
}

const cases: RoleCase[] = [
  {
    mutation: 'createAppeal',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, 40 + attempt);
      return {
        target: m!,
        query: `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`,
        variables: { input: { type: 'COMPLAINT', channel: 'WEB', merchantId: m!.id } },
      };
    },
  },
  {
    // The hole of issue 10: a supervisor of 随县 named its own region for a 曾都区 merchant.
    mutation: 'createAppeal',
    variant: "each supervisor passes its own regionCode",
    allowed: ['supervisorIn', 'admin'],
    regions: { in: ['421303'], out: ['421321'] },
    prepare: async (server, attempt, actor) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, 80 + attempt);
      return {
        target: m!,
        query: `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`,
        variables: { input: { type: 'COMPLAINT', channel: 'WEB', merchantId: m!.id, regionCode: actor === 'supervisorOut' ? '421321' : '421303' } },
      };
    },
  },
  {
    mutation: 'createAppeal',
    variant: 'a consultation without a merchant, in the region given',
    allowed: ['supervisorIn', 'admin'],
    regions: { in: ['421303'], out: ['421321'] },
    prepare: async (server, attempt) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, 80 + attempt);
      return {
        target: m!,
        query: `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`,
        variables: { input: { type: 'CONSULTATION', channel: 'HOTLINE', regionCode: '421303' } },
      };
    },
  },
  {
    mutation: 'advanceAppeal',
    allowed: ['supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const { merchant, appeal } = await freshComplaint(server, attempt, 50, false);
      return {
        target: merchant,
        query: `mutation ($input: AdvanceAppealInput!) { advanceAppeal(input: $input) { id } }`,
        variables: { input: { id: appeal.id, action: 'ACCEPT', expectedVersion: appeal.version } },
      };
    },
  },
  {
    mutation: 'answerComplaint',
    allowed: ['merchantOwn'],
    prepare: async (server, attempt) => {
      const { merchant, appeal } = await freshComplaint(server, attempt, 60, true);
      return {
        target: merchant,
        query: `mutation ($input: AnswerComplaintInput!) { answerComplaint(input: $input) { id } }`,
        variables: { input: { appealId: appeal.id, body: '已与消费者协商退款' } },
      };
    },
  },
  {
    mutation: 'filePatternResponse',
    allowed: ['merchantOwn', 'supervisorIn', 'admin'],
    prepare: async (server, attempt) => {
      const [m] = await plainMerchants(server.handle.db, '421303', 1, 70 + attempt);
      return {
        target: m!,
        query: `mutation ($input: FilePatternResponseInput!) { filePatternResponse(input: $input) { id } }`,
        variables: { input: { merchantId: m!.id, issueType: 'REFUSED_RETURN', body: '已培训店员执行七日无理由退货' } },
      };
    },
  },
];

/** One import row against a merchant, naming `regionCode` in its region column. */
function importCsv(externalId: string, uscc: string, regionCode: string): string {
  return [
    'external_id,type,channel,received_at,merchant_uscc,region_code,category_code,issue_type,consumer_name,consumer_phone,status',
    `${externalId},COMPLAINT,HOTLINE,2026-09-01 09:12,${uscc},${regionCode},GOODS.FOOD,QUALITY,王女士,13872260131,RECEIVED`,
  ].join('\n');
}

const IMPORT = `mutation ($csv: String!) { importAppeals(csv: $csv) { inserted badRows bad { field message } } }`;

describe.each(drivers)('who may handle appeals, on %s', (driver) => {
  let server: TestServer;
  let otherMerchantId: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    const [other] = await plainMerchants(server.handle.db, '421381', 1, 5);
    otherMerchantId = other!.id;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(cases.map((c) => [caseTitle(c), c] as const))('%s', async (_name, roleCase) => {
    expect(await runRoleCase(server, roleCase, otherMerchantId)).toEqual(expectedOutcomes(roleCase));
  });

  it('createAppeal refuses a regionCode other than the merchant’s, even from a supervisor of both', async () => {
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 90);
    const city = await authHeader({ sub: 'city', role: 'SUPERVISOR', regions: ['421300'] });
    const response = await server.gql(
      `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`,
      { input: { type: 'COMPLAINT', channel: 'WEB', merchantId: m!.id, regionCode: '421321' } },
      city,
    );
    expect(response.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.regionCode']]);
  });

  it('importAppeals records rows only against merchants in the caller’s regions, whatever region_code says', async () => {
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 91);
    const outside = await authHeader({ sub: 'supervisor-out', role: 'SUPERVISOR', regions: ['421321'] });
    const inside = await authHeader({ sub: 'supervisor-in', role: 'SUPERVISOR', regions: ['421303'] });
    const admin = await authHeader({ sub: 'admin', role: 'ADMIN' });

    const refused = await server.gql(IMPORT, { csv: importCsv(`X-${driver}-1`, m!.uscc, '421321') }, outside);
    expect(refused.data?.importAppeals).toEqual({ inserted: 0, badRows: 1, bad: [{ field: 'region_code', message: 'region 421303 is outside your jurisdiction' }] });

    // A row whose region column disagrees with its merchant is bad for everyone, admins too.
    const mismatch = await server.gql(IMPORT, { csv: importCsv(`X-${driver}-2`, m!.uscc, '421321') }, admin);
    expect(mismatch.data?.importAppeals).toMatchObject({ inserted: 0, badRows: 1, bad: [{ field: 'region_code' }] });

    const recorded = await server.gql(IMPORT, { csv: importCsv(`X-${driver}-3`, m!.uscc, '421303') }, inside);
    expect(recorded.data?.importAppeals).toEqual({ inserted: 1, badRows: 0, bad: [] });
  });
});
