/**
 * `npm run example:live [-- ws://localhost:4000/graphql]`: follows `ratingChanged` and never
 * misses an event across dropped connections and server restarts. graphql-ws reconnects by
 * itself (`retryAttempts`); on every reconnect (`on: { connected }`) the subscription is started
 * again with `after` set to the cursor of the last event received, so the server sends the events
 * committed meanwhile, in order, before the live ones, and none twice. A cursor older than the
 * server's event log (CURSOR_EXPIRED) means reloading the state and following from now.
 * Set TOKEN for the feeds that need one.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.argv[2] ?? 'ws://localhost:4000/graphql';
const query = `subscription ($after: String) {
  ratingChanged(after: $after) { cursor merchantId score grade previousScore previousGrade cause }
}`;

/** The cursor of the last event handled: where to resume. Keep it durable to survive a restart of this process too. */
let cursor: string | null = null;
let stop: (() => void) | undefined;

function follow(client: Client): void {
  // The previous subscription (of a connection that dropped) must not be re-sent as it was.
  stop?.();
  if (cursor) console.log(`resuming after cursor ${cursor}`);
  stop = client.subscribe<{ ratingChanged: { cursor: string } & Record<string, unknown> }>(
    { query, variables: { after: cursor } },
    {
      next: ({ data }) => {
        if (!data) return;
        cursor = data.ratingChanged.cursor;
        console.log(JSON.stringify(data.ratingChanged));
      },
      error: (error) => {
        const errors = Array.isArray(error) ? (error as { extensions?: { code?: string } }[]) : [];
        if (errors.some((e) => e.extensions?.code === 'CURSOR_EXPIRED')) {
          // Too long away: reload what you show (e.g. the merchants' ratings) and follow from now.
          console.log('cursor expired: reload the state, then follow from now');
          cursor = null;
          follow(client);
          return;
        }
        console.error('subscription failed', error);
      },
      complete: () => undefined,
    },
  );
}

const client: Client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: process.env.TOKEN ? { authorization: `Bearer ${process.env.TOKEN}` } : {},
  // Connect now and keep reconnecting: 0.5 s, 1 s, 2 s, then every 4 s (with some jitter).
  lazy: false,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 4000) + Math.random() * 300)),
  on: {
    connected: (_socket, _payload, wasRetry) => {
      console.log(wasRetry ? 'reconnected' : 'connected');
      if (wasRetry) follow(client);
    },
    closed: () => console.log('connection lost; retrying'),
  },
});
follow(client);

process.once('SIGINT', () => {
  stop?.();
  void client.dispose();
});
