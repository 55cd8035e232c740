/**
 * Melting curve: a heating ladder of Langevin NVT runs on a chosen cluster, plotting the mean
 * potential energy per atom and the Lindemann index against the measured temperature as each
 * rung finishes, with the melting estimates marked (two-line fit of E(T) with a jump, and the
 * first T where δ ≥ 0.1). Engines (melting-engine.ts): the all-GPU integrator in the simulation
 * worker for the DP ensemble's model 0 when WebGPU is usable (Cu1103), else the float64 CPU path
 * in the analysis worker. Stop acts at once: the view stops taking points and shows the state;
 * the worker ends after the chunk of steps in flight.
 */
import { useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import * as Comlink from 'comlink';
import { analysisWorker, ensureEnsemble } from './analysis-client.ts';
import { modelLabel, useEnsembleInUse } from './ModelPicker.tsx';
import type { EnsembleInUse } from '../engine/ensemble-in-use.ts';
import type { FrameInput, PotentialChoice } from '../../worker/analysis-service.ts';
import type { MeltingEstimate, MeltingPoint } from '../../core/analysis/melting.ts';
import { estimateMelting } from '../../core/analysis/melting.ts';
import { fccSphere, icosahedron, octahedron } from '../../core/build/index.ts';
import { simWorker } from '../engine/sim-client.ts';
import { useEngine } from '../engine/engine-store.ts';
import { meltingEngine } from './melting-engine.ts';
import type { EngineChoice, EnginePreference, MeltingResult } from '../../worker/api.ts';

const plain = (f: { symbols: string[]; positions: Float64Array }): FrameInput => ({ symbols: f.symbols, positions: f.positions });
const CLUSTERS: { id: string; build(): FrameInput }[] = [
  { id: 'Cu13 icosahedron', build: () => plain(icosahedron('Cu', 2)) },
  { id: 'Cu38 truncated octahedron', build: () => plain(octahedron('Cu', 4, 1)) },
  { id: 'Cu55 icosahedron', build: () => plain(icosahedron('Cu', 3)) },
  { id: 'Cu147 icosahedron', build: () => plain(icosahedron('Cu', 4)) },
  { id: 'Cu309 icosahedron', build: () => plain(icosahedron('Cu', 5)) },
  { id: 'Cu1103 fcc sphere', build: () => plain(fccSphere('Cu', 1103)) },
];
type Phase = 'idle' | 'running' | 'finished' | 'stopped' | 'error';
const potentialKind = (name: string): 'dp' | 'eam' | 'lj' => (name.startsWith('EAM') ? 'eam' : name.startsWith('LJ') ? 'lj' : 'dp');
const POTENTIALS = ['EAM Cu_mishin1.eam.alloy', 'EAM Cu_u3.eam', 'LJ Cu (ε 0.4093 eV, σ 2.338 Å)', 'DP model 0 of the ensemble'] as const;

/** The DP rung runs follow model 0 of the ensemble in use, as the studio's MD does. */
async function potentialChoice(name: (typeof POTENTIALS)[number], ensemble: EnsembleInUse): Promise<PotentialChoice> {
  if (name.startsWith('EAM')) {
    const file = name.slice(4);
    const url = new URL(`${import.meta.env.BASE_URL}potentials/${file}`, self.location.href).href;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`cannot fetch ${url}: HTTP ${res.status}`);
    return { kind: 'eam', name: file, text: await res.text() };
  }
  if (name.startsWith('LJ')) return { kind: 'lj', epsilon: 0.4093, sigma: 2.338 };
  await ensureEnsemble(ensemble);
  return { kind: 'dp', model: { ensemble: ensemble.key, model: 0 } };
}

export function MeltingView({ current }: { current?: { label: string; frame: FrameInput } | null }) {
  const choices = [...(current ? [{ id: `current: ${current.label}`, build: () => current.frame }] : []), ...CLUSTERS];
  const [cluster, setCluster] = useState(CLUSTERS[2].id);
  const ensemble = useEnsembleInUse();
  const [potential, setPotential] = useState<(typeof POTENTIALS)[number]>(POTENTIALS[0]);
  const [tFrom, setTFrom] = useState(300);
  const [tTo, setTTo] = useState(1300);
  const [tStep, setTStep] = useState(100);
  const [equil, setEquil] = useState(1000);
  const [sample, setSample] = useState(2000);
  const [every, setEvery] = useState(10);
  const [pref, setPref] = useState<EnginePreference>('auto');
  const status = useEngine((e) => e.status);
  const [points, setPoints] = useState<MeltingPoint[]>([]);
  const [estimate, setEstimate] = useState<MeltingEstimate | null>(null);
  const [fraction, setFraction] = useState<number | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [choice, setChoice] = useState<(EngineChoice & { name?: string }) | null>(null);
  /** The worker has not returned yet (a stopped ladder finishes the steps in flight). */
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wall, setWall] = useState<string | null>(null);
  // The draw hook marks the latest estimate; data and estimate change together (setData redraws).
  const estRef = useRef<MeltingEstimate | null>(null);
  estRef.current = estimate;
  /** Id of the ladder whose points are shown; a stopped ladder's late callbacks are ignored. */
  const live = useRef(0);
  const stopWorker = useRef<(() => void) | null>(null);
  const pending = useRef<Promise<MeltingResult> | null>(null);

  const run = async () => {
    const id = ++live.current;
    setError(null);
    setWall(null);
    setPoints([]);
    setEstimate(null);
    // Reports arriving after the result (each proxy has its own port) or from a stopped ladder are dropped.
    let on = true;
    try {
      if (!(tStep > 0) || !(tTo >= tFrom) || !(tFrom > 0)) throw new Error(`the ladder needs 0 < T_from ≤ T_to and a positive step (got ${tFrom}, ${tTo}, ${tStep} K)`);
      const temps: number[] = [];
      for (let t = tFrom; t <= tTo + 1e-9; t += tStep) temps.push(t);
      if (temps.length > 60) throw new Error(`${temps.length} rungs is too many; use a larger step`);
      const structure = (choices.find((c) => c.id === cluster) ?? CLUSTERS[2]).build();
      const engine = meltingEngine(pref, status, potentialKind(potential));
      setChoice(engine);
      setPhase('running');
      setBusy(true);
      setFraction(0);
      const got: MeltingPoint[] = [];
      const params = { temperaturesK: temps, equilibrationSteps: equil, samplingSteps: sample, sampleEvery: every, dtFs: 2, seed: 1 };
      const onRung = (pt: MeltingPoint, f: number) => {
        if (!on || live.current !== id) return;
        got.push(pt);
        setPoints([...got]);
        setEstimate(estimateMelting(got));
        setFraction(f);
      };
      const onProgress = (f: number) => { if (on && live.current === id) setFraction(f); };
      const t0 = performance.now();
      let call: Promise<MeltingResult>;
      if (engine.engine === 'webgpu') {
        stopWorker.current = () => void simWorker().stopMelting();
        call = simWorker().meltingLadder({ symbols: structure.symbols, positions: Float64Array.from(structure.positions) }, params, Comlink.proxy({ onRung, onProgress }));
      } else {
        const pot = await potentialChoice(potential, ensemble);
        stopWorker.current = () => void analysisWorker().cancel();
        call = analysisWorker().melting(structure, pot, params, Comlink.proxy(onRung), Comlink.proxy(onProgress));
      }
      pending.current = call;
      const r = await call;
      if (live.current !== id) return;
      setChoice({ ...engine, name: r.engine });
      setPoints(r.points);
      setEstimate(r.estimate);
      setWall(`${r.points.length} rungs, ${r.steps} MD steps in ${(r.wallMs / 1000).toFixed(1)} s of ladder, ${((performance.now() - t0) / 1000).toFixed(1)} s with the engine set-up`);
      setPhase(r.cancelled ? 'stopped' : 'finished');
    } catch (e) {
      if (live.current !== id) return;
      setError(e instanceof Error ? e.message : String(e));
      setPhase('error');
    } finally {
      on = false;
      if (live.current === id) {
        setFraction(null);
        setBusy(false);
      }
    }
  };

  /** Stop at once: the points so far stay, later ones are ignored; the worker ends after the steps in flight. */
  const stop = () => {
    stopWorker.current?.();
    stopWorker.current = null;
    const id = ++live.current;
    setPhase('stopped');
    setFraction(null);
    // Run stays disabled until the worker has returned (its GPU/CPU steps in flight).
    void pending.current?.catch(() => {}).finally(() => { if (live.current === id) setBusy(false); });
  };

  const data = useMemo<uPlot.AlignedData>(() => {
    const p = [...points].sort((a, b) => a.meanTemperatureK - b.meanTemperatureK);
    return [p.map((q) => q.meanTemperatureK), p.map((q) => q.potentialEnergyPerAtom), p.map((q) => q.lindemann)];
  }, [points]);
  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 280, title: 'heating ladder',
    scales: { x: { time: false }, E: {}, d: { range: [0, null] as unknown as uPlot.Range.MinMax } },
    axes: [
      { label: 'temperature (K)', stroke: '#aab2bf' },
      { scale: 'E', label: 'E_pot per atom (eV/atom)', stroke: '#e8a15a' },
      { scale: 'd', side: 1, label: 'Lindemann index δ', stroke: '#5ab0e8', grid: { show: false } },
    ],
    series: [
      { label: 'T (K)' },
      { label: 'E_pot (eV/atom)', scale: 'E', stroke: '#e8a15a', width: 2, points: { show: true, size: 6 } },
      { label: 'Lindemann δ', scale: 'd', stroke: '#5ab0e8', width: 2, points: { show: true, size: 6 } },
    ],
    hooks: {
      draw: [(u: uPlot) => {
        // Mark the estimates: vertical lines at T_m (energy, orange) and T_δ (Lindemann, blue).
        const est = estRef.current;
        if (!est) return;
        const ctx = u.ctx;
        for (const [t, colour] of [[est.fromEnergyK, '#e8a15a'], [est.fromLindemannK, '#5ab0e8']] as const) {
          if (t === null) continue;
          const x = u.valToPos(t, 'x', true);
          ctx.save();
          ctx.strokeStyle = colour;
          ctx.setLineDash([6, 4]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.restore();
        }
      }],
    },
  }), []);

  return (
    <section className="analysis-view" data-testid="melting-view">
      <div className="grid-form">
        <label>cluster <select value={cluster} onChange={(e) => setCluster(e.target.value)} data-testid="melting-cluster">{choices.map((c) => <option key={c.id}>{c.id}</option>)}</select></label>
        <label>potential <select value={potential} onChange={(e) => setPotential(e.target.value as (typeof POTENTIALS)[number])} data-testid="melting-potential">{POTENTIALS.map((p) => <option key={p} value={p}>{p.startsWith('DP') ? `DP: ${modelLabel(ensemble, 0)}` : p}</option>)}</select></label>
        <label>T from (K) <input type="number" value={tFrom} onChange={(e) => setTFrom(Number(e.target.value))} data-testid="melting-from" /></label>
        <label>T to (K) <input type="number" value={tTo} onChange={(e) => setTTo(Number(e.target.value))} data-testid="melting-to" /></label>
        <label>step (K) <input type="number" value={tStep} onChange={(e) => setTStep(Number(e.target.value))} data-testid="melting-step" /></label>
        <label>equilibration steps <input type="number" value={equil} onChange={(e) => setEquil(Number(e.target.value))} data-testid="melting-equil" /></label>
        <label>sampling steps <input type="number" value={sample} onChange={(e) => setSample(Number(e.target.value))} data-testid="melting-sample" /></label>
        <label>sample every (steps) <input type="number" value={every} min={1} onChange={(e) => setEvery(Number(e.target.value))} data-testid="melting-every" /></label>
        <label>engine <select value={pref} onChange={(e) => setPref(e.target.value as EnginePreference)} data-testid="melting-engine-pref">
          <option value="auto">auto (WebGPU for DP when usable)</option>
          <option value="webgpu">WebGPU</option>
          <option value="cpu">CPU (float64)</option>
        </select></label>
      </div>
      <div className="row">
        <button type="button" onClick={run} disabled={busy} data-testid="melting-run">Run heating ladder</button>
        {phase === 'running' && (
          <>
            <progress max={1} value={fraction ?? 0} data-testid="melting-progress" />
            <button type="button" onClick={stop} data-testid="melting-stop">Stop</button>
          </>
        )}
      </div>
      <p className="muted">Langevin NVT (γ 0.01 fs⁻¹), dt 2 fs, one rung after the other (heating) from the last state; velocities drawn at the first rung&apos;s T (seed 1). Engine: {meltingEngine(pref, status, potentialKind(potential)).engine === 'webgpu' ? 'WebGPU' : 'CPU'} with these settings.</p>
      <p data-testid="melting-state" data-state={phase} role="status">
        {phase === 'idle' && 'not run yet'}
        {phase === 'running' && `running: ${points.length} of ${Math.max(0, Math.floor((tTo - tFrom) / tStep + 1e-9) + 1)} rungs done`}
        {phase === 'finished' && `finished: ${points.length} rungs`}
        {phase === 'stopped' && `stopped by the user after ${points.length} rungs (the points so far are kept)${busy ? '; the worker is finishing the steps in flight' : ''}`}
        {phase === 'error' && 'failed (see the message below)'}
        {' · '}<span data-testid="melting-points">{points.length}</span> points
      </p>
      {choice && (
        <p data-testid="melting-engine" data-engine={choice.engine}>
          engine: {choice.engine === 'webgpu' ? 'WebGPU' : 'CPU (float64)'}{choice.name ? ` — ${choice.name}` : ''} ({choice.why}){wall ? ` · ${wall}` : ''}
        </p>
      )}
      {error && <p className="error" role="alert" data-testid="melting-error">{error}</p>}
      {points.length > 0 && (
        <UPlotChart options={options} data={data} testId="melting-plot" exportName="melting" />
      )}
      {estimate && (
        <p data-testid="melting-estimate">
          {estimate.fromEnergyK !== null ? `E(T) jump between ${estimate.bracketK![0].toFixed(0)} and ${estimate.bracketK![1].toFixed(0)} K: T_m ≈ ${estimate.fromEnergyK.toFixed(0)} K, latent heat ${(1000 * estimate.latentHeatPerAtom!).toFixed(1)} meV/atom` : 'E(T): at least 4 rungs are needed for the two-line estimate'}
          {' · '}
          {estimate.fromLindemannK !== null ? `δ reaches ${estimate.lindemannThreshold} at ≈ ${estimate.fromLindemannK.toFixed(0)} K` : `δ stays below ${estimate.lindemannThreshold}`}
        </p>
      )}
    </section>
  );
}
