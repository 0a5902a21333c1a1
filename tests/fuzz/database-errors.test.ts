import { GraphQLError } from 'graphql';
import { sql } from 'drizzle-orm';
import { appeals, merchants } from '../../src/db/schema';
import { maskError } from '../../src/errors';
import { drivers, openTestDb, type TestDb } from '../helpers/drivers';

/** What the client would see for the error a statement raises, and whether it was reported as a bug. */
async function clientView(statement: () => Promise<unknown>) {
  let thrown: unknown;
  try {
    await statement();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeDefined();
  // As graphql-js hands a resolver's error to formatError: wrapped, with a path.
  const wrapped = new GraphQLError('raw driver message', { path: ['createAppeal'], originalError: thrown as Error });
  const reported: unknown[] = [];
  const formatted = maskError(wrapped.toJSON(), wrapped, (e) => reported.push(e));
  return { formatted, reported };
}

describe.each(drivers)('database errors through maskError on %s', (driver) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(driver);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });
  const db = () => testDb.handle.db;

  it('maps a unique violation to CONFLICT naming the field', async () => {
    const [m] = await db().select().from(merchants).limit(1);
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = m!;
    const { formatted, reported } = await clientView(() => db().insert(merchants).values(copy));
    expect(formatted.extensions).toEqual({ code: 'CONFLICT', field: 'input.uscc' });
    expect(formatted.message).not.toMatch(/duplicate key|merchants_uscc_key/);
    expect(formatted.path).toEqual(['createAppeal']);
    expect(reported).toEqual([]);
  });

  it('maps a foreign-key violation on a taxonomy code to BAD_USER_INPUT naming the field', async () => {
    const { formatted } = await clientView(() =>
      db().insert(appeals).values({
        type: 'CONSULTATION',
        status: 'RECEIVED',
        channel: 'HOTLINE',
        receivedAt: new Date(),
        regionCode: '421303',
        categoryCode: 'NO.SUCH',
        acceptanceDueOn: '2024-01-10',
      } as typeof appeals.$inferInsert),
    );
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.categoryCode' });
  });

  it('maps a check violation and bad data (NUL, datetime overflow) to BAD_USER_INPUT', async () => {
    const check = await clientView(() => db().execute(sql`update merchants set region_code = 'x' where id = (select id from merchants limit 1)`));
    expect(check.formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.regionCode' });
    const nul = await clientView(() => db().execute(sql`select ${'a\u0000b'}::text`));
    expect(nul.formatted.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    const overflow = await clientView(() => db().execute(sql`select '2024-02-30'::date`));
    expect(overflow.formatted.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('still masks and reports what is not the client’s fault', async () => {
    const { formatted, reported } = await clientView(() => db().execute(sql`select * from no_such_table`));
    expect(formatted).toEqual({ message: 'Internal server error', path: ['createAppeal'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(reported).toHaveLength(1);
  });
});
