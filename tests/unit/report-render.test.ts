import { renderAnnualReportMarkdown, renderCategoryChartSvg } from '../../src/modules/report/report.render';
import type { AppealStatistics } from '../../src/modules/report/report.type';
import { percent } from '../../src/domain/report-math';

const share = (key: string, label: string | null, count: number, previousCount: number, sharePercent: number | null, changePercent: number | null) => ({
  key,
  label,
  count,
  previousCount,
  sharePercent,
  changePercent,
});
const rate = (numerator: number, denominator: number, percent: number) => ({ numerator, denominator, percent, definition: '口径' });

const stats: AppealStatistics = {
  from: '2023-01-01',
  to: '2023-12-31',
  regionCode: '421300',
  total: 27447,
  byType: [share('COMPLAINT', null, 23971, 0, 87.34, null), share('REPORT', null, 3259, 2445, 11.87, 33.29), share('CONSULTATION', null, 216, 0, 0.79, null), share('PRAISE', null, 1, 0, 0, null)],
  complaintsDecidedOnTime: rate(23859, 23971, 99.53),
  complaintsConcludedOnTime: rate(2690, 2700, 99.63),
  mediationSuccess: rate(1938, 2700, 71.78),
  reportsVerifiedOnTime: rate(3221, 3259, 98.83),
  amountRecoveredFen: 708_680_000,
  complaintGroups: [share('GOODS', '商品类', 100, 102, 50, -2.15), share('SERVICES', '服务类', 100, 80, 50, 26.15)],
  complaintCategories: [share('GOODS.FOOD', '食品', 60, 50, 60, 20), share('SERVICES.SALES', '销售服务', 24, 20, 24.29, 20)],
  complaintSubCategories: [],
  reportViolationTypes: [share('ADVERTISING', null, 2000, 1000, 61.37, 100)],
};

describe('the rendered annual report', () => {
  it('is given a fixture whose rates agree with their counts', () => {
    for (const r of [stats.complaintsDecidedOnTime, stats.complaintsConcludedOnTime, stats.mediationSuccess, stats.reportsVerifiedOnTime]) {
      expect(percent(r.numerator, r.denominator)).toBe(r.percent);
    }
  });

  it('uses the published headings and writes the figures as the bureau does', () => {
    const md = renderAnnualReportMarkdown(stats, 2023, 'chart.svg');
    for (const heading of ['## 一、总体情况', '## 二、投诉热点及分析', '## 三、举报情况及分析']) expect(md).toContain(heading);
    expect(md).toContain('共处理消费者诉求27,447件，其中咨询216件、投诉23,971件、举报3,259件、表扬1件');
    expect(md).toContain('按时初查率99.53%');
    expect(md).toContain('挽回经济损失708.68万元（7086800.00元）');
    expect(md).toContain('商品类投诉100件，同比下降2.15%');
    expect(md).toContain('全年受理举报3,259件，同比上升33.29%');
    expect(md).toContain('![投诉类别分布](chart.svg)');
  });

  it('draws one labelled bar per complaint category', () => {
    const svg = renderCategoryChartSvg(stats, '2023年投诉类别分布');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x="200"/g)).toHaveLength(2);
    expect(svg).toContain('>食品</text>');
    expect(svg).toContain('>销售服务</text>');
  });

  it('names the region in the title and speaks of the whole district, county or city as such', () => {
    const of = (regionCode: string) => renderAnnualReportMarkdown({ ...stats, regionCode }, 2023, 'chart.svg');
    expect(of('421300')).toMatch(/^# 随州市2023年12315消费维权数据分析/);
    expect(of('421300')).toContain('2023年，全市12315系统');
    expect(of('421303')).toMatch(/^# 曾都区2023年/);
    expect(of('421303')).toContain('2023年，全区12315系统');
    expect(of('421303')).not.toContain('全市');
    expect(of('421321')).toMatch(/^# 随县2023年/);
    expect(of('421321')).toContain('2023年，全县12315系统');
    expect(of('421381')).toMatch(/^# 广水市2023年/);
    expect(of('421381')).toContain('2023年，全市12315系统');
  });

  it('never glues an unnamed region code to the year in the title', () => {
    expect(renderAnnualReportMarkdown({ ...stats, regionCode: '999999' }, 2023, 'chart.svg')).not.toContain('9999992023');
  });
});
