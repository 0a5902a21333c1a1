import { industry, returnExclusion } from '../../src/db/schema/enums';
import { validateUscc } from '../../src/domain/uscc';
import { DEMO_STREET_NAME, DEMO_TODAY, generateDemoSeed, type DemoSeed } from '../../seeds/demo';
import { seedId } from '../../seeds/ids';
import { Random } from '../../seeds/random';

const TODAY_START = new Date(`${DEMO_TODAY}T00:00:00+08:00`);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The Beijing calendar date of an instant. */
const beijingDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('the demo seed generator', () => {
  let seed: DemoSeed;
  let merchantsById: Map<string, DemoSeed['merchants'][number]>;

  beforeAll(() => {
    seed = generateDemoSeed();
    merchantsById = new Map(seed.merchants.map((m) => [m.id!, m]));
  });

  describe('determinism', () => {
    it('returns deep-equal data when called twice with the same options', () => {
      expect(generateDemoSeed()).toEqual(seed);
    });

    it('returns different merchants for a different seed', () => {
      const other = generateDemoSeed({ seed: 7 });
      expect(other.merchants.map((m) => m.uscc)).not.toEqual(seed.merchants.map((m) => m.uscc));
    });

    it('derives the same UUID from the same natural key and a different one from another key', () => {
      expect(seedId('merchant:91421300MA4ABCDEFT')).toBe(seedId('merchant:91421300MA4ABCDEFT'));
      expect(seedId('merchant:91421300MA4ABCDEFT')).not.toBe(seedId('merchant:92421303MA4ABCDEF0'));
      expect(seedId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('draws the same sequence from the same PRNG seed', () => {
      const a = new Random(42);
      const b = new Random(42);
      const drawsA = Array.from({ length: 5 }, () => a.next());
      expect(Array.from({ length: 5 }, () => b.next())).toEqual(drawsA);
      expect(drawsA.every((x) => x >= 0 && x < 1)).toBe(true);
    });

    it('gives every row of every table a distinct id', () => {
      const ids: string[] = [];
      for (const [table, rows] of Object.entries(seed)) {
        if (table === 'demonstrationStreetMembers') continue;
        for (const row of rows as Array<{ id?: string }>) ids.push(row.id!);
      }
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe('merchants', () => {
    it('has 2,400 merchants by default and honours the merchants option', () => {
      expect(seed.merchants.length).toBeGreaterThanOrEqual(2000);
      expect(seed.merchants).toHaveLength(2400);
      expect(generateDemoSeed({ merchants: 300 }).merchants).toHaveLength(300);
    });

    it('refuses a merchant count too small for the fixed part of the demo', () => {
      expect(() => generateDemoSeed({ merchants: 50 })).toThrow(RangeError);
    });

    it('gives every merchant a USCC with a valid check character and the prefix of its kind', () => {
      const prefix = { ENTERPRISE: '91', INDIVIDUAL_BUSINESS: '92', FARMER_COOPERATIVE: '93' } as const;
      for (const m of seed.merchants) {
        const result = validateUscc(m.uscc);
        expect(result).toMatchObject({ valid: true, kind: m.kind });
        expect(m.uscc.slice(0, 2)).toBe(prefix[m.kind]);
        // Registered by the district, or by the city bureau for some enterprises.
        expect([m.regionCode, '421300']).toContain(m.uscc.slice(2, 8));
      }
    });

    it('never gives two merchants the same USCC', () => {
      expect(new Set(seed.merchants.map((m) => m.uscc)).size).toBe(seed.merchants.length);
    });

    it('spreads merchants over the three districts with about half in 曾都区', () => {
      const byRegion = groupBy(seed.merchants, (m) => m.regionCode);
      expect([...byRegion.keys()].sort()).toEqual(['421303', '421321', '421381']);
      const share = byRegion.get('421303')!.length / seed.merchants.length;
      expect(share).toBeGreaterThan(0.4);
      expect(share).toBeLessThan(0.6);
    });

    it('covers every industry and all three kinds, individual businesses being the majority', () => {
      expect(new Set(seed.merchants.map((m) => m.industry))).toEqual(new Set(industry.enumValues));
      const kinds = groupBy(seed.merchants, (m) => m.kind);
      expect(kinds.get('INDIVIDUAL_BUSINESS')!.length).toBeGreaterThan(seed.merchants.length / 2);
      expect(kinds.get('FARMER_COOPERATIVE')!.length).toBeGreaterThan(0);
      expect(kinds.get('FARMER_COOPERATIVE')!.length).toBeLessThan(seed.merchants.length * 0.03);
    });

    it('keeps individual businesses mostly micro or small', () => {
      const individuals = seed.merchants.filter((m) => m.kind === 'INDIVIDUAL_BUSINESS');
      const small = individuals.filter((m) => m.sizeBand === 'MICRO' || m.sizeBand === 'SMALL');
      expect(small.length / individuals.length).toBeGreaterThan(0.9);
    });

    it('dates establishments from 1998 until before today, some within the last 90 days', () => {
      const ninetyDaysAgo = new Date(TODAY_START.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
      for (const m of seed.merchants) {
        expect(m.establishedOn).toMatch(DATE);
        expect(m.establishedOn >= '1998-01-01' && m.establishedOn < DEMO_TODAY).toBe(true);
      }
      expect(seed.merchants.filter((m) => m.establishedOn > ninetyDaysAgo).length).toBeGreaterThan(20);
    });

    it('has exactly 15 rights-service stations covering the industries named in the document', () => {
      const stations = seed.merchants.filter((m) => m.rightsServiceStation);
      expect(stations).toHaveLength(15);
      const industries = new Set(stations.map((m) => m.industry));
      for (const named of ['HOME_APPLIANCES', 'SCENIC_SPOT', 'FARMERS_MARKET', 'FOOD_DELIVERY_PLATFORM', 'PROPERTY_MANAGEMENT', 'AUTOMOBILE', 'FOOD'] as const) {
        expect(industries).toContain(named);
      }
      expect(industries.has('SUPERMARKET') || industries.has('SHOPPING_CENTER')).toBe(true);
      expect(stations.map((m) => m.name)).toContain('随州新世纪购物中心');
    });

    it('makes 随州新世纪购物中心 a large shopping centre with counter tenants', () => {
      const centre = seed.merchants.find((m) => m.name === '随州新世纪购物中心')!;
      expect(centre).toMatchObject({ industry: 'SHOPPING_CENTER', sizeBand: 'LARGE', rightsServiceStation: true });
      const tenants = seed.merchants.filter((m) => m.hostMerchantId === centre.id);
      expect(tenants.length).toBeGreaterThan(10);
      expect(tenants.every((t) => t.tenancyKind === 'COUNTER_TENANT')).toBe(true);
    });

    it('links tenants to hosts consistently and lists every host before its tenants', () => {
      const position = new Map(seed.merchants.map((m, i) => [m.id!, i]));
      for (const m of seed.merchants) {
        expect(m.hostMerchantId == null).toBe(m.tenancyKind == null);
        if (m.hostMerchantId == null) continue;
        expect(m.hostMerchantId).not.toBe(m.id);
        expect(merchantsById.has(m.hostMerchantId)).toBe(true);
        expect(position.get(m.hostMerchantId)!).toBeLessThan(position.get(m.id!)!);
      }
    });

    it('has 10 to 15 hosts, markets with counter tenants and 2 to 3 delivery platforms with shops', () => {
      const tenantsByHost = groupBy(
        seed.merchants.filter((m) => m.hostMerchantId != null),
        (m) => m.hostMerchantId!,
      );
      expect(tenantsByHost.size).toBeGreaterThanOrEqual(10);
      expect(tenantsByHost.size).toBeLessThanOrEqual(15);
      const hostIndustries = [...tenantsByHost.keys()].map((id) => merchantsById.get(id)!.industry);
      expect(hostIndustries).toEqual(expect.arrayContaining(['FARMERS_MARKET', 'FURNITURE_BUILDING_MATERIALS_MARKET', 'SHOPPING_CENTER']));
      const platforms = [...tenantsByHost.entries()].filter(([id]) => merchantsById.get(id)!.industry === 'FOOD_DELIVERY_PLATFORM');
      expect(platforms.length).toBeGreaterThanOrEqual(2);
      expect(platforms.length).toBeLessThanOrEqual(3);
      for (const [, tenants] of platforms) expect(tenants.every((t) => t.tenancyKind === 'PLATFORM_SHOP')).toBe(true);
      for (const [, tenants] of tenantsByHost) expect(tenants.length).toBeGreaterThanOrEqual(5);
    });
  });

  describe('the 解放路 demonstration street', () => {
    it('is 解放路放心消费示范街 in 曾都区 with about 60 members, all on 解放路, who joined in 2023', () => {
      expect(seed.demonstrationStreets).toHaveLength(1);
      const [street] = seed.demonstrationStreets;
      expect(street).toMatchObject({ name: DEMO_STREET_NAME, regionCode: '421303' });
      expect(seed.demonstrationStreetMembers.length).toBeGreaterThanOrEqual(50);
      expect(seed.demonstrationStreetMembers.length).toBeLessThanOrEqual(70);
      for (const member of seed.demonstrationStreetMembers) {
        expect(member.streetId).toBe(street!.id);
        const merchant = merchantsById.get(member.merchantId)!;
        expect(merchant.address).toContain('解放路');
        expect(merchant.regionCode).toBe('421303');
        expect(member.joinedOn.startsWith('2023-')).toBe(true);
        expect(merchant.establishedOn < member.joinedOn).toBe(true);
      }
    });

    it('gives every member a return pledge and an open settlement-platform enrollment', () => {
      const pledged = new Set(seed.returnPledges.map((p) => p.merchantId));
      const enrolled = new Set(
        seed.disputeEnrollments.filter((e) => e.program === 'SETTLEMENT_PLATFORM' && e.endedAt == null).map((e) => e.merchantId),
      );
      for (const member of seed.demonstrationStreetMembers) {
        expect(pledged.has(member.merchantId)).toBe(true);
        expect(enrolled.has(member.merchantId)).toBe(true);
      }
    });
  });

  describe('credit lists', () => {
    it('lists about 3% of merchants as abnormal and about 0.5% as serious violators', () => {
      const byList = groupBy(seed.creditListEntries, (e) => e.list);
      const abnormal = new Set(byList.get('ABNORMAL_OPERATIONS')!.map((e) => e.merchantId)).size / seed.merchants.length;
      const serious = new Set(byList.get('SERIOUS_VIOLATION')!.map((e) => e.merchantId)).size / seed.merchants.length;
      expect(abnormal).toBeGreaterThan(0.02);
      expect(abnormal).toBeLessThan(0.045);
      expect(serious).toBeGreaterThan(0.002);
      expect(serious).toBeLessThan(0.01);
    });

    it('removes entries only after they were listed, always with a reason', () => {
      for (const e of seed.creditListEntries) {
        expect(e.listedOn).toMatch(DATE);
        expect(e.listedOn > merchantsById.get(e.merchantId)!.establishedOn).toBe(true);
        expect(e.removedOn == null).toBe(e.removalReason == null);
        if (e.removedOn != null) expect(e.removedOn > e.listedOn).toBe(true);
      }
      expect(seed.creditListEntries.some((e) => e.removedOn != null)).toBe(true);
    });
  });

  describe('return pledges', () => {
    it('has at most one pledge in effect (ACTIVE or SUSPENDED) per merchant', () => {
      const inEffect = seed.returnPledges.filter((p) => p.status === 'ACTIVE' || p.status === 'SUSPENDED');
      expect(new Set(inEffect.map((p) => p.merchantId)).size).toBe(inEffect.length);
    });

    it('gives every pledge a window of at least 7 days, mostly exactly 7', () => {
      expect(seed.returnPledges.every((p) => p.windowDays! >= 7)).toBe(true);
      expect(seed.returnPledges.filter((p) => p.windowDays === 7).length / seed.returnPledges.length).toBeGreaterThan(0.7);
    });

    it('sets revocation time and reason exactly on revoked pledges', () => {
      for (const p of seed.returnPledges) {
        const revoked = p.status === 'REVOKED';
        expect(p.revokedAt != null).toBe(revoked);
        expect(p.revocationReason != null).toBe(revoked);
      }
      expect(seed.returnPledges.some((p) => p.status === 'REVOKED')).toBe(true);
    });

    it('names categories exactly when the scope is LISTED_CATEGORIES and excludes only what the law allows', () => {
      for (const p of seed.returnPledges) {
        expect(p.scopeCategories!.length > 0).toBe(p.scope === 'LISTED_CATEGORIES');
        for (const exclusion of p.exclusions!) expect(returnExclusion.enumValues).toContain(exclusion);
      }
    });

    it('lets pledges expire only in the past and starts them between 2020 and today, after establishment', () => {
      for (const p of seed.returnPledges) {
        expect(p.effectiveFrom >= '2020-01-01' && p.effectiveFrom < DEMO_TODAY).toBe(true);
        expect(p.effectiveFrom >= merchantsById.get(p.merchantId)!.establishedOn).toBe(true);
        if (p.expiresOn != null) expect(p.expiresOn > p.effectiveFrom).toBe(true);
        if (p.status === 'EXPIRED') expect(p.expiresOn! <= DEMO_TODAY).toBe(true);
        if (p.status === 'ACTIVE' && p.expiresOn != null) expect(p.expiresOn > DEMO_TODAY).toBe(true);
      }
    });

    it('is mostly active, with a few suspended, revoked and expired', () => {
      const byStatus = groupBy(seed.returnPledges, (p) => p.status);
      expect(byStatus.get('ACTIVE')!.length / seed.returnPledges.length).toBeGreaterThan(0.75);
      for (const status of ['SUSPENDED', 'REVOKED', 'EXPIRED'] as const) expect(byStatus.get(status)?.length ?? 0).toBeGreaterThan(0);
    });

    it('records a history starting with creation and ending in the current status, at increasing instants', () => {
      const history = groupBy(seed.pledgeStatusChanges, (c) => c.pledgeId);
      for (const p of seed.returnPledges) {
        const changes = history.get(p.id!)!;
        expect(changes[0]).toMatchObject({ fromStatus: null, toStatus: 'ACTIVE' });
        for (let i = 1; i < changes.length; i++) {
          expect(changes[i]!.fromStatus).toBe(changes[i - 1]!.toStatus);
          expect(changes[i]!.at!.getTime()).toBeGreaterThan(changes[i - 1]!.at!.getTime());
        }
        expect(changes[changes.length - 1]!.toStatus).toBe(p.status);
        expect(changes).toHaveLength(p.version!);
        if (p.status === 'REVOKED') expect(changes[changes.length - 1]!.at).toEqual(p.revokedAt);
      }
    });

    it('audits pledges after they take effect and by 2026-11-20, mostly compliant', () => {
      const pledges = new Map(seed.returnPledges.map((p) => [p.id!, p]));
      for (const a of seed.pledgeAudits) {
        expect(a.auditedOn > pledges.get(a.pledgeId)!.effectiveFrom).toBe(true);
        expect(a.auditedOn <= '2026-11-20').toBe(true);
        if (a.rectificationDueOn != null) expect(a.rectificationDueOn >= a.auditedOn).toBe(true);
        if (a.outcome === 'VIOLATION') expect(a.rectificationDueOn).not.toBeNull();
        expect(a.inspector).toMatch(/^(市场监管局曾都分局|随县市场监管局|广水市市场监管局) \S+$/);
      }
      const audited = new Set(seed.pledgeAudits.map((a) => a.pledgeId)).size / seed.returnPledges.length;
      expect(audited).toBeGreaterThan(0.45);
      expect(audited).toBeLessThan(0.75);
      const compliant = seed.pledgeAudits.filter((a) => a.outcome === 'COMPLIANT').length;
      expect(compliant / seed.pledgeAudits.length).toBeGreaterThan(0.6);
    });

    it('leaves merchants younger than 90 days unaudited so that they can show as not rated', () => {
      const cutoff = new Date(TODAY_START.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
      const pledgeOwner = new Map(seed.returnPledges.map((p) => [p.id!, p.merchantId]));
      for (const a of seed.pledgeAudits) {
        expect(merchantsById.get(pledgeOwner.get(a.pledgeId)!)!.establishedOn <= cutoff).toBe(true);
      }
    });
  });

  describe('dispute enrollments', () => {
    it('has at most one open period per merchant and program, and ended periods end after they start with a reason', () => {
      const open = seed.disputeEnrollments.filter((e) => e.endedAt == null);
      expect(new Set(open.map((e) => `${e.merchantId}:${e.program}`)).size).toBe(open.length);
      for (const e of seed.disputeEnrollments) {
        expect(e.endReason == null).toBe(e.endedAt == null);
        if (e.endedAt != null) expect(e.endedAt.getTime()).toBeGreaterThan(e.startedAt.getTime());
        expect(beijingDate(e.startedAt) >= merchantsById.get(e.merchantId)!.establishedOn).toBe(true);
      }
    });

    it('enrolls about 55% of merchants on the settlement platform and about 5% as ODR enterprises, mostly enterprises', () => {
      const openOn = (program: string) =>
        new Set(seed.disputeEnrollments.filter((e) => e.program === program && e.endedAt == null).map((e) => e.merchantId));
      const platform = openOn('SETTLEMENT_PLATFORM').size / seed.merchants.length;
      expect(platform).toBeGreaterThan(0.5);
      expect(platform).toBeLessThan(0.65);
      const odr = [...new Set(seed.disputeEnrollments.filter((e) => e.program === 'ODR').map((e) => e.merchantId))];
      expect(odr.length / seed.merchants.length).toBeGreaterThan(0.02);
      expect(odr.length / seed.merchants.length).toBeLessThan(0.08);
      expect(odr.filter((id) => merchantsById.get(id)!.kind === 'ENTERPRISE').length / odr.length).toBeGreaterThan(0.6);
    });
  });

  describe('compensation funds', () => {
    it('gives every host exactly one fund with a minimum between 50,000 and 500,000 yuan', () => {
      const hosts = new Set(seed.merchants.filter((m) => m.hostMerchantId != null).map((m) => m.hostMerchantId!));
      expect(new Set(seed.compensationFunds.map((f) => f.hostMerchantId))).toEqual(hosts);
      expect(seed.compensationFunds).toHaveLength(hosts.size);
      for (const f of seed.compensationFunds) {
        expect(Number.isInteger(f.requiredMinimumFen)).toBe(true);
        expect(f.requiredMinimumFen).toBeGreaterThanOrEqual(5_000_000);
        expect(f.requiredMinimumFen).toBeLessThanOrEqual(50_000_000);
      }
    });

    it('never lets a fund balance go below zero in time order, and leaves one or two below their minimum', () => {
      const byFund = groupBy(seed.fundLedgerEntries, (e) => e.fundId);
      let below = 0;
      for (const f of seed.compensationFunds) {
        const entries = [...byFund.get(f.id!)!].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
        let balance = 0;
        for (const e of entries) {
          expect(Number.isInteger(e.amountFen) && e.amountFen > 0).toBe(true);
          balance += e.kind === 'DEPOSIT' || e.kind === 'REIMBURSEMENT' ? e.amountFen : -e.amountFen;
          expect(balance).toBeGreaterThanOrEqual(0);
        }
        if (balance < f.requiredMinimumFen) below++;
      }
      expect(below).toBeGreaterThanOrEqual(1);
      expect(below).toBeLessThanOrEqual(2);
    });

    it('pays out only for tenants of the fund’s host and repays at most the payout, after it', () => {
      const funds = new Map(seed.compensationFunds.map((f) => [f.id!, f]));
      const entries = new Map(seed.fundLedgerEntries.map((e) => [e.id!, e]));
      const repaid = new Map<string, number>();
      for (const e of seed.fundLedgerEntries) {
        expect(e.appealId ?? null).toBeNull();
        if (e.kind === 'PAYOUT') {
          const tenant = merchantsById.get(e.tenantMerchantId!)!;
          expect(tenant.hostMerchantId).toBe(funds.get(e.fundId)!.hostMerchantId);
        }
        expect(e.reimbursesEntryId != null).toBe(e.kind === 'REIMBURSEMENT');
        if (e.kind === 'REIMBURSEMENT') {
          const payout = entries.get(e.reimbursesEntryId!)!;
          expect(payout).toMatchObject({ kind: 'PAYOUT', fundId: e.fundId });
          expect(e.occurredAt.getTime()).toBeGreaterThan(payout.occurredAt.getTime());
          repaid.set(payout.id!, (repaid.get(payout.id!) ?? 0) + e.amountFen);
          expect(repaid.get(payout.id!)!).toBeLessThanOrEqual(payout.amountFen);
        }
      }
      const kinds = new Set(seed.fundLedgerEntries.map((e) => e.kind));
      expect(kinds).toEqual(new Set(['DEPOSIT', 'PAYOUT', 'REIMBURSEMENT', 'WITHDRAWAL']));
    });

    it('keeps idempotency keys unique within each fund', () => {
      for (const entries of groupBy(seed.fundLedgerEntries, (e) => e.fundId).values()) {
        expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(entries.length);
      }
    });
  });

  it('uses YYYY-MM-DD strings for dates and fixed instants before the demo’s today for timestamps', () => {
    const dateKeys = /(On|From|Until)$/;
    for (const rows of Object.values(seed) as Array<Array<Record<string, unknown>>>) {
      for (const row of rows) {
        for (const [key, value] of Object.entries(row)) {
          if (value instanceof Date) expect(value.getTime()).toBeLessThan(TODAY_START.getTime());
          else if (dateKeys.test(key) && value != null) expect(value).toMatch(DATE);
        }
      }
    }
  });
});
