/**
 * One React wrapper around uPlot, shared by every plot in the studio (live MD plots, BHMC chain,
 * learning curves, the iteration dashboard, analyses). The chart is created once per `options`
 * identity and fed new data with setData (no re-creation per frame); it follows its container's
 * width. Data are uPlot's column arrays: data[0] is x, data[k] the k-th series.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { canvasToPng, columnsToCsv, download } from './export.ts';

/** What a plot shows, for tests and scripting: `window.__nanostudioPlots[testId]` (updated on every draw). */
export interface PlotReport {
  title: string;
  /** Series labels (series 0 is x). */
  series: string[];
  /** Non-null values per series (series 0: the number of x values). */
  counts: number[];
  /** [min, max] of each scale as drawn (e.g. x, y, or named scales). */
  scales: Record<string, [number | null, number | null]>;
  /** Client (page) coordinates of data point `index` of series `series`. */
  point(series: number, index: number): [number, number];
  /** The brushed rectangle (plot-area pixels; width 0 when none). */
  select(): { left: number; top: number; width: number; height: number };
  draws: number;
}

declare global {
  interface Window { __nanostudioPlots?: Record<string, PlotReport> }
}

/**
 * The chart's report for tests: read lazily (getters), so a redraw costs one counter increment
 * (the live MD plots redraw on every snapshot with ever longer columns).
 */
function report(u: uPlot): PlotReport {
  return {
    get title() { return u.root.querySelector('.u-title')?.textContent ?? ''; },
    get series() { return u.series.map((s) => (typeof s.label === 'string' ? s.label : '')); },
    get counts() { return u.data.map((col) => Array.from(col as ArrayLike<number | null | undefined>).filter((v) => v !== null && v !== undefined).length); },
    get scales() { return Object.fromEntries(Object.entries(u.scales).map(([k, sc]) => [k, [sc.min ?? null, sc.max ?? null] as [number | null, number | null]])); },
    point: (series, index) => {
      const rect = u.over.getBoundingClientRect();
      const x = u.data[0][index] as number, y = u.data[series][index] as number;
      return [rect.left + u.valToPos(x, 'x'), rect.top + u.valToPos(y, u.series[series].scale ?? 'y')];
    },
    select: () => ({ left: u.select.left, top: u.select.top, width: u.select.width, height: u.select.height }),
    draws: 0,
  };
}

export interface UPlotChartProps {
  /** uPlot options without width (taken from the container); keep the object stable (useMemo). */
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  /** data-testid of the wrapper element. */
  testId?: string;
  /** Called once the chart exists (e.g. to attach cursor/click hooks or export a PNG). */
  onReady?: (chart: uPlot) => void;
  /** When set, PNG and CSV buttons download the plot as `<exportName>.png` / `.csv`. */
  exportName?: string;
}

/** Series labels (with their units, as the options name them) for the CSV header. */
function csvLabels(options: Omit<uPlot.Options, 'width'>, ncols: number): string[] {
  return Array.from({ length: ncols }, (_, k) => {
    const label = options.series[k]?.label;
    return typeof label === 'string' && label ? label : k === 0 ? 'x' : `series ${k}`;
  });
}

export function UPlotChart({ options, data, testId, onReady, exportName }: UPlotChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let rep: PlotReport | null = null;
    const hooks = testId ? { ...options.hooks, draw: [...(options.hooks?.draw ?? []), () => { if (rep) rep.draws++; }] } : options.hooks;
    const u = new uPlot({ ...options, hooks, width: Math.max(120, el.clientWidth) }, latest.current, el);
    if (testId) {
      const all = (window.__nanostudioPlots ??= {});
      rep = report(u);
      rep.draws = (all[testId]?.draws ?? 0) + 1; // the first draw happened inside the constructor
      all[testId] = rep;
    }
    chart.current = u;
    onReady?.(u);
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(120, el.clientWidth), height: options.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      chart.current = null;
    };
    // onReady is a callback for creation only; re-creating on its identity would lose zoom state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [options]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  const exportPng = () => {
    const canvas = chart.current?.ctx.canvas;
    if (canvas && exportName) void canvasToPng(canvas).then((b) => download(`${exportName}.png`, b));
  };
  const exportCsv = () => {
    if (exportName) download(`${exportName}.csv`, columnsToCsv(csvLabels(options, latest.current.length), latest.current as ArrayLike<number | null>[]), 'text/csv');
  };
  return (
    <div className="uplot-frame">
      {exportName && (
        <div className="plot-export">
          <button type="button" onClick={exportPng} data-testid={testId ? `${testId}-png` : undefined} title="Download this plot as PNG">PNG</button>
          <button type="button" onClick={exportCsv} data-testid={testId ? `${testId}-csv` : undefined} title="Download this plot's data as CSV">CSV</button>
        </div>
      )}
      <div className="uplot-host" data-testid={testId} ref={host} />
    </div>
  );
}
