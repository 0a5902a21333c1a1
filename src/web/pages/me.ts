import { html, type Html } from '../html';
import { page } from '../layout';
import { FACTOR_NAMES, STEP_NAMES } from '../labels';
import { firstError, type PageRequest, type WebDeps } from '../deps';
import { RATING_FIELDS, ratingSection, type RatingView } from './rating-view';
import { signInForm } from './sign-in';

const ME = /* GraphQL */ `
  query MePage($id: ID!, $changes: [RatingChange!]!, $withWhatIf: Boolean!) {
    merchant(id: $id) {
      id uscc name
      rating { ${RATING_FIELDS} }
      ratingWhatIf(changes: $changes) @include(if: $withWhatIf) { scoreDelta current { grade score factors { key points } } projected { grade score factors { key points reason } } }
      complaints(first: 20) {
        totalCount
        edges { node { id type status receivedAt consumerName consumerPhone details issueType
          deadlines { answer { dueOn overdue doneOn } } answers { body answeredAt } } }
      }
    }
  }
`;

const ANSWER = /* GraphQL */ `
  mutation AnswerComplaint($input: AnswerComplaintInput!) { answerComplaint(input: $input) { id answeredAt } }
`;

interface MeData {
  merchant: {
    id: string;
    uscc: string;
    name: string;
    rating: RatingView | null;
    ratingWhatIf?: {
      scoreDelta: number;
      current: { grade: string; score: number; factors: { key: string; points: number }[] };
      projected: { grade: string; score: number; factors: { key: string; points: number; reason: string }[] };
    } | null;
    complaints: {
      totalCount: number;
      edges: {
        node: {
          id: string;
          type: string;
          status: string;
          receivedAt: string;
          consumerName: string | null;
          consumerPhone: string | null;
          details: string | null;
          issueType: string | null;
          deadlines: { answer: { dueOn: string; overdue: boolean; doneOn: string | null } | null };
          answers: { body: string; answeredAt: string }[];
        };
      }[];
    } | null;
  } | null;
}

/** What /me was asked for: which merchant, which what-if steps, and what to report. */
export interface MeParams {
  merchant?: string;
  steps: string[];
  answered?: string;
  error?: string;
}

function signedInLabel(request: PageRequest): string {
  return `${request.viewer.role === 'MERCHANT' ? '商户' : request.viewer.role === 'SUPERVISOR' ? '监管人员' : '管理员'} ${request.viewer.sub}`;
}

/** `/me`: the merchant's rating explained, the what-if simulator, and its complaints (masked) with a form to answer. */
export async function mePage(deps: WebDeps, request: PageRequest, params: MeParams): Promise<{ status: number; body: string }> {
  const { viewer } = request;
  if (viewer.role !== 'MERCHANT') {
    const note = viewer.role === 'PUBLIC' ? undefined : '此页面供商户使用（监管人员请前往监管看板）；请用商户的令牌登录。';
    return { status: viewer.role === 'PUBLIC' ? 401 : 403, body: page({ title: '商户主页', current: 'me', signedInAs: viewer.role === 'PUBLIC' ? undefined : signedInLabel(request) }, html`<h1>商户主页</h1>${note ? html`<p class="error" role="alert">${note}</p>` : ''}${signInForm('/me', '商户')}`) };
  }
  const id = params.merchant && viewer.merchantIds.includes(params.merchant) ? params.merchant : viewer.merchantIds[0];
  if (!id) return { status: 403, body: page({ title: '商户主页', current: 'me', signedInAs: signedInLabel(request) }, html`<h1>商户主页</h1><p class="error" role="alert">此令牌没有关联任何商户。</p>`) };
  const steps = params.steps.filter((s) => s in STEP_NAMES);
  const result = await deps.run<MeData>({ query: ME, variables: { id, changes: steps.map((kind) => ({ kind })), withWhatIf: steps.length > 0 } }, request);
  const error = firstError(result);
  const m = result.data?.merchant;
  if (!m) {
    return { status: error?.code === 'BAD_USER_INPUT' ? 400 : 500, body: page({ title: '商户主页', current: 'me', signedInAs: signedInLabel(request) }, html`<h1>商户主页</h1><p class="error" role="alert">${error?.message ?? '没有这个商户。'}</p>`) };
  }
  const others = viewer.merchantIds.length > 1 ? html`<p>切换商户：${viewer.merchantIds.map((mid) => html`<a href="/me?merchant=${mid}">${mid === id ? html`<strong>${mid.slice(0, 8)}</strong>` : mid.slice(0, 8)}</a> `)}</p>` : '';
  const whatIf = m.ratingWhatIf;
  const body = html`<h1>${m.name}</h1>
<p>统一社会信用代码 ${m.uscc} · <a href="/m/${m.uscc}">公开页面</a></p>
${others}
${params.answered ? html`<p class="notice" role="status">已提交答复。</p>` : ''}
${params.error ? html`<p class="error" role="alert">${params.error}</p>` : ''}
${ratingSection(m.rating, 'rating-title')}
<section aria-labelledby="whatif-title">
<h2 id="whatif-title">如果……评分会怎样？</h2>
<form method="get" action="/me#whatif-title" class="what-if">
<input type="hidden" name="merchant" value="${m.id}">
<fieldset><legend>选择可以采取的措施</legend>
${Object.entries(STEP_NAMES).map(([kind, label]) => html`<label class="check"><input type="checkbox" name="step" value="${kind}"${steps.includes(kind) ? html` checked` : ''}> ${label}</label>`)}
</fieldset>
<button type="submit">计算</button>
</form>
${whatIf
  ? html`<p class="answer" data-testid="what-if">采取这些措施后：<strong data-testid="projected-score">${whatIf.projected.score.toFixed(2)}</strong> 分，<span class="grade grade-${whatIf.projected.grade}" data-testid="projected-grade">${whatIf.projected.grade}</span> 级（现在 ${whatIf.current.score.toFixed(2)} 分 ${whatIf.current.grade} 级，${whatIf.scoreDelta >= 0 ? '+' : ''}${whatIf.scoreDelta.toFixed(2)}）。</p>
${changedFactors(whatIf)}`
  : steps.length && error ? html`<p class="error" role="alert">${error.message}</p>` : ''}
</section>
<section aria-labelledby="complaints-title">
<h2 id="complaints-title">针对本商户的投诉（共 ${m.complaints?.totalCount ?? 0} 件，显示最近 20 件）</h2>
${m.complaints ? html`<ol class="complaints">${m.complaints.edges.map(({ node: a }) => complaintItem(deps, a))}</ol>` : html`<p class="error">${error?.message ?? ''}</p>`}
</section>`;
  return { status: 200, body: page({ title: '商户主页', current: 'me', signedInAs: signedInLabel(request) }, body) };
}

/** The factors a what-if changes, each with the API's reason for its projected points. */
function changedFactors(whatIf: NonNullable<NonNullable<MeData['merchant']>['ratingWhatIf']>): Html {
  const before = new Map(whatIf.current.factors.map((f) => [f.key, f.points]));
  const changed = whatIf.projected.factors.filter((f) => before.get(f.key) !== f.points);
  if (changed.length === 0) return html``;
  return html`<ul class="what-if-factors">${changed.map(
    (f) => html`<li data-factor="${f.key}"><strong>${FACTOR_NAMES[f.key] ?? f.key}</strong> ${before.get(f.key) ?? 0} → ${f.points}：<span class="reason">${f.reason}</span></li>`,
  )}</ul>`;
}

function complaintItem(deps: WebDeps, a: NonNullable<NonNullable<MeData['merchant']>['complaints']>['edges'][number]['node']): Html {
  const due = a.deadlines.answer;
  const answerable = a.status === 'ACCEPTED' && a.answers.length === 0;
  return html`<li id="appeal-${a.id}" data-status="${a.status}">
<p><strong>${deps.labels('AppealType', a.type)}</strong> · ${deps.labels('AppealStatus', a.status)} · 收到于 ${a.receivedAt.slice(0, 10)}${a.issueType ? html` · ${deps.labels('IssueType', a.issueType)}` : ''}</p>
<p class="meta">消费者：${a.consumerName ?? '—'} ${a.consumerPhone ?? ''}${due ? html` · 答复期限 ${due.dueOn}${due.overdue ? html` <span class="overdue">已逾期</span>` : ''}` : ''}</p>
${a.details ? html`<p>${a.details}</p>` : ''}
${a.answers.map((ans) => html`<blockquote>答复（${ans.answeredAt.slice(0, 10)}）：${ans.body}</blockquote>`)}
${answerable
  ? html`<form method="post" action="/me/answer" class="answer-form">
<input type="hidden" name="appealId" value="${a.id}">
<label for="answer-${a.id}">答复</label>
<textarea id="answer-${a.id}" name="body" rows="3" required maxlength="2000"></textarea>
<button type="submit">提交答复</button>
</form>`
  : ''}
</li>`;
}

/** POST /me/answer: answers one complaint through the API's `answerComplaint`; the error text is the API's. */
export async function answerComplaint(deps: WebDeps, request: PageRequest, appealId: string, body: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const result = await deps.run<{ answerComplaint: { id: string } }>({ query: ANSWER, variables: { input: { appealId, body } } }, request);
  const error = firstError(result);
  return error || !result.data ? { ok: false, message: error?.message ?? '提交失败' } : { ok: true };
}
