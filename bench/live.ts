/**
 * The live fan-out row of `npm run bench`: one `pledgeChanged` event delivered to 1,000 and to
 * 5,000 graphql-ws subscribers of the registry, against a bare `ws` server sending the same
 * frames (bench/live-limit.ts). The event is appended to the registry's event log as a mutation
 * would (the log's lock, the row, the NOTIFY, one transaction), so what is measured is the
 * wake-up, the read of the log, the execution and the sends. Delivery of one event is the median
 * over subscribers of (arrival − the moment before the trigger); a figure is the median over events.
 */
import postgres from 'postgres';
import WebSocket from 'ws';
import { median } from './stats';

export interface LiveRow {
  name: string;
  subscribers: number;
  events: number;
  /** Median delivery of the registry and of the limit, ms. */
  projectMs: number;
  limitMs: number;
  /** project / limit. */
  ratio: number;
  /** Subscribers that missed an event on either side (must be 0). */
  missed: number;
  /** The registry's executions for these subscribers (from /readyz). */
  executions: number;
}

export const LIVE_SELECTIONS = [
  { name: 'pledgeChanged { id status version }', query: 'subscription { pledgeChanged { id status version } }' },
  {
    name: 'pledgeChanged { … merchant { name regionCode } }',
    query: 'subscription { pledgeChanged { id status version merchant { name regionCode } } }',
  },
];

interface Client {
  socket: WebSocket;
  /** Arrival time of the last frame, and how many arrived. */
  at: number;
  frames: number;
  lastFrame: string;
}

const now = () => performance.now();

function open(url: string, protocol?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocol);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString())));
}

/** Connects `n` graphql-ws subscribers of `query`, 100 at a time. */
async function subscribeRegistry(wsUrl: string, query: string, n: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, async () => {
        const socket = await open(wsUrl, 'graphql-transport-ws');
        const ack = nextMessage(socket);
        socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
        if (!(await ack).includes('connection_ack')) throw new Error('no connection_ack');
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        return track(socket);
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

async function connectLimit(wsUrl: string, n: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, async () => {
        const socket = await open(wsUrl);
        const ok = nextMessage(socket);
        socket.send('1');
        await ok;
        return track(socket);
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

function track(socket: WebSocket): Client {
  const client: Client = { socket, at: 0, frames: 0, lastFrame: '' };
  socket.on('message', (data: Buffer) => {
    client.at = now();
    client.frames++;
    client.lastFrame = data.toString();
  });
  return client;
}

/** Waits until every client has `frames` frames (or 30 s), then returns the delivery times after `t0`. */
async function delivered(clients: Client[], frames: number, t0: number): Promise<{ ms: number[]; missed: number }> {
  const deadline = Date.now() + 30_000;
  while (clients.some((c) => c.frames < frames) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const arrived = clients.filter((c) => c.frames >= frames);
  return { ms: arrived.map((c) => c.at - t0), missed: clients.length - arrived.length };
}

async function closeAll(clients: Client[]): Promise<void> {
  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.socket.readyState === WebSocket.CLOSED) return resolve();
          c.socket.once('close', () => resolve());
          c.socket.close();
        }),
    ),
  );
}

export interface LiveOptions {
  /** The registry's base URL (http://host:port) and its database. */
  serverUrl: string;
  databaseUrl: string;
  /** The limit's base URL. */
  limitUrl: string;
  counts: number[];
  events: number;
  log: (line: string) => void;
}

/** Measures each selection at each subscriber count; both sides connected at once, events alternating sides. */
export async function measureLive(options: LiveOptions): Promise<LiveRow[]> {
  const db = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const rows: LiveRow[] = [];
  try {
    const [pledge] = await db<{ id: string; merchant_id: string; region_code: string }[]>`
      select p.id, p.merchant_id, m.region_code from return_pledges p join merchants m on m.id = p.merchant_id order by p.id limit 1`;
    if (!pledge) throw new Error('no pledge to announce');
    const payload = { type: 'pledge', pledgeId: pledge.id, merchantId: pledge.merchant_id, regionCode: pledge.region_code };
    // As a mutation appends: the log's lock, the row, one NOTIFY, in one transaction (src/events/log.ts).
    const fireRegistry = () =>
      db.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(4213000003)`;
        const [row] = await tx<{ position: string }[]>`
          insert into events (kind, region_code, merchant_id, payload) values ('pledge', ${pledge.region_code}, ${pledge.merchant_id}, ${tx.json(payload)})
          returning position`;
        await tx`select pg_notify('registry_events', ${String(row!.position)})`;
      });
    const wsUrl = (base: string) => `${base.replace(/^http/, 'ws')}/graphql`;
    for (const selection of LIVE_SELECTIONS) {
      for (const n of options.counts) {
        options.log(`[live] ${n} subscribers of ${selection.name}: connecting…`);
        const registry = await subscribeRegistry(wsUrl(options.serverUrl), selection.query, n);
        const limit = await connectLimit(wsUrl(options.limitUrl), n);
        // Every subscription attached before the first event.
        for (let ready = false; !ready; ) {
          const status = (await (await fetch(`${options.serverUrl}/readyz`)).json()) as { subscriptions?: { pledge?: number }; executions?: number };
          ready = (status.subscriptions?.pledge ?? 0) >= n;
          if (!ready) await new Promise((r) => setTimeout(r, 100));
        }
        const status = (await (await fetch(`${options.serverUrl}/readyz`)).json()) as { executions?: number };
        const projectMs: number[] = [];
        const limitMs: number[] = [];
        let missed = 0;
        let frame = '';
        // One warm-up event per side, then the measured ones.
        for (let i = 0; i <= options.events; i++) {
          let t0 = now();
          await fireRegistry();
          const p = await delivered(registry, i + 1, t0);
          if (!frame) {
            const message = JSON.parse(registry[0]!.lastFrame) as { payload: unknown };
            frame = JSON.stringify(message.payload);
          }
          t0 = now();
          await fetch(`${options.limitUrl}/fire`, { method: 'POST', body: frame });
          const l = await delivered(limit, i + 1, t0);
          if (i === 0) continue;
          projectMs.push(median(p.ms));
          limitMs.push(median(l.ms));
          missed += p.missed + l.missed;
        }
        const row = {
          name: selection.name,
          subscribers: n,
          events: options.events,
          projectMs: median(projectMs),
          limitMs: median(limitMs),
          ratio: median(projectMs) / median(limitMs),
          missed,
          executions: status.executions ?? -1,
        };
        options.log(`[live] ${n} × ${selection.name}: registry ${row.projectMs.toFixed(1)} ms, ws ${row.limitMs.toFixed(1)} ms, ${row.ratio.toFixed(2)}×`);
        rows.push(row);
        await closeAll(registry);
        await closeAll(limit);
      }
    }
  } finally {
    await db.end();
  }
  return rows;
}

/** The live rows as a markdown table. */
export function liveTable(rows: LiveRow[]): string {
  const head = '| subscription | subscribers | registry median ms | raw ws median ms | ratio | executions | missed |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |';
  return [
    head,
    ...rows.map((r) => `| ${r.name} | ${r.subscribers} | ${r.projectMs.toFixed(1)} | ${r.limitMs.toFixed(1)} | ${r.ratio.toFixed(2)}× | ${r.executions} | ${r.missed} |`),
  ].join('\n');
}
