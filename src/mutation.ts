import type { Tx } from './db';
import { auditLog } from './db/schema';
import type { RequestScope } from './context';
import type { Role } from './auth/viewer';

export interface AuditEntry {
  /** What was done, `<domain>.<verb>`: `merchant.register`, `pledge.revoke`, `fund.payout`. */
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/** The open transaction of one mutation and what it must leave behind. */
export class MutationScope {
  private audited = 0;
  private readonly commitHooks: (() => void)[] = [];

  constructor(
    readonly tx: Tx,
    private readonly request: RequestScope,
  ) {}

  /** Appends the audit-log row of this change, in the same transaction as the change. */
  async audit(entry: AuditEntry): Promise<void> {
    const { viewer } = this.request;
    await this.tx.insert(auditLog).values({
      actorSub: viewer.sub ?? 'public',
      actorRole: viewer.role as Role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: toJson(entry.before),
      after: toJson(entry.after),
      requestId: this.request.requestId,
    });
    this.audited++;
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
 * Runs one mutation as one transaction: all of its writes and its audit-log rows commit together
 * or not at all. A mutation that wrote no audit row is a bug and rolls back.
 */
export async function mutate<T>(request: RequestScope, work: (scope: MutationScope) => Promise<T>): Promise<T> {
  let scope: MutationScope | undefined;
  const result = await request.db.transaction(async (tx) => {
    scope = new MutationScope(tx, request);
    const value = await work(scope);
    if (scope.auditCount === 0) throw new Error('a mutation must write its audit-log row');
    return value;
  });
  for (const hook of scope!.hooks) {
    try {
      hook();
    } catch (error) {
      request.log.error({ err: error }, 'after-commit hook failed');
    }
  }
  return result;
}

/** Audit rows hold JSON; dates become ISO strings and undefined becomes null. */
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
