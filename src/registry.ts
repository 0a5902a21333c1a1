/**
 * The registry of per-request data access: every module's loaders and the hooks its mutations
 * run. One of the two composition roots (the other is src/context.ts, which adds the services);
 * services never import either.
 */
import type { Db } from './db';
import type { MutationHooks } from './mutation-hooks';
import { LoadWaves } from './common/load-waves';
import { createMerchantLoaders } from './modules/merchant/merchant.loaders';
import { createCreditListLoaders } from './modules/credit-list/credit-list.loaders';
import { createStreetLoaders } from './modules/street/street.loaders';
import { createAppealLoaders } from './modules/appeal/appeal.loaders';
import { createRatingLoaders } from './modules/rating/rating.loaders';
import { createPledgeLoaders } from './modules/pledge/pledge.loaders';
import { createEnrollmentLoaders } from './modules/enrollment/enrollment.loaders';
import { createFundLoaders } from './modules/fund/fund.loaders';
import { rerateTouchedMerchants } from './modules/rating/rating.hook';
import { AnnualReportCache } from './modules/report/report.cache';

const FACTORIES = [
  createMerchantLoaders,
  createCreditListLoaders,
  createStreetLoaders,
  createAppealLoaders,
  createRatingLoaders,
  createPledgeLoaders,
  createEnrollmentLoaders,
  createFundLoaders,
] as const;

type Union<T> = T extends unknown ? (x: T) => void : never;
type Intersection<T> = Union<T> extends (x: infer I) => void ? I : never;
/** Every module's DataLoaders by name. */
export type Loaders = Intersection<ReturnType<(typeof FACTORIES)[number]>>;

const DB = Symbol('db');
const WAVES = Symbol('waves');
const MADE = Symbol('made');
type LazyLoaders = Loaders & { [DB]: Db; [WAVES]: LoadWaves; [MADE]: Record<string, { clearAll(): unknown }>[] };
let LoadersClass: (new (db: Db) => LazyLoaders) | undefined;

/**
 * The class of a request's loaders: a getter per loader on the prototype (made once, from the
 * factories' own keys) that builds its module's loaders on first use. A lookup touches two
 * modules of eight, so a request pays for what it reads, not for twenty DataLoaders.
 */
function loadersClass(db: Db): new (db: Db) => LazyLoaders {
  class RequestLoaders {
    [DB]: Db;
    /** One request's loaders dispatch their batches together, level by level (see LoadWaves). */
    [WAVES] = new LoadWaves();
    [MADE]: Record<string, { clearAll(): unknown }>[] = [];
    constructor(database: Db) {
      this[DB] = database;
    }
  }
  FACTORIES.forEach((factory, i) => {
    for (const key of Object.keys(factory(db, new LoadWaves()))) {
      Object.defineProperty(RequestLoaders.prototype, key, {
        get(this: RequestLoaders) {
          const made = (this[MADE][i] ??= factory(this[DB], this[WAVES]) as Record<string, { clearAll(): unknown }>);
          return made[key];
        },
      });
    }
  });
  return RequestLoaders as unknown as new (db: Db) => LazyLoaders;
}

/** Fresh DataLoaders of every module, for one request (each module's made when first used). */
export function createLoaders(db: Db): Loaders {
  LoadersClass ??= loadersClass(db);
  return new LoadersClass(db);
}

/** Empties the cache of every loader a request has made so far. */
export function clearLoaders(loaders: Loaders): void {
  for (const made of (loaders as LazyLoaders)[MADE]) {
    if (made) for (const loader of Object.values(made)) loader.clearAll();
  }
}

/** What every mutation runs before it commits: the rating module re-rates the merchants touched. */
export const MUTATION_HOOKS: MutationHooks = Object.freeze({ touchedMerchants: [rerateTouchedMerchants] });

/**
 * What one server keeps across requests: only answers that know when they go stale (the annual
 * reports, under the appeal counts' version). Made per app, so servers never share them.
 */
export function createServerCaches() {
  return { annualReports: new AnnualReportCache() };
}

export type ServerCaches = ReturnType<typeof createServerCaches>;
