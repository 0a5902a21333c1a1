import { Kind, Lexer, Source, TokenKind, validate, visit, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
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
  // Clients send the same few texts again and again; a text is lexed once (small texts only).
  const key = text.length <= 20_000 ? `${stopAfter}:${text}` : undefined;
  const known = key === undefined ? undefined : tokensByText.get(key);
  if (known !== undefined) return known;
  const tokens = lexTokens(text, stopAfter);
  if (key !== undefined) {
    if (tokensByText.size >= 1000) tokensByText.clear();
    tokensByText.set(key, tokens);
  }
  return tokens;
}

const tokensByText = new Map<string, number>();

function lexTokens(text: string, stopAfter: number): number {
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

/** The arguments `fieldCost` reads; a variable anywhere else cannot change the cost. */
const PRICED_ARGUMENTS = new Set(['first', 'size', 'csv']);
/** Cost keys longer than this (a CSV in a variable) are priced every time rather than kept. */
const MAX_COST_KEY = 1000;
/** Costs kept per document: the distinct page sizes a client sends, not its every variable. */
const MAX_COSTS_PER_DOCUMENT = 256;

/** What one document's checks found, kept while the document is (Apollo keeps parsed documents). */
interface DocumentFacts {
  shape?: { refusal: QueryTooComplexError | null };
  /** Variables that reach a priced argument or a directive (`@skip(if: $x)` changes what is counted). */
  pricedVariables?: string[];
  costs: Map<string, number | QueryTooComplexError>;
}

const factsByLimits = new WeakMap<object, WeakMap<DocumentNode, DocumentFacts>>();

function factsOf(document: DocumentNode, limits: QueryLimits): DocumentFacts {
  let byDocument = factsByLimits.get(limits);
  if (!byDocument) factsByLimits.set(limits, (byDocument = new WeakMap()));
  let facts = byDocument.get(document);
  if (!facts) byDocument.set(document, (facts = { costs: new Map() }));
  return facts;
}

function pricedVariablesOf(document: DocumentNode): string[] {
  const names = new Set<string>();
  let depth = 0;
  visit(document, {
    Argument: {
      enter(node) {
        if (PRICED_ARGUMENTS.has(node.name.value)) depth++;
      },
      leave(node) {
        if (PRICED_ARGUMENTS.has(node.name.value)) depth--;
      },
    },
    Directive: {
      enter() {
        depth++;
      },
      leave() {
        depth--;
      },
    },
    Variable(node, _key, parent) {
      // A variable's own definition (`$x: Int`) is not a use of it.
      if (depth > 0 && (parent as { kind?: string } | undefined)?.kind !== Kind.VARIABLE_DEFINITION) names.add(node.name.value);
    },
  });
  return [...names].sort();
}

function priceOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | null | undefined, operationName: string | null | undefined, limits: QueryLimits): number {
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

/**
 * Checks a parsed, valid document against every limit but tokens (checked on the text) and
 * returns its cost; throws QueryTooComplexError naming the first limit passed. The shape is
 * checked once per document and the cost once per document and priced variables' values: the
 * same lookup sent again with another USCC walks nothing.
 */
export function checkDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  limits: QueryLimits,
): number {
  const facts = factsOf(document, limits);
  if (!facts.shape) {
    try {
      checkShape(schema, document, limits);
      facts.shape = { refusal: null };
    } catch (error) {
      if (!(error instanceof QueryTooComplexError)) throw error;
      facts.shape = { refusal: error };
    }
  }
  if (facts.shape.refusal) throw copyOf(facts.shape.refusal);

  facts.pricedVariables ??= pricedVariablesOf(document);
  const key = JSON.stringify([operationName ?? null, ...facts.pricedVariables.map((name) => variables?.[name] ?? null)]);
  if (key.length > MAX_COST_KEY) return priceOf(schema, document, variables, operationName, limits);
  let known = facts.costs.get(key);
  if (known === undefined) {
    try {
      known = priceOf(schema, document, variables, operationName, limits);
    } catch (error) {
      if (!(error instanceof QueryTooComplexError)) throw error;
      known = error;
    }
    if (facts.costs.size >= MAX_COSTS_PER_DOCUMENT) facts.costs.clear();
    facts.costs.set(key, known);
  }
  if (known instanceof QueryTooComplexError) throw copyOf(known);
  return known;
}

/** A kept refusal is thrown as a fresh error: its handlers add per-request details to it. */
function copyOf(refusal: QueryTooComplexError): QueryTooComplexError {
  const { measure, limit, actual } = refusal.extensions as { measure: LimitMeasure; limit: number; actual: number | null };
  return new QueryTooComplexError(measure, limit, actual);
}
