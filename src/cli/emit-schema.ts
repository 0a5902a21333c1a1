import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRegistrySchema, printRegistrySchema } from '../schema';
import { projectRoot } from '../util/project-root';

/** `npm run schema:emit`: writes schema/schema.graphql, which is committed and checked by a test. */
async function main(): Promise<void> {
  const target = join(projectRoot(), 'schema', 'schema.graphql');
  mkdirSync(join(projectRoot(), 'schema'), { recursive: true });
  writeFileSync(target, printRegistrySchema(await buildRegistrySchema()));
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`schema:emit failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
