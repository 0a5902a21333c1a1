import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRegistrySchema, printRegistrySchema } from '../../src/schema';
import { projectRoot } from '../../src/util/project-root';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema:emit` after changing the API)', async () => {
    const committed = readFileSync(join(projectRoot(), 'schema', 'schema.graphql'), 'utf8');
    expect(printRegistrySchema(await buildRegistrySchema())).toBe(committed);
  });
});
