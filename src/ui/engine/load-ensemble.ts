/** Load an ensemble into the simulation worker and record it as the studio's ensemble in use (runs and analyses). */
import { useStudio } from '../store.ts';
import { simWorker } from './sim-client.ts';
import { demoEnsemble, type EnsembleInUse } from './ensemble-in-use.ts';

export async function loadEnsemble(e: EnsembleInUse): Promise<void> {
  const models = await simWorker().loadModels(await e.files());
  useStudio.getState().set({ models, ensemble: e, run: 'idle', snapshot: null });
}

/** The bundled demo ensemble (the worker fetches it from `baseUrl`, the studio's models/ folder). */
export async function loadDemoEnsemble(baseUrl: string): Promise<void> {
  const models = await simWorker().loadDemoEnsemble(baseUrl);
  useStudio.getState().set({ models, ensemble: demoEnsemble(baseUrl), run: 'idle', snapshot: null });
}
