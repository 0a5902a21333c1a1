import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { rowsOf } from '../../src/db/rows';
import { REBUILD_APPEAL_COUNTS_SQL } from '../../src/modules/report/report.counts.sql';
import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';

/**
 * Schema-driven property test: every query and mutation field of the live schema is called with
 * arguments generated from its argument types — realistic values (ids and codes that exist)
 * mixed with hostile ones (NUL, lone surrogates, huge strings, dates out of range, huge numbers) —
 * as the public, a merchant and a supervisor. No answer may be INTERNAL_SERVER_ERROR, and a
 * refused call (errors, no data) must leave the database exactly as it was. New fields are fuzzed
 * without touching this file.
 *
 * FUZZ_RUNS: calls per field (default 10). FUZZ_SEED: the fast-check seed (default fixed, so CI
 * is reproducible; any integer explores other inputs).
 */
const RUNS_PER_FIELD = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

const MUTABLE_TABLES = [
  'appeal_counts_daily',
  'appeal_counts_monthly',
  'appeal_counts_version',
  'appeal_transitions',
  'appeals',
  'audit_log',
  'compensation_funds',
  'credit_list_entries',
  'demonstration_street_members',
  'demonstration_streets',
  'dispute_enrollments',
  'fund_ledger_entries',
  'merchant_answers',
  'merchants',
  'pattern_responses',
  'pledge_audits',
  'pledge_status_changes',
  'rating_history',
  'ratings',
  'return_pledges',
];

/**
 * A cheap fingerprint of every mutable table: row count and the sum of row versions (xmin
 * changes on every insert and update), so any write, even one that rewrites a value unchanged,
 * shows.
 */
async function fingerprint(server: TestServer): Promise<string> {
  const parts = MUTABLE_TABLES.map((t) => `(select count(*)::text || ':' || coalesce(sum(xmin::text::bigint), 0)::text from ${t})`);
  const result = await server.handle.db.execute(sql.raw(`select ${parts.join(` || '|' || `)} as f`));
  return String(rowsOf<{ f: string }>(result)[0]!.f);
}

/**
 * Keeps 400 of the seed's 52,000 appeals (and those a ledger entry cites), so the per-call
 * fingerprint scans thousands of rows, not hundreds of thousands. Replica mode lets the test
 * delete history rows that the application may never delete; the copy is this file's own.
 */
async function thinAppeals(server: TestServer): Promise<void> {
  await server.handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`create temp table kept_appeals on commit drop as
      select id from appeals where id in (select appeal_id from fund_ledger_entries where appeal_id is not null)
      union select id from (select id from appeals order by id limit 400) a`);
    await tx.execute(sql`delete from appeal_transitions where appeal_id not in (select id from kept_appeals)`);
    await tx.execute(sql`delete from merchant_answers where appeal_id not in (select id from kept_appeals)`);
    await tx.execute(sql`delete from appeals where id not in (select id from kept_appeals)`);
    // Replica mode bypassed the count tables' triggers too: recount, as a bulk loader would.
    await tx.execute(REBUILD_APPEAL_COUNTS_SQL);
  });
}

interface Pools {
  ids: string[];
  regionCodes: string[];
  usccs: string[];
  categoryCodes: string[];
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uD83D\uDE00',
  "'; drop table merchants; --",
  '%_\\',
  '超市',
  '../../etc/passwd',
  '0'.repeat(5000),
];
const HUGE = 'x'.repeat(200_001);
const DATES_OUT = ['0001-01-01', '1949-09-30', '2100-01-01', '9999-12-31', '2024-02-30', '2024-13-01', 'yesterday'];
const DATES_IN = ['1949-10-01', '2000-02-29', '2023-06-15', '2024-01-02', '2099-12-31'];
const DATE_TIMES = ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2023-06-15T08:00:00Z', '2024-01-02T00:00:00+08:00', '2099-12-31T23:59:59Z', 'not a time'];

/** Plausible strings for an argument, by its name: ids, codes and USCCs that exist. */
function plausibleString(name: string, pools: Pools, isId: boolean): fc.Arbitrary<string> {
  if (isId || /Id$|^id$/.test(name)) return fc.constantFrom(...pools.ids);
  if (/^regionCode$/.test(name)) return fc.constantFrom(...pools.regionCodes);
  if (/[cC]ode$/.test(name)) return fc.constantFrom(...pools.categoryCodes);
  if (/uscc/i.test(name)) return fc.constantFrom(...pools.usccs);
  if (/[pP]hone$/.test(name)) return fc.constantFrom('13812345678', '0722-3251234');
  return fc.string({ minLength: 1, maxLength: 12 });
}

/** Hostile strings: NUL and lone surrogates inside plausible text, odd text, and a huge one. */
function hostileString(name: string, pools: Pools, isId: boolean): fc.Arbitrary<string> {
  const plausible = plausibleString(name, pools, isId);
  return fc.oneof(
    { weight: 4, arbitrary: plausible.chain((v) => fc.constantFrom(`${v}\u0000`, `\uD800${v}`, `${v.slice(0, 3)}\uDFFF${v.slice(3)}`)) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constant(HUGE) },
  );
}

/** A scalar value: plausible, or (`hostile`) one meant to break something. */
function scalarArbitrary(scalar: string, name: string, pools: Pools, hostile: boolean): fc.Arbitrary<unknown> {
  switch (scalar) {
    case 'String':
    case 'ID': {
      const isId = scalar === 'ID';
      return hostile ? hostileString(name, pools, isId) : plausibleString(name, pools, isId);
    }
    case 'Boolean':
      return fc.boolean();
    case 'Int':
      if (!hostile) return name === 'year' ? fc.constantFrom(2022, 2023, 2024) : fc.integer({ min: 1, max: 50 });
      return fc.constantFrom(0, -1, 101, 2_147_483_647, -2_147_483_648, 2 ** 31, 1.5);
    case 'Float':
      return hostile ? fc.constantFrom(-1, 1e308, -0, 0.1) : fc.double({ min: 0, max: 100, noNaN: true });
    case 'SafeInt':
      if (!hostile) return fc.integer({ min: 1, max: 1_000_000 });
      return fc.constantFrom(0, -1, 1e12, 1e12 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 0.5);
    case 'Date':
      if (!hostile) return fc.constantFrom(...DATES_IN);
      return fc.oneof(fc.constantFrom(...DATES_OUT), hostileString(name, pools, false));
    case 'DateTimeISO':
      if (!hostile) return fc.constantFrom('2023-06-15T08:00:00Z', '2024-01-02T00:00:00+08:00');
      return fc.oneof(fc.constantFrom(...DATE_TIMES), hostileString(name, pools, false));
    default:
      // A scalar this test does not know yet: strings and numbers, hostile ones included.
      return hostile ? fc.oneof(hostileString(name, pools, false), fc.integer()) : plausibleString(name, pools, false);
  }
}

/**
 * A plausible value for an input type. Optional values are sometimes null or left out
 * (`undefined`); cursors are left out, since a made-up one is refused before anything else.
 */
function cleanArbitrary(type: GraphQLInputType, name: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (!isNonNullType(type) && name === 'after') return fc.constant(undefined);
  const inner = cleanValue(getNullableType(type), name, pools, depth);
  if (isNonNullType(type)) return inner;
  return fc.oneof({ weight: 6, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(undefined) });
}

function cleanValue(type: GraphQLInputType, name: string, pools: Pools, depth: number): fc.Arbitrary<unknown> {
  if (isListType(type)) return fc.array(cleanArbitrary(type.ofType, name, pools, depth + 1), { maxLength: 3 });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, cleanArbitrary(f.type, f.name, pools, depth + 1)]))).map(dropUndefined);
  }
  if (isScalarType(type)) return scalarArbitrary(type.name, name, pools, false);
  return fc.constant(null);
}

/**
 * A value that is plausible everywhere but at one leaf, which is hostile: so the hostile value
 * reaches as deep as it can instead of being refused for a neighbour's sake. Null when the type
 * has no leaf that can be hostile (enums and booleans only).
 */
function hostileArbitrary(type: GraphQLInputType, name: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> | null {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const bad = hostileArbitrary(nullable.ofType, name, pools, depth + 1);
    if (!bad) return null;
    return fc
      .tuple(fc.array(cleanValue(getNullableType(nullable.ofType), name, pools, depth + 1), { maxLength: 2 }), bad)
      .map(([good, one]) => [...good, one]);
  }
  if (isInputObjectType(nullable)) {
    if (depth > 3) return null;
    const fields = Object.values(nullable.getFields());
    const options = fields.flatMap((target) => {
      const bad = hostileArbitrary(target.type, target.name, pools, depth + 1);
      if (!bad) return [];
      const shape = Object.fromEntries(fields.map((f) => [f.name, f === target ? bad : cleanArbitrary(f.type, f.name, pools, depth + 1)]));
      return [fc.record(shape).map(dropUndefined)];
    });
    return options.length ? fc.oneof(...options) : null;
  }
  if (isScalarType(nullable) && nullable.name !== 'Boolean') return scalarArbitrary(nullable.name, name, pools, true);
  return null;
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

interface Call {
  query: string;
  variables: Record<string, unknown>;
}

/**
 * An operation calling `field` with variables for all its arguments and, one level down, every
 * field of its result type that takes arguments (so nested arguments are fuzzed too). Half the
 * calls are plausible throughout; the other half carry one hostile value in one variable.
 */
function callArbitrary(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, pools: Pools): fc.Arbitrary<Call> {
  const defs: string[] = [];
  const clean: Record<string, fc.Arbitrary<unknown>> = {};
  const hostile: Record<string, fc.Arbitrary<unknown>> = {};
  const argList = (args: readonly GraphQLArgument[], prefix: string) =>
    args.map((a) => {
      const variable = `${prefix}_${a.name}`;
      defs.push(`$${variable}: ${String(a.type)}`);
      clean[variable] = cleanArbitrary(a.type, a.name, pools);
      const bad = hostileArbitrary(a.type, a.name, pools);
      if (bad) hostile[variable] = bad;
      return `${a.name}: $${variable}`;
    });
  const top = argList(field.args, 'a');
  let selection = '';
  const named = getNamedType(field.type);
  if (isCompositeType(named)) {
    const nested: string[] = ['__typename'];
    if (isObjectType(named)) {
      for (const sub of Object.values(named.getFields())) {
        if (sub.args.length === 0) continue;
        const subNamed = getNamedType(sub.type);
        nested.push(`${sub.name}(${argList(sub.args, `n_${sub.name}`).join(', ')})${isCompositeType(subNamed) ? ' { __typename }' : ''}`);
      }
    }
    selection = ` { ${nested.join(' ')} }`;
  }
  const head = defs.length ? `(${defs.join(', ')})` : '';
  const call = top.length ? `${field.name}(${top.join(', ')})` : field.name;
  const query = `${kind} Fuzz${head} { ${call}${selection} }`;
  const plausible = fc.record(clean).map((variables) => ({ query, variables: dropUndefined(variables) }));
  const targets = Object.keys(hostile);
  if (targets.length === 0) return plausible;
  const attacked = fc.constantFrom(...targets).chain((target) =>
    fc.record({ ...clean, [target]: hostile[target]! }).map((variables) => ({ query, variables: dropUndefined(variables) })),
  );
  return fc.oneof(plausible, attacked);
}

interface Failure {
  field: string;
  viewer: string;
  call: Call;
  problem: string;
  errors?: unknown;
}

function shortCall(call: Call): string {
  return JSON.stringify(call, (k, v) => (k !== 'query' && typeof v === 'string' && v.length > 80 ? `${v.slice(0, 20)}…(${v.length} chars)` : v)).slice(0, 2000);
}

describe.each(drivers)('schema-driven fuzzing on %s', (driver) => {
  let server: TestServer;
  let schema: GraphQLSchema;
  let pools: Pools;
  let viewers: Record<string, Record<string, string>>;

  beforeAll(async () => {
    server = await startTestServer(driver);
    schema = server.app.schema;
    const db = server.handle.db;
    await thinAppeals(server);
    const pick = async (query: string) => rowsOf<{ v: string }>(await db.execute(sql.raw(query))).map((r) => String(r.v));
    const merchantIds = await pick(`select id::text as v from merchants where region_code = '421303' order by id limit 4`);
    pools = {
      ids: [
        ...merchantIds,
        ...(await pick(`select id::text as v from merchants where host_merchant_id is not null order by id limit 2`)),
        ...(await pick(`select id::text as v from compensation_funds order by id limit 2`)),
        ...(await pick(`select id::text as v from fund_ledger_entries where kind = 'PAYOUT' order by id limit 2`)),
        ...(await pick(`select id::text as v from appeals order by id limit 3`)),
        ...(await pick(`select id::text as v from return_pledges order by id limit 2`)),
        ...(await pick(`select id::text as v from demonstration_streets order by id limit 1`)),
        ...(await pick(`select id::text as v from credit_list_entries order by id limit 1`)),
        '00000000-0000-0000-0000-000000000000',
        'not-a-uuid',
      ],
      regionCodes: ['421303', '421300', '421321', '421381', '420100', '000000'],
      usccs: await pick(`select uscc as v from merchants order by id limit 3`),
      categoryCodes: await pick(`select code as v from appeal_categories order by code limit 4`),
    };
    viewers = {
      public: {},
      merchant: await authHeader({ sub: 'fuzz-merchant', role: 'MERCHANT', merchantIds: merchantIds.slice(0, 1) }),
      supervisor: await authHeader({ sub: 'fuzz-supervisor', role: 'SUPERVISOR', regions: ['421300'] }),
    };
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers every generated call without INTERNAL_SERVER_ERROR, and refusals write nothing', async () => {
    const failures: Failure[] = [];
    let calls = 0;
    let refused = 0;
    const tally = new Map<string, number>();
    const roots = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const;
    let seed = SEED;
    // The fingerprint before a call is the one after the previous call, unless that call was an
    // accepted mutation (which may write): then it is taken afresh. Queries are assumed not to
    // write; one that did would show as a change at the next refusal.
    let base: string | undefined;
    for (const [kind, root] of roots) {
      for (const field of Object.values(root!.getFields())) {
        const property = fc.asyncProperty(callArbitrary(kind, field, pools), fc.constantFrom(...Object.keys(viewers)), async (call, viewer) => {
          const before = (base ??= await fingerprint(server));
          const response = await fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...viewers[viewer] },
            body: JSON.stringify(call),
          });
          calls++;
          const text = await response.text();
          let body: GraphQLResponse;
          try {
            body = JSON.parse(text) as GraphQLResponse;
          } catch {
            failures.push({ field: field.name, viewer, call, problem: `HTTP ${response.status}, not JSON: ${text.slice(0, 200)}` });
            return true;
          }
          const internal = (body.errors ?? []).filter((e) => !e.extensions?.code || e.extensions.code === 'INTERNAL_SERVER_ERROR');
          if (internal.length || response.status >= 500) {
            failures.push({ field: field.name, viewer, call, problem: `HTTP ${response.status}`, errors: body.errors });
          }
          const data = body.data as Record<string, unknown> | null | undefined;
          // Refused: the root field itself failed. An error deeper down (a nested field's bad
          // argument nulling a non-null parent) comes after the root resolver has done its work.
          const rootFailed = body.errors?.length && (data == null || data[field.name] == null) && (body.errors ?? []).every((e) => (e.path?.length ?? 0) <= 1);
          if (rootFailed) {
            refused++;
            const code = String(body.errors![0]!.extensions?.code);
            tally.set(code, (tally.get(code) ?? 0) + 1);
            if (process.env.FUZZ_VERBOSE === '2') process.stdout.write(`${field.name} ${viewer} ${code} ${body.errors![0]!.message.slice(0, 120)}\n`);
            const after = await fingerprint(server);
            if (after !== before) failures.push({ field: field.name, viewer, call, problem: 'a refused call changed the database', errors: body.errors });
            base = after;
          } else if (kind === 'mutation') {
            base = undefined;
          }
          return true;
        });
        await fc.assert(property, { numRuns: RUNS_PER_FIELD, seed: seed++, endOnFailure: true });
      }
    }
    // A summary for whoever reads the log: how much was tried.
    if (failures.length) {
      throw new Error(
        `${failures.length} of ${calls} calls failed (${refused} refused):\n` +
          failures
            .slice(0, 15)
            .map((f) => `${f.field} as ${f.viewer}: ${f.problem}\n  ${shortCall(f.call)}\n  ${JSON.stringify(f.errors)?.slice(0, 400)}`)
            .join('\n'),
      );
    }
    expect(calls).toBe(RUNS_PER_FIELD * (Object.keys(roots[0][1]!.getFields()).length + Object.keys(roots[1][1]!.getFields()).length));
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`${driver}: ${calls} calls, ${refused} refused ${JSON.stringify([...tally])}\n`);
  }, 600_000);
});
