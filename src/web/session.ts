import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { PUBLIC_VIEWER, type Viewer } from '../auth/viewer';
import { viewerFromAuthorization, type TokenVerifier } from '../auth/tokens';

/** The cookie that keeps a pasted token: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export const TOKEN_COOKIE = 'registry_token';

/** The value of one cookie of the request, if present. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

/** Keeps `token` in the cookie until the token's own expiry. */
export function setTokenCookie(req: IncomingMessage, res: ServerResponse, token: string): void {
  const exp = decodeJwt(token).exp;
  const maxAge = exp ? Math.max(0, Math.floor(exp - Date.now() / 1000)) : 3600;
  const secure = isHttps(req) ? '; Secure' : '';
  res.setHeader('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
}

/** Forgets the token. */
export function clearTokenCookie(res: ServerResponse): void {
  res.setHeader('set-cookie', `${TOKEN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
}

/**
 * The viewer of the cookie's token; the public when there is none, and also when it no longer
 * verifies (expired, or signed with a key since rotated): the page then asks to sign in again.
 */
export async function viewerOfCookie(req: IncomingMessage, verify: TokenVerifier): Promise<Viewer> {
  const token = readCookie(req, TOKEN_COOKIE);
  if (!token) return PUBLIC_VIEWER;
  return viewerFromAuthorization(`Bearer ${token}`, verify).catch(() => PUBLIC_VIEWER);
}

/**
 * A form post must come from this site: SameSite=Strict already keeps the cookie off other sites'
 * requests, and this refuses them even from a browser that ignores SameSite. Fetch metadata
 * (Sec-Fetch-Site) decides where the browser sends it; otherwise the Origin header must name this
 * host (a browser sends none on a same-origin GET).
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = req.headers.origin;
  if (origin === undefined) return req.method === 'GET' || req.method === 'HEAD';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The cookie's token for a WebSocket upgrade from this site's own pages; none from another origin. */
export function socketCookieToken(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (!origin) return undefined;
  try {
    if (new URL(origin).host !== req.headers.host) return undefined;
  } catch {
    return undefined;
  }
  return readCookie(req, TOKEN_COOKIE);
}
