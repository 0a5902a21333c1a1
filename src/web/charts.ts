/**
 * The SVG charts of the pages, built server-side from the API's numbers (no script needed).
 * Text goes through `escapeHtml`; sizes are attributes, never inline styles (the CSP has none).
 */
import { escapeHtml } from './html';

export interface FactorBar {
  label: string;
  points: number;
  /** The most (positive) or least (negative) the factor can give, when it has a bound. */
  bound: number | null;
  /** The factor's one-line reason (RatingFactor.reason), the row's tooltip and accessible name. */
  reason?: string;
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toFixed(2).replace(/\.?0+$/, '');

/** One horizontal bar per factor, positive to the right of a zero line and deductions to the left. */
export function factorChartSvg(bars: FactorBar[], title: string): string {
  const rowH = 26;
  const labelW = 128;
  const width = 360;
  const plotW = width - labelW - 44;
  const scale = Math.max(1, ...bars.map((b) => Math.abs(b.bound ?? b.points)), ...bars.map((b) => Math.abs(b.points)));
  const hasNegative = bars.some((b) => b.points < 0 || (b.bound ?? 0) < 0);
  const zero = labelW + (hasNegative ? plotW / 3 : 0);
  const unit = (hasNegative ? (plotW * 2) / 3 : plotW) / scale;
  const height = bars.length * rowH + 8;
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = Math.abs(b.points) * unit;
    const x = b.points >= 0 ? zero : zero - w;
    const cls = b.points >= 0 ? 'bar-pos' : 'bar-neg';
    const value = `${b.points > 0 ? '+' : ''}${fmt(b.points)}${b.bound !== null ? `/${fmt(b.bound)}` : ''}`;
    return (
      `<g>${b.reason ? `<title>${escapeHtml(`${b.label}：${b.reason}`)}</title>` : ''}` +
      `<text x="0" y="${y + 17}" class="bar-label">${escapeHtml(b.label)}</text>` +
      `<rect x="${fmt(x)}" y="${y + 5}" width="${fmt(Math.max(w, 1))}" height="16" class="${cls}"/>` +
      `<text x="${fmt(b.points >= 0 ? zero + w + 4 : zero + 4)}" y="${y + 17}" class="bar-value">${escapeHtml(value)}</text></g>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>` +
    `<line x1="${fmt(zero)}" y1="0" x2="${fmt(zero)}" y2="${height}" class="axis"/>` +
    rows.join('') +
    `</svg>`
  );
}

/** A small line of scores over time (oldest left), 0 to 100. */
export function scoreLineSvg(points: { date: string; score: number }[], title: string): string {
  const width = 360;
  const height = 100;
  const pad = 6;
  if (points.length === 0) return '';
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const y = (score: number) => pad + ((100 - Math.max(0, Math.min(100, score))) / 100) * (height - 2 * pad);
  const coords = points.map((p, i) => `${fmt(pad + i * step)},${fmt(y(p.score))}`);
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>` +
    `<line x1="${pad}" y1="${fmt(y(60))}" x2="${width - pad}" y2="${fmt(y(60))}" class="axis"/>` +
    `<polyline points="${coords.join(' ')}" class="line"/>` +
    points.map((p, i) => `<circle cx="${fmt(pad + i * step)}" cy="${fmt(y(p.score))}" r="3" class="dot"><title>${escapeHtml(`${p.date}：${fmt(p.score)}`)}</title></circle>`).join('') +
    `</svg>`
  );
}
