import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import { ErrorCode, QueryTooComplexError } from '../errors';
import type { Logger } from '../logger';
import type { Role } from '../auth/viewer';
import { clientAddress, startRequestBudget, type RequestLimits } from '../limits/request';
import { operationNameOf } from './request-log';
import type { PreparedAnswer } from './prepared-path';

export interface GraphQLHttpOptions<C extends object> {
  apollo: ApolloServer<C>;
  log: Logger;
  /** Largest body accepted, in bytes (REQUEST_BODY_LIMIT): more is answered 413 unread. */
  bodyLimit: number;
  /** REQUEST_TIMEOUT_MS: each request's time budget. */
  requestTimeoutMs: number;
  /** TRUST_PROXY: proxy hops whose X-Forwarded-For is believed for the client's address. */
  trustProxyHops: number;
  /** Answers queries Apollo has already prepared without its pipeline (src/http/prepared-path.ts). */
  prepared?: { answer(body: unknown, headers: IncomingHttpHeaders, makeContext: () => Promise<C>): Promise<PreparedAnswer | null> };
  /** The request's context; its viewer's role is reported back for the log line. */
  context: (request: { req: IncomingMessage; requestId: string; limits: RequestLimits }) => Promise<C & { viewer: { role: Role } }>;
}

/** Whether a path is served by the GraphQL handler: `/graphql` and below, as a mounted route would be. */
export function isGraphQLPath(url: string | undefined): boolean {
  if (!url?.startsWith('/graphql')) return false;
  const next = url.charCodeAt(8);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const NOT_JSON = { errors: [{ message: 'The request body is not valid JSON', extensions: { code: ErrorCode.BAD_USER_INPUT } }] };

class BodyTooLarge extends Error {
  constructor(readonly length: number | null) {
    super('body too large');
  }
}

/** The body, read up to `limit` bytes; a declared or actual length over it rejects with BodyTooLarge. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // Unread: the connection is closed after the answer rather than drained.
    return Promise.reject(new BodyTooLarge(declared));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge(length));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/**
 * The /graphql endpoint on bare `node:http`: Apollo's own request pipeline (CSRF prevention,
 * GET and POST, plugins, error formatting) without express in front, which cost more per request
 * than Apollo itself (router, body parser, ETag hashing, pino-http's child logger). It keeps what
 * the express stack did: the body limit (413 with QUERY_TOO_COMPLEX `bytes`), a JSON error for a
 * body that is not a JSON object or array, the time budget, and one log line per request.
 */
export function graphqlHttpHandler<C extends object>(options: GraphQLHttpOptions<C>): (req: IncomingMessage, res: ServerResponse) => void {
  const { apollo, log, bodyLimit } = options;
  return (req, res) => {
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    let role: Role | null = null;
    let parsed: unknown;
    res.once('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (!log.isLevelEnabled(level)) return;
      log[level](
        {
          reqId: requestId,
          method: req.method,
          path: req.url!.split('?', 1)[0],
          operation: operationNameOf({ body: parsed, query: parsed === undefined ? queryOf(req.url!) : undefined } as never),
          role,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
        },
        'request',
      );
    });

    const limits = startRequestBudget(res, options.requestTimeoutMs, clientAddress(req, options.trustProxyHops));
    void (async () => {
      let body: unknown;
      if (req.method === 'POST' && isJson(req.headers['content-type'])) {
        let text: string;
        try {
          text = await readBody(req, bodyLimit);
        } catch (error) {
          if (!(error instanceof BodyTooLarge)) throw error;
          const refusal = new QueryTooComplexError('bytes', bodyLimit, error.length);
          res.setHeader('connection', 'close');
          sendJson(res, 413, { errors: [refusal.toJSON()] });
          return;
        }
        try {
          body = text === '' ? {} : JSON.parse(text);
        } catch {
          sendJson(res, 400, NOT_JSON);
          return;
        }
        // As a strict JSON body parser: only an object or an array is a request body.
        if (body === null || typeof body !== 'object') {
          sendJson(res, 400, NOT_JSON);
          return;
        }
        parsed = body;
      } else if (req.method === 'POST') {
        // Not JSON: Apollo answers (CSRF prevention, or a missing query); the body is not read.
        req.resume();
        body = {};
      }
      const makeContext = async () => {
        const context = await options.context({ req, requestId, limits });
        role = context.viewer.role;
        return context;
      };
      if (parsed !== undefined && options.prepared) {
        const answer = await options.prepared.answer(parsed, req.headers, makeContext);
        if (answer) {
          res.statusCode = answer.status;
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.setHeader('cache-control', 'no-store');
          for (const [key, value] of answer.headers) res.setHeader(key, value);
          res.setHeader('content-length', Buffer.byteLength(answer.body));
          res.end(answer.body);
          return;
        }
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const url = req.url!;
      const query = url.indexOf('?');
      const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method!.toUpperCase(), headers, search: query < 0 ? '' : url.slice(query), body };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: makeContext,
      });
      // Answers depend on the viewer and change with every write: no cache keeps them.
      res.setHeader('cache-control', 'no-store');
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.setHeader('content-length', Buffer.byteLength(response.body.string));
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    })().catch((error: unknown) => {
      log.error({ err: error, reqId: requestId }, 'unexpected error serving /graphql');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
      else res.destroy();
    });
  };
}

function queryOf(url: string): Record<string, string> {
  const at = url.indexOf('?');
  return at < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(at + 1)));
}
