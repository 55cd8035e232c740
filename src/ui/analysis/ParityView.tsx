/**
 * Parity of the analysis model (model 0 of the ensemble) against labels from the backend:
 * energy per atom and every force component, with RMSE / MSE / MUE overall and per group
 * (e.g. per iteration). Click a point: its frame opens (the atom of a force point highlighted).
 */
import { useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { commonRange } from '../plots/ranges.ts';
import { analysisWorker, ensureAnalysisModel, progress } from './analysis-client.ts';
import type { LabeledInput } from '../../worker/analysis-service.ts';
import type { LabeledSource } from './sources.ts';
import { FrameView } from './FrameView.tsx';

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
  return {
    height: 260, title,
    // One range for both axes (y = x is the diagonal), with margins: no point on the frame.
    scales: { x: { time: false, range: commonRange }, y: { range: commonRange } },
    cursor: { points: { show: false } },
    axes: [{ label: `label (${unit})`, stroke: '#aab2bf' }, { label: `model (${unit})`, stroke: '#aab2bf' }],
    series: [
      { label: `label (${unit})` },
      { label: `model (${unit})`, stroke: '#5ab0e8', paths: () => null, points: { show: true, size: 4, fill: '#5ab0e8' } },
      { label: 'y = x', stroke: '#8a93a3', dash: [4, 4], points: { show: false } },
    ],
  };
}

export function ParityView({ sources }: { sources: LabeledSource[] }) {
  // The first labeled source until the user picks one (sources appear when the backend connects).
  const [picked, setSourceId] = useState<string | null>(null);
  const sourceId = picked !== null && sources.some((s) => s.id === picked) ? picked : (sources[0]?.id ?? '');
  const [frames, setFrames] = useState<LabeledInput[] | null>(null);
  const [parity, setParity] = useState<Parity | null>(null);
  const [fraction, setFraction] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);

  const compute = async () => {
    setError(null);
    setOpened(null);
    setFraction(0);
    try {
      const src = sources.find((s) => s.id === sourceId);
      if (!src) throw new Error('choose a data set with labeled frames (connect to the backend first)');
      await ensureAnalysisModel();
      const fs = await src.load();
      if (fs.length === 0) throw new Error(`${src.label} has no labeled frames yet`);
      setFrames(fs);
      setParity(await analysisWorker().parity(fs, progress(setFraction)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
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
      <div className="row">
        <select value={sourceId} onChange={(e) => setSourceId(e.target.value)} data-testid="parity-source">
          {sources.length === 0 && <option value="">no labeled data (connect to the backend)</option>}
          {sources.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
        </select>
        <button type="button" onClick={compute} disabled={fraction !== null} data-testid="parity-compute">Compute parity</button>
        {fraction !== null && <progress max={1} value={fraction} />}
      </div>
      {error && <p className="error" role="alert" data-testid="parity-error">{error}</p>}
      {parity && energy && force && (
        <>
          <p className="muted">model: {parity.model} (model 0 of the ensemble) vs the labels; force points shown: every {parity.force.stride}{parity.force.stride === 1 ? '' : 'th'} component, metrics over all.</p>
          <table className="small-table" data-testid="parity-metrics">
            <thead><tr><th>group</th><th>frames</th><th>RMSE E (eV/atom)</th><th>MSE E</th><th>MUE E</th><th>RMSE F (eV/Å)</th><th>MSE F</th><th>MUE F</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.group}><td>{r.group}</td><td>{r.frames}</td><td>{fmt(r.energyPerAtom.rmse)}</td><td>{fmt(r.energyPerAtom.mse)}</td><td>{fmt(r.energyPerAtom.mue)}</td>
                  <td>{fmt(r.force.rmse)}</td><td>{fmt(r.force.mse)}</td><td>{fmt(r.force.mue)}</td></tr>
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
