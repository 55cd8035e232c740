/**
 * Basin hopping in the browser: natoms, element, T, step size, fmax, trials; a live chain plot
 * (relaxed energy per trial and the current minimum), the distinct minima as a list (click one
 * to view it), and the number of relaxation frames kept as candidate frames.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { useStudio } from '../store.ts';
import { useEngine, type BhmcForm } from '../engine/engine-store.ts';
import { pauseOrResume, showMinimum, startBhmc, stopRun } from '../engine/run-actions.ts';

const axisStyle = { stroke: '#aab2bf', grid: { stroke: '#222a36' }, ticks: { stroke: '#222a36' } };

export function BhmcPanel() {
  const e = useEngine();
  const models = useStudio((s) => s.models);
  const form = e.bhmcForm;
  const b = e.bhmc;
  const set = (p: Partial<BhmcForm>) => e.set({ bhmcForm: { ...form, ...p } });
  const active = b.phase === 'running' || b.phase === 'paused' || b.phase === 'starting';
  const chartOpts = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 140,
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [{ ...axisStyle, label: 'trial' }, { ...axisStyle, label: 'eV', size: 60 }],
    series: [
      { label: 'trial' },
      { label: 'relaxed E', stroke: '#6fa8ff', width: 0, points: { show: true, size: 6, fill: '#6fa8ff' } },
      { label: 'current minimum', stroke: '#e8a15a', width: 1.5 },
    ],
  }), []);
  const data = useMemo<uPlot.AlignedData>(() => [
    b.trials.map((t) => t.trial),
    b.trials.map((t) => (Number.isFinite(t.energy) ? t.energy : null)),
    b.trials.map((t) => t.currentEnergy),
  ], [b.trials]);
  const label = b.phase === 'running' ? 'Pause' : b.phase === 'paused' ? 'Resume' : b.phase === 'starting' ? 'Starting…' : 'Run BHMC';
  const num = (k: keyof BhmcForm, v: string) => set({ [k]: v === '' ? NaN : Number(v) } as Partial<BhmcForm>);
  return (
    <section className="bhmc-panel" data-testid="bhmc-panel">
      <h3>Basin hopping (BHMC)</h3>
      <div className="grid2">
        <label>atoms<input type="number" data-testid="bhmc-natoms" min={2} max={300} value={form.natoms} disabled={active} onChange={(ev) => num('natoms', ev.target.value)} /></label>
        <label>element
          <select data-testid="bhmc-element" value={form.element} disabled={active} onChange={(ev) => set({ element: ev.target.value })}>
            {[...new Set([form.element, ...(models[0]?.typeMap ?? [])])].map((el) => <option key={el} value={el}>{el}</option>)}
          </select>
        </label>
        <label>T (K)<input type="number" data-testid="bhmc-temperature" min={0} step={100} value={form.temperatureK} disabled={active} onChange={(ev) => num('temperatureK', ev.target.value)} /></label>
        <label>step (Å)<input type="number" data-testid="bhmc-step" min={0.05} step={0.1} value={form.stepSize} disabled={active} onChange={(ev) => num('stepSize', ev.target.value)} /></label>
        <label>fmax (eV/Å)<input type="number" data-testid="bhmc-fmax" min={0.001} step={0.01} value={form.fmax} disabled={active} onChange={(ev) => num('fmax', ev.target.value)} /></label>
        <label>trials<input type="number" data-testid="bhmc-trials" min={1} step={1} value={form.trials} disabled={active} onChange={(ev) => num('trials', ev.target.value)} /></label>
      </div>
      <div className="row">
        <button data-testid="run-bhmc" onClick={() => (b.phase === 'running' || b.phase === 'paused' ? pauseOrResume() : void startBhmc())}
          disabled={!models.length || b.phase === 'starting' || e.md.phase === 'running' || e.md.phase === 'paused' || e.md.phase === 'starting'}>{label}</button>
        <button data-testid="bhmc-stop" onClick={stopRun} disabled={!active}>Stop</button>
      </div>
      <p className="muted small" data-testid="bhmc-state">
        {b.phase} · {Math.max(0, b.trials.length - 1)} / {form.trials} trials · <span data-testid="bhmc-frames">{b.frames}</span> relaxation frames kept
      </p>
      {b.error && <p className="error" role="alert" data-testid="bhmc-error">{b.error}</p>}
      {b.trials.length > 0 && (
        <div data-testid="bhmc-chain" data-points={b.trials.length}>
          <p className="small"><span style={{ color: '#6fa8ff' }}>● relaxed energy per trial</span> · <span style={{ color: '#e8a15a' }}>current minimum</span> (eV)</p>
          <UPlotChart options={chartOpts} data={data} testId="bhmc-chain-plot" />
        </div>
      )}
      {b.minima.length > 0 && b.distinctMinima > b.minima.length && (
        <p className="muted small" data-testid="bhmc-minima-count">the {b.minima.length} lowest of {b.distinctMinima} distinct minima</p>
      )}
      {b.minima.length > 0 && (
        <ol className="minima" data-testid="bhmc-minima">
          {b.minima.map((m) => (
            <li key={m.id}>
              <button className={b.shown === m.id ? 'shown' : ''} data-testid={`bhmc-minimum-${m.id}`} onClick={() => showMinimum(m.id)}>
                #{m.id}: {m.energy.toFixed(3)} eV · {m.visits}× · trial {m.firstTrial}{m.converged ? '' : ' (not converged)'}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
