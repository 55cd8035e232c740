/** Load an ensemble into the simulation worker and record it as the studio's ensemble in use (runs and analyses). */
import { useStudio } from '../store.ts';
import { useBackend } from '../backend/backend-store.ts';
import { simWorker } from './sim-client.ts';
import { demoEnsemble, type EnsembleInUse } from './ensemble-in-use.ts';

export async function loadEnsemble(e: EnsembleInUse): Promise<void> {
  const models = await simWorker().loadModels(await e.files());
  inUse(e);
  useStudio.getState().set({ models, ensemble: e, run: 'idle', snapshot: null });
}

/** Another ensemble than a backend one replaces it: runs no longer record the backend ensemble's id. */
function inUse(e: EnsembleInUse): void {
  if (!e.key.startsWith('backend:') && useBackend.getState().activeEnsemble) useBackend.getState().set({ activeEnsemble: null });
}

/** The bundled demo ensemble (the worker fetches it from `baseUrl`, the studio's models/ folder). */
export async function loadDemoEnsemble(baseUrl: string): Promise<void> {
  const models = await simWorker().loadDemoEnsemble(baseUrl);
  const e = demoEnsemble(baseUrl);
  inUse(e);
  useStudio.getState().set({ models, ensemble: e, run: 'idle', snapshot: null });
}
