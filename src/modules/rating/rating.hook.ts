import { shanghaiToday } from '../../domain/local-date';
import type { TouchedMerchantsHook } from '../../mutation-hooks';
import { ratingEvents, rerateMerchants } from './rating.store';

/**
 * Re-rates the merchants a mutation touched, in its transaction, from their own records only;
 * each changed rating becomes a `rating` event.
 */
export const rerateTouchedMerchants: TouchedMerchantsHook = async (tx, merchantIds, cause) => {
  const changes = await rerateMerchants(tx, merchantIds, shanghaiToday(), cause.action, cause.ref);
  return ratingEvents(changes);
};
