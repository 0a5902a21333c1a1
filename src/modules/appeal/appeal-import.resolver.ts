import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { governsRegion } from '../../auth/policy';
import { actorOf } from '../../auth/viewer';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { AppealImportFileError, importAppeals, type ImportProblem, type ImportSummary } from './appeal.import';

/** The mutation is for corrections and small exports; `npm run import:appeals` streams the rest. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;

@ObjectType({ description: 'Why one row of an import was skipped.' })
export class AppealImportProblem {
  @Field(() => Int, { description: 'Physical line in the file where the row starts (the header is line 1).' })
  line!: number;

  @Field({ description: 'The column at fault, or `row` for the row as a whole.' })
  field!: string;

  @Field()
  message!: string;
}

@ObjectType({ description: 'What an import of a 12315 export did: read = inserted + alreadyPresent + badRows.' })
export class AppealImportSummary {
  @Field(() => Int, { description: 'Data rows read (not the header, not blank lines).' })
  read!: number;

  @Field(() => Int, { description: 'Appeals recorded by this import.' })
  inserted!: number;

  @Field(() => Int, { description: 'Rows whose external_id was already recorded (or repeated in the file): skipped.' })
  alreadyPresent!: number;

  @Field(() => Int, { description: 'Rows skipped because of the problems in `bad`.' })
  badRows!: number;

  @Field(() => [AppealImportProblem], { description: 'Problems of the bad rows in line order; a row may have several.' })
  bad!: ImportProblem[];
}

/** The supervisor-only batch import of 12315 exports (the CLI streams larger files). */
@Resolver()
export class AppealImportResolver {
  @Authorized('SUPERVISOR', 'ADMIN')
  @Mutation(() => AppealImportSummary, {
    description:
      'Imports a 12315 export (CSV text, columns in docs/appeals-import.md; at most 5 MB and 10,000 rows) in one transaction. ' +
      'Idempotent on external_id. Rows outside your jurisdiction, or otherwise invalid, are reported in `bad` and skipped.',
  })
  async importAppeals(
    @Ctx() ctx: Context,
    @Arg('csv', () => String) csv: string,
    @Arg('sourceName', () => String, { nullable: true, description: 'Names the import in the audit log, e.g. the file name.' })
    sourceName?: string | null,
  ): Promise<Omit<AppealImportSummary, 'bad'> & { bad: ImportProblem[] }> {
    if (Buffer.byteLength(csv, 'utf8') > MAX_IMPORT_BYTES) {
      throw new BadUserInputError(`csv must be at most 5 MB; use npm run import:appeals for larger files`, 'csv');
    }
    const name = sourceName?.trim() ?? '';
    if (name.length > 200) throw new BadUserInputError('sourceName must be at most 200 characters', 'sourceName');
    let summary: ImportSummary;
    try {
      summary = await importAppeals(ctx.db, csv, {
        actor: actorOf(ctx.viewer),
        scope: ctx,
        sourceName: name || 'graphql',
        // One batch larger than the row limit: the whole call is one transaction, all or nothing,
        // and a file over the limit is refused before anything is written.
        batchSize: MAX_IMPORT_ROWS + 1,
        maxRows: MAX_IMPORT_ROWS,
        allowRegion: (regionCode) => governsRegion(ctx.viewer, regionCode),
      });
    } catch (error) {
      if (error instanceof AppealImportFileError) throw new BadUserInputError(error.message, 'csv');
      throw error;
    }
    return { read: summary.read, inserted: summary.inserted, alreadyPresent: summary.alreadyPresent, badRows: summary.badRows, bad: summary.problems };
  }
}
