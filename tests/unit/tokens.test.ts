import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
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
