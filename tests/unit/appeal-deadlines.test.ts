import { appealDeadlines, extensionRefusal } from '../../src/domain/appeal-deadlines';

/** An instant at a Shanghai wall-clock time. */
const at = (local: string) => new Date(`${local}+08:00`);

describe('appeal deadlines', () => {
  it('gives 7 working days to accept a complaint received before the 2024 Spring Festival', () => {
    // Received Thu 2024-02-08: working days 02-09, then the holiday 02-10..17, 02-18 (Sunday, adjusted workday), 19, 20, 21, 22, 23.
    const { acceptance } = appealDeadlines({ type: 'COMPLAINT', receivedAt: at('2024-02-08T10:00:00') }, '2024-02-20');
    expect(acceptance).toEqual({ dueOn: '2024-02-23', doneOn: null, onTime: null, overdue: false, provisional: false });
  });

  it('counts the adjusted workday 2024-02-04 (a Sunday) as a working day', () => {
    const { acceptance } = appealDeadlines({ type: 'COMPLAINT', receivedAt: at('2024-02-02T09:00:00') }, '2024-02-01');
    // 02-04 (Sun, workday), 05, 06, 07, 08, 09, then the holiday; the 7th is 02-18.
    expect(acceptance!.dueOn).toBe('2024-02-18');
  });

  it('uses the Shanghai day of receipt, not the UTC day', () => {
    // 2024-09-29 23:30 in Shanghai is still 09-29 there, 15:30 UTC.
    const late = appealDeadlines({ type: 'COMPLAINT', receivedAt: new Date('2024-09-29T15:30:00Z') }, '2024-09-30');
    // 09-30, then National Day 10-01..07, 10-08, 09, 10, 11, 12 (Saturday, adjusted workday), 14.
    expect(late.acceptance!.dueOn).toBe('2024-10-14');
  });

  it('marks a complaint accepted after its deadline as late, and one accepted on the last day as on time', () => {
    const base = { type: 'COMPLAINT' as const, receivedAt: at('2024-02-08T10:00:00') };
    expect(appealDeadlines({ ...base, acceptedAt: at('2024-02-23T17:00:00') }, '2024-03-01').acceptance!.onTime).toBe(true);
    expect(appealDeadlines({ ...base, acceptedAt: at('2024-02-26T09:00:00') }, '2024-03-01').acceptance!.onTime).toBe(false);
    expect(appealDeadlines(base, '2024-02-26').acceptance).toMatchObject({ overdue: true, onTime: false });
  });

  it('gives the merchant 10 and mediation 45 working days from acceptance across National Day 2024', () => {
    const d = appealDeadlines({ type: 'COMPLAINT', receivedAt: at('2024-09-25T10:00:00'), acceptedAt: at('2024-09-27T10:00:00') }, '2024-09-27');
    // 09-29 (Sun, workday), 30, then 10-08, 09, 10, 11, 12 (Sat, workday), 14, 15, 16.
    expect(d.answer!.dueOn).toBe('2024-10-16');
    expect(d.conclusion!.dueOn).toBe('2024-12-04');
  });

  it('gives a report 15 working days, and 30 once extended', () => {
    // Mon 02-05: 06, 07, 08, 09, the holiday, 18 (Sun, workday), 19 … 23, 26 … 29, 03-01 is the 15th.
    const received = at('2024-02-05T09:00:00');
    expect(appealDeadlines({ type: 'REPORT', receivedAt: received }, '2024-02-05').verification!.dueOn).toBe('2024-03-01');
    const extended = appealDeadlines({ type: 'REPORT', receivedAt: received, verificationExtendedAt: at('2024-02-20T10:00:00') }, '2024-02-05');
    expect(extended.verification!.dueOn).toBe('2024-03-22');
  });

  it('allows the extension through the last day of the first 15 working days, and refuses it after', () => {
    const received = at('2024-02-05T09:00:00');
    expect(extensionRefusal(received, at('2024-03-01T23:59:00'))).toBeNull();
    expect(extensionRefusal(received, at('2024-03-04T09:00:00'))).toMatch(/ran out on 2024-03-01/);
  });

  it('does not stretch the deadline with an extension made after the first period ran out', () => {
    // Extended on working day 20 and decided on day 25: overdue since 03-01, never on time.
    const received = at('2024-02-05T09:00:00');
    const late = appealDeadlines(
      { type: 'REPORT', receivedAt: received, verificationExtendedAt: at('2024-03-08T10:00:00'), decidedAt: at('2024-03-15T10:00:00') },
      '2024-03-20',
    );
    expect(late.verification).toMatchObject({ dueOn: '2024-03-01', onTime: false });
  });

  it('marks deadlines in a year without a published holiday schedule as provisional', () => {
    // Far enough ahead that no update of chinese-days will have published it.
    const { acceptance } = appealDeadlines({ type: 'COMPLAINT', receivedAt: at('2099-03-02T10:00:00') }, '2099-03-02');
    expect(acceptance).toMatchObject({ dueOn: '2099-03-11', provisional: true });
  });

  it('sets no deadlines on consultations and praise', () => {
    expect(appealDeadlines({ type: 'PRAISE', receivedAt: at('2024-05-01T10:00:00') }, '2024-05-02')).toEqual({
      acceptance: null,
      answer: null,
      conclusion: null,
      verification: null,
    });
  });
});
