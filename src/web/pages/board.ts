import { addDays, isWorkingDay } from '../../domain/calendar';
import { shanghaiToday } from '../../domain/local-date';
import { regionName } from '../../domain/region';
import { html, type Html } from '../html';
import { page } from '../layout';
import { firstError, type PageRequest, type WebDeps } from '../deps';
import { signInForm } from './sign-in';

/** How near a deadline must be for the board (the acceptance window, so a new complaint shows at once). */
export const BOARD_WITHIN_WORKING_DAYS = 7;

const DEADLINE = 'dueOn overdue doneOn';
const BOARD = /* GraphQL */ `
  query BoardPage($regionCode: String!, $within: Int!) {
    appealsDue(regionCode: $regionCode, withinWorkingDays: $within, first: 50) {
      totalCount
      edges { node { id type status receivedAt regionCode merchant { name uscc }
        deadlines { acceptance { ${DEADLINE} } answer { ${DEADLINE} } conclusion { ${DEADLINE} } verification { ${DEADLINE} } } } }
    }
    auditQueue(regionCode: $regionCode, first: 10) {
      totalCount
      edges { node { reasons openRefusedReturnComplaints merchant { name uscc } lastAudit { auditedOn outcome } } }
    }
    compensationFunds(regionCode: $regionCode, belowMinimum: true, first: 50) {
      totalCount
      edges { node { balanceFen requiredMinimumFen host { name uscc } } }
    }
  }
`;

interface Deadline {
  dueOn: string;
  overdue: boolean;
  doneOn: string | null;
}
interface BoardData {
  appealsDue: {
    totalCount: number;
    edges: { node: { id: string; type: string; status: string; receivedAt: string; regionCode: string; merchant: { name: string; uscc: string } | null; deadlines: Record<'acceptance' | 'answer' | 'conclusion' | 'verification', Deadline | null> } }[];
  };
  auditQueue: { totalCount: number; edges: { node: { reasons: string[]; openRefusedReturnComplaints: number; merchant: { name: string; uscc: string }; lastAudit: { auditedOn: string; outcome: string } | null } }[] };
  compensationFunds: { totalCount: number; edges: { node: { balanceFen: number; requiredMinimumFen: number; host: { name: string; uscc: string } } }[] };
}

const STEP_NAMES = { acceptance: '受理', answer: '商户答复', conclusion: '办结', verification: '核查' } as const;

/** Working days from `today` to `due` (negative once overdue), counted on the official calendar. */
export function workingDaysLeft(today: string, due: string): number {
  // Forward: working days in (today, due]; backward: minus those in (due, today].
  const [from, to, sign] = due >= today ? [today, due, 1] : [due, today, -1];
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
  return sign * count;
}

const AUDIT_REASONS: Record<string, string> = {
  NEVER_AUDITED: '从未核查',
  LAST_AUDIT_OVER_12_MONTHS_AGO: '上次核查已超过12个月',
  RECTIFICATION_DUE: '违规整改到期',
};

function yuan(fen: number): string {
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** The regions the board covers: the supervisor's own (an admin sees the whole city). */
export function boardRegions(request: PageRequest): string[] {
  return request.viewer.role === 'ADMIN' ? ['421300'] : [...new Set(request.viewer.regions)];
}

/** The live part of the board (re-fetched by web/client/board.ts on every event). */
export async function boardLive(deps: WebDeps, request: PageRequest): Promise<{ status: number; body: Html }> {
  const today = shanghaiToday();
  const sections: Html[] = [];
  let status = 200;
  for (const regionCode of boardRegions(request)) {
    const result = await deps.run<BoardData>({ query: BOARD, variables: { regionCode, within: BOARD_WITHIN_WORKING_DAYS } }, request);
    const error = firstError(result);
    if (error || !result.data) {
      status = 500;
      sections.push(html`<p class="error" role="alert">${regionCode}：${error?.message ?? '查询失败'}</p>`);
      continue;
    }
    const d = result.data;
    const funds = d.compensationFunds.edges.map((e) => e.node);
    const name = regionName(regionCode) ?? regionCode;
    sections.push(html`<section class="board-region" aria-labelledby="region-${regionCode}">
<h2 id="region-${regionCode}">${name}（${regionCode}）</h2>
<h3>临近或超过期限的诉求（${d.appealsDue.totalCount} 件，${BOARD_WITHIN_WORKING_DAYS} 个工作日内到期）</h3>
<div class="table-wrap"><table class="appeals" data-region="${regionCode}">
<thead><tr><th scope="col">剩余工作日</th><th scope="col">环节</th><th scope="col">诉求</th><th scope="col">商户</th></tr></thead>
<tbody>${d.appealsDue.edges.map(({ node: a }) => {
      const open = (Object.keys(STEP_NAMES) as (keyof typeof STEP_NAMES)[]).map((k) => [k, a.deadlines[k]] as const).find(([, dl]) => dl && !dl.doneOn);
      const left = open ? workingDaysLeft(today, open[1]!.dueOn) : undefined;
      return html`<tr data-appeal="${a.id}"${left !== undefined && left < 0 ? html` class="overdue"` : ''}>
<td class="num">${left === undefined ? '—' : left < 0 ? `逾期 ${-left}` : left}</td>
<td>${open ? html`${STEP_NAMES[open[0]]}，${open[1]!.dueOn} 前` : '—'}</td>
<td>${deps.labels('AppealType', a.type)} · ${deps.labels('AppealStatus', a.status)}<br><span class="meta">${a.receivedAt.slice(0, 10)} · ${a.id.slice(0, 8)}</span></td>
<td>${a.merchant ? html`<a href="/m/${a.merchant.uscc}">${a.merchant.name}</a>` : '—'}</td></tr>`;
    })}</tbody></table></div>
<h3>低于最低额的先行赔付基金（${d.compensationFunds.totalCount}${d.compensationFunds.totalCount > funds.length ? `，显示前 ${funds.length} 个` : ''}）</h3>
${funds.length ? html`<ul class="funds">${funds.map((f) => html`<li><a href="/m/${f.host.uscc}">${f.host.name}</a>：余额 ${yuan(f.balanceFen)} 元，最低 ${yuan(f.requiredMinimumFen)} 元</li>`)}</ul>` : html`<p>无。</p>`}
<h3>待核查的承诺（${d.auditQueue.totalCount}，显示前 10 个）</h3>
${d.auditQueue.edges.length ? html`<ul>${d.auditQueue.edges.map(({ node: q }) => html`<li><a href="/m/${q.merchant.uscc}">${q.merchant.name}</a>：${q.reasons.map((r) => AUDIT_REASONS[r] ?? r).join('、')}${q.lastAudit ? html`（上次 ${q.lastAudit.auditedOn} ${deps.labels('AuditOutcome', q.lastAudit.outcome)}）` : ''}${q.openRefusedReturnComplaints ? html`，拒绝退货投诉 ${q.openRefusedReturnComplaints} 件` : ''}</li>`)}</ul>` : html`<p>无。</p>`}
</section>`);
  }
  return { status, body: html`${sections}` };
}

/** `/board`: a supervisor's appeals by days left, funds below minimum and pledges due for audit, kept live. */
export async function boardPage(deps: WebDeps, request: PageRequest, signInError?: string): Promise<{ status: number; body: string }> {
  const { viewer } = request;
  if (viewer.role !== 'SUPERVISOR' && viewer.role !== 'ADMIN') {
    const signedIn = viewer.role !== 'PUBLIC';
    return {
      status: signedIn ? 403 : 401,
      body: page({ title: '监管看板', current: 'board', signedInAs: signedIn ? `商户 ${viewer.sub}` : undefined }, html`<h1>监管看板</h1>${signedIn ? html`<p class="error" role="alert">此页面供监管人员使用；请用监管人员的令牌登录。</p>` : ''}${signInForm('/board', '监管人员', signInError)}`),
    };
  }
  const live = await boardLive(deps, request);
  const body = html`<h1>监管看板</h1>
<p id="connection" class="banner" role="status" hidden>与服务器的连接已断开，正在重新连接……</p>
<p class="meta">实时更新：诉求新增或推进时本页自动刷新，无需重新加载。</p>
<div id="board-live" data-regions="${boardRegions(request).join(',')}">${live.body}</div>`;
  return { status: live.status, body: page({ title: '监管看板', current: 'board', signedInAs: `${viewer.role === 'ADMIN' ? '管理员' : '监管人员'} ${viewer.sub}`, scripts: ['board'] }, body) };
}
