import { eq } from 'drizzle-orm';
import { creditListEntries, merchants } from '../../db/schema';
import type { RequestScope } from '../../request-scope';
import { assertMayManage, loadMerchantForUpdate, requireId } from '../../common/access';
import { requireDate, requireText } from '../../common/input';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors';
import { mutate } from '../../mutation';
import type { AddCreditListEntryInput, RemoveCreditListEntryInput } from '../merchant/merchant.input';
import type { CreditListEntryRow } from './credit-list.type';
import { actorOf } from '../../auth/viewer';

/** Listing on and removal from the abnormal-operations and serious-violation lists. */
export class CreditListService {
  constructor(private readonly scope: RequestScope) {}

  /** Supervisors list a merchant in their region. */
  add(input: AddCreditListEntryInput): Promise<CreditListEntryRow> {
    const listedOn = requireDate(input.listedOn, 'input.listedOn', { notAfterToday: true });
    const reason = requireText(input.reason, 'input.reason');
    return mutate(this.scope, async (m) => {
      const merchant = await loadMerchantForUpdate(m.tx, input.merchantId, 'input.merchantId');
      assertMayManage(this.scope.viewer, merchant, { keepersOnly: true });
      const [row] = await m.tx
        .insert(creditListEntries)
        .values({
          merchantId: merchant.id,
          list: input.list,
          listedOn,
          reason,
          decisionRef: input.decisionRef?.trim() || null,
          listedBy: actorOf(this.scope.viewer),
        })
        .returning();
      m.touch(merchant.id);
      await m.audit({ action: 'creditList.add', targetType: 'merchant', targetId: merchant.id, after: row });
      return row!;
    });
  }

  /** 信用修复: supervisors take a merchant in their region off a list. */
  remove(input: RemoveCreditListEntryInput): Promise<CreditListEntryRow> {
    const removedOn = requireDate(input.removedOn, 'input.removedOn', { notAfterToday: true });
    const removalReason = requireText(input.removalReason, 'input.removalReason');
    return mutate(this.scope, async (m) => {
      const [entry] = await m.tx.select().from(creditListEntries).where(eq(creditListEntries.id, requireId(input.entryId, 'input.entryId'))).for('update');
      if (!entry) throw new NotFoundError('Credit list entry', input.entryId);
      const [merchant] = await m.tx.select().from(merchants).where(eq(merchants.id, entry.merchantId));
      assertMayManage(this.scope.viewer, merchant!, { keepersOnly: true });
      if (entry.removedOn) throw new ConflictError(`The entry was already removed on ${entry.removedOn}`);
      if (removedOn <= entry.listedOn) {
        throw new BadUserInputError(`removedOn must be after listedOn (${entry.listedOn})`, 'input.removedOn');
      }
      const [row] = await m.tx
        .update(creditListEntries)
        .set({ removedOn, removalReason, removedBy: actorOf(this.scope.viewer), removedAt: new Date() })
        .where(eq(creditListEntries.id, entry.id))
        .returning();
      m.touch(entry.merchantId);
      await m.audit({ action: 'creditList.remove', targetType: 'merchant', targetId: entry.merchantId, before: entry, after: row });
      return row!;
    });
  }
}
