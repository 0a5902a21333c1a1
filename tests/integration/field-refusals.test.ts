import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/rows';
import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

/** A value for a required argument of `type`, good enough to reach the resolver. */
function sampleValue(type: GraphQLInputType, name: string): string {
  const inner = getNullableType(type);
  if (isListType(inner)) return `[${sampleValue(inner.ofType, name)}]`;
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${sampleValue(f.type, f.name)}`).join(', ')} }`;
  }
  switch (inner.name) {
    case 'Date':
      return '"2024-06-30"';
    case 'DateTime':
      return '"2024-06-30T00:00:00Z"';
    case 'Int':
    case 'SafeInt':
      return name === 'year' ? '2023' : '1';
    case 'Boolean':
      return 'false';
    case 'ID':
      return '"00000000-0000-4000-8000-000000000000"';
    default:
      return name.toLowerCase().includes('region') ? '"421300"' : '"x"';
  }
}

/** Every field of `type` with required arguments filled, objects expanded `depth` more levels. */
function selectAll(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const required = field.args.filter((a) => isNonNullType(a.type));
    const args = required.length ? `(${required.map((a) => `${a.name}: ${sampleValue(a.type, a.name)}`).join(', ')})` : '';
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) parts.push(`${field.name}${args}`);
    else if (isObjectType(named) && depth > 0) parts.push(`${field.name}${args} { ${selectAll(named, depth - 1)} }`);
    else parts.push(`${field.name}${args} { __typename }`);
  }
  return parts.join(' ');
}

/** The schema field an error path ends at, walking from the Query type. */
function fieldAt(schema: GraphQLSchema, path: readonly (string | number)[]): GraphQLField<unknown, unknown> {
  let type: GraphQLObjectType = schema.getQueryType()!;
  let field: GraphQLField<unknown, unknown> | undefined;
  for (const key of path) {
    if (typeof key === 'number') continue;
    field = type.getFields()[key];
    if (!field) throw new Error(`no field ${key} on ${type.name}`);
    const named = getNamedType(field.type);
    if (isObjectType(named)) type = named;
  }
  return field!;
}

describe.each(drivers)('fields some viewers may not see, on %s', (driver) => {
  let server: TestServer;
  let uscc: string;
  let merchantId: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    // A merchant with complaints of record, so complaint fields have something to refuse.
    const [row] = rowsOf<{ id: string; uscc: string }>(
      await server.handle.db.execute(sql`
        select m.id, m.uscc from merchants m where exists (select 1 from appeals a where a.merchant_id = m.id and a.type = 'COMPLAINT')
        order by m.id limit 1`),
    );
    ({ uscc, id: merchantId } = row!);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const viewers: [string, () => Promise<Record<string, string>>][] = [
    ['the public', async () => ({})],
    ['another merchant', () => authHeader({ sub: 'other-shop', role: 'MERCHANT', merchantIds: ['00000000-0000-4000-8000-000000000001'] })],
  ];

  it.each(viewers)('refuses %s on the field alone, never blanking the merchant or the report', async (_who, headers) => {
    const schema = server.app.schema;
    const merchantType = schema.getType('Merchant') as GraphQLObjectType;
    const reportType = schema.getType('AppealStatistics') as GraphQLObjectType;
    const query = `{ merchant(uscc: "${uscc}") { ${selectAll(merchantType, 1)} } annualReport(year: 2023, regionCode: "421300") { ${selectAll(reportType, 1)} } }`;
    const res = await server.gql(query, undefined, await headers());
    expect(res.data?.merchant?.id).toBe(merchantId);
    expect(res.data?.annualReport?.total).toBeGreaterThan(0);
    const refusals = (res.errors ?? []).filter((e) => ['FORBIDDEN', 'UNAUTHENTICATED'].includes(e.extensions?.code));
    // The role-checked fields this test knows of must be among the refusals, so it cannot pass by asking nothing.
    const refusedFields = refusals.map((e) => e.path!.filter((k) => typeof k === 'string').join('.'));
    expect(refusedFields).toEqual(expect.arrayContaining(['merchant.ratingWhatIf', 'merchant.complaints', 'annualReport.drillDown']));
    for (const error of refusals) {
      const field = fieldAt(schema, error.path!);
      expect({ path: error.path, nullable: !isNonNullType(field.type) }).toEqual({ path: error.path, nullable: true });
    }
    // The public score survives the refusals beside it.
    expect(res.data!.merchant.rating).not.toBeNull();
  });
});
