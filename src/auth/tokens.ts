import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { ConfigError, type Config } from '../config';
import { UUID_PATTERN } from '../domain/ids';
import { isRegionCode } from '../domain/region';
import { UnauthenticatedError } from '../errors';
import { PUBLIC_VIEWER, ROLES, type TokenRole, type Viewer } from './viewer';

/** How tokens are verified: a shared HS256 secret, or an identity provider's JWKS. */
export type AuthSettings = (
  | { kind: 'secret'; secret: Uint8Array; source: 'AUTH_SECRET' | 'data directory' | 'ephemeral' }
  | { kind: 'jwks'; url: URL; issuer?: string; audience?: string }
) & {
  /** Longest accepted exp − iat, in seconds (AUTH_MAX_TOKEN_LIFETIME_S); default 86400. */
  maxLifetimeS?: number;
};

/** The default of AUTH_MAX_TOKEN_LIFETIME_S: a token lives at most a day. */
export const DEFAULT_MAX_TOKEN_LIFETIME_S = 86_400;

/**
 * How far an issuer's clock may run ahead of ours: `iat` up to this many seconds in the future
 * is accepted. `exp` gets no such allowance: the server's clock decides when a token ends.
 */
export const CLOCK_SKEW_S = 60;

const SECRET_FILE = 'auth-secret';

/**
 * Decides how tokens are verified. AUTH_JWKS_URL or AUTH_SECRET when given; on the embedded
 * database a random secret kept in the data directory (made on first start); on PostgreSQL
 * neither is guessed: the server refuses to start.
 */
export function resolveAuth(config: Config): AuthSettings {
  const maxLifetimeS = config.authMaxTokenLifetimeS;
  if (config.authJwksUrl) {
    return { kind: 'jwks', url: new URL(config.authJwksUrl), issuer: config.authIssuer, audience: config.authAudience, maxLifetimeS };
  }
  if (config.authSecret) return { kind: 'secret', secret: new TextEncoder().encode(config.authSecret), source: 'AUTH_SECRET', maxLifetimeS };
  if (config.databaseUrl) {
    throw new ConfigError('AUTH_SECRET or AUTH_JWKS_URL is required when DATABASE_URL is set');
  }
  if (config.dataDir.startsWith('memory://')) {
    return { kind: 'secret', secret: new TextEncoder().encode(randomBytes(32).toString('base64url')), source: 'ephemeral', maxLifetimeS };
  }
  return { kind: 'secret', secret: new TextEncoder().encode(dataDirSecret(config.dataDir)), source: 'data directory', maxLifetimeS };
}

/** The embedded database's secret: read from the data directory, created there on first use. */
export function dataDirSecret(dataDir: string): string {
  const path = join(dataDir, SECRET_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  return readFileSync(path, 'utf8').trim();
}

export interface TokenClaims {
  sub: string;
  role: TokenRole;
  merchantIds?: string[];
  regions?: string[];
}

/** Signs an HS256 token (development, tests and `npm run token`). */
export function signToken(secret: Uint8Array | string, claims: TokenClaims, expiresIn: string | number = '12h'): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}

/**
 * Refuses a token whose lifetime cannot be told or is too long: `exp` and `iat` are required,
 * `iat` may be at most CLOCK_SKEW_S in the future, and `exp − iat` at most `maxLifetimeS`.
 * (jose has already refused an `exp` in the past.)
 */
export function checkTokenLifetime(payload: JWTPayload, maxLifetimeS: number, nowS: number = Date.now() / 1000): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number' || !Number.isFinite(exp) || !Number.isFinite(iat)) {
    throw new UnauthenticatedError('Token must carry exp and iat');
  }
  if (iat > nowS + CLOCK_SKEW_S) throw new UnauthenticatedError('Token was issued in the future (iat)');
  if (exp <= iat) throw new UnauthenticatedError('Token expires before it was issued (exp ≤ iat)');
  if (exp - iat > maxLifetimeS) {
    throw new UnauthenticatedError(`Token lifetime (exp − iat) must be at most ${maxLifetimeS} s (AUTH_MAX_TOKEN_LIFETIME_S)`);
  }
}

/** Turns verified claims into a viewer; claims of the wrong shape make the token invalid. */
export function viewerFromClaims(payload: JWTPayload): Viewer {
  const { sub, role, merchantIds = [], regions = [] } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0) throw new UnauthenticatedError('Token has no subject');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new UnauthenticatedError(`Token role must be one of ${ROLES.join(', ')}`);
  }
  if (!Array.isArray(merchantIds) || !merchantIds.every((id) => typeof id === 'string' && UUID_PATTERN.test(id))) {
    throw new UnauthenticatedError('Token claim merchantIds must be a list of merchant ids');
  }
  if (!Array.isArray(regions) || !regions.every((code) => typeof code === 'string' && isRegionCode(code))) {
    throw new UnauthenticatedError('Token claim regions must be a list of six-digit region codes');
  }
  return {
    role: role as TokenRole,
    sub,
    merchantIds: Object.freeze((merchantIds as string[]).map((id) => id.toLowerCase())),
    regions: Object.freeze([...(regions as string[])]),
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
  };
}

export type TokenVerifier = (token: string) => Promise<Viewer>;

/**
 * A verifier for the configured key; a bad, expired, too long-lived or wrongly shaped token is
 * UNAUTHENTICATED.
 */
export function createTokenVerifier(settings: AuthSettings): TokenVerifier {
  const jwks = settings.kind === 'jwks' ? createRemoteJWKSet(settings.url) : undefined;
  const maxLifetimeS = settings.maxLifetimeS ?? DEFAULT_MAX_TOKEN_LIFETIME_S;
  return async (token) => {
    let payload: JWTPayload;
    try {
      if (settings.kind === 'secret') {
        ({ payload } = await jwtVerify(token, settings.secret, { algorithms: ['HS256'] }));
      } else {
        ({ payload } = await jwtVerify(token, jwks!, { issuer: settings.issuer, audience: settings.audience }));
      }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('Token has expired');
      if (error instanceof joseErrors.JOSEError) throw new UnauthenticatedError('Invalid token');
      throw error;
    }
    checkTokenLifetime(payload, maxLifetimeS);
    return viewerFromClaims(payload);
  };
}

/**
 * The viewer of a request from its `Authorization` value (HTTP header or graphql-ws
 * connectionParams.authorization). None: the public. Present but bad: UNAUTHENTICATED, never
 * silently public.
 */
export async function viewerFromAuthorization(value: unknown, verify: TokenVerifier): Promise<Viewer> {
  if (value === undefined || value === null || value === '') return PUBLIC_VIEWER;
  const match = typeof value === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
  return verify(match[1]!);
}
