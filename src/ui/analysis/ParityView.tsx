/**
 * Parity of a DP model against labels from the backend: energy per atom and every force
 * component, with RMSE / MSE / MUE overall and per group (per iteration). The frames: the labeled
 * frames of the data set chosen in the Backend tab, all or one iteration's. The model: one model
 * of the ensemble in use, or of the ensemble trained in an iteration, or their mean. Click a
 * point: its frame opens (the atom of a force point highlighted).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { commonRange } from '../plots/ranges.ts';
import { analysisWorker, ensureEnsemble, progress } from './analysis-client.ts';
import type { LabeledInput } from '../../worker/analysis-service.ts';
import type { LabeledSource } from './sources.ts';
import { FrameView } from './FrameView.tsx';
import { ModelPicker, modelLabel, useEnsembleInUse, validModel, type ModelIndex } from './ModelPicker.tsx';
import { useBackend } from '../backend/backend-store.ts';
import { backendEnsemble } from '../backend/actions.ts';
import { backendEnsembleKey, type EnsembleInUse } from '../engine/ensemble-in-use.ts';

type Parity = Awaited<ReturnType<ReturnType<typeof analysisWorker>['parity']>>;
interface Opened { frame: number; atom: number | null }

const fmt = (x: number) => (Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4));

/** One parity scatter: points sorted by the reference, plus the y = x line. */
function paritySeries(ref: ArrayLike<number>, pred: ArrayLike<number>): { data: uPlot.AlignedData; order: Int32Array } {
  const order = Int32Array.from({ length: ref.length }, (_, i) => i).sort((a, b) => ref[a] - ref[b]);
  const xs = Array.from(order, (i) => ref[i]);
  return { data: [xs, Array.from(order, (i) => pred[i]), xs.slice()], order };
}

function parityOptions(title: string, unit: string): Omit<uPlot.Options, 'width'> {
  // Ticks at least every 36 px on both axes; the y axis wide enough for "-3.600".
  const axis = { stroke: '#aab2bf', space: 36, grid: { stroke: '#2a3240', width: 1 }, ticks: { stroke: '#3a4659', width: 1 } };
  return {
    height: 300, title,
    // One range for both axes (y = x is the diagonal), with margins: no point on the frame.
    scales: { x: { time: false, range: commonRange }, y: { range: commonRange } },
    cursor: { points: { show: false } },
    axes: [{ ...axis, label: `label (${unit})` }, { ...axis, label: `model (${unit})`, size: 62 }],
    series: [
      { label: `label (${unit})` },
      { label: `model (${unit})`, stroke: '#5ab0e8', paths: () => null, points: { show: true, size: 5, fill: '#5ab0e8' } },
      { label: 'y = x', stroke: '#8a93a3', dash: [4, 4], points: { show: false } },
    ],
  };
}

/** The ensemble trained in an iteration, downloaded once per page. */
const downloaded = new Map<number, Promise<EnsembleInUse>>();
function iterationEnsemble(id: number): Promise<EnsembleInUse> {
  let p = downloaded.get(id);
  if (!p) {
    p = backendEnsemble(id);
    p.catch(() => downloaded.delete(id));
    downloaded.set(id, p);
  }
  return p;
}

const IN_USE = 'in-use';

export function ParityView({ sources }: { sources: LabeledSource[] }) {
  // The first labeled source until the user picks one (sources appear when the backend connects).
  const [picked, setSourceId] = useState<string | null>(null);
  const sourceId = picked !== null && sources.some((s) => s.id === picked) ? picked : (sources[0]?.id ?? '');
  const iterations = useBackend((st) => st.iterations);
  const [iterationPick, setIteration] = useState<number | 'all'>('all');
  const iteration = iterationPick === 'all' ? undefined : iterations.find((it) => it.id === iterationPick);
  // The ensemble: the one in use, or one trained in an iteration (default: the picked iteration's).
  const inUse = useEnsembleInUse();
  const [ensemblePick, setEnsemblePick] = useState<string | null>(null);
  const trained = iterations.filter((it) => it.ensembleId !== null);
  const ensembleSel = ensemblePick !== null && (ensemblePick === IN_USE || trained.some((it) => String(it.ensembleId) === ensemblePick))
    ? ensemblePick : (iteration?.ensembleId != null ? String(iteration.ensembleId) : IN_USE);
  const [other, setOther] = useState<EnsembleInUse | null>(null);
  const ensemble = ensembleSel === IN_USE ? inUse : (other?.key === backendEnsembleKey(Number(ensembleSel)) ? other : null);
  const [modelPick, setModel] = useState<ModelIndex>(0);
  const model = ensemble ? validModel(ensemble, modelPick, true) : modelPick;
  const [frames, setFrames] = useState<LabeledInput[] | null>(null);
  const [parity, setParity] = useState<Parity | null>(null);
  const [what, setWhat] = useState('');
  const [fraction, setFraction] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);

  useEffect(() => {
    if (ensembleSel === IN_USE) return;
    let live = true;
    iterationEnsemble(Number(ensembleSel)).then((e) => { if (live) setOther(e); }, (e: unknown) => { if (live) setError(`ensemble ${ensembleSel}: ${e instanceof Error ? e.message : String(e)}`); });
    return () => { live = false; };
  }, [ensembleSel]);

  const compute = async () => {
    setError(null);
    setOpened(null);
    setFraction(0);
    const report = progress(setFraction);
    try {
      const src = sources.find((s) => s.id === sourceId);
      if (!src) throw new Error('choose a data set with labeled frames (connect to the backend first)');
      if (!ensemble) throw new Error(`ensemble ${ensembleSel} is still being downloaded from the backend`);
      await ensureEnsemble(ensemble);
      const all = await src.load();
      const fs = iteration ? all.filter((f) => f.iterationId === iteration.id) : all;
      if (fs.length === 0) throw new Error(`${src.label}${iteration ? `, iteration ${iteration.number},` : ''} has no labeled frames yet`);
      const p = await analysisWorker().parity(fs, { ensemble: ensemble.key, model }, report);
      setFrames(fs);
      setParity(p);
      setWhat(iteration ? `the ${fs.length} labeled frames of iteration ${iteration.number}` : `all ${fs.length} labeled frames`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      report.stop();
      setFraction(null);
    }
  };

  const energy = useMemo(() => (parity ? paritySeries(parity.energyPerAtom.ref, parity.energyPerAtom.pred) : null), [parity]);
  const force = useMemo(() => (parity ? paritySeries(parity.force.ref, parity.force.pred) : null), [parity]);
  const eOpts = useMemo(() => parityOptions('energy per atom', 'eV/atom'), []);
  const fOpts = useMemo(() => parityOptions('force components', 'eV/Å'), []);
  // The click handlers are attached once per chart: they read the latest data through a ref.
  const latest = useRef({ parity, energy, force });
  latest.current = { parity, energy, force };

  /** Click → nearest point (within 12 px) → open its frame. */
  const clickable = (kind: 'energy' | 'force') => (u: uPlot) => {
    u.over.addEventListener('click', (ev) => {
      const { parity: p, energy: e, force: f } = latest.current;
      const s = kind === 'energy' ? e : f;
      if (!p || !s) return;
      const rect = u.over.getBoundingClientRect();
      const cx = ev.clientX - rect.left, cy = ev.clientY - rect.top;
      const xs = s.data[0] as number[], ys = s.data[1] as number[];
      let best = -1, bestD = 144;
      for (let k = 0; k < xs.length; k++) {
        const dx = u.valToPos(xs[k], 'x') - cx, dy = u.valToPos(ys[k], 'y') - cy;
        if (dx * dx + dy * dy < bestD) { bestD = dx * dx + dy * dy; best = k; }
      }
      if (best < 0) return;
      const i = s.order[best];
      setOpened(kind === 'energy' ? { frame: i, atom: null } : { frame: p.force.frame[i], atom: p.force.atom[i] });
    });
  };

  const rows = parity ? [{ group: 'all', frames: parity.energyPerAtom.ref.length, energyPerAtom: parity.metrics.energyPerAtom, force: parity.metrics.force }, ...parity.groups] : [];
  return (
    <section className="analysis-view" data-testid="parity-view">
      <div className="row wrap">
        <select value={sourceId} onChange={(e) => setSourceId(e.target.value)} data-testid="parity-source">
          {sources.length === 0 && <option value="">no labeled data (connect to the backend)</option>}
          {sources.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
        </select>
        <label>frames <select value={String(iterationPick)} data-testid="parity-iteration"
          onChange={(e) => { setIteration(e.target.value === 'all' ? 'all' : Number(e.target.value)); setEnsemblePick(null); }}>
          <option value="all">all iterations</option>
          {iterations.map((it) => <option key={it.id} value={it.id}>iteration {it.number} ({it.framesLabeled} labeled)</option>)}
        </select></label>
      </div>
      <div className="row wrap">
        <label>ensemble <select value={ensembleSel} onChange={(e) => setEnsemblePick(e.target.value)} data-testid="parity-ensemble">
          <option value={IN_USE}>in use: {inUse.name}</option>
          {trained.map((it) => <option key={it.id} value={String(it.ensembleId)}>ensemble {it.ensembleId} (trained in iteration {it.number})</option>)}
        </select></label>
        {ensemble ? <ModelPicker ensemble={ensemble} value={model} onChange={setModel} allowMean testId="parity-model" /> : <span className="muted">downloading…</span>}
        <button type="button" onClick={compute} disabled={fraction !== null || !ensemble} data-testid="parity-compute">Compute parity</button>
        {fraction !== null && <progress max={1} value={fraction} />}
      </div>
      <p className="muted" data-testid="parity-model-name">{ensemble ? modelLabel(ensemble, model) : `ensemble ${ensembleSel}`} vs the labels of {iteration ? `iteration ${iteration.number}` : 'all iterations'}</p>
      {error && <p className="error" role="alert" data-testid="parity-error">{error}</p>}
      {parity && energy && force && (
        <>
          <p className="muted" data-testid="parity-result-model">{parity.model} vs {what}; force points shown: every {parity.force.stride === 1 ? '' : `${parity.force.stride}th `}component, metrics over all.</p>
          <table className="small-table" data-testid="parity-metrics">
            <thead><tr><th>group</th><th>frames</th><th>RMSE E (eV/atom)</th><th>MSE E</th><th>MUE E</th><th>RMSE F (eV/Å)</th><th>MSE F</th><th>MUE F</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.group}><td>{r.group}</td><td>{r.frames}</td>
                  {[r.energyPerAtom.rmse, r.energyPerAtom.mse, r.energyPerAtom.mue, r.force.rmse, r.force.mse, r.force.mue].map((x, k) => <td key={k} data-value={x}>{fmt(x)}</td>)}</tr>
              ))}
            </tbody>
          </table>
          <div className="plot-pair">
            <UPlotChart options={eOpts} data={energy.data} testId="parity-energy" exportName="parity-energy" onReady={clickable('energy')} />
            <UPlotChart options={fOpts} data={force.data} testId="parity-force" exportName="parity-force" onReady={clickable('force')} />
          </div>
        </>
      )}
      {frames && opened && (
        <FrameView frame={frames[opened.frame]} highlighted={opened.atom === null ? [] : [opened.atom]}
          title={`labeled frame ${String(frames[opened.frame].id)}${opened.atom === null ? '' : `, atom ${opened.atom}`}`} />
      )}
    </section>
  );
}
