-- The appeal count tables (0007) kept in the same transaction as every change of `appeals`:
-- statement-level triggers read the rows each INSERT (COPY included), UPDATE or DELETE changed
-- from its transition tables and add their counts set-based, whatever wrote them (the API, the
-- import, the seed, a bulk load). The functions are rendered from the domain's rules by
-- src/modules/report/report.counts.sql.ts (`npm run -s db:appeal-counts-sql`); a unit test
-- checks this text against them.
CREATE OR REPLACE FUNCTION appeal_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint; emptied bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    with delta as (select (a.received_at at time zone 'Asia/Shanghai')::date as day, a.region_code, a.type,
      coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type,
      1 as appeals, case when ((a.type in ('COMPLAINT')) and coalesce(a.accepted_at, a.rejected_at) is not null) then 1 else 0 end as decided, case when ((a.type in ('COMPLAINT')) and coalesce((coalesce(a.accepted_at, a.rejected_at) at time zone 'Asia/Shanghai')::date <= a.acceptance_due_on, false)) then 1 else 0 end as decided_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) then 1 else 0 end as concluded, case when (((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) and coalesce((a.concluded_at at time zone 'Asia/Shanghai')::date <= a.conclusion_due_on, false)) then 1 else 0 end as concluded_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED'))) then 1 else 0 end as mediated, case when ((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) then 1 else 0 end as verified, case when (((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) and coalesce((a.decided_at at time zone 'Asia/Shanghai')::date <= a.verification_due_on, false)) then 1 else 0 end as verified_on_time, 1 * a.amount_recovered_fen as recovered_fen
    from new_rows a),
    added_daily as (
      insert into appeal_counts_daily as t (day, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select day, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (day, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    ), added_monthly as (
      insert into appeal_counts_monthly as t (month, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select date_trunc('month', day)::date, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (month, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    )
    select (select count(*) from added_daily),
           (select count(*) from added_daily where appeals = 0) + (select count(*) from added_monthly where appeals = 0)
      into changed, emptied;
  ELSIF TG_OP = 'UPDATE' THEN
    with delta as (select (a.received_at at time zone 'Asia/Shanghai')::date as day, a.region_code, a.type,
      coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type,
      1 as appeals, case when ((a.type in ('COMPLAINT')) and coalesce(a.accepted_at, a.rejected_at) is not null) then 1 else 0 end as decided, case when ((a.type in ('COMPLAINT')) and coalesce((coalesce(a.accepted_at, a.rejected_at) at time zone 'Asia/Shanghai')::date <= a.acceptance_due_on, false)) then 1 else 0 end as decided_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) then 1 else 0 end as concluded, case when (((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) and coalesce((a.concluded_at at time zone 'Asia/Shanghai')::date <= a.conclusion_due_on, false)) then 1 else 0 end as concluded_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED'))) then 1 else 0 end as mediated, case when ((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) then 1 else 0 end as verified, case when (((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) and coalesce((a.decided_at at time zone 'Asia/Shanghai')::date <= a.verification_due_on, false)) then 1 else 0 end as verified_on_time, 1 * a.amount_recovered_fen as recovered_fen
    from new_rows a union all select (a.received_at at time zone 'Asia/Shanghai')::date as day, a.region_code, a.type,
      coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type,
      -1 as appeals, case when ((a.type in ('COMPLAINT')) and coalesce(a.accepted_at, a.rejected_at) is not null) then -1 else 0 end as decided, case when ((a.type in ('COMPLAINT')) and coalesce((coalesce(a.accepted_at, a.rejected_at) at time zone 'Asia/Shanghai')::date <= a.acceptance_due_on, false)) then -1 else 0 end as decided_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) then -1 else 0 end as concluded, case when (((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) and coalesce((a.concluded_at at time zone 'Asia/Shanghai')::date <= a.conclusion_due_on, false)) then -1 else 0 end as concluded_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED'))) then -1 else 0 end as mediated, case when ((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) then -1 else 0 end as verified, case when (((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) and coalesce((a.decided_at at time zone 'Asia/Shanghai')::date <= a.verification_due_on, false)) then -1 else 0 end as verified_on_time, -1 * a.amount_recovered_fen as recovered_fen
    from old_rows a),
    added_daily as (
      insert into appeal_counts_daily as t (day, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select day, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (day, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    ), added_monthly as (
      insert into appeal_counts_monthly as t (month, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select date_trunc('month', day)::date, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (month, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    )
    select (select count(*) from added_daily),
           (select count(*) from added_daily where appeals = 0) + (select count(*) from added_monthly where appeals = 0)
      into changed, emptied;
  ELSE
    with delta as (select (a.received_at at time zone 'Asia/Shanghai')::date as day, a.region_code, a.type,
      coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type,
      -1 as appeals, case when ((a.type in ('COMPLAINT')) and coalesce(a.accepted_at, a.rejected_at) is not null) then -1 else 0 end as decided, case when ((a.type in ('COMPLAINT')) and coalesce((coalesce(a.accepted_at, a.rejected_at) at time zone 'Asia/Shanghai')::date <= a.acceptance_due_on, false)) then -1 else 0 end as decided_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) then -1 else 0 end as concluded, case when (((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) and coalesce((a.concluded_at at time zone 'Asia/Shanghai')::date <= a.conclusion_due_on, false)) then -1 else 0 end as concluded_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED'))) then -1 else 0 end as mediated, case when ((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) then -1 else 0 end as verified, case when (((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) and coalesce((a.decided_at at time zone 'Asia/Shanghai')::date <= a.verification_due_on, false)) then -1 else 0 end as verified_on_time, -1 * a.amount_recovered_fen as recovered_fen
    from old_rows a),
    added_daily as (
      insert into appeal_counts_daily as t (day, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select day, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (day, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    ), added_monthly as (
      insert into appeal_counts_monthly as t (month, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select date_trunc('month', day)::date, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (month, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    )
    select (select count(*) from added_daily),
           (select count(*) from added_daily where appeals = 0) + (select count(*) from added_monthly where appeals = 0)
      into changed, emptied;
  END IF;
  IF emptied > 0 THEN
    delete from appeal_counts_daily t using (
        select distinct (a.received_at at time zone 'Asia/Shanghai')::date as period, a.region_code, a.type,
               coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type
        from old_rows a) k
      where t.appeals = 0 and (t.day, t.region_code, t.type, t.category_code, t.violation_type)
        = (k.period, k.region_code, k.type, k.category_code, k.violation_type);
    delete from appeal_counts_monthly t using (
        select distinct date_trunc('month', (a.received_at at time zone 'Asia/Shanghai')::date)::date as period, a.region_code, a.type,
               coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type
        from old_rows a) k
      where t.appeals = 0 and (t.month, t.region_code, t.type, t.category_code, t.violation_type)
        = (k.period, k.region_code, k.type, k.category_code, k.violation_type);
  END IF;
  IF changed > 0 THEN insert into appeal_counts_changed (txid) values (txid_current()) on conflict do nothing; END IF;
  RETURN NULL;
END
$$
--> statement-breakpoint
CREATE OR REPLACE FUNCTION appeal_counts_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM appeal_counts_daily;
  DELETE FROM appeal_counts_monthly;
  insert into appeal_counts_changed (txid) values (txid_current()) on conflict do nothing;
  RETURN NULL;
END
$$
--> statement-breakpoint
CREATE OR REPLACE FUNCTION appeal_counts_raise_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE appeal_counts_version SET version = version + 1;
  DELETE FROM appeal_counts_changed WHERE txid = NEW.txid;
  RETURN NULL;
END
$$
--> statement-breakpoint
CREATE OR REPLACE FUNCTION appeal_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  changed bigint; emptied bigint;
BEGIN
  LOCK TABLE appeals IN SHARE MODE;
  DELETE FROM appeal_counts_daily;
  DELETE FROM appeal_counts_monthly;
  with delta as (select (a.received_at at time zone 'Asia/Shanghai')::date as day, a.region_code, a.type,
      coalesce(a.category_code, '') as category_code, coalesce(a.violation_type, '') as violation_type,
      1 as appeals, case when ((a.type in ('COMPLAINT')) and coalesce(a.accepted_at, a.rejected_at) is not null) then 1 else 0 end as decided, case when ((a.type in ('COMPLAINT')) and coalesce((coalesce(a.accepted_at, a.rejected_at) at time zone 'Asia/Shanghai')::date <= a.acceptance_due_on, false)) then 1 else 0 end as decided_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) then 1 else 0 end as concluded, case when (((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))) and coalesce((a.concluded_at at time zone 'Asia/Shanghai')::date <= a.conclusion_due_on, false)) then 1 else 0 end as concluded_on_time, case when ((a.type in ('COMPLAINT')) and (a.status in ('MEDIATED'))) then 1 else 0 end as mediated, case when ((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) then 1 else 0 end as verified, case when (((a.type in ('REPORT')) and (a.status in ('CASE_FILED', 'NOT_FILED'))) and coalesce((a.decided_at at time zone 'Asia/Shanghai')::date <= a.verification_due_on, false)) then 1 else 0 end as verified_on_time, 1 * a.amount_recovered_fen as recovered_fen
    from appeals a),
    added_daily as (
      insert into appeal_counts_daily as t (day, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select day, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (day, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    ), added_monthly as (
      insert into appeal_counts_monthly as t (month, region_code, type, category_code, violation_type, appeals, decided, decided_on_time, concluded, concluded_on_time, mediated, verified, verified_on_time, recovered_fen)
      select date_trunc('month', day)::date, region_code, type, category_code, violation_type, sum(appeals)::int, sum(decided)::int, sum(decided_on_time)::int, sum(concluded)::int, sum(concluded_on_time)::int, sum(mediated)::int, sum(verified)::int, sum(verified_on_time)::int, sum(recovered_fen)::bigint
      from delta group by 1, 2, 3, 4, 5
      having sum(appeals) <> 0 or sum(decided) <> 0 or sum(decided_on_time) <> 0 or sum(concluded) <> 0 or sum(concluded_on_time) <> 0 or sum(mediated) <> 0 or sum(verified) <> 0 or sum(verified_on_time) <> 0 or sum(recovered_fen) <> 0
      order by 1, 2, 3, 4, 5
      on conflict (month, region_code, type, category_code, violation_type) do update set appeals = t.appeals + excluded.appeals, decided = t.decided + excluded.decided, decided_on_time = t.decided_on_time + excluded.decided_on_time, concluded = t.concluded + excluded.concluded, concluded_on_time = t.concluded_on_time + excluded.concluded_on_time, mediated = t.mediated + excluded.mediated, verified = t.verified + excluded.verified, verified_on_time = t.verified_on_time + excluded.verified_on_time, recovered_fen = t.recovered_fen + excluded.recovered_fen
      returning t.appeals
    )
    select (select count(*) from added_daily),
           (select count(*) from added_daily where appeals = 0) + (select count(*) from added_monthly where appeals = 0)
      into changed, emptied;
  UPDATE appeal_counts_version SET version = version + 1;
END
$$
--> statement-breakpoint
CREATE TRIGGER appeals_counts_insert AFTER INSERT ON appeals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_counts_apply();
--> statement-breakpoint
CREATE TRIGGER appeals_counts_update AFTER UPDATE ON appeals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_counts_apply();
--> statement-breakpoint
CREATE TRIGGER appeals_counts_delete AFTER DELETE ON appeals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_counts_apply();
--> statement-breakpoint
CREATE TRIGGER appeals_counts_truncate AFTER TRUNCATE ON appeals FOR EACH STATEMENT EXECUTE FUNCTION appeal_counts_cleared();
--> statement-breakpoint
-- Raised once per transaction, at commit: the version row is locked only while committing.
CREATE CONSTRAINT TRIGGER appeal_counts_changed_raise_version AFTER INSERT ON appeal_counts_changed DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION appeal_counts_raise_version();
--> statement-breakpoint
INSERT INTO appeal_counts_version (id, version) VALUES (true, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The appeals already on record (after the triggers exist, so no change is missed or counted twice).
SELECT appeal_counts_rebuild();
