import { auditDueReasons, effectiveStatus, isInEffect, refusalOf, statusAfter, twelveMonthsBefore } from '../../src/domain/pledge-rules';
import { activePledgeOn, isActiveOn, isExpiryDue, isInEffectStatus, periodCovers, PLEDGE_STATUSES, statusOn } from '../../src/domain/pledge-period';
import { migratedEnumValues } from '../helpers/migrated-enums';

const at = (local: string) => new Date(`${local}T10:00:00+08:00`);

describe('pledge lifecycle rules', () => {
  it('knows the same statuses as the migrated database enum', () => {
    expect([...PLEDGE_STATUSES]).toEqual(migratedEnumValues('pledge_status'));
  });

  it('shows a pledge in effect as EXPIRED from its expiresOn day on, and leaves other statuses alone', () => {
    expect(effectiveStatus({ status: 'ACTIVE', expiresOn: '2025-03-01' }, '2025-02-28')).toBe('ACTIVE');
    expect(effectiveStatus({ status: 'ACTIVE', expiresOn: '2025-03-01' }, '2025-03-01')).toBe('EXPIRED');
    expect(effectiveStatus({ status: 'SUSPENDED', expiresOn: '2025-03-01' }, '2025-03-02')).toBe('EXPIRED');
    expect(effectiveStatus({ status: 'REVOKED', expiresOn: '2025-03-01' }, '2025-03-02')).toBe('REVOKED');
    expect(effectiveStatus({ status: 'ACTIVE', expiresOn: null }, '2099-01-01')).toBe('ACTIVE');
  });

  it('treats ACTIVE and SUSPENDED as in effect, REVOKED and EXPIRED not', () => {
    expect(['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'].map((s) => isInEffectStatus(s))).toEqual([true, true, false, false]);
    expect(isInEffect('SUSPENDED')).toBe(true);
    expect(isInEffectStatus(null)).toBe(false);
  });

  it('is due for expiry on and after expiresOn only while in effect', () => {
    expect(isExpiryDue({ status: 'ACTIVE', expiresOn: '2025-03-01' }, '2025-02-28')).toBe(false);
    expect(isExpiryDue({ status: 'ACTIVE', expiresOn: '2025-03-01' }, '2025-03-01')).toBe(true);
    expect(isExpiryDue({ status: 'EXPIRED', expiresOn: '2025-03-01' }, '2025-03-05')).toBe(false);
    expect(isExpiryDue({ status: 'SUSPENDED', expiresOn: null }, '2025-03-05')).toBe(false);
  });

  it('allows each action only from its statuses and names the refusal', () => {
    expect(refusalOf('suspend', 'ACTIVE')).toBeNull();
    expect(refusalOf('suspend', 'SUSPENDED')).toBe('Cannot suspend a pledge that is SUSPENDED: only a ACTIVE pledge can be suspended');
    expect(refusalOf('resume', 'ACTIVE')).toMatch(/only a SUSPENDED pledge can be resumed/);
    expect(refusalOf('revoke', 'SUSPENDED')).toBeNull();
    expect(refusalOf('revoke', 'EXPIRED')).toMatch(/only a ACTIVE or SUSPENDED pledge can be revoked/);
    expect(refusalOf('audit', 'REVOKED')).toMatch(/can be audited/);
  });

  it('leads each allowed action to its status; an audit keeps the status', () => {
    expect(statusAfter('suspend', 'ACTIVE')).toBe('SUSPENDED');
    expect(statusAfter('resume', 'SUSPENDED')).toBe('ACTIVE');
    expect(statusAfter('revoke', 'SUSPENDED')).toBe('REVOKED');
    expect(statusAfter('audit', 'SUSPENDED')).toBe('SUSPENDED');
  });

  it('goes back twelve months to the same day, 29 February to 28 February', () => {
    expect(twelveMonthsBefore('2025-06-15')).toBe('2024-06-15');
    expect(twelveMonthsBefore('2024-02-29')).toBe('2023-02-28');
    expect(twelveMonthsBefore('2025-01-01')).toBe('2024-01-01');
  });

  it('is due for audit when never audited, audited over 12 months ago, or a VIOLATION is past its rectification day', () => {
    expect(auditDueReasons(null, '2025-06-15')).toEqual(['NEVER_AUDITED']);
    const audit = (auditedOn: string, outcome: 'COMPLIANT' | 'VIOLATION', rectificationDueOn: string | null = null) => ({ auditedOn, outcome, rectificationDueOn });
    expect(auditDueReasons(audit('2024-06-15', 'COMPLIANT'), '2025-06-15')).toEqual([]);
    expect(auditDueReasons(audit('2024-06-14', 'COMPLIANT'), '2025-06-15')).toEqual(['LAST_AUDIT_OVER_12_MONTHS_AGO']);
    expect(auditDueReasons(audit('2025-05-01', 'VIOLATION', '2025-06-16'), '2025-06-15')).toEqual([]);
    expect(auditDueReasons(audit('2025-05-01', 'VIOLATION', '2025-06-15'), '2025-06-15')).toEqual(['RECTIFICATION_DUE']);
    expect(auditDueReasons(audit('2024-01-01', 'VIOLATION', '2024-02-01'), '2025-06-15')).toEqual(['LAST_AUDIT_OVER_12_MONTHS_AGO', 'RECTIFICATION_DUE']);
  });
});

describe('pledge period', () => {
  const pledge = (id: string, effectiveFrom: string, expiresOn: string | null, changes: [string, string][]) => ({
    id,
    effectiveFrom,
    expiresOn,
    statusChanges: changes.map(([toStatus, day]) => ({ toStatus, at: at(day) })),
  });

  it('covers effectiveFrom up to the day before expiresOn', () => {
    const p = { effectiveFrom: '2025-01-10', expiresOn: '2025-02-10' };
    expect(['2025-01-09', '2025-01-10', '2025-02-09', '2025-02-10'].map((d) => periodCovers(p, d))).toEqual([false, true, true, false]);
    expect(periodCovers({ effectiveFrom: '2025-01-10', expiresOn: null }, '2099-12-31')).toBe(true);
  });

  it('takes the status of the last change on or before the day', () => {
    const changes = [
      { toStatus: 'ACTIVE', at: at('2025-01-10') },
      { toStatus: 'SUSPENDED', at: at('2025-02-01') },
    ];
    expect(statusOn(changes, '2025-01-09')).toBeNull();
    expect(statusOn(changes, '2025-01-31')).toBe('ACTIVE');
    expect(statusOn(changes, '2025-02-01')).toBe('SUSPENDED');
  });

  it('honours only an ACTIVE pledge whose period covers the day', () => {
    const p = { effectiveFrom: '2025-01-10', expiresOn: '2025-02-10' };
    expect(isActiveOn(p, 'ACTIVE', '2025-01-10')).toBe(true);
    expect(isActiveOn(p, 'SUSPENDED', '2025-01-10')).toBe(false);
    expect(isActiveOn(p, 'ACTIVE', '2025-02-10')).toBe(false);
    const suspended = pledge('s', '2025-01-01', null, [['ACTIVE', '2025-01-01'], ['SUSPENDED', '2025-01-05']]);
    const active = pledge('a', '2025-01-01', null, [['ACTIVE', '2025-01-01']]);
    expect(activePledgeOn([suspended], '2025-01-04')?.id).toBe('s');
    expect(activePledgeOn([suspended], '2025-01-05')).toBeUndefined();
    expect(activePledgeOn([suspended, active], '2025-01-06')?.id).toBe('a');
  });
});
