import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { execute, GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { LimitsConfig } from '../config';
import type { Context } from '../context';
import { QueryTooComplexError, RateLimitedError } from '../errors';
import { dryRunDocument, isDryRun } from './dry-run';
import { checkDocument, countTokens } from './measure';
import type { RateLimiter, RateState } from './rate-limit';

/** Whole seconds until the window resets (at least 1, so a client never retries at once). */
export function retryAfterOf(state: RateState): number {
  return Math.max(1, Math.ceil((state.resetAt.getTime() - Date.now()) / 1000));
}

/**
 * The IETF draft's headers (draft-ietf-httpapi-ratelimit-headers): the policy (quota `q` in
 * cost points per window of `w` seconds) and the standing (`r` remaining, `t` seconds to reset).
 */
export function rateLimitHeaders(state: RateState): [string, string][] {
  const name = `"${state.policy}"`;
  return [
    ['ratelimit-policy', `${name};q=${state.limit};w=${state.windowS}`],
    ['ratelimit', `${name};r=${state.remaining};t=${retryAfterOf(state)}`],
  ];
}

/** The RATE_LIMITED refusal of a request that did not fit in what remained. */
export function rateLimitedError(state: RateState): RateLimitedError {
  return new RateLimitedError(retryAfterOf(state), state.limit, state.resetAt);
}

/** Gives an error its HTTP status and headers (Apollo reads, then strips, `extensions.http`). */
function overHttp<E extends GraphQLError>(error: E, status: number, state?: RateState): E {
  const headers = new HeaderMap(state ? rateLimitHeaders(state) : []);
  if (status === 429 && state) headers.set('retry-after', String(retryAfterOf(state)));
  (error.extensions as Record<string, unknown>).http = { status, headers };
  return error;
}

export interface LimitsPluginOptions {
  schema: GraphQLSchema;
  config: LimitsConfig;
  rate: RateLimiter;
  /** The server's error formatter, for the answers of dry runs (which this plugin executes). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * Decides every HTTP request's cost before execution and charges it to the viewer's budget:
 * tokens are counted on the text, before parsing; depth, aliases, directives and cost on the
 * parsed operation. A refusal (QUERY_TOO_COMPLEX, HTTP 400; RATE_LIMITED, HTTP 429) runs
 * nothing; a request refused before it was priced (syntax, validation, limits) costs 1 point.
 */
export function limitsPlugin({ schema, config, rate, formatError }: LimitsPluginOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }): Promise<GraphQLRequestListener<Context> | void> {
      const limits = contextValue.limits;
      if (!limits) return;
      const { viewer } = contextValue;
      let dryRun = false;
      let tokenRefusal: QueryTooComplexError | undefined;

      return {
        async didResolveSource({ source }) {
          // Counted before parsing, so a huge text costs no more than the limit. The parser
          // (parseOptions.maxTokens, the same count) then refuses it; the refusal is ours below.
          if (countTokens(source, config.maxTokens) > config.maxTokens) {
            tokenRefusal = new QueryTooComplexError('tokens', config.maxTokens, null);
          }
        },

        async didEncounterErrors({ errors }) {
          // Apollo formats this very array next: its parse error is answered as our refusal.
          if (tokenRefusal) (errors as GraphQLError[]).splice(0, errors.length, overHttp(tokenRefusal, 400));
        },

        async didResolveOperation({ document, operation, request }) {
          // No operation: execution answers that the name is unknown, with nothing run.
          if (!operation) return;
          try {
            limits.cost = checkDocument(schema, document, request.variables, operation.name?.value, config);
          } catch (error) {
            throw error instanceof GraphQLError ? overHttp(error, 400) : error;
          }
          dryRun = isDryRun(operation, request.variables);
          limits.rate = dryRun ? await rate.peek(viewer, limits.ip) : await rate.charge(viewer, limits.ip, Math.max(1, limits.cost));
          if (limits.rate?.limited) throw overHttp(rateLimitedError(limits.rate), 429, limits.rate);
        },

        async responseForOperation({ document, operation, request }) {
          if (!dryRun) return null;
          const result = await execute({
            schema,
            document: dryRunDocument(document, operation),
            contextValue,
            variableValues: request.variables,
            operationName: request.operationName,
          });
          const errors = result.errors?.map((error) => formatError(error.toJSON(), error));
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: result.data, ...(errors ? { errors } : {}) } } };
        },

        async willSendResponse({ response }) {
          // Refused before it was priced (syntax, validation, a limit): it still costs a point.
          limits.rate ??= await rate.charge(viewer, limits.ip, 1);
          if (!limits.rate) return;
          for (const [name, value] of rateLimitHeaders(limits.rate)) response.http.headers.set(name, value);
        },
      };
    },
  };
}
