import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';
import { expectedOutcomes, runRoleCase, type RoleCase } from '../helpers/roles';

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

  it.each(cases.map((c) => [c.mutation, c] as const))('%s', async (_name, roleCase) => {
    expect(await runRoleCase(server, roleCase, otherMerchantId)).toEqual(expectedOutcomes(roleCase));
  });
});
