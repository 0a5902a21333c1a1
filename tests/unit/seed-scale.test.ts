import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { appealDeadlines } from '../../src/domain/appeal-deadlines';
import { transition, type AppealAction, type WorkflowState } from '../../src/domain/appeal-workflow';
import { balanceOf } from '../../src/domain/ledger';
import { validateUscc } from '../../src/domain/uscc';
import { blockSizes, generateScaleSeed, scaleRowId, type ScaleBlock } from '../../seeds/scale';

/** Two blocks (1,300 merchants each): what holds across a block boundary is checked too. */
const MERCHANTS = 2600;

const digest = (blocks: ScaleBlock[]) => createHash('sha1').update(JSON.stringify(blocks)).digest('hex');

describe('the scale seed generator', () => {
  let blocks: ScaleBlock[];
  const all = <K extends keyof ScaleBlock>(key: K) => blocks.flatMap((b) => b[key] as unknown[]) as ScaleBlock[K];

  beforeAll(() => {
    blocks = [...generateScaleSeed({ merchants: MERCHANTS })];
  });

  it('cuts the world into blocks of at most 2,400 merchants, as equal as can be', () => {
    expect(blockSizes(100_000)).toHaveLength(42);
    expect(blockSizes(100_000).reduce((s, n) => s + n, 0)).toBe(100_000);
    expect(Math.max(...blockSizes(100_000)) - Math.min(...blockSizes(100_000))).toBeLessThanOrEqual(1);
    expect(blockSizes(2400)).toEqual([2400]);
    expect(blocks.map((b) => b.merchants.length)).toEqual([1300, 1300]);
  });

  it('refuses a size too small for a block, or not a whole number', () => {
    expect(() => blockSizes(199)).toThrow(RangeError);
    expect(() => blockSizes(1000.5)).toThrow(RangeError);
  });

  it('draws the same world on every run', () => {
    expect(digest([...generateScaleSeed({ merchants: MERCHANTS })])).toBe(digest(blocks));
    const other = generateScaleSeed({ merchants: MERCHANTS, seed: 7 }).next().value as ScaleBlock;
    expect(other.merchants.map((m) => m.uscc)).not.toEqual(blocks[0]!.merchants.map((m) => m.uscc));
  });

  it('has exactly ten appeals per merchant, each against a merchant of its own block', () => {
    expect(all('appeals')).toHaveLength(MERCHANTS * 10);
    for (const block of blocks) {
      const ids = new Set(block.merchants.map((m) => m.id));
      expect(block.appeals.filter((a) => a.merchantId !== null && !ids.has(a.merchantId))).toEqual([]);
      // Tenants, funds and payouts stay inside the block too, so a block can be rated alone.
      expect(block.merchants.filter((m) => m.hostMerchantId && !ids.has(m.hostMerchantId))).toEqual([]);
      expect(block.fundLedgerEntries.filter((e) => e.tenantMerchantId && !ids.has(e.tenantMerchantId))).toEqual([]);
    }
  });

  it('gives every merchant a distinct, valid USCC of its kind and its derived id', () => {
    const merchants = all('merchants');
    expect(new Set(merchants.map((m) => m.uscc)).size).toBe(MERCHANTS);
    for (const m of merchants) expect(validateUscc(m.uscc)).toMatchObject({ valid: true, kind: m.kind });
  });

  it('never gives two rows of a table the same id or two appeals the same external id, across blocks', () => {
    for (const key of ['merchants', 'appeals', 'appealTransitions', 'merchantAnswers', 'returnPledges', 'disputeEnrollments', 'fundLedgerEntries', 'demonstrationStreets'] as const) {
      const ids = (all(key) as Array<{ id?: string }>).map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(new Set(all('appeals').map((a) => a.externalId)).size).toBe(MERCHANTS * 10);
    expect(new Set(all('demonstrationStreets').map((s) => `${s.regionCode}:${s.name}`)).size).toBe(blocks.length);
    expect(scaleRowId('appeal', 0)).not.toBe(scaleRowId('transition', 0));
    expect(scaleRowId('appeal', 2 ** 40)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('records each appeal with a legal workflow history, its timestamps, and the deadlines the domain gives them', () => {
    const history = new Map<string, ScaleBlock['appealTransitions']>();
    for (const t of all('appealTransitions')) history.set(t.appealId, [...(history.get(t.appealId) ?? []), t]);
    const answers = new Map(all('merchantAnswers').map((a) => [a.appealId, a.answeredAt]));
    const problems: string[] = [];
    for (const a of all('appeals')) {
      const steps = history.get(a.id)!;
      let state: WorkflowState = { type: a.type, status: 'RECEIVED', verificationExtended: false };
      const at = new Map<string, Date>();
      if (steps[0]!.fromStatus !== null || steps[0]!.toStatus !== 'RECEIVED' || steps[0]!.at.getTime() !== a.receivedAt.getTime()) problems.push(`${a.externalId}: not received first`);
      for (const step of steps.slice(1)) {
        const action = (step.detail as { action: AppealAction }).action;
        const moved = transition(state, action);
        if (!moved.ok || moved.to !== step.toStatus || step.fromStatus !== state.status) problems.push(`${a.externalId}: ${action} from ${state.status}`);
        state = { ...state, status: step.toStatus, verificationExtended: state.verificationExtended || action === 'EXTEND_VERIFICATION' };
        at.set(action, step.at);
      }
      if (state.status !== a.status) problems.push(`${a.externalId}: history ends in ${state.status}, the appeal is ${a.status}`);
      const expected = {
        acceptedAt: at.get('ACCEPT') ?? null,
        rejectedAt: at.get('REJECT') ?? null,
        mediationStartedAt: at.get('START_MEDIATION') ?? null,
        concludedAt: at.get('MEDIATE') ?? at.get('FAIL_MEDIATION') ?? at.get('WITHDRAW') ?? null,
        verificationExtendedAt: at.get('EXTEND_VERIFICATION') ?? null,
        decidedAt: at.get('FILE_CASE') ?? at.get('DECLINE_CASE') ?? null,
        caseFiledAt: at.get('FILE_CASE') ?? null,
      };
      const stored = Object.fromEntries(Object.keys(expected).map((k) => [k, a[k as keyof typeof expected] ?? null]));
      if (!isDeepStrictEqual(stored, expected)) problems.push(`${a.externalId}: timestamps ${JSON.stringify(stored)} against history ${JSON.stringify(expected)}`);
      const due = appealDeadlines({ ...a, firstAnswerAt: answers.get(a.id) ?? null }, '2026-12-01');
      const storedDue = [a.acceptanceDueOn, a.answerDueOn, a.conclusionDueOn, a.verificationDueOn];
      const domainDue = [due.acceptance?.dueOn ?? null, due.answer?.dueOn ?? null, due.conclusion?.dueOn ?? null, due.verification?.dueOn ?? null];
      if (!isDeepStrictEqual(storedDue, domainDue)) problems.push(`${a.externalId}: deadlines ${JSON.stringify(storedDue)}, domain ${JSON.stringify(domainDue)}`);
      if (a.amountRecoveredFen! > a.amountInvolvedFen!) problems.push(`${a.externalId}: recovered more than involved`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('covers every appeal type and a realistic spread of outcomes, some still open', () => {
    const count = (type: string, status?: string) => all('appeals').filter((a) => a.type === type && (!status || a.status === status)).length;
    expect(count('CONSULTATION')).toBeGreaterThan(0);
    expect(count('PRAISE')).toBeGreaterThan(0);
    expect(count('REPORT', 'CASE_FILED')).toBeGreaterThan(0);
    expect(count('COMPLAINT', 'MEDIATED') / count('COMPLAINT')).toBeGreaterThan(0.5);
    expect(count('COMPLAINT', 'RECEIVED') + count('COMPLAINT', 'ACCEPTED') + count('COMPLAINT', 'IN_MEDIATION')).toBeGreaterThan(0);
    expect(all('merchantAnswers').length).toBeGreaterThan(0);
  });

  it('has what the demo has, in proportion: hosts with funds and tenants, a street per block, stations, pledges, enrollments, credit entries', () => {
    const merchants = all('merchants');
    expect(all('compensationFunds').length).toBeGreaterThanOrEqual(2 * 7);
    expect(merchants.filter((m) => m.hostMerchantId).length).toBeGreaterThan(MERCHANTS * 0.05);
    expect(merchants.filter((m) => m.rightsServiceStation).length).toBeGreaterThanOrEqual(2 * 8);
    expect(all('demonstrationStreetMembers').length).toBeGreaterThanOrEqual(2 * 30);
    expect(all('returnPledges').length).toBeGreaterThan(MERCHANTS * 0.1);
    expect(all('pledgeStatusChanges').length).toBeGreaterThanOrEqual(all('returnPledges').length);
    expect(all('disputeEnrollments').length).toBeGreaterThan(MERCHANTS * 0.3);
    expect(all('creditListEntries').length).toBeGreaterThan(MERCHANTS * 0.02);
  });

  it('never takes a fund below zero', () => {
    const byFund = new Map<string, ScaleBlock['fundLedgerEntries']>();
    for (const e of [...all('fundLedgerEntries')].sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime())) {
      const entries = [...(byFund.get(e.fundId) ?? []), e];
      byFund.set(e.fundId, entries);
      expect(balanceOf(entries)).toBeGreaterThanOrEqual(0);
    }
  });
});
