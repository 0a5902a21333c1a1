import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';

/** Probes poll every few seconds; at info they would drown the requests that matter. */
const PROBES = new Set(['/healthz', '/readyz']);

/** The operation's name, never its text or variables: from `operationName`, else the document's first operation. */
export function operationNameOf(req: IncomingMessage & { body?: unknown; query?: unknown }): string | null {
  const body = (req.body && typeof req.body === 'object' ? req.body : req.query ?? {}) as { operationName?: unknown; query?: unknown };
  if (typeof body.operationName === 'string' && body.operationName) return body.operationName.slice(0, 100);
  if (typeof body.query !== 'string') return null;
  const named = /^\s*(?:#[^\n]*\n\s*)*(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(body.query);
  return named ? named[2]! : null;
}

function pathOf(req: IncomingMessage): string {
  // The query string of a GET /graphql carries the query text and variables: never logged.
  // Express rewrites req.url inside a mounted route (`/graphql` becomes `/`); originalUrl keeps it.
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return url.split('?')[0]!;
}

/**
 * One log line per HTTP request at `info` (probes at `debug`): method, path, GraphQL operation
 * name, viewer role (/graphql's own handler writes the same line with it), HTTP status and duration. No headers, addresses, variables or query text, so
 * no personal data and no token reaches the logs.
 */
export function requestLog(log: Logger) {
  const line = (req: IncomingMessage, res: ServerResponse, durationMs: number) => ({
    method: req.method,
    path: pathOf(req),
    operation: operationNameOf(req),
    role: null,
    status: res.statusCode,
    durationMs,
  });
  return pinoHttp({
    logger: log,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    },
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (req, res) => (res.statusCode >= 500 ? 'error' : PROBES.has(pathOf(req)) ? 'debug' : 'info'),
    customSuccessObject: (req, res, value: { responseTime: number }) => line(req, res, value.responseTime),
    customErrorObject: (req, res, _error, value: { responseTime: number }) => line(req, res, value.responseTime),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
  });
}
