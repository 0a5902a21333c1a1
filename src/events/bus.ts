import { createPubSub } from '@graphql-yoga/subscription';
import postgres from 'postgres';
import type { Logger } from '../logger';
import { NOTIFY_LIMIT_BYTES, type Delivered, type EventType, type RegistryEvent } from './events';

/** Where committed mutations announce what changed, and where subscriptions listen. */
export interface EventBus {
  /** Announces committed changes to every node (this one included). */
  publish(events: RegistryEvent[]): Promise<void>;
  /** This node's stream of one type of event. */
  subscribe(type: EventType): AsyncIterable<Delivered>;
  /** false while a cross-node listener is disconnected (shown on /readyz). */
  readonly listening: boolean;
  /** Subscriptions attached on this node, by event type (shown on /readyz; tests wait on it). */
  subscribers(): Record<EventType, number>;
  close(): Promise<void>;
}

const CHANNEL = 'registry_events';

function deliverer() {
  const pubSub = createPubSub<Record<EventType, [Delivered]>>();
  const counts: Record<EventType, number> = { rating: 0, appeal: 0, pledge: 0, fund: 0 };
  async function* subscribe(type: EventType): AsyncGenerator<Delivered> {
    const iterator = (pubSub.subscribe(type) as AsyncIterable<Delivered>)[Symbol.asyncIterator]();
    // The first next() attaches the listener; only then does the subscription count as live.
    const first = iterator.next();
    counts[type]++;
    try {
      for (let result = await first; !result.done; result = await iterator.next()) yield result.value;
    } finally {
      counts[type]--;
      await iterator.return?.();
    }
  }
  return {
    deliver(event: RegistryEvent) {
      // One object per event per node, so loadOnce memoises across all its subscribers.
      pubSub.publish(event.type, { ...event, memo: new Map() });
    },
    subscribe,
    subscribers: () => ({ ...counts }),
  };
}

/** PGlite serves one process, so its events stay in process. */
export function createLocalBus(): EventBus {
  const local = deliverer();
  return {
    publish: async (events) => events.forEach((e) => local.deliver(e)),
    subscribe: local.subscribe,
    subscribers: local.subscribers,
    listening: true,
    close: async () => undefined,
  };
}

/**
 * PostgreSQL LISTEN/NOTIFY: events cross API nodes. One dedicated connection listens. When it
 * drops (a restart, `pg_terminate_backend`), the node logs it, reports `listening: false` on
 * /readyz, and re-issues LISTEN with backoff until it is back. Events published meanwhile are not
 * replayed: subscribers resume with the next one.
 */
export async function createPostgresBus(url: string, publisher: postgres.Sql, log: Logger): Promise<EventBus> {
  const local = deliverer();
  let listening = false;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;
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
      if (channel !== CHANNEL) return;
      try {
        local.deliver(JSON.parse(payload) as RegistryEvent);
      } catch (error) {
        log.error({ err: error }, 'unreadable event payload');
      }
    },
    onclose: () => {
      if (closing) return;
      if (listening) log.warn({ reconnecting: true }, 'event listener disconnected');
      listening = false;
      schedule(100);
    },
  } as postgres.Options<Record<string, postgres.PostgresType>>);

  const connect = async (): Promise<void> => {
    await listener`listen ${listener(CHANNEL)}`;
    if (!listening) log.info('event listener connected');
    listening = true;
  };
  const schedule = (delayMs: number) => {
    if (closing || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        log.warn({ err: error, retryInMs: Math.min(delayMs * 2, 5000) }, 'event listener still down');
        schedule(Math.min(delayMs * 2, 5000));
      });
    }, delayMs);
    retry.unref();
  };
  await connect();

  return {
    async publish(events) {
      for (const event of events) {
        const payload = JSON.stringify(event);
        if (Buffer.byteLength(payload) > NOTIFY_LIMIT_BYTES) throw new Error(`event too large for NOTIFY: ${event.type}`);
        await publisher.notify(CHANNEL, payload);
      }
    },
    subscribe: local.subscribe,
    subscribers: local.subscribers,
    get listening() {
      return listening;
    },
    async close() {
      closing = true;
      if (retry) clearTimeout(retry);
      await listener.end({ timeout: 2 });
    },
  };
}
