/** Train an ensemble of 4 models on the data set, watch the learning curves live, then use it for exploration. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { startTrain, useEnsemble } from './actions.ts';
import type { EnsembleInUse } from '../engine/ensemble-in-use.ts';
import { useBackendFields, type CurvePoint, type NetworkPreset } from './backend-store.ts';
import { curveColumns } from './curves.ts';

const COLOURS = ['#e8a15a', '#6fcf97', '#56ccf2', '#bb6bd9', '#f2c94c', '#eb5757', '#9b9b9b', '#2d9cdb'];

function curveOptions(models: number): Omit<uPlot.Options, 'width'> {
  const series: uPlot.Series[] = [{ label: 'step' }];
  for (let m = 0; m < models; m++) series.push({ label: `E RMSE train, model ${m} (eV/atom)`, stroke: COLOURS[m % COLOURS.length], width: 1.5, spanGaps: true });
  for (let m = 0; m < models; m++) series.push({ label: `E RMSE validation, model ${m} (eV/atom)`, stroke: COLOURS[m % COLOURS.length], dash: [4, 3], width: 1, spanGaps: true });
  return {
    height: 170, series, legend: { show: false },
    scales: { x: { time: false }, y: { distr: 3 } },
    axes: [{ stroke: '#8a93a3', label: 'step' }, { stroke: '#8a93a3', label: 'E RMSE (eV/atom)', size: 60 }],
  };
}

/** "N models, step S: E RMSE train x eV/atom" from the newest point of each model's curve. */
function curveSummary(curves: ReadonlyArray<ReadonlyArray<CurvePoint> | undefined>): string {
  const last = curves.map((c) => c?.at(-1)).filter((p): p is CurvePoint => p !== undefined);
  if (!last.length) return 'no learning-curve points yet';
  const step = Math.max(...last.map((p) => p.step));
  const e = last.map((p) => p.rmseETrain).filter(Number.isFinite);
  return `${last.length} model curve(s), ${curves.reduce((n, c) => n + (c?.length ?? 0), 0)} points, step ${step}: E RMSE train ${e.length ? (e.reduce((a, b) => a + b, 0) / e.length).toExponential(2) : '–'} eV/atom`;
}

export function TrainSection({ loadEnsemble }: { loadEnsemble: (ensemble: EnsembleInUse) => Promise<unknown> }) {
  const { train, trainSteps, network, busy, activeEnsemble, datasetId, set } = useBackendFields('train', 'trainSteps', 'network', 'busy', 'activeEnsemble', 'datasetId', 'set');
  const nmodels = Math.max(4, train?.curves.length ?? 0);
  const options = useMemo(() => curveOptions(nmodels), [nmodels]);
  const data = useMemo(() => curveColumns(train?.curves ?? [], nmodels) as uPlot.AlignedData, [train?.curves, nmodels]);
  const ens = train?.ensemble ?? null;
  const metric = (k: string): string => {
    const v = ens?.models.map((m) => m.metrics[k]).filter((x) => Number.isFinite(x)) ?? [];
    return v.length ? (v.reduce((a, b) => a + b, 0) / v.length).toExponential(2) : '–';
  };
  return (
    <div className="backend-train">
      <h3>Train</h3>
      <div className="row">
        <label>Steps <input type="number" min={1} step={50} value={trainSteps} onChange={(e) => set({ trainSteps: Math.round(Number(e.target.value)) })} data-testid="train-steps" /></label>
        <label>Network
          <select value={network} onChange={(e) => set({ network: e.target.value as NetworkPreset })} data-testid="train-network">
            <option value="demo">tiny (demo, minutes on a CPU)</option>
            <option value="paper">paper (25-50-100 / 240×3)</option>
          </select>
        </label>
      </div>
      <div className="row">
        <button type="button" onClick={() => void startTrain()} disabled={busy !== null || datasetId === null || (train !== null && (train.state === 'queued' || train.state === 'running'))} data-testid="train-start">Train 4 models</button>
      </div>
      {train && (
        <div className="job" data-testid="train-progress" data-state={train.state}>
          <div>train job {train.jobId}: {train.state} — {train.done}/{train.total} models done</div>
          <progress max={train.total} value={train.done} />
          {train.error && <p className="error" role="alert">train job {train.jobId} {train.state === 'failed' ? 'failed' : 'error'}: {train.error}</p>}
          <UPlotChart options={options} data={data} testId="learning-curves" exportName={`learning-curves-job-${train.jobId}`} />
          <p className="muted" data-testid="curve-summary">{curveSummary(train.curves)} — solid: training, dashed: validation</p>
        </div>
      )}
      {ens && (
        <div className="ensemble" data-testid="trained-ensemble">
          <div>ensemble {ens.id} ({ens.models.length} models): RMSE train E {metric('rmseEnergyPerAtomTrain')} eV/atom, F {metric('rmseForceTrain')} eV/Å; validation E {metric('rmseEnergyPerAtomValidation')} eV/atom, F {metric('rmseForceValidation')} eV/Å</div>
          <button type="button" onClick={() => void useEnsemble(loadEnsemble)} disabled={busy !== null || activeEnsemble?.id === ens.id} data-testid="use-ensemble">
            {activeEnsemble?.id === ens.id ? 'In use for exploration' : 'Use for exploration'}
          </button>
        </div>
      )}
      {activeEnsemble && <p data-testid="active-ensemble">exploring with backend ensemble {activeEnsemble.id} ({activeEnsemble.files.length} models)</p>}
    </div>
  );
}
