// Builds the pages' scripts and styles into dist/web with esbuild: the board's live updates, the
// return check, and GraphiQL with its CSS (from npm, so the explorer needs no CDN). Run by
// src/cli/build-if-changed.mjs (npm ci's prepare, npm start's prestart) and by the browser tests.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'dist', 'web');

/**
 * The README's GraphQL blocks as explorer tabs. A `# as ROLE …` comment becomes a headers
 * template naming the npm run token command that makes the token.
 */
function readmeExamples() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const tabs = [];
  let role;
  for (const match of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const text = match[1];
    const as = /^# as (SUPERVISOR|MERCHANT|ADMIN|PUBLIC)\b(.*)$/m.exec(text);
    if (as) role = as[1] === 'PUBLIC' ? undefined : { role: as[1], arg: as[2].trim() };
    const query = text.trim();
    if (!query) continue;
    const tab = { query };
    if (role) {
      const flag = role.role === 'SUPERVISOR' ? ` --region ${role.arg}` : role.role === 'MERCHANT' ? ` --merchant ${role.arg}` : '';
      tab.headers = JSON.stringify({ authorization: `Bearer <npm run -s token -- --role ${role.role}${flag}>` }, null, 2);
    }
    tabs.push(tab);
  }
  return tabs;
}

mkdirSync(out, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: { board: 'web/client/board.ts', merchant: 'web/client/merchant.ts', graphiql: 'web/client/graphiql.ts' },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"', __EXAMPLES__: JSON.stringify(readmeExamples()) },
});
copyFileSync(join(root, 'web', 'site.css'), join(out, 'site.css'));
