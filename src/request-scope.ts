import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import type { Logger } from './logger';
import type { EventBus } from './events/bus';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer';
import type { MutationHooks } from './mutation-hooks';
import { createLoaders, MUTATION_HOOKS, type Loaders, type ServerCaches } from './registry';

export { clearLoaders, type Loaders } from './registry';

/** What services need of a request: who asks, the database, the request's loaders and logger. */
export interface RequestScope {
  requestId: string;
  viewer: Viewer;
  db: Db;
  log: Logger;
  loaders: Loaders;
  /** What its mutations run before they commit (re-rating the merchants they touched). */
  hooks: MutationHooks;
  /** Where committed changes are announced (absent in CLIs, which have no subscribers). */
  events?: EventBus;
  /** The server's caches (absent in CLIs and jobs, which answer once). */
  caches?: ServerCaches;
}

/** What every request of one server shares. */
export interface ServerDeps {
  db: Db;
  log: Logger;
  events?: EventBus;
  caches?: ServerCaches;
}

/** The scope of one request or job: who acts, the database, fresh loaders. */
export function createRequestScope(deps: ServerDeps, viewer: Viewer = PUBLIC_VIEWER, requestId: string = randomUUID()): RequestScope {
  return new Scope(deps, viewer, requestId);
}

/** Its logger is made when first used: most requests never log. */
class Scope implements RequestScope {
  readonly db: Db;
  readonly loaders: Loaders;
  readonly hooks: MutationHooks = MUTATION_HOOKS;
  readonly events?: EventBus;
  readonly caches?: ServerCaches;
  #log?: Logger;

  constructor(
    private readonly deps: ServerDeps,
    readonly viewer: Viewer,
    readonly requestId: string,
  ) {
    this.db = deps.db;
    this.events = deps.events;
    this.caches = deps.caches;
    this.loaders = createLoaders(deps.db);
  }

  get log(): Logger {
    return (this.#log ??= this.deps.log.child({ requestId: this.requestId }));
  }
}
