/**
 * The 12315 appeal workflow as an explicit state machine. Pure: no GraphQL, no database.
 *
 * COMPLAINT: RECEIVED → ACCEPTED | REJECTED (7 working days, Art. 14); ACCEPTED → IN_MEDIATION;
 * ACCEPTED | IN_MEDIATION → MEDIATED | MEDIATION_FAILED | WITHDRAWN (45 working days, Art. 21).
 * REPORT: RECEIVED → VERIFYING → CASE_FILED | NOT_FILED (15 working days, extendable once by 15,
 * 行政处罚程序规定 Art. 18). CONSULTATION and PRAISE: RECEIVED → CLOSED.
 */

export type AppealType = 'CONSULTATION' | 'COMPLAINT' | 'REPORT' | 'PRAISE';
export type AppealStatus =
  | 'RECEIVED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'IN_MEDIATION'
  | 'MEDIATED'
  | 'MEDIATION_FAILED'
  | 'WITHDRAWN'
  | 'VERIFYING'
  | 'CASE_FILED'
  | 'NOT_FILED'
  | 'CLOSED';

export const APPEAL_ACTIONS = [
  'ACCEPT',
  'REJECT',
  'START_MEDIATION',
  'MEDIATE',
  'FAIL_MEDIATION',
  'WITHDRAW',
  'START_VERIFICATION',
  'EXTEND_VERIFICATION',
  'FILE_CASE',
  'DECLINE_CASE',
  'CLOSE',
] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];

type Table = Partial<Record<AppealStatus, Partial<Record<AppealAction, AppealStatus>>>>;

const WORKFLOWS: Record<AppealType, Table> = {
  COMPLAINT: {
    RECEIVED: { ACCEPT: 'ACCEPTED', REJECT: 'REJECTED' },
    ACCEPTED: { START_MEDIATION: 'IN_MEDIATION', MEDIATE: 'MEDIATED', FAIL_MEDIATION: 'MEDIATION_FAILED', WITHDRAW: 'WITHDRAWN' },
    IN_MEDIATION: { MEDIATE: 'MEDIATED', FAIL_MEDIATION: 'MEDIATION_FAILED', WITHDRAW: 'WITHDRAWN' },
  },
  REPORT: {
    RECEIVED: { START_VERIFICATION: 'VERIFYING', EXTEND_VERIFICATION: 'RECEIVED', FILE_CASE: 'CASE_FILED', DECLINE_CASE: 'NOT_FILED' },
    VERIFYING: { EXTEND_VERIFICATION: 'VERIFYING', FILE_CASE: 'CASE_FILED', DECLINE_CASE: 'NOT_FILED' },
  },
  CONSULTATION: { RECEIVED: { CLOSE: 'CLOSED' } },
  PRAISE: { RECEIVED: { CLOSE: 'CLOSED' } },
};

/** Statuses that end a complaint's mediation ("concluded" in the rating and the report). */
export const CONCLUDED_COMPLAINT_STATUSES: readonly AppealStatus[] = ['MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'];

/** Whether nothing further can happen to an appeal in this status. */
export function isFinal(type: AppealType, status: AppealStatus): boolean {
  return Object.keys(WORKFLOWS[type][status] ?? {}).length === 0;
}

export interface WorkflowState {
  type: AppealType;
  status: AppealStatus;
  /** REPORT: whether the verification period was already extended (at most once). */
  verificationExtended: boolean;
}

export type TransitionResult = { ok: true; to: AppealStatus } | { ok: false; reason: string };

/** What `action` does to an appeal in `state`, or why it cannot be done. */
export function transition(state: WorkflowState, action: AppealAction): TransitionResult {
  const to = WORKFLOWS[state.type][state.status]?.[action];
  if (!to) {
    const allowed = allowedActions(state);
    return {
      ok: false,
      reason: `${action} is not possible for a ${state.type} in status ${state.status}${
        allowed.length ? ` (possible: ${allowed.join(', ')})` : ' (no further steps)'
      }`,
    };
  }
  if (action === 'EXTEND_VERIFICATION' && state.verificationExtended) {
    return { ok: false, reason: 'The verification period can be extended only once' };
  }
  return { ok: true, to };
}

/** The actions possible now. */
export function allowedActions(state: WorkflowState): AppealAction[] {
  const actions = Object.keys(WORKFLOWS[state.type][state.status] ?? {}) as AppealAction[];
  return state.verificationExtended ? actions.filter((a) => a !== 'EXTEND_VERIFICATION') : actions;
}
