// `npm start` runs this first: it rebuilds dist/ with tsc, and the pages' scripts and styles
// (web/build.mjs, esbuild) into dist/web, only when a source file, a tsconfig, the README (the
// explorer's examples) or the lockfile is newer than the last build, so an unchanged checkout
// starts in a moment.
// Plain JavaScript, because it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stamp = join(root, 'dist', '.build-stamp');

function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

const inputs = ['src', 'seeds', 'web', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((p) => join(root, p));
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (built > 0 && inputs.every((p) => newest(p) <= built)) process.exit(0);

const tscPath = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tscPath)) {
  // An install without dev dependencies serves the build it was shipped with.
  if (existsSync(join(root, 'dist', 'src', 'index.js'))) process.exit(0);
  process.stderr.write('dist/ is missing and TypeScript is not installed: run npm ci (with dev dependencies)\n');
  process.exit(1);
}
process.stderr.write('building (sources changed since the last build)…\n');
const startedAt = Date.now();
const tsc = spawnSync(process.execPath, [tscPath, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const web = spawnSync(process.execPath, [join(root, 'web', 'build.mjs')], { stdio: 'inherit' });
if (web.status !== 0) process.exit(web.status ?? 1);
// The stamp takes the time the build started: a file saved during the build is built next time.
writeFileSync(stamp, `${new Date(startedAt).toISOString()}\n`);
utimesSync(stamp, new Date(startedAt), new Date(startedAt));
