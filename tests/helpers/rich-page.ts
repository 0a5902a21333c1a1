import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db';

/** The name suffix of the merchants `richTenantPage` prepares: `nameContains` selects exactly them. */
export const RICH_PAGE_MARKER = '（分页样本）';

/**
 * Makes `count` seeded tenants of 曾都区 (whose hosts keep a compensation fund) the page a
 * statement-count test reads: renamed with RICH_PAGE_MARKER, and each given whatever of its
 * records it lacks, so that every field of a page resolves on every one of them: a pledge in
 * effect with its history and an audit, two accepted complaints with a category, workflow
 * history and an answer (received now, so they are the newest appeals), a pattern response, a credit-list entry,
 * membership of the district's demonstration street, a period in both dispute programs, and a
 * payout from its host's fund not yet reimbursed. Rows go in directly, a few set-based
 * statements, rather than through the mutations: the test is about reading them.
 */
export async function richTenantPage(db: Db, count: number): Promise<void> {
  const page = sql`(select id from merchants where name like ${`%${RICH_PAGE_MARKER}`})`;
  await db.execute(sql`
    update merchants set name = name || ${RICH_PAGE_MARKER}
    where id in (
      select m.id from merchants m join compensation_funds f on f.host_merchant_id = m.host_merchant_id
      where m.region_code = '421303' order by m.id limit ${count})`);

  // A pledge in effect today for each: an existing one is made open-ended, the others get one.
  await db.execute(sql`
    update return_pledges set effective_from = least(effective_from, '2024-01-01'), expires_on = null
    where merchant_id in ${page} and status in ('ACTIVE', 'SUSPENDED')`);
  await db.execute(sql`
    insert into return_pledges (merchant_id, effective_from, status, signboard_displayed, filed_by)
    select m.id, '2024-01-01', 'ACTIVE', true, 'page-test' from merchants m
    where m.id in ${page} and not exists (
      select 1 from return_pledges p where p.merchant_id = m.id and p.status in ('ACTIVE', 'SUSPENDED'))`);
  await db.execute(sql`
    insert into pledge_status_changes (pledge_id, to_status, actor, at)
    select p.id, p.status, 'page-test', p.created_at from return_pledges p
    where p.merchant_id in ${page} and not exists (select 1 from pledge_status_changes c where c.pledge_id = p.id)`);
  await db.execute(sql`
    insert into pledge_audits (pledge_id, audited_on, inspector, outcome, findings, recorded_by)
    select p.id, '2024-06-01', '曾都区市场监管局 检查员', 'COMPLIANT', '承诺牌已张贴', 'page-test' from return_pledges p
    where p.merchant_id in ${page} and p.status in ('ACTIVE', 'SUSPENDED')
      and not exists (select 1 from pledge_audits a where a.pledge_id = p.id)`);

  // Two accepted complaints each, received in the last hours: newer than every seeded appeal.
  await db.execute(sql`
    insert into appeals (external_id, type, channel, received_at, merchant_id, region_code, category_code, issue_type,
                         amount_involved_fen, consumer_name, consumer_phone, details, status, accepted_at)
    select 'PAGE-' || m.id || '-' || g.n, 'COMPLAINT', 'WEB', r.at, m.id, m.region_code,
           (select code from appeal_categories where parent_code is not null order by code limit 1), 'QUALITY',
           1200, '王小明', '13800001234', '购买的商品有质量问题', 'ACCEPTED', r.at + interval '1 minute'
    from merchants m
    cross join generate_series(1, 2) as g(n)
    cross join lateral (select now() - interval '6 hours' + (g.n * interval '1 hour') + (abs(hashtext(m.id::text)) % 3600) * interval '1 second' as at) r
    where m.id in ${page}`);
  await db.execute(sql`
    insert into appeal_transitions (appeal_id, from_status, to_status, actor, at)
    select a.id, s.from_status::appeal_status, s.to_status::appeal_status, 'page-test', a.received_at + s.offset_s * interval '1 minute'
    from appeals a cross join (values (null, 'RECEIVED', 0), ('RECEIVED', 'ACCEPTED', 1)) as s(from_status, to_status, offset_s)
    where a.external_id like 'PAGE-%'`);
  await db.execute(sql`
    insert into merchant_answers (appeal_id, merchant_id, body, answered_at, actor)
    select a.id, a.merchant_id, '已联系消费者协商退货', a.accepted_at + interval '2 minutes', 'page-test'
    from appeals a where a.external_id like 'PAGE-%'`);
  await db.execute(sql`
    insert into pattern_responses (merchant_id, issue_type, body, responded_at, actor)
    select m.id, 'QUALITY', '已加强进货查验', now() - interval '3 hours', 'page-test' from merchants m
    where m.id in ${page} and not exists (select 1 from pattern_responses r where r.merchant_id = m.id)`);

  await db.execute(sql`
    insert into credit_list_entries (merchant_id, list, listed_on, reason, decision_ref, listed_by)
    select m.id, 'ABNORMAL_OPERATIONS', '2024-03-01', '未按规定公示年度报告', '随市监异〔2024〕1号', 'page-test' from merchants m
    where m.id in ${page} and not exists (select 1 from credit_list_entries c where c.merchant_id = m.id)`);
  await db.execute(sql`
    insert into demonstration_street_members (street_id, merchant_id, joined_on)
    select s.id, m.id, '2024-01-01' from merchants m
    cross join (select id from demonstration_streets where region_code = '421303' order by id limit 1) s
    where m.id in ${page} and not exists (
      select 1 from demonstration_street_members d where d.merchant_id = m.id and d.street_id = s.id and d.left_on is null)`);
  await db.execute(sql`
    insert into dispute_enrollments (merchant_id, program, started_at, started_by)
    select m.id, p.program, now() - interval '30 days', 'page-test' from merchants m
    cross join (values ('SETTLEMENT_PLATFORM'::dispute_program), ('ODR'::dispute_program)) as p(program)
    where m.id in ${page} and not exists (select 1 from dispute_enrollments e where e.merchant_id = m.id and e.program = p.program)`);

  // A deposit first, so that no fund is overdrawn by the payouts.
  await db.execute(sql`
    insert into fund_ledger_entries (fund_id, kind, amount_fen, occurred_at, idempotency_key, note, actor)
    select distinct f.id, 'DEPOSIT'::ledger_entry_kind, 1000000, now() - interval '2 days', 'page-test-deposit', '测试存入', 'page-test'
    from merchants m join compensation_funds f on f.host_merchant_id = m.host_merchant_id where m.id in ${page}`);
  await db.execute(sql`
    insert into fund_ledger_entries (fund_id, kind, amount_fen, occurred_at, tenant_merchant_id, idempotency_key, note, actor)
    select f.id, 'PAYOUT', 500, now() - interval '1 day', m.id, 'page-test-' || m.id, '先行赔付', 'page-test'
    from merchants m join compensation_funds f on f.host_merchant_id = m.host_merchant_id where m.id in ${page}`);
}
