import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { clientFaultOfDatabaseError } from './db/constraint-errors';
import { databaseFault } from './db/faults';

/** Every `extensions.code` the API answers with. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  /** The query's cost, depth, aliases, directives, tokens or size pass a limit; refused before execution. */
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** The viewer's request budget is spent; `extensions.retryAfter` says when to come back. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The database could not be reached or dropped the connection; retrying later is safe. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** The request passed its time budget or its client went away. */
  TIMEOUT = 'TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /**
   * A subscription's `after` cursor is older than the event log keeps (`EVENT_RETENTION_DAYS`):
   * events after it are gone. Reload the current state and subscribe again without `after`.
   */
  CURSOR_EXPIRED = 'CURSOR_EXPIRED',
}

/** An expected failure, shown to the client as it is. */
export class AppError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = new.target.name;
  }
}

/** Input the API refuses; `field` names the argument path, e.g. `uscc` or `filter.regionCode`. */
export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(message, ErrorCode.BAD_USER_INPUT, field ? { field } : {});
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`, ErrorCode.NOT_FOUND, { id });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(message, ErrorCode.FORBIDDEN);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Invalid or expired token') {
    super(message, ErrorCode.UNAUTHENTICATED);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, ErrorCode.CONFLICT, extensions);
  }
}

/** A subscription asked to resume after a position the event log no longer holds. */
export class CursorExpiredError extends AppError {
  constructor(cursor: string) {
    super(`Cursor ${cursor} is older than the event log keeps; reload and subscribe without after`, ErrorCode.CURSOR_EXPIRED, { cursor });
  }
}

/** What a QUERY_TOO_COMPLEX refusal measured. */
export type LimitMeasure = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost' | 'nodes' | 'bytes' | 'subscriptions';

/** The request passes a limit on its size or cost; nothing of it ran. `actual` is null when unknown. */
export class QueryTooComplexError extends AppError {
  constructor(measure: LimitMeasure, limit: number, actual: number | null) {
    const figure = actual === null ? 'more' : String(actual);
    super(`Query refused: ${measure} ${figure} is over the limit of ${limit}`, ErrorCode.QUERY_TOO_COMPLEX, { measure, limit, actual });
  }
}

/** The viewer's budget for the current window is spent; `retryAfter` is in whole seconds. */
export class RateLimitedError extends AppError {
  constructor(retryAfter: number, limit: number, resetAt: Date) {
    super(`Rate limit of ${limit} points per window reached; retry in ${retryAfter} s`, ErrorCode.RATE_LIMITED, {
      retryAfter,
      limit,
      resetAt: resetAt.toISOString(),
    });
  }
}

/** The request passed its time budget, or its client went away, before this field started. */
export class TimeoutError extends AppError {
  constructor(reason: 'timeout' | 'disconnected', budgetMs?: number) {
    const message = reason === 'timeout' ? `The request passed its time budget of ${budgetMs} ms` : 'The client went away';
    super(message, ErrorCode.TIMEOUT, budgetMs === undefined ? { reason } : { reason, budgetMs });
  }
}

/**
 * The database was unreachable or dropped the connection. A mutation that fails so has rolled
 * back, so the client may send the same request again (with the same idempotency key where the
 * mutation takes one: should the drop have hit the very answer to COMMIT, the retry replays).
 */
export class ServiceUnavailableError extends AppError {
  constructor(message = 'The database is unavailable for a moment; retry the request') {
    super(message, ErrorCode.SERVICE_UNAVAILABLE, { retryable: true });
  }
}

/** A statement ran past `statement_timeout` (SQLSTATE 57014) and was stopped; nothing of it was kept. */
export class StatementTimeoutError extends AppError {
  constructor(message = 'The database took too long to answer; the work was stopped') {
    super(message, ErrorCode.TIMEOUT, { retryable: false });
  }
}

/** The client-facing error for a database fault (lost connection, statement timeout), if it is one. */
export function errorForDatabaseFault(error: unknown): AppError | undefined {
  const fault = databaseFault(error);
  if (!fault) return undefined;
  return fault.kind === 'connection' ? new ServiceUnavailableError() : new StatementTimeoutError();
}

const MASKED: GraphQLFormattedError['extensions'] = { code: ErrorCode.INTERNAL_SERVER_ERROR };

/**
 * The one place unexpected errors are masked, for HTTP and WebSocket alike: GraphQL errors
 * pass; a lost database connection becomes SERVICE_UNAVAILABLE and a statement stopped by
 * `statement_timeout` TIMEOUT (neither is a bug, so neither is reported); a database error that
 * is the client's fault (unique, foreign-key or check violation, bad data) becomes the CONFLICT or
 * BAD_USER_INPUT it should have been; anything else (a bug) becomes a bare INTERNAL_SERVER_ERROR
 * and is reported through `report` with its stack.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  report: (error: unknown) => void,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // A GraphQLError is deliberate: ours (AppError), or graphql-js/Apollo refusing a malformed
  // request or a bad scalar. Anything else escaped a resolver by accident.
  if (original instanceof GraphQLError) return withoutStack(formatted);
  const fault = errorForDatabaseFault(original);
  if (fault) return { message: fault.message, locations: formatted.locations, path: formatted.path, extensions: fault.extensions };
  const client = clientFaultOfDatabaseError(original);
  const mapped = client && new AppError(client.message, ErrorCode[client.code], client.extensions);
  if (mapped) {
    return { message: mapped.message, locations: formatted.locations, path: formatted.path, extensions: { ...mapped.extensions } };
  }
  report(original);
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: MASKED };
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _omit, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/**
 * maskError for errors graphql-ws reports on its own (validation, and a subscription stream that
 * threw, which it wraps in a GraphQLError keeping the thrown error as `originalError`).
 */
export function maskSubscriptionErrors(errors: readonly GraphQLError[], report: (error: unknown) => void): GraphQLFormattedError[] {
  return errors.map((error) => maskError(error.toJSON(), error.originalError ?? error, report));
}
