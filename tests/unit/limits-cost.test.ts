import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery, parse, print, validate, type GraphQLSchema } from 'graphql';
import { buildRegistrySchema } from '../../src/schema';
import { loadConfig } from '../../src/config';
import { QueryTooComplexError } from '../../src/errors';
import { queryCost } from '../../src/limits/cost';
import { checkDocument, countTokens } from '../../src/limits/measure';
import { projectRoot } from '../../src/util/project-root';

const defaults = loadConfig({}).limits;
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildRegistrySchema();
});

const cost = (query: string, variables?: Record<string, unknown>) => queryCost(schema, parse(query), variables);
const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

/** The refusal checkDocument throws for `query` under `limits`, as its extensions. */
function refusal(query: string, limits = defaults): Record<string, unknown> | undefined {
  try {
    checkDocument(schema, parse(query), {}, undefined, limits);
    return undefined;
  } catch (error) {
    if (!(error instanceof QueryTooComplexError)) throw error;
    return error.extensions;
  }
}

describe('the cost model', () => {
  it('counts each node of a page once, with the default page size when first is absent', () => {
    expect(cost('{ merchants(first: 100) { edges { node { name } } } }')).toBe(101);
    expect(cost('{ merchants { edges { node { name } } } }')).toBe(21);
    // totalCount, pageInfo and cursors come with the page.
    expect(cost('{ merchants(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } } }')).toBe(101);
    expect(cost('query ($n: Int) { merchants(first: $n) { edges { node { name } } } }', { n: 5 })).toBe(6);
  });

  it('multiplies nested pages: a first: 100 list nested twice costs 10,201', () => {
    expect(cost('{ merchants(first: 100) { edges { node { tenants(first: 100) { edges { node { name } } } } } } }')).toBe(1 + 100 * (1 + 1 + 100));
  });

  it('prices the tenants nesting of issue 10 above a million', () => {
    const level = 'tenants(first: 100) { edges { node { name host { ';
    const query = `{ merchant(uscc: "X") { ${level}${level}tenants(first: 100) { edges { node { name } } }${' } } } }'.repeat(2)} } }`;
    expect(cost(query)).toBe(1_030_302);
  });

  it('weighs the expensive fields by their measured work', () => {
    expect(cost('{ merchant(uscc: "X") { ratingAsOf(date: "2024-06-30") { score } } }')).toBe(101);
    expect(cost('{ merchant(uscc: "X") { ratingWhatIf(changes: []) { scoreDelta } } }')).toBe(51);
    expect(cost('{ annualReport(year: 2023) { total } }')).toBe(75);
    expect(cost('{ appealStatistics(from: "2023-01-01", to: "2023-12-31") { total } }')).toBe(100);
    expect(cost('{ inspectionSample(regionCode: "421303", seed: "s", size: 50) { name } }')).toBe(5 + 50);
    expect(cost(`{ ${times(100, (i) => `a${i}: merchant(uscc: "X") { ratingAsOf(date: "2024-06-30") { score } }`)} }`)).toBe(10_100);
    expect(cost(`{ ${times(200, (i) => `a${i}: annualReport(year: 2023) { total }`)} }`)).toBe(15_000);
  });

  it('assumes ten items for a list without first or size, and counts them', () => {
    expect(cost('{ merchant(uscc: "X") { pledges { id } } }')).toBe(1 + 1 + 10 * 1);
  });

  it('weighs mutations, and importAppeals by its CSV lines', () => {
    expect(cost('mutation { enrollOnSettlementPlatform(merchantId: "x") { startedAt } }')).toBe(10 + 0);
    const csv = ['header', ...Array.from({ length: 1000 }, (_, i) => `row-${i}`)].join('\n');
    expect(cost('mutation ($csv: String!) { importAppeals(csv: $csv) { read } }', { csv })).toBe(10 + Math.ceil(1001 / 10));
  });

  it('lets introspection through and refuses introspection nested without end', () => {
    expect(cost(getIntrospectionQuery())).toBeLessThan(defaults.maxCost);
    const nested = `{ __schema { types { ${'fields { type { '.repeat(6)}name${' } }'.repeat(6)} } } }`;
    expect(refusal(nested)).toMatchObject({ measure: 'cost' });
  });
});

describe('the shape limits', () => {
  it('name the measure, the limit and the figure', () => {
    expect(refusal(`{ merchant(uscc: "X") { ${'host { '.repeat(10)}name${' }'.repeat(10)} } }`)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'depth', limit: 10, actual: 12 });
    expect(refusal(`{ ${times(31, (i) => `a${i}: __typename`)} }`)).toBeUndefined(); // __typename aliases are free
    expect(refusal(`{ ${times(31, (i) => `a${i}: merchant(uscc: "X") { name }`)} }`)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'aliases', limit: 30, actual: 31 });
    expect(refusal(`{ ${times(21, () => '__typename @include(if: true)')} }`)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'directives', limit: 20, actual: 21 });
  });

  it('stop a fragment bomb by the selections it expands to', () => {
    const fragments = Array.from({ length: 14 }, (_, i) => `fragment F${i} on Merchant { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const query = `{ merchant(uscc: "X") { ...F0 } } ${fragments} fragment F14 on Merchant { name }`;
    expect(validate(schema, parse(query))).toEqual([]);
    // Each spread is a level to the depth rule too; lifted here to reach the walk's own bound.
    expect(refusal(query, { ...defaults, maxDepth: 100 })).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'nodes', limit: 10_000, actual: null });
  });

  it('count tokens as the parser does, comments aside, and stop counting past the limit', () => {
    expect(countTokens('{ merchant(uscc: "X") { name } }', 100)).toBe(11);
    expect(countTokens(`# ${'x'.repeat(100_000)}\n{ __typename }`, 100)).toBe(3);
    expect(countTokens('{ __typename } '.repeat(100_000), 50)).toBe(51);
  });
});

describe('the default limits', () => {
  it('let every query of the README through', () => {
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/…/g, 'X'));
    // Each block is a document of several operations (with `# as …` comments the README test reads).
    const operations = blocks.flatMap((block) => parse(block).definitions.map((definition) => print(definition)));
    expect(operations.length).toBeGreaterThan(20);
    for (const text of operations) {
      const document = parse(text);
      expect(validate(schema, document)).toEqual([]);
      expect(countTokens(text, defaults.maxTokens)).toBeLessThanOrEqual(defaults.maxTokens);
      expect({ text, refusal: refusal(text) }).toEqual({ text, refusal: undefined });
    }
  });
});
