import type { RequestScope } from '../../request-scope';
import { mayManageMerchant } from '../../auth/policy';
import { isLocalDate, shanghaiToday } from '../../domain/local-date';
import { gradeForScore, rate, type Rating as EngineRating, type RatingFactor } from '../../domain/rating/v1';
import { applyWhatIf, type WhatIfKind } from '../../domain/rating/what-if';
import { BadUserInputError, ForbiddenError } from '../../errors';
import { pageSize, type Connection } from '../../graphql/connection';
import type { MerchantRow } from '../merchant/merchant.type';
import { ratingHistoryAfterCursor, type RatingHistoryEntryRow } from './rating.loaders';
import type { Rating } from './rating.type';

/** Ratings: the stored current one, its history, any past day, and what-ifs. */
export class RatingService {
  constructor(private readonly scope: RequestScope) {}

  /**
   * The stored current rating, shown to this viewer; without `withFactors` its factors are left
   * unread (empty), for selections that do not ask for them.
   */
  async current(merchant: MerchantRow, { withFactors = true }: { withFactors?: boolean } = {}): Promise<Rating | null> {
    const { loaders } = this.scope;
    const row = withFactors ? await loaders.ratingByMerchant.load(merchant.id) : await loaders.ratingSummaryByMerchant.load(merchant.id);
    if (!row) return null;
    const factors = 'factors' in row ? (row.factors as RatingFactor[]) : [];
    const grade = row.grade;
    const score = Number(row.score);
    return this.shown(merchant, {
      score,
      grade,
      scoreGrade: gradeForScore(score),
      modelVersion: row.modelVersion,
      asOf: row.asOf,
      computedAt: row.computedAt,
      factors,
    });
  }

  /** The rating as of any day up to today, computed now from the records (what a recompute would store). */
  async asOf(merchant: MerchantRow, date: string): Promise<Rating> {
    if (!isLocalDate(date)) throw new BadUserInputError('date must be YYYY-MM-DD', 'date');
    if (date > shanghaiToday()) throw new BadUserInputError('date must not be after today (Asia/Shanghai)', 'date');
    return this.shown(merchant, { ...(await this.compute(merchant.id, date, [])), computedAt: new Date() });
  }

  /** Today's rating now and after the given steps; for the merchant itself and its supervisors. */
  async whatIf(merchant: MerchantRow, kinds: WhatIfKind[]) {
    if (!mayManageMerchant(this.scope.viewer, merchant)) {
      throw new ForbiddenError('Only the merchant itself or a supervisor of its region may try changes');
    }
    if (kinds.length === 0) throw new BadUserInputError('Give at least one change', 'changes');
    const today = shanghaiToday();
    const computedAt = new Date();
    const current = { ...(await this.compute(merchant.id, today, [])), computedAt };
    const projected = { ...(await this.compute(merchant.id, today, kinds)), computedAt };
    return { current: this.shown(merchant, current), projected: this.shown(merchant, projected), scoreDelta: Math.round((projected.score - current.score) * 100) / 100 };
  }

  /** Changes of score or grade, newest first, batched with those of the other merchants the request asks about. */
  history(merchantId: string, first?: number | null, after?: string | null): Promise<Connection<RatingHistoryEntryRow>> {
    const limit = pageSize(first);
    if (after) ratingHistoryAfterCursor(after);
    return this.scope.loaders.ratingHistoryPagesByMerchant.load({ parentId: merchantId, limit, after: after ?? null });
  }

  private async compute(merchantId: string, asOf: string, kinds: WhatIfKind[]): Promise<EngineRating> {
    const records = (await this.scope.loaders.ratingRecordsByMerchant.load(merchantId))!;
    return rate(kinds.length ? applyWhatIf(records, kinds, asOf) : records, asOf);
  }

  /** Evidence ids are shown only to those who may see the records behind them. */
  private shown(merchant: MerchantRow, rating: Omit<Rating, 'factors'> & { factors: RatingFactor[] }): Rating {
    if (mayManageMerchant(this.scope.viewer, merchant)) return rating;
    return {
      ...rating,
      factors: rating.factors.map((f) => {
        const { recordIds: _hidden, ...evidence } = f.evidence;
        return { ...f, evidence };
      }),
    };
  }
}
