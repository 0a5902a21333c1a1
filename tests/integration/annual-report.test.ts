import { drivers } from '../helpers/drivers';
import { startTestServer, type TestServer } from '../helpers/server';

const REPORT = /* GraphQL */ `
  {
    annualReport(year: 2023, regionCode: "421300") {
      total
      byType { key count changePercent }
      complaintsDecidedOnTime { percent }
      complaintsConcludedOnTime { percent }
      mediationSuccess { percent }
      reportsVerifiedOnTime { percent }
      amountRecoveredFen
      complaintGroups { key count changePercent }
      complaintCategories { key count sharePercent changePercent }
      reportViolationTypes { key count sharePercent }
    }
  }
`;

/** The published 2023 figures of Suizhou (docs/annual-report.md), reproduced from the seeded records. */
describe.each(drivers)('the 2023 annual report of the seed on %s', (driver) => {
  let server: TestServer;
  let report: any;

  beforeAll(async () => {
    server = await startTestServer(driver);
    const { data, errors } = await server.gql(REPORT);
    expect(errors).toBeUndefined();
    report = data!.annualReport;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const type = (key: string) => report.byType.find((t: any) => t.key === key);
  const group = (key: string) => report.complaintGroups.find((g: any) => g.key === key);
  const category = (key: string) => report.complaintCategories.find((c: any) => c.key === key);

  it('counts 27,447 appeals: 216 consultations, 23,971 complaints, 3,259 reports, 1 praise', () => {
    expect(report.total).toBe(27_447);
    expect([type('CONSULTATION').count, type('COMPLAINT').count, type('REPORT').count, type('PRAISE').count]).toEqual([216, 23_971, 3_259, 1]);
  });

  it('gives the four published rates', () => {
    expect(report.complaintsDecidedOnTime.percent).toBe(99.53);
    expect(report.complaintsConcludedOnTime.percent).toBe(99.63);
    expect(report.mediationSuccess.percent).toBe(71.78);
    expect(report.reportsVerifiedOnTime.percent).toBe(98.83);
  });

  it('recovers ¥7,086,800', () => {
    expect(report.amountRecoveredFen).toBe(708_680_000);
  });

  it('has goods complaints down 2.15% with vehicles down 26.93% and food, vehicles and clothing over half', () => {
    expect(group('GOODS').changePercent).toBe(-2.15);
    expect(category('GOODS.VEHICLES').changePercent).toBe(-26.93);
    const top = ['GOODS.FOOD', 'GOODS.VEHICLES', 'GOODS.CLOTHING'].reduce((s, k) => s + category(k).count, 0);
    expect(top * 2).toBeGreaterThan(group('GOODS').count);
  });

  it('has service complaints up 26.15%, sales services first at 24.29% and internet services second at 18.75%', () => {
    expect(group('SERVICES').changePercent).toBe(26.15);
    const services = report.complaintCategories.filter((c: any) => c.key.startsWith('SERVICES.'));
    expect(services[0]).toMatchObject({ key: 'SERVICES.SALES', sharePercent: 24.29 });
    expect(services[1]).toMatchObject({ key: 'SERVICES.INTERNET', sharePercent: 18.75 });
  });

  it('has reports up 33.29% with advertising, unfair competition and consumer-rights infringement over 70%', () => {
    expect(type('REPORT').changePercent).toBe(33.29);
    const three = report.reportViolationTypes
      .filter((v: any) => ['ADVERTISING', 'UNFAIR_COMPETITION', 'CONSUMER_RIGHTS'].includes(v.key))
      .reduce((s: number, v: any) => s + v.count, 0);
    expect(three / type('REPORT').count).toBeGreaterThan(0.7);
  });
});
