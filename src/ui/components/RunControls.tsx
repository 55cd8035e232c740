/**
 * MD run controls: ensemble (NVE, Langevin, Nosé–Hoover; NPT for periodic cells, on the CPU),
 * T, dt, steps, save interval, thermostat/barostat settings, engine choice (auto / WebGPU /
 * CPU), Run/Pause/Resume, Step, Stop, the run's state and its live plots. Without a usable
 * WebGPU a banner says that everything runs on the float64 CPU path, and why.
 */
import type { ReactNode } from 'react';
import type { EnginePreference, MdEnsemble } from '../../worker/api.ts';
import { MD_ENSEMBLES } from '../../worker/md-ensembles.ts';
import { ENGINE_PREFERENCES } from '../../worker/engine-choice.ts';
import { useStudio } from '../store.ts';
import { useEngine, type MdForm } from '../engine/engine-store.ts';
import { changeTemperature, pauseOrResume, startMd, stepOnce, stopRun } from '../engine/run-actions.ts';
import { LivePlots } from '../plots/LivePlots.tsx';
import './engine-panels.css';

const ENSEMBLE_LABELS: Record<MdEnsemble, string> = {
  nve: 'NVE (velocity Verlet)',
  langevin: 'NVT Langevin (BAOAB)',
  'nose-hoover': 'NVT Nosé–Hoover chain',
  npt: 'NPT (MTK barostat, periodic cells, CPU)',
};
const ENGINE_LABELS: Record<EnginePreference, string> = {
  auto: 'auto (measure both, run the faster)',
  webgpu: 'WebGPU (float32 WGSL)',
  cpu: 'CPU (float64)',
};

function NumberField({ label, value, onChange, testId, step, min, disabled, children }: {
  label: string; value: number; onChange: (v: number) => void; testId?: string; step?: number; min?: number; disabled?: boolean; children?: ReactNode;
}) {
  return (
    <label>
      {label}
      <input type="number" data-testid={testId} value={Number.isFinite(value) ? value : ''} step={step} min={min} disabled={disabled}
        onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))} />
      {children}
    </label>
  );
}

/** The banner shown when WebGPU cannot be used: everything runs on the float64 CPU path. */
export function CpuBanner() {
  const status = useEngine((s) => s.status);
  if (!status || status.kind !== 'cpu') return null;
  return (
    <p className="banner" data-testid="cpu-banner" role="status">
      No usable WebGPU: MD, BHMC and the deviation run on the float64 CPU path (all features available, slower). Reason: {status.reason}
    </p>
  );
}

export function RunControls() {
  const e = useEngine();
  const studio = useStudio();
  const form = e.mdForm;
  const md = e.md;
  const set = (p: Partial<MdForm>) => e.set({ mdForm: { ...form, ...p } });
  const periodic = !!(studio.frame?.cell && studio.frame.pbc.every(Boolean));
  const active = md.phase === 'running' || md.phase === 'paused' || md.phase === 'starting';
  const label = md.phase === 'running' ? 'Pause' : md.phase === 'paused' ? 'Resume' : md.phase === 'starting' ? 'Starting…' : 'Run MD';
  const typeMap = studio.models[0]?.typeMap ?? [];
  const missing = studio.frame && typeMap.length ? [...new Set(studio.frame.symbols.filter((s) => !typeMap.includes(s)))] : [];
  const gpuUsable = e.status?.kind === 'webgpu';
  const engineNote = form.ensemble === 'npt'
    ? 'NPT runs on the CPU (float64): the GPU integrator has no barostat.'
    : e.preference === 'auto'
      ? gpuUsable ? 'auto: both engines run the first steps; the faster one continues.' : 'auto: CPU (float64), WebGPU unusable.'
      : e.preference === 'webgpu' && !gpuUsable ? 'WebGPU is unusable here: the run falls back to the CPU and says why.' : '';
  return (
    <section className="run-controls" data-testid="run-controls">
      <h3>Molecular dynamics</h3>
      <CpuBanner />
      <label>
        ensemble
        <select data-testid="md-ensemble" value={form.ensemble} disabled={active} onChange={(ev) => set({ ensemble: ev.target.value as MdEnsemble })}>
          {MD_ENSEMBLES.map((id) => (
            <option key={id} value={id} disabled={id === 'npt' && !periodic}>{ENSEMBLE_LABELS[id]}{id === 'npt' && !periodic ? ' — needs a periodic cell' : ''}</option>
          ))}
        </select>
      </label>
      <NumberField label={form.ensemble === 'nve' ? 'initial T (K)' : 'T (K) — changes a running thermostat at once'} testId="md-temperature" value={form.temperatureK} step={50} min={1}
        onChange={changeTemperature} />
      <div className="grid2">
        <NumberField label="dt (fs)" testId="md-dt" value={form.dtFs} step={0.5} min={0.1} disabled={active} onChange={(v) => set({ dtFs: v })} />
        <NumberField label="steps" testId="md-steps" value={form.steps} step={100} min={1} disabled={active} onChange={(v) => set({ steps: v })} />
        <NumberField label="save every (steps)" testId="md-save-every" value={form.saveEvery} step={1} min={1} disabled={active} onChange={(v) => set({ saveEvery: v })} />
        <NumberField label="seed" value={form.seed} step={1} disabled={active} onChange={(v) => set({ seed: v })} />
        {form.ensemble === 'langevin' && <NumberField label="friction (1/fs)" value={form.frictionPerFs} step={0.005} disabled={active} onChange={(v) => set({ frictionPerFs: v })} />}
        {(form.ensemble === 'nose-hoover' || form.ensemble === 'npt') && <NumberField label="τ_T (fs)" value={form.tauTFs} step={10} disabled={active} onChange={(v) => set({ tauTFs: v })} />}
        {form.ensemble === 'npt' && <NumberField label="P (bar)" testId="md-pressure" value={form.pressureBar} step={1} disabled={active} onChange={(v) => set({ pressureBar: v })} />}
      </div>
      <label>
        engine
        <select data-testid="engine-preference" value={e.preference} disabled={active} onChange={(ev) => e.set({ preference: ev.target.value as EnginePreference })}>
          {ENGINE_PREFERENCES.map((id) => <option key={id} value={id}>{ENGINE_LABELS[id]}</option>)}
        </select>
      </label>
      <label className="row small" title="CPU engine: each embedding net from quintic tables (as DeePMD's dp compress), within 1e-8 eV and eV/Å of the exact nets; unchecked: the exact nets">
        <input type="checkbox" data-testid="cpu-tabulate" checked={e.cpuTabulate} disabled={active} onChange={(ev) => e.set({ cpuTabulate: ev.target.checked })} />
        CPU: tabulated embedding (faster; exact nets when off)
      </label>
      {engineNote && <p className="muted small">{engineNote}</p>}
      {missing.length > 0 && (
        <p className="error" role="alert" data-testid="element-mismatch">
          The loaded models (type_map [{typeMap.join(', ')}]) have no {missing.join(', ')}: load a model for {missing.join(', ')} or pick a structure of {typeMap.join(', ')}.
        </p>
      )}
      <div className="row">
        <button data-testid="run-md" onClick={() => (md.phase === 'running' || md.phase === 'paused' ? pauseOrResume() : void startMd())}
          disabled={!studio.models.length || md.phase === 'starting' || e.bhmc.phase === 'running' || e.bhmc.phase === 'starting'}>{label}</button>
        <button data-testid="md-step" onClick={stepOnce} disabled={md.phase !== 'paused'} title="one MD step while paused">Step</button>
        <button data-testid="md-stop" onClick={stopRun} disabled={!active}>Stop</button>
      </div>
      <p className="muted small" data-testid="md-state" data-held={String(md.phase === 'paused' && !!md.held)}>
        {md.phase === 'paused' && !md.held ? 'pausing…' : md.phase}{md.last ? ` · step ${md.last.step} · ${(md.last.timeFs / 1000).toFixed(3)} ps · T ${md.last.temperatureK.toFixed(0)} K` : ''} · <span data-testid="md-frames">{md.frames}</span> frames saved
      </p>
      {md.error && <p className="error" role="alert" data-testid="md-error">{md.error}</p>}
      {md.history.timeFs.length > 0 && <LivePlots history={md.history} trustLo={studio.trustLo} trustHi={studio.trustHi} />}
    </section>
  );
}
