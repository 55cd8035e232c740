/**
 * Minimal inline-SVG charts for the loop report (one self-contained HTML file, no network):
 * line charts, parity scatter plots and grouped bar charts. Pure string building.
 */

export interface Series { name: string; x: number[]; y: number[]; color: string; dashed?: boolean }

const W = 460, H = 280, M = { l: 62, r: 12, t: 28, b: 44 };
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4))));

function frame(title: string, xl: string, yl: string, x0: number, x1: number, y0: number, y1: number, logY: boolean): { body: string[]; sx: (x: number) => number; sy: (y: number) => number } {
  const sx = (x: number) => M.l + ((x - x0) / (x1 - x0 || 1)) * (W - M.l - M.r);
  const ty = (y: number) => (logY ? Math.log10(y) : y);
  const sy = (y: number) => H - M.b - ((ty(y) - ty(y0)) / (ty(y1) - ty(y0) || 1)) * (H - M.t - M.b);
  const body = [`<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#999"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    `<text x="${(M.l + W - M.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(xl)}</text>`,
    `<text transform="translate(14 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(yl)}</text>`];
  for (const t of ticks(x0, x1)) body.push(`<text x="${sx(t).toFixed(1)}" y="${H - M.b + 14}" text-anchor="middle">${fmt(t)}</text>`);
  const yt = logY ? ticks(Math.floor(Math.log10(y0)), Math.ceil(Math.log10(y1))).filter(Number.isInteger).map((e) => 10 ** e).filter((v) => v >= y0 * 0.999 && v <= y1 * 1.001) : ticks(y0, y1);
  for (const t of yt) body.push(`<text x="${M.l - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text><line x1="${M.l}" x2="${W - M.r}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#eee"/>`);
  return { body, sx, sy };
}

function legend(series: Array<{ name: string; color: string }>): string {
  return series.map((s, k) => `<rect x="${M.l + 6}" y="${M.t + 6 + 14 * k}" width="10" height="10" fill="${s.color}"/><text x="${M.l + 20}" y="${M.t + 15 + 14 * k}">${esc(s.name)}</text>`).join('');
}

const svg = (body: string[]): string => `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">${body.join('')}</svg>`;

/** Lines with markers; non-finite points are skipped. */
export function lineChart(title: string, xl: string, yl: string, series: Series[], opts: { logY?: boolean; y0?: number; y1?: number } = {}): string {
  const pts = series.flatMap((s) => s.x.map((x, i) => [x, s.y[i]])).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!opts.logY || y > 0));
  if (!pts.length) return svg(frame(title, xl, yl, 0, 1, 0, 1, false).body.concat(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>`));
  let x0 = Math.min(...pts.map((p) => p[0])), x1 = Math.max(...pts.map((p) => p[0]));
  if (x0 === x1) { x0 -= 0.5; x1 += 0.5; }
  let y0 = opts.y0 ?? Math.min(...pts.map((p) => p[1])), y1 = opts.y1 ?? Math.max(...pts.map((p) => p[1]));
  if (opts.logY) { y0 = 10 ** Math.floor(Math.log10(y0)); y1 = 10 ** Math.ceil(Math.log10(y1)); }
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; }
  const { body, sx, sy } = frame(title, xl, yl, x0, x1, y0, y1, opts.logY ?? false);
  for (const s of series) {
    const p = s.x.map((x, i) => [x, s.y[i]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!opts.logY || y > 0));
    if (!p.length) continue;
    body.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${p.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of p) body.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(s.name)}: ${fmt(x)}, ${fmt(y)}</title></circle>`);
  }
  body.push(legend(series));
  return svg(body);
}

/** Parity plot: predicted vs reference with the diagonal. */
export function parityChart(title: string, unit: string, ref: number[], pred: number[], color = '#1f77b4'): string {
  const all = [...ref, ...pred].filter(Number.isFinite);
  let lo = all.length ? Math.min(...all) : 0, hi = all.length ? Math.max(...all) : 1;
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const pad = 0.03 * (hi - lo);
  lo -= pad; hi += pad;
  const { body, sx, sy } = frame(title, `reference (${unit})`, `model (${unit})`, lo, hi, lo, hi, false);
  body.push(`<line x1="${sx(lo)}" y1="${sy(lo)}" x2="${sx(hi)}" y2="${sy(hi)}" stroke="#888" stroke-dasharray="4 3"/>`);
  const n = Math.min(ref.length, pred.length);
  const stride = Math.max(1, Math.ceil(n / 4000));
  for (let i = 0; i < n; i += stride) body.push(`<circle cx="${sx(ref[i]).toFixed(1)}" cy="${sy(pred[i]).toFixed(1)}" r="1.6" fill="${color}" fill-opacity="0.6"/>`);
  return svg(body);
}

/** Grouped bars: one group per category x, one bar per series. */
export function barChart(title: string, xl: string, yl: string, categories: number[], series: Array<{ name: string; y: number[]; color: string }>): string {
  const y1 = Math.max(1e-9, ...series.flatMap((s) => s.y.filter(Number.isFinite)));
  const x0 = Math.min(...categories) - 0.5, x1 = Math.max(...categories) + 0.5;
  const { body, sx, sy } = frame(title, xl, yl, x0, x1, 0, y1 * 1.05, false);
  const bw = (sx(1) - sx(0)) * 0.8 / Math.max(1, series.length);
  series.forEach((s, k) => categories.forEach((c, i) => {
    const y = s.y[i] ?? 0;
    if (!(y > 0)) return;
    const x = sx(c) - (bw * series.length) / 2 + k * bw;
    body.push(`<rect x="${x.toFixed(1)}" y="${sy(y).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${(sy(0) - sy(y)).toFixed(1)}" fill="${s.color}"><title>${esc(s.name)} CN ${c}: ${fmt(y)}</title></rect>`);
  }));
  body.push(legend(series));
  return svg(body);
}
