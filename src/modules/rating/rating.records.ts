import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db';
import { anyUuid } from '../../db/any';
import {
  appeals,
  compensationFunds,
  creditListEntries,
  disputeEnrollments,
  fundLedgerEntries,
  merchantAnswers,
  merchants,
  patternResponses,
  pledgeAudits,
  pledgeStatusChanges,
  returnPledges,
} from '../../db/schema';
import type { RatingRecords } from '../../domain/rating/v1';

/**
 * Loads the rating inputs of the given merchants with a fixed number of queries (12), each
 * restricted to these merchants' rows through indexed columns: the cost depends on their own
 * history only, never on other merchants'.
 */
export async function loadRatingRecords(db: DbOrTx, merchantIds: readonly string[]): Promise<Map<string, RatingRecords>> {
  const ids = [...new Set(merchantIds)];
  const result = new Map<string, RatingRecords>();
  if (ids.length === 0) return result;

  const [merchantRows, appealRows, answerRows, pledgeRows, changeRows, auditRows, enrollmentRows, listRows, responseRows, tenantRows, fundRows, tenantEntryRows] =
    await Promise.all([
      db.select({ id: merchants.id, sizeBand: merchants.sizeBand, establishedOn: merchants.establishedOn }).from(merchants).where(anyUuid(merchants.id, ids)),
      db
        .select({
          id: appeals.id,
          merchantId: appeals.merchantId,
          type: appeals.type,
          status: appeals.status,
          receivedAt: appeals.receivedAt,
          acceptedAt: appeals.acceptedAt,
          concludedAt: appeals.concludedAt,
          caseFiledAt: appeals.caseFiledAt,
          issueType: appeals.issueType,
        })
        .from(appeals)
        .where(and(anyUuid(appeals.merchantId, ids), inArray(appeals.type, ['COMPLAINT', 'REPORT', 'PRAISE']))),
      db.select({ appealId: merchantAnswers.appealId, answeredAt: merchantAnswers.answeredAt }).from(merchantAnswers).where(anyUuid(merchantAnswers.merchantId, ids)),
      db.select().from(returnPledges).where(anyUuid(returnPledges.merchantId, ids)),
      db
        .select({ pledgeId: pledgeStatusChanges.pledgeId, toStatus: pledgeStatusChanges.toStatus, at: pledgeStatusChanges.at })
        .from(pledgeStatusChanges)
        .innerJoin(returnPledges, eq(returnPledges.id, pledgeStatusChanges.pledgeId))
        .where(anyUuid(returnPledges.merchantId, ids)),
      db
        .select({ id: pledgeAudits.id, pledgeId: pledgeAudits.pledgeId, auditedOn: pledgeAudits.auditedOn, outcome: pledgeAudits.outcome, merchantId: returnPledges.merchantId })
        .from(pledgeAudits)
        .innerJoin(returnPledges, eq(returnPledges.id, pledgeAudits.pledgeId))
        .where(anyUuid(returnPledges.merchantId, ids)),
      db.select().from(disputeEnrollments).where(anyUuid(disputeEnrollments.merchantId, ids)),
      db.select().from(creditListEntries).where(anyUuid(creditListEntries.merchantId, ids)),
      db.select().from(patternResponses).where(anyUuid(patternResponses.merchantId, ids)),
      db.selectDistinct({ hostId: merchants.hostMerchantId }).from(merchants).where(anyUuid(merchants.hostMerchantId, ids)),
      db
        .select({ fund: compensationFunds, entry: fundLedgerEntries })
        .from(compensationFunds)
        .leftJoin(fundLedgerEntries, eq(fundLedgerEntries.fundId, compensationFunds.id))
        .where(anyUuid(compensationFunds.hostMerchantId, ids)),
      db
        .select()
        .from(fundLedgerEntries)
        .where(and(anyUuid(fundLedgerEntries.tenantMerchantId, ids), inArray(fundLedgerEntries.kind, ['PAYOUT', 'REIMBURSEMENT']))),
    ]);

  const hosts = new Set(tenantRows.map((r) => r.hostId));
  for (const m of merchantRows) {
    result.set(m.id, {
      merchant: { id: m.id, sizeBand: m.sizeBand, establishedOn: m.establishedOn },
      complaints: [],
      reports: [],
      praise: [],
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

  const answersByAppeal = new Map<string, Date[]>();
  for (const a of answerRows) answersByAppeal.set(a.appealId, [...(answersByAppeal.get(a.appealId) ?? []), a.answeredAt]);
  for (const a of appealRows) {
    const r = of(a.merchantId);
    if (!r) continue;
    if (a.type === 'COMPLAINT') {
      r.complaints.push({
        id: a.id,
        acceptedAt: a.acceptedAt,
        status: a.status,
        concludedAt: a.concludedAt,
        issueType: a.issueType,
        answeredAt: answersByAppeal.get(a.id) ?? [],
      });
    } else if (a.type === 'REPORT') r.reports.push({ id: a.id, caseFiledAt: a.caseFiledAt });
    else r.praise.push({ id: a.id, receivedAt: a.receivedAt });
  }

  const changesByPledge = new Map<string, { toStatus: string; at: Date }[]>();
  for (const c of changeRows) changesByPledge.set(c.pledgeId, [...(changesByPledge.get(c.pledgeId) ?? []), { toStatus: c.toStatus, at: c.at }]);
  for (const p of pledgeRows) {
    of(p.merchantId)?.pledges.push({
      id: p.id,
      effectiveFrom: p.effectiveFrom,
      expiresOn: p.expiresOn,
      revokedAt: p.revokedAt,
      statusChanges: changesByPledge.get(p.id) ?? [],
    });
  }
  for (const a of auditRows) of(a.merchantId)?.audits.push({ id: a.id, pledgeId: a.pledgeId, auditedOn: a.auditedOn, outcome: a.outcome });
  for (const e of enrollmentRows) of(e.merchantId)?.enrollments.push({ id: e.id, program: e.program, startedAt: e.startedAt, endedAt: e.endedAt });
  for (const l of listRows) of(l.merchantId)?.listEntries.push({ id: l.id, list: l.list, listedOn: l.listedOn, removedOn: l.removedOn });
  for (const p of responseRows) of(p.merchantId)?.patternResponses.push({ id: p.id, issueType: p.issueType, respondedAt: p.respondedAt });

  for (const { fund, entry } of fundRows) {
    const r = of(fund.hostMerchantId);
    if (!r) continue;
    r.fund ??= { id: fund.id, requiredMinimumFen: fund.requiredMinimumFen, openedAt: fund.openedAt, entries: [] };
    if (entry) r.fund.entries.push({ id: entry.id, kind: entry.kind, amountFen: entry.amountFen, occurredAt: entry.occurredAt });
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
