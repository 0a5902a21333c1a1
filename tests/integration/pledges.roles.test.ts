import { and, asc, eq, inArray, isNull, notExists, notInArray } from 'drizzle-orm';
import { merchants, pledgeStatusChanges, returnPledges } from '../../src/db/schema';
import { shanghaiToday } from '../../src/domain/local-date';
import { drivers } from '../helpers/drivers';
import { caseTitle, expectedOutcomes, runRoleCase, type RoleCase } from '../helpers/roles';
import { startTestServer, type TestServer } from '../helpers/server';

describe.each(drivers)('who may change return pledges on %s', (driver) => {
  let server: TestServer;
  let otherMerchantId: string;
  /** Merchants and pledges already acted on, so every attempt starts from a fresh one. */
  const used = new Set<string>();

  const db = () => server.handle.db;

  /** A seeded merchant with no pledge in effect. */
  async function freeMerchant() {
    const [row] = await db()
      .select({ id: merchants.id, regionCode: merchants.regionCode })
      .from(merchants)
      .where(
        and(
          used.size > 0 ? notInArray(merchants.id, [...used]) : undefined,
          notExists(
            db()
              .select({ id: returnPledges.id })
              .from(returnPledges)
              .where(and(eq(returnPledges.merchantId, merchants.id), inArray(returnPledges.status, ['ACTIVE', 'SUSPENDED']))),
          ),
        ),
      )
      .orderBy(asc(merchants.id))
      .limit(1);
    used.add(row!.id);
    return row!;
  }

  /** A seeded open-ended ACTIVE pledge, with its merchant; optionally suspended first. */
  async function activePledge(suspend = false) {
    const [row] = await db()
      .select({ id: returnPledges.id, merchantId: merchants.id, regionCode: merchants.regionCode })
      .from(returnPledges)
      .innerJoin(merchants, eq(merchants.id, returnPledges.merchantId))
      .where(
        and(
          eq(returnPledges.status, 'ACTIVE'),
          isNull(returnPledges.expiresOn),
          used.size > 0 ? notInArray(merchants.id, [...used]) : undefined,
        ),
      )
      .orderBy(asc(returnPledges.id))
      .limit(1);
    used.add(row!.merchantId);
    if (suspend) {
      await db().update(returnPledges).set({ status: 'SUSPENDED', version: 2 }).where(eq(returnPledges.id, row!.id));
      await db().insert(pledgeStatusChanges).values({ pledgeId: row!.id, fromStatus: 'ACTIVE', toStatus: 'SUSPENDED', reason: 'setup', actor: 'test' });
    }
    return { pledgeId: row!.id, target: { id: row!.merchantId, regionCode: row!.regionCode } };
  }

  beforeAll(async () => {
    server = await startTestServer(driver);
    const [other] = await db().select({ id: merchants.id }).from(merchants).orderBy(asc(merchants.id)).limit(1);
    otherMerchantId = other!.id;
    used.add(otherMerchantId);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cases: RoleCase[] = [
    {
      mutation: 'filePledge',
      allowed: ['merchantOwn', 'supervisorIn', 'admin'],
      prepare: async () => {
        const target = await freeMerchant();
        return {
          target,
          query: `mutation($input: FilePledgeInput!) { filePledge(input: $input) { id } }`,
          variables: { input: { merchantId: target.id, exclusions: ['FRESH_PERISHABLE'] } },
        };
      },
    },
    {
      mutation: 'suspendPledge',
      allowed: ['merchantOwn', 'supervisorIn', 'admin'],
      prepare: async () => {
        const { pledgeId, target } = await activePledge();
        return {
          target,
          query: `mutation($id: ID!) { suspendPledge(id: $id, reason: "整改", expectedVersion: 1) { id } }`,
          variables: { id: pledgeId },
        };
      },
    },
    {
      mutation: 'resumePledge',
      allowed: ['merchantOwn', 'supervisorIn', 'admin'],
      prepare: async () => {
        const { pledgeId, target } = await activePledge(true);
        return { target, query: `mutation($id: ID!) { resumePledge(id: $id, expectedVersion: 2) { id } }`, variables: { id: pledgeId } };
      },
    },
    {
      mutation: 'revokePledge',
      allowed: ['supervisorIn', 'admin'],
      prepare: async () => {
        const { pledgeId, target } = await activePledge();
        return { target, query: `mutation($id: ID!) { revokePledge(id: $id, reason: "多次拒绝退货") { id } }`, variables: { id: pledgeId } };
      },
    },
    {
      mutation: 'recordPledgeAudit',
      allowed: ['supervisorIn', 'admin'],
      prepare: async () => {
        const { pledgeId, target } = await activePledge();
        return {
          target,
          query: `mutation($input: RecordPledgeAuditInput!) { recordPledgeAudit(input: $input) { id } }`,
          variables: { input: { pledgeId, auditedOn: shanghaiToday(), inspector: '随县市场监管局 李华', outcome: 'COMPLIANT' } },
        };
      },
    },
  ];

  it.each(cases.map((c) => [caseTitle(c), c] as const))('%s', async (_name, roleCase) => {
    expect(await runRoleCase(server, roleCase, otherMerchantId)).toEqual(expectedOutcomes(roleCase));
  });
});
