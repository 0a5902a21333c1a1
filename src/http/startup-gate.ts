import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

/** Where start-up stands: shown on /readyz and in every refusal until the registry is ready. */
export interface StartupStatus {
  /** What runs now, e.g. `migrating`, `seeding: appeals of record`, `rating merchants`. */
  phase: string;
  /** Progress within the phase, when it is countable. */
  done?: number;
  total?: number;
}

/**
 * An HTTP server that listens before the registry is ready: while the database is migrated and
 * the demo seed loaded (a minute on a first start), `/healthz` answers 200, `/readyz` 503 with
 * the phase and its progress, and everything else 503 with a GraphQL-shaped
 * SERVICE_UNAVAILABLE error and `Retry-After`. `open` hands the same server, port and all, to
 * the registry's own handler.
 */
export function createStartupGate(): {
  server: Server;
  setStatus(status: StartupStatus): void;
  status(): StartupStatus;
  open(handler: RequestListener): void;
} {
  let status: StartupStatus = { phase: 'starting' };
  let handler: RequestListener | undefined;
  const starting = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const percent = status.total ? Math.floor(((status.done ?? 0) / status.total) * 100) : undefined;
    const body = { status: 'starting', ...status, percent };
    if (path === '/healthz') return json(res, 200, body);
    if (path === '/readyz') return json(res, 503, body);
    res.setHeader('retry-after', '5');
    json(res, 503, {
      errors: [{ message: `The registry is starting (${status.phase}); try again shortly`, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, ...body } }],
    });
  };
  const server = createServer((req, res) => (handler ?? starting)(req, res));
  return {
    server,
    setStatus: (next) => {
      status = next;
    },
    status: () => status,
    open: (next) => {
      handler = next;
    },
  };
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
