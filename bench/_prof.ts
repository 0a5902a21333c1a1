import 'reflect-metadata';
import { sql } from 'drizzle-orm';
import { createDb } from '../src/db';
import { rowsOf } from '../src/db/rows';
import { shanghaiToday } from '../src/domain/local-date';
import { loadRatingInputs } from '../src/modules/rating/rating.inputs';
import { rerateMerchants } from '../src/modules/rating/rating.store';
async function main() {
  const h = await createDb({ databaseUrl: process.argv[2]!, maxConnections: 2 });
  const db = h.db;
  const ms = rowsOf<{ m: string; n: number }>(await db.execute(sql`select merchant_id::text m, count(*)::int n from appeals group by 1 having count(*) in (96, 960, 9600) order by 2`));
  const today = shanghaiToday();
  for (let round = 0; round < 3; round++) for (const m of ms) {
    const ts: number[] = [];
    for (let i = 0; i < 20; i++) { const t0 = performance.now(); await db.transaction((tx) => loadRatingInputs(tx, { ids: [m.m] }, today)); ts.push(performance.now() - t0); }
    const rs: number[] = [];
    for (let i = 0; i < 20; i++) { const t0 = performance.now(); await db.transaction((tx) => rerateMerchants(tx, [m.m], today, 'x')); rs.push(performance.now() - t0); }
    ts.sort((a, b) => a - b); rs.sort((a, b) => a - b);
    console.log(m.n, 'load', ts[10]!.toFixed(1), 'rerate', rs[10]!.toFixed(1));
  }
  await h.close();
}
main();
