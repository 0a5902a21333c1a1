-- Counter rows that reach n = 0 are deleted in the statement that zeroed them. Answers move a
-- complaint from the "no answer" lag to its answer's lag, so in a registry where complaints get
-- answered most rows of the unanswered lag went to zero and stayed, read by every re-rating
-- (a fifth of the demo data's counter rows). One function now applies a statement's counts:
-- the triggers of 0012 hand it their rows instead of each upserting on its own. The rebuild
-- writes the rows in key order (below).
CREATE OR REPLACE FUNCTION rating_day_counts_apply(deltas rating_day_counts[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  zeroed tid[];
BEGIN
  -- Keys in order, so that concurrent statements lock counter rows in the same order.
  WITH up AS (
    insert into rating_day_counts as t (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved, n)
    select d.merchant_id, d.kind, d.day, d.issue_type, d.answer_lag, d.concluded_day, d.resolved, sum(d.n)::int
    from unnest(deltas) d
    group by 1, 2, 3, 4, 5, 6, 7 having sum(d.n) <> 0 order by 1, 2, 3, 4, 5, 6, 7
    on conflict (merchant_id, kind, day, issue_type, answer_lag, concluded_day, resolved) do update set n = t.n + excluded.n
    returning t.ctid, t.n
  )
  select array_agg(up.ctid) filter (where up.n = 0) into zeroed from up;
  -- The rows this statement just zeroed, by their new versions' addresses (locked by the upsert).
  IF zeroed IS NOT NULL THEN
    delete from rating_day_counts where ctid = any(zeroed) and n = 0;
  END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rating_day_counts_appeals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM rating_day_counts_apply(array(
      select row(d.*)::rating_day_counts from new_rows a
      cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), 1) d));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM rating_day_counts_apply(array(
      select row(d.*)::rating_day_counts from new_rows a
      cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), 1) d
      union all
      select row(d.*)::rating_day_counts from old_rows a
      cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), -1) d));
  ELSE
    PERFORM rating_day_counts_apply(array(
      select row(d.*)::rating_day_counts from old_rows a
      cross join lateral rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), -1) d));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- An answer moves its complaint between answer lags: the complaint's row at its first answer
-- before the statement (`before`) is taken back and added at its first answer now.
CREATE OR REPLACE FUNCTION rating_day_counts_moved(a appeals, before timestamptz)
RETURNS SETOF rating_day_counts LANGUAGE sql STABLE AS $$
  select * from rating_day_counts_of(a, (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id), 1) where kind = 1
  union all
  select * from rating_day_counts_of(a, before, -1) where kind = 1
$$;
--> statement-breakpoint
-- "Before" leaves out the statement's new answers and puts back its old ones (INSERT: no old
-- rows; DELETE: no new ones).
CREATE OR REPLACE FUNCTION rating_day_counts_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM rating_day_counts_apply(array(
      select row(d.*)::rating_day_counts
      from (select distinct appeal_id from new_rows) c
      join appeals a on a.id = c.appeal_id and a.type = 'COMPLAINT'
      cross join lateral rating_day_counts_moved(a,
        (select min(x.answered_at) from merchant_answers x where x.appeal_id = a.id and x.id not in (select y.id from new_rows y where y.appeal_id = a.id))) d));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM rating_day_counts_apply(array(
      select row(d.*)::rating_day_counts
      from (select appeal_id from new_rows union select appeal_id from old_rows) c
      join appeals a on a.id = c.appeal_id and a.type = 'COMPLAINT'
      cross join lateral rating_day_counts_moved(a, (select min(v.at) from (
        select x.answered_at as at from merchant_answers x where x.appeal_id = a.id and x.id not in (select y.id from new_rows y where y.appeal_id = a.id)
        union all select o.answered_at from old_rows o where o.appeal_id = a.id) v)) d));
  ELSE
    PERFORM rating_day_counts_apply(array(
      select row(d.*)::rating_day_counts
      from (select distinct appeal_id from old_rows) c
      join appeals a on a.id = c.appeal_id and a.type = 'COMPLAINT'
      cross join lateral rating_day_counts_moved(a, (select min(v.at) from (
        select x.answered_at as at from merchant_answers x where x.appeal_id = a.id
        union all select o.answered_at from old_rows o where o.appeal_id = a.id) v)) d));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The rebuild writes the counters in key order, so the rows of a range of merchants sit on
-- neighbouring pages: a recompute reads the table range by range, and in the order the triggers
-- had left them each range read nearly every page of the table.
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
  group by 1, 2, 3, 4, 5, 6, 7
  order by 1, 2, 3, 4, 5, 6, 7;
END
$$;
--> statement-breakpoint
-- The counters already there, without their zero rows and in key order.
SELECT rating_day_counts_rebuild();
