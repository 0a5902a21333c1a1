import type postgres from 'postgres';

/**
 * postgres.js codes and PostgreSQL SQLSTATEs that mean the connection, not the statement, failed:
 * the same statement can succeed on another connection a moment later.
 */
const CONNECTION_CODES = new Set([
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  // Node sockets
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  // PostgreSQL: admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now,
  // idle_in_transaction_session_timeout (the session is gone), too_many_connections
  '57P01',
  '57P02',
  '57P03',
  '25P03',
  '53300',
]);

/** SQLSTATE query_canceled: statement_timeout (or a cancel request) stopped the statement. */
const QUERY_CANCELED = '57014';

function codeOf(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The error and the errors it wraps: drizzle wraps driver errors as `cause`; graphql-js wraps a
 * thrown value that is not an `Error` of its own realm (as in a test VM) as `thrownValue`.
 */
function* causes(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    yield current;
    queue.push((current as { cause?: unknown }).cause, (current as { thrownValue?: unknown }).thrownValue);
  }
}

/** The database fault behind an error, if any: its connection was lost, or its statement timed out. */
export type DatabaseFault = { kind: 'connection'; code: string } | { kind: 'timeout'; code: string };

/**
 * Classifies an error (or what it wraps) as a database fault: a lost or refused connection
 * (postgres.js codes, socket errors, SQLSTATE 08xxx and 57P0x) or a statement stopped by
 * `statement_timeout` (57014). Anything else is not a fault of the database's availability.
 */
export function databaseFault(error: unknown): DatabaseFault | undefined {
  for (const candidate of causes(error)) {
    const code = codeOf(candidate);
    if (!code) continue;
    if (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return { kind: 'connection', code };
    if (code === QUERY_CANCELED) return { kind: 'timeout', code };
  }
  return undefined;
}

/** True when the error (or what it wraps) means the database connection was lost or refused. */
export function isConnectionError(error: unknown): boolean {
  return databaseFault(error)?.kind === 'connection';
}

/**
 * A single statement that only reads: SELECT, or WITH … SELECT without a data-modifying part.
 * Outside a transaction such a statement can be sent again without any effect of the first try
 * having been kept. Conservative: any INSERT/UPDATE/DELETE/MERGE keyword disqualifies it.
 */
export function isReadOnlyStatement(query: string): boolean {
  let known = readOnlyByText.get(query);
  if (known === undefined) {
    known = classify(query);
    // The texts are the code's own, so this stays small; the cap guards against one that is not.
    if (readOnlyByText.size >= 2000) readOnlyByText.clear();
    readOnlyByText.set(query, known);
  }
  return known;
}

const readOnlyByText = new Map<string, boolean>();

function classify(query: string): boolean {
  const text = query.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').trimStart();
  if (!/^(select|with)\b/i.test(text)) return false;
  if (/\b(insert|update|delete|merge|copy|call|do|nextval|setval|pg_advisory\w*|pg_notify|pg_terminate_backend|pg_cancel_backend|set_config)\b/i.test(text)) return false;
  // SELECT … FOR UPDATE/SHARE takes row locks: harmless outside a transaction, but not "a read".
  if (/\bfor\s+(update|no\s+key\s+update|share|key\s+share)\b/i.test(text)) return false;
  return !/;\s*\S/.test(text);
}

/** What one process's PostgreSQL pool has been through, for `/readyz`. */
export interface PoolStats {
  /** Configured maximum number of connections. */
  max: number;
  /** Statements sent outside transactions that have not answered yet. */
  statementsInFlight: number;
  /** Transactions in progress (each holds one connection until it ends). */
  transactionsInFlight: number;
  /** Connections the pool has seen close since start (postgres.js `onclose`). */
  connectionsClosed: number;
  /** Reads that met a lost connection and were sent once more. */
  readsRetried: number;
  connectionErrors: {
    /** Statements and transactions that failed because their connection was lost, since start. */
    total: number;
    /** The same within the last minute. */
    lastMinute: number;
    /** ISO time and code of the most recent one. */
    lastAt?: string;
    lastCode?: string;
  };
}

const WINDOW_MS = 60_000;

/** Counts what `/readyz` reports about the pool; fed by the wrapped client and postgres.js callbacks. */
export class PoolMonitor {
  statementsInFlight = 0;
  transactionsInFlight = 0;
  connectionsClosed = 0;
  readsRetried = 0;
  private errorsTotal = 0;
  private recentErrors: number[] = [];
  private last?: { at: number; code: string };

  constructor(readonly max: number) {}

  /** Records a failure if it was a lost connection. */
  noteError(error: unknown): void {
    const fault = databaseFault(error);
    if (fault?.kind !== 'connection') return;
    const now = Date.now();
    this.errorsTotal++;
    this.recentErrors.push(now);
    if (this.recentErrors.length > 1000) this.recentErrors.splice(0, this.recentErrors.length - 1000);
    this.last = { at: now, code: fault.code };
  }

  /** A snapshot for `/readyz`. */
  stats(): PoolStats {
    const since = Date.now() - WINDOW_MS;
    this.recentErrors = this.recentErrors.filter((t) => t >= since);
    return {
      max: this.max,
      statementsInFlight: this.statementsInFlight,
      transactionsInFlight: this.transactionsInFlight,
      connectionsClosed: this.connectionsClosed,
      readsRetried: this.readsRetried,
      connectionErrors: {
        total: this.errorsTotal,
        lastMinute: this.recentErrors.length,
        ...(this.last ? { lastAt: new Date(this.last.at).toISOString(), lastCode: this.last.code } : {}),
      },
    };
  }
}

/** Pause before the one retry of a read, so that the pool has noticed the closed connection. */
const RETRY_PAUSE_MS = 20;

type UnsafeArgs = Parameters<postgres.Sql['unsafe']>;

/**
 * A lazily run statement with the two shapes drizzle uses: awaited directly (row objects) or
 * through `.values()` (row arrays).
 */
class Statement implements PromiseLike<unknown> {
  private asValues = false;
  private running?: Promise<unknown>;

  constructor(private readonly run: (asValues: boolean) => Promise<unknown>) {}

  values(): this {
    this.asValues = true;
    return this;
  }

  then<A = unknown, B = never>(onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.running ??= this.run(this.asValues);
    return this.running.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<unknown> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<unknown> {
    this.running ??= this.run(this.asValues);
    return this.running.finally(onFinally);
  }
}

/**
 * drizzle asks postgres.js for unnamed statements (`prepare: false`), which PostgreSQL parses and
 * plans on every call and which cost a Describe round trip first when they have parameters. Named,
 * each distinct text is parsed once per connection; the texts are the code's own (values are
 * parameters), so the set stays small.
 */
function preparing(args: UnsafeArgs): UnsafeArgs {
  return [args[0], args[1], { ...args[2], prepare: true }];
}

type ScopeCallback = (scope: postgres.TransactionSql) => unknown;

/** A `begin`/`savepoint` callback whose transaction client prepares what drizzle sends through it. */
function preparedScope(arg: unknown): unknown {
  if (typeof arg !== 'function') return arg;
  const callback = arg as ScopeCallback;
  return (scope: postgres.TransactionSql) => callback(preparedTransaction(scope));
}

function preparedTransaction(tx: postgres.TransactionSql): postgres.TransactionSql {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === 'unsafe') return (...args: UnsafeArgs) => target.unsafe(...preparing(args));
      if (property === 'savepoint') {
        return (...args: unknown[]) => (target.savepoint as (...a: unknown[]) => Promise<unknown>)(...args.map(preparedScope));
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/**
 * The postgres.js client drizzle is given: every statement drizzle sends outside a transaction
 * goes through `unsafe`, and every transaction through `begin`, so wrapping those two is where
 * "a single read outside any transaction" is known exactly. Such a read that meets a lost
 * connection is sent once more (the pool reconnects or picks another connection); everything else
 * — writes, transactions, statements inside a transaction (they use the transaction's own client,
 * not this one) — fails as it is, and the client decides whether to retry. Connection failures
 * and in-flight work are counted on `monitor`.
 */
export function withReadRetry(sql: postgres.Sql, monitor: PoolMonitor, options: { prepare: boolean } = { prepare: false }): postgres.Sql {
  const { prepare } = options;
  const unsafe = (...args: UnsafeArgs) => {
    const retry = isReadOnlyStatement(args[0]);
    const sent = prepare ? preparing(args) : args;
    return new Statement(async (asValues) => {
      const attempt = async () => {
        const query = sql.unsafe(...sent);
        return asValues ? await query.values() : await query;
      };
      monitor.statementsInFlight++;
      try {
        try {
          return await attempt();
        } catch (error) {
          monitor.noteError(error);
          if (!retry || !isConnectionError(error) || databaseFault(error)?.code === 'CONNECTION_ENDED') throw error;
          monitor.readsRetried++;
          // A socket reports 'error' a tick before 'close'; sent at once, the read could land on
          // the same dead connection before the pool has seen it close.
          await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
          return await attempt().catch((again: unknown) => {
            monitor.noteError(again);
            throw again;
          });
        }
      } finally {
        monitor.statementsInFlight--;
      }
    });
  };
  const begin = async (...args: unknown[]) => {
    monitor.transactionsInFlight++;
    try {
      return await (sql.begin as (...a: unknown[]) => Promise<unknown>)(...(prepare ? args.map(preparedScope) : args));
    } catch (error) {
      monitor.noteError(error);
      throw error;
    } finally {
      monitor.transactionsInFlight--;
    }
  };
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') return unsafe;
      if (property === 'begin') return begin;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
