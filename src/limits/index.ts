import type { ErrorRequestHandler, Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ExecutionArgs, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { LimitsConfig } from '../config';
import type { Context } from '../context';
import type { DbHandle } from '../db';
import type { Logger } from '../logger';
import { QueryTooComplexError } from '../errors';
import { limitsPlugin } from './plugin';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { requestBudget, requestLimitsOf, stopResolversWhenAborted } from './request';
import { limitsOnSubscribe, wsLimitsOf } from './ws';

export type { RequestLimits } from './request';

/** Everything app.ts wires in to bound requests and count them against budgets. */
export interface Limits {
  rate: RateLimiter;
  /** Apollo plugin: tokens, depth, aliases, directives, cost and budget, before execution. */
  plugin: ApolloServerPlugin<Context>;
  /** Apollo `parseOptions`: the parser stops at the token limit too. */
  parseOptions: { maxTokens: number };
  /** Express middleware for /graphql, before the body parser: the request's time budget and signal. */
  budget: ReturnType<typeof requestBudget>;
  /** Express error handler for /graphql: a body over REQUEST_BODY_LIMIT gets a JSON GraphQL error, HTTP 413. */
  bodyTooLarge: ErrorRequestHandler;
  /** Gives an HTTP request's context its limits. */
  attach(context: Context, res: Response): Context;
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
    budget: requestBudget(config.requestTimeoutMs),
    bodyTooLarge: (error: { type?: string; limit?: number; length?: number }, _req, res, next) => {
      if (error?.type !== 'entity.too.large') return next(error);
      const refusal = new QueryTooComplexError('bytes', error.limit ?? config.requestBodyLimit, error.length ?? null);
      res.status(413).json({ errors: [refusal.toJSON()] });
    },
    attach: (context, res) => Object.assign(context, { limits: requestLimitsOf(res) }),
    onSubscribe: limitsOnSubscribe({ schema, config, rate }),
    attachWs: (context, args) => Object.assign(context, { limits: wsLimitsOf(args) }),
    close: () => rate.close(),
  };
}
