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
    const u = new uPlot({ ...options, width: Math.max(120, el.clientWidth) }, latest.current, el);
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
