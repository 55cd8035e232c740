/**
 * Live plots of the running MD (uPlot through UPlotChart), one point per saved frame:
 * E_pot and E_tot (eV), T (K), and the max force deviation (eV/Å) with the trust levels lo/hi
 * drawn as lines and the decent band between them shaded.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from './UPlotChart.tsx';
import type { MdHistory } from '../engine/engine-store.ts';
import { CLASS_COLOURS } from '../colors.ts';

const axisStyle = { stroke: '#aab2bf', grid: { stroke: '#222a36' }, ticks: { stroke: '#222a36' } };
const ps = (t: number[]) => t.map((x) => x / 1000);

export function LivePlots({ history, trustLo, trustHi }: { history: MdHistory; trustLo: number; trustHi: number }) {
  const energyOpts = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 130,
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ ...axisStyle }, { ...axisStyle, size: 55 }],
    series: [{ label: 't (ps)' }, { label: 'E_pot', stroke: '#e8a15a' }, { label: 'E_tot', stroke: '#6fa8ff' }],
  }), []);
  const tempOpts = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 110,
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ ...axisStyle }, { ...axisStyle, size: 55 }],
    series: [{ label: 't (ps)' }, { label: 'T (K)', stroke: '#eb5757' }],
  }), []);
  const deviOpts = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 120,
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ ...axisStyle, label: 't (ps)' }, { ...axisStyle, size: 55 }],
    series: [
      { label: 't (ps)' },
      { label: 'max ε_f', stroke: '#f2f2f2', width: 1.5 },
      { label: 'lo', stroke: CLASS_COLOURS.decent, dash: [4, 4] },
      { label: 'hi', stroke: CLASS_COLOURS.poor, dash: [4, 4] },
    ],
    bands: [{ series: [3, 2], fill: 'rgba(242, 201, 76, 0.12)' }],
  }), []);
  const x = ps(history.timeFs);
  const energy = useMemo<uPlot.AlignedData>(() => [x, history.potential, history.total], [history]); // eslint-disable-line react-hooks/exhaustive-deps
  const temp = useMemo<uPlot.AlignedData>(() => [x, history.temperature], [history]); // eslint-disable-line react-hooks/exhaustive-deps
  const devi = useMemo<uPlot.AlignedData>(
    () => [x, history.maxDeviF, x.map(() => trustLo), x.map(() => trustHi)],
    [history, trustLo, trustHi], // eslint-disable-line react-hooks/exhaustive-deps
  );
  return (
    <div className="live-plots" data-testid="live-plots" data-points={history.timeFs.length}>
      <p className="small"><span style={{ color: '#e8a15a' }}>E_pot</span> · <span style={{ color: '#6fa8ff' }}>E_tot</span> (eV)</p>
      <UPlotChart options={energyOpts} data={energy} testId="plot-energy" />
      <p className="small"><span style={{ color: '#eb5757' }}>T</span> (K)</p>
      <UPlotChart options={tempOpts} data={temp} testId="plot-temperature" />
      <p className="small">max ε<sub>f</sub> (eV/Å) with trust levels <span style={{ color: CLASS_COLOURS.decent }}>lo</span> / <span style={{ color: CLASS_COLOURS.poor }}>hi</span>, decent band shaded</p>
      <UPlotChart options={deviOpts} data={devi} testId="plot-deviation" />
    </div>
  );
}
