import { asc } from 'drizzle-orm';
import { createDb } from '../src/db';
import { merchants } from '../src/db/schema';
import { loadRatingInputs } from '../src/modules/rating/rating.inputs';
import { loadRatingRecords } from '../src/modules/rating/rating.records';
import { shanghaiToday } from '../src/domain/local-date';
import { ratingInputs } from '../src/domain/rating/v1';
async function main() {
  const handle = await createDb({ databaseUrl: 'postgres://root@127.0.0.1:5432/writes_demo', maxConnections: 2 });
  const db = handle.db;
  const ids = (await db.select({ id: merchants.id }).from(merchants).orderBy(asc(merchants.id))).map((m) => m.id);
  for (const asOf of [shanghaiToday(), '2023-06-30']) {
  let t = Date.now();
  const rec = await loadRatingRecords(db, ids); console.log('records all', Date.now() - t);
  t = Date.now();
  const inp = await loadRatingInputs(db, { ids }, asOf); console.log('inputs all', Date.now() - t);
  t = Date.now();
  const inr = await loadRatingInputs(db, { after: null, upTo: ids.at(-1)! }, asOf); console.log('inputs range all', Date.now() - t);
  let bad = 0;
  const J = (x: unknown) => JSON.stringify(x);
  for (const id of ids) {
    const f = ratingInputs(rec.get(id)!, asOf);
    const a = inp.get(id)!;
    for (const k of ['complaints', 'reports', 'praise', 'fund'] as const) {
      if (J(f[k]) !== J(a[k]) || J(f[k]) !== J(inr.get(id)![k])) { if (bad++ < 3) console.log(id, k, J(f[k]).slice(0, 600), '\n', J(a[k]).slice(0, 600)); }
    }
  }
  console.log(asOf, 'bad', bad);
  }
  await handle.close();
}
main();
