import postgres from 'postgres';
import type { Db } from '../db';
import { CursorExpiredError } from '../errors';
import type { Logger } from '../logger';
import type { Delivered, EventType } from './events';
import { EVENT_CHANNEL, lastPosition, prunedThrough, readEvents } from './log';

/** What /readyz shows of the event log on this node. */
export interface EventLogStatus {
  /** false while the cross-node listener is disconnected (PGlite: always true). */
  listening: boolean;
  /** The last position this node has read and delivered. */
  seen: number;
  /** The last listener outage this node had: when it began and how long it lasted (ms; null while it lasts). */
  lastOutage: { at: string; ms: number | null } | null;
  /** Reads of the log that found events no wake-up announced (after a reconnect, a restart, a missed NOTIFY). */
  catchUps: number;
}

/**
 * This node's reader of the event log (`src/events/log.ts`): committed changes are written to
 * the log by their own transaction; the node reads the log from the last position it saw and
 * delivers each event once, in order, to its subscribers.
 */
export interface EventBus {
  /**
   * This node's stream of one type of event. With `after` (a position) the events of the log
   * after it come first, then the live ones, with no gap and no repeat at the seam. Throws
   * CURSOR_EXPIRED when events after `after` were pruned.
   */
  subscribe(type: EventType, after?: number): AsyncIterableIterator<Delivered>;
  /** Reads the log now (after a local commit), without waiting for the wake-up. */
  wake(): void;
  /** false while a cross-node listener is disconnected (shown on /readyz). */
  readonly listening: boolean;
  status(): EventLogStatus;
  /** Live streams attached on this node, by event type. */
  subscribers(): Record<EventType, number>;
  close(): Promise<void>;
}

export interface EventBusOptions {
  db: Db;
  log: Logger;
  /** Read the log at least this often even without a wake-up (ms): the safety net under NOTIFY. */
  pollMs: number;
  /**
   * The first wait (ms) before the listener reconnects after its connection dropped; each failed
   * attempt doubles it, up to 5 s or this figure if larger. Default 100.
   */
  reconnectMs?: number;
}

/** An Error of whatever a stream failed with. */
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'event stream failed'));

/** Events read per query while catching up. */
const PAGE = 500;

type Listener = (event: Delivered) => void;

/**
 * Reads the log after `seen`, one read at a time (so every event is delivered once and in
 * order), on every wake-up, every `pollMs` and when asked; hands each event to the listeners of
 * its type, the same object to all of them.
 */
function createReader(options: EventBusOptions, start: number | undefined) {
  const { db, log } = options;
  // Unknown when the database was down at start: the first read that reaches it starts at its
  // end then (no subscriber of this node can be owed anything committed before the node knew).
  let known = start !== undefined;
  let seen = start ?? 0;
  const listeners: Record<EventType, Set<Listener>> = { rating: new Set(), appeal: new Set(), pledge: new Set(), fund: new Set() };
  let reading: Promise<void> | undefined;
  let again = false;
  let announced = seen;
  let catchUps = 0;
  let closed = false;

  const caughtUp = (reason: string, from: number, to: number) => {
    catchUps++;
    log.info({ reason, from, to }, 'event log catch-up');
  };

  const readAll = async (reason: string): Promise<void> => {
    if (!known) {
      seen = await lastPosition(db);
      announced = Math.max(announced, seen);
      known = true;
    }
    const from = seen;
    let delivered = 0;
    for (;;) {
      const page = await readEvents(db, seen, PAGE);
      for (const event of page) {
        seen = event.position;
        delivered++;
        for (const listener of listeners[event.type]) listener(event);
      }
      if (page.length < PAGE) break;
    }
    // The poll finding events no NOTIFY announced (one was lost, or the listener is down) is a catch-up.
    if (delivered > 0 && reason === 'poll' && seen > announced) caughtUp(reason, from, seen);
    announced = Math.max(announced, seen);
  };

  const read = (reason: string): Promise<void> => {
    if (closed) return Promise.resolve();
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      for (let first = true; first || again; first = false) {
        again = false;
        try {
          await readAll(first ? reason : 'again');
        } catch (error) {
          // The next wake-up or poll tries again from the same position: nothing is skipped.
          log.warn({ err: error, seen }, 'reading the event log failed');
          return;
        }
        if (closed) return;
      }
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  const poll = setInterval(() => void read('poll'), options.pollMs);
  poll.unref();

  return {
    read,
    /**
     * The listener is back after an outage: what was committed meanwhile (up to `committed`) and
     * not yet read is a catch-up, read now.
     */
    async catchUp(committed: number) {
      if (committed > seen) caughtUp('reconnect', seen, committed);
      await read('reconnect');
    },
    /** A NOTIFY said the log reached `position`: reading up to it is no catch-up. */
    announce(position: number) {
      if (position > announced) announced = position;
    },
    listen(type: EventType, listener: Listener): () => void {
      listeners[type].add(listener);
      return () => listeners[type].delete(listener);
    },
    get seen() {
      return seen;
    },
    get catchUps() {
      return catchUps;
    },
    counts: (): Record<EventType, number> => ({
      rating: listeners.rating.size,
      appeal: listeners.appeal.size,
      pledge: listeners.pledge.size,
      fund: listeners.fund.size,
    }),
    async close() {
      closed = true;
      clearInterval(poll);
      await reading;
    },
  };
}

type Reader = ReturnType<typeof createReader>;

/**
 * One stream of a type: attached to the live events at once (so nothing is missed while the
 * replay reads), the log's events in (`after`, attach position] first, then the live ones after
 * it. `return()` detaches at once, so a closed socket stops counting without waiting for an event.
 */
function streamOf(reader: Reader, db: Db, type: EventType, after: number | undefined): AsyncIterableIterator<Delivered> {
  const queue: Delivered[] = [];
  let waiting: ((result: IteratorResult<Delivered>) => void) | undefined;
  let failing: ((error: unknown) => void) | undefined;
  let failure: unknown;
  let done = false;
  // Live events wait here until the replay is through; those not after the cursor are dropped.
  let replaying = after !== undefined;
  const held: Delivered[] = [];
  const attachedAt = reader.seen;
  const push = (event: Delivered) => {
    if (done) return;
    if (waiting) {
      const resolve = waiting;
      waiting = failing = undefined;
      resolve({ value: event, done: false });
    } else queue.push(event);
  };
  const detach = reader.listen(type, (event) => {
    if (replaying) held.push(event);
    else if (after === undefined || event.position > after) push(event);
  });
  const fail = (error: unknown) => {
    if (done) return;
    failure = error;
    if (failing) {
      const reject = failing;
      waiting = failing = undefined;
      reject(error);
    }
  };

  if (after !== undefined) {
    void (async () => {
      try {
        if (after < (await prunedThrough(db))) throw new CursorExpiredError(String(after));
        for (let from = after; ; ) {
          const page = await readEvents(db, from, PAGE, { type, through: attachedAt });
          for (const event of page) push(event);
          if (page.length < PAGE) break;
          from = page[page.length - 1]!.position;
        }
        replaying = false;
        for (const event of held.splice(0)) if (event.position > after) push(event);
      } catch (error) {
        fail(error);
      }
    })();
  }

  const finish = (): IteratorResult<Delivered> => {
    if (!done) {
      done = true;
      detach();
      queue.length = 0;
      held.length = 0;
    }
    if (waiting) {
      const resolve = waiting;
      waiting = failing = undefined;
      resolve({ value: undefined, done: true });
    }
    return { value: undefined, done: true };
  };

  return {
    next() {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (failure !== undefined) {
        const error = failure;
        finish();
        return Promise.reject(asError(error));
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failing = (error) => {
          finish();
          reject(asError(error));
        };
      });
    },
    return() {
      return Promise.resolve(finish());
    },
    throw(error?: unknown) {
      finish();
      return Promise.reject(asError(error));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Where a starting node begins reading: the log's end, or unknown while the database is down (the node still starts). */
async function startPosition(options: EventBusOptions): Promise<number | undefined> {
  try {
    return await lastPosition(options.db);
  } catch (error) {
    options.log.warn({ err: error }, 'the event log could not be read at start; reading from its end once the database answers');
    return undefined;
  }
}

/** PGlite serves one process: the log is read after local commits and every `pollMs` (commands beside the server). */
export async function createLocalBus(options: EventBusOptions): Promise<EventBus> {
  const reader = createReader(options, await startPosition(options));
  return {
    subscribe: (type, after) => streamOf(reader, options.db, type, after),
    wake: () => void reader.read('local'),
    listening: true,
    status: () => ({ listening: true, seen: reader.seen, lastOutage: null, catchUps: reader.catchUps }),
    subscribers: reader.counts,
    close: () => reader.close(),
  };
}

/**
 * PostgreSQL: NOTIFY on the log's channel wakes the node, which reads the log. One dedicated
 * connection listens. When it drops (a restart, `pg_terminate_backend`), the node logs it,
 * reports `listening: false` on /readyz, re-issues LISTEN with backoff until it is back, and then
 * reads the log from where it stopped: the events of the outage arrive late, not never. The poll
 * delivers them meanwhile.
 */
export async function createPostgresBus(url: string, options: EventBusOptions): Promise<EventBus> {
  const { log } = options;
  const reader = createReader(options, await startPosition(options));
  let listening = false;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;
  let downSince: number | undefined;
  let lastOutage: EventLogStatus['lastOutage'] = null;
  const firstRetryMs = options.reconnectMs ?? 100;
  const maxRetryMs = Math.max(5000, firstRetryMs);
  // postgres.js's own sql.listen reconnects too, but says nothing when its connection drops;
  // a plain one-connection client with onclose and onnotify lets this node know and say so.
  const listener = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    onnotice: () => undefined,
    // The pid tells operators (and tests) which node's listener a backend is.
    connection: { application_name: `merchant-registry-listener-${process.pid}` },
    onnotify: (channel: string, payload: string) => {
      if (channel !== EVENT_CHANNEL) return;
      const position = Number(payload);
      if (Number.isSafeInteger(position)) reader.announce(position);
      void reader.read('notify');
    },
    onclose: () => {
      if (closing) return;
      if (listening) {
        log.warn({ reconnecting: true, seen: reader.seen }, 'event listener disconnected');
        downSince = Date.now();
        lastOutage = { at: new Date(downSince).toISOString(), ms: null };
      }
      listening = false;
      schedule(firstRetryMs);
    },
  } as postgres.Options<Record<string, postgres.PostgresType>>);

  const connect = async (): Promise<void> => {
    await listener`listen ${listener(EVENT_CHANNEL)}`;
    if (!listening) log.info('event listener connected');
    listening = true;
    if (downSince !== undefined) {
      lastOutage = { at: new Date(downSince).toISOString(), ms: Date.now() - downSince };
      downSince = undefined;
      // Whatever was committed while the listener was deaf is read now, in order.
      void lastPosition(options.db).then(
        (committed) => reader.catchUp(committed),
        () => reader.read('reconnect'),
      );
    }
  };
  const schedule = (delayMs: number) => {
    if (closing || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        log.warn({ err: error, retryInMs: Math.min(delayMs * 2, maxRetryMs) }, 'event listener still down');
        schedule(Math.min(delayMs * 2, maxRetryMs));
      });
    }, delayMs);
    retry.unref();
  };
  await connect();

  return {
    subscribe: (type, after) => streamOf(reader, options.db, type, after),
    wake: () => void reader.read('local'),
    get listening() {
      return listening;
    },
    status: () => ({ listening, seen: reader.seen, lastOutage, catchUps: reader.catchUps }),
    subscribers: reader.counts,
    async close() {
      closing = true;
      if (retry) clearTimeout(retry);
      await reader.close();
      await listener.end({ timeout: 2 });
    },
  };
}
