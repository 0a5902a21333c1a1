import { AsyncLocalStorage } from 'node:async_hooks';
import DataLoader from 'dataloader';

/** Set while a batch function runs: its own loads must not wait for the wave it belongs to. */
const inBatch = new AsyncLocalStorage<true>();

/**
 * Dispatches the batches of one request's loaders in waves. DataLoader alone sends a batch at
 * the end of the tick its first key was asked in; over a pool of connections the answers of
 * one level of the query (a page's pledges, their audits, …) arrive at different moments, and
 * the fields below them then ask in several ticks: the same loader runs once per moment, and
 * how many statements a page takes depends on timing. Here a batch waits until no batch of
 * the request is in flight and goes with every key asked for meanwhile, so each loader runs
 * once per level of the query, whatever the timing and the page size. The price: the next
 * level starts when the slowest statement of this one has answered.
 */
export class LoadWaves {
  private inFlight = 0;
  private queued: (() => void)[] = [];
  private flushScheduled = false;

  /** DataLoader's `batchScheduleFn`. */
  readonly schedule = (dispatch: () => void): void => {
    // A batch function that itself loads would otherwise wait for its own end.
    if (inBatch.getStore()) {
      process.nextTick(dispatch);
      return;
    }
    this.queued.push(dispatch);
    this.flushSoon();
  };

  /** The batch function, counted while it runs. */
  track<K, V>(batch: DataLoader.BatchLoadFn<K, V>): DataLoader.BatchLoadFn<K, V> {
    return async (keys) => {
      this.inFlight++;
      try {
        return await inBatch.run(true, () => batch(keys));
      } finally {
        this.inFlight--;
        this.flushSoon();
      }
    };
  }

  private flushSoon(): void {
    if (this.inFlight > 0 || this.queued.length === 0 || this.flushScheduled) return;
    this.flushScheduled = true;
    // When the resolvers an answer woke have asked for their keys: DataLoader's own moment
    // (after the promise jobs queued now), so a lone wave costs no more than without waves.
    void Promise.resolve().then(() => process.nextTick(() => {
      this.flushScheduled = false;
      if (this.inFlight > 0) return;
      const wave = this.queued;
      this.queued = [];
      for (const dispatch of wave) dispatch();
    }));
  }
}

/** A DataLoader whose batches go in the request's waves (see LoadWaves). */
export function waveLoader<K, V, C = K>(waves: LoadWaves, batch: DataLoader.BatchLoadFn<K, V>, options: DataLoader.Options<K, V, C> = {}): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(waves.track(batch), { ...options, batchScheduleFn: waves.schedule });
}
