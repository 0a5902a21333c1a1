/**
 * Turns the scale world (seeds/scale.ts) into the rows of each table, block by block, ratings
 * included. For a COPY writer this runs on a worker thread that also encodes the rows, so that
 * drawing block n + 1 overlaps the database taking block n; otherwise it runs in this thread.
 */
import { extname } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  appeals,
  appealTransitions,
  compensationFunds,
  creditListEntries,
  demonstrationStreetMembers,
  demonstrationStreets,
  disputeEnrollments,
  fundLedgerEntries,
  merchantAnswers,
  merchants,
  pledgeAudits,
  pledgeStatusChanges,
  ratingHistory,
  ratings,
  returnPledges,
} from '../src/db/schema';
import type { LocalDate } from '../src/domain/local-date';
import { factorsDigest } from '../src/domain/rating/digest';
import { rate } from '../src/domain/rating/v1';
import { copyBytes, copyTable, type TableRows } from './copy';
import { blockRatingRecords, generateScaleSeed, scaleRowId, type ScaleBlock } from './scale';

/** Every table the scale seed fills, parents before children so that every foreign key finds its row. */
export const LOADED_TABLES = {
  merchants,
  demonstration_streets: demonstrationStreets,
  demonstration_street_members: demonstrationStreetMembers,
  credit_list_entries: creditListEntries,
  return_pledges: returnPledges,
  pledge_status_changes: pledgeStatusChanges,
  pledge_audits: pledgeAudits,
  dispute_enrollments: disputeEnrollments,
  appeals,
  appeal_transitions: appealTransitions,
  merchant_answers: merchantAnswers,
  compensation_funds: compensationFunds,
  fund_ledger_entries: fundLedgerEntries,
  ratings,
  rating_history: ratingHistory,
} satisfies Record<string, PgTable>;
export type LoadedTable = keyof typeof LOADED_TABLES;

/** The cause recorded in each merchant's first rating-history row, as the demo seed records it. */
const RATING_CAUSE = 'seed';

export interface ProduceOptions {
  merchants: number;
  seed?: number;
  asOf: LocalDate;
  computedAt: Date;
}

/** One block, table by table, with the time spent on it in ms. */
export interface ProducedBlock {
  merchants: number;
  tables: Array<{ name: LoadedTable; rows: number } & TableRows>;
  ms: { generate: number; rate: number; encode: number };
}

type RatingRow = typeof ratings.$inferInsert;
type RatingHistoryRow = typeof ratingHistory.$inferInsert;

/** Rates every merchant of a block as `ratings:recompute` would and lays out both tables' rows. */
function ratingRows(block: ScaleBlock, options: ProduceOptions, nextHistory: () => number): { current: RatingRow[]; history: RatingHistoryRow[] } {
  const { asOf, computedAt } = options;
  const current: RatingRow[] = [];
  const history: RatingHistoryRow[] = [];
  for (const [merchantId, records] of blockRatingRecords(block)) {
    const rating = rate(records, asOf);
    // Both rows carry the same factors: frozen, the COPY encoder writes their JSON once.
    Object.freeze(rating.factors);
    current.push({ merchantId, modelVersion: rating.modelVersion, score: rating.score, grade: rating.grade, asOf, computedAt, factors: rating.factors, factorsDigest: factorsDigest(rating.factors) });
    // A first rating is always a change, from nothing: the demo seed's recompute records it so.
    history.push({
      id: scaleRowId('ratingHistory', nextHistory()),
      merchantId,
      modelVersion: rating.modelVersion,
      score: rating.score,
      grade: rating.grade,
      previousScore: null,
      previousGrade: null,
      asOf,
      computedAt,
      factors: rating.factors,
      cause: RATING_CAUSE,
      causeRef: null,
    });
  }
  return { current, history };
}

/** Draws the blocks and lays out their rows; with `encode`, as COPY text instead of objects. */
export function* produceBlocks(options: ProduceOptions, encode: boolean): Generator<ProducedBlock> {
  const blocks = generateScaleSeed({ merchants: options.merchants, seed: options.seed });
  let historyRows = 0;
  for (;;) {
    let t = performance.now();
    const next = blocks.next();
    const generate = performance.now() - t;
    if (next.done) return;
    const block = next.value;
    t = performance.now();
    const rated = ratingRows(block, options, () => historyRows++);
    const rateMs = performance.now() - t;
    const records: Record<LoadedTable, readonly object[]> = {
      merchants: block.merchants,
      demonstration_streets: block.demonstrationStreets,
      demonstration_street_members: block.demonstrationStreetMembers,
      credit_list_entries: block.creditListEntries,
      return_pledges: block.returnPledges,
      pledge_status_changes: block.pledgeStatusChanges,
      pledge_audits: block.pledgeAudits,
      dispute_enrollments: block.disputeEnrollments,
      appeals: block.appeals,
      appeal_transitions: block.appealTransitions,
      merchant_answers: block.merchantAnswers,
      compensation_funds: block.compensationFunds,
      fund_ledger_entries: block.fundLedgerEntries,
      ratings: rated.current,
      rating_history: rated.history,
    };
    t = performance.now();
    const tables = (Object.keys(LOADED_TABLES) as LoadedTable[]).map((name) => {
      const rows = records[name];
      return encode ? { name, rows: rows.length, copy: copyBytes(copyTable(LOADED_TABLES[name]), rows) } : { name, rows: rows.length, records: rows };
    });
    yield { merchants: block.merchants.length, tables, ms: { generate, rate: rateMs, encode: performance.now() - t } };
  }
}

/** Blocks a worker may have drawn ahead of the database: memory stays at a few blocks. */
const BLOCKS_AHEAD = 2;

type WorkerMessage = { block: ProducedBlock } | { done: true };

/** The worker's side: draws, rates and encodes blocks, never more than BLOCKS_AHEAD unconsumed. */
export async function runProducerWorker(): Promise<void> {
  const port = parentPort!;
  const data = workerData as Omit<ProduceOptions, 'computedAt'> & { computedAt: number };
  let credit = BLOCKS_AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    wake?.();
  });
  for (const block of produceBlocks({ ...data, computedAt: new Date(data.computedAt) }, true)) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    credit--;
    // The encoded tables move to the other thread without a copy.
    port.postMessage({ block } satisfies WorkerMessage, block.tables.flatMap((t) => (t.copy ? [t.copy.buffer as ArrayBuffer] : [])));
  }
  port.postMessage({ done: true } satisfies WorkerMessage);
  port.close();
}

/**
 * The blocks as COPY text, drawn on a worker thread. The worker loads this file: from TypeScript
 * sources (the npm scripts, the tests) through the same on-the-fly compiler as the command.
 */
export async function* produceBlocksInWorker(options: ProduceOptions): AsyncGenerator<ProducedBlock> {
  const typescript = extname(__filename) === '.ts';
  // A rejection there is unhandled, which ends the worker with an 'error' event here.
  const code = `${typescript ? "require('@swc-node/register');" : ''}require(${JSON.stringify(__filename)}).runProducerWorker();`;
  const worker = new Worker(code, {
    eval: true,
    workerData: { ...options, computedAt: options.computedAt.getTime() },
    // A block's millions of short-lived strings and objects should die young, not be promoted
    // and collected again (in one thread, 64 MB semi-spaces halved the encoding's CPU).
    resourceLimits: { maxYoungGenerationSizeMb: 192 },
  });
  const inbox: Array<WorkerMessage | Error> = [];
  let wake: (() => void) | null = null;
  const deliver = (item: WorkerMessage | Error) => {
    inbox.push(item);
    wake?.();
  };
  worker.on('message', (message: WorkerMessage) => deliver(message));
  worker.on('error', (error) => deliver(error));
  worker.on('exit', (code) => deliver(code === 0 ? { done: true } : new Error(`the scale seed's worker stopped with code ${code}`)));
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const item = inbox.shift()!;
      if (item instanceof Error) throw item;
      if ('done' in item) return;
      yield item.block;
      worker.postMessage('next');
    }
  } finally {
    await worker.terminate();
  }
}
