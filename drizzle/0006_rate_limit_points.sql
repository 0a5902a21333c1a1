-- Request budgets of every API node (src/limits/rate-limit.ts, rate-limiter-flexible's PostgreSQL
-- store). Counters are worth nothing after a crash, so the table skips the WAL. Created here
-- rather than at start so the serving role needs no CREATE right.
CREATE UNLOGGED TABLE IF NOT EXISTS "rate_limit_points" (
  "key" varchar(255) PRIMARY KEY,
  "points" integer NOT NULL DEFAULT 0,
  "expire" bigint
);
