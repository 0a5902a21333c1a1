/**
 * The writing half of the appeal import: one batch of mapped rows checked against the database
 * (`checkBatch`) and inserted in one transaction with its audit row (`writeChecked`). The
 * command line checks a batch outside the transaction that writes the one before it
 * (`importAppeals` overlaps them); the mutation does both in its one transaction (`writeBatch`).
 */
import { sql } from 'drizzle-orm';
import { appeals, merchants } from '../../db/schema';
import type { DbOrTx } from '../../db';
import { postgresClient } from '../../db/copy-in';
import type { RequestScope } from '../../request-scope';
import { mutate, type MutationScope } from '../../mutation';
import { enqueueRatings } from '../rating/rating.queue';
import type { PendingEvent } from '../../events/events';
import { loadIntakeLookups, prepareAppeal, type AppealInsert } from './appeal.records';
import { prepareCopy, stageAndInsert, type PreparedCopy, type StageMethod, type StagedAppeal } from './appeal.import.stage';
import { asColumnProblem, type FieldProblem, type ImportProblem, type MapRowResult } from './appeal.import.rows';

/** A mapped row waiting for its batch, with the line it starts on. */
export type PendingRow = { line: number; result: MapRowResult };

/** What the batch writer needs of the import's options. */
export interface BatchOptions {
  actor: string;
  allowRegion?: (regionCode: string) => boolean;
  /** The import is this one batch: re-rate in its transaction rather than through the queue. */
  rerateInBatch?: boolean;
  /** How the checked rows reach the staging table (default COPY where the driver has it). */
  stage?: StageMethod;
}

export interface BatchOutcome {
  inserted: number;
  alreadyPresent: number;
  badLines: number;
  problems: ImportProblem[];
}

/** A batch checked against the database: its good rows ready to write, its bad rows' problems. */
export interface CheckedBatch {
  firstLine: number;
  lastLine: number;
  prepared: StagedAppeal[];
  /** Rows whose external id was recorded when the batch looked, or came earlier in it. */
  skipped: number;
  /** In line order. */
  problems: ImportProblem[];
  /** The COPY text of `prepared`, built ahead where the driver takes COPY. */
  copy?: PreparedCopy;
}

/**
 * Checks a batch: which external ids are recorded, the merchants and categories it names, and the
 * intake rules of every new row (`prepareAppeal`, deadlines included). Reads only: on `db` ahead of
 * the write, or in the writing transaction. A row recorded by another import after this looked is
 * still skipped when written (see `stageAndInsert`).
 */
export async function checkBatch(db: DbOrTx, rows: PendingRow[], options: BatchOptions): Promise<CheckedBatch> {
  // Appeals already recorded need no merchant lookup, checks or deadline arithmetic: a re-run
  // over a million rows is then mostly this one query per batch. Their region still answers
  // to `allowRegion`, so an import cannot probe another jurisdiction's external ids.
  const externalIds = [...new Set(rows.flatMap(({ result: r }) => (r.ok ? [r.row.draft.externalId!] : [])))];
  // One array parameter each, not one bind parameter per id: a batch of thousands stays one short statement.
  const recorded = externalIds.length
    ? await db
        .select({ externalId: appeals.externalId, regionCode: appeals.regionCode })
        .from(appeals)
        .where(sql`${appeals.externalId} = any(${sql.param(externalIds)}::text[])`)
    : [];
  const recordedRegion = new Map(recorded.map((r) => [r.externalId!, r.regionCode]));

  const usccs = new Set<string>();
  for (const { result: r } of rows) if (r.ok && r.row.merchantUscc && !recordedRegion.has(r.row.draft.externalId!)) usccs.add(r.row.merchantUscc);
  const [found, { categories }] = await Promise.all([
    usccs.size
      ? db
          .select({ id: merchants.id, uscc: merchants.uscc, regionCode: merchants.regionCode })
          .from(merchants)
          .where(sql`${merchants.uscc} = any(${sql.param([...usccs])}::text[])`)
      : Promise.resolve([]),
    loadIntakeLookups(db, []),
  ]);
  const merchantByUscc = new Map(found.map((f) => [f.uscc, f.id]));
  const lookups = { categories, merchantRegions: new Map(found.map((f) => [f.id, f.regionCode])) };

  const problems: ImportProblem[] = [];
  const prepared: StagedAppeal[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const { line, result: mapped } of rows) {
    const bad = (list: FieldProblem[]) => problems.push(...list.map((p) => ({ line, ...p })));
    if (!mapped.ok) {
      bad(mapped.problems);
      continue;
    }
    const { draft, merchantUscc } = mapped.row;
    const externalId = draft.externalId!;
    const region = recordedRegion.get(externalId);
    if (region !== undefined && options.allowRegion && !options.allowRegion(region)) {
      bad([{ field: 'region_code', message: `region ${region} is outside your jurisdiction` }]);
      continue;
    }
    // A repeat within one INSERT would be matched back to the first row's id and given its
    // transitions twice; a repeat in a later batch is found recorded like any other.
    if (region !== undefined || seen.has(externalId)) {
      skipped++;
      continue;
    }
    const merchantId = merchantUscc ? merchantByUscc.get(merchantUscc) : null;
    if (merchantUscc && !merchantId) {
      bad([{ field: 'merchant_uscc', message: `no registered merchant has USCC ${merchantUscc}` }]);
      continue;
    }
    // The merchant's region decides jurisdiction, before the row's own region column is read.
    const merchantRegion = merchantId ? lookups.merchantRegions.get(merchantId) : undefined;
    if (merchantRegion && options.allowRegion && !options.allowRegion(merchantRegion)) {
      bad([{ field: 'region_code', message: `region ${merchantRegion} is outside your jurisdiction` }]);
      continue;
    }
    const result = prepareAppeal({ ...draft, merchantId }, lookups, options.actor);
    if (!result.ok) {
      bad(result.problems.map(asColumnProblem));
      continue;
    }
    if (options.allowRegion && !options.allowRegion(result.appeal.regionCode)) {
      bad([{ field: 'region_code', message: `region ${result.appeal.regionCode} is outside your jurisdiction` }]);
      continue;
    }
    seen.add(externalId);
    prepared.push(result);
  }
  problems.sort((a, b) => a.line - b.line);
  const copy = (options.stage ?? 'copy') === 'copy' && postgresClient(db) && prepared.length ? prepareCopy(prepared, options.actor) : undefined;
  return { firstLine: rows[0]!.line, lastLine: rows[rows.length - 1]!.line, prepared, skipped, problems, copy };
}

/** Writes a checked batch in the mutation's transaction: the appeals, the rating queue, the events and the audit row. */
export async function writeChecked(m: MutationScope, batch: CheckedBatch, options: BatchOptions, sourceName: string, batchNumber: number): Promise<BatchOutcome> {
  const { prepared, problems } = batch;
  // A batch's thousands of events go to the log by COPY where the connection has it.
  m.copyEvents = (options.stage ?? 'copy') === 'copy';
  // The checked rows go in set-based: by COPY, with their transitions (appeal.import.stage.ts).
  const { inserted, merchantIds: concerned, added } = await stageAndInsert(m.tx, prepared, options.actor, options.stage, batch.copy);
  // Each imported appeal is announced like a created one: its rows go to the event log with
  // the batch, which wakes the nodes once at commit.
  const byExternalId = new Map(prepared.map((row) => [row.appeal.externalId, row.appeal]));
  for (const { id, externalId } of added) m.emit(importedAppealEvent(id, byExternalId.get(externalId)!));
  // Imported history changes the ratings of the merchants concerned. Re-rating them here would
  // re-rate a busy merchant once per batch; they are queued in this batch's transaction instead
  // and re-rated once, when the import ends (or by the next import or daily job after a crash).
  // An import of one batch (the GraphQL mutation) re-rates in it: one transaction, all or nothing.
  if (options.rerateInBatch) m.touch(...concerned);
  else await enqueueRatings(m.tx, concerned);
  const badLines = new Set(problems.map((p) => p.line)).size;
  // Rows another import committed since the batch was checked are skipped by the insert.
  const alreadyPresent = prepared.length - inserted + batch.skipped;
  await m.audit({
    action: 'appeal.import',
    targetType: 'import',
    targetId: sourceName,
    after: { batch: batchNumber, firstLine: batch.firstLine, lastLine: batch.lastLine, inserted, skipped: alreadyPresent, bad: badLines },
  });
  return { inserted, alreadyPresent, badLines, problems };
}

/** One batch checked and written in one transaction (the mutation's single batch). */
export async function writeBatch(scope: RequestScope, rows: PendingRow[], options: BatchOptions, sourceName: string, batch: number): Promise<BatchOutcome> {
  return mutate(scope, async (m) => writeChecked(m, await checkBatch(m.tx, rows, options), options, sourceName, batch));
}

/** A batch checked beforehand (`checkBatch`), written in a transaction of its own. */
export async function writeCheckedBatch(scope: RequestScope, batch: CheckedBatch, options: BatchOptions, sourceName: string, batchNumber: number): Promise<BatchOutcome> {
  return mutate(scope, (m) => writeChecked(m, batch, options, sourceName, batchNumber));
}

/** The `appealUpdated` event of an appeal an import inserted. */
export function importedAppealEvent(appealId: string, appeal: AppealInsert): PendingEvent {
  return {
    type: 'appeal',
    appealId,
    merchantId: appeal.merchantId ?? null,
    regionCode: appeal.regionCode,
    appealType: appeal.type,
    // prepareAppeal always sets the status (imports bring their history).
    status: appeal.status!,
    version: appeal.version ?? 1,
  };
}
