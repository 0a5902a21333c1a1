import type { IncomingMessage } from 'node:http';
import type { Context as WsContext } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger';
import { UnauthenticatedError } from '../errors';
import { viewerFromAuthorization, type TokenVerifier } from './tokens';
import { viewerExpired, type Viewer } from './viewer';

/** Close code and reason of a socket whose token has expired (graphql-ws' Forbidden code). */
export const TOKEN_EXPIRED_CLOSE = { code: 4403, reason: 'Token expired' } as const;
/** Close code and reason of a socket sent a refresh token for someone else, or a bad one. */
export const TOKEN_REFUSED_CLOSE = { code: 4403, reason: 'Forbidden' } as const;

/** What the auth hooks keep on a graphql-ws connection (`ctx.extra`). */
export interface WsAuthExtra {
  socket: WebSocket;
  /** The upgrade request (graphql-ws' ws adapter gives it). */
  request?: IncomingMessage;
  /** The connection's viewer; a refresh moves its `expiresAt` (same object, so running subscriptions see it). */
  viewer?: Viewer;
  expiryTimer?: NodeJS.Timeout;
}

type Ctx = WsContext<Record<string, unknown> | undefined, WsAuthExtra>;

/**
 * The `authorization` entry of connectionParams (or of a ping payload) under any casing of the
 * key, as HTTP headers are. Two keys with different values are refused: which one counts must
 * not depend on the order a client library sends them in.
 */
export function authorizationFromParams(params: unknown): unknown {
  if (params === null || typeof params !== 'object') return undefined;
  const values = Object.entries(params as Record<string, unknown>).filter(([key]) => key.toLowerCase() === 'authorization').map(([, value]) => value);
  if (new Set(values).size > 1) throw new UnauthenticatedError('connectionParams carry differently cased authorization keys with different values');
  return values[0];
}

/** Whether two viewers are the same account with the same scopes (only the expiry may differ). */
function sameAccount(a: Viewer, b: Viewer): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && [...x].sort().join() === [...y].sort().join();
  return a.role === b.role && a.sub === b.sub && same(a.merchantIds, b.merchantIds) && same(a.regions, b.regions);
}

/** Closes the socket when the viewer's token expires; replaces any earlier timer. */
function scheduleExpiry(extra: WsAuthExtra): void {
  clearTimeout(extra.expiryTimer);
  const expiresAt = extra.viewer?.expiresAt;
  if (expiresAt === undefined) return;
  // Tokens live at most AUTH_MAX_TOKEN_LIFETIME_S (≤ 7 days), well inside setTimeout's range.
  extra.expiryTimer = setTimeout(() => extra.socket.close(TOKEN_EXPIRED_CLOSE.code, TOKEN_EXPIRED_CLOSE.reason), Math.max(0, expiresAt - Date.now()));
  extra.expiryTimer.unref();
}

/**
 * graphql-ws hooks that authenticate a connection and keep it authenticated:
 * - `onConnect` reads `authorization` from connectionParams (any casing), else the token
 *   `cookieToken` finds on the upgrade request, and refuses a bad token (4403 Forbidden);
 * - at the token's `exp` the socket is closed with 4403 'Token expired', and a subscription
 *   asked for after it is refused;
 * - a client may extend its connection before then by sending a graphql-ws ping with the
 *   payload `{ authorization: 'Bearer <fresh token>' }`: a valid token of the same account
 *   (sub, role, merchants, regions) moves the expiry; any other token closes the socket (4403).
 */
export function createWsAuth(verify: TokenVerifier, log: Logger, cookieToken?: (request: IncomingMessage) => string | undefined) {
  return {
    onConnect: async (ctx: Ctx): Promise<boolean> => {
      try {
        let authorization = authorizationFromParams(ctx.connectionParams);
        // The site's pages cannot read their HttpOnly token: without connectionParams a socket of
        // this site's own origin is authenticated by the cookie (`cookieToken` checks the origin).
        if (authorization === undefined && cookieToken && ctx.extra.request) {
          const token = cookieToken(ctx.extra.request);
          if (token) authorization = `Bearer ${token}`;
        }
        // A copy: a refresh moves this connection's expiry, never another's.
        ctx.extra.viewer = { ...(await viewerFromAuthorization(authorization, verify)) };
        scheduleExpiry(ctx.extra);
        return true;
      } catch (error) {
        log.debug({ err: error }, 'websocket connection refused');
        return false;
      }
    },
    onPing: async (ctx: Ctx, payload: unknown): Promise<void> => {
      const current = ctx.extra.viewer;
      if (!ctx.acknowledged || !current) return;
      let authorization: unknown;
      try {
        authorization = authorizationFromParams(payload);
        if (authorization === undefined) return; // a keep-alive ping
        const fresh = await viewerFromAuthorization(authorization, verify);
        if (!sameAccount(current, fresh)) throw new UnauthenticatedError('A refresh token must be for the same account and scopes');
        if (fresh.expiresAt !== undefined && (current.expiresAt === undefined || fresh.expiresAt > current.expiresAt)) {
          current.expiresAt = fresh.expiresAt;
          scheduleExpiry(ctx.extra);
        }
      } catch (error) {
        log.debug({ err: error }, 'websocket token refresh refused');
        ctx.extra.socket.close(TOKEN_REFUSED_CLOSE.code, TOKEN_REFUSED_CLOSE.reason);
      }
    },
    onSubscribe: (ctx: Ctx): readonly UnauthenticatedError[] | void => {
      if (ctx.extra.viewer && viewerExpired(ctx.extra.viewer)) {
        ctx.extra.socket.close(TOKEN_EXPIRED_CLOSE.code, TOKEN_EXPIRED_CLOSE.reason);
        return [new UnauthenticatedError('Token has expired')];
      }
    },
    onClose: (ctx: Ctx): void => {
      clearTimeout(ctx.extra.expiryTimer);
    },
  };
}
