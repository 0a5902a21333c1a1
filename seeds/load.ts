import { getTableColumns, type InferInsertModel } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../src/db';
import {
  compensationFunds,
  creditListEntries,
  demonstrationStreetMembers,
  demonstrationStreets,
  disputeEnrollments,
  fundLedgerEntries,
  merchants,
  pledgeAudits,
  pledgeStatusChanges,
  returnPledges,
} from '../src/db/schema';
import { generateDemoSeed, type DemoSeed } from './demo';
import { loadRecordSeed } from './record-load';
import { recomputeAllRatings } from '../src/modules/rating/rating.store';
import { shanghaiToday } from '../src/domain/local-date';

export interface SeedDemoOptions {
  seed?: number;
  merchants?: number;
  /** Called after every chunk with rows processed so far and the total (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** Called as each phase advances: the demo records, the appeals of record, the ratings. */
  onPhase?: (phase: SeedPhase) => void;
}

/** How far one phase of seeding has got. */
export interface SeedPhase {
  name: 'demo records' | 'appeals of record' | 'appeal transitions of record' | 'merchant answers of record' | 'ratings';
  done: number;
  total: number;
}

export interface SeedDemoResult {
  /** Rows actually inserted per table; all zero when the same seed was loaded before. */
  inserted: Record<keyof DemoSeed, number>;
}

const RECORD_PHASES = {
  appeals: 'appeals of record',
  appealTransitions: 'appeal transitions of record',
  merchantAnswers: 'merchant answers of record',
} as const;

/** PostgreSQL accepts at most 65,535 bind parameters per statement. */
const MAX_PARAMETERS = 65_535;
const MAX_CHUNK_ROWS = 500;

interface Step<T extends PgTable> {
  name: keyof DemoSeed;
  table: T;
  /** A column to return, only to count the rows that were really inserted. */
  key: PgColumn;
  rows: InferInsertModel<T>[];
}

const step = <T extends PgTable>(name: keyof DemoSeed, table: T, key: PgColumn, rows: InferInsertModel<T>[]): Step<T> => ({
  name,
  table,
  key,
  rows,
});

/**
 * Loads the demo data set into `db` in one transaction. Ids are deterministic and every insert is
 * `ON CONFLICT DO NOTHING`, so loading the same seed twice inserts nothing the second time.
 */
export async function seedDemo(db: Db, options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const data = generateDemoSeed({ seed: options.seed, merchants: options.merchants });
  // Parents before children: hosts lead the merchant rows, and payouts precede their reimbursements.
  const steps = [
    step('merchants', merchants, merchants.id, data.merchants),
    step('demonstrationStreets', demonstrationStreets, demonstrationStreets.id, data.demonstrationStreets),
    step('demonstrationStreetMembers', demonstrationStreetMembers, demonstrationStreetMembers.id, data.demonstrationStreetMembers),
    step('creditListEntries', creditListEntries, creditListEntries.id, data.creditListEntries),
    step('returnPledges', returnPledges, returnPledges.id, data.returnPledges),
    step('pledgeStatusChanges', pledgeStatusChanges, pledgeStatusChanges.id, data.pledgeStatusChanges),
    step('pledgeAudits', pledgeAudits, pledgeAudits.id, data.pledgeAudits),
    step('disputeEnrollments', disputeEnrollments, disputeEnrollments.id, data.disputeEnrollments),
    step('compensationFunds', compensationFunds, compensationFunds.id, data.compensationFunds),
    step('fundLedgerEntries', fundLedgerEntries, fundLedgerEntries.id, data.fundLedgerEntries),
  ] as const;

  const total = steps.reduce((sum, s) => sum + s.rows.length, 0);
  const inserted = Object.fromEntries(steps.map((s) => [s.name, 0])) as Record<keyof DemoSeed, number>;
  let done = 0;

  await db.transaction(async (tx) => {
    for (const s of steps) {
      inserted[s.name] = await insertInChunks(tx, s, (rows) => {
        done += rows;
        options.onProgress?.(done, total);
        options.onPhase?.({ name: 'demo records', done, total });
      });
    }
    // The 12315 appeals of record (2022–2023) against these merchants, before the ratings read them.
    await loadRecordSeed(tx, data.merchants, {
      seed: options.seed,
      onRows: (table, rowsDone, rowsTotal) => options.onPhase?.({ name: RECORD_PHASES[table], done: rowsDone, total: rowsTotal }),
    });
  });
  // Ratings are derived data: computed for today once the records are in.
  await recomputeAllRatings(db, shanghaiToday(), 'seed', {
    onBatch: (merchantsDone, merchantsTotal) => options.onPhase?.({ name: 'ratings', done: merchantsDone, total: merchantsTotal }),
  });
  return { inserted };
}

async function insertInChunks(tx: Tx, s: Step<PgTable>, progress: (rows: number) => void): Promise<number> {
  // Multi-row inserts send every column of every row as a parameter.
  const columns = Object.keys(getTableColumns(s.table)).length;
  const size = Math.max(1, Math.min(MAX_CHUNK_ROWS, Math.floor(MAX_PARAMETERS / columns)));
  let count = 0;
  for (let i = 0; i < s.rows.length; i += size) {
    const chunk = s.rows.slice(i, i + size);
    const returned = await tx.insert(s.table).values(chunk).onConflictDoNothing().returning({ key: s.key });
    count += returned.length;
    progress(chunk.length);
  }
  return count;
}

/** True when the database holds no merchants yet (the app then loads the demo seed on start). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const rows = await db.select({ id: merchants.id }).from(merchants).limit(1);
  return rows.length === 0;
}
