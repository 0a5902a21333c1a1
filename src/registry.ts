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

/** Fresh DataLoaders of every module, for one request. */
export function createLoaders(db: Db) {
  // One request's loaders dispatch their batches together, level by level (see LoadWaves).
  const waves = new LoadWaves();
  return {
    ...createMerchantLoaders(db, waves),
    ...createCreditListLoaders(db, waves),
    ...createStreetLoaders(db, waves),
    ...createAppealLoaders(db, waves),
    ...createRatingLoaders(db, waves),
    ...createPledgeLoaders(db, waves),
    ...createEnrollmentLoaders(db, waves),
    ...createFundLoaders(db, waves),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every mutation runs before it commits: the rating module re-rates the merchants touched. */
export const MUTATION_HOOKS: MutationHooks = Object.freeze({ touchedMerchants: [rerateTouchedMerchants] });
