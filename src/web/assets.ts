import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The directory web/build.mjs writes the bundles to: `dist/web` of the project, found from this
 * file whether it runs compiled (dist/src/web) or from source (src/web, under tests).
 */
export function webAssetsDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'dist', 'web');
}
