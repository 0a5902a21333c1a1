import 'reflect-metadata';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, execute, subscribe, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Config } from './config';
import { createDb, type Db, type DbHandle } from './db';
import { serveToCommands } from './db/pglite-serve';
import { requestLog } from './http/request-log';
import { graphqlHttpHandler, isGraphQLPath } from './http/graphql-http';
import { PreparedPath } from './http/prepared-path';
import { migrateDb, withStartupLock } from './db/migrate';
import { createContext, type Context } from './context';
import { createServerCaches } from './registry';
import { maskError, maskSubscriptionErrors } from './errors';
import { guardExecution, inputGuardPlugin } from './graphql/input-guard';
import { createLogger, type Logger } from './logger';
import { buildRegistrySchema } from './schema';
import { createTokenVerifier, resolveAuth, viewerFromAuthorization } from './auth/tokens';
import { createWsAuth, type WsAuthExtra } from './auth/ws-auth';
import { scheduleDailyJob } from './jobs/daily';
import { createLocalBus, createPostgresBus, type EventBus } from './events/bus';
import { lastPosition } from './events/log';
import { createFanout } from './http/subscription-fanout';
import { viewerExpired } from './auth/viewer';
import { UnauthenticatedError } from './errors';
import { createLimits } from './limits';
import type { StartupStatus } from './http/startup-gate';
import { serviceUnavailablePlugin } from './db/unavailable';
import { clientAddress, startRequestBudget } from './limits/request';
import { corsForGraphQL } from './http/cors';
import { webRouter } from './web/routes';
import { securityHeaders } from './web/security';
import { schemaLabels } from './web/labels';
import { socketCookieToken } from './web/session';
import { webAssetsDir } from './web/assets';
import type { RunOperation } from './web/deps';

export interface App {
  config: Config;
  log: Logger;
  handle: DbHandle;
  schema: GraphQLSchema;
  events: EventBus;
  /** Queries answered without Apollo's pipeline once it has prepared them (`answered` counts them). */
  prepared: PreparedPath;
  /** Subscriptions open on this node by event type (a socket's close removes its own at once). */
  subscriptions(): Record<string, number>;
  httpServer: Server;
  /** The app's request handler, for a server passed in as `httpServer` to route to once the app is built. */
  requestHandler: RequestListener;
  /** Starts listening on `config.port` (0 picks a free port) and resolves with the URL of /graphql. */
  listen(): Promise<{ port: number; url: string }>;
  /** Drains HTTP and WebSocket connections, then closes the database if the app opened it. */
  stop(): Promise<void>;
}

/**
 * Demo data for an empty database, given by the entry point (src/index.ts loads seeds/load only
 * when SEED_DEMO is on), so the app itself never imports the seed generator.
 */
export interface DemoSeeder {
  isDatabaseEmpty: (db: Db) => Promise<boolean>;
  seedDemo: (db: Db, options: { onPhase: (phase: { name: string; done: number; total: number }) => void }) => Promise<{ inserted: unknown }>;
}

export interface CreateAppOptions {
  config: Config;
  log?: Logger;
  /** An open, migrated database (tests pass one); otherwise the app opens, migrates and seeds its own. */
  db?: DbHandle;
  /**
   * A server already listening (the entry point's start-up gate): the app serves on it and
   * leaves routing requests to `requestHandler` to the caller. Otherwise the app makes its own.
   */
  httpServer?: Server;
  /** Told each phase of start-up (migrating, seeding with progress, rating) as it happens. */
  onStartup?: (status: StartupStatus) => void;
  /** Seeds the database the app opens when it is empty; without it nothing is seeded. */
  seeder?: DemoSeeder;
}

/**
 * Opens the configured database, applies migrations and, on an empty database, the `seeder`'s
 * demo data, telling `onStatus` (and the log, every tenth of a phase) how far it got.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  onStatus: (status: StartupStatus) => void = () => {},
  seeder?: DemoSeeder,
): Promise<DbHandle> {
  const serving = {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    maxConnections: config.dbPoolMax,
    prepare: config.dbPrepare,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    idleInTransactionTimeoutMs: config.dbIdleInTransactionTimeoutMs,
    onNotice: (message: string) => log.debug({ notice: message }, 'postgres notice'),
  };
  // Migrations and the first seed run longer than any request may: on PostgreSQL they get a
  // small pool of their own without the timeouts. PGlite allows one handle per data directory.
  const setup = config.databaseUrl
    ? await createDb({ ...serving, maxConnections: 2, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 })
    : await createDb(serving);
  try {
    // Another node may hold the lock while it migrates and seeds: this one waits for it.
    onStatus({ phase: 'waiting for the start-up lock' });
    await withStartupLock(setup, async () => {
      onStatus({ phase: 'migrating' });
      await migrateDb(setup);
      if (seeder && (await seeder.isDatabaseEmpty(setup.db))) {
        log.info('empty database: loading the demo seed');
        const started = Date.now();
        let logged = '';
        const { inserted } = await seeder.seedDemo(setup.db, {
          onPhase: (phase) => {
            onStatus({ phase: `seeding: ${phase.name}`, done: phase.done, total: phase.total });
            // A line per tenth of each phase: progress an operator can follow, not a flood.
            const mark = `${phase.name}:${Math.floor((phase.done / Math.max(1, phase.total)) * 10)}`;
            if (mark === logged) return;
            logged = mark;
            log.info({ phase: phase.name, done: phase.done, total: phase.total }, 'seeding');
          },
        });
        log.info({ inserted, ms: Date.now() - started }, 'demo seed loaded');
      }
    });
  } catch (error) {
    await setup.close();
    throw error;
  }
  const handle = config.databaseUrl ? (await setup.close(), await createDb(serving)) : setup;
  log.info({ driver: handle.driver, dataDir: handle.driver === 'pglite' ? config.dataDir : undefined }, 'database ready');
  return handle;
}

/**
 * Builds the whole server (HTTP and graphql-ws on one port, path /graphql) without listening,
 * so tests start exactly what production runs.
 */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const ownsDb = !options.db;
  // Resolved before the database opens: server mode without a key refuses to start at once.
  const auth = resolveAuth(config);
  const verify = createTokenVerifier(auth);
  const handle = options.db ?? (await openDatabase(config, log, options.onStartup, options.seeder));
  options.onStartup?.({ phase: 'building the schema' });
  // PGlite answers one process only: the commands (report, import:appeals, …) use it through us.
  const served = ownsDb ? await serveToCommands(handle, config.dataDir, log) : undefined;
  log.info({ auth: auth.kind === 'jwks' ? `jwks ${auth.url.host}` : `hs256 (${auth.source})` }, 'token verification');
  const schema = await buildRegistrySchema();
  // Every node reads the event log; on PostgreSQL a NOTIFY wakes it, on PGlite (one process) the
  // commit itself does.
  const busOptions = { db: handle.db, log, pollMs: config.eventsPollMs, reconnectMs: config.eventsReconnectMs };
  const events: EventBus = handle.sql && handle.url ? await createPostgresBus(handle.url, busOptions) : await createLocalBus(busOptions);
  const deps = { db: handle.db, log, events, caches: createServerCaches() };
  const reportError = (error: unknown) => log.error({ err: error }, 'unexpected error in a resolver');
  const formatError = (formatted: GraphQLFormattedError, error: unknown) => maskError(formatted, error, reportError);
  const limits = await createLimits({ config: config.limits, schema, handle, log, formatError });
  // Context creation is not a resolver: its accidents are logged and masked here, not passed on.
  const contextFailed = (error: unknown): never => {
    if (error instanceof GraphQLError) throw error;
    log.error({ err: error }, 'unexpected error creating a request context');
    throw new GraphQLError('Internal server error');
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(log));
  if (config.limits.trustProxyHops > 0) app.set('trust proxy', config.limits.trustProxyHops);
  // Routed once the handlers exist (below): the server must exist first for graphql-ws and draining.
  let route: RequestListener = (req, res) => {
    app(req, res);
  };
  const httpServer = options.httpServer ?? createServer((req, res) => {
    route(req, res);
  });
  let stopping = false;

  // Subscribers with the same document, variables and audience share one execution per event.
  const fanout = createFanout<Context>({
    subscribe: guardExecution(subscribe),
    // What the live resolvers decide by: the role, the merchants acted for, the regions governed.
    audienceOf: ({ viewer }) => [viewer.role, [...viewer.merchantIds].sort().join(','), [...viewer.regions].sort().join(',')].join('|'),
    // The channel outlives its first subscriber: no socket's limits, no token expiry of its own.
    channelContext: ({ viewer }) => createContext(deps, { ...viewer, expiresAt: undefined }),
    admits: ({ viewer }) => !viewerExpired(viewer),
    refusal: () => new UnauthenticatedError('Token has expired'),
  });
  // A result shared by many subscribers is masked (and its accident logged) once.
  const maskedResults = new WeakMap<object, unknown>();

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.limits.requestBodyLimit });
  const wsAuth = createWsAuth(verify, log, socketCookieToken);
  const wsCleanup = useServer<Record<string, unknown> | undefined, Omit<WsAuthExtra, 'socket'>>(
    {
      schema,
      // A bad token closes the socket at connection (4403), its expiry closes it later (4403).
      ...wsAuth,
      // An expired viewer is refused before the limits charge anything.
      onSubscribe: async (ctx, id, payload) => wsAuth.onSubscribe(ctx) ?? limits.onSubscribe(ctx, id, payload),
      // A fresh context (and so fresh DataLoaders) for every operation on the socket.
      context: async (ctx, _id, _payload, args) => {
        try {
          return limits.attachWs(createContext(deps, ctx.extra.viewer), args);
        } catch (error) {
          return contextFailed(error);
        }
      },
      execute: guardExecution(execute),
      subscribe: (args) => fanout.subscribe(args),
      // Errors a subscription's stream throws arrive here wrapped, with the original inside.
      onError: (_ctx, _id, _payload, errors) => maskSubscriptionErrors(errors, reportError),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return result;
        let masked = maskedResults.get(result);
        if (!masked) {
          masked = { ...result, errors: result.errors.map((e) => maskError(e.toJSON(), e, reportError)) };
          maskedResults.set(result, masked);
        }
        return masked as typeof result;
      },
    },
    wsServer,
  );

  const prepared = new PreparedPath({ schema, config: config.limits, rate: limits.rate, formatError, compile: config.graphqlJit });
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    parseOptions: limits.parseOptions,
    // index.ts owns SIGTERM/SIGINT; Apollo's own handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [
      // Its per-field hook wraps every resolver for cache hints the schema never gives; answers
      // are `cache-control: no-store` all the same (src/http/graphql-http.ts).
      ApolloServerPluginCacheControlDisabled(),
      limits.plugin,
      inputGuardPlugin(),
      serviceUnavailablePlugin(),
      prepared.plugin(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: Math.min(2000, config.shutdownTimeoutMs) }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (stopping) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const status = events.status();
    const live = fanout.stats();
    let committed: number;
    try {
      await withTimeout(handle.ping(), 2000);
      committed = await withTimeout(lastPosition(handle.db), 2000);
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: handle.driver, events: status.listening ? 'listening' : 'down', pool: handle.poolStats?.() });
      return;
    }
    const body = {
      database: handle.driver,
      events: status.listening ? 'listening' : 'down',
      subscriptions: { rating: 0, appeal: 0, pledge: 0, fund: 0, ...subscriptionsByType(live.subscriptions) },
      executions: live.executions,
      // The log as this node reads it: how far behind what is committed, its last outage, its catch-ups.
      eventLog: { seen: status.seen, committed, lag: Math.max(0, committed - status.seen), lastOutage: status.lastOutage, catchUps: status.catchUps },
      pool: handle.poolStats?.(),
    };
    // Without the listener this node hears of other nodes' events only at the poll.
    if (!status.listening) {
      res.status(503).json({ status: 'unavailable', ...body });
      return;
    }
    res.json({ status: 'ready', ...body });
  });
  // The pages run their operations on this same Apollo server, with a context made as for
  // /graphql, so a page shows exactly what the API answers (and is charged as the API is).
  const runOperation: RunOperation = async (operation, { req, res, viewer }) => {
    const requestLimits = startRequestBudget(res, config.limits.requestTimeoutMs, clientAddress(req, config.limits.trustProxyHops));
    let contextValue: Context;
    try {
      contextValue = limits.attach(createContext(deps, viewer), requestLimits);
    } catch (error) {
      return contextFailed(error);
    }
    const response = await apollo.executeOperation<Record<string, unknown>>(operation, { contextValue });
    if (response.body.kind !== 'single') throw new Error('pages ask for no incremental delivery');
    return { data: response.body.singleResult.data as never, errors: response.body.singleResult.errors };
  };
  app.use(securityHeaders());
  app.use(
    webRouter({
      run: runOperation,
      labels: schemaLabels(schema),
      verify,
      log,
      assetsDir: webAssetsDir(),
      graphiql: config.graphiql,
    }),
  );
  // /graphql is served on bare node:http (src/http/graphql-http.ts); express keeps the rest.
  const graphql = graphqlHttpHandler({
    apollo,
    log,
    bodyLimit: config.limits.requestBodyLimit,
    requestTimeoutMs: config.limits.requestTimeoutMs,
    trustProxyHops: config.limits.trustProxyHops,
    prepared: config.preparedPath ? prepared : undefined,
    context: async ({ req, requestId, limits: requestLimits }) => {
      const viewer = await viewerFromAuthorization(req.headers.authorization, verify).catch((error: unknown) => {
        // A bad token fails the whole request, with HTTP 401 (Apollo strips `http` from the body).
        if (error instanceof GraphQLError) {
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } });
        }
        return contextFailed(error);
      });
      try {
        return limits.attach(createContext(deps, viewer, requestId), requestLimits);
      } catch (error) {
        return contextFailed(error);
      }
    },
  });
  const cors = corsForGraphQL(config.corsOrigins);
  const requestHandler: RequestListener = (req, res) => {
    if (isGraphQLPath(req.url)) {
      if (!cors(req, res)) graphql(req, res);
    } else app(req, res);
  };
  route = requestHandler;

  const daily = config.runJobs ? scheduleDailyJob(handle, log, events, config.eventRetentionDays) : undefined;
  let stopped: Promise<void> | undefined;
  return {
    config,
    log,
    handle,
    schema,
    events,
    prepared,
    subscriptions: () => ({ rating: 0, appeal: 0, pledge: 0, fund: 0, ...subscriptionsByType(fanout.stats().subscriptions) }),
    httpServer,
    requestHandler,
    listen: () =>
      new Promise((resolve, reject) => {
        if (httpServer.listening) {
          resolve(urlOf(httpServer, config.host));
          return;
        }
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          resolve(urlOf(httpServer, config.host));
        });
      }),
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await daily?.stop();
        try {
          await apollo.stop();
        } finally {
          if (!httpServer.listening) httpServer.closeAllConnections();
          await events.close();
          limits.close();
          await served?.close();
          if (ownsDb) await handle.close();
        }
      })()),
  };
}

/** The root fields of the subscriptions, by the event type they follow. */
const SUBSCRIPTION_TYPES: Record<string, string> = { ratingChanged: 'rating', appealUpdated: 'appeal', pledgeChanged: 'pledge', fundBalanceChanged: 'fund' };

/** Subscriptions by event type, as /readyz has always shown them. */
function subscriptionsByType(byField: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, n] of Object.entries(byField)) {
    const type = SUBSCRIPTION_TYPES[field] ?? field;
    out[type] = (out[type] ?? 0) + n;
  }
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the rejection on as it came
        reject(error);
      },
    );
  });
}

/** The port and /graphql URL a listening server answers on. */
export function urlOf(server: Server, host: string): { port: number; url: string } {
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { port, url: `http://${shown}:${port}/graphql` };
}
