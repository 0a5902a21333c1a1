/**
 * Builds a consistent appeal record, with its workflow history, from known facts: a new appeal
 * from the intake form, or a historic one from a 12315 export. Every step must be legal in the
 * state machine and in time order. Pure.
 */
import { transition, type AppealAction, type AppealStatus, type AppealType, type WorkflowState } from './appeal-workflow';
import { extensionRefusal } from './appeal-deadlines';

export interface AppealFacts {
  type: AppealType;
  /** The status the appeal has reached. */
  status: AppealStatus;
  receivedAt: Date;
  acceptedAt?: Date | null;
  rejectedAt?: Date | null;
  rejectionReason?: string | null;
  mediationStartedAt?: Date | null;
  concludedAt?: Date | null;
  verificationStartedAt?: Date | null;
  verificationExtendedAt?: Date | null;
  decidedAt?: Date | null;
  closedAt?: Date | null;
}

export interface HistoryStep {
  action: AppealAction | 'RECEIVE';
  from: AppealStatus | null;
  to: AppealStatus;
  at: Date;
}

export interface AppealTimestamps {
  acceptedAt: Date | null;
  rejectedAt: Date | null;
  rejectionReason: string | null;
  mediationStartedAt: Date | null;
  concludedAt: Date | null;
  verificationExtendedAt: Date | null;
  decidedAt: Date | null;
  caseFiledAt: Date | null;
}

export interface FactProblem {
  /** The fact at fault, e.g. `acceptedAt`. */
  field: keyof AppealFacts;
  message: string;
}

export type AppealRecordResult =
  | { ok: true; history: HistoryStep[]; timestamps: AppealTimestamps }
  | { ok: false; problems: FactProblem[] };

type Step = { action: AppealAction; at: Date | null | undefined; field: keyof AppealFacts };

/** The steps that lead to each status, per type (the path through the state machine). */
function pathTo(facts: AppealFacts): Step[] | null {
  const f = facts;
  const accept: Step = { action: 'ACCEPT', at: f.acceptedAt, field: 'acceptedAt' };
  const mediation: Step[] = f.mediationStartedAt ? [{ action: 'START_MEDIATION', at: f.mediationStartedAt, field: 'mediationStartedAt' }] : [];
  const conclude = (action: AppealAction): Step => ({ action, at: f.concludedAt, field: 'concludedAt' });
  const verification: Step[] = [
    ...(f.verificationStartedAt ? [{ action: 'START_VERIFICATION' as const, at: f.verificationStartedAt, field: 'verificationStartedAt' as const }] : []),
    ...(f.verificationExtendedAt ? [{ action: 'EXTEND_VERIFICATION' as const, at: f.verificationExtendedAt, field: 'verificationExtendedAt' as const }] : []),
  ];
  const decide = (action: AppealAction): Step => ({ action, at: f.decidedAt, field: 'decidedAt' });
  switch (`${f.type}:${f.status}`) {
    case 'COMPLAINT:RECEIVED':
    case 'REPORT:RECEIVED':
    case 'CONSULTATION:RECEIVED':
    case 'PRAISE:RECEIVED':
      return f.type === 'REPORT' ? verification.filter((s) => s.action === 'EXTEND_VERIFICATION') : [];
    case 'COMPLAINT:REJECTED':
      return [{ action: 'REJECT', at: f.rejectedAt, field: 'rejectedAt' }];
    case 'COMPLAINT:ACCEPTED':
      return [accept];
    case 'COMPLAINT:IN_MEDIATION':
      return [accept, { action: 'START_MEDIATION', at: f.mediationStartedAt, field: 'mediationStartedAt' }];
    case 'COMPLAINT:MEDIATED':
      return [accept, ...mediation, conclude('MEDIATE')];
    case 'COMPLAINT:MEDIATION_FAILED':
      return [accept, ...mediation, conclude('FAIL_MEDIATION')];
    case 'COMPLAINT:WITHDRAWN':
      return [accept, ...mediation, conclude('WITHDRAW')];
    case 'REPORT:VERIFYING':
      return verification.length && verification[0]!.action === 'START_VERIFICATION'
        ? verification
        : [{ action: 'START_VERIFICATION', at: f.verificationStartedAt, field: 'verificationStartedAt' }, ...verification];
    case 'REPORT:CASE_FILED':
      return [...verification, decide('FILE_CASE')];
    case 'REPORT:NOT_FILED':
      return [...verification, decide('DECLINE_CASE')];
    case 'CONSULTATION:CLOSED':
    case 'PRAISE:CLOSED':
      return [{ action: 'CLOSE', at: f.closedAt ?? f.receivedAt, field: 'closedAt' }];
    default:
      return null;
  }
}

/** Checks the facts and lays out the history that produced them. */
export function buildAppealRecord(facts: AppealFacts): AppealRecordResult {
  const steps = pathTo(facts);
  if (!steps) return { ok: false, problems: [{ field: 'status', message: `a ${facts.type} cannot be ${facts.status}` }] };

  const problems: FactProblem[] = [];
  const history: HistoryStep[] = [{ action: 'RECEIVE', from: null, to: 'RECEIVED', at: facts.receivedAt }];
  let state: WorkflowState = { type: facts.type, status: 'RECEIVED', verificationExtended: false };
  let last = facts.receivedAt;
  for (const step of steps) {
    if (!step.at) {
      problems.push({ field: step.field, message: `${String(step.field)} is required for status ${facts.status}` });
      continue;
    }
    if (step.at.getTime() < last.getTime()) {
      problems.push({ field: step.field, message: `${String(step.field)} is earlier than the step before it` });
    }
    const result = transition(state, step.action);
    if (!result.ok) {
      problems.push({ field: step.field, message: result.reason });
      continue;
    }
    const late = step.action === 'EXTEND_VERIFICATION' ? extensionRefusal(facts.receivedAt, step.at) : null;
    if (late) problems.push({ field: step.field, message: late });
    history.push({ action: step.action, from: state.status, to: result.to, at: step.at });
    state = { ...state, status: result.to, verificationExtended: state.verificationExtended || step.action === 'EXTEND_VERIFICATION' };
    last = step.at;
  }
  if (facts.status === 'REJECTED' && !facts.rejectionReason?.trim()) {
    problems.push({ field: 'rejectionReason', message: 'a rejected complaint needs a reason' });
  }
  // Facts that the path did not use would be silently lost: refuse them instead.
  const used = new Set(steps.map((s) => s.field));
  for (const field of ['acceptedAt', 'rejectedAt', 'mediationStartedAt', 'concludedAt', 'verificationStartedAt', 'verificationExtendedAt', 'decidedAt', 'closedAt'] as const) {
    if (facts[field] && !used.has(field)) problems.push({ field, message: `${field} does not fit a ${facts.type} with status ${facts.status}` });
  }
  if (problems.length) return { ok: false, problems };

  const at = (action: AppealAction) => history.find((h) => h.action === action)?.at ?? null;
  return {
    ok: true,
    history,
    timestamps: {
      acceptedAt: at('ACCEPT'),
      rejectedAt: at('REJECT'),
      rejectionReason: facts.status === 'REJECTED' ? facts.rejectionReason!.trim() : null,
      mediationStartedAt: at('START_MEDIATION'),
      concludedAt: at('MEDIATE') ?? at('FAIL_MEDIATION') ?? at('WITHDRAW'),
      verificationExtendedAt: at('EXTEND_VERIFICATION'),
      decidedAt: at('FILE_CASE') ?? at('DECLINE_CASE'),
      caseFiledAt: at('FILE_CASE'),
    },
  };
}
