import { createApp, urlOf, type App, type DemoSeeder } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger, type Logger } from './logger';
import { createStartupGate } from './http/startup-gate';

/** The entry point: only configuration, listening and signals; everything else is in app.ts. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  let app: App | undefined;
  let shuttingDown = false;

  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    // If draining hangs, leave anyway: the orchestrator would kill us a little later.
    setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs + 500).unref();
    // A signal during start-up stops the app as soon as it exists (see below).
    if (!app) return;
    stop(app, log);
  };
  // Registered before start-up, so a signal while migrating still shuts down in order.
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  // The port opens at once: while the database is migrated and seeded, /readyz says how far it got.
  const started = Date.now();
  const gate = createStartupGate();
  await new Promise<void>((resolve, reject) => {
    gate.server.once('error', reject);
    gate.server.listen(config.port, config.host, () => {
      gate.server.off('error', reject);
      resolve();
    });
  });
  log.info(urlOf(gate.server, config.host), 'listening');
  try {
    // The seed generator is loaded only when demo seeding is on: otherwise it is never required.
    const seeder = config.seedDemo ? demoSeeder() : undefined;
    app = await createApp({ config, log, httpServer: gate.server, onStartup: (status) => gate.setStatus(status), seeder });
  } catch (error) {
    gate.server.close();
    throw error;
  }
  gate.open(app.requestHandler);
  if (shuttingDown) return stop(app, log);
  log.info({ ...urlOf(gate.server, config.host), ms: Date.now() - started }, 'ready');
}

/** The demo seed, required only now: with SEED_DEMO off the seed generator is never loaded. */
function demoSeeder(): DemoSeeder {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy CommonJS require; `import()` would need the built file's extension
  const load = require('../seeds/load') as typeof import('../seeds/load');
  return { isDatabaseEmpty: (db) => load.isDatabaseEmpty(db), seedDemo: (db, options) => load.seedDemo(db, options) };
}

function stop(app: App, log: Logger): void {
  app.stop().then(
    () => {
      log.info('stopped');
      process.exit(0);
    },
    (error: unknown) => {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    },
  );
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : error;
  createLogger('info').fatal({ err: message }, 'failed to start');
  process.exit(1);
});
