import { Lexer, Source, TokenKind, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { LimitsConfig } from '../config';
import { QueryTooComplexError, type LimitMeasure } from '../errors';
import { queryCost, MAX_QUERY_NODES, TooManyNodesError } from './cost';

export type QueryLimits = Pick<LimitsConfig, 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens' | 'maxCost'>;

/**
 * Counts the lexical tokens of a query text the way graphql's parser does for `maxTokens`
 * (comments do not count), stopping at `stopAfter`: a huge text costs no more than that.
 * An unlexable text counts what was read so far; the parser then reports the syntax error.
 */
export function countTokens(text: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  try {
    while (tokens <= stopAfter && lexer.advance().kind !== TokenKind.EOF) tokens++;
  } catch {
    // a syntax error: the parser will say so with its position
  }
  return tokens;
}

/** Refuses a query text of more than `maxTokens` tokens, before it is parsed. */
export function checkTokens(text: string, limits: Pick<QueryLimits, 'maxTokens'>): void {
  const tokens = countTokens(text, limits.maxTokens);
  // Counting stopped one past the limit, so the true figure is unknown (and irrelevant).
  if (tokens > limits.maxTokens) throw new QueryTooComplexError('tokens', limits.maxTokens, null);
}

type ArmorRule = (options: {
  n: number;
  exposeLimits: boolean;
  propagateOnRejection: boolean;
  onReject: ((context: ValidationContext, error: GraphQLError) => void)[];
}) => (context: ValidationContext) => unknown;

const SHAPE_RULES: readonly [LimitMeasure, ArmorRule, keyof QueryLimits][] = [
  ['depth', maxDepthRule as ArmorRule, 'maxDepth'],
  ['aliases', maxAliasesRule as ArmorRule, 'maxAliases'],
  ['directives', maxDirectivesRule as ArmorRule, 'maxDirectives'],
];

/**
 * Depth, aliases and directives of a parsed document, by graphql-armor's rules. The rules
 * report only a message ("… limit of 10 exceeded, found 13."), so the figure is read from it.
 */
function checkShape(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): void {
  let refusal: QueryTooComplexError | undefined;
  const rules = SHAPE_RULES.map(([measure, rule, key]) =>
    rule({
      n: limits[key],
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [
        (_context, error) => {
          const found = /found (\d+)/.exec(error.message);
          refusal ??= new QueryTooComplexError(measure, limits[key], found ? Number(found[1]) : null);
        },
      ],
    }),
  );
  validate(schema, document, rules as Parameters<typeof validate>[2]);
  if (refusal) throw refusal;
}

/**
 * Checks a parsed, valid document against every limit but tokens (checked on the text) and
 * returns its cost; throws QueryTooComplexError naming the first limit passed.
 */
export function checkDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  limits: QueryLimits,
): number {
  checkShape(schema, document, limits);
  let cost: number;
  try {
    cost = Math.ceil(queryCost(schema, document, variables, operationName));
  } catch (error) {
    if (error instanceof TooManyNodesError) throw new QueryTooComplexError('nodes', MAX_QUERY_NODES, null);
    throw error;
  }
  if (cost > limits.maxCost) throw new QueryTooComplexError('cost', limits.maxCost, cost);
  return cost;
}
