-- rating_day_counts (0011) kept in the same transaction as every change of `appeals` and
-- `merchant_answers`: statement-level triggers read the rows each INSERT (COPY included), UPDATE or
-- DELETE changed from their transition tables and add their counts set-based (one upsert per
-- statement, whatever wrote the rows). The status lists are the domain's
-- (CONCLUDED_COMPLAINT_STATUSES, RESOLVED_COMPLAINT_STATUSES; checked by
-- tests/unit/rating-day-counts-sql.test.ts); the day numbers are Asia/Shanghai days since
-- 1970-01-01; the answer lag is clipped at 60 days (longer than any answer deadline: ten working
-- days), 999 meaning no answer. See docs/rating.md ("Day counters").
CREATE OR REPLACE FUNCTION rating_day_counts_of(a appeals, first_answer timestamptz, sign int)
RETURNS TABLE (merchant_id uuid, kind smallint, day int, issue_type text, answer_lag smallint, concluded_day int, resolved boolean, n int)
LANGUAGE sql STABLE AS $$
  select a.merchant_id, 1::smallint, ((a.accepted_at at time zone 'Asia/Shanghai')::date - date '1970-01-01'),
         coalesce(a.issue_type, ''),
         coalesce(least(((first_answer at time zone 'Asia/Shanghai')::date - (a.accepted_at at time zone 'Asia/Shanghai')::date), 60), 999)::smallint,
         -1, false, sign
  where a.type = 'COMPLAINT' and a.merchant_id is not null and a.accepted_at is not null
  union all
  select a.merchant_id, 2::smallint, ((a.accepted_at at time zone 'Asia/Shanghai')::date - date '1970-01-01'), '', 999::smallint,
         ((a.concluded_at at time zone 'Asia/Shanghai')::date - date '1970-01-01'), a.status in ('MEDIATED', 'WITHDRAWN'), sign
  where a.type = 'COMPLAINT' and a.merchant_id is not null and a.accepted_at is not null and a.concluded_at is not null
    and a.status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN')
  union all
  select a.merchant_id, 3::smallint, ((a.case_filed_at at time zone 'Asia/Shanghai')::date - date '1970-01-01'), '', 999::smallint, -1, false, sign
  where a.type = 'REPORT' and a.merchant_id is not null and a.case_filed_at is not null
  union all
  select a.merchant_id, 4::smallint, ((a.received_at at time zone 'Asia/Shanghai')::date - date '1970-01-01'), '', 999::smallint, -1, false, sign
  where a.type = 'PRAISE' and a.merchant_id is not null
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rating_day_counts_appeals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    insert into rating_day_counts as t (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
    select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
    from new_rows a
    cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), 1) d
    group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved) do update set n = t.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    insert into rating_day_counts as t (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
    select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
    from (
      select e.* from new_rows a cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), 1) e
      union all
      select e.* from old_rows a cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), -1) e
    ) d
    group by 1, 2, 3, 4, 5, 6, 7 having sum(d.n) <> 0 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved) do update set n = t.n + excluded.n;
  ELSE
    insert into rating_day_counts as t (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
    select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
    from old_rows a
    cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), -1) d
    group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved) do update set n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- An answer moves its complaint between answer lags: the complaint's row at the first answer
-- before the statement is taken back and added at the first answer after it.
CREATE OR REPLACE FUNCTION rating_day_counts_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    insert into rating_day_counts as t (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
    select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
    from (select distinct appeal_id from new_rows) c
    join appeals a on a.id = c.appeal_id and a.type = 'COMPLAINT'
    cross join lateral (
      select (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id) as after,
             (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id and x.id not in (select y.id from new_rows y where y.appeal_id = a.id)) as before
    ) f
    cross join lateral (
      select * from rating_day_counts_of(a, f.after, 1) where kind = 1
      union all select * from rating_day_counts_of(a, f.before, -1) where kind = 1
    ) d
    group by 1, 2, 3, 4, 5, 6, 7 having sum(d.n) <> 0 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved) do update set n = t.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    insert into rating_day_counts as t (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
    select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
    from (select appeal_id from new_rows union select appeal_id from old_rows) c
    join appeals a on a.id = c.appeal_id and a.type = 'COMPLAINT'
    cross join lateral (
      select (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id) as after,
             (select min(v.at) from (
                select x.answered_at as at from merchant_answers x where x.appeal_id = a.id and x.id not in (select y.id from new_rows y where y.appeal_id = a.id)
                union all select o.answered_at from old_rows o where o.appeal_id = a.id) v) as before
    ) f
    cross join lateral (
      select * from rating_day_counts_of(a, f.after, 1) where kind = 1
      union all select * from rating_day_counts_of(a, f.before, -1) where kind = 1
    ) d
    group by 1, 2, 3, 4, 5, 6, 7 having sum(d.n) <> 0 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved) do update set n = t.n + excluded.n;
  ELSE
    insert into rating_day_counts as t (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
    select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
    from (select distinct appeal_id from old_rows) c
    join appeals a on a.id = c.appeal_id and a.type = 'COMPLAINT'
    cross join lateral (
      select (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id) as after,
             (select min(v.at) from (
                select x.answered_at as at from merchant_answers x where x.appeal_id = a.id
                union all select o.answered_at from old_rows o where o.appeal_id = a.id) v) as before
    ) f
    cross join lateral (
      select * from rating_day_counts_of(a, f.after, 1) where kind = 1
      union all select * from rating_day_counts_of(a, f.before, -1) where kind = 1
    ) d
    group by 1, 2, 3, 4, 5, 6, 7 having sum(d.n) <> 0 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved) do update set n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rating_day_counts_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM rating_day_counts;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER appeals_rating_days_insert AFTER INSERT ON appeals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_counts_appeals();
--> statement-breakpoint
CREATE TRIGGER appeals_rating_days_update AFTER UPDATE ON appeals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_counts_appeals();
--> statement-breakpoint
CREATE TRIGGER appeals_rating_days_delete AFTER DELETE ON appeals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_counts_appeals();
--> statement-breakpoint
CREATE TRIGGER appeals_rating_days_truncate AFTER TRUNCATE ON appeals FOR EACH STATEMENT EXECUTE FUNCTION rating_day_counts_cleared();
--> statement-breakpoint
CREATE TRIGGER answers_rating_days_insert AFTER INSERT ON merchant_answers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_counts_answers();
--> statement-breakpoint
CREATE TRIGGER answers_rating_days_update AFTER UPDATE ON merchant_answers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_counts_answers();
--> statement-breakpoint
CREATE TRIGGER answers_rating_days_delete AFTER DELETE ON merchant_answers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_counts_answers();
--> statement-breakpoint
-- For a bulk load that wrote `appeals` or `merchant_answers` with triggers off
-- (session_replication_role = replica): counts everything again from the records.
CREATE OR REPLACE FUNCTION rating_day_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE appeals IN SHARE MODE;
  LOCK TABLE merchant_answers IN SHARE MODE;
  DELETE FROM rating_day_counts;
  insert into rating_day_counts (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
  select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
  from appeals a
  left join (select appeal_id, min(answered_at) as first from merchant_answers group by appeal_id) f on f.appeal_id = a.id
  cross join lateral rating_day_counts_of(a, f.first, 1) d
  group by 1, 2, 3, 4, 5, 6, 7;
END
$$;
--> statement-breakpoint
-- The counters of the appeals already there.
insert into rating_day_counts (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
from appeals a
left join (select appeal_id, min(answered_at) as first from merchant_answers group by appeal_id) f on f.appeal_id = a.id
cross join lateral rating_day_counts_of(a, f.first, 1) d
group by 1, 2, 3, 4, 5, 6, 7;
