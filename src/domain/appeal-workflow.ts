/**
 * The 12315 appeal workflow as an explicit state machine. Pure: no GraphQL, no database.
 *
 * COMPLAINT: RECEIVED → ACCEPTED | REJECTED (7 working days, Art. 14); ACCEPTED → IN_MEDIATION;
 * ACCEPTED | IN_MEDIATION → MEDIATED | MEDIATION_FAILED | WITHDRAWN (45 working days, Art. 21).
 * REPORT: RECEIVED → VERIFYING → CASE_FILED | NOT_FILED (15 working days, extendable once by 15,
 * 行政处罚程序规定 Art. 18). CONSULTATION and PRAISE: RECEIVED → CLOSED.
 */

export type AppealType = 'CONSULTATION' | 'COMPLAINT' | 'REPORT' | 'PRAISE';
/** One status set for every appeal type (the database enum is checked against it in the tests). */
export const APPEAL_STATUSES = [
  'RECEIVED',
  'ACCEPTED',
  'REJECTED',
  'IN_MEDIATION',
  'MEDIATED',
  'MEDIATION_FAILED',
  'WITHDRAWN',
  'VERIFYING',
  'CASE_FILED',
  'NOT_FILED',
  'CLOSED',
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

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

/** The status every appeal is received in. */
export const RECEIVED: AppealStatus = 'RECEIVED';
/** The status a consultation or praise is closed in. */
export const CLOSED: AppealStatus = 'CLOSED';

/** Statuses that end a complaint's mediation ("concluded" in the rating and the report). */
export const CONCLUDED_COMPLAINT_STATUSES = ['MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'] as const satisfies readonly AppealStatus[];
/** The concluded complaints the rating counts as resolved (its "resolution" factor). */
export const RESOLVED_COMPLAINT_STATUSES = ['MEDIATED', 'WITHDRAWN'] as const satisfies readonly AppealStatus[];
/** The concluded complaints whose mediation succeeded (the report's mediation success). */
export const MEDIATED_STATUSES = ['MEDIATED'] as const satisfies readonly AppealStatus[];
/** Concluded complaints whose mediation did not succeed (the report's "not successful" list). */
export const UNSUCCESSFUL_MEDIATION_STATUSES = ['MEDIATION_FAILED', 'WITHDRAWN'] as const satisfies readonly AppealStatus[];
/** Statuses in which a complaint was accepted (its merchant may answer it). */
export const ACCEPTED_COMPLAINT_STATUSES = ['ACCEPTED', 'IN_MEDIATION', ...CONCLUDED_COMPLAINT_STATUSES] as const satisfies readonly AppealStatus[];
/** A complaint handled: rejected, or accepted and concluded (the street's complaint-handling target). */
export const HANDLED_COMPLAINT_STATUSES = ['REJECTED', ...CONCLUDED_COMPLAINT_STATUSES] as const satisfies readonly AppealStatus[];
/** A report decided: a case filed or not. */
export const DECIDED_REPORT_STATUSES = ['CASE_FILED', 'NOT_FILED'] as const satisfies readonly AppealStatus[];

/** Whether a complaint in this status has concluded. */
export function isConcludedComplaint(status: string): boolean {
  return (CONCLUDED_COMPLAINT_STATUSES as readonly string[]).includes(status);
}

/** The step an appeal waits for, by type and status; its deadline is the one that matters now. */
export const PENDING_STEP = {
  acceptance: { type: 'COMPLAINT', statuses: ['RECEIVED'] },
  conclusion: { type: 'COMPLAINT', statuses: ['ACCEPTED', 'IN_MEDIATION'] },
  verification: { type: 'REPORT', statuses: ['RECEIVED', 'VERIFYING'] },
} as const satisfies Record<string, { type: AppealType; statuses: readonly AppealStatus[] }>;
export type PendingStep = keyof typeof PENDING_STEP;

/** The step an appeal in this state waits for, or null when none has a deadline. */
export function pendingStep(type: AppealType, status: AppealStatus): PendingStep | null {
  for (const [step, rule] of Object.entries(PENDING_STEP) as [PendingStep, { type: AppealType; statuses: readonly AppealStatus[] }][]) {
    if (rule.type === type && rule.statuses.includes(status)) return step;
  }
  return null;
}

/**
 * Statuses in which nothing further can happen, whatever the type: REJECTED, MEDIATED,
 * MEDIATION_FAILED, WITHDRAWN, CASE_FILED, NOT_FILED, CLOSED. Derived from the state machine.
 */
export const FINAL_STATUSES: readonly AppealStatus[] = [
  ...new Set(
    (Object.keys(WORKFLOWS) as AppealType[]).flatMap((type) =>
      Object.values(WORKFLOWS[type]).flatMap((moves) => Object.values(moves ?? {}).filter((to) => isFinal(type, to))),
    ),
  ),
];

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
