import { Random } from '../../seeds/random';
import { addWorkingDays, addDays } from '../../src/domain/calendar';
import { changePercent, percent } from '../../src/domain/report-math';
import { drivers } from '../helpers/drivers';
import { plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

/** The seed's PRNG: the random sequence is the same on every run. */
function prng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

interface Row {
  external_id: string;
  type: string;
  channel: string;
  received_at: string;
  merchant_uscc: string;
  region_code: string;
  category_code: string;
  violation_type: string;
  amount_recovered_yuan: string;
  status: string;
  accepted_at: string;
  rejected_at: string;
  rejection_reason: string;
  concluded_at: string;
  decided_at: string;
  verification_started_at: string;
  verification_extended_at: string;
}

const CATEGORIES = ['GOODS.FOOD', 'GOODS.VEHICLES', 'GOODS.CLOTHING', 'SERVICES.SALES.PREPAID', 'SERVICES.INTERNET', 'SERVICES.CATERING_LODGING'];
const VIOLATIONS = ['ADVERTISING', 'UNFAIR_COMPETITION', 'CONSUMER_RIGHTS', 'PRODUCT_QUALITY'];
const at = (day: string, hour = 10) => `${day} ${String(hour).padStart(2, '0')}:00`;

/** Random but legal appeals of one year; `late` decides whether a step misses its deadline. */
function randomYear(year: number, count: number, merchants: { uscc: string; regionCode: string }[], random: () => number): Row[] {
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const m = pick(merchants);
    const received = addDays(`${year}-01-05`, Math.floor(random() * 330));
    const row: Row = {
      external_id: `T${year}-${i}`,
      type: pick(['COMPLAINT', 'COMPLAINT', 'COMPLAINT', 'REPORT', 'CONSULTATION', 'PRAISE']),
      channel: 'HOTLINE',
      received_at: at(received, 9),
      merchant_uscc: m.uscc,
      region_code: m.regionCode,
      category_code: '',
      violation_type: '',
      amount_recovered_yuan: '',
      status: 'RECEIVED',
      accepted_at: '',
      rejected_at: '',
      rejection_reason: '',
      concluded_at: '',
      decided_at: '',
      verification_started_at: '',
      verification_extended_at: '',
    };
    const late = () => random() < 0.1;
    if (row.type === 'COMPLAINT') {
      row.category_code = pick(CATEGORIES);
      const due = addWorkingDays(received, 7).date;
      const decided = late() ? addDays(due, 1 + Math.floor(random() * 5)) : addWorkingDays(received, 1 + Math.floor(random() * 6)).date;
      if (random() < 0.1) {
        Object.assign(row, { status: 'REJECTED', rejected_at: at(decided, 11), rejection_reason: '不属于受理范围' });
      } else {
        row.accepted_at = at(decided, 11);
        const concluded = late() ? addDays(addWorkingDays(decided, 45).date, 2) : addWorkingDays(decided, 1 + Math.floor(random() * 40)).date;
        const outcome = pick(['MEDIATED', 'MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN', 'ACCEPTED']);
        row.status = outcome;
        if (outcome !== 'ACCEPTED') row.concluded_at = at(concluded, 15);
        if (outcome === 'MEDIATED') row.amount_recovered_yuan = `${Math.floor(random() * 5000)}.${Math.floor(random() * 10)}0`;
      }
    } else if (row.type === 'REPORT') {
      row.violation_type = pick(VIOLATIONS);
      const extended = random() < 0.2;
      if (extended) row.verification_extended_at = at(addWorkingDays(received, 10).date, 10);
      const due = addWorkingDays(received, extended ? 30 : 15).date;
      const decided = late() ? addDays(due, 3) : addWorkingDays(received, extended ? 20 : 12).date;
      Object.assign(row, { status: random() < 0.5 ? 'CASE_FILED' : 'NOT_FILED', decided_at: at(decided, 16) });
    } else {
      row.merchant_uscc = row.type === 'CONSULTATION' ? '' : row.merchant_uscc;
    }
    rows.push(row);
  }
  return rows;
}

function toCsv(rows: Row[]): string {
  const header = Object.keys(rows[0]!) as (keyof Row)[];
  return [header.join(','), ...rows.map((r) => header.map((h) => r[h]).join(','))].join('\n');
}

/** The report's figures computed here, in TypeScript, from the rows as generated. */
function expected(rows: Row[], previous: Row[]) {
  const day = (value: string) => value.slice(0, 10);
  const complaints = rows.filter((r) => r.type === 'COMPLAINT');
  const decided = complaints.filter((r) => r.accepted_at || r.rejected_at);
  const decidedOnTime = decided.filter((r) => day(r.accepted_at || r.rejected_at) <= addWorkingDays(day(r.received_at), 7).date);
  const concluded = complaints.filter((r) => ['MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'].includes(r.status));
  const concludedOnTime = concluded.filter((r) => day(r.concluded_at) <= addWorkingDays(day(r.accepted_at), 45).date);
  const reports = rows.filter((r) => r.type === 'REPORT');
  const verifiedOnTime = reports.filter((r) => day(r.decided_at) <= addWorkingDays(day(r.received_at), r.verification_extended_at ? 30 : 15).date);
  const fen = rows.reduce((s, r) => s + (r.amount_recovered_yuan ? Math.round(Number(r.amount_recovered_yuan) * 100) : 0), 0);
  const groupCount = (list: Row[], group: string) => list.filter((r) => r.type === 'COMPLAINT' && r.category_code.startsWith(group)).length;
  return {
    total: rows.length,
    decided: [decidedOnTime.length, decided.length, percent(decidedOnTime.length, decided.length)],
    concluded: [concludedOnTime.length, concluded.length, percent(concludedOnTime.length, concluded.length)],
    mediation: [concluded.filter((r) => r.status === 'MEDIATED').length, concluded.length],
    verified: [verifiedOnTime.length, reports.length, percent(verifiedOnTime.length, reports.length)],
    fen,
    goods: [groupCount(rows, 'GOODS'), changePercent(groupCount(rows, 'GOODS'), groupCount(previous, 'GOODS'))],
    services: [groupCount(rows, 'SERVICES'), changePercent(groupCount(rows, 'SERVICES'), groupCount(previous, 'SERVICES'))],
    reports: [reports.length, changePercent(reports.length, previous.filter((r) => r.type === 'REPORT').length)],
  };
}

const REPORT = /* GraphQL */ `
  query ($year: Int!) {
    annualReport(year: $year, regionCode: "421300") {
      total
      byType { key count previousCount }
      complaintsDecidedOnTime { numerator denominator percent }
      complaintsConcludedOnTime { numerator denominator percent }
      mediationSuccess { numerator denominator }
      reportsVerifiedOnTime { numerator denominator percent }
      amountRecoveredFen
      complaintGroups { key count changePercent }
      byTypeReports: byType { key changePercent }
    }
  }
`;

describe.each(drivers)('the annual report on %s', (driver) => {
  let server: TestServer;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer(driver);
    supervisor = await authHeader({ sub: 'sup', role: 'SUPERVISOR', regions: ['421300'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('computes every figure from appeals sent through the API exactly as an independent count does', async () => {
    const random = prng(7);
    const merchants = [
      ...(await plainMerchants(server.handle.db, '421303', 20, 140)),
      ...(await plainMerchants(server.handle.db, '421381', 10, 60)),
    ];
    const previous = randomYear(2019, 150, merchants, random);
    const current = randomYear(2020, 250, merchants, random);
    for (const rows of [previous, current]) {
      const { data, errors } = await server.gql(
        `mutation ($csv: String!) { importAppeals(csv: $csv) { inserted badRows bad { line field message } } }`,
        { csv: toCsv(rows) },
        supervisor,
      );
      expect(errors).toBeUndefined();
      expect(data!.importAppeals).toMatchObject({ inserted: rows.length, badRows: 0 });
    }
    const { data, errors } = await server.gql(REPORT, { year: 2020 });
    expect(errors).toBeUndefined();
    const report = data!.annualReport;
    const want = expected(current, previous);
    expect(report.total).toBe(want.total);
    const d = report.complaintsDecidedOnTime;
    expect([d.numerator, d.denominator, d.percent]).toEqual(want.decided);
    const c = report.complaintsConcludedOnTime;
    expect([c.numerator, c.denominator, c.percent]).toEqual(want.concluded);
    expect([report.mediationSuccess.numerator, report.mediationSuccess.denominator]).toEqual(want.mediation);
    const v = report.reportsVerifiedOnTime;
    expect([v.numerator, v.denominator, v.percent]).toEqual(want.verified);
    expect(report.amountRecoveredFen).toBe(want.fen);
    const group = (key: string) => report.complaintGroups.find((g: any) => g.key === key);
    expect([group('GOODS').count, group('GOODS').changePercent]).toEqual(want.goods);
    expect([group('SERVICES').count, group('SERVICES').changePercent]).toEqual(want.services);
    const reports = report.byType.find((t: any) => t.key === 'REPORT');
    expect([reports.count, report.byTypeReports.find((t: any) => t.key === 'REPORT').changePercent]).toEqual(want.reports);
    // Sanity: the random data really has late steps, so the rates are not trivially 100%.
    expect(d.numerator).toBeLessThan(d.denominator);
  });

  it('lets supervisors list the appeals behind a figure, and not the public', async () => {
    const query = `{ annualReport(year: 2020) { complaintsDecidedOnTime { numerator denominator } drillDown(figure: COMPLAINTS_DECIDED_LATE, first: 100) { totalCount } } }`;
    const { data, errors } = await server.gql(query, {}, supervisor);
    expect(errors).toBeUndefined();
    const r = data!.annualReport;
    expect(r.drillDown.totalCount).toBe(r.complaintsDecidedOnTime.denominator - r.complaintsDecidedOnTime.numerator);
    const pub = await server.gql(query);
    expect(pub.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});
