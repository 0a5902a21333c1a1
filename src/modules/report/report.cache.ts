import type { AppealStatistics } from './report.type';

/**
 * Annual reports one server has answered, each under the version of the appeal counts it was
 * computed at (read in the same statement as the counts). An entry answers only while the
 * database's version is still that one: any committed change of `appeals`, from any node or
 * process, raises it, so every node's cache goes stale at the same commit. Held by the server
 * (one per app), never by a module, so two databases in one process never share entries.
 */
export class AnnualReportCache {
  private version: number | null = null;
  private readonly entries = new Map<string, AppealStatistics>();

  /** At most `maxEntries` reports (one per year and region asked for), the oldest dropped first. */
  constructor(private readonly maxEntries = 256) {}

  /** The report cached under `key` if it was computed at `version`. */
  get(key: string, version: number): AppealStatistics | undefined {
    return this.version === version ? this.entries.get(key) : undefined;
  }

  /** Keeps a report computed at `version`; one from an older version than those kept is not kept. */
  set(key: string, version: number, value: AppealStatistics): void {
    if (this.version !== version) {
      // A request that read the counts before a newer one cached must not push the newer out.
      if (this.version !== null && version < this.version) return;
      this.entries.clear();
      this.version = version;
    }
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }
}
