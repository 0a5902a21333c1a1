import { migratedEnumValues } from '../helpers/migrated-enums';
import {
  APPEAL_STATUSES,
  ACCEPTED_COMPLAINT_STATUSES,
  CONCLUDED_COMPLAINT_STATUSES,
  FINAL_STATUSES,
  HANDLED_COMPLAINT_STATUSES,
  isFinal,
  pendingStep,
  RESOLVED_COMPLAINT_STATUSES,
  UNSUCCESSFUL_MEDIATION_STATUSES,
} from '../../src/domain/appeal-workflow';
import { statusInSql, pendingDueSql } from '../../src/domain/appeal-workflow.sql';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

describe('appeal status sets', () => {
  it('lists the same statuses as the migrated database enum', () => {
    expect([...APPEAL_STATUSES]).toEqual(migratedEnumValues('appeal_status'));
  });


  it('derives the final statuses from the state machine', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['CASE_FILED', 'CLOSED', 'MEDIATED', 'MEDIATION_FAILED', 'NOT_FILED', 'REJECTED', 'WITHDRAWN']);
  });

  it('concludes a complaint only in a final status, resolved and unsuccessful splitting the concluded ones', () => {
    for (const s of CONCLUDED_COMPLAINT_STATUSES) expect(isFinal('COMPLAINT', s)).toBe(true);
    expect([...RESOLVED_COMPLAINT_STATUSES, ...UNSUCCESSFUL_MEDIATION_STATUSES].sort()).toEqual(['MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN', 'WITHDRAWN']);
    expect(HANDLED_COMPLAINT_STATUSES).toEqual(['REJECTED', ...CONCLUDED_COMPLAINT_STATUSES]);
    expect(ACCEPTED_COMPLAINT_STATUSES).toEqual(['ACCEPTED', 'IN_MEDIATION', 'MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN']);
  });

  it('names the step an appeal waits for', () => {
    expect(pendingStep('COMPLAINT', 'RECEIVED')).toBe('acceptance');
    expect(pendingStep('COMPLAINT', 'IN_MEDIATION')).toBe('conclusion');
    expect(pendingStep('COMPLAINT', 'MEDIATED')).toBeNull();
    expect(pendingStep('REPORT', 'VERIFYING')).toBe('verification');
    expect(pendingStep('PRAISE', 'RECEIVED')).toBeNull();
  });

  it('builds the same sets as SQL', () => {
    const dialect = new PgDialect();
    expect(dialect.sqlToQuery(statusInSql(sql.raw('status'), CONCLUDED_COMPLAINT_STATUSES)).sql).toBe("(status in ('MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'))");
    const due = dialect.sqlToQuery(
      pendingDueSql({ type: sql.raw('t'), status: sql.raw('s'), acceptanceDueOn: sql.raw('a'), conclusionDueOn: sql.raw('c'), verificationDueOn: sql.raw('v') }),
    ).sql;
    expect(due).toBe(
      "case when t = 'COMPLAINT' and (s in ('RECEIVED')) then a when t = 'COMPLAINT' and (s in ('ACCEPTED', 'IN_MEDIATION')) then c when t = 'REPORT' and (s in ('RECEIVED', 'VERIFYING')) then v end",
    );
  });
});
