import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRegistrySchema } from '../../src/schema';
import { renderInputLimits } from '../../src/graphql/input-limits-doc';
import { projectRoot } from '../../src/util/project-root';

describe('docs/input-limits.md', () => {
  it('lists the limits the guard enforces on the schema the code builds (run `npm run limits:emit`)', async () => {
    const committed = readFileSync(join(projectRoot(), 'docs', 'input-limits.md'), 'utf8');
    expect(renderInputLimits(await buildRegistrySchema())).toBe(committed);
  });
});
