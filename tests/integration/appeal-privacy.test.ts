import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { buildRegistrySchema } from '../../src/schema';
import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const NAME = '欧阳秘密';
const PHONE = '13700001234';

/** Every field of the schema that yields appeals: `Type.field` whose type is Appeal or its connection. */
function fieldsYieldingAppeals(schema: GraphQLSchema): string[] {
  const targets = new Set(['Appeal', 'AppealConnection', 'AppealEdge']);
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (targets.has(getNamedType(field.type).name)) found.push(`${type.name}.${field.name}`);
    }
  }
  return found.sort();
}

/**
 * A query for each way to an appeal's consumer fields, keyed by the field that yields appeals.
 * The first test fails when the schema grows a field yielding appeals that is not swept here.
 */
const READS: Record<string, string> = {
  'Query.appeal': `query ($appealId: ID!) { appeal(id: $appealId) { consumerName consumerPhone details } }`,
  'Query.appeals': `{ appeals(first: 100) { edges { node { consumerName consumerPhone details } } } }`,
  'Query.appealsDue': `{ appealsDue(regionCode: "421303", withinWorkingDays: 60, first: 100) { edges { node { consumerName consumerPhone details } } } }`,
  'Merchant.complaints': `query ($merchantId: ID) { merchant(id: $merchantId) { complaints { edges { node { consumerName consumerPhone details } } } } }`,
  'Merchant.complaints (in a list)': `query ($uscc: String) { merchants(filter: { uscc: $uscc }) { edges { node { complaints { edges { node { consumerName consumerPhone } } } } } } }`,
  'AppealStatistics.drillDown': `{ annualReport(year: 2024) { drillDown(figure: COMPLAINTS_DECIDED_LATE, first: 100) { edges { node { consumerName consumerPhone details } } } } }`,
  'Merchant.complaints (of the host)': `query ($merchantId: ID) { merchant(id: $merchantId) { host { complaints { edges { node { consumerName } } } } } }`,
};

/**
 * Fields that yield appeals only to supervisors (role-gated mutations), that only page them, or
 * whose privacy is swept elsewhere: appealUpdated in tests/integration/live.test.ts.
 */
const GATED = new Set(['Mutation.createAppeal', 'Mutation.advanceAppeal', 'AppealConnection.edges', 'AppealEdge.node', 'Subscription.appealUpdated']);

describe('the fields that yield appeals', () => {
  it('are all covered by the privacy sweep', async () => {
    const schema = await buildRegistrySchema();
    const swept = new Set(Object.keys(READS).map((key) => key.split(' ')[0]));
    const uncovered = fieldsYieldingAppeals(schema).filter((field) => !swept.has(field) && !GATED.has(field));
    expect(uncovered).toEqual([]);
  });
});

describe.each(drivers)('consumers’ personal data on %s', (driver) => {
  let server: TestServer;
  let ids: { appealId: string; merchantId: string; uscc: string };

  beforeAll(async () => {
    server = await startTestServer(driver);
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 30);
    const supervisor = await authHeader({ sub: 'sup', role: 'SUPERVISOR', regions: ['421303'] });
    const { data } = await server.gql(
      `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`,
      {
        input: {
          type: 'COMPLAINT',
          channel: 'WEB',
          merchantId: m!.id,
          consumerName: NAME,
          consumerPhone: PHONE,
          details: '秘密细节',
          receivedAt: '2024-01-02T02:00:00.000Z',
        },
      },
      supervisor,
    );
    ids = { appealId: data!.createAppeal.id, merchantId: m!.id, uscc: m!.uscc };
  });
  afterAll(async () => {
    await server?.stop();
  });

  const viewers = {
    public: async () => ({}),
    'a foreign merchant': () => authHeader({ sub: 'other', role: 'MERCHANT', merchantIds: ['00000000-0000-4000-8000-000000000001'] }),
    'a supervisor of another region': () => authHeader({ sub: 'far', role: 'SUPERVISOR', regions: ['421381'] }),
  };

  it.each(Object.keys(viewers) as (keyof typeof viewers)[])('are unreachable for %s through every path', async (who) => {
    const headers = await viewers[who]();
    for (const [path, query] of Object.entries(READS)) {
      const body = JSON.stringify(await server.gql(query, ids, headers));
      // Not the name, not the phone, not even their masked forms.
      for (const secret of [NAME, PHONE, '欧阳', '137****1234', '秘密细节']) {
        if (body.includes(secret)) throw new Error(`${who} saw ${secret} through ${path}: ${body}`);
      }
    }
  });

  it('are reached by every swept query when the viewer may see them (the sweep queries are valid)', async () => {
    const headers = await authHeader({ sub: 'sup', role: 'SUPERVISOR', regions: ['421300'] });
    for (const [path, query] of Object.entries(READS)) {
      const response = await server.gql(query, ids, headers);
      expect({ path, errors: response.errors }).toEqual({ path, errors: undefined });
      // The host's complaints and the late decisions of 2024 need not include the test's appeal.
      if (!path.includes('host') && !path.includes('drillDown')) expect({ path, found: JSON.stringify(response.data).includes(NAME) }).toEqual({ path, found: true });
    }
  });

  it('are masked for the merchant concerned and whole for the region’s supervisor', async () => {
    const query = READS['Query.appeal']!;
    const merchant = await server.gql(query, ids, await authHeader({ sub: 'own', role: 'MERCHANT', merchantIds: [ids.merchantId] }));
    expect(merchant.data!.appeal).toEqual({ consumerName: '欧阳', consumerPhone: '137****1234', details: '秘密细节' });
    const supervisor = await server.gql(query, ids, await authHeader({ sub: 'sup', role: 'SUPERVISOR', regions: ['421300'] }));
    expect(supervisor.data!.appeal).toEqual({ consumerName: NAME, consumerPhone: PHONE, details: '秘密细节' });
  });
});
