/**
 * The operator's view of issue 10's fault: the real server (src/index.ts, its own process) on
 * PostgreSQL, 8 clients reading and writing, and every backend of its database terminated 20
 * times at short intervals. Reports whether the process lived, what the clients were answered,
 * and how soon /readyz was 200 again.
 *
 *   ADMIN_URL=postgres://root@127.0.0.1:5432/test node -r @swc-node/register tests/fault-scripts/server-under-kills.ts
 *
 * Works on a copy of this checkout's test template (`registry_tmpl_<key>`, built by the jest global setup),
 * dropped afterwards. KILLS, INTERVAL_MS and CLIENTS override the defaults (20, 150, 8).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { signToken } from '../../src/auth/tokens';
import { startServerProcess } from '../helpers/process';
import { templateKey, withDatabase } from '../helpers/template';

const adminUrl = process.env.ADMIN_URL ?? process.env.TEST_DATABASE_URL;
if (!adminUrl) throw new Error('ADMIN_URL (a PostgreSQL URL that may create databases) is required');
const KILLS = Number(process.env.KILLS ?? 20);
const INTERVAL_MS = Number(process.env.INTERVAL_MS ?? 150);
const CLIENTS = Number(process.env.CLIENTS ?? 8);
const SECRET = 'fault-script-secret-0123456789-0123456789';

async function main() {
  const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
  // The template of this checkout's migrations and seed, as the jest global setup names it.
  const [template] = await admin`select datname from pg_database where datname = ${`registry_tmpl_${templateKey()}`}`;
  if (!template) throw new Error('no test template for this checkout: run a PostgreSQL test once to build it');
  const name = `registry_faults_${randomBytes(4).toString('hex')}`;
  await admin`create database ${admin(name)} template ${admin(template.datname as string)}`;
  const url = withDatabase(adminUrl!, name);
  const db = postgres(url, { max: 1, onnotice: () => {} });
  const server = await startServerProcess({ DATABASE_URL: url, AUTH_SECRET: SECRET, SEED_DEMO: 'false', RUN_JOBS: 'false', LOG_LEVEL: 'info' }).catch(async (error: unknown) => {
    await admin`drop database ${admin(name)} with (force)`;
    throw error;
  });
  let exitCode: number | null | undefined;
  let stderr = '';
  server.child.once('exit', (code) => (exitCode = code));
  server.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = `http://127.0.0.1:${server.port}`;
  const token = await signToken(SECRET, { sub: 'fault-script', role: 'ADMIN' });
  const merchants = await db`select id, uscc from merchants where region_code = '421303' order by id limit ${CLIENTS + 20}`;

  const codes: Record<string, number> = {};
  const count = (key: string) => (codes[key] = (codes[key] ?? 0) + 1);
  let stop = false;
  const client = async (n: number) => {
    for (let i = 0; !stop; i++) {
      const write = i % 2 === 0;
      const body = write
        ? { query: `mutation ($input: UpdateMerchantContactInput!) { updateMerchantContact(input: $input) { id } }`, variables: { input: { merchantId: merchants[n]!.id, contactName: `fault-${n}-${i}` } } }
        : { query: `query ($u: String) { merchant(uscc: $u) { id name rating { score } } merchants(first: 5) { totalCount } }`, variables: { u: merchants[CLIENTS + (i % 20)]!.uscc } };
      try {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(write ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
        const json = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        if (!json.errors) count('ok');
        for (const e of json.errors ?? []) count(String(e.extensions?.code));
      } catch {
        count('NO_ANSWER');
        if (exitCode !== undefined) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const started = Date.now();
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
  let killed = 0;
  for (let k = 0; k < KILLS && exitCode === undefined; k++) {
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    const [row] = await db`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and application_name like 'merchant-registry%'`;
    killed += row!.n as number;
  }
  const lastKill = Date.now();
  stop = true;
  await Promise.all(clients);
  let readyAfterMs: number | undefined;
  while (exitCode === undefined && Date.now() - lastKill < 5000) {
    const ready = await fetch(`${base}/readyz`).catch(() => undefined);
    if (ready?.status === 200) {
      readyAfterMs = Date.now() - lastKill;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const alive = exitCode === undefined;
  const exitedWith = exitCode ?? null;
  const crash = /TypeError[^\n]*/.exec(stderr)?.[0];
  if (alive) await server.stop();
  await db.end();
  await admin`drop database ${admin(name)} with (force)`;
  await admin.end();
  console.log(JSON.stringify({ alive, exitCode: exitedWith, crash, killed, ms: lastKill - started, codes, readyAfterMs }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
