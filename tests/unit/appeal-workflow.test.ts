import { allowedActions, isFinal, transition, type WorkflowState } from '../../src/domain/appeal-workflow';

const complaint = (status: WorkflowState['status']): WorkflowState => ({ type: 'COMPLAINT', status, verificationExtended: false });
const report = (status: WorkflowState['status'], verificationExtended = false): WorkflowState => ({ type: 'REPORT', status, verificationExtended });

describe('the appeal workflow', () => {
  it('takes a complaint from received through acceptance and mediation to a conclusion', () => {
    expect(transition(complaint('RECEIVED'), 'ACCEPT')).toEqual({ ok: true, to: 'ACCEPTED' });
    expect(transition(complaint('ACCEPTED'), 'START_MEDIATION')).toEqual({ ok: true, to: 'IN_MEDIATION' });
    expect(transition(complaint('IN_MEDIATION'), 'MEDIATE')).toEqual({ ok: true, to: 'MEDIATED' });
    expect(transition(complaint('IN_MEDIATION'), 'FAIL_MEDIATION')).toEqual({ ok: true, to: 'MEDIATION_FAILED' });
    expect(transition(complaint('IN_MEDIATION'), 'WITHDRAW')).toEqual({ ok: true, to: 'WITHDRAWN' });
  });

  it('refuses to mediate a complaint that was never accepted, and says what is possible', () => {
    const result = transition(complaint('RECEIVED'), 'MEDIATE');
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('possible: ACCEPT, REJECT') });
  });

  it('ends a rejected or concluded complaint for good', () => {
    for (const status of ['REJECTED', 'MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'] as const) {
      expect(isFinal('COMPLAINT', status)).toBe(true);
      expect(transition(complaint(status), 'ACCEPT')).toMatchObject({ ok: false, reason: expect.stringContaining('no further steps') });
    }
  });

  it('lets a report be verified, extended once, and decided', () => {
    expect(transition(report('RECEIVED'), 'START_VERIFICATION')).toEqual({ ok: true, to: 'VERIFYING' });
    expect(transition(report('VERIFYING'), 'EXTEND_VERIFICATION')).toEqual({ ok: true, to: 'VERIFYING' });
    expect(transition(report('VERIFYING', true), 'EXTEND_VERIFICATION')).toEqual({ ok: false, reason: 'The verification period can be extended only once' });
    expect(allowedActions(report('VERIFYING', true))).toEqual(['FILE_CASE', 'DECLINE_CASE']);
    expect(transition(report('VERIFYING'), 'FILE_CASE')).toEqual({ ok: true, to: 'CASE_FILED' });
  });

  it('does not let complaint steps apply to a report or a consultation', () => {
    expect(transition(report('RECEIVED'), 'ACCEPT').ok).toBe(false);
    expect(transition({ type: 'CONSULTATION', status: 'RECEIVED', verificationExtended: false }, 'MEDIATE').ok).toBe(false);
    expect(transition({ type: 'PRAISE', status: 'RECEIVED', verificationExtended: false }, 'CLOSE')).toEqual({ ok: true, to: 'CLOSED' });
  });
});
