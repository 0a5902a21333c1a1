import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRegistrySchema } from '../schema';
import { renderInputLimits } from '../graphql/input-limits-doc';
import { projectRoot } from '../util/project-root';

/** `npm run limits:emit`: writes docs/input-limits.md, which is committed and checked by a test. */
async function main(): Promise<void> {
  const target = join(projectRoot(), 'docs', 'input-limits.md');
  writeFileSync(target, renderInputLimits(await buildRegistrySchema()));
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`limits:emit failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
