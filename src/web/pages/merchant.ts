import { SUIZHOU_REGIONS } from '../../domain/region';
import { scoreLineSvg } from '../charts';
import { html, raw, type Html } from '../html';
import { page } from '../layout';
import { firstError, type PageRequest, type WebDeps } from '../deps';
import { RATING_FIELDS, ratingSection, type RatingView } from './rating-view';

const MERCHANT = /* GraphQL */ `
  query MerchantPage($uscc: String!) {
    merchant(uscc: $uscc) {
      uscc name kind industry regionCode address establishedOn tenancyKind rightsServiceStation
      host { uscc name }
      demonstrationStreets { name }
      rating { ${RATING_FIELDS} }
      ratingHistory(first: 30) { edges { node { asOf score grade cause } } }
      pledge { status scope scopeCategories windowDays effectiveFrom expiresOn exclusions signboardDisplayed
        history { at fromStatus toStatus reason } audits { auditedOn outcome } }
      disputeChannels { settlementPlatform { status since } odr { status since } }
      complaintSummary { received accepted byYear { key count } byCategory { key label count } byOutcome { key label count } byIssueType { key label count }
        answers { answerable answered answeredOnTime onTimePercent }
        patternResponses { issueType issueTypeLabel respondedOn body } }
    }
    goodsCategories { code nameZh }
  }
`;

const RETURN_CHECK = /* GraphQL */ `
  query ReturnCheck($uscc: String!, $receivedOn: Date!, $goodsCategory: String) {
    returnEligibility(uscc: $uscc, receivedOn: $receivedOn, goodsCategory: $goodsCategory) {
      eligible lastDay lastDayProvisional windowDays
      goodsCategory { nameZh }
      reasons { code blocking messageZh }
    }
  }
`;

interface Count {
  key: string;
  label?: string | null;
  count: number;
}

interface MerchantData {
  merchant: {
    uscc: string;
    name: string;
    kind: string;
    industry: string;
    regionCode: string;
    address: string;
    establishedOn: string;
    tenancyKind: string | null;
    rightsServiceStation: boolean;
    host: { uscc: string; name: string } | null;
    demonstrationStreets: { name: string }[];
    rating: RatingView | null;
    ratingHistory: { edges: { node: { asOf: string; score: number; grade: string; cause: string } }[] };
    pledge: {
      status: string;
      scope: string;
      scopeCategories: string[];
      windowDays: number;
      effectiveFrom: string;
      expiresOn: string | null;
      exclusions: string[];
      signboardDisplayed: boolean;
      history: { at: string; fromStatus: string | null; toStatus: string; reason: string | null }[];
      audits: { auditedOn: string; outcome: string }[];
    } | null;
    disputeChannels: { settlementPlatform: { status: string; since: string | null }; odr: { status: string; since: string | null } };
    complaintSummary: {
      received: number;
      accepted: number;
      byYear: Count[];
      byCategory: Count[];
      byOutcome: Count[];
      byIssueType: Count[];
      answers: { answerable: number; answered: number; answeredOnTime: number; onTimePercent: number | null };
      patternResponses: { issueType: string; issueTypeLabel: string; respondedOn: string; body: string }[];
    };
  } | null;
  goodsCategories: { code: string; nameZh: string }[];
}

type MerchantComplaints = NonNullable<MerchantData['merchant']>['complaintSummary'];

/** The answer of `returnEligibility` the page shows (and web/client/merchant.ts renders the same way). */
export interface ReturnCheckData {
  returnEligibility: {
    eligible: boolean;
    lastDay: string | null;
    lastDayProvisional: boolean;
    windowDays: number | null;
    goodsCategory: { nameZh: string } | null;
    reasons: { code: string; blocking: boolean; messageZh: string }[];
  } | null;
}

/** The return check's fields, as given in the query string. */
export interface ReturnCheckParams {
  receivedOn?: string;
  goods?: string;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

function counts(title: string, rows: Count[]): Html {
  if (rows.length === 0) return html``;
  return html`<table class="counts"><caption>${title}</caption><tbody>${rows.map(
    (r) => html`<tr><th scope="row">${r.label ?? r.key}</th><td class="num">${r.count}</td></tr>`,
  )}</tbody></table>`;
}

/** The merchant's on-time answers (ComplaintSummary.answers) in one sentence. */
export function answerShare(a: MerchantComplaints['answers']): Html {
  if (a.answerable === 0) return html`<p data-testid="answer-share">目前没有应答复的投诉。</p>`;
  return html`<p data-testid="answer-share">商户按时答复率 <strong data-testid="on-time-percent">${a.onTimePercent ?? 0}%</strong>：应答复 ${a.answerable} 件，已答复 ${a.answered} 件，其中在受理后 10 个工作日内答复 ${a.answeredOnTime} 件。</p>`;
}

/** What the merchant did about patterns of complaints (ComplaintSummary.patternResponses). */
function patternSection(responses: MerchantComplaints['patternResponses']): Html {
  return html`<h3>商户对同类投诉的回应</h3>${
    responses.length
      ? html`<ul class="pattern-responses">${responses.map((r) => html`<li data-issue="${r.issueType}"><time>${r.respondedOn}</time> · ${r.issueTypeLabel}：${r.body}</li>`)}</ul>`
      : html`<p>暂无。</p>`
  }`;
}

/** The answer of a return check, as HTML (the same markup the client script builds). */
export function returnAnswer(result: ReturnCheckData['returnEligibility']): Html {
  if (!result) return html`<p class="error" role="alert">没有此统一社会信用代码的商户。</p>`;
  return html`<div class="answer ${result.eligible ? 'yes' : 'no'}" data-testid="return-answer">
<p><strong>${result.eligible ? '可以退货' : '不能无理由退货'}</strong>${result.lastDay ? html`，最后一天：<time data-testid="last-day">${result.lastDay}</time>${result.lastDayProvisional ? '（节假日安排未公布，暂按周一至周五计算）' : ''}` : ''}</p>
<ul>${result.reasons.map((r) => html`<li data-code="${r.code}">${r.blocking ? '✗ ' : ''}${r.messageZh}</li>`)}</ul>
</div>`;
}

/** `/m/:uscc`: a merchant's public profile, rating, pledge, complaint summary and the return check. */
export async function merchantPage(deps: WebDeps, request: PageRequest, uscc: string, check: ReturnCheckParams): Promise<{ status: number; body: string }> {
  const { labels } = deps;
  const result = await deps.run<MerchantData>({ query: MERCHANT, variables: { uscc } }, request);
  const error = firstError(result);
  if (error || !result.data?.merchant) {
    const status = error ? (error.code === 'BAD_USER_INPUT' ? 400 : 500) : 404;
    const message = error?.message ?? `没有统一社会信用代码为 ${uscc} 的商户。`;
    return { status, body: page({ title: '未找到商户' }, html`<h1>未找到商户</h1><p class="error" role="alert">${message}</p><p><a href="/">返回查询</a></p>`) };
  }
  const m = result.data.merchant;
  let answer: Html = html``;
  if (check.receivedOn) {
    const checked = await deps.run<ReturnCheckData>({ query: RETURN_CHECK, variables: { uscc, receivedOn: check.receivedOn, goodsCategory: check.goods || null } }, request);
    const checkError = firstError(checked);
    answer = checkError ? html`<p class="error" role="alert">${checkError.message}</p>` : returnAnswer(checked.data?.returnEligibility ?? null);
  }
  const history = [...m.ratingHistory.edges].reverse().map((e) => ({ date: e.node.asOf, score: e.node.score }));
  const p = m.pledge;
  const s = m.complaintSummary;
  const region = SUIZHOU_REGIONS[m.regionCode as keyof typeof SUIZHOU_REGIONS] ?? m.regionCode;
  const body = html`<h1>${m.name}</h1>
<dl class="profile">
<dt>统一社会信用代码</dt><dd>${m.uscc}</dd>
<dt>类型</dt><dd>${labels('MerchantKind', m.kind)}</dd>
<dt>行业</dt><dd>${labels('Industry', m.industry)}</dd>
<dt>地区</dt><dd>${region}（${m.regionCode}）</dd>
<dt>地址</dt><dd>${m.address}</dd>
<dt>成立日期</dt><dd>${m.establishedOn}</dd>
${m.host ? html`<dt>所在市场或平台</dt><dd><a href="/m/${m.host.uscc}">${m.host.name}</a>（${labels('TenancyKind', m.tenancyKind)}）</dd>` : ''}
<dt>放心消费示范街区</dt><dd>${m.demonstrationStreets.length ? m.demonstrationStreets.map((d) => d.name).join('、') : '否'}</dd>
${m.rightsServiceStation ? html`<dt>红色消费维权服务站</dt><dd>是</dd>` : ''}
</dl>
${ratingSection(m.rating, 'rating-title')}
${history.length > 1 ? html`<section aria-labelledby="history-title"><h2 id="history-title">评分变化</h2><figure>${raw(scoreLineSvg(history, '评分变化'))}<figcaption>最近 ${history.length} 次评分变化（${history[0]!.date} 至 ${history[history.length - 1]!.date}）</figcaption></figure></section>` : ''}
<section aria-labelledby="pledge-title">
<h2 id="pledge-title">七日无理由退货承诺</h2>
${p
  ? html`<p>状态：<strong>${labels('PledgeStatus', p.status)}</strong> · ${p.windowDays} 天 · 自 ${p.effectiveFrom} 起${p.expiresOn ? html`，至 ${p.expiresOn} 止` : '，长期有效'}${p.signboardDisplayed ? ' · 已公示承诺标识' : ''}</p>
<p>范围：${p.scope === 'ALL_GOODS' ? '全部商品' : html`限于 ${p.scopeCategories.join('、')}`}</p>
${p.exclusions.length ? html`<p>不适用：${p.exclusions.map((e) => labels('ReturnExclusion', e)).join('；')}</p>` : ''}
<details><summary>承诺记录与核查</summary><ul>${p.history.map((h) => html`<li>${day(h.at)} ${labels('PledgeStatus', h.fromStatus) === '—' ? '' : html`${labels('PledgeStatus', h.fromStatus)} → `}${labels('PledgeStatus', h.toStatus)}${h.reason ? html`（${h.reason}）` : ''}</li>`)}${p.audits.map((a) => html`<li>${a.auditedOn} 核查：${labels('AuditOutcome', a.outcome)}</li>`)}</ul></details>`
  : html`<p>目前没有有效的承诺。</p>`}
</section>
<section aria-labelledby="channels-title">
<h2 id="channels-title">纠纷和解渠道</h2>
<ul>
<li>湖北315消费纠纷和解平台：${m.disputeChannels.settlementPlatform.status === 'ENROLLED' ? '已入驻' : '未入驻'}${m.disputeChannels.settlementPlatform.since ? html`（自 ${day(m.disputeChannels.settlementPlatform.since)}）` : ''}</li>
<li>ODR企业：${m.disputeChannels.odr.status === 'ENROLLED' ? '是' : '否'}${m.disputeChannels.odr.since ? html`（自 ${day(m.disputeChannels.odr.since)}）` : ''}</li>
</ul>
</section>
<section aria-labelledby="complaints-title">
<h2 id="complaints-title">投诉情况</h2>
<p>收到投诉 <strong>${s.received}</strong> 件，受理 <strong>${s.accepted}</strong> 件。</p>
${answerShare(s.answers)}
<div class="count-tables">
${counts('按年份', s.byYear)}
${counts('按类别', s.byCategory)}
${counts('按问题', s.byIssueType)}
${counts('按结果', s.byOutcome)}
</div>
${patternSection(s.patternResponses)}
</section>
<section aria-labelledby="return-title" id="return-check">
<h2 id="return-title">能否退货？</h2>
<form method="get" action="/m/${m.uscc}#return-check" class="return-check" data-uscc="${m.uscc}">
<label>收货日期<input type="date" name="receivedOn" required value="${check.receivedOn ?? ''}"></label>
<label>商品类别<select name="goods"><option value="">未指明</option>${result.data.goodsCategories.map(
    (g) => html`<option value="${g.code}"${g.code === check.goods ? html` selected` : ''}>${g.nameZh}</option>`,
  )}</select></label>
<button type="submit">查询</button>
</form>
<div id="return-answer" aria-live="polite">${answer}</div>
</section>`;
  return { status: 200, body: page({ title: m.name, scripts: ['merchant'] }, body) };
}
