import type { Tx } from './db';
import { auditLog } from './db/schema';
import type { PendingEvent, RegistryEvent } from './events/events';
import { appendEvents } from './events/log';
import { clearLoaders, type RequestScope } from './request-scope';
import { auditRegionSql } from './modules/audit/audit.region';

export interface AuditEntry {
  /** What was done, `<domain>.<verb>`: `merchant.register`, `pledge.revoke`, `fund.payout`. */
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  /**
   * The region the row is filed under (who may read it); resolved from the target when left
   * out. Give it only for targets the resolver cannot place.
   */
  regionCode?: string | null;
}

/** The open transaction of one mutation and what it must leave behind. */
export class MutationScope {
  private audited = 0;
  private firstAction: AuditEntry | undefined;
  private readonly commitHooks: (() => void)[] = [];
  private readonly touched = new Set<string>();
  private readonly pending: PendingEvent[] = [];
  /** The events this mutation wrote to the event log (placed in their regions). */
  events: RegistryEvent[] = [];

  constructor(
    readonly tx: Tx,
    private readonly request: RequestScope,
  ) {}

  /**
   * Appends the audit-log row of this change, in the same transaction as the change, filed under
   * its target's region (read in the same statement, after the change: a merchant that moved
   * region is filed where it is now).
   */
  async audit(entry: AuditEntry): Promise<void> {
    const { viewer } = this.request;
    await this.tx.insert(auditLog).values({
      regionCode: entry.regionCode !== undefined ? entry.regionCode : auditRegionSql(entry.targetType, entry.targetId),
      actorSub: viewer.sub ?? 'public',
      actorRole: viewer.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: toJson(entry.before),
      after: toJson(entry.after),
      requestId: this.request.requestId,
    });
    this.audited++;
    this.firstAction ??= entry;
  }

  /**
   * Marks merchants whose rating this mutation may change: they are re-rated in the same
   * transaction, just before it commits, from their own records only.
   */
  touch(...merchantIds: (string | null | undefined)[]): void {
    for (const id of merchantIds) if (id) this.touched.add(id);
  }

  /**
   * Announces a change to subscribers on every node: written to the event log in this
   * transaction, so it is delivered once (and only if) the transaction commits.
   */
  emit(event: PendingEvent): void {
    this.pending.push(event);
  }

  /**
   * Append this transaction's events by COPY rather than INSERT: for a bulk writer (the appeal
   * import) on a connection that has COPY (PostgreSQL; not a server's PGlite over its socket).
   */
  copyEvents = false;

  /**
   * @internal Writes the events to the log (regions filled in, one wake-up for all) as the
   * transaction's last statements: the log's lock is held from here to the commit.
   */
  async settleEvents(): Promise<void> {
    this.events = await appendEvents(this.tx, this.pending, { copy: this.copyEvents });
  }

  /**
   * @internal Runs the scope's hooks on the touched merchants (the rating module re-rates them);
   * the first audited action is the cause. Their events are announced with the mutation's.
   */
  async runTouchedHooks(): Promise<void> {
    if (this.touched.size === 0) return;
    const cause = {
      action: this.firstAction?.action ?? 'unknown',
      ref: this.firstAction ? `${this.firstAction.targetType}:${this.firstAction.targetId}` : null,
    };
    for (const hook of this.request.hooks.touchedMerchants) this.pending.push(...(await hook(this.tx, [...this.touched], cause)));
  }

  /** Runs `hook` once the transaction has committed (never after a rollback). */
  afterCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  /** @internal */
  get auditCount(): number {
    return this.audited;
  }

  /** @internal */
  get hooks(): readonly (() => void)[] {
    return this.commitHooks;
  }
}

/**
 * Runs one mutation as one transaction: all of its writes, its audit-log rows and the new ratings
 * of the merchants it touched commit together or not at all. A mutation that wrote no audit row
 * is a bug and rolls back.
 */
export async function mutate<T>(request: RequestScope, work: (scope: MutationScope) => Promise<T>): Promise<T> {
  let scope: MutationScope | undefined;
  const result = await request.db.transaction(async (tx) => {
    scope = new MutationScope(tx, request);
    const value = await work(scope);
    if (scope.auditCount === 0) throw new Error('a mutation must write its audit-log row');
    await scope.runTouchedHooks();
    await scope.settleEvents();
    return value;
  });
  // The log has the events (a rolled-back mutation wrote none); this node reads them at once
  // rather than when the NOTIFY comes back. Other nodes are woken by the NOTIFY.
  if (scope!.events.length) request.events?.wake();
  for (const hook of scope!.hooks) {
    try {
      hook();
    } catch (error) {
      request.log.error({ err: error }, 'after-commit hook failed');
    }
  }
  // The request's loaders may hold what the mutation just changed (a summary, a page, a
  // rating's records): the fields of its result, and the mutations after it, read afresh.
  clearLoaders(request.loaders);
  return result;
}

/** Audit rows hold JSON; dates become ISO strings and undefined becomes null. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
