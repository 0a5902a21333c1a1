import { DEFAULT_DATA_DIR } from './db';

/** Everything the server reads from the environment; README's configuration table lists the same. */
export interface Config {
  port: number;
  host: string;
  /** postgres:// URL; unset means embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Load the demo seed when the database has no merchants yet. */
  seedDemo: boolean;
  logLevel: string;
  nodeEnv: string;
  /** Run the daily job (pledge expiry, rating ageing) in this process; tests turn it off. */
  runJobs: boolean;
  /** Time allowed to drain connections on SIGTERM before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** HS256 secret for tokens; on PGlite a random one is kept in the data directory when unset. */
  authSecret?: string;
  /** JWKS of an identity provider; takes precedence over AUTH_SECRET. */
  authJwksUrl?: string;
  authIssuer?: string;
  authAudience?: string;
  /** PostgreSQL pool size of this process. */
  dbPoolMax: number;
  /** PostgreSQL `statement_timeout` of every connection, ms (0: none). */
  dbStatementTimeoutMs: number;
  /** PostgreSQL `idle_in_transaction_session_timeout` of every connection, ms (0: none). */
  dbIdleInTransactionTimeoutMs: number;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function boolFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got '${env[name]}'`);
}

function authSecretFrom(env: NodeJS.ProcessEnv): string | undefined {
  const secret = env.AUTH_SECRET?.trim();
  if (!secret) return undefined;
  // HS256 with a short secret can be brute-forced offline from any token.
  if (secret.length < 32) throw new ConfigError('AUTH_SECRET must be at least 32 characters');
  return secret;
}

function urlFrom(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch {
    // reported below
  }
  throw new ConfigError(`${name} must be an http(s) URL, got '${raw}'`);
}

/** Reads and checks the configuration; a bad value fails start-up with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV || 'development';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port: intFrom(env, 'PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl,
    dataDir: env.DATA_DIR?.trim() || DEFAULT_DATA_DIR,
    // Demo data is for trying the registry out; a production database never gets it by accident.
    seedDemo: boolFrom(env, 'SEED_DEMO', nodeEnv !== 'production'),
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info'),
    nodeEnv,
    shutdownTimeoutMs: intFrom(env, 'SHUTDOWN_TIMEOUT_MS', 4000, 0, 600_000),
    runJobs: boolFrom(env, 'RUN_JOBS', nodeEnv !== 'test'),
    authSecret: authSecretFrom(env),
    authJwksUrl: urlFrom(env, 'AUTH_JWKS_URL'),
    authIssuer: env.AUTH_ISSUER?.trim() || undefined,
    authAudience: env.AUTH_AUDIENCE?.trim() || undefined,
    dbPoolMax: intFrom(env, 'DB_POOL_MAX', 10, 1, 1000),
    dbStatementTimeoutMs: intFrom(env, 'DB_STATEMENT_TIMEOUT_MS', 15_000, 0, 86_400_000),
    dbIdleInTransactionTimeoutMs: intFrom(env, 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 0, 86_400_000),
  };
}
