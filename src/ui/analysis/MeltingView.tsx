/**
 * Melting curve: a heating ladder of Langevin NVT runs on a chosen cluster (CPU path, in the
 * analysis worker), plotting the mean potential energy per atom and the Lindemann index
 * against the measured temperature as each rung finishes, with the melting estimates marked
 * (two-line fit of E(T) with a jump, and the first T where δ ≥ 0.1).
 */
import { useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { analysisWorker, ensureEnsemble, progress } from './analysis-client.ts';
import { modelLabel, useEnsembleInUse } from './ModelPicker.tsx';
import type { EnsembleInUse } from '../engine/ensemble-in-use.ts';
import type { FrameInput, PotentialChoice } from '../../worker/analysis-service.ts';
import type { MeltingEstimate, MeltingPoint } from '../../core/analysis/melting.ts';
import { estimateMelting } from '../../core/analysis/melting.ts';
import { icosahedron, octahedron } from '../../core/build/index.ts';

const plain = (f: { symbols: string[]; positions: Float64Array }): FrameInput => ({ symbols: f.symbols, positions: f.positions });
const CLUSTERS: { id: string; build(): FrameInput }[] = [
  { id: 'Cu13 icosahedron', build: () => plain(icosahedron('Cu', 2)) },
  { id: 'Cu38 truncated octahedron', build: () => plain(octahedron('Cu', 4, 1)) },
  { id: 'Cu55 icosahedron', build: () => plain(icosahedron('Cu', 3)) },
  { id: 'Cu147 icosahedron', build: () => plain(icosahedron('Cu', 4)) },
  { id: 'Cu309 icosahedron', build: () => plain(icosahedron('Cu', 5)) },
];
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
  const [points, setPoints] = useState<MeltingPoint[]>([]);
  const [estimate, setEstimate] = useState<MeltingEstimate | null>(null);
  const [fraction, setFraction] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The draw hook marks the latest estimate; data and estimate change together (setData redraws).
  const estRef = useRef<MeltingEstimate | null>(null);
  estRef.current = estimate;

  const run = async () => {
    setError(null);
    setPoints([]);
    setEstimate(null);
    const got: MeltingPoint[] = [];
    // A rung reported after the result (the proxy has its own port) must not override it.
    const onRung = progress((pt: MeltingPoint, f: number) => {
      got.push(pt);
      setPoints([...got]);
      setEstimate(estimateMelting(got));
      setFraction(f);
    });
    try {
      if (!(tStep > 0) || !(tTo >= tFrom) || !(tFrom > 0)) throw new Error(`the ladder needs 0 < T_from ≤ T_to and a positive step (got ${tFrom}, ${tTo}, ${tStep} K)`);
      const temps: number[] = [];
      for (let t = tFrom; t <= tTo + 1e-9; t += tStep) temps.push(t);
      if (temps.length > 60) throw new Error(`${temps.length} rungs is too many; use a larger step`);
      const structure = (choices.find((c) => c.id === cluster) ?? CLUSTERS[2]).build();
      const pot = await potentialChoice(potential, ensemble);
      setFraction(0);
      const r = await analysisWorker().melting(structure, pot, { temperaturesK: temps, equilibrationSteps: equil, samplingSteps: sample, sampleEvery: 10, dtFs: 2, seed: 1 }, onRung);
      setPoints(r.points);
      setEstimate(r.estimate);
      if (r.cancelled) setError(`stopped by the user after ${r.points.length} rungs (the points so far are kept)`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      onRung.stop();
      setFraction(null);
    }
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
      </div>
      <div className="row">
        <button type="button" onClick={run} disabled={fraction !== null} data-testid="melting-run">Run heating ladder</button>
        {fraction !== null && (
          <>
            <progress max={1} value={fraction} data-testid="melting-progress" />
            <button type="button" onClick={() => void analysisWorker().cancel()}>Stop</button>
          </>
        )}
      </div>
      <p className="muted">Langevin NVT, dt 2 fs, one rung after the other (heating), on the CPU path in the analysis worker. WebGPU melting of Cu1103 is not wired yet.</p>
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
