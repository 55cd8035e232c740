/** The iteration dashboard DP-GEN users ask for: per iteration the exploration fractions, frames labeled, data-set size and RMSEs, as a table and uPlot plots. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { refreshIterations } from './actions.ts';
import { useBackend } from './backend-store.ts';
import { fractionColumns, iterationRow, rmseColumns } from './iteration-rows.ts';
import { CLASS_COLOURS } from '../colors.ts';

const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
const sci = (x: number | null): string => (x === null ? '–' : x.toExponential(2));

function plotOptions(yLabel: string, series: Array<{ label: string; stroke: string }>, log: boolean): Omit<uPlot.Options, 'width'> {
  return {
    // The narrow tab has no room for uPlot's legend: a caption under each plot names the lines.
    height: 130, legend: { show: false },
    series: [{ label: 'iteration' }, ...series.map((s) => ({ ...s, width: 1.5, points: { show: true, size: 6 }, spanGaps: true }))],
    scales: { x: { time: false }, y: log ? { distr: 3 } : { range: [0, 100] } },
    axes: [{ stroke: '#8a93a3', label: 'iteration', incrs: [1] }, { stroke: '#8a93a3', label: yLabel, size: 56 }],
  };
}

const FRACTION_SERIES = [{ label: 'good %', stroke: CLASS_COLOURS.good }, { label: 'decent %', stroke: CLASS_COLOURS.decent }, { label: 'poor %', stroke: CLASS_COLOURS.poor }];
const RMSE_E_SERIES = [{ label: 'train E (eV/atom)', stroke: '#e8a15a' }, { label: 'validation E (eV/atom)', stroke: '#56ccf2' }];
const RMSE_F_SERIES = [{ label: 'train F (eV/Å)', stroke: '#e8a15a' }, { label: 'validation F (eV/Å)', stroke: '#56ccf2' }];
const FRACTION_OPTS = plotOptions('%', FRACTION_SERIES, false);
const RMSE_E_OPTS = plotOptions('eV/atom', RMSE_E_SERIES, true);
const RMSE_F_OPTS = plotOptions('eV/Å', RMSE_F_SERIES, true);

function Caption({ title, series }: { title: string; series: Array<{ label: string; stroke: string }> }) {
  return (
    <p className="muted plot-caption">
      {title}: {series.map((s, k) => <span key={s.label}>{k > 0 ? ' · ' : ''}<span style={{ color: s.stroke }}>●</span> {s.label}</span>)}
    </p>
  );
}

export function IterationsDashboard() {
  const iterations = useBackend((s) => s.iterations);
  const rows = useMemo(() => iterations.map(iterationRow), [iterations]);
  const fractions = useMemo(() => fractionColumns(rows) as uPlot.AlignedData, [rows]);
  const rmseE = useMemo(() => rmseColumns(rows, 'E') as uPlot.AlignedData, [rows]);
  const rmseF = useMemo(() => rmseColumns(rows, 'F') as uPlot.AlignedData, [rows]);
  return (
    <div className="backend-iterations">
      <h3>Iterations <button type="button" className="small" onClick={() => void refreshIterations()} data-testid="iterations-refresh">refresh</button></h3>
      {/* Two tables side by side when there is room, one above the other in the tab's column (14 columns do not fit it). */}
      <div className="iterations-wrap" data-testid="iterations-table">
      <table className="iterations">
        <caption>exploration</caption>
        <thead><tr><th>#</th><th>status</th><th>explored</th><th>good</th><th>decent</th><th>poor</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="iteration-row">
              <td>{r.number}</td><td>{r.status}</td><td>{r.explored}</td>
              <td className="class-good">{pct(r.good)}</td><td className="class-decent">{pct(r.decent)}</td><td className="class-poor">{pct(r.poor)}</td>
            </tr>
          ))}
          {rows.length === 0 && <tr><td colSpan={6} className="muted">no iterations yet: send frames to label to open one</td></tr>}
        </tbody>
      </table>
      <table className="iterations">
        <caption>labels and training</caption>
        <thead>
          <tr><th>#</th><th>labeled</th><th>failed</th><th>data set</th><th>ensemble</th><th>E train (eV/atom)</th><th>F train (eV/Å)</th><th>E val (eV/atom)</th><th>F val (eV/Å)</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="iteration-train-row">
              <td>{r.number}</td><td>{r.labeled}/{r.selected}</td><td>{r.failed}</td><td>{r.datasetSize}</td><td>{r.ensembleId ?? '–'}</td>
              <td>{sci(r.trainE)}</td><td>{sci(r.trainF)}</td><td>{sci(r.valE)}</td><td>{sci(r.valF)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {rows.length > 0 && (
        <div className="iteration-plots">
          <UPlotChart options={FRACTION_OPTS} data={fractions} testId="iterations-fractions" exportName="iterations-fractions" />
          <Caption title="explored frames per class" series={FRACTION_SERIES} />
          <UPlotChart options={RMSE_E_OPTS} data={rmseE} testId="iterations-rmse-e" exportName="iterations-rmse-energy" />
          <Caption title="energy RMSE per atom, mean of the ensemble" series={RMSE_E_SERIES} />
          <UPlotChart options={RMSE_F_OPTS} data={rmseF} testId="iterations-rmse-f" exportName="iterations-rmse-force" />
          <Caption title="force RMSE, mean of the ensemble" series={RMSE_F_SERIES} />
        </div>
      )}
    </div>
  );
}
