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
import { CONCLUDED_COMPLAINT_STATUSES, RESOLVED_COMPLAINT_STATUSES } from '../../domain/appeal-workflow';
import { statusInSql } from '../../domain/appeal-workflow.sql';
import { addDays } from '../../domain/calendar';
import { balanceOf, type LedgerEntryKind } from '../../domain/ledger';
import { dayNumberOf, type LocalDate } from '../../domain/local-date';
import { answerDueDay, LAST_YEAR_DAYS, MAX_WEIGHTED_AGE_DAYS, RECORD_IDS_CAP, type RatingInputs, type Tally } from '../../domain/rating/v1';
import { shanghaiDayNumberSql, shanghaiDayStartSql, weightOfAgeSql } from '../../domain/rating/v1.sql';

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

/** The answer deadline of every acceptance day that still weighs on `asOf` (days ascending, one apart). */
let dueTable: { asOf: LocalDate; days: number[]; dues: number[] } | null = null;
function answerDueTable(asOf: LocalDate): { days: number[]; dues: number[] } {
  if (dueTable?.asOf !== asOf) {
    const t = dayNumberOf(asOf);
    const days: number[] = [];
    for (let d = t - MAX_WEIGHTED_AGE_DAYS; d <= t; d++) days.push(d);
    dueTable = { asOf, days, dues: days.map(answerDueDay) };
  }
  return dueTable;
}

const emptyTally = (): Tally => ({ n: 0, q: 0, ids: [] });
const tally = (n: unknown, q: unknown, ids: unknown): Tally => ({ n: Number(n ?? 0), q: Number(q ?? 0), ids: (ids as string[] | null) ?? [] });

/**
 * The rating inputs of the merchants in `scope` as of `asOf`, with a fixed number of statements
 * (16). Complaints, reports, praise, answers and fund entries are aggregated by indexed SQL
 * (GROUP BY merchant and, for patterns, issue type and day) into counts, weighted sums and at
 * most RECORD_IDS_CAP ids per group, so the cost and the memory per merchant stay the same
 * however long its history; the other records (pledges, audits, enrollments, list entries,
 * pattern responses, payouts for a tenant) are few per merchant and come as rows. Must give
 * exactly what `ratingInputs(loadRatingRecords(…), asOf)` gives (tests/integration/rating-inputs.test.ts).
 */
export async function loadRatingInputs(db: DbOrTx, scope: MerchantScope, asOf: LocalDate): Promise<Map<string, RatingInputs>> {
  const result = new Map<string, RatingInputs>();
  if ('ids' in scope && scope.ids.length === 0) return result;
  const t = dayNumberOf(asOf);
  // Records dated on or before T are those before the start of T + 1 (Shanghai).
  const end = shanghaiDayStartSql(addDays(asOf, 1));
  const start = shanghaiDayStartSql(addDays(asOf, -MAX_WEIGHTED_AGE_DAYS));
  const yearStart = shanghaiDayStartSql(addDays(asOf, -LAST_YEAR_DAYS));
  const cap = sql.raw(String(RECORD_IDS_CAP));
  const tParam = sql`${t}::int`;
  const ids = (filter: SQL) => sql`(array_agg(id::text order by id) filter (where ${filter}))`;
  const due = answerDueTable(asOf);
  const dayOf = (column: string) => shanghaiDayNumberSql(sql.raw(column));
  const recentComplaints = sql`${scopeSql(scope, sql.raw('a.merchant_id'))} and a.type = 'COMPLAINT' and a.issue_type is not null
            and a.received_at < ${end} and a.accepted_at >= ${yearStart} and a.accepted_at < ${end}`;

  const [merchantRows, complaintRows, patternRows, patternIdRows, reportRows, praiseRows, pledgeRows, changeRows, auditRows, enrollmentRows, listRows, responseRows, hostRows, fundRows, balanceRows, tenantEntryRows] =
    await Promise.all([
      db.select({ id: merchants.id, sizeBand: merchants.sizeBand, establishedOn: merchants.establishedOn }).from(merchants).where(scopeSql(scope, merchants.id)),
      // One row per merchant: each complaint accepted in the last 1095 days classified (answer on
      // time / pending / late, concluded, resolved) against its deadline, looked up by acceptance day.
      db.execute(sql`
        with c as materialized (
          select a.id, a.merchant_id as m, a.status, ${dayOf('a.accepted_at')} as acc, ${dayOf('a.concluded_at')} as con,
                 -- The first answer on or before T: one probe of (appeal_id, answered_at) per complaint.
                 ${shanghaiDayNumberSql(sql`(select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id and x.answered_at < ${end})`)} as fa
          from appeals a
          where ${scopeSql(scope, sql.raw('a.merchant_id'))} and a.type = 'COMPLAINT' and a.received_at < ${end}
            and a.accepted_at >= ${start} and a.accepted_at < ${end}
        ), k as (
          select c.id, c.m, c.fa, c.con, c.status, ${weightOfAgeSql(sql`(${tParam} - c.acc)`)} as w,
                 -- The answer deadline of the acceptance day, looked up in the table of the last 1096 days.
                 (${sql.param(due.dues)}::int[])[c.acc - ${due.days[0]!}::int + 1] as due
          from c
        ), l as (
          select k.id, k.m, k.w,
                 case when k.fa is not null and k.fa <= k.due then 1 when k.fa is null and ${tParam} <= k.due then 2 else 3 end as ans,
                 (k.con is not null and k.con <= ${tParam} and ${statusInSql(sql.raw('k.status'), CONCLUDED_COMPLAINT_STATUSES)}) as concluded,
                 ${statusInSql(sql.raw('k.status'), RESOLVED_COMPLAINT_STATUSES)} as resolved
          from k
        ), r as (
          -- Each complaint's rank by id within its groups (one sort shared by every window), so the
          -- id lists below take at most RECORD_IDS_CAP rows each instead of sorting them all.
          select l.*,
                 row_number() over win as r_all,
                 count(*) filter (where ans = 1) over win as r_on,
                 count(*) filter (where ans = 2) over win as r_pe,
                 count(*) filter (where ans = 3) over win as r_la,
                 count(*) filter (where concluded) over win as r_co,
                 count(*) filter (where concluded and resolved) over win as r_re
          from l window win as (partition by m order by id rows between unbounded preceding and current row)
        )
        select m::text as m,
          count(*)::int as n, sum(w)::int as q, ${ids(sql`r_all <= ${cap}`)} as ids,
          count(*) filter (where ans = 1)::int as on_n, sum(w) filter (where ans = 1)::int as on_q, ${ids(sql`ans = 1 and r_on <= ${cap}`)} as on_ids,
          count(*) filter (where ans = 2)::int as pe_n, sum(w) filter (where ans = 2)::int as pe_q, ${ids(sql`ans = 2 and r_pe <= ${cap}`)} as pe_ids,
          count(*) filter (where ans = 3)::int as la_n, sum(w) filter (where ans = 3)::int as la_q, ${ids(sql`ans = 3 and r_la <= ${cap}`)} as la_ids,
          count(*) filter (where concluded)::int as co_n, sum(w) filter (where concluded)::int as co_q, ${ids(sql`concluded and r_co <= ${cap}`)} as co_ids,
          count(*) filter (where concluded and resolved)::int as re_n, sum(w) filter (where concluded and resolved)::int as re_q, ${ids(sql`concluded and resolved and r_re <= ${cap}`)} as re_ids
        from r group by m`),
      // Complaints of the last year per merchant and issue type: counts per acceptance day in day
      // order, then (a second statement: a join of the two would hang on a misestimate) the lowest ids.
      db.execute(sql`
        select m::text as m, it, array_agg(d order by d) as days, array_agg(n order by d) as ns
        from (
          select a.merchant_id as m, a.issue_type as it, ${dayOf('a.accepted_at')} as d, count(*)::int as n
          from appeals a
          where ${recentComplaints}
          group by 1, 2, 3
        ) g group by m, it`),
      db.execute(sql`
        select a.merchant_id::text as m, a.issue_type as it, (array_agg(a.id::text order by a.id))[1:${cap}] as ids
        from appeals a where ${recentComplaints} group by 1, 2`),
      db.execute(sql`
        select m::text as m, count(*) filter (where w > 0)::int as n, sum(w)::int as q, (array_agg(id::text order by id) filter (where w > 0))[1:${cap}] as ids
        from (
          select a.merchant_id as m, a.id, ${weightOfAgeSql(sql`(${tParam} - ${dayOf('a.case_filed_at')})`)} as w
          from appeals a
          where ${scopeSql(scope, sql.raw('a.merchant_id'))} and a.type = 'REPORT' and a.received_at < ${end} and a.case_filed_at < ${end}
        ) r group by m`),
      db.execute(sql`
        select a.merchant_id::text as m, count(*)::int as n, (array_agg(a.id::text order by a.id))[1:${cap}] as ids
        from appeals a
        where ${scopeSql(scope, sql.raw('a.merchant_id'))} and a.type = 'PRAISE' and a.received_at >= ${yearStart} and a.received_at < ${end}
        group by a.merchant_id`),
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

  const hosts = new Set(hostRows.map((r) => r.hostId));
  for (const m of merchantRows) {
    result.set(m.id, {
      asOf,
      merchant: { id: m.id, sizeBand: m.sizeBand, establishedOn: m.establishedOn },
      complaints: {
        counted: emptyTally(),
        onTime: emptyTally(),
        pending: emptyTally(),
        late: emptyTally(),
        concluded: emptyTally(),
        resolved: emptyTally(),
        recentByIssueType: [],
      },
      reports: { filed: emptyTally(), anyFiledSoFar: false },
      praise: emptyTally(),
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

  for (const c of rowsOf<Record<string, unknown> & { m: string }>(complaintRows)) {
    const r = of(c.m);
    if (!r) continue;
    r.complaints = {
      counted: tally(c.n, c.q, c.ids),
      onTime: tally(c.on_n, c.on_q, c.on_ids),
      pending: tally(c.pe_n, c.pe_q, c.pe_ids),
      late: tally(c.la_n, c.la_q, c.la_ids),
      concluded: tally(c.co_n, c.co_q, c.co_ids),
      resolved: tally(c.re_n, c.re_q, c.re_ids),
      recentByIssueType: [],
    };
  }
  const patternIds = new Map(rowsOf<{ m: string; it: string; ids: string[] }>(patternIdRows).map((p) => [`${p.m} ${p.it}`, p.ids]));
  for (const p of rowsOf<{ m: string; it: string; days: number[]; ns: number[] }>(patternRows)) {
    const days = p.days.map((d, i) => ({ day: Number(d), n: Number(p.ns[i]) }));
    of(p.m)?.complaints.recentByIssueType.push({ issueType: p.it, days, ids: patternIds.get(`${p.m} ${p.it}`) ?? [] });
  }
  // Issue types in JavaScript string order, as ratingInputs orders them (no collation involved).
  for (const r of result.values()) r.complaints.recentByIssueType.sort((a, b) => (a.issueType < b.issueType ? -1 : a.issueType > b.issueType ? 1 : 0));
  for (const row of rowsOf<{ m: string; n: number; q: number | null; ids: string[] | null }>(reportRows)) {
    const r = of(row.m);
    if (r) r.reports = { filed: tally(row.n, row.q, row.ids), anyFiledSoFar: true };
  }
  for (const row of rowsOf<{ m: string; n: number; ids: string[] }>(praiseRows)) {
    const r = of(row.m);
    if (r) r.praise = tally(row.n, 4 * Number(row.n), row.ids);
  }

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
