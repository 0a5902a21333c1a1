import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { createDb } from '../../src/db';
import { migrateDb } from '../../src/db/migrate';
import { projectRoot } from '../../src/util/project-root';
import { seedDemo } from '../../seeds/load';
import { PGLITE_TEMPLATE_ENV, PG_TEMPLATE_ENV, templateKey, withDatabase } from './template';

/**
 * Migrates and seeds one template per driver before any test file runs; each file then starts
 * from a copy (PGlite: loadDataDir of a dump; PostgreSQL: CREATE DATABASE … TEMPLATE), which
 * takes about a second instead of a full migrate and seed per file.
 */
export default async function globalSetup(): Promise<void> {
  const key = templateKey();

  const cacheDir = join(projectRoot(), 'node_modules', '.cache', 'registry-tests');
  const dumpPath = join(cacheDir, `pglite-${key}.tar.gz`);
  if (!existsSync(dumpPath)) {
    mkdirSync(cacheDir, { recursive: true });
    const handle = await createDb({ dataDir: 'memory://' });
    try {
      await migrateDb(handle);
      await seedDemo(handle.db);
      const dump = await handle.pglite!.dumpDataDir('gzip');
      const partial = `${dumpPath}.${process.pid}.partial`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, dumpPath);
    } finally {
      await handle.close();
    }
  }
  process.env[PGLITE_TEMPLATE_ENV] = dumpPath;

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `registry_tmpl_${key}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      // Templates of older migrations or seeds are of no further use, once no other run can still
      // be copying them: another checkout's run may use a template of its own right now.
      const stale = await admin`
        select datname from pg_database
        where datname like 'registry\_tmpl\_%' and datname <> ${template} and not datistemplate
          and coalesce(shobj_description(oid, 'pg_database'), '') < ${`built ${new Date(Date.now() - 6 * 3600_000).toISOString()}`}`;
      for (const { datname } of stale) await admin`drop database if exists ${admin(datname)} with (force)`;
      const [found] = await admin`select 1 from pg_database where datname = ${template}`;
      if (!found) {
        const building = `${template}_${process.pid}`;
        await admin`drop database if exists ${admin(building)}`;
        await admin`create database ${admin(building)}`;
        // Dated at once, so another checkout's run does not take a template still being built for stale.
        await admin.unsafe(`comment on database "${building}" is 'built ${new Date().toISOString()}'`);
        const handle = await createDb({ databaseUrl: withDatabase(url, building), maxConnections: 2 });
        try {
          await migrateDb(handle);
          await seedDemo(handle.db);
        } finally {
          await handle.close();
        }
        // Renamed only once complete, so an interrupted run never leaves a half-built template.
        // Another jest run may have finished the same template first: then ours is surplus.
        const [raced] = await admin`select 1 from pg_database where datname = ${template}`;
        if (raced) await admin`drop database ${admin(building)}`;
        else {
          await admin`alter database ${admin(building)} rename to ${admin(template)}`;
          await admin.unsafe(`comment on database "${template}" is 'built ${new Date().toISOString()}'`);
        }
      }
    } finally {
      await admin.end();
    }
    process.env[PG_TEMPLATE_ENV] = template;
  }
}
