import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('runs on the embedded database in ./data/pglite on port 4000 by default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, databaseUrl: undefined, dataDir: './data/pglite', seedDemo: true });
  });

  it('never seeds demo data in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError("PORT must be an integer from 0 to 65535, got 'eighty'"));
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });

  it('bounds every PostgreSQL statement and idle transaction by default, and lets both be configured or turned off', () => {
    expect(loadConfig({})).toMatchObject({ dbPoolMax: 10, dbStatementTimeoutMs: 15_000, dbIdleInTransactionTimeoutMs: 10_000 });
    expect(loadConfig({ DB_POOL_MAX: '4', DB_STATEMENT_TIMEOUT_MS: '0', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2500' })).toMatchObject({
      dbPoolMax: 4,
      dbStatementTimeoutMs: 0,
      dbIdleInTransactionTimeoutMs: 2500,
    });
    expect(() => loadConfig({ DB_POOL_MAX: '0' })).toThrow(/DB_POOL_MAX/);
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });

  it('refuses a LOG_LEVEL pino does not know, naming the levels it accepts', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'bogus' })).toThrow(
      new ConfigError("LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got 'bogus'"),
    );
    expect(loadConfig({ LOG_LEVEL: ' Debug ' }).logLevel).toBe('debug');
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });
});
