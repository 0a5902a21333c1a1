import { sql, TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '../../src/db';
import { rowsOf } from '../../src/db/rows';
import { REBUILD_APPEAL_COUNTS_SQL } from '../../src/modules/report/report.counts.sql';

/**
 * How many rows of the appeal count tables differ from a recount of `appeals` (0: the triggers
 * kept them exactly). The recount runs in a transaction that is rolled back, so nothing changes.
 */
export async function countsDrift(db: Db): Promise<number> {
  let differing = -1;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`create temp table kept_daily on commit drop as select * from appeal_counts_daily`);
      await tx.execute(sql`create temp table kept_monthly on commit drop as select * from appeal_counts_monthly`);
      await tx.execute(REBUILD_APPEAL_COUNTS_SQL);
      const [row] = rowsOf<{ n: string | number }>(
        await tx.execute(sql`select
          (select count(*) from (select * from kept_daily except all select * from appeal_counts_daily) a)
          + (select count(*) from (select * from appeal_counts_daily except all select * from kept_daily) b)
          + (select count(*) from (select * from kept_monthly except all select * from appeal_counts_monthly) c)
          + (select count(*) from (select * from appeal_counts_monthly except all select * from kept_monthly) d) as n`),
      );
      differing = Number(row!.n);
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  return differing;
}

/** The version of the appeal counts now. */
export async function countsVersion(db: Db): Promise<number> {
  const [row] = rowsOf<{ version: string | number }>(await db.execute(sql`select version from appeal_counts_version`));
  return Number(row!.version);
}
