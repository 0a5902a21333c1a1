/**
 * The registry of per-request data access: every module's loaders and the hooks its mutations
 * run. One of the two composition roots (the other is src/context.ts, which adds the services);
 * services never import either.
 */
import type { Db } from './db';
import type { MutationHooks } from './mutation-hooks';
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

/** Fresh DataLoaders of every module, for one request. */
export function createLoaders(db: Db) {
  return {
    ...createMerchantLoaders(db),
    ...createCreditListLoaders(db),
    ...createStreetLoaders(db),
    ...createAppealLoaders(db),
    ...createRatingLoaders(db),
    ...createPledgeLoaders(db),
    ...createEnrollmentLoaders(db),
    ...createFundLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

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
