import { SUIZHOU_REGIONS } from '../../domain/region';
import { html, queryString, type Html } from '../html';
import { page } from '../layout';
import { firstError, type PageRequest, type WebDeps } from '../deps';

const INDUSTRIES = [
  'SUPERMARKET', 'CATERING', 'CLOTHING', 'FOOD', 'HOME_APPLIANCES', 'AUTOMOBILE', 'FARMERS_MARKET', 'SHOPPING_CENTER',
  'FURNITURE_BUILDING_MATERIALS_MARKET', 'FOOD_DELIVERY_PLATFORM', 'PREPAID_SERVICES', 'PROPERTY_MANAGEMENT', 'SCENIC_SPOT',
] as const;
const GRADES = ['A', 'B', 'C', 'D', 'NR'] as const;

const SEARCH = /* GraphQL */ `
  query SearchPage($filter: MerchantFilter, $after: String) {
    merchants(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { uscc name industry regionCode address rating { grade score } pledge { status } } }
    }
  }
`;

interface SearchData {
  merchants: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { uscc: string; name: string; industry: string; regionCode: string; address: string; rating: { grade: string; score: number } | null; pledge: { status: string } | null } }[];
  };
}

/** The search form's fields, as given in the query string. */
export interface SearchParams {
  q?: string;
  uscc?: string;
  region?: string;
  industry?: string;
  grade?: string;
  pledge?: string;
  after?: string;
}

function one(value: unknown): string | undefined {
  const text = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

/** Reads the form's fields from a parsed query string. */
export function searchParams(query: Record<string, unknown>): SearchParams {
  return {
    q: one(query.q),
    uscc: one(query.uscc)?.toUpperCase(),
    region: one(query.region),
    industry: one(query.industry),
    grade: one(query.grade),
    pledge: one(query.pledge),
    after: one(query.after),
  };
}

function select(name: string, label: string, options: readonly (readonly [string, string])[], chosen: string | undefined): Html {
  return html`<label>${label}<select name="${name}"><option value="">不限</option>${options.map(
    ([value, text]) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${text}</option>`,
  )}</select></label>`;
}

/** `/`: search by name, USCC, region, industry, grade and pledge; results paged by cursor. */
export async function searchPage(deps: WebDeps, request: PageRequest, params: SearchParams): Promise<{ status: number; body: string }> {
  const searched = Object.entries(params).some(([k, v]) => k !== 'after' && v !== undefined);
  const { labels } = deps;
  let results: Html = html``;
  let status = 200;
  if (searched) {
    const filter: Record<string, unknown> = {};
    if (params.q) filter.nameContains = params.q;
    if (params.uscc) filter.uscc = params.uscc;
    if (params.region) filter.regionCode = params.region;
    if (params.industry && (INDUSTRIES as readonly string[]).includes(params.industry)) filter.industry = params.industry;
    if (params.grade && (GRADES as readonly string[]).includes(params.grade)) filter.grade = params.grade;
    if (params.pledge === 'yes') filter.hasActivePledge = true;
    const result = await deps.run<SearchData>({ query: SEARCH, variables: { filter, after: params.after } }, request);
    const error = firstError(result);
    if (error || !result.data) {
      status = error?.code === 'BAD_USER_INPUT' ? 400 : 500;
      results = html`<p class="error" role="alert">${error?.message ?? '查询失败'}</p>`;
    } else {
      const { merchants } = result.data;
      const next = merchants.pageInfo.hasNextPage && merchants.pageInfo.endCursor ? `/${queryString({ ...params, after: merchants.pageInfo.endCursor })}` : undefined;
      results = html`<section aria-labelledby="results-title">
<h2 id="results-title">共 ${merchants.totalCount} 家商户</h2>
${merchants.edges.length === 0 ? html`<p>没有符合条件的商户。</p>` : ''}
<ol class="results">${merchants.edges.map(
        ({ node: m }) => html`<li><a href="/m/${m.uscc}">${m.name}</a>
<span class="grade grade-${m.rating?.grade ?? 'NR'}" title="信用等级">${m.rating?.grade ?? 'NR'}</span>
<div class="meta">${labels('Industry', m.industry)} · ${SUIZHOU_REGIONS[m.regionCode as keyof typeof SUIZHOU_REGIONS] ?? m.regionCode} · ${m.uscc}${m.pledge?.status === 'ACTIVE' ? html` · <span class="badge">七日无理由退货</span>` : ''}</div>
<div class="meta">${m.address}</div></li>`,
      )}</ol>
${next ? html`<p><a rel="next" href="${next}">下一页</a></p>` : ''}
</section>`;
    }
  }
  const regions = Object.entries(SUIZHOU_REGIONS) as [string, string][];
  const body = html`<h1>商户信用查询</h1>
<form class="search" method="get" action="/" role="search">
<label>商户名称<input type="search" name="q" value="${params.q ?? ''}" placeholder="如：超市"></label>
<label>统一社会信用代码<input type="text" name="uscc" value="${params.uscc ?? ''}" maxlength="18" autocomplete="off" spellcheck="false"></label>
${select('region', '地区', regions, params.region)}
${select('industry', '行业', INDUSTRIES.map((i) => [i, labels('Industry', i)] as const), params.industry)}
${select('grade', '信用等级', GRADES.map((g) => [g, g === 'NR' ? 'NR（未评级）' : g] as const), params.grade)}
<label class="check"><input type="checkbox" name="pledge" value="yes"${params.pledge === 'yes' ? html` checked` : ''}> 已作出七日无理由退货承诺</label>
<button type="submit">查询</button>
</form>
${results}`;
  return { status, body: page({ title: '商户查询', current: 'search' }, body) };
}
