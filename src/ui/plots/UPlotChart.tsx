/**
 * One React wrapper around uPlot, shared by every plot in the studio (live MD plots, BHMC chain,
 * learning curves, the iteration dashboard, analyses). The chart is created once per `options`
 * identity and fed new data with setData (no re-creation per frame); it follows its container's
 * width. Data are uPlot's column arrays: data[0] is x, data[k] the k-th series.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  /** uPlot options without width (taken from the container); keep the object stable (useMemo). */
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  /** data-testid of the wrapper element. */
  testId?: string;
  /** Called once the chart exists (e.g. to attach cursor/click hooks or export a PNG). */
  onReady?: (chart: uPlot) => void;
}

export function UPlotChart({ options, data, testId, onReady }: UPlotChartProps) {
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

  return <div className="uplot-host" data-testid={testId} ref={host} />;
}
