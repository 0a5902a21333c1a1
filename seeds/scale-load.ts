/**
 * Loads the scale seed (seeds/scale.ts) into an empty database: block by block, each table of a
 * block in one COPY (seeds/copy.ts), all in one transaction, with the ratings computed in memory
 * by the rating model itself, as if `ratings:recompute` had run; then ANALYZE.
 */
import type { DbHandle } from '../src/db';
import { merchants } from '../src/db/schema';
import { shanghaiToday, type LocalDate } from '../src/domain/local-date';
import { analyze, withRowWriter } from './copy';
import { LOADED_TABLES, produceBlocks, produceBlocksInWorker, type ProducedBlock, type ProduceOptions } from './scale-produce';

export interface SeedScaleOptions {
  merchants: number;
  seed?: number;
  /** The day the ratings are computed for; today (Asia/Shanghai) by default, as the recompute does. */
  asOf?: LocalDate;
  /** When the ratings count as computed; now by default. */
  computedAt?: Date;
  /** Called after every block. */
  onProgress?: (progress: ScaleProgress) => void;
}

export interface ScaleProgress {
  merchantsDone: number;
  merchantsTotal: number;
  rowsWritten: number;
}

export interface SeedScaleResult {
  /** Rows written per table. */
  rows: Record<string, number>;
  /** How the rows were sent (COPY, or batches where COPY is not available). */
  method: string;
  /**
   * Time in ms: drawing, rating and encoding the rows (on the worker thread when there is one,
   * overlapping the rest), waiting for the database to take them, rebuilding indexes and
   * foreign keys, and ANALYZE.
   */
  ms: { generate: number; rate: number; encode: number; write: number; restore: number; analyze: number };
}

/**
 * Generates the scale world of `options.merchants` merchants and writes it into `handle`'s
 * database, which must hold no merchants yet (COPY has no ON CONFLICT; the world is one whole).
 * One transaction: a failure leaves the database as it was.
 */
export async function seedScale(handle: DbHandle, options: SeedScaleOptions): Promise<SeedScaleResult> {
  const existing = await handle.db.select({ id: merchants.id }).from(merchants).limit(1);
  if (existing.length > 0) {
    throw new Error('the scale seed loads into an empty database, and this one already has merchants (create a new database, or drop this one)');
  }
  const produce: ProduceOptions = {
    merchants: options.merchants,
    seed: options.seed,
    asOf: options.asOf ?? shanghaiToday(),
    computedAt: options.computedAt ?? new Date(),
  };
  const ms = { generate: 0, rate: 0, encode: 0, write: 0, restore: 0, analyze: 0 };
  const rows: Record<string, number> = {};
  let rowsWritten = 0;
  let merchantsDone = 0;
  const timings = { restoreMs: 0 };

  const method = await withRowWriter(
    handle,
    Object.values(LOADED_TABLES),
    async (writer) => {
      const blocks: Iterable<ProducedBlock> | AsyncIterable<ProducedBlock> = writer.acceptsCopy ? produceBlocksInWorker(produce) : produceBlocks(produce, false);
      for await (const block of blocks) {
        ms.generate += block.ms.generate;
        ms.rate += block.ms.rate;
        ms.encode += block.ms.encode;
        const t = performance.now();
        for (const table of block.tables) {
          await writer.write(LOADED_TABLES[table.name], table);
          rows[table.name] = (rows[table.name] ?? 0) + table.rows;
          rowsWritten += table.rows;
        }
        ms.write += performance.now() - t;
        merchantsDone += block.merchants;
        options.onProgress?.({ merchantsDone, merchantsTotal: options.merchants, rowsWritten });
      }
      return writer.method;
    },
    timings,
  );
  ms.restore = timings.restoreMs;

  // Tables derived from these by triggers (INSERT triggers, row or statement level) were kept
  // by the COPY itself, which fires them; a derived table rebuilt any other way belongs here.
  const t = performance.now();
  await analyze(handle.db);
  ms.analyze = performance.now() - t;
  return { rows, method, ms };
}
