import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { getOperationAST, GraphQLError, OperationTypeNode, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { LimitsConfig } from '../config';
import { PUBLIC_VIEWER, type Viewer } from '../auth/viewer';
import { QueryTooComplexError, TimeoutError } from '../errors';
import { dryRunDocument, isDryRun } from './dry-run';
import { checkDocument, checkTokens } from './measure';
import { rateLimitedError } from './plugin';
import type { RateLimiter } from './rate-limit';
import { clientAddress, type RequestLimits } from './request';

/** The part of graphql-ws's context the limits read. */
export interface WsLimitsContext {
  readonly subscriptions: Readonly<Record<string, unknown>>;
  readonly extra: { readonly socket: WebSocket; readonly request: IncomingMessage; viewer?: Viewer };
}

export interface WsMessage {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface WsLimitsOptions {
  schema: GraphQLSchema;
  config: LimitsConfig;
  rate: RateLimiter;
}

/** One signal per socket, aborted when it closes: its operations stop starting resolvers. */
const socketSignals = new WeakMap<WebSocket, AbortSignal>();

function socketSignal(socket: WebSocket): AbortSignal {
  let signal = socketSignals.get(socket);
  if (!signal) {
    const controller = new AbortController();
    socket.once('close', () => controller.abort(new TimeoutError('disconnected')));
    signal = controller.signal;
    socketSignals.set(socket, signal);
  }
  return signal;
}

/** The limits `onSubscribe` decided for the execution arguments it returned. */
const decided = new WeakMap<ExecutionArgs, RequestLimits>();

/** The limits decided for these execution arguments, for graphql-ws's `context` to carry. */
export function wsLimitsOf(args: ExecutionArgs): RequestLimits | undefined {
  return decided.get(args);
}

/**
 * graphql-ws `onSubscribe`: the same limits as over HTTP (tokens, depth, aliases, directives,
 * cost, the viewer's budget, charged per subscribe), plus at most
 * `wsMaxSubscriptionsPerConnection` operations at once on one socket. Refusals are answered
 * as the operation's errors and the socket stays open.
 */
export function limitsOnSubscribe({ schema, config, rate }: WsLimitsOptions) {
  return async (ctx: WsLimitsContext, _id: string, payload: WsMessage): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const viewer = ctx.extra.viewer ?? PUBLIC_VIEWER;
    const ip = clientAddress(ctx.extra.request, config.trustProxyHops);
    const refuse = async (errors: readonly GraphQLError[]) => {
      const state = await rate.charge(viewer, ip, 1);
      return state?.limited ? [rateLimitedError(state)] : errors;
    };

    // graphql-ws has reserved this operation's id already, so it counts itself.
    const running = Object.keys(ctx.subscriptions).length;
    if (running > config.wsMaxSubscriptionsPerConnection) {
      return refuse([new QueryTooComplexError('subscriptions', config.wsMaxSubscriptionsPerConnection, running)]);
    }
    let document: DocumentNode;
    try {
      checkTokens(payload.query, config);
      document = parse(payload.query, { maxTokens: config.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return refuse([error]);
      throw error;
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return refuse(invalid);
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return refuse([new GraphQLError('Unable to identify operation')]);
    let cost: number;
    try {
      cost = checkDocument(schema, document, payload.variables, operation.name?.value, config);
    } catch (error) {
      if (error instanceof GraphQLError) return refuse([error]);
      throw error;
    }
    const dryRun = isDryRun(operation, payload.variables);
    const state = dryRun ? await rate.peek(viewer, ip) : await rate.charge(viewer, ip, Math.max(1, cost));
    if (state?.limited) return [rateLimitedError(state)];

    // A subscription lives as long as its socket; a query or mutation has the time budget too.
    const budgetMs = config.requestTimeoutMs;
    const deadline = operation.operation === OperationTypeNode.SUBSCRIPTION ? Number.POSITIVE_INFINITY : Date.now() + budgetMs;
    const args: ExecutionArgs = {
      schema,
      document: dryRun ? dryRunDocument(document, operation) : document,
      operationName: payload.operationName,
      variableValues: payload.variables,
    };
    decided.set(args, { signal: socketSignal(ctx.extra.socket), deadline, budgetMs, ip, cost, rate: state });
    return args;
  };
}
