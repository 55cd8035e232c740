/** The studio shell: control panel, 3-D viewer, status bar; talks to the worker via comlink. */
import { useCallback, useEffect, useMemo } from 'react';
import * as Comlink from 'comlink';
import type { DpEngineCheck } from '../worker/api.ts';
import type { SimSnapshot } from '../worker/simulation.ts';
import { useStudio } from './store.ts';
import { DEFAULT_STRUCTURE, STRUCTURES } from './structures.ts';
import { Viewer } from './components/Viewer.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { ControlPanel, type ControlActions } from './components/ControlPanel.tsx';
import { BackendPanel } from './backend/BackendPanel.tsx';

import { simWorker } from './engine/sim-client.ts';
import { watchEngine } from './engine/run-actions.ts';
import { RunControls } from './components/RunControls.tsx';
import { BhmcPanel } from './components/BhmcPanel.tsx';
watchEngine();

const MODELS_URL = `${import.meta.env.BASE_URL}models/`;

declare global {
  interface Window {
    /** Diagnostics for tests and curious users: the GPU ensemble vs the float64 CPU evaluator on the current structure. */
    __nanostudioCheckDp?: () => Promise<DpEngineCheck>;
  }
}
window.__nanostudioCheckDp = () => {
  const f = useStudio.getState().frame;
  if (!f) return Promise.reject(new Error('no structure'));
  return simWorker().checkDpEngine({ symbols: f.symbols, positions: f.positions });
};

export function App() {
  const { frame, title, engine, setFrame, setEngine, set } = useStudio();

  const chooseStructure = useCallback((id: string) => {
    const s = STRUCTURES.find((x) => x.id === id) ?? STRUCTURES[0];
    void simWorker().stop();
    setFrame(s.build(), s.id);
  }, [setFrame]);

  const loadDemo = useCallback(() => {
    set({ modelError: null });
    simWorker().loadDemoEnsemble(MODELS_URL).then(
      (models) => set({ models, run: 'idle', snapshot: null }),
      (e: unknown) => set({ modelError: `could not load the demo ensemble: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }, [set]);

  useEffect(() => {
    chooseStructure(DEFAULT_STRUCTURE);
    simWorker().init().then(setEngine, (e: unknown) => setEngine({ kind: 'cpu', reason: `worker failed: ${String(e)}` }));
    loadDemo();
  }, [chooseStructure, setEngine, loadDemo]);

  const actions: ControlActions = useMemo(() => ({
    chooseStructure,
    loadDemo,
    loadModelFiles(files: File[]) {
      if (!files.length) return;
      set({ modelError: null });
      Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
        .then((fs) => simWorker().loadModels(fs))
        .then(
          (models) => set({ models, run: 'idle', snapshot: null }),
          (e: unknown) => set({ modelError: e instanceof Error ? e.message : String(e) }),
        );
    },
    startOrToggle() {
      const st = useStudio.getState();
      if (st.run === 'running') {
        void simWorker().pause();
        set({ run: 'paused' });
      } else if (st.run === 'paused') {
        void simWorker().resume();
        set({ run: 'running' });
      } else if (st.frame) {
        set({ run: 'running', runError: null, snapshot: null });
        const onSnap = (s: SimSnapshot) => { if (useStudio.getState().run !== 'idle') set({ snapshot: s }); };
        const onErr = (m: string) => set({ run: 'error', runError: m });
        simWorker()
          .start(
            { symbols: st.frame.symbols, positions: st.frame.positions },
            { temperatureK: st.temperatureK, trustLo: st.trustLo, trustHi: st.trustHi, seed: 1 },
            2,
            Comlink.proxy(onSnap),
            Comlink.proxy(onErr),
          )
          .catch((e: unknown) => set({ run: 'error', runError: e instanceof Error ? e.message : String(e) }));
      }
    },
    stop() {
      void simWorker().stop();
      set({ run: 'idle' });
    },
    setTemperature(t: number) {
      if (!(t > 0)) return;
      set({ temperatureK: t });
      void simWorker().setTemperature(t);
    },
  }), [chooseStructure, loadDemo, set]);

  return (
    <div className="app">
      <header className="top">
        <strong>nanostudio</strong>
        <span className="subtitle">machine-learning potentials for metal nanoparticles</span>
      </header>
      <div className="side"><ControlPanel actions={actions} /><aside className="panel"><RunControls /><BhmcPanel /></aside></div>
      <main className="stage">
        <Viewer frame={frame} />
        <BackendPanel loadModels={(fs) => simWorker().loadModels(fs).then((models) => set({ models, run: 'idle', snapshot: null }))} />
      </main>
      <StatusBar engine={engine} natoms={frame?.symbols.length ?? 0} title={title} />
    </div>
  );
}
