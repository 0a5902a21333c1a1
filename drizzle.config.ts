import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the TypeScript schema and committed; both drivers apply them at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
