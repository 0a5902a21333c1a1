import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { SignJWT } from 'jose';
import { createTokenVerifier, dataDirSecret, resolveAuth, signToken, viewerFromAuthorization } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { PUBLIC_VIEWER } from '../../src/auth/viewer';

const SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
const verify = createTokenVerifier({ kind: 'secret', secret: new TextEncoder().encode(SECRET), source: 'AUTH_SECRET' });

describe('tokens', () => {
  it('treats a request without a token as the public', async () => {
    await expect(viewerFromAuthorization(undefined, verify)).resolves.toBe(PUBLIC_VIEWER);
    await expect(viewerFromAuthorization('', verify)).resolves.toBe(PUBLIC_VIEWER);
  });

  it('reads role, merchants and regions from a valid token', async () => {
    const token = await signToken(SECRET, { sub: 'zhang', role: 'SUPERVISOR', regions: ['421300'] });
    await expect(viewerFromAuthorization(`Bearer ${token}`, verify)).resolves.toEqual({
      role: 'SUPERVISOR',
      sub: 'zhang',
      merchantIds: [],
      regions: ['421300'],
      expiresAt: expect.any(Number),
    });
  });

  it('refuses a token signed with another secret instead of treating it as public', async () => {
    const token = await signToken('another-secret-another-secret-another-secret', { sub: 'x', role: 'ADMIN' });
    await expect(viewerFromAuthorization(`Bearer ${token}`, verify)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses an expired token', async () => {
    const token = await signToken(SECRET, { sub: 'x', role: 'ADMIN' }, Math.floor(Date.now() / 1000) - 60);
    await expect(viewerFromAuthorization(`Bearer ${token}`, verify)).rejects.toThrow('Token has expired');
  });

  it('refuses a malformed Authorization value', async () => {
    await expect(viewerFromAuthorization('Token abc', verify)).rejects.toThrow(/Bearer/);
  });

  it('refuses claims of the wrong shape: unknown role, bad merchant ids, bad regions', async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    await expect(verify(await sign({ role: 'ROOT' }))).rejects.toThrow(/role/);
    await expect(verify(await sign({ role: 'MERCHANT', merchantIds: ['92421303MA4K12345X'] }))).rejects.toThrow(/merchantIds/);
    await expect(verify(await sign({ role: 'SUPERVISOR', regions: ['4213'] }))).rejects.toThrow(/regions/);
  });

  it('refuses a token with alg none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', role: 'ADMIN' })).toString('base64url');
    await expect(verify(`${header}.${body}.`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('token lifetime', () => {
  const key = new TextEncoder().encode(SECRET);
  const now = () => Math.floor(Date.now() / 1000);
  /** A token with exactly these time claims (undefined: left out). */
  const withTimes = (times: { iat?: number; exp?: number }) =>
    new SignJWT({ role: 'ADMIN', ...times }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(key);
  const refusal = async (token: string, check = verify) =>
    check(token).then(
      () => 'accepted',
      (error: { message: string; extensions?: { code?: string } }) => `${error.extensions?.code}: ${error.message}`,
    );

  it('refuses a token without exp', async () => {
    expect(await refusal(await withTimes({ iat: now() }))).toBe('UNAUTHENTICATED: Token must carry exp and iat');
  });

  it('refuses a token with exp in 9999', async () => {
    expect(await refusal(await withTimes({ iat: now(), exp: 253402300799 }))).toBe(
      'UNAUTHENTICATED: Token lifetime (exp − iat) must be at most 86400 s (AUTH_MAX_TOKEN_LIFETIME_S)',
    );
  });

  it('refuses a token without iat, so its lifetime cannot be told', async () => {
    expect(await refusal(await withTimes({ exp: now() + 60 }))).toBe('UNAUTHENTICATED: Token must carry exp and iat');
  });

  it('accepts a lifetime of exactly the maximum and refuses one second more', async () => {
    const iat = now();
    expect(await refusal(await withTimes({ iat, exp: iat + 86400 }))).toBe('accepted');
    expect(await refusal(await withTimes({ iat, exp: iat + 86401 }))).toMatch(/^UNAUTHENTICATED: Token lifetime/);
  });

  it('honours a configured maximum', async () => {
    const short = createTokenVerifier({ kind: 'secret', secret: key, source: 'AUTH_SECRET', maxLifetimeS: 600 });
    expect(await refusal(await withTimes({ iat: now(), exp: now() + 600 }), short)).toBe('accepted');
    expect(await refusal(await withTimes({ iat: now(), exp: now() + 3600 }), short)).toMatch(/at most 600 s/);
  });

  it('allows 60 s of clock skew on iat and refuses a token issued later than that', async () => {
    expect(await refusal(await withTimes({ iat: now() + 50, exp: now() + 3600 }))).toBe('accepted');
    expect(await refusal(await withTimes({ iat: now() + 120, exp: now() + 3600 }))).toBe('UNAUTHENTICATED: Token was issued in the future (iat)');
  });

  it('refuses exp at or before iat', async () => {
    expect(await refusal(await withTimes({ iat: now(), exp: now() }))).toMatch(/^UNAUTHENTICATED/);
  });

  it('keeps the token’s exp on the viewer', async () => {
    const exp = now() + 3600;
    expect((await verify(await withTimes({ iat: now(), exp }))).expiresAt).toBe(exp * 1000);
  });

  it('reads AUTH_MAX_TOKEN_LIFETIME_S (default 86400) and refuses nonsense', () => {
    expect(loadConfig({}).authMaxTokenLifetimeS).toBe(86400);
    expect(loadConfig({ AUTH_MAX_TOKEN_LIFETIME_S: '3600' }).authMaxTokenLifetimeS).toBe(3600);
    expect(() => loadConfig({ AUTH_MAX_TOKEN_LIFETIME_S: '0' })).toThrow(/AUTH_MAX_TOKEN_LIFETIME_S/);
    expect(() => loadConfig({ AUTH_MAX_TOKEN_LIFETIME_S: '99999999' })).toThrow(/AUTH_MAX_TOKEN_LIFETIME_S/);
    expect(resolveAuth(loadConfig({ AUTH_SECRET: SECRET, AUTH_MAX_TOKEN_LIFETIME_S: '3600' })).maxLifetimeS).toBe(3600);
  });
});

describe('npm run token', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync(process.execPath, ['-r', '@swc-node/register', 'src/cli/token.ts', ...args], {
      cwd: join(__dirname, '../..'),
      env: { PATH: process.env.PATH, AUTH_SECRET: SECRET, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();

  it('prints a token the server accepts, living 12 h by default, or less when the maximum is shorter', async () => {
    const token = run(['--role', 'SUPERVISOR', '--region', '421303']);
    const viewer = await verify(token);
    expect(viewer).toMatchObject({ role: 'SUPERVISOR', regions: ['421303'] });
    expect(viewer.expiresAt! - Date.now()).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(viewer.expiresAt! - Date.now()).toBeLessThanOrEqual(12 * 3600_000);
    const short = run(['--role', 'ADMIN'], { AUTH_MAX_TOKEN_LIFETIME_S: '600' });
    const strict = createTokenVerifier({ kind: 'secret', secret: new TextEncoder().encode(SECRET), source: 'AUTH_SECRET', maxLifetimeS: 600 });
    await expect(strict(short)).resolves.toMatchObject({ role: 'ADMIN' });
  }, 30_000);

  it('refuses an --expires longer than AUTH_MAX_TOKEN_LIFETIME_S', () => {
    expect(() => run(['--role', 'ADMIN', '--expires', '2d'])).toThrow(/longer than AUTH_MAX_TOKEN_LIFETIME_S \(86400 s\)/);
  }, 30_000);
});

describe('resolveAuth', () => {
  it('refuses to start on PostgreSQL without AUTH_SECRET or AUTH_JWKS_URL', () => {
    expect(() => resolveAuth(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }))).toThrow(/AUTH_SECRET or AUTH_JWKS_URL/);
  });

  it('prefers a JWKS URL when one is configured', () => {
    const auth = resolveAuth(loadConfig({ AUTH_JWKS_URL: 'https://id.example.test/jwks.json', AUTH_SECRET: SECRET }));
    expect(auth.kind).toBe('jwks');
  });

  it('refuses a short AUTH_SECRET', () => {
    expect(() => loadConfig({ AUTH_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('creates a private random secret in the data directory once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-auth-'));
    try {
      const first = dataDirSecret(dir);
      expect(first.length).toBeGreaterThanOrEqual(40);
      expect(dataDirSecret(dir)).toBe(first);
      expect(statSync(join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
      const auth = resolveAuth(loadConfig({ DATA_DIR: dir }));
      expect(auth).toMatchObject({ kind: 'secret', source: 'data directory' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
