import { ConfigError, loadConfig } from '../../src/config';

describe('the limits configuration', () => {
  it('has defaults that README and docs/limits.md list', () => {
    expect(loadConfig({}).limits).toEqual({
      maxDepth: 10,
      maxAliases: 30,
      maxDirectives: 20,
      maxTokens: 2000,
      maxCost: 5000,
      requestBodyLimit: 6 * 1024 * 1024,
      requestTimeoutMs: 10_000,
      rateLimitWindowS: 60,
      rateLimitSyncMs: 100,
      rateLimits: { PUBLIC: 10_000, MERCHANT: 20_000, SUPERVISOR: 50_000, ADMIN: 50_000 },
      wsMaxSubscriptionsPerConnection: 20,
      trustProxyHops: 0,
    });
  });

  it('reads every figure from the environment', () => {
    const limits = loadConfig({
      QUERY_MAX_DEPTH: '12',
      QUERY_MAX_ALIASES: '5',
      QUERY_MAX_DIRECTIVES: '3',
      QUERY_MAX_TOKENS: '500',
      QUERY_MAX_COST: '900',
      REQUEST_BODY_LIMIT: '512kb',
      REQUEST_TIMEOUT_MS: '2500',
      RATE_LIMIT_WINDOW_S: '3600',
      RATE_LIMIT_SYNC_MS: '250',
      RATE_LIMIT_PUBLIC: '100',
      RATE_LIMIT_MERCHANT: '200',
      RATE_LIMIT_SUPERVISOR: '300',
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '4',
      TRUST_PROXY: '1',
    }).limits;
    expect(limits).toEqual({
      maxDepth: 12,
      maxAliases: 5,
      maxDirectives: 3,
      maxTokens: 500,
      maxCost: 900,
      requestBodyLimit: 512 * 1024,
      requestTimeoutMs: 2500,
      rateLimitWindowS: 3600,
      rateLimitSyncMs: 250,
      // Admins get the supervisors' budget unless told otherwise.
      rateLimits: { PUBLIC: 100, MERCHANT: 200, SUPERVISOR: 300, ADMIN: 300 },
      wsMaxSubscriptionsPerConnection: 4,
      trustProxyHops: 1,
    });
    expect(loadConfig({ RATE_LIMIT_ADMIN: '7' }).limits.rateLimits.ADMIN).toBe(7);
    expect(loadConfig({ REQUEST_BODY_LIMIT: '10mb' }).limits.requestBodyLimit).toBe(10 * 1024 * 1024);
    expect(loadConfig({ REQUEST_BODY_LIMIT: '100000' }).limits.requestBodyLimit).toBe(100_000);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ QUERY_MAX_COST: '0' })).toThrow(new ConfigError("QUERY_MAX_COST must be an integer from 1 to 1000000000, got '0'"));
    expect(() => loadConfig({ REQUEST_BODY_LIMIT: 'lots' })).toThrow(/REQUEST_BODY_LIMIT/);
    expect(() => loadConfig({ REQUEST_BODY_LIMIT: '10' })).toThrow(/REQUEST_BODY_LIMIT/);
    expect(() => loadConfig({ RATE_LIMIT_PUBLIC: '-1' })).toThrow(/RATE_LIMIT_PUBLIC/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });
});
