import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultFieldResolver, getNamedType, isCompositeType, isObjectType, OperationTypeNode, type GraphQLSchema } from 'graphql';
import { TimeoutError } from '../errors';
import type { RateState } from './rate-limit';

/** What the limits know of one request (HTTP) or one WebSocket operation. */
export interface RequestLimits {
  /** Aborted when the client goes away (a WebSocket operation: when its socket closes). */
  signal: AbortSignal;
  /**
   * When the time budget ends (epoch ms), read from the clock before each resolver starts, which
   * also holds on PGlite, where the database runs in this thread and no timer could fire meanwhile.
   */
  deadline: number;
  /** The time budget the deadline was set from, for the refusal's message. */
  budgetMs: number;
  /** The client's address: the public's budget is kept per address. */
  ip: string;
  /** The operation's cost, decided before execution. */
  cost?: number;
  /** The viewer's budget after this request was charged (or looked at, for a dry run). */
  rate?: RateState;
  /** Why the client is gone, if it is, read without making the signal (HTTP requests make it lazily). */
  gone?: () => TimeoutError | undefined;
}

/**
 * Gives one HTTP request an AbortSignal that fires when its client disconnects before the answer
 * is sent, and the deadline resolvers check on the clock (so no timer is set per request).
 */
export function startRequestBudget(res: ServerResponse, timeoutMs: number, ip: string): RequestLimits {
  // Made when first read: most requests end without anyone asking, and a controller per request
  // showed in the lookup's profile.
  let controller: AbortController | undefined;
  let gone: TimeoutError | undefined;
  // 'close' comes after a complete answer too; only an unfinished one means the client left.
  res.once('close', () => {
    if (res.writableFinished) return;
    gone = new TimeoutError('disconnected');
    controller?.abort(gone);
  });
  return {
    get signal() {
      controller ??= new AbortController();
      if (gone && !controller.signal.aborted) controller.abort(gone);
      return controller.signal;
    },
    gone: () => gone,
    deadline: Date.now() + timeoutMs,
    budgetMs: timeoutMs,
    ip,
  };
}

/**
 * The client address of a request or a WebSocket upgrade, read like express's `trust proxy` set
 * to a hop count: the address `hops` proxies back along X-Forwarded-For.
 */
export function clientAddress(request: IncomingMessage, hops: number): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .reverse();
  const chain = [socketAddress, ...forwarded];
  return chain[Math.min(hops, chain.length - 1)]!;
}

/** Why resolvers must not start any more, if they must not. */
function stopReason(limits: RequestLimits): TimeoutError | undefined {
  if (limits.gone) {
    const reason = limits.gone();
    if (reason) return reason;
  } else if (limits.signal.aborted) return limits.signal.reason instanceof TimeoutError ? limits.signal.reason : new TimeoutError('disconnected');
  if (Date.now() >= limits.deadline) return new TimeoutError('timeout', limits.budgetMs);
  return undefined;
}

/**
 * Wraps every resolver that can start work (object fields and fields with arguments) so that
 * it refuses to start, with TIMEOUT, once its request's signal is aborted or its deadline has
 * passed. Plain scalar properties are left alone: they read what was already loaded.
 */
export function stopResolversWhenAborted(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type)) && field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { limits?: RequestLimits } | undefined, info) => {
        // A mutation field is one committed transaction: the answer about it is not cut short,
        // only the mutation fields after it do not start.
        const checked = info.operation.operation !== OperationTypeNode.MUTATION || info.path.prev === undefined;
        const stop = checked && context?.limits && stopReason(context.limits);
        if (stop) throw stop;
        return resolve(source, args, context, info);
      };
    }
  }
}
