import { appealCountsFunctionsMigrationText } from '../modules/report/report.counts.sql';

/**
 * `npm run -s db:appeal-counts-sql`: prints the functions of the appeal count tables as a custom
 * migration holds them. When a count's rule changes (src/domain/appeal-counts*.ts), put this text
 * into a new custom migration (`npx drizzle-kit generate --custom --name <what>`) followed by
 * `SELECT appeal_counts_rebuild();` to recount; tests/unit/appeal-counts-migration.test.ts fails until then.
 */
process.stdout.write(`${appealCountsFunctionsMigrationText()}\n`);
