/**
 * Teaching mode: the studio with few controls and big readable parts — a structure, a
 * potential (EAM, Lennard-Jones, or the DP ensemble's model 0), a heat/cool slider, play/pause,
 * a view in which dragging an atom pulls it with a spring, big temperature and energy plots, and
 * the keyboard shortcuts in a help panel. The lesson (structure, potential, temperature) lives in
 * the URL, so a link opens the same lesson elsewhere; a session file also keeps the positions.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import * as Comlink from 'comlink';
import type uPlot from 'uplot';
import { UPlotChart } from '../plots/UPlotChart.tsx';
import { download } from '../plots/export.ts';
import type { TeachPotential, TeachWorkerApi } from '../../worker/teach.worker.ts';
import type { TeachSnapshot } from '../../worker/teach-simulation.ts';
import { icosahedron, octahedron } from '../../core/build/index.ts';
import type { Frame } from '../../core/atoms.ts';
import { TeachViewer } from './TeachViewer.tsx';
import {
  POTENTIAL_LABELS, TEACH_POTENTIALS, TEACH_STRUCTURES, T_MAX, T_MIN, sessionFromJson, sessionToJson, settingsFromQuery, settingsToQuery, type TeachSettings,
} from './teach-state.ts';
import './teach.css';

let worker: Comlink.Remote<TeachWorkerApi> | undefined;
const teachWorker = () => (worker ??= Comlink.wrap<TeachWorkerApi>(new Worker(new URL('../../worker/teach.worker.ts', import.meta.url), { type: 'module' })));

function build(s: TeachSettings['structure']): Frame {
  switch (s) {
    case 'Cu13 icosahedron': return icosahedron('Cu', 2);
    case 'Cu38 truncated octahedron': return octahedron('Cu', 4, 1);
    case 'Cu55 icosahedron': return icosahedron('Cu', 3);
    case 'Cu147 icosahedron': return icosahedron('Cu', 4);
  }
}

async function fetchBytes(path: string): Promise<Response> {
  const url = new URL(`${import.meta.env.BASE_URL}${path}`, self.location.href).href;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch ${url}: HTTP ${res.status}`);
  return res;
}

async function potentialOf(p: TeachSettings['potential']): Promise<TeachPotential> {
  if (p === 'eam-mishin') return { kind: 'eam', name: 'Cu_mishin1.eam.alloy', text: await (await fetchBytes('potentials/Cu_mishin1.eam.alloy')).text() };
  if (p === 'eam-u3') return { kind: 'eam', name: 'Cu_u3.eam', text: await (await fetchBytes('potentials/Cu_u3.eam')).text() };
  if (p === 'lj') return { kind: 'lj', epsilon: 0.4093, sigma: 2.338 };
  return { kind: 'dp', name: 'cu_eam_demo_0.dp', bytes: new Uint8Array(await (await fetchBytes('models/cu_eam_demo_0.dp')).arrayBuffer()) };
}

const HISTORY = 400;
const SHORTCUTS: [string, string][] = [
  ['Space', 'play / pause'], ['↑ / ↓', 'heat / cool by 50 K'], ['R', 'restart the lesson'], ['H or ?', 'show / hide this help'],
  ['drag an atom', 'pull it with a spring (release to let go)'], ['drag elsewhere', 'turn the view'],
];

export function TeachMode() {
  const initial = useMemo(() => settingsFromQuery(window.location.search), []);
  const [settings, setSettings] = useState<TeachSettings>(initial.settings);
  const [notice, setNotice] = useState<string | null>(initial.problems.length ? `Link settings ignored: ${initial.problems.join('; ')}` : null);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [help, setHelp] = useState(false);
  const [frame, setFrame] = useState<Frame>(() => build(initial.settings.structure));
  const [snap, setSnap] = useState<TeachSnapshot | null>(null);
  const [hist, setHist] = useState<{ t: number[]; T: number[]; target: number[]; epot: number[]; etot: number[] }>({ t: [], T: [], target: [], epot: [], etot: [] });
  const restoreRef = useRef<Float64Array | null>(null);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  // Keep the lesson in the URL.
  useEffect(() => { window.history.replaceState(null, '', `?${settingsToQuery(settings)}`); }, [settings]);

  const load = useCallback(async () => {
    setError(null);
    setPlaying(false);
    try {
      const f = build(settings.structure);
      const positions = restoreRef.current ?? f.positions;
      restoreRef.current = null;
      const s = await teachWorker().load({ symbols: f.symbols, positions }, await potentialOf(settings.potential), settings.temperatureK);
      setFrame(f);
      setSnap(s);
      setHist({ t: [], T: [], target: [], epot: [], etot: [] });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  // temperature changes act live, not by reloading
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.structure, settings.potential]);
  useEffect(() => { void load(); }, [load]);

  const onSnapshot = useCallback((s: TeachSnapshot) => {
    setSnap(s);
    if (window.__nanostudioTeach) window.__nanostudioTeach.steps = s.step;
    const n = frame.symbols.length;
    setHist((h) => {
      const keep = (a: number[], v: number) => [...a.slice(-HISTORY + 1), v];
      return { t: keep(h.t, s.timeFs / 1000), T: keep(h.T, s.temperatureK), target: keep(h.target, s.targetK), epot: keep(h.epot, s.potentialEnergy / n), etot: keep(h.etot, (s.potentialEnergy + s.kineticEnergy) / n) };
    });
  }, [frame]);

  const togglePlay = useCallback(() => {
    if (playing) {
      void teachWorker().pause();
      setPlaying(false);
    } else {
      setPlaying(true);
      void teachWorker().play(10, Comlink.proxy(onSnapshot), Comlink.proxy((m: string) => { setPlaying(false); setError(m); }));
    }
  }, [playing, onSnapshot]);

  const setTemperature = useCallback((t: number) => {
    const v = Math.min(T_MAX, Math.max(T_MIN, Math.round(t)));
    setSettings((s) => ({ ...s, temperatureK: v }));
    void teachWorker().setTemperature(v);
  }, []);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement) return;
      if (ev.key === ' ') { ev.preventDefault(); togglePlay(); }
      else if (ev.key === 'ArrowUp') { ev.preventDefault(); setTemperature(settingsRef.current.temperatureK + 50); }
      else if (ev.key === 'ArrowDown') { ev.preventDefault(); setTemperature(settingsRef.current.temperatureK - 50); }
      else if (ev.key === 'r' || ev.key === 'R') void load();
      else if (ev.key === 'h' || ev.key === 'H' || ev.key === '?') setHelp((x) => !x);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, setTemperature, load]);

  const onSessionFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      const s = sessionFromJson(await file.text());
      if (s.positions && s.symbols) {
        const f = build(s.settings.structure);
        if (s.symbols.length !== f.symbols.length) throw new Error(`the session's ${s.symbols.length} atoms do not match ${s.settings.structure} (${f.symbols.length} atoms)`);
        restoreRef.current = Float64Array.from(s.positions);
      }
      setSettings(s.settings);
      setNotice(`session "${file.name}" restored`);
      if (s.settings.structure === settings.structure && s.settings.potential === settings.potential) void load();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const tOpts = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 200, title: 'Temperature',
    scales: { x: { time: false } },
    axes: [{ label: 'time (ps)', stroke: '#c8ced8', font: '14px sans-serif' }, { label: 'K', stroke: '#c8ced8', font: '14px sans-serif' }],
    series: [{ label: 'time (ps)' }, { label: 'T (K)', stroke: '#ff8a4c', width: 3 }, { label: 'target (K)', stroke: '#8a93a3', dash: [6, 4], width: 2 }],
  }), []);
  const eOpts = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 200, title: 'Energy per atom',
    scales: { x: { time: false } },
    axes: [{ label: 'time (ps)', stroke: '#c8ced8', font: '14px sans-serif' }, { label: 'eV/atom', stroke: '#c8ced8', font: '14px sans-serif', size: 70 }],
    series: [{ label: 'time (ps)' }, { label: 'potential (eV/atom)', stroke: '#5ab0e8', width: 3 }, { label: 'total (eV/atom)', stroke: '#8fd18f', width: 2 }],
  }), []);

  const share = `${window.location.origin}${window.location.pathname}?${settingsToQuery(settings)}`;
  return (
    <div className="teach" data-testid="teach-mode">
      <header className="teach-top">
        <strong>nanostudio</strong><span>teaching mode</span>
        <a href={window.location.pathname} data-testid="teach-full-studio">full studio</a>
        <button type="button" onClick={() => setHelp((x) => !x)} data-testid="teach-help-toggle">Help (H)</button>
      </header>
      <aside className="teach-controls">
        <label>Structure
          <select value={settings.structure} data-testid="teach-structure" onChange={(e) => setSettings((s) => ({ ...s, structure: e.target.value as TeachSettings['structure'] }))}>
            {TEACH_STRUCTURES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>Potential
          <select value={settings.potential} data-testid="teach-potential" onChange={(e) => setSettings((s) => ({ ...s, potential: e.target.value as TeachSettings['potential'] }))}>
            {TEACH_POTENTIALS.map((p) => <option key={p} value={p}>{POTENTIAL_LABELS[p]}</option>)}
          </select>
        </label>
        <button type="button" className="teach-play" onClick={togglePlay} data-testid="teach-play" disabled={!snap}>{playing ? '❚❚ Pause' : '▶ Play'}</button>
        <label className="teach-slider">Heat / cool: <b data-testid="teach-target">{settings.temperatureK} K</b>
          <input type="range" min={T_MIN} max={T_MAX} step={10} value={settings.temperatureK} data-testid="teach-temperature" onChange={(e) => setTemperature(Number(e.target.value))} />
          <span className="teach-slider-ends"><span>❄ cool</span><span>heat 🔥</span></span>
        </label>
        <dl className="teach-readouts">
          <dt>temperature</dt><dd data-testid="teach-readout-T">{snap ? `${snap.temperatureK.toFixed(0)} K` : '—'}</dd>
          <dt>time</dt><dd data-testid="teach-readout-time">{snap ? `${(snap.timeFs / 1000).toFixed(2)} ps` : '—'}</dd>
          <dt>energy</dt><dd>{snap ? `${(snap.potentialEnergy / frame.symbols.length).toFixed(3)} eV/atom` : '—'}</dd>
          <dt>pulling</dt><dd data-testid="teach-readout-steer">{snap?.steeredAtom !== null && snap?.steeredAtom !== undefined ? `atom ${snap.steeredAtom} (spring ${snap.springEnergy.toFixed(2)} eV)` : 'nothing'}</dd>
        </dl>
        <div className="teach-share">
          <label>Share this lesson <input readOnly value={share} data-testid="teach-share-link" onFocus={(e) => e.target.select()} /></label>
          <div className="row">
            <button type="button" data-testid="teach-session-download" onClick={() => download('nanostudio-lesson.json', sessionToJson(settings, snap ? { symbols: frame.symbols, positions: snap.positions } : undefined), 'application/json')}>Save session</button>
            <label className="teach-file">Open session<input type="file" accept=".json,application/json" data-testid="teach-session-upload" onChange={onSessionFile} /></label>
          </div>
        </div>
        {notice && <p className="muted" data-testid="teach-notice">{notice}</p>}
        {error && <p className="error" role="alert" data-testid="teach-error">{error}</p>}
      </aside>
      <main className="teach-stage">
        {snap && (
          <TeachViewer symbols={frame.symbols} positions={snap.positions}
            onSteer={(atom, target) => void teachWorker().steer(atom, target, 2)} onRelease={() => void teachWorker().release()} />
        )}
        {help && (
          <div className="teach-help" data-testid="teach-help" role="dialog" aria-label="keyboard shortcuts">
            <h2>Keyboard and mouse</h2>
            <table><tbody>{SHORTCUTS.map(([k, v]) => <tr key={k}><th>{k}</th><td>{v}</td></tr>)}</tbody></table>
            <button type="button" onClick={() => setHelp(false)}>Close</button>
          </div>
        )}
      </main>
      <section className="teach-plots">
        <UPlotChart options={tOpts} data={[hist.t, hist.T, hist.target]} testId="teach-plot-T" exportName="temperature" />
        <UPlotChart options={eOpts} data={[hist.t, hist.epot, hist.etot]} testId="teach-plot-E" exportName="energy" />
      </section>
    </div>
  );
}
