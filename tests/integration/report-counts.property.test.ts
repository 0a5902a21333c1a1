import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/rows';
import { allowedActions, APPEAL_STATUSES, type AppealStatus, type AppealType } from '../../src/domain/appeal-workflow';
import { addDays } from '../../src/domain/calendar';
import { formatFenAsYuan } from '../../src/domain/money';
import { countsDrift } from '../helpers/appeal-counts';
import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { statisticsFromAppeals } from '../helpers/report-oracle';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

/**
 * Property: whatever appeals are written and however (the CSV import, API mutations, bulk SQL
 * inserts of rows no workflow would produce, bulk updates that move appeals across days, months,
 * years and regions, deletes), every figure of annualReport and appealStatistics read from the
 * appeal count tables equals the figure counted directly from the appeals (the old SQL, kept as
 * the oracle in tests/helpers/report-oracle.ts).
 *
 * REPORT_PROPERTY_RUNS: batches per driver (default 12). REPORT_PROPERTY_SEED: fast-check seed
 * (default fixed, so CI is reproducible).
 */
const RUNS = Number(process.env.REPORT_PROPERTY_RUNS ?? 12);
const SEED = Number(process.env.REPORT_PROPERTY_SEED ?? 20261213);

/** The test's appeals are received in 2016–2019, away from the seed's 2022–2023. */
const FIRST_DAY = '2016-01-01';
const DAYS = 4 * 365;
const CATEGORIES = ['GOODS', 'GOODS.FOOD', 'GOODS.VEHICLES', 'SERVICES.SALES', 'SERVICES.SALES.PREPAID', 'SERVICES.SALES.OTHER', 'SERVICES.INTERNET', null];
const VIOLATIONS = ['ADVERTISING', 'UNFAIR_COMPETITION', 'CONSUMER_RIGHTS', 'PRODUCT_QUALITY', null];
const DISTRICTS = ['421303', '421321', '421381'];
const REGIONS = [null, '421300', '421303', '421321', '421381', '420000', '110000'];
const TYPES: AppealType[] = ['COMPLAINT', 'COMPLAINT', 'COMPLAINT', 'REPORT', 'REPORT', 'CONSULTATION', 'PRAISE'];

interface Merchant {
  id: string;
  uscc: string;
  regionCode: string;
}

/** An appeal as an export has it: a legal workflow path, times around Shanghai midnights. */
const exported = fc.record({
  type: fc.constantFrom(...TYPES),
  day: fc.integer({ min: 0, max: DAYS }),
  hour: fc.constantFrom('00:00', '00:01', '08:30', '15:59', '16:00', '23:59'),
  merchant: fc.nat(),
  category: fc.constantFrom(...CATEGORIES),
  violation: fc.constantFrom(...VIOLATIONS),
  outcome: fc.integer({ min: 0, max: 9 }),
  decisionDays: fc.integer({ min: 1, max: 14 }),
  concludeDays: fc.integer({ min: 1, max: 80 }),
  extended: fc.boolean(),
  amountFen: fc.constantFrom(0, 0, 1, 12_345, 99_999_999),
});
type Exported = typeof exported extends fc.Arbitrary<infer T> ? T : never;

/** A row written by SQL: any status, any (constraint-abiding) times and due days, nulls included. */
const offset = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: null });
const odd = fc.record({
  type: fc.constantFrom(...TYPES),
  day: fc.integer({ min: 0, max: DAYS }),
  minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  merchant: fc.nat(),
  category: fc.constantFrom(...CATEGORIES),
  violation: fc.constantFrom(...VIOLATIONS),
  status: fc.constantFrom(...APPEAL_STATUSES),
  accepted: offset(20),
  rejected: offset(20),
  concluded: offset(60),
  decided: offset(40),
  acceptanceDue: fc.option(fc.integer({ min: -2, max: 12 }), { nil: null }),
  conclusionDue: fc.option(fc.integer({ min: 0, max: 70 }), { nil: null }),
  verificationDue: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  amountFen: fc.constantFrom(0, 7, 500_000),
});
type Odd = typeof odd extends fc.Arbitrary<infer T> ? T : never;

const batch = fc.record({
  imported: fc.array(exported, { maxLength: 12 }),
  created: fc.array(fc.record({ type: fc.constantFrom(...TYPES), day: fc.integer({ min: 0, max: DAYS }), merchant: fc.nat(), category: fc.constantFrom(...CATEGORIES) }), {
    maxLength: 2,
  }),
  steps: fc.array(fc.record({ pick: fc.nat(), action: fc.nat(), amountFen: fc.option(fc.constantFrom(0, 250, 80_000), { nil: null }) }), { maxLength: 4 }),
  written: fc.array(odd, { maxLength: 10 }),
  update: fc.option(fc.record({ kind: fc.integer({ min: 0, max: 3 }), every: fc.integer({ min: 1, max: 4 }), hours: fc.integer({ min: -30, max: 30 }), pick: fc.nat() }), {
    nil: null,
  }),
  deleteEvery: fc.option(fc.integer({ min: 2, max: 6 }), { nil: null }),
});
type Batch = typeof batch extends fc.Arbitrary<infer T> ? T : never;

const period = fc.record({
  from: fc.integer({ min: 0, max: 1_700 }).map((n) => addDays('2015-10-01', n)),
  length: fc.integer({ min: 0, max: 500 }),
  region: fc.constantFrom(...REGIONS),
});
const year = fc.record({ year: fc.integer({ min: 2016, max: 2020 }), region: fc.constantFrom(...REGIONS) });

const FIGURES = /* GraphQL */ `
  fragment Share on CountShare { key label count sharePercent previousCount changePercent }
  fragment Ratio on Rate { numerator denominator percent definition }
  fragment Figures on AppealStatistics {
    from to regionCode total byType { ...Share }
    complaintsDecidedOnTime { ...Ratio } complaintsConcludedOnTime { ...Ratio } mediationSuccess { ...Ratio } reportsVerifiedOnTime { ...Ratio }
    amountRecoveredFen complaintGroups { ...Share } complaintCategories { ...Share } complaintSubCategories { ...Share } reportViolationTypes { ...Share }
  }
`;

describe.each(drivers)('report figures from the appeal counts on %s', (driver) => {
  let server: TestServer;
  let supervisor: Record<string, string>;
  let merchants: Merchant[];
  let serial = 0;

  beforeAll(async () => {
    server = await startTestServer(driver);
    supervisor = await authHeader({ sub: 'sup', role: 'SUPERVISOR', regions: ['421300'] });
    merchants = (await Promise.all(DISTRICTS.map((code) => plainMerchants(server.handle.db, code, 6, 40)))).flat();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const { data, errors } = await server.gql(query, variables, supervisor);
    if (errors) throw new Error(JSON.stringify(errors));
    return data!;
  };
  const at = (day: number, time: string) => `${addDays(FIRST_DAY, day)} ${time}`;
  const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;

  function csvRow(a: Exported, externalId: string): Record<string, string> {
    const m = pick(merchants, a.merchant);
    const row: Record<string, string> = { external_id: externalId, type: a.type, channel: 'HOTLINE', received_at: at(a.day, a.hour) };
    row.merchant_uscc = a.type === 'CONSULTATION' ? '' : m.uscc;
    row.region_code = a.type === 'CONSULTATION' ? pick(DISTRICTS, a.merchant) : '';
    row.amount_recovered_yuan = a.amountFen ? formatFenAsYuan(a.amountFen) : '';
    const decision = at(a.day + a.decisionDays, a.hour);
    if (a.type === 'COMPLAINT') {
      const status = (['RECEIVED', 'REJECTED', 'ACCEPTED', 'IN_MEDIATION', 'MEDIATED', 'MEDIATED', 'MEDIATION_FAILED', 'MEDIATION_FAILED', 'WITHDRAWN', 'WITHDRAWN'] as const)[a.outcome]!;
      row.category_code = a.category ?? '';
      row.status = status;
      if (status === 'REJECTED') Object.assign(row, { rejected_at: decision, rejection_reason: '不属于受理范围' });
      else if (status !== 'RECEIVED') row.accepted_at = decision;
      if (status === 'IN_MEDIATION') row.mediation_started_at = at(a.day + a.decisionDays + 1, '09:00');
      if (['MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'].includes(status)) row.concluded_at = at(a.day + a.decisionDays + a.concludeDays, a.hour);
    } else if (a.type === 'REPORT') {
      const status = (['RECEIVED', 'RECEIVED', 'VERIFYING', 'VERIFYING', 'CASE_FILED', 'CASE_FILED', 'CASE_FILED', 'NOT_FILED', 'NOT_FILED', 'NOT_FILED'] as const)[a.outcome]!;
      row.violation_type = a.violation ?? '';
      row.status = status;
      if (status === 'VERIFYING') row.verification_started_at = at(a.day + 1, '09:00');
      if (a.extended) row.verification_extended_at = at(a.day + 1, '10:00');
      if (status === 'CASE_FILED' || status === 'NOT_FILED') row.decided_at = at(a.day + 2 * a.decisionDays, a.hour);
    } else {
      row.status = a.outcome % 2 ? 'RECEIVED' : 'CLOSED';
    }
    return row;
  }

  async function importRows(rows: Exported[]): Promise<void> {
    if (rows.length === 0) return;
    const records = rows.map((a) => csvRow(a, `PT-${++serial}`));
    const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const csv = [header.join(','), ...records.map((r) => header.map((h) => r[h] ?? '').join(','))].join('\n');
    const { importAppeals } = await gql(`mutation ($csv: String!) { importAppeals(csv: $csv) { inserted badRows bad { line field message } } }`, { csv });
    expect(importAppeals).toMatchObject({ inserted: rows.length, badRows: 0 });
  }

  async function create(list: Batch['created']): Promise<void> {
    for (const c of list) {
      const m = pick(merchants, c.merchant);
      const input: Record<string, unknown> = {
        type: c.type,
        channel: 'WEB',
        externalId: `PT-${++serial}`,
        receivedAt: new Date(`${addDays(FIRST_DAY, c.day)}T12:00:00+08:00`).toISOString(),
      };
      if (c.type === 'CONSULTATION') input.regionCode = m.regionCode;
      else input.merchantId = m.id;
      if (c.type === 'COMPLAINT') input.categoryCode = c.category;
      await gql(`mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id } }`, { input });
    }
  }

  async function advance(steps: Batch['steps']): Promise<void> {
    for (const step of steps) {
      const open = rowsOf<{ id: string; type: AppealType; status: AppealStatus; version: number; extended: boolean }>(
        await server.handle.db.execute(sql`
          select id, type, status, version, verification_extended_at is not null as extended from appeals
          where external_id like 'PT-%' and status not in ('REJECTED', 'MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN', 'CASE_FILED', 'NOT_FILED', 'CLOSED')
          order by external_id`),
      );
      if (open.length === 0) return;
      const appeal = pick(open, step.pick);
      const actions = allowedActions({ type: appeal.type, status: appeal.status, verificationExtended: appeal.extended });
      if (actions.length === 0) continue;
      const action = pick(actions, step.action);
      const input = { id: appeal.id, action, expectedVersion: appeal.version, reason: action === 'REJECT' ? '重复投诉' : null, amountRecoveredFen: step.amountFen };
      const { errors } = await server.gql(`mutation ($input: AdvanceAppealInput!) { advanceAppeal(input: $input) { id } }`, { input }, supervisor);
      // Extending a verification past its first period is refused: the only refusal expected here.
      if (errors) expect(action === 'EXTEND_VERIFICATION' && errors[0]!.extensions!.code === 'CONFLICT').toBe(true);
    }
  }

  async function write(rows: Odd[]): Promise<void> {
    if (rows.length === 0) return;
    const time = (base: Date, days: number | null) => (days === null ? null : new Date(base.getTime() + days * 86_400_000));
    const json = rows.map((o) => {
      const m = pick(merchants, o.merchant);
      const received = new Date(`${addDays(FIRST_DAY, o.day)}T00:00:00+08:00`);
      received.setTime(received.getTime() + o.minute * 60_000);
      const accepted = time(received, o.accepted);
      const receivedDay = addDays(FIRST_DAY, o.day);
      return {
        external_id: `PX-${++serial}`,
        type: o.type,
        channel: 'LETTER',
        received_at: received,
        merchant_id: o.type === 'CONSULTATION' ? null : m.id,
        region_code: m.regionCode,
        category_code: o.category,
        violation_type: o.type === 'REPORT' ? o.violation : null,
        status: o.status,
        accepted_at: accepted,
        rejected_at: time(received, o.rejected),
        rejection_reason: o.rejected === null ? null : 'x',
        concluded_at: accepted ? time(accepted, o.concluded) : null,
        decided_at: time(received, o.decided),
        acceptance_due_on: o.acceptanceDue === null ? null : addDays(receivedDay, o.acceptanceDue),
        conclusion_due_on: o.conclusionDue === null ? null : addDays(receivedDay, o.conclusionDue),
        verification_due_on: o.verificationDue === null ? null : addDays(receivedDay, o.verificationDue),
        amount_recovered_fen: o.amountFen,
      };
    });
    // One set-based statement, as a bulk loader writes.
    await server.handle.db.execute(sql`
      insert into appeals (external_id, type, channel, received_at, merchant_id, region_code, category_code, violation_type, status,
        accepted_at, rejected_at, rejection_reason, concluded_at, decided_at, acceptance_due_on, conclusion_due_on, verification_due_on, amount_recovered_fen)
      select external_id, type::appeal_type, channel::appeal_channel, received_at, merchant_id, region_code, category_code, violation_type, status::appeal_status,
        accepted_at, rejected_at, rejection_reason, concluded_at, decided_at, acceptance_due_on, conclusion_due_on, verification_due_on, amount_recovered_fen
      from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as r(external_id text, type text, channel text, received_at timestamptz, merchant_id uuid,
        region_code text, category_code text, violation_type text, status text, accepted_at timestamptz, rejected_at timestamptz, rejection_reason text,
        concluded_at timestamptz, decided_at timestamptz, acceptance_due_on date, conclusion_due_on date, verification_due_on date, amount_recovered_fen bigint)`);
  }

  async function bulkUpdate(update: NonNullable<Batch['update']>): Promise<void> {
    const some = sql`((external_id like 'PT-%' or external_id like 'PX-%') and abs(hashtext(external_id)) % ${update.every} = 0)`;
    const shift = sql.raw(`interval '${update.hours} hours'`);
    const statements = [
      sql`update appeals set amount_recovered_fen = amount_recovered_fen + 100 where ${some}`,
      sql`update appeals set region_code = ${pick(DISTRICTS, update.pick)} where ${some}`,
      // Every time moves together, so the rows stay consistent while their day, month or year changes.
      sql`update appeals set received_at = received_at + ${shift}, accepted_at = accepted_at + ${shift}, rejected_at = rejected_at + ${shift},
            mediation_started_at = mediation_started_at + ${shift}, concluded_at = concluded_at + ${shift}, decided_at = decided_at + ${shift},
            verification_extended_at = verification_extended_at + ${shift}, case_filed_at = case_filed_at + ${shift} where ${some}`,
      sql`update appeals set category_code = ${pick(CATEGORIES, update.pick)} where ${some} and type = 'COMPLAINT'`,
    ];
    await server.handle.db.execute(statements[update.kind]!);
  }

  it('equal the figures counted from the appeals themselves, after any writes', async () => {
    await fc.assert(
      fc.asyncProperty(batch, fc.array(period, { minLength: 1, maxLength: 3 }), year, async (b, periods, annual) => {
        await importRows(b.imported);
        await create(b.created);
        await advance(b.steps);
        await write(b.written);
        if (b.update) await bulkUpdate(b.update);
        if (b.deleteEvery) await server.handle.db.execute(sql`delete from appeals where external_id like 'PX-%' and abs(hashtext(external_id)) % ${b.deleteEvery} = 0`);

        for (const p of periods) {
          const to = addDays(p.from, p.length);
          const { appealStatistics } = await gql(`query ($from: Date!, $to: Date!, $region: String) { appealStatistics(from: $from, to: $to, regionCode: $region) { ...Figures } } ${FIGURES}`, {
            from: p.from,
            to,
            region: p.region,
          });
          expect(appealStatistics).toEqual(await statisticsFromAppeals(server.handle.db, p.from, to, p.region));
        }
        // The annual report goes through the server's cache, which the writes above must have made stale.
        const { annualReport } = await gql(`query ($year: Int!, $region: String) { annualReport(year: $year, regionCode: $region) { ...Figures } } ${FIGURES}`, {
          year: annual.year,
          region: annual.region,
        });
        expect(annualReport).toEqual(await statisticsFromAppeals(server.handle.db, `${annual.year}-01-01`, `${annual.year}-12-31`, annual.region));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(await countsDrift(server.handle.db)).toBe(0);
  });
});
