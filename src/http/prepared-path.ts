import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  execute,
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { LimitsConfig } from '../config';
import type { Context } from '../context';
import { failedForUnavailability, RETRY_AFTER_SECONDS } from '../db/unavailable';
import { checkOperationInput } from '../graphql/input-guard';
import { isDryRun } from '../limits/dry-run';
import { checkDocument } from '../limits/measure';
import { rateLimitedError, rateLimitHeaders, retryAfterOf } from '../limits/plugin';
import type { RateLimiter } from '../limits/rate-limit';

/** Query texts remembered at most; the oldest is forgotten first. */
const MAX_PREPARED = 1000;
/** Longer texts are never remembered: a hot read is short, and the map's memory stays bounded. */
const MAX_PREPARED_TEXT = 8 * 1024;

/** An answer written by the prepared path, as graphql-http.ts sends it. */
export interface PreparedAnswer {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface PreparedPathOptions {
  schema: GraphQLSchema;
  config: LimitsConfig;
  rate: RateLimiter;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /**
   * GRAPHQL_JIT: run each prepared operation as a function compiled once by graphql-jit rather
   * than by graphql-js's interpreter (the same resolvers, answers and errors); an operation the
   * compiler refuses runs on graphql-js.
   */
  compile?: boolean;
}

/** A prepared text: its document and, per operation name, its compiled form (null: graphql-js runs it). */
interface Prepared {
  document: DocumentNode;
  compiled: Map<string | undefined, CompiledQuery | null>;
}

/**
 * The prepared path: a query whose exact text Apollo has already parsed and validated is run
 * straight by graphql-js, with the same per-request checks (variables, input rules, shape and
 * cost, the viewer's budget), the same error masking and the same HTTP answer as Apollo's
 * pipeline. Apollo's pipeline (hashing the text, a dozen plugin hooks, content negotiation)
 * is skipped: that saved about a third of the server's CPU per lookup (bench/README.md).
 *
 * Anything the path does not handle as Apollo would (a refusal, a variable error, a token that
 * fails, a mutation, a dry run, an unusual `Accept`) is declined before anything is charged or
 * run, and Apollo answers it as before: refusals keep one source.
 */
export class PreparedPath {
  private readonly documents = new Map<string, Prepared>();
  /** Requests answered by this path (tests and operators read it). */
  answered = 0;
  /** Of those, the ones executed by a compiled operation (tests read it). */
  compiledRuns = 0;

  constructor(private readonly options: PreparedPathOptions) {}

  /** Remembers a query text Apollo parsed and validated, as the document it parsed. */
  remember(text: string, document: DocumentNode): void {
    if (text.length > MAX_PREPARED_TEXT || this.documents.has(text)) return;
    if (this.documents.size >= MAX_PREPARED) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(text, { document, compiled: new Map() });
  }

  /** The operation compiled by graphql-jit, compiled on first use; null when it runs on graphql-js. */
  private compiledOf(prepared: Prepared, name: string | undefined): CompiledQuery | null {
    if (!this.options.compile) return null;
    let compiled = prepared.compiled.get(name);
    if (compiled === undefined) {
      try {
        // No stack for errors it makes itself: none is sent, and capturing one costs.
        const result = compileQuery(this.options.schema, prepared.document, name, { disablingCapturingStackErrors: true });
        compiled = isCompiledQuery(result) ? result : null;
      } catch {
        compiled = null;
      }
      prepared.compiled.set(name, compiled);
    }
    return compiled;
  }

  /** Apollo plugin: hands the path every query text that reached a resolved operation. */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ source, document, operation }) => {
          if (operation?.operation === OperationTypeNode.QUERY) this.remember(source, document);
        },
      }),
    };
  }

  /**
   * Answers a parsed JSON POST body when its query is prepared, or returns null (nothing charged,
   * nothing run) for Apollo to answer it. `makeContext` builds the request's context.
   */
  async answer(body: unknown, headers: IncomingHttpHeaders, makeContext: () => Promise<Context>): Promise<PreparedAnswer | null> {
    if (this.documents.size === 0 || body === null || typeof body !== 'object' || Array.isArray(body)) return null;
    const { query, variables, operationName, extensions } = body as Record<string, unknown>;
    if (typeof query !== 'string' || extensions !== undefined) return null;
    const prepared = this.documents.get(query);
    if (!prepared) return null;
    const document = prepared.document;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
    // Apollo answers application/json for these; anything else it negotiates itself.
    const accept = headers.accept;
    if (accept !== undefined && accept !== '*/*' && accept !== 'application/json') return null;

    const { schema, config, rate } = this.options;
    const name = operationName ?? undefined;
    const values = (variables ?? {}) as Record<string, unknown>;
    const operation = getOperationAST(document, name);
    if (!operation || operation.operation !== OperationTypeNode.QUERY || isDryRun(operation, values)) return null;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], values);
    if (coerced.errors) return null;
    if (checkOperationInput(schema, document, name, values, coerced.coerced)) return null;
    let cost: number;
    try {
      cost = checkDocument(schema, document, values, operation.name?.value, config);
    } catch {
      return null;
    }
    let context: Context;
    try {
      context = await makeContext();
    } catch {
      // A token that fails: Apollo answers it (401) from the same context function.
      return null;
    }
    const limits = context.limits;
    if (!limits) return null;

    limits.cost = cost;
    limits.rate = await rate.charge(context.viewer, limits.ip, Math.max(1, cost));
    const head: [string, string][] = limits.rate ? rateLimitHeaders(limits.rate) : [];
    this.answered++;
    if (limits.rate?.limited) {
      const refusal = rateLimitedError(limits.rate);
      head.push(['retry-after', String(retryAfterOf(limits.rate))]);
      return this.reply(429, head, undefined, this.format([refusal]).errors);
    }

    const compiled = this.compiledOf(prepared, name);
    if (compiled) this.compiledRuns++;
    const result = compiled
      ? await compiled.query(undefined, context, values)
      : await execute({ schema, document, operationName: name, variableValues: values, contextValue: context });
    const { errors, status } = result.errors ? this.format(result.errors) : { errors: undefined, status: undefined };
    const data = result.data;
    if (failedForUnavailability(data, errors)) {
      head.push(['retry-after', String(RETRY_AFTER_SECONDS)]);
      return this.reply(503, head, data, errors);
    }
    return this.reply(status ?? 200, head, data, errors);
  }

  private reply(status: number, headers: [string, string][], data: unknown, errors: GraphQLFormattedError[] | undefined): PreparedAnswer {
    // Apollo's order (errors, then data) and its trailing newline, so both paths answer byte for byte alike.
    return { status, headers, body: `${JSON.stringify({ errors, data })}\n` };
  }

  /** Formats errors as Apollo does: a code on each, `extensions.http` taken off into the answer's status. */
  private format(errors: readonly GraphQLError[]): { errors: GraphQLFormattedError[]; status: number | undefined } {
    let status: number | undefined;
    const formatted = errors.map((error) => {
      // graphql-jit's errors leave `extensions` undefined where graphql-js's have {}.
      const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' };
      const http = extensions.http as { status?: unknown } | undefined;
      if (http && typeof http === 'object') {
        if (typeof http.status === 'number') status = http.status;
        delete extensions.http;
      }
      try {
        return this.options.formatError({ ...error.toJSON(), extensions }, asGraphQLJsError(error));
      } catch {
        return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
    });
    return { errors: formatted, status };
  }
}

const NULL_IN_NON_NULL = 'Cannot return null for non-nullable field ';

/**
 * graphql-js reports a null in a non-null field as a plain Error inside the GraphQLError, which
 * the masking takes for an accident ("Internal server error", reported); graphql-jit makes a bare
 * GraphQLError of it. Given as graphql-js has it, the masking treats both alike.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  if (error.originalError != null || !error.message.startsWith(NULL_IN_NON_NULL)) return error;
  return new GraphQLError(error.message, { path: error.path, originalError: new Error(error.message) });
}
