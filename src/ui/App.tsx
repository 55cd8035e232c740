/** The studio shell: header, 3-D viewer, status bar. */
import { useEffect } from 'react';
import * as Comlink from 'comlink';
import { icosahedron } from '../core/build/icosahedron.ts';
import type { SimWorkerApi } from '../worker/api.ts';
import { useStudio } from './store.ts';
import { Viewer } from './components/Viewer.tsx';
import { StatusBar } from './components/StatusBar.tsx';

let worker: Comlink.Remote<SimWorkerApi> | undefined;
function simWorker(): Comlink.Remote<SimWorkerApi> {
  worker ??= Comlink.wrap<SimWorkerApi>(new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}

export function App() {
  const { frame, title, engine, setFrame, setEngine } = useStudio();

  useEffect(() => {
    setFrame(icosahedron('Cu', 3), 'Cu55 Mackay icosahedron');
    simWorker()
      .init()
      .then(setEngine, (e: unknown) => setEngine({ kind: 'cpu', reason: `worker failed: ${String(e)}` }));
  }, [setFrame, setEngine]);

  return (
    <div className="app">
      <header className="top">
        <strong>nanostudio</strong>
        <span className="subtitle">machine-learning potentials for metal nanoparticles</span>
      </header>
      <main className="stage">
        <Viewer frame={frame} />
      </main>
      <StatusBar engine={engine} natoms={frame?.symbols.length ?? 0} title={title} />
    </div>
  );
}
