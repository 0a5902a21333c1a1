import { and, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from '../../db';
import { anyUuid } from '../../db/any';
import { rowsOf } from '../../db/rows';
import {
  compensationFunds,
  creditListEntries,
  disputeEnrollments,
  fundLedgerEntries,
  merchants,
  patternResponses,
  pledgeAudits,
  pledgeStatusChanges,
  returnPledges,
} from '../../db/schema';
import { addDays } from '../../domain/calendar';
import { balanceOf, type LedgerEntryKind } from '../../domain/ledger';
import { dayNumberOf, type LocalDate } from '../../domain/local-date';
import { LAST_YEAR_DAYS, type DatedComplaint, type DatedId, type RatingInputs } from '../../domain/rating/v1';
import { addEvidence, DAY_COUNT_KIND, earliest, walkFromDays, type CountedInputs } from '../../domain/rating/day-counts';
import { COUNTED_GROUPS, countedColumns, countedInputsSql, type CountedGroup } from '../../domain/rating/day-counts.sql';
import { shanghaiDayNumberSql, shanghaiDayStartSql } from '../../domain/rating/v1.sql';

/**
 * Which merchants to load: a list of ids (a mutation's touched merchants), or every merchant
 * whose id is in (after, upTo] (a recompute walks the table range by range).
 */
export type MerchantScope = { ids: readonly string[] } | { after: string | null; upTo: string };

/** The scope as a condition on a merchant id column; both forms are index range scans. */
function scopeSql(scope: MerchantScope, column: SQLWrapper): SQL {
  if ('ids' in scope) return anyUuid(column, scope.ids);
  const upper = sql`${column} <= ${scope.upTo}::uuid`;
  return scope.after === null ? upper : sql`(${column} > ${scope.after}::uuid and ${upper})`;
}

/** The column names of every counted group, worked out once (a recompute reads them per merchant). */
const COLUMNS = Object.fromEntries(COUNTED_GROUPS.map((g) => [g, countedColumns(g)])) as Record<CountedGroup, ReturnType<typeof countedColumns>>;

/** The start (an instant) of the Asia/Shanghai day whose day number is in `day`. */
const dayNumberStartSql = (day: SQL) => sql`((date '1970-01-01' + ${day})::timestamp at time zone 'Asia/Shanghai')`;

/**
 * The rating inputs of the merchants in `scope` as of `asOf`, with a fixed number of statements
 * (13, in two rounds). Complaints, reports and praise come from the day counters
 * (`rating_day_counts`: at most a few rows per merchant and day of the last three years) and a
 * walk back from T over the records of the most recent days, only as far as the counters say each
 * group needs for its RECORD_IDS_CAP most recent ids (src/domain/rating/day-counts.ts); fund
 * entries are summed by kind; the other records (pledges, audits, enrollments, list entries,
 * pattern responses, payouts for a tenant) are few per merchant and come as rows. Must give
 * exactly what `ratingInputs(loadRatingRecords(…), asOf)` gives (tests/integration/rating-inputs.test.ts).
 */
export async function loadRatingInputs(db: DbOrTx, scope: MerchantScope, asOf: LocalDate): Promise<Map<string, RatingInputs>> {
  const result = new Map<string, RatingInputs>();
  if ('ids' in scope && scope.ids.length === 0) return result;
  const t = dayNumberOf(asOf);
  // Records dated on or before T are those before the start of T + 1 (Shanghai).
  const end = shanghaiDayStartSql(addDays(asOf, 1));
  const tParam = sql`${t}::int`;
  const dayOf = (column: string) => shanghaiDayNumberSql(sql.raw(column));

  const [countedRows, patternRows, filedRows, merchantRows, pledgeRows, changeRows, auditRows, enrollmentRows, listRows, responseRows, hostRows, fundRows, balanceRows, tenantEntryRows] =
    await Promise.all([
      db.execute(countedInputsSql(scopeSql(scope, sql.raw('r.merchant_id')), t)),
      // Complaints of the last year per merchant and issue type: counts per acceptance day in day order.
      db.execute(sql`
        select m::text as m, it, array_agg(day order by day) as days, array_agg(n order by day) as ns
        from (
          select r.merchant_id as m, r.issue_type as it, r.day, sum(r.n)::int as n
          from rating_day_counts r
          where ${scopeSql(scope, sql.raw('r.merchant_id'))} and r.kind = ${DAY_COUNT_KIND.accepted} and r.issue_type <> ''
            and r.day between ${t - LAST_YEAR_DAYS}::int and ${tParam} and r.n <> 0
          group by 1, 2, 3 having sum(r.n) > 0
        ) g group by m, it`),
      // Whether any report (of any age) had its case filed on or before T: one probe per merchant.
      db.execute(sql`
        select m.id::text as m from merchants m
        where ${scopeSql(scope, sql.raw('m.id'))} and exists (
          select 1 from rating_day_counts r where r.merchant_id = m.id and r.kind = ${DAY_COUNT_KIND.reportFiled} and r.day <= ${tParam} and r.n <> 0)`),
      db.select({ id: merchants.id, sizeBand: merchants.sizeBand, establishedOn: merchants.establishedOn }).from(merchants).where(scopeSql(scope, merchants.id)),
      db.select().from(returnPledges).where(scopeSql(scope, returnPledges.merchantId)),
      db
        .select({ pledgeId: pledgeStatusChanges.pledgeId, toStatus: pledgeStatusChanges.toStatus, at: pledgeStatusChanges.at })
        .from(pledgeStatusChanges)
        .innerJoin(returnPledges, eq(returnPledges.id, pledgeStatusChanges.pledgeId))
        .where(scopeSql(scope, returnPledges.merchantId)),
      db
        .select({ id: pledgeAudits.id, pledgeId: pledgeAudits.pledgeId, auditedOn: pledgeAudits.auditedOn, outcome: pledgeAudits.outcome, merchantId: returnPledges.merchantId })
        .from(pledgeAudits)
        .innerJoin(returnPledges, eq(returnPledges.id, pledgeAudits.pledgeId))
        .where(scopeSql(scope, returnPledges.merchantId)),
      db.select().from(disputeEnrollments).where(scopeSql(scope, disputeEnrollments.merchantId)),
      db.select().from(creditListEntries).where(scopeSql(scope, creditListEntries.merchantId)),
      db.select().from(patternResponses).where(scopeSql(scope, patternResponses.merchantId)),
      db.selectDistinct({ hostId: merchants.hostMerchantId }).from(merchants).where(scopeSql(scope, merchants.hostMerchantId)),
      db.select().from(compensationFunds).where(scopeSql(scope, compensationFunds.hostMerchantId)),
      db.execute(sql`
        select e.fund_id::text as fund_id, e.kind::text as kind, sum(e.amount_fen)::text as total
        from fund_ledger_entries e join compensation_funds f on f.id = e.fund_id
        where ${scopeSql(scope, sql.raw('f.host_merchant_id'))} and e.occurred_at < ${end}
        group by e.fund_id, e.kind`),
      db
        .select()
        .from(fundLedgerEntries)
        .where(and(scopeSql(scope, fundLedgerEntries.tenantMerchantId), inArray(fundLedgerEntries.kind, ['PAYOUT', 'REIMBURSEMENT']))),
    ]);

  // The counted inputs per merchant, then a walk over the most recent records each merchant's groups need.
  const filedSoFar = new Set(rowsOf<{ m: string }>(filedRows).map((r) => r.m));
  const countedOf = new Map(rowsOf<Record<string, number | null> & { m: string }>(countedRows).map((r) => [r.m, r]));
  const patternsOf = new Map<string, { issueType: string; days: { day: number; n: number }[] }[]>();
  for (const p of rowsOf<{ m: string; it: string; days: number[]; ns: number[] }>(patternRows)) {
    const list = patternsOf.get(p.m) ?? [];
    list.push({ issueType: p.it, days: p.days.map((d, i) => ({ day: Number(d), n: Number(p.ns[i]) })) });
    patternsOf.set(p.m, list);
  }
  const counted = new Map<string, CountedInputs>();
  const walks = { c: { ms: [] as string[], ds: [] as number[] }, r: { ms: [] as string[], ds: [] as number[] }, p: { ms: [] as string[], ds: [] as number[] } };
  for (const m of merchantRows) {
    const row = countedOf.get(m.id);
    const group = (g: CountedGroup) => {
      const c = COLUMNS[g];
      return { tally: { n: Number(row?.[c.n] ?? 0), q: Number(row?.[c.q] ?? 0), ids: [] as string[] }, from: row?.[c.from] ?? undefined };
    };
    const [countedG, onTime, pending, late, concluded, resolved, filed, praise] = COUNTED_GROUPS.map(group) as [ReturnType<typeof group>, ...ReturnType<typeof group>[]];
    // Issue types in JavaScript string order, as ratingInputs orders them (no collation involved).
    const patterns = (patternsOf.get(m.id) ?? []).sort((a, b) => (a.issueType < b.issueType ? -1 : a.issueType > b.issueType ? 1 : 0));
    const inputs: CountedInputs = {
      complaints: {
        counted: countedG.tally,
        onTime: onTime!.tally,
        pending: pending!.tally,
        late: late!.tally,
        concluded: concluded!.tally,
        resolved: resolved!.tally,
        recentByIssueType: patterns.map((p) => ({ issueType: p.issueType, days: p.days, ids: [] })),
      },
      reports: { filed: filed!.tally, anyFiledSoFar: filedSoFar.has(m.id) },
      praise: praise!.tally,
      walkFrom: {
        complaints: earliest([countedG, onTime!, pending!, late!, concluded!, resolved!].map((g) => g.from ?? undefined).concat(patterns.map((p) => walkFromDays(p.days)))),
        reports: filed!.from ?? undefined,
        praise: praise!.from ?? undefined,
      },
    };
    counted.set(m.id, inputs);
    const { complaints, reports, praise: praiseFrom } = inputs.walkFrom;
    const walkFrom = (walk: { ms: string[]; ds: number[] }, day: number | undefined) => {
      if (day === undefined) return;
      walk.ms.push(m.id);
      walk.ds.push(day);
    };
    walkFrom(walks.c, complaints);
    walkFrom(walks.r, reports);
    walkFrom(walks.p, praiseFrom);
  }
  const walked = new Map<string, { complaints: DatedComplaint[]; reports: DatedId[]; praise: DatedId[] }>();
  const walkedOf = (m: string) => {
    let w = walked.get(m);
    if (!w) walked.set(m, (w = { complaints: [], reports: [], praise: [] }));
    return w;
  };
  // Each bound carries its position, so rows name their merchant by a small integer, not a uuid's
  // text. Each walk is a range scan of one index per merchant: `offset 0` keeps the planner from
  // flattening the lateral subquery into a join, which it planned as a sort of every appeal.
  const bounds = (w: { ms: string[]; ds: number[] }) => sql`unnest(${sql.param(w.ms)}::uuid[], ${sql.param(w.ds)}::int[]) with ordinality b(m, d, i)`;
  const [complaintWalk, otherWalk] = await Promise.all([
    (async () =>
      walks.c.ms.length === 0
        ? []
        : rowsOf<{ i: number; id: string; acc: number; fa: number | null; con: number | null; status: string; issue_type: string | null }>(
          await db.execute(sql`
            select b.i::int as i, a.id::text as id, ${dayOf('a.accepted_at')} as acc, ${dayOf('a.concluded_at')} as con, a.status, a.issue_type,
                   ${shanghaiDayNumberSql(sql`(select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id)`)} as fa
            from ${bounds(walks.c)}
            cross join lateral (
              select a.id, a.accepted_at, a.concluded_at, a.status, a.issue_type from appeals a
              where a.merchant_id = b.m and a.type = 'COMPLAINT' and a.accepted_at >= ${dayNumberStartSql(sql`b.d`)} and a.accepted_at < ${end}
              offset 0) a`),
        ))(),
    (async () =>
      walks.r.ms.length + walks.p.ms.length === 0
        ? []
        : rowsOf<{ i: number; k: string; id: string; day: number }>(
          await db.execute(sql`
            select b.i::int as i, 'r' as k, a.id::text as id, ${dayOf('a.case_filed_at')} as day
            from ${bounds(walks.r)}
            cross join lateral (
              select a.id, a.case_filed_at from appeals a
              where a.merchant_id = b.m and a.type = 'REPORT' and a.case_filed_at >= ${dayNumberStartSql(sql`b.d`)} and a.case_filed_at < ${end}
              offset 0) a
            union all
            select b.i::int, 'p', a.id::text, ${dayOf('a.received_at')}
            from ${bounds(walks.p)}
            cross join lateral (
              select a.id, a.received_at from appeals a
              where a.merchant_id = b.m and a.type = 'PRAISE' and a.received_at >= ${dayNumberStartSql(sql`b.d`)} and a.received_at < ${end}
              offset 0) a`),
        ))(),
  ]);
  for (const c of complaintWalk) {
    walkedOf(walks.c.ms[c.i - 1]!).complaints.push({ id: c.id, accepted: c.acc, firstAnswer: c.fa ?? undefined, concluded: c.con ?? undefined, status: c.status, issueType: c.issue_type });
  }
  for (const r of otherWalk) (r.k === 'r' ? walkedOf(walks.r.ms[r.i - 1]!).reports : walkedOf(walks.p.ms[r.i - 1]!).praise).push({ id: r.id, day: r.day });
  for (const [m, inputs] of counted) addEvidence(inputs, t, walked.get(m) ?? { complaints: [], reports: [], praise: [] });

  const hosts = new Set(hostRows.map((r) => r.hostId));
  for (const m of merchantRows) {
    const inputs = counted.get(m.id)!;
    result.set(m.id, {
      asOf,
      merchant: { id: m.id, sizeBand: m.sizeBand, establishedOn: m.establishedOn },
      complaints: inputs.complaints,
      reports: inputs.reports,
      praise: inputs.praise,
      pledges: [],
      audits: [],
      enrollments: [],
      listEntries: [],
      patternResponses: [],
      hostsTenants: hosts.has(m.id),
      fund: null,
      payoutsForTenant: [],
    });
  }
  const of = (merchantId: string | null) => (merchantId ? result.get(merchantId) : undefined);

  const changesByPledge = new Map<string, { toStatus: string; at: Date }[]>();
  for (const c of changeRows) changesByPledge.set(c.pledgeId, [...(changesByPledge.get(c.pledgeId) ?? []), { toStatus: c.toStatus, at: c.at }]);
  for (const p of pledgeRows) {
    of(p.merchantId)?.pledges.push({ id: p.id, effectiveFrom: p.effectiveFrom, expiresOn: p.expiresOn, revokedAt: p.revokedAt, statusChanges: changesByPledge.get(p.id) ?? [] });
  }
  for (const a of auditRows) of(a.merchantId)?.audits.push({ id: a.id, pledgeId: a.pledgeId, auditedOn: a.auditedOn, outcome: a.outcome });
  for (const e of enrollmentRows) of(e.merchantId)?.enrollments.push({ id: e.id, program: e.program, startedAt: e.startedAt, endedAt: e.endedAt });
  for (const l of listRows) of(l.merchantId)?.listEntries.push({ id: l.id, list: l.list, listedOn: l.listedOn, removedOn: l.removedOn });
  for (const p of responseRows) of(p.merchantId)?.patternResponses.push({ id: p.id, issueType: p.issueType, respondedAt: p.respondedAt });

  const totals = new Map<string, { kind: LedgerEntryKind; amountFen: number }[]>();
  for (const b of rowsOf<{ fund_id: string; kind: string; total: string }>(balanceRows)) {
    totals.set(b.fund_id, [...(totals.get(b.fund_id) ?? []), { kind: b.kind as LedgerEntryKind, amountFen: Number(b.total) }]);
  }
  for (const fund of fundRows) {
    const r = of(fund.hostMerchantId);
    if (r) r.fund = { id: fund.id, requiredMinimumFen: fund.requiredMinimumFen, openedAt: fund.openedAt, balanceFen: balanceOf(totals.get(fund.id) ?? []) };
  }

  const reimbursements = new Map<string, { amountFen: number; occurredAt: Date }[]>();
  for (const e of tenantEntryRows) {
    if (e.kind === 'REIMBURSEMENT' && e.reimbursesEntryId) {
      reimbursements.set(e.reimbursesEntryId, [...(reimbursements.get(e.reimbursesEntryId) ?? []), { amountFen: e.amountFen, occurredAt: e.occurredAt }]);
    }
  }
  for (const e of tenantEntryRows) {
    if (e.kind !== 'PAYOUT') continue;
    of(e.tenantMerchantId)?.payoutsForTenant.push({ id: e.id, amountFen: e.amountFen, occurredAt: e.occurredAt, reimbursements: reimbursements.get(e.id) ?? [] });
  }
  return result;
}
