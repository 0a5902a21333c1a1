import type { Tx } from './db';
import type { PendingEvent } from './events/events';

/** Why the touched merchants changed: the first audited action of the mutation. */
export interface TouchCause {
  action: string;
  /** `<targetType>:<targetId>` of that action, when there was one. */
  ref: string | null;
}

/**
 * Runs inside a mutation's transaction, just before it commits, with the merchants it touched;
 * returns the events its own changes cause. The rating module registers one that re-rates them
 * (see src/registry.ts): the mutation runner does not know about ratings.
 */
export type TouchedMerchantsHook = (tx: Tx, merchantIds: string[], cause: TouchCause) => Promise<PendingEvent[]>;

/** The hooks every mutation of a scope runs. */
export interface MutationHooks {
  touchedMerchants: readonly TouchedMerchantsHook[];
}
