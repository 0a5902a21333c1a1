import { factorChartSvg } from '../charts';
import { html, raw, type Html } from '../html';
import { FACTOR_NAMES } from '../labels';

/** The fields of a Rating the pages show; `RATING_FIELDS` selects them. */
export interface RatingView {
  grade: string;
  score: number;
  scoreGrade: string;
  asOf: string;
  modelVersion: string;
  factors: { key: string; kind: string; points: number; max: number | null; limit: number | null; reason: string }[];
}

/** The selection of a Rating for `RatingView`. */
export const RATING_FIELDS = 'grade score scoreGrade asOf modelVersion factors { key kind points max limit reason }';

/** The grade, the score, the as-of day, and the chart and table of every factor with the API's reason for it. */
export function ratingSection(rating: RatingView | null, headingId: string): Html {
  if (!rating) return html`<section aria-labelledby="${headingId}"><h2 id="${headingId}">信用评级</h2><p>暂无评级。</p></section>`;
  const bars = rating.factors.map((f) => ({ label: FACTOR_NAMES[f.key] ?? f.key, points: f.points, bound: f.max ?? f.limit, reason: f.reason }));
  return html`<section aria-labelledby="${headingId}">
<h2 id="${headingId}">信用评级</h2>
<p class="rating"><span class="grade grade-${rating.grade} big" data-testid="grade">${rating.grade}</span>
<span><strong data-testid="score">${rating.score.toFixed(2)}</strong> 分${rating.grade === 'NR' ? html`（按分数为 ${rating.scoreGrade} 级）` : ''}<br>
评级日期 ${rating.asOf} · 模型 ${rating.modelVersion}</span></p>
<figure class="factors">${raw(factorChartSvg(bars, '各项因素得分'))}
<figcaption>各项因素得分（正向因素为所得/上限，扣分项为扣分/下限）</figcaption></figure>
<table class="factor-table">
<caption>评分依据</caption>
<thead><tr><th scope="col">因素</th><th scope="col">得分</th><th scope="col">依据</th></tr></thead>
<tbody>${rating.factors.map(
    (f) => html`<tr data-factor="${f.key}"><th scope="row">${FACTOR_NAMES[f.key] ?? f.key}</th><td class="num">${f.points > 0 ? '+' : ''}${f.points}</td><td class="reason">${f.reason}</td></tr>`,
  )}</tbody>
</table>
</section>`;
}
