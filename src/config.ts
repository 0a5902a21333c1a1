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
  /** PostgreSQL only: send every statement as a named prepared statement (off behind PgBouncer's transaction pooling). */
  dbPrepare: boolean;
  /** PostgreSQL `statement_timeout` of every connection, ms (0: none). */
  dbStatementTimeoutMs: number;
  /** Queries Apollo has parsed and validated once are answered without its pipeline (src/http/prepared-path.ts). */
  preparedPath: boolean;
  /** Prepared operations run compiled by graphql-jit (GRAPHQL_JIT). */
  graphqlJit: boolean;
  /** PostgreSQL `idle_in_transaction_session_timeout` of every connection, ms (0: none). */
  dbIdleInTransactionTimeoutMs: number;
  /** Longest token lifetime (exp − iat) accepted, in seconds; tokens without exp or iat are refused. */
  authMaxTokenLifetimeS: number;
  /** What one request may cost and how much a viewer may spend (src/limits/, docs/limits.md). */
  limits: LimitsConfig;
  /** CORS_ORIGINS: exact origins (scheme, host, port) whose browsers may call /graphql; none by default. */
  corsOrigins: string[];
  /** GRAPHIQL: serve the explorer at /graphiql (default on, off under NODE_ENV=production). */
  graphiql: boolean;
  /** EVENT_RETENTION_DAYS: the daily job prunes the event log's older rows; older cursors get CURSOR_EXPIRED. */
  eventRetentionDays: number;
  /** EVENTS_POLL_MS: a node reads the event log at least this often, wake-up or not (the net under NOTIFY). */
  eventsPollMs: number;
  /** EVENTS_RECONNECT_MS: the first wait before a dropped listener reconnects (doubling on each failure). */
  eventsReconnectMs: number;
}

/** Bounds on one request and budgets per viewer; every figure has its environment variable. */
export interface LimitsConfig {
  /** QUERY_MAX_DEPTH: nesting of selections (introspection's own nesting is bounded by cost). */
  maxDepth: number;
  /** QUERY_MAX_ALIASES: aliased fields in one operation. */
  maxAliases: number;
  /** QUERY_MAX_DIRECTIVES: directives in one operation. */
  maxDirectives: number;
  /** QUERY_MAX_TOKENS: lexical tokens of the query text (counted before parsing). */
  maxTokens: number;
  /** QUERY_MAX_COST: cost points of one operation (src/limits/cost.ts). */
  maxCost: number;
  /** REQUEST_BODY_LIMIT: bytes of a JSON body or a WebSocket message. */
  requestBodyLimit: number;
  /** REQUEST_TIMEOUT_MS: after this no further resolver of the request starts. */
  requestTimeoutMs: number;
  /** RATE_LIMIT_WINDOW_S: length of the fixed window the budgets below are for. */
  rateLimitWindowS: number;
  /** RATE_LIMIT_SYNC_MS: how often a node sends its charges to the shared counters (PostgreSQL). */
  rateLimitSyncMs: number;
  /** Cost points per window: RATE_LIMIT_PUBLIC (per client address), _MERCHANT, _SUPERVISOR, _ADMIN (per token subject). */
  rateLimits: { PUBLIC: number; MERCHANT: number; SUPERVISOR: number; ADMIN: number };
  /** WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: operations one WebSocket may have running at once. */
  wsMaxSubscriptionsPerConnection: number;
  /** TRUST_PROXY: reverse proxies in front of the server whose X-Forwarded-For is believed (0: none). */
  trustProxyHops: number;
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

function originsFrom(env: NodeJS.ProcessEnv, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((entry) => {
    const given = entry.trim();
    let origin: string | undefined;
    try {
      const url = new URL(given);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === given.replace(/\/$/, '')) origin = url.origin;
    } catch {
      // reported below
    }
    // Exact origins only: a wildcard or a path would let more sites in than the operator meant.
    if (!origin) throw new ConfigError(`${name} must list exact origins such as https://lookup.example.cn, separated by commas; got '${given}'`);
    return origin;
  });
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 * 1024 };

function bytesFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)\s*(b|kb|mb)?$/.exec(raw);
  const value = match ? Number(match[1]) * SIZE_UNITS[match[2] ?? '']! : NaN;
  if (!Number.isSafeInteger(value) || value < 1024 || value > 1024 * 1024 * 1024) {
    throw new ConfigError(`${name} must be a size from 1kb to 1024mb (e.g. 6mb, 512kb, 100000), got '${env[name]}'`);
  }
  return value;
}

function limitsFrom(env: NodeJS.ProcessEnv): LimitsConfig {
  const supervisor = intFrom(env, 'RATE_LIMIT_SUPERVISOR', 50_000, 1, 1e9);
  return {
    maxDepth: intFrom(env, 'QUERY_MAX_DEPTH', 10, 1, 1000),
    maxAliases: intFrom(env, 'QUERY_MAX_ALIASES', 30, 0, 100_000),
    maxDirectives: intFrom(env, 'QUERY_MAX_DIRECTIVES', 20, 0, 100_000),
    maxTokens: intFrom(env, 'QUERY_MAX_TOKENS', 2000, 10, 10_000_000),
    maxCost: intFrom(env, 'QUERY_MAX_COST', 5000, 1, 1e9),
    // importAppeals takes CSV up to 5 MB, inline or as a variable, with JSON escaping on top.
    requestBodyLimit: bytesFrom(env, 'REQUEST_BODY_LIMIT', 6 * 1024 * 1024),
    requestTimeoutMs: intFrom(env, 'REQUEST_TIMEOUT_MS', 10_000, 1, 3_600_000),
    rateLimitWindowS: intFrom(env, 'RATE_LIMIT_WINDOW_S', 60, 1, 86_400),
    rateLimitSyncMs: intFrom(env, 'RATE_LIMIT_SYNC_MS', 100, 1, 60_000),
    rateLimits: {
      PUBLIC: intFrom(env, 'RATE_LIMIT_PUBLIC', 10_000, 1, 1e9),
      MERCHANT: intFrom(env, 'RATE_LIMIT_MERCHANT', 20_000, 1, 1e9),
      SUPERVISOR: supervisor,
      ADMIN: intFrom(env, 'RATE_LIMIT_ADMIN', supervisor, 1, 1e9),
    },
    wsMaxSubscriptionsPerConnection: intFrom(env, 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 10_000),
    trustProxyHops: intFrom(env, 'TRUST_PROXY', 0, 0, 10),
  };
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function logLevelFrom(env: NodeJS.ProcessEnv, fallback: string): string {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${env.LOG_LEVEL}'`);
  }
  return raw;
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
    logLevel: logLevelFrom(env, nodeEnv === 'test' ? 'silent' : 'info'),
    nodeEnv,
    shutdownTimeoutMs: intFrom(env, 'SHUTDOWN_TIMEOUT_MS', 4000, 0, 600_000),
    runJobs: boolFrom(env, 'RUN_JOBS', nodeEnv !== 'test'),
    authSecret: authSecretFrom(env),
    authJwksUrl: urlFrom(env, 'AUTH_JWKS_URL'),
    authIssuer: env.AUTH_ISSUER?.trim() || undefined,
    authAudience: env.AUTH_AUDIENCE?.trim() || undefined,
    // A stolen token is good until it expires; a week bounds that even when misconfigured.
    authMaxTokenLifetimeS: intFrom(env, 'AUTH_MAX_TOKEN_LIFETIME_S', 86_400, 60, 604_800),
    limits: limitsFrom(env),
    corsOrigins: originsFrom(env, 'CORS_ORIGINS'),
    // The explorer shows the whole schema and takes pasted tokens: production opts in.
    graphiql: boolFrom(env, 'GRAPHIQL', nodeEnv !== 'production'),
    dbPoolMax: intFrom(env, 'DB_POOL_MAX', 10, 1, 1000),
    dbPrepare: boolFrom(env, 'DB_PREPARE', true),
    preparedPath: boolFrom(env, 'PREPARED_PATH', true),
    graphqlJit: boolFrom(env, 'GRAPHQL_JIT', true),
    dbStatementTimeoutMs: intFrom(env, 'DB_STATEMENT_TIMEOUT_MS', 15_000, 0, 86_400_000),
    dbIdleInTransactionTimeoutMs: intFrom(env, 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 0, 86_400_000),
    eventRetentionDays: intFrom(env, 'EVENT_RETENTION_DAYS', 7, 1, 3650),
    eventsPollMs: intFrom(env, 'EVENTS_POLL_MS', 1000, 50, 600_000),
    eventsReconnectMs: intFrom(env, 'EVENTS_RECONNECT_MS', 100, 10, 60_000),
  };
}
