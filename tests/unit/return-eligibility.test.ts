import { returnExclusion } from '../../src/db/schema/enums';
import {
  assessReturn,
  findGoodsCategory,
  GOODS_CATEGORIES,
  isLegalExclusion,
  LEGAL_EXCLUSIONS,
  judgeReturn,
  returnLastDay,
  type PledgeOnRecord,
  type PledgeTerms,
} from '../../src/domain/return-eligibility';

const pledge = (over: Partial<PledgeTerms> = {}): PledgeTerms => ({
  status: 'ACTIVE',
  windowDays: 7,
  scope: 'ALL_GOODS',
  scopeCategories: [],
  exclusions: [],
  effectiveFrom: '2024-01-01',
  expiresOn: null,
  ...over,
});

const codes = (result: ReturnType<typeof assessReturn>) => result.reasons.map((r) => r.code);

describe('the legal exclusion list', () => {
  it('is exactly the return_exclusion enum of the database', () => {
    expect([...LEGAL_EXCLUSIONS].sort()).toEqual([...returnExclusion.enumValues].sort());
  });

  it('refuses anything beyond it', () => {
    expect(isLegalExclusion('FRESH_PERISHABLE')).toBe(true);
    expect(isLegalExclusion('SALE_ITEMS')).toBe(false);
  });

  it('ties every goods category to a legal exclusion or none, with unique codes', () => {
    expect(new Set(GOODS_CATEGORIES.map((c) => c.code)).size).toBe(GOODS_CATEGORIES.length);
    for (const c of GOODS_CATEGORIES) if (c.exclusion) expect(isLegalExclusion(c.exclusion)).toBe(true);
  });

  it('finds a category by code in any case, or by a Chinese name the demo pledges use', () => {
    expect(findGoodsCategory('fresh_food')?.code).toBe('FRESH_FOOD');
    expect(findGoodsCategory('小家电')?.code).toBe('ELECTRONICS');
    expect(findGoodsCategory('服装')?.code).toBe('CLOTHING');
    expect(findGoodsCategory('玩具')).toBeNull();
  });
});

describe('the last day of a return window', () => {
  it('is receipt + 7 when that is a working day (the window starts the day after receipt)', () => {
    expect(returnLastDay('2024-03-04', 7)).toEqual({ date: '2024-03-11', provisional: false });
  });

  it('moves out of the National Day holiday: received 2024-09-27 → 2024-10-08', () => {
    expect(returnLastDay('2024-09-27', 7)).toEqual({ date: '2024-10-08', provisional: false });
  });

  it('moves out of the Spring Festival holiday onto the adjusted workday Sunday 2024-02-18', () => {
    expect(returnLastDay('2024-02-05', 7)).toEqual({ date: '2024-02-18', provisional: false });
  });

  it('stays on a weekend day that was an adjusted workday (Saturday 2024-10-12)', () => {
    expect(returnLastDay('2024-10-05', 7)).toEqual({ date: '2024-10-12', provisional: false });
  });

  it('moves a plain weekend to Monday', () => {
    expect(returnLastDay('2024-03-09', 7)).toEqual({ date: '2024-03-18', provisional: false });
  });

  it('uses a longer window as pledged and is provisional in an unpublished year', () => {
    expect(returnLastDay('2024-03-04', 15)).toEqual({ date: '2024-03-19', provisional: false });
    expect(returnLastDay('2098-12-27', 7)).toEqual({ date: '2099-01-05', provisional: true });
  });

  it('refuses a window shorter than seven days', () => {
    expect(() => returnLastDay('2024-03-04', 6)).toThrow(RangeError);
  });
});

describe('assessing a return', () => {
  it('is eligible within the window under an active all-goods pledge', () => {
    const result = assessReturn(pledge(), { receivedOn: '2024-09-27', askedOn: '2024-10-08' });
    expect(result).toMatchObject({ eligible: true, lastDay: '2024-10-08', windowDays: 7, reasons: [] });
  });

  it('refuses the day after the last day with WINDOW_PASSED', () => {
    const result = assessReturn(pledge(), { receivedOn: '2024-09-27', askedOn: '2024-10-09' });
    expect(result.eligible).toBe(false);
    expect(codes(result)).toEqual(['WINDOW_PASSED']);
    expect(result.reasons[0]!.messageEn).toContain('2024-10-08');
  });

  it('refuses without a pledge, and gives no last day', () => {
    const result = assessReturn(null, { receivedOn: '2024-09-27', askedOn: '2024-09-28' });
    expect(result).toMatchObject({ eligible: false, lastDay: null, windowDays: null });
    expect(codes(result)).toEqual(['NO_PLEDGE_IN_EFFECT']);
    expect(result.reasons[0]!.messageZh).toMatch(/承诺/);
  });

  it('refuses under a suspended pledge but still tells the last day', () => {
    const result = assessReturn(pledge({ status: 'SUSPENDED' }), { receivedOn: '2024-09-27', askedOn: '2024-09-28' });
    expect(result).toMatchObject({ eligible: false, lastDay: '2024-10-08' });
    expect(codes(result)).toEqual(['PLEDGE_SUSPENDED']);
  });

  it.each(['FRESH_FOOD', 'MADE_TO_ORDER', 'DIGITAL_DOWNLOAD', 'NEWSPAPERS'])(
    'always refuses %s by law, even when the pledge does not list the exclusion',
    (goodsCategory) => {
      const result = assessReturn(pledge(), { receivedOn: '2024-03-04', askedOn: '2024-03-05', goodsCategory });
      expect(result.eligible).toBe(false);
      expect(codes(result)).toEqual(['CATEGORY_EXCLUDED_BY_LAW']);
    },
  );

  it('lets a conditional exclusion the pledge lists stand only with a caveat while confirmation is unknown', () => {
    const terms = pledge({ exclusions: ['UNSEALING_AFFECTS_SAFETY_HEALTH'] });
    const unknown = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-03-05', goodsCategory: 'COSMETICS' });
    expect(unknown.eligible).toBe(true);
    expect(unknown.reasons).toEqual([expect.objectContaining({ code: 'NEEDS_CONFIRMATION_AT_PURCHASE', blocking: false })]);

    const confirmed = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-03-05', goodsCategory: 'COSMETICS', confirmedAtPurchase: true });
    expect(confirmed.eligible).toBe(false);
    expect(codes(confirmed)).toEqual(['CATEGORY_EXCLUDED_BY_PLEDGE']);

    const notConfirmed = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-03-05', goodsCategory: 'COSMETICS', confirmedAtPurchase: false });
    expect(notConfirmed).toMatchObject({ eligible: true, reasons: [] });
  });

  it('ignores a conditional exclusion the pledge did not list', () => {
    const result = assessReturn(pledge({ exclusions: ['FRESH_PERISHABLE'] }), {
      receivedOn: '2024-03-04',
      askedOn: '2024-03-05',
      goodsCategory: 'ELECTRONICS',
      confirmedAtPurchase: true,
    });
    expect(result).toMatchObject({ eligible: true, reasons: [] });
  });

  it('checks a listed-categories scope by code or by the Chinese name the pledge uses', () => {
    const terms = pledge({ scope: 'LISTED_CATEGORIES', scopeCategories: ['服装', '鞋帽'] });
    const inScope = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-03-05', goodsCategory: 'CLOTHING' });
    expect(inScope).toMatchObject({ eligible: true, reasons: [] });
    const byName = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-03-05', goodsCategory: '鞋帽' });
    expect(byName.eligible).toBe(true);
    const outOfScope = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-03-05', goodsCategory: 'ELECTRONICS' });
    expect(codes(outOfScope)).toEqual(['CATEGORY_NOT_IN_PLEDGE_SCOPE']);
    expect(outOfScope.reasons[0]!.messageZh).toContain('服装、鞋帽');
  });

  it('notes, without refusing, that a listed-categories scope could not be checked without a category', () => {
    const terms = pledge({ scope: 'LISTED_CATEGORIES', scopeCategories: ['服装'] });
    const result = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-03-05' });
    expect(result.eligible).toBe(true);
    expect(result.reasons).toEqual([expect.objectContaining({ code: 'CATEGORY_NOT_GIVEN', blocking: false })]);
  });

  it('gives every reason that applies at once', () => {
    const terms = pledge({ status: 'SUSPENDED', scope: 'LISTED_CATEGORIES', scopeCategories: ['服装'] });
    const result = assessReturn(terms, { receivedOn: '2024-03-04', askedOn: '2024-04-01', goodsCategory: 'FRESH_FOOD' });
    expect(codes(result)).toEqual(['PLEDGE_SUSPENDED', 'WINDOW_PASSED', 'CATEGORY_EXCLUDED_BY_LAW', 'CATEGORY_NOT_IN_PLEDGE_SCOPE']);
    for (const r of result.reasons) {
      expect(r.messageZh.length).toBeGreaterThan(0);
      expect(r.messageEn.length).toBeGreaterThan(0);
    }
  });
});

describe('judging a return by the pledge of the day the goods were received', () => {
  /** A status change at Shanghai noon of `day`. */
  const change = (toStatus: string, day: string) => ({ toStatus, at: new Date(`${day}T12:00:00+08:00`) });
  const onRecord = (over: Partial<PledgeOnRecord> & { statusChanges: PledgeOnRecord['statusChanges'] }): PledgeOnRecord => ({
    id: over.id ?? 'p1',
    windowDays: 7,
    scope: 'ALL_GOODS',
    scopeCategories: [],
    exclusions: [],
    effectiveFrom: '2024-01-01',
    expiresOn: null,
    ...over,
  });
  const ask = (receivedOn: string, askedOn: string, goodsCategory?: string) => ({ receivedOn, askedOn, goodsCategory });

  it('keeps the answer of a pledge revoked after the sale', () => {
    const revokedLater = onRecord({ statusChanges: [change('ACTIVE', '2024-01-01'), change('REVOKED', '2025-02-01')] });
    const result = judgeReturn([revokedLater], ask('2024-09-27', '2024-10-08'));
    expect(result).toMatchObject({ eligible: true, lastDay: '2024-10-08', windowDays: 7, pledgeStatusOnReceipt: 'ACTIVE' });
    expect(result.pledge?.id).toBe('p1');
  });

  it('keeps the answer of a pledge suspended only after the sale', () => {
    const suspendedLater = onRecord({ statusChanges: [change('ACTIVE', '2024-01-01'), change('SUSPENDED', '2024-09-30')] });
    const result = judgeReturn([suspendedLater], ask('2024-09-27', '2024-10-02'));
    expect(codes(result)).toEqual([]);
    expect(result.eligible).toBe(true);
  });

  it('keeps the answer of a pledge that expired after the sale, and counts its window past the expiry', () => {
    const expiring = onRecord({ expiresOn: '2024-10-01', statusChanges: [change('ACTIVE', '2024-01-01'), change('EXPIRED', '2024-10-01')] });
    const result = judgeReturn([expiring], ask('2024-09-27', '2024-10-08'));
    expect(result).toMatchObject({ eligible: true, lastDay: '2024-10-08' });
  });

  it('judges by the old pledge when a replacement with other terms came after the sale', () => {
    const old = onRecord({ id: 'old', windowDays: 15, expiresOn: '2024-10-01', statusChanges: [change('ACTIVE', '2024-01-01'), change('EXPIRED', '2024-10-01')] });
    const replacement = onRecord({ id: 'new', windowDays: 7, effectiveFrom: '2024-10-01', exclusions: ['UNSEALING_AFFECTS_SAFETY_HEALTH'], statusChanges: [change('ACTIVE', '2024-10-01')] });
    const result = judgeReturn([replacement, old], ask('2024-09-27', '2024-10-12', 'COSMETICS'));
    expect(result.pledge?.id).toBe('old');
    expect(result).toMatchObject({ eligible: true, windowDays: 15 });
    expect(codes(result)).toEqual([]);
  });

  it('refuses under a pledge that was suspended on the day of receipt, even if resumed since', () => {
    const p = onRecord({ statusChanges: [change('ACTIVE', '2024-01-01'), change('SUSPENDED', '2024-09-20'), change('ACTIVE', '2024-10-03')] });
    const result = judgeReturn([p], ask('2024-09-27', '2024-09-28'));
    expect(result).toMatchObject({ eligible: false, pledgeStatusOnReceipt: 'SUSPENDED', lastDay: '2024-10-08' });
    expect(codes(result)).toEqual(['PLEDGE_SUSPENDED']);
  });

  it('does not apply a pledge filed after receipt, and names when it started', () => {
    const later = onRecord({ effectiveFrom: '2024-10-01', statusChanges: [change('ACTIVE', '2024-10-01')] });
    const result = judgeReturn([later], ask('2024-09-27', '2024-10-02'));
    expect(codes(result)).toEqual(['NO_PLEDGE_IN_EFFECT']);
    expect(result.reasons[0]!.messageEn).toContain('2024-10-01');
    expect(result.pledge).toBeNull();
  });

  it('applies a pledge recorded later from the effectiveFrom it names, with the status it was filed with', () => {
    const backdated = onRecord({ effectiveFrom: '2024-09-01', statusChanges: [change('ACTIVE', '2024-10-05')] });
    expect(judgeReturn([backdated], ask('2024-09-27', '2024-10-06'))).toMatchObject({ eligible: true, pledgeStatusOnReceipt: 'ACTIVE' });
  });

  it('gives no pledge for goods received after a revocation or on the expiry day', () => {
    const revoked = onRecord({ statusChanges: [change('ACTIVE', '2024-01-01'), change('REVOKED', '2024-09-01')] });
    expect(codes(judgeReturn([revoked], ask('2024-09-27', '2024-09-28')))).toEqual(['NO_PLEDGE_IN_EFFECT']);
    const expiring = onRecord({ expiresOn: '2024-09-27', statusChanges: [change('ACTIVE', '2024-01-01')] });
    expect(codes(judgeReturn([expiring], ask('2024-09-27', '2024-09-28')))).toEqual(['NO_PLEDGE_IN_EFFECT']);
    expect(judgeReturn([expiring], ask('2024-09-26', '2024-09-28')).eligible).toBe(true);
  });

  it('takes the status of the receipt day by the Shanghai calendar', () => {
    // 2024-09-26T17:00Z is 2024-09-27 01:00 in Shanghai: the revocation already binds the 27th.
    const p = onRecord({ statusChanges: [change('ACTIVE', '2024-01-01'), { toStatus: 'REVOKED', at: new Date('2024-09-26T17:00:00Z') }] });
    expect(codes(judgeReturn([p], ask('2024-09-27', '2024-09-28')))).toEqual(['NO_PLEDGE_IN_EFFECT']);
    expect(judgeReturn([p], ask('2024-09-26', '2024-09-28')).eligible).toBe(true);
  });

  it.each([
    // National Day 2024: 10-01..10-07 off, 09-29 (Sun) and 10-12 (Sat) worked.
    [7, '2024-09-27', '2024-10-08'],
    [15, '2024-09-27', '2024-10-12'],
    [30, '2024-09-05', '2024-10-08'],
    // Spring Festival 2024: 02-10..02-17 off, 02-04 (Sun) and 02-18 (Sun) worked.
    [7, '2024-02-05', '2024-02-18'],
    [15, '2024-02-01', '2024-02-18'],
    [30, '2024-01-13', '2024-02-18'],
  ])('gives a %i-day window from %s a last day of %s across the holiday', (windowDays, receivedOn, lastDay) => {
    const p = onRecord({ windowDays, statusChanges: [change('ACTIVE', '2024-01-01'), change('REVOKED', '2024-12-01')] });
    expect(judgeReturn([p], ask(receivedOn, receivedOn))).toMatchObject({ eligible: true, lastDay, windowDays });
    expect(codes(judgeReturn([p], ask(receivedOn, '2024-12-31')))).toEqual(['WINDOW_PASSED']);
  });
});
