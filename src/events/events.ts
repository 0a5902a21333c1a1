/**
 * Events the registry announces when a change commits. They carry ids, versions and the few
 * values subscribers filter on, never personal data; they are written to the event log (the
 * `events` table) in the transaction of the change. Subscribers load anything else once per
 * event (see `loadOnce`).
 */

export interface RatingEvent {
  type: 'rating';
  merchantId: string;
  regionCode: string;
  score: number;
  grade: string;
  previousScore: number | null;
  previousGrade: string | null;
  asOf: string;
  cause: string;
}

export interface AppealEvent {
  type: 'appeal';
  appealId: string;
  merchantId: string | null;
  regionCode: string;
  appealType: string;
  status: string;
  version: number;
}

export interface PledgeEvent {
  type: 'pledge';
  pledgeId: string;
  merchantId: string;
  regionCode: string;
}

export interface FundEvent {
  type: 'fund';
  fundId: string;
  merchantId: string;
  regionCode: string;
}

export type RegistryEvent = RatingEvent | AppealEvent | PledgeEvent | FundEvent;
export type EventType = RegistryEvent['type'];

/**
 * An event as one node delivers it: the same object reaches every subscriber on the node.
 * `position` is its place in the event log; `cursor` the same as the string clients resume from.
 */
export type Delivered<E extends RegistryEvent = RegistryEvent> = E & {
  readonly position: number;
  readonly cursor: string;
  readonly memo: Map<string, Promise<unknown>>;
};

/** Loads `key` of an event once, however many subscribers on this node ask for it. */
export function loadOnce<T>(event: Delivered, key: string, load: () => Promise<T>): Promise<T> {
  let pending = event.memo.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = load();
    event.memo.set(key, pending);
  }
  return pending;
}

/** An event without its region yet: the mutation runner fills it from the merchant. */
export type PendingEvent = { [K in RegistryEvent as K['type']]: Omit<K, 'regionCode'> & { regionCode?: string } }[EventType];
