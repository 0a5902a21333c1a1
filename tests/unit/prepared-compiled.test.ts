import {
  GraphQLEnumType,
  GraphQLError,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  validate,
} from 'graphql';
import { loadConfig } from '../../src/config';
import type { Context } from '../../src/context';
import { AppError, ErrorCode, maskError } from '../../src/errors';
import { PreparedPath } from '../../src/http/prepared-path';
import type { RateLimiter } from '../../src/limits/rate-limit';

/**
 * The compiled execution of the prepared path (graphql-jit) against graphql-js's, on a schema
 * made to fail in every way a resolver can: both must write the same bytes, mask the same way
 * and report the same accidents. The registry's own queries are compared over HTTP in
 * tests/integration/prepared-path.test.ts.
 */
const Grade = new GraphQLEnumType({ name: 'Grade', values: { A: { value: 'a' }, B: { value: 'b' } } });
const Item = new GraphQLObjectType({
  name: 'Item',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLInt) },
    label: { type: GraphQLString },
    grade: { type: Grade },
    must: { type: new GraphQLNonNull(GraphQLString), resolve: (item: { id: number }) => (item.id === 2 ? null : `must ${item.id}`) },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, args: { name: { type: new GraphQLNonNull(GraphQLString) } }, resolve: (_root, args: { name: string }) => `hello ${args.name}` },
      asyncHello: { type: GraphQLString, resolve: async () => 'later' },
      items: {
        type: new GraphQLList(Item),
        args: { n: { type: GraphQLInt, defaultValue: 3 } },
        resolve: async (_root, args: { n: number }) => Array.from({ length: args.n }, (_, i) => ({ id: i + 1, label: i % 2 ? null : `item ${i + 1}`, grade: i % 2 ? 'b' : 'a' })),
      },
      accident: { type: GraphQLString, resolve: () => Promise.reject(new TypeError('secret detail')) },
      refused: { type: GraphQLString, resolve: () => { throw new AppError('Not for you', ErrorCode.FORBIDDEN); } },
      plainGraphQLError: { type: GraphQLString, resolve: () => { throw new GraphQLError('plain'); } },
    },
  }),
});

const limits = loadConfig({}).limits;
const rate: RateLimiter = { charge: async () => undefined } as unknown as RateLimiter;

function path(compile: boolean) {
  const reported: unknown[] = [];
  const prepared = new PreparedPath({
    schema,
    config: limits,
    rate,
    compile,
    formatError: (formatted, error) => maskError(formatted, error, (e) => reported.push(e)),
  });
  return { prepared, reported };
}

const context = async () =>
  ({ viewer: { role: 'PUBLIC' }, limits: { signal: new AbortController().signal, deadline: Date.now() + 60_000, budgetMs: 60_000, ip: '127.0.0.1' } }) as unknown as Context;

async function both(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const compiled = path(true);
  const interpreted = path(false);
  compiled.prepared.remember(query, document);
  interpreted.prepared.remember(query, document);
  const body = { query, variables, operationName };
  const [a, b] = [await compiled.prepared.answer(body, {}, context), await interpreted.prepared.answer(body, {}, context)];
  return { compiled: a, interpreted: b, compiledRuns: compiled.prepared.compiledRuns, reported: [compiled.reported, interpreted.reported] };
}

describe('the prepared path compiled by graphql-jit', () => {
  it.each([
    ['arguments from variables', 'query Q($name: String!) { hello(name: $name) }', { name: 'world' }],
    ['an inline argument and an alias', '{ a: hello(name: "x") b: asyncHello }', undefined],
    ['a list with nulls and enums, by default and by variable', 'query L($n: Int) { items { id label grade } more: items(n: $n) { id } }', { n: 5 }],
    ['a non-null field that returns null', '{ items { id must } }', undefined],
    ['a GraphQLError with a code', '{ refused hello(name: "y") }', undefined],
    ['a GraphQLError without one', '{ plainGraphQLError }', undefined],
    ['fragments and @skip / @include', 'query F($yes: Boolean!) { items(n: 2) { ...I label @include(if: $yes) grade @skip(if: $yes) } } fragment I on Item { id }', { yes: true }],
  ])('answers %s byte for byte as graphql-js does', async (_name, query, variables) => {
    const { compiled, interpreted, compiledRuns } = await both(query, variables);
    expect(compiledRuns).toBe(1);
    expect(compiled).not.toBeNull();
    expect(compiled).toEqual(interpreted);
  });

  it('masks an accident as graphql-js does and reports the same error', async () => {
    const { compiled, interpreted, reported } = await both('{ accident hello(name: "z") }');
    expect(compiled).toEqual(interpreted);
    expect(JSON.parse(compiled!.body).errors).toEqual([
      { message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['accident'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(compiled!.body).not.toContain('secret');
    expect(reported[0]).toHaveLength(1);
    expect(String(reported[0]![0])).toBe(String(reported[1]![0]));
  });

  it('picks the operation by name in a document of several', async () => {
    const query = 'query One { asyncHello } query Two($name: String!) { hello(name: $name) }';
    const { compiled, interpreted } = await both(query, { name: 'two' }, 'Two');
    expect(compiled).toEqual(interpreted);
    expect(JSON.parse(compiled!.body)).toEqual({ data: { hello: 'hello two' } });
  });

  it('runs on graphql-js when GRAPHQL_JIT is off', async () => {
    const { prepared } = path(false);
    const query = '{ asyncHello }';
    prepared.remember(query, parse(query));
    expect(await prepared.answer({ query }, {}, context)).toMatchObject({ status: 200, body: '{"data":{"asyncHello":"later"}}\n' });
    expect(prepared.compiledRuns).toBe(0);
    expect(prepared.answered).toBe(1);
  });
});
