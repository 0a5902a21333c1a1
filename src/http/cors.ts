import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request headers a lookup site's browser may send to /graphql. */
const ALLOWED_HEADERS = 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id';

/**
 * CORS for /graphql, for exactly the configured origins (CORS_ORIGINS). Answers a preflight
 * itself (true: the request is done): 204 with the allowances for a listed origin, 403 without
 * them for any other. Other requests from a listed origin get Access-Control-Allow-Origin; no
 * credentials are allowed, since /graphql reads tokens from the Authorization header only, and
 * Apollo's CSRF prevention still refuses simple requests.
 */
export function corsForGraphQL(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(origins);
  return (req, res) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (allowed.size > 0) res.setHeader('vary', 'Origin');
    if (origin === undefined) return false;
    const listed = allowed.has(origin);
    if (listed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'x-request-id');
    }
    if (!preflight) return false;
    if (listed) {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
    }
    res.statusCode = listed ? 204 : 403;
    res.end();
    return true;
  };
}
