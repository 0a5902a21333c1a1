import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Feed {
  /** Results received so far. */
  results: any[];
  /** An error the subscription ended with, if any. */
  error: () => unknown;
  /** Resolves with the results once `count` have arrived (rejects after `ms`). */
  next(count: number, ms?: number): Promise<any[]>;
  close(): Promise<void>;
}

/** Subscribes over graphql-ws (as the given bearer token, if any) and collects what arrives. */
export function subscribe(url: string, query: string, variables: Record<string, unknown> = {}, authorization?: string): Feed {
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: authorization ? { authorization } : {},
  });
  const results: any[] = [];
  let failure: unknown;
  const waiters: (() => void)[] = [];
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        results.push(value);
        waiters.splice(0).forEach((w) => w());
      },
      error: (error) => {
        failure = error;
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => undefined,
    },
  );
  return {
    results,
    error: () => failure,
    next: (count, ms = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${results.length} of ${count} results in ${ms} ms`)), ms);
        const check = () => {
          if (results.length >= count || failure) {
            clearTimeout(timer);
            resolve(results);
          } else waiters.push(check);
        };
        check();
      }),
    close: async () => {
      dispose();
      await client.dispose();
    },
  };
}

/** Waits until `probe` is true, polling every 20 ms (rejects after `ms`). */
export async function until(probe: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets any event in flight arrive before asserting that none did. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
