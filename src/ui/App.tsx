/**
 * The studio's one screen: the left column (structure, models, trust levels, run controls), the
 * 3-D viewer with the timeline of the run beneath it, the right column of tabs (panels.tsx),
 * the status bar. Talks to simulations only through the worker (comlink).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Frame } from '../core/atoms.ts';
import type { DpEngineCheck } from '../worker/api.ts';
import { useStudio } from './store.ts';
import { Viewer } from './components/Viewer.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { ControlPanel, type ControlActions } from './components/ControlPanel.tsx';
import { StructurePanel, importFiles } from './components/StructurePanel.tsx';
import { TrustLevels } from './components/TrustLevels.tsx';
import { Timeline } from './components/Timeline.tsx';
import { initFrames } from './frames/use-frames.ts';
import { LEFT_PANELS, TABS } from './panels.tsx';
import { ViewerExport } from './plots/ViewerExport.tsx';
import { startFromLocation } from './share/share-state.ts';

import { simWorker } from './engine/sim-client.ts';
import { watchEngine } from './engine/run-actions.ts';
import { loadDemoEnsemble, loadEnsemble } from './engine/load-ensemble.ts';
import { filesEnsemble } from './engine/ensemble-in-use.ts';

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

function Tabs() {
  const [open, setOpen] = useState(TABS[0].id);
  const tab = TABS.find((t) => t.id === open) ?? TABS[0];
  return (
    <aside className="tabs" data-wide={tab.wide ? 'true' : undefined}>
      <nav role="tablist">
        {TABS.map((t) => (
          <button key={t.id} role="tab" data-testid={`tab-${t.id}`} aria-selected={t.id === tab.id} onClick={() => setOpen(t.id)}>{t.title}</button>
        ))}
      </nav>
      {/* Every tab stays mounted (its state, subscriptions and connections live on); only the open one is shown. */}
      {TABS.map((t) => (
        <div key={t.id} className="tab-body" role="tabpanel" data-testid={`tabpanel-${t.id}`} hidden={t.id !== tab.id}>
          <t.Component />
        </div>
      ))}
    </aside>
  );
}

export function App() {
  // Selected fields only: the whole store changes with every snapshot of a run, and a re-render
  // here re-renders every panel and tab below.
  const engine = useStudio((s) => s.engine);
  const natoms = useStudio((s) => s.frame?.symbols.length ?? 0);
  const title = useStudio((s) => s.title);
  const { setFrame, setEngine, set } = useStudio.getState();

  const show = useCallback((f: Frame, t: string) => {
    void simWorker().stop();
    setFrame(f, t);
  }, [setFrame]);

  const loadDemo = useCallback(() => {
    set({ modelError: null });
    loadDemoEnsemble(MODELS_URL).catch(
      (e: unknown) => set({ modelError: `could not load the demo ensemble: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }, [set]);

  useEffect(() => {
    startFromLocation(show); // a shared link's structure and settings, else the default structure
    simWorker().init().then(setEngine, (e: unknown) => setEngine({ kind: 'cpu', reason: `worker failed: ${String(e)}` }));
    loadDemo();
    void initFrames();
  }, [show, setEngine, loadDemo]);

  const actions: ControlActions = useMemo(() => ({
    loadDemo,
    loadModelFiles(files: File[]) {
      if (!files.length) return;
      set({ modelError: null });
      Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
        .then((fs) => loadEnsemble(filesEnsemble(fs.length === 1 ? fs[0].name : `${fs.length} files (${fs.map((f) => f.name).join(', ')})`, fs)))
        .catch((e: unknown) => set({ modelError: e instanceof Error ? e.message : String(e) }));
    },
  }), [loadDemo, set]);

  return (
    <div className="app">
      <header className="top">
        <strong>nanostudio</strong>
        <span className="subtitle">machine-learning potentials for metal nanoparticles</span>
      </header>
      <aside className="panel side">
        <StructurePanel actions={{ show }} />
        <ControlPanel actions={actions} />
        <TrustLevels />
        {LEFT_PANELS.map(({ id, Component }) => <Component key={id} />)}
      </aside>
      <main className="stage">
        <div className="viewport">
          <Viewer onDropFiles={(files) => void importFiles(files, show)} />
          <ViewerExport title={title} />
        </div>
        <Timeline />
      </main>
      <Tabs />
      <StatusBar engine={engine} natoms={natoms} title={title} />
    </div>
  );
}
