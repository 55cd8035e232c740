/**
 * The descriptor map: every atom of the chosen sources as a point (PC1, PC2) of its DP
 * descriptor (computed in the analysis worker with a progress bar), coloured by source. Click a
 * point: its atom is shown highlighted in its frame. Drag a rectangle: every atom inside is
 * highlighted (shown in the frame of the first one; the count of all is given).
 */
import { useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { padded } from '../plots/ranges.ts';
import { analysisWorker, ensureEnsemble, progress } from './analysis-client.ts';
import { ModelPicker, modelLabel, useEnsembleInUse, validModel, type ModelIndex } from './ModelPicker.tsx';
import type { DescriptorMapOutput } from '../../worker/analysis-service.ts';
import { defaultChoice, type FrameSource, type SourceFrame } from './sources.ts';
import { mapClasses, type MapColouring } from './map-colour.ts';
import { useStudio } from '../store.ts';
import { SourcePicker } from './SourcePicker.tsx';
import { FrameView } from './FrameView.tsx';

interface Loaded { labels: string[]; frames: SourceFrame[][]; map: DescriptorMapOutput }
interface Shown { group: number; frame: number; atoms: number[]; total: number }

export function DescriptorMapView({ sources }: { sources: FrameSource[] }) {
  // Until the user ticks a box, the default follows the sources as they appear (runs, data sets).
  const [picked, setChosen] = useState<string[] | null>(null);
  const chosen = picked ?? defaultChoice(sources, false);
  const [fraction, setFraction] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const loadedRef = useRef<Loaded | null>(null);
  const [colourBy, setColourBy] = useState<MapColouring>('source');
  const trustLo = useStudio((s) => s.trustLo);
  const trustHi = useStudio((s) => s.trustHi);
  const ensemble = useEnsembleInUse();
  const [modelPick, setModel] = useState<ModelIndex>(0);
  const model = validModel(ensemble, modelPick, false);

  const compute = async () => {
    setError(null);
    setShown(null);
    setFraction(0);
    const report = progress(setFraction);
    try {
      const picked = sources.filter((s) => chosen.includes(s.id));
      if (picked.length === 0) throw new Error('choose at least one source');
      await ensureEnsemble(ensemble);
      const frames = await Promise.all(picked.map((s) => s.load()));
      // The worker needs positions only (the deviations stay here, for the colouring).
      const plainFrames = frames.map((fs) => fs.map(({ deviation: _d, ...f }) => f));
      const map = await analysisWorker().descriptorMap(picked.map((s, k) => ({ label: s.label, frames: plainFrames[k] })), { ensemble: ensemble.key, model }, report);
      const l = { labels: picked.map((s) => s.label), frames, map };
      loadedRef.current = l;
      setLoaded(l);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      report.stop();
      setFraction(null);
    }
  };

  const classes = useMemo(() => {
    // The studio's trust levels are always valid (0 < lo < hi), so this does not throw.
    return loaded ? mapClasses(loaded.map, loaded.labels, loaded.frames, colourBy, { lo: trustLo, hi: trustHi }) : null;
  }, [loaded, colourBy, trustLo, trustHi]);

  // Rows sorted by PC1 (uPlot wants ascending x); one y series per class with gaps elsewhere.
  const { data, order } = useMemo(() => {
    if (!loaded || !classes) return { data: [[]] as uPlot.AlignedData, order: new Int32Array(0) };
    const { map } = loaded;
    const n = map.group.length;
    const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => map.xy[2 * a] - map.xy[2 * b]);
    const xs = Array.from(idx, (r) => map.xy[2 * r]);
    const ys = classes.names.map((_, c) => Array.from(idx, (r) => (classes.cls[r] === c ? map.xy[2 * r + 1] : null)));
    return { data: [xs, ...ys] as uPlot.AlignedData, order: idx };
  }, [loaded, classes]);
  const orderRef = useRef(order);
  orderRef.current = order;

  /** Rows whose (x, y) fall inside a pixel rectangle of the plot area. */
  const rowsIn = (u: uPlot, left: number, top: number, width: number, height: number): number[] => {
    const l = loadedRef.current;
    if (!l) return [];
    const out: number[] = [];
    for (let r = 0; r < l.map.group.length; r++) {
      const px = u.valToPos(l.map.xy[2 * r], 'x'), py = u.valToPos(l.map.xy[2 * r + 1], 'y');
      if (px >= left && px <= left + width && py >= top && py <= top + height) out.push(r);
    }
    return out;
  };
  const show = (rows: number[]) => {
    const l = loadedRef.current;
    if (!l || rows.length === 0) return;
    const first = rows[0];
    const g = l.map.group[first], f = l.map.frame[first];
    const atoms = rows.filter((r) => l.map.group[r] === g && l.map.frame[r] === f).map((r) => l.map.atom[r]);
    setShown({ group: g, frame: f, atoms, total: rows.length });
  };

  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 320,
    title: loaded ? `${loaded.map.descriptor}: PCA` : 'descriptor map',
    // 6 % margins: no point sits on the frame (so every point can be clicked and brushed).
    scales: { x: { time: false, range: padded }, y: { range: padded } },
    cursor: { drag: { x: true, y: true, setScale: false }, points: { show: false } },
    axes: [
      { label: loaded ? `PC1 (${(100 * loaded.map.explained[0]).toFixed(1)} % of variance)` : 'PC1', stroke: '#aab2bf' },
      { label: loaded ? `PC2 (${(100 * loaded.map.explained[1]).toFixed(1)} %)` : 'PC2', stroke: '#aab2bf' },
    ],
    series: [
      { label: 'PC1' },
      ...(classes?.names ?? []).map((label, k) => ({
        label: `${label} (${classes!.cls.filter((c) => c === k).length})`, stroke: classes!.colours[k], paths: () => null,
        points: { show: true, size: 5, stroke: classes!.colours[k], fill: classes!.colours[k] },
      })),
    ],
    hooks: {
      setSelect: [(u: uPlot) => {
        const s = u.select;
        if (s.width < 3 && s.height < 3) return;
        show(rowsIn(u, s.left, s.top, s.width, s.height));
      }],
    },
  // show/rowsIn read refs only
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [loaded, classes]);

  const onReady = (u: uPlot) => {
    // For tests and scripting: the client coordinates of a row's point, and how rows map to atoms.
    window.__nanostudioAnalysis = {
      ...(window.__nanostudioAnalysis ?? {}),
      map: {
        rows: loadedRef.current?.map.group.length ?? 0,
        rowOf: (group: number, frame: number, atom: number) => {
          const m = loadedRef.current?.map;
          if (!m) return -1;
          for (let r = 0; r < m.group.length; r++) if (m.group[r] === group && m.frame[r] === frame && m.atom[r] === atom) return r;
          return -1;
        },
        pointOf: (row: number) => {
          const m = loadedRef.current!.map;
          const rect = u.over.getBoundingClientRect();
          return [rect.left + u.valToPos(m.xy[2 * row], 'x'), rect.top + u.valToPos(m.xy[2 * row + 1], 'y')] as [number, number];
        },
      },
    };
    u.over.addEventListener('click', (ev) => {
      if (u.select.width >= 3 || u.select.height >= 3) return; // end of a drag, handled by setSelect
      const rect = u.over.getBoundingClientRect();
      const cx = ev.clientX - rect.left, cy = ev.clientY - rect.top;
      const l = loadedRef.current;
      if (!l) return;
      let best = -1, bestD = 12 * 12; // within 12 px
      for (let r = 0; r < l.map.group.length; r++) {
        const dx = u.valToPos(l.map.xy[2 * r], 'x') - cx, dy = u.valToPos(l.map.xy[2 * r + 1], 'y') - cy;
        const d = dx * dx + dy * dy;
        if (d < bestD) { bestD = d; best = r; }
      }
      if (best >= 0) show([best]);
    });
  };

  return (
    <section className="analysis-view" data-testid="map-view">
      <SourcePicker sources={sources} chosen={chosen} onChange={setChosen} />
      <div className="row wrap">
        <button type="button" onClick={compute} disabled={fraction !== null} data-testid="map-compute">Compute descriptor map</button>
        <label>colour by <select value={colourBy} onChange={(e) => setColourBy(e.target.value as MapColouring)} data-testid="map-colour">
          <option value="source">data set / run</option>
          <option value="deviation">force deviation ε_f (trust levels)</option>
        </select></label>
        <ModelPicker ensemble={ensemble} value={model} onChange={setModel} allowMean={false} testId="map-model" />
        {fraction !== null && <progress max={1} value={fraction} data-testid="map-progress" />}
      </div>
      <p className="muted" data-testid="map-model-name">Descriptor: the DP se_e2_a descriptor of {modelLabel(ensemble, model)} (the ensemble in use), not SOAP; PCA to 2-D.</p>
      {error && <p className="error" role="alert" data-testid="map-error">{error}</p>}
      {loaded && (
        <>
          <UPlotChart options={options} data={data} testId="map-plot" exportName="descriptor-map" onReady={onReady} />
          <p className="muted" data-testid="map-summary">{loaded.map.group.length} atoms · {loaded.labels.map((l, g) => `${l}: ${loaded.map.group.filter((x) => x === g).length}`).join(' · ')} · descriptor length {loaded.map.length}</p>
        </>
      )}
      {loaded && shown && (
        <FrameView frame={loaded.frames[shown.group][shown.frame]} highlighted={shown.atoms}
          title={`${loaded.labels[shown.group]}, frame ${shown.frame}${shown.total > shown.atoms.length ? ` (${shown.total} atoms selected in all)` : ''}`} />
      )}
    </section>
  );
}
