import { and, eq, inArray } from 'drizzle-orm';
import { appealCategories, appeals, appealTransitions, merchantAnswers } from '../../src/db/schema';
import { answerCounts, onTimePercent } from '../../src/domain/complaint-answers';
import { shanghaiToday } from '../../src/domain/local-date';
import { ACCEPTED_COMPLAINT_STATUSES, APPEAL_STATUSES } from '../../src/domain/appeal-workflow';
import { drivers } from '../helpers/drivers';
import { auditCount, plainMerchants } from '../helpers/fixtures';
import { authHeader, startTestServer, type TestServer } from '../helpers/server';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateAppealInput!) {
    createAppeal(input: $input) {
      id status version regionCode consumerName consumerPhone
      deadlines { acceptance { dueOn onTime overdue provisional } answer { dueOn } }
    }
  }
`;
const ADVANCE = /* GraphQL */ `
  mutation ($input: AdvanceAppealInput!) {
    advanceAppeal(input: $input) { id status version acceptedAt concludedAt amountRecoveredFen deadlines { answer { dueOn } conclusion { dueOn } } }
  }
`;

describe.each(drivers)('appeals on %s', (driver) => {
  let server: TestServer;
  let supervisor: Record<string, string>;
  let otherSupervisor: Record<string, string>;
  let owner: Record<string, string>;
  let merchantId: string;

  beforeAll(async () => {
    server = await startTestServer(driver);
    const [m] = await plainMerchants(server.handle.db, '421303', 1, 20);
    merchantId = m!.id;
    supervisor = await authHeader({ sub: 'sup-zengdu', role: 'SUPERVISOR', regions: ['421300'] });
    otherSupervisor = await authHeader({ sub: 'sup-other', role: 'SUPERVISOR', regions: ['420100'] });
    owner = await authHeader({ sub: 'shop', role: 'MERCHANT', merchantIds: [merchantId] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const complaint = (over: Record<string, unknown> = {}) => ({
    type: 'COMPLAINT',
    channel: 'HOTLINE',
    merchantId,
    categoryCode: 'GOODS.FOOD',
    issueType: 'QUALITY',
    amountInvolvedFen: 12_800,
    consumerName: '张三丰',
    consumerPhone: '13912345678',
    details: '购买的月饼已过期',
    ...over,
  });

  it('registers a complaint with its acceptance deadline in working days', async () => {
    const before = await auditCount(server.handle.db);
    const { data, errors } = await server.gql(CREATE, { input: complaint({ receivedAt: '2024-09-27T02:00:00.000Z' }) }, supervisor);
    expect(errors).toBeUndefined();
    // Received Fri 2024-09-27: 09-29 (Sun, workday), 30, National Day, 10-08 … 10-11, 10-12 (Sat, workday) is the 7th.
    expect(data!.createAppeal).toMatchObject({
      status: 'RECEIVED',
      version: 1,
      regionCode: '421303',
      consumerName: '张三丰',
      deadlines: { acceptance: { dueOn: '2024-10-12', onTime: false, overdue: true, provisional: false }, answer: null },
    });
    expect(await auditCount(server.handle.db)).toBe(before + 1);
  });

  it('refuses a complaint without a merchant, naming the field', async () => {
    const { errors } = await server.gql(CREATE, { input: complaint({ merchantId: null }) }, supervisor);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.merchantId' });
  });

  it('takes a complaint through acceptance and mediation, recording every step', async () => {
    const created = (await server.gql(CREATE, { input: complaint() }, supervisor)).data!.createAppeal;
    const accepted = await server.gql(ADVANCE, { input: { id: created.id, action: 'ACCEPT', expectedVersion: 1 } }, supervisor);
    expect(accepted.data!.advanceAppeal).toMatchObject({ status: 'ACCEPTED', version: 2 });
    expect(accepted.data!.advanceAppeal.deadlines.answer.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await server.gql(ADVANCE, { input: { id: created.id, action: 'START_MEDIATION', expectedVersion: 2 } }, supervisor);
    const mediated = await server.gql(
      ADVANCE,
      { input: { id: created.id, action: 'MEDIATE', expectedVersion: 3, amountRecoveredFen: 12_800 } },
      supervisor,
    );
    expect(mediated.data!.advanceAppeal).toMatchObject({ status: 'MEDIATED', version: 4, amountRecoveredFen: 12_800 });
    const steps = await server.handle.db.select().from(appealTransitions).where(eq(appealTransitions.appealId, created.id));
    expect(steps.map((s) => s.toStatus).sort()).toEqual(['ACCEPTED', 'IN_MEDIATION', 'MEDIATED', 'RECEIVED']);
    expect(steps.filter((s) => s.toStatus !== 'RECEIVED').every((s) => s.actor === 'sup-zengdu')).toBe(true);
  });

  it('refuses an illegal step and a stale version, changing nothing', async () => {
    const created = (await server.gql(CREATE, { input: complaint() }, supervisor)).data!.createAppeal;
    const before = await auditCount(server.handle.db);
    const illegal = await server.gql(ADVANCE, { input: { id: created.id, action: 'MEDIATE', expectedVersion: 1 } }, supervisor);
    expect(illegal.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', status: 'RECEIVED' });
    await server.gql(ADVANCE, { input: { id: created.id, action: 'ACCEPT', expectedVersion: 1 } }, supervisor);
    // A second supervisor acting on what they saw before the first one's step.
    const stale = await server.gql(ADVANCE, { input: { id: created.id, action: 'REJECT', expectedVersion: 1, reason: '不属于受理范围' } }, supervisor);
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const [row] = await server.handle.db.select().from(appeals).where(eq(appeals.id, created.id));
    expect(row).toMatchObject({ status: 'ACCEPTED', version: 2, rejectedAt: null });
    expect(await auditCount(server.handle.db)).toBe(before + 1);
  });

  it('refuses to extend a report whose 15 working days have run out, changing nothing', async () => {
    const report = complaint({ type: 'REPORT', channel: 'HOTLINE', issueType: null, amountInvolvedFen: null, receivedAt: '2024-02-05T01:00:00.000Z' });
    const created = await server.gql(CREATE, { input: report }, supervisor);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createAppeal.id;
    const before = await auditCount(server.handle.db);
    const late = await server.gql(ADVANCE, { input: { id, action: 'EXTEND_VERIFICATION', expectedVersion: 1 } }, supervisor);
    expect(late.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', verificationDueOn: '2024-03-01' });
    expect(late.errors![0]!.message).toMatch(/ran out on 2024-03-01/);
    const [row] = await server.handle.db.select().from(appeals).where(eq(appeals.id, id));
    expect(row).toMatchObject({ version: 1, verificationExtendedAt: null, verificationDueOn: '2024-03-01' });
    expect(await auditCount(server.handle.db)).toBe(before);
  });

  it('lets only the merchant concerned answer, and only an accepted complaint', async () => {
    const created = (await server.gql(CREATE, { input: complaint() }, supervisor)).data!.createAppeal;
    const ANSWER = `mutation ($input: AnswerComplaintInput!) { answerComplaint(input: $input) { id body } }`;
    const early = await server.gql(ANSWER, { input: { appealId: created.id, body: '我们会处理' } }, owner);
    expect(early.errors![0]!.extensions!.code).toBe('CONFLICT');
    await server.gql(ADVANCE, { input: { id: created.id, action: 'ACCEPT', expectedVersion: 1 } }, supervisor);
    const foreign = await authHeader({ sub: 'x', role: 'MERCHANT', merchantIds: ['00000000-0000-4000-8000-000000000000'] });
    expect((await server.gql(ANSWER, { input: { appealId: created.id, body: '不是我们' } }, foreign)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const answered = await server.gql(ANSWER, { input: { appealId: created.id, body: '已联系消费者退款' } }, owner);
    expect(answered.errors).toBeUndefined();
    const shown = await server.gql(
      `query ($id: ID!) { appeal(id: $id) { answers { body } deadlines { answer { doneOn onTime } } } }`,
      { id: created.id },
      owner,
    );
    expect(shown.data!.appeal.answers).toEqual([{ body: '已联系消费者退款' }]);
    expect(shown.data!.appeal.deadlines.answer.onTime).toBe(true);
  });

  it('shows the merchant its complaints with the phone masked and only the surname', async () => {
    const { data } = await server.gql(
      `query ($id: ID) { merchant(id: $id) { complaints(first: 5) { edges { node { consumerName consumerPhone details } } } } }`,
      { id: merchantId },
      owner,
    );
    const node = data!.merchant.complaints.edges[0].node;
    expect(node).toEqual({ consumerName: '张', consumerPhone: '139****5678', details: '购买的月饼已过期' });
  });

  it('lists what is overdue in a region for its supervisors only', async () => {
    const due = await server.gql(`{ appealsDue(regionCode: "421303", withinWorkingDays: 0) { totalCount edges { node { id status } } } }`, {}, supervisor);
    expect(due.errors).toBeUndefined();
    expect(due.data!.appealsDue.totalCount).toBeGreaterThanOrEqual(1);
    const outside = await server.gql(`{ appealsDue(regionCode: "421303") { totalCount } }`, {}, otherSupervisor);
    expect(outside.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('gives the public counts by category, issue and outcome, and no appeal itself', async () => {
    const { data, errors } = await server.gql(
      `query ($id: ID) { merchant(id: $id) { complaintSummary { received accepted byYear { key count } byIssueType { key label count } byOutcome { key count } } } }`,
      { id: merchantId },
    );
    expect(errors).toBeUndefined();
    const summary = data!.merchant.complaintSummary;
    const rows = await server.handle.db.select().from(appeals).where(eq(appeals.merchantId, merchantId));
    expect(summary.received).toBe(rows.filter((r) => r.type === 'COMPLAINT').length);
    expect(summary.accepted).toBe(rows.filter((r) => r.acceptedAt).length);
    expect(summary.byIssueType).toContainEqual({ key: 'QUALITY', label: '质量', count: summary.accepted });
    expect(summary.byOutcome).toContainEqual({ key: 'MEDIATED', count: 1 });
  });

  it('gives each merchant of a page its own complaint counts, the largest first', async () => {
    const { data, errors } = await server.gql(
      `{ merchants(filter: { regionCode: "421303" }, first: 60) { edges { node { id complaintSummary {
          received accepted byYear { key count } byCategory { key label count } byIssueType { key label count } byOutcome { key count }
          answers { answerable answered answeredOnTime onTimePercent } } } } } }`,
    );
    expect(errors).toBeUndefined();
    const nodes: { id: string; complaintSummary: Record<string, any> }[] = data!.merchants.edges.map((e: any) => e.node);
    const ids = nodes.map((n) => n.id);
    const rows = await server.handle.db.select().from(appeals).where(and(inArray(appeals.merchantId, ids), eq(appeals.type, 'COMPLAINT')));
    const labels = new Map((await server.handle.db.select().from(appealCategories)).map((c) => [c.code, c.nameZh]));
    const tally = (list: typeof rows, key: (r: (typeof rows)[number]) => string) => {
      const counts: Record<string, number> = {};
      for (const r of list) counts[key(r)] = (counts[key(r)] ?? 0) + 1;
      return counts;
    };
    const asCounts = (list: { key: string; count: number }[]) => Object.fromEntries(list.map((e) => [e.key, e.count]));
    const shanghaiYear = (at: Date) => String(new Date(at.getTime() + 8 * 3600_000).getUTCFullYear());
    // The answer share by the pure rule, from each complaint's first answer.
    const answers = await server.handle.db.select().from(merchantAnswers).where(inArray(merchantAnswers.merchantId, ids));
    const firstAnswer = new Map<string, Date>();
    for (const a of answers) if (!firstAnswer.has(a.appealId) || a.answeredAt < firstAnswer.get(a.appealId)!) firstAnswer.set(a.appealId, a.answeredAt);
    const today = shanghaiToday();
    let withLateOrMissingAnswers = 0;
    let withAnswers = 0;
    let withComplaints = 0;
    for (const { id, complaintSummary: summary } of nodes) {
      const own = rows.filter((r) => r.merchantId === id);
      const accepted = own.filter((r) => (ACCEPTED_COMPLAINT_STATUSES as readonly string[]).includes(r.status));
      if (accepted.length > 1) withComplaints++;
      expect(summary.received).toBe(own.length);
      expect(summary.accepted).toBe(own.filter((r) => r.acceptedAt).length);
      expect(asCounts(summary.byYear)).toEqual(tally(own, (r) => shanghaiYear(r.receivedAt)));
      expect(summary.byYear.map((e: any) => e.key)).toEqual([...summary.byYear.map((e: any) => e.key)].sort());
      expect(asCounts(summary.byCategory)).toEqual(tally(accepted, (r) => r.categoryCode ?? 'UNSPECIFIED'));
      expect(asCounts(summary.byIssueType)).toEqual(tally(accepted, (r) => r.issueType ?? 'UNSPECIFIED'));
      expect(asCounts(summary.byOutcome)).toEqual(tally(accepted, (r) => r.status));
      const expected = { answerable: 0, answered: 0, answeredOnTime: 0 };
      for (const r of own) {
        const counts = answerCounts({ acceptedAt: r.acceptedAt, answerDueOn: r.answerDueOn, firstAnswerAt: firstAnswer.get(r.id) ?? null }, today);
        for (const key of ['answerable', 'answered', 'answeredOnTime'] as const) if (counts[key]) expected[key]++;
      }
      expect(summary.answers).toEqual({ ...expected, onTimePercent: onTimePercent(expected.answeredOnTime, expected.answerable) });
      if (expected.answeredOnTime > 0) withAnswers++;
      if (expected.answerable > expected.answeredOnTime) withLateOrMissingAnswers++;
      for (const entry of summary.byCategory) expect(entry.label).toBe(labels.get(entry.key) ?? null);
      for (const list of [summary.byCategory, summary.byIssueType]) {
        for (let i = 1; i < list.length; i++) {
          const [a, b] = [list[i - 1], list[i]];
          expect(a.count > b.count || (a.count === b.count && (a.key < b.key || b.key === 'UNSPECIFIED'))).toBe(true);
        }
      }
      const order: readonly string[] = APPEAL_STATUSES;
      expect(summary.byOutcome.map((e: any) => e.key)).toEqual([...summary.byOutcome.map((e: any) => e.key)].sort((a: string, b: string) => order.indexOf(a) - order.indexOf(b)));
    }
    // The page must hold merchants with several accepted complaints for the orders to be tested,
    // and on-time, late and missing answers for the answer share to be.
    expect(withComplaints).toBeGreaterThan(5);
    expect(withAnswers).toBeGreaterThan(2);
    expect(withLateOrMissingAnswers).toBeGreaterThan(2);
  });

  it('reads afresh in a mutation what an earlier mutation of the same request changed', async () => {
    const twice = /* GraphQL */ `
      mutation ($a: CreateAppealInput!, $b: CreateAppealInput!) {
        a: createAppeal(input: $a) { merchant { complaintSummary { received } } }
        b: createAppeal(input: $b) { merchant { complaintSummary { received } } }
      }
    `;
    const { data, errors } = await server.gql(twice, { a: complaint(), b: complaint() }, supervisor);
    expect(errors).toBeUndefined();
    expect(data!.b.merchant.complaintSummary.received).toBe(data!.a.merchant.complaintSummary.received + 1);
  });

  it('files a pattern response for the merchant’s own issue type', async () => {
    const { data, errors } = await server.gql(
      `mutation ($input: FilePatternResponseInput!) { filePatternResponse(input: $input) { issueType body } }`,
      { input: { merchantId, issueType: 'QUALITY', body: '已下架临期食品并建立进货查验制度' } },
      owner,
    );
    expect(errors).toBeUndefined();
    expect(data!.filePatternResponse.issueType).toBe('QUALITY');
    // The public sees what was done, about which issue and when: nothing about who recorded it.
    const shown = await server.gql(`query ($id: ID) { merchant(id: $id) { complaintSummary { patternResponses { issueType issueTypeLabel respondedOn body } } } }`, { id: merchantId });
    expect(shown.errors).toBeUndefined();
    expect(shown.data!.merchant.complaintSummary.patternResponses[0]).toEqual({
      issueType: 'QUALITY',
      issueTypeLabel: '质量',
      respondedOn: shanghaiToday(),
      body: '已下架临期食品并建立进货查验制度',
    });
  });

  it('counts an answer on time, late or missing in the public answer share', async () => {
    const summary = async () =>
      (await server.gql(`query ($id: ID) { merchant(id: $id) { complaintSummary { answers { answerable answered answeredOnTime onTimePercent } } } }`, { id: merchantId })).data!
        .merchant.complaintSummary.answers;
    const before = await summary();
    const { data } = await server.gql(CREATE, { input: complaint() }, supervisor);
    const id = data!.createAppeal.id;
    const accepted = await server.gql(ADVANCE, { input: { id, action: 'ACCEPT', expectedVersion: 1 } }, supervisor);
    expect(accepted.errors).toBeUndefined();
    // Accepted and unanswered within its answer period: not yet answerable.
    expect(await summary()).toEqual(before);
    const answered = await server.gql(`mutation ($input: AnswerComplaintInput!) { answerComplaint(input: $input) { id } }`, { input: { appealId: id, body: '已联系消费者协商退款' } }, owner);
    expect(answered.errors).toBeUndefined();
    const after = await summary();
    expect(after).toMatchObject({ answerable: before.answerable + 1, answered: before.answered + 1, answeredOnTime: before.answeredOnTime + 1 });
    expect(after.onTimePercent).toBe(onTimePercent(after.answeredOnTime, after.answerable));
    // Answered late: the due day moved into the past stays answered, but not on time.
    await server.handle.db.update(appeals).set({ answerDueOn: '2020-01-02' }).where(eq(appeals.id, id));
    expect(await summary()).toMatchObject({ answerable: after.answerable, answered: after.answered, answeredOnTime: after.answeredOnTime - 1 });
  });
});
