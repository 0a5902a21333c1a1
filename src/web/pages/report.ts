import { isRegionCode, regionName } from '../../domain/region';
import { renderAnnualReportMarkdown, renderCategoryChartSvg } from '../../modules/report/report.render';
import type { AppealStatistics } from '../../modules/report/report.type';
import { escapeHtml, html, raw } from '../html';
import { page } from '../layout';
import { firstError, type PageRequest, type WebDeps } from '../deps';

const SHARE = 'key label count sharePercent previousCount changePercent';
const RATE = 'numerator denominator percent definition';
const REPORT = /* GraphQL */ `
  query ReportPage($year: Int!, $regionCode: String) {
    annualReport(year: $year, regionCode: $regionCode) {
      from to regionCode total amountRecoveredFen
      byType { ${SHARE} } complaintGroups { ${SHARE} } complaintCategories { ${SHARE} }
      complaintSubCategories { ${SHARE} } reportViolationTypes { ${SHARE} }
      complaintsDecidedOnTime { ${RATE} } complaintsConcludedOnTime { ${RATE} }
      mediationSuccess { ${RATE} } reportsVerifiedOnTime { ${RATE} }
    }
  }
`;

const CHART = '\u0000chart\u0000';

/**
 * The report's Markdown (the same text `npm run report` writes) as HTML: it uses headings,
 * paragraphs, pipe tables, a list and the chart image, nothing else. Every text is escaped.
 */
export function reportMarkdownToHtml(markdown: string, chartSvg: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('# ')) out.push(`<h1>${escapeHtml(line.slice(2))}</h1>`);
    else if (line.startsWith('## ')) out.push(`<h2>${escapeHtml(line.slice(3))}</h2>`);
    else if (line.startsWith('![')) out.push(CHART);
    else if (line.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!.slice(1, -1).split('|').map((c) => c.trim()));
      i--;
      const [head, , ...body] = rows;
      out.push(
        `<div class="table-wrap"><table><thead><tr>${head!.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>` +
          body.map((r) => `<tr>${r.map((c, j) => (j === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('') +
          '</tbody></table></div>',
      );
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('- '); i++) items.push(`<li>${escapeHtml(lines[i]!.slice(2))}</li>`);
      i--;
      out.push(`<ul>${items.join('')}</ul>`);
    } else if (line.trim() !== '') out.push(`<p>${escapeHtml(line)}</p>`);
  }
  return out.join('\n').replace(CHART, `<figure class="report-chart">${chartSvg}</figure>`);
}

/** `/report/:year/:region`: the annual figures with the headings of `npm run report`, and its chart. */
export async function reportPage(deps: WebDeps, request: PageRequest, yearText: string, region: string): Promise<{ status: number; body: string }> {
  const year = Number(yearText);
  const name = isRegionCode(region) ? regionName(region) : undefined;
  if (!Number.isInteger(year) || !name) {
    return { status: 404, body: page({ title: '未找到报告', current: 'report' }, html`<h1>未找到报告</h1><p class="error" role="alert">没有 ${yearText} 年 ${region} 地区的报告。</p>`) };
  }
  const result = await deps.run<{ annualReport: AppealStatistics }>({ query: REPORT, variables: { year, regionCode: region } }, request);
  const error = firstError(result);
  if (error || !result.data) {
    return { status: error?.code === 'BAD_USER_INPUT' ? 400 : 500, body: page({ title: '报告', current: 'report' }, html`<h1>报告</h1><p class="error" role="alert">${error?.message ?? '查询失败'}</p>`) };
  }
  const stats = result.data.annualReport;
  const title = `${name}${year}年12315消费维权数据分析`;
  if (stats.total === 0) {
    return { status: 404, body: page({ title, current: 'report' }, html`<h1>${title}</h1><p>${year} 年${name}没有诉求记录。</p>`) };
  }
  const chart = renderCategoryChartSvg(stats, `${name}${year}年投诉类别分布`).replace(/^<\?xml[^>]*>\s*/, '').replace('<svg ', '<svg role="img" aria-label="投诉类别分布" ');
  const body = html`<article class="report">${raw(reportMarkdownToHtml(renderAnnualReportMarkdown(stats, year, 'chart.svg'), chart))}</article>`;
  return { status: 200, body: page({ title, current: 'report' }, body) };
}
