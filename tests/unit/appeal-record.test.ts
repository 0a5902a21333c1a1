import { buildAppealRecord } from '../../src/domain/appeal-record';
import { formatFenAsYuan, parseYuanToFen } from '../../src/domain/money';

const at = (local: string) => new Date(`${local}+08:00`);

describe('building an appeal record from its facts', () => {
  it('lays out a mediated complaint as received → accepted → in mediation → mediated', () => {
    const result = buildAppealRecord({
      type: 'COMPLAINT',
      status: 'MEDIATED',
      receivedAt: at('2023-03-01T09:00:00'),
      acceptedAt: at('2023-03-03T10:00:00'),
      mediationStartedAt: at('2023-03-06T10:00:00'),
      concludedAt: at('2023-03-20T16:00:00'),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.history.map((h) => h.to)).toEqual(['RECEIVED', 'ACCEPTED', 'IN_MEDIATION', 'MEDIATED']);
    expect(result.timestamps.concludedAt).toEqual(at('2023-03-20T16:00:00'));
  });

  it('requires the acceptance time of an accepted complaint', () => {
    const result = buildAppealRecord({ type: 'COMPLAINT', status: 'ACCEPTED', receivedAt: at('2023-03-01T09:00:00') });
    expect(result).toEqual({ ok: false, problems: [{ field: 'acceptedAt', message: 'acceptedAt is required for status ACCEPTED' }] });
  });

  it('refuses steps out of time order', () => {
    const result = buildAppealRecord({
      type: 'COMPLAINT',
      status: 'ACCEPTED',
      receivedAt: at('2023-03-05T09:00:00'),
      acceptedAt: at('2023-03-01T09:00:00'),
    });
    expect(result).toMatchObject({ ok: false, problems: [{ field: 'acceptedAt' }] });
  });

  it('refuses a status the type cannot reach and facts the status does not use', () => {
    expect(buildAppealRecord({ type: 'REPORT', status: 'MEDIATED', receivedAt: at('2023-03-01T09:00:00') })).toMatchObject({
      ok: false,
      problems: [{ field: 'status' }],
    });
    const stray = buildAppealRecord({
      type: 'COMPLAINT',
      status: 'RECEIVED',
      receivedAt: at('2023-03-01T09:00:00'),
      concludedAt: at('2023-03-02T09:00:00'),
    });
    expect(stray).toMatchObject({ ok: false, problems: [{ field: 'concludedAt' }] });
  });

  it('needs a reason to reject', () => {
    const result = buildAppealRecord({ type: 'COMPLAINT', status: 'REJECTED', receivedAt: at('2023-03-01T09:00:00'), rejectedAt: at('2023-03-02T09:00:00') });
    expect(result).toMatchObject({ ok: false, problems: [{ field: 'rejectionReason' }] });
  });

  it('records a filed case with its filing time, after one extension', () => {
    const result = buildAppealRecord({
      type: 'REPORT',
      status: 'CASE_FILED',
      receivedAt: at('2023-06-01T09:00:00'),
      verificationStartedAt: at('2023-06-02T09:00:00'),
      verificationExtendedAt: at('2023-06-20T09:00:00'),
      decidedAt: at('2023-07-10T09:00:00'),
    });
    expect(result.ok && result.timestamps).toMatchObject({ caseFiledAt: at('2023-07-10T09:00:00'), verificationExtendedAt: at('2023-06-20T09:00:00') });
  });
});

describe('money', () => {
  it('converts yuan text to fen exactly', () => {
    expect(parseYuanToFen('7086800')).toBe(708_680_000);
    expect(parseYuanToFen('0.1')).toBe(10);
    expect(parseYuanToFen('19.99')).toBe(1999);
    expect(parseYuanToFen('1.005')).toBeNull();
    expect(parseYuanToFen('-3')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
  });

  it('writes fen as yuan with two decimals', () => {
    expect(formatFenAsYuan(708_680_000)).toBe('7086800.00');
    expect(formatFenAsYuan(5)).toBe('0.05');
  });
});
