/**
 * The annual report as the bureau publishes it: Markdown in Chinese with the published headings,
 * and an SVG bar chart of complaint categories. Pure: statistics in, text out.
 */
import { formatFenAsYuan } from '../../domain/money';
import { VIOLATION_TYPES } from '../../domain/appeal-taxonomy';
import { regionName, wholeRegionWord } from '../../domain/region';
import type { AppealStatistics, CountShare } from './report.type';

const TYPE_ZH: Record<string, string> = { CONSULTATION: '咨询', COMPLAINT: '投诉', REPORT: '举报', PRAISE: '表扬' };

const pct = (value: number | null) => (value === null ? '—' : `${value.toFixed(2)}%`);
const change = (value: number | null) => (value === null ? '无上年数据' : value >= 0 ? `同比上升${value.toFixed(2)}%` : `同比下降${Math.abs(value).toFixed(2)}%`);
const count = (rows: CountShare[], key: string) => rows.find((r) => r.key === key)?.count ?? 0;
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** 万元 with two decimals, as the published report writes money: 708.68万元. */
function wanYuan(fen: number): string {
  // One 万元 is 1,000,000 fen; rounded half-up to its hundredths (10,000 fen) in integers.
  const hundredths = Math.floor((2 * fen + 10_000) / 20_000);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}万元`;
}

/** The report in Markdown (Chinese), with `chartFile` embedded as the category chart. */
export function renderAnnualReportMarkdown(stats: AppealStatistics, year: number, chartFile: string): string {
  const named = stats.regionCode ? regionName(stats.regionCode) : '全部地区';
  // An unnamed code still reads as a label in the title, never glued to the year ("9999992023年").
  const region = named ?? `地区（${stats.regionCode}）`;
  const whole = named && stats.regionCode ? wholeRegionWord(named) : region;
  const types = stats.byType;
  const goods = stats.complaintGroups.find((g) => g.key === 'GOODS');
  const services = stats.complaintGroups.find((g) => g.key === 'SERVICES');
  const goodsCategories = stats.complaintCategories.filter((c) => c.key.startsWith('GOODS.'));
  const serviceCategories = stats.complaintCategories.filter((c) => c.key.startsWith('SERVICES.'));
  const topGoods = goodsCategories.slice(0, 3);
  const reports = types.find((t) => t.key === 'REPORT');
  const lines: string[] = [];
  lines.push(`# ${region}${year}年12315消费维权数据分析`, '');
  lines.push(`统计期间：${stats.from} 至 ${stats.to}（北京时间）。数据由登记系统按记录实时计算，每一项均可追溯到具体诉求。`, '');
  lines.push('## 一、总体情况', '');
  lines.push(
    `${year}年，${whole}12315系统共处理消费者诉求${stats.total.toLocaleString('en-US')}件，其中咨询${count(types, 'CONSULTATION')}件、投诉${count(types, 'COMPLAINT').toLocaleString('en-US')}件、举报${count(types, 'REPORT').toLocaleString('en-US')}件、表扬${count(types, 'PRAISE')}件。` +
      `按时初查率${pct(stats.complaintsDecidedOnTime.percent)}，按时办结率${pct(stats.complaintsConcludedOnTime.percent)}，调解成功率${pct(stats.mediationSuccess.percent)}，举报按时核查率${pct(stats.reportsVerifiedOnTime.percent)}，` +
      `为消费者挽回经济损失${wanYuan(stats.amountRecoveredFen)}（${formatFenAsYuan(stats.amountRecoveredFen)}元）。`,
    '',
  );
  lines.push('| 类别 | 件数 | 占比 | 同比 |', '| --- | ---: | ---: | --- |');
  for (const t of types) lines.push(`| ${TYPE_ZH[t.key] ?? t.key} | ${t.count} | ${pct(t.sharePercent)} | ${change(t.changePercent)} |`);
  lines.push('');
  lines.push('| 指标 | 分子 | 分母 | 比率 |', '| --- | ---: | ---: | ---: |');
  for (const [name, rate] of [
    ['按时初查率', stats.complaintsDecidedOnTime],
    ['按时办结率', stats.complaintsConcludedOnTime],
    ['调解成功率', stats.mediationSuccess],
    ['举报按时核查率', stats.reportsVerifiedOnTime],
  ] as const) {
    lines.push(`| ${name} | ${rate.numerator} | ${rate.denominator} | ${pct(rate.percent)} |`);
  }
  lines.push('');
  lines.push('## 二、投诉热点及分析', '');
  if (goods) {
    const topShare = topGoods.reduce((s, c) => s + c.count, 0);
    lines.push(
      `商品类投诉${goods.count.toLocaleString('en-US')}件，${change(goods.changePercent)}。` +
        `${topGoods.map((c) => c.label ?? c.key).join('、')}位居前三，合计占商品类投诉的${pct(goods.count ? Math.round((10000 * topShare) / goods.count) / 100 : null)}。` +
        goodsCategories.map((c) => `${c.label ?? c.key}${c.count}件（${change(c.changePercent)}）`).join('；') + '。',
      '',
    );
  }
  if (services) {
    lines.push(
      `服务类投诉${services.count.toLocaleString('en-US')}件，${change(services.changePercent)}。` +
        serviceCategories
          .slice(0, 3)
          .map((c, i) => `${c.label ?? c.key}占服务类投诉的${pct(c.sharePercent)}，居第${['一', '二', '三'][i]}位`)
          .join('；') +
        '。',
      '',
    );
  }
  lines.push(`![投诉类别分布](${chartFile})`, '');
  lines.push('| 投诉类别 | 件数 | 组内占比 | 同比 |', '| --- | ---: | ---: | --- |');
  for (const c of stats.complaintCategories) lines.push(`| ${c.label ?? c.key} | ${c.count} | ${pct(c.sharePercent)} | ${change(c.changePercent)} |`);
  lines.push('');
  lines.push('## 三、举报情况及分析', '');
  if (reports) {
    const top3 = stats.reportViolationTypes.filter((v) => ['ADVERTISING', 'UNFAIR_COMPETITION', 'CONSUMER_RIGHTS'].includes(v.key));
    const top3Count = top3.reduce((s, v) => s + v.count, 0);
    lines.push(
      `全年受理举报${reports.count.toLocaleString('en-US')}件，${change(reports.changePercent)}。广告违法、不正当竞争、侵害消费者权益三类举报合计${top3Count}件，占举报总量的${pct(reports.count ? Math.round((10000 * top3Count) / reports.count) / 100 : null)}。`,
      '',
    );
  }
  lines.push('| 违法类型 | 件数 | 占比 | 同比 |', '| --- | ---: | ---: | --- |');
  for (const v of stats.reportViolationTypes) lines.push(`| ${(VIOLATION_TYPES as Record<string, string>)[v.key] ?? v.key} | ${v.count} | ${pct(v.sharePercent)} | ${change(v.changePercent)} |`);
  lines.push('', '---', '', '口径说明：', '');
  for (const [name, rate] of [
    ['按时初查率', stats.complaintsDecidedOnTime],
    ['按时办结率', stats.complaintsConcludedOnTime],
    ['调解成功率', stats.mediationSuccess],
    ['举报按时核查率', stats.reportsVerifiedOnTime],
  ] as const) {
    lines.push(`- ${name}：${rate.definition}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A horizontal bar chart of complaint categories (count per category), as standalone SVG. */
export function renderCategoryChartSvg(stats: AppealStatistics, title: string): string {
  const rows = stats.complaintCategories;
  const width = 760;
  const barLeft = 200;
  const rowHeight = 26;
  const top = 50;
  const height = top + rows.length * rowHeight + 30;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const bars = rows.map((r, i) => {
    const y = top + i * rowHeight;
    const w = Math.round(((width - barLeft - 90) * r.count) / max);
    const color = r.key.startsWith('GOODS') ? '#3b7dd8' : '#e0803a';
    return [
      `<text x="${barLeft - 8}" y="${y + 17}" text-anchor="end" font-size="13">${escape(r.label ?? r.key)}</text>`,
      `<rect x="${barLeft}" y="${y + 4}" width="${w}" height="${rowHeight - 8}" fill="${color}"/>`,
      `<text x="${barLeft + w + 6}" y="${y + 17}" font-size="12">${r.count}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="'Noto Sans CJK SC','Microsoft YaHei',sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="17" font-weight="bold">${escape(title)}</text>`,
    ...bars,
    `<text x="${barLeft}" y="${height - 8}" font-size="11" fill="#555">蓝色：商品类　橙色：服务类</text>`,
    '</svg>',
    '',
  ].join('\n');
}
