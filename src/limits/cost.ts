import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  validate,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/connection';

/**
 * Weights of the fields whose work is far above a lookup, in points (1 point ≈ one merchant
 * looked up by USCC). Measured on PostgreSQL with the demo data (docs/limits.md): the marginal
 * time of one more aliased call, divided by that of one more merchant lookup (≈ 1.2–1.6 ms).
 */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  // Re-rates from all the merchant's records: ~10 for a typical merchant, ~60 with 500 appeals,
  // ~240 for the busiest platform of the seed (1,212 appeals). Priced for a busy merchant.
  'Merchant.ratingAsOf': 100,
  // The current records plus the rating engine run on a copy: ~10 typical, ~80 at the busiest.
  'Merchant.ratingWhatIf': 50,
  // SQL aggregates over a year of appeals: ~45 for a district, ~75 for the city.
  'Query.annualReport': 75,
  // The same aggregates over any period: ~10 for a month, ~100 for the two seeded years.
  'Query.appealStatistics': 100,
  // One ordered scan of the region; each merchant of the sample then counts as a list item.
  'Query.inspectionSample': 5,
  // The rate-limit status is free, as on GitHub.
  'Query.rateLimit': 0,
};

/** Every mutation is a transaction with an audit row and often a re-rating. */
export const MUTATION_WEIGHT = 10;
/** Items assumed for a list without `first` or `size` (pledges, history, street members …). */
export const LIST_SIZE_ESTIMATE = 10;
/**
 * importAppeals: one point per this many CSV lines, on top of MUTATION_WEIGHT. A row takes about
 * 0.7 ms (a lookup's half), so this undercharges, deliberately: the documented 10,000-row import
 * (1,011 points) must fit under the cost limit; the mutation itself caps the rows, and only
 * supervisors and admins may send it.
 */
export const IMPORT_LINES_PER_POINT = 10;
/**
 * Introspection objects are static (the whole schema answers in ~20 ms) but can be nested
 * without end (`fields { type { fields { … } } }`), so they count, at a tenth of a point.
 */
export const INTROSPECTION_WEIGHT = 0.1;
/** Selections the cost walk visits at most (fragment spreads are expanded): a fragment bomb stops here. */
export const MAX_QUERY_NODES = 10_000;

/** Types that come with their connection's rows and cost nothing of their own. */
function isWrapper(type: GraphQLNamedType): boolean {
  if (type.name === 'PageInfo') return true;
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'node' in fields && 'cursor' in fields;
}

function count(value: unknown, fallback: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(0, Math.floor(value)), max);
}

/**
 * The cost of one field, given the cost of its selections (`childComplexity`):
 * - scalars and enums: 0;
 * - an object: its weight (1 unless listed in FIELD_WEIGHTS) plus its selections;
 * - a connection (a field with `first`): 1 + first × its selections (default page size when
 *   absent; values above the maximum page size count as the maximum, and are refused later);
 *   `edges` and `pageInfo` cost nothing of their own, each `node` counts 1;
 * - any other list of objects: weight + n × (1 + its selections), n = `size` or LIST_SIZE_ESTIMATE;
 * - root mutation fields weigh MUTATION_WEIGHT; importAppeals adds a point per ten CSV lines;
 * - introspection objects count INTROSPECTION_WEIGHT instead of 1.
 */
export function fieldCost({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  const named = getNamedType(field.type);
  const key = `${type.name}.${field.name}`;
  const unit = named.name.startsWith('__') ? INTROSPECTION_WEIGHT : 1;
  let weight = FIELD_WEIGHTS[key] ?? (type.name === 'Mutation' ? MUTATION_WEIGHT : unit);
  if (key === 'Mutation.importAppeals' && typeof args.csv === 'string') {
    weight += Math.ceil(lineCount(args.csv) / IMPORT_LINES_PER_POINT);
  }
  if (!isCompositeType(named)) return type.name === 'Mutation' ? weight : 0;
  if (isWrapper(named)) return childComplexity;
  if (field.args.some((arg) => arg.name === 'first')) {
    return weight + count(args.first, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE) * childComplexity;
  }
  if (isListType(getNullableType(field.type))) {
    const items = field.args.some((arg) => arg.name === 'size') ? count(args.size, LIST_SIZE_ESTIMATE) : LIST_SIZE_ESTIMATE;
    return weight + items * (unit + childComplexity);
  }
  return weight + childComplexity;
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Thrown when the walk passes MAX_QUERY_NODES selections (a fragment bomb); the query is refused. */
export class TooManyNodesError extends Error {}

/**
 * The cost of the operation `operationName` (or the only one) of a parsed, valid document.
 * Variables are read as given; a value the operation would refuse leaves its field out of the
 * sum, which is safe because execution refuses it before any resolver runs.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Record<string, unknown> | null,
  operationName?: string | null,
): number {
  let cost = 0;
  const rule = createComplexityRule({
    maximumComplexity: Number.MAX_SAFE_INTEGER,
    estimators: [fieldCost],
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    maxQueryNodes: MAX_QUERY_NODES,
    onComplete: (complexity) => {
      cost = complexity;
    },
  });
  try {
    // Errors it reports (bad variables) are execution's to answer; only the figure matters here.
    validate(schema, document, [rule]);
  } catch (error) {
    // The library throws (rather than reports) when a walk passes maxQueryNodes.
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) {
      throw new TooManyNodesError(`more than ${MAX_QUERY_NODES} selections`);
    }
    throw error;
  }
  return cost;
}
