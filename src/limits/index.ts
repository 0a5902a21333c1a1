import type { ApolloServerPlugin } from '@apollo/server';
import type { ExecutionArgs, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { LimitsConfig } from '../config';
import type { Context } from '../context';
import type { DbHandle } from '../db';
import type { Logger } from '../logger';
import { limitsPlugin } from './plugin';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { stopResolversWhenAborted, type RequestLimits } from './request';
import { limitsOnSubscribe, wsLimitsOf } from './ws';

export type { RequestLimits } from './request';

/** Everything app.ts wires in to bound requests and count them against budgets. */
export interface Limits {
  rate: RateLimiter;
  /** Apollo plugin: tokens, depth, aliases, directives, cost and budget, before execution. */
  plugin: ApolloServerPlugin<Context>;
  /** Apollo `parseOptions`: the parser stops at the token limit too. */
  parseOptions: { maxTokens: number };
  /** Gives an HTTP request's context its limits (src/http/graphql-http.ts starts them). */
  attach(context: Context, limits: RequestLimits): Context;
  /** graphql-ws `onSubscribe`: the same limits, per operation and per socket. */
  onSubscribe: ReturnType<typeof limitsOnSubscribe>;
  /** Gives a graphql-ws operation's context the limits `onSubscribe` decided. */
  attachWs(context: Context, args: ExecutionArgs): Context;
  close(): void;
}

export interface CreateLimitsOptions {
  config: LimitsConfig;
  schema: GraphQLSchema;
  handle: DbHandle;
  log: Logger;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** Opens the budgets' store and makes the limits' hooks; resolvers of `schema` learn to stop when aborted. */
export async function createLimits({ config, schema, handle, log, formatError }: CreateLimitsOptions): Promise<Limits> {
  const rate = await createRateLimiter(config, handle, log);
  stopResolversWhenAborted(schema);
  return {
    rate,
    plugin: limitsPlugin({ schema, config, rate, formatError }),
    parseOptions: { maxTokens: config.maxTokens },
    attach: (context, limits) => Object.assign(context, { limits }),
    onSubscribe: limitsOnSubscribe({ schema, config, rate }),
    attachWs: (context, args) => Object.assign(context, { limits: wsLimitsOf(args) }),
    close: () => rate.close(),
  };
}
