/**
 * The page's handle on the analysis worker (src/worker/analysis.worker.ts): one worker, created
 * on first use, holding the DP ensembles the analyses evaluate — by default the studio's ensemble
 * in use (the store's `ensemble`: the bundled demo until other models are loaded), or another one
 * the user picks (e.g. the ensemble trained in an iteration). Every call is off the UI thread.
 */
import * as Comlink from 'comlink';
import type { AnalysisService, EnsembleInfo } from '../../worker/analysis-service.ts';
import { useStudio } from '../store.ts';
import { demoEnsemble, type EnsembleInUse } from '../engine/ensemble-in-use.ts';

let remote: Comlink.Remote<AnalysisService> | undefined;

export function analysisWorker(): Comlink.Remote<AnalysisService> {
  remote ??= Comlink.wrap<AnalysisService>(new Worker(new URL('../../worker/analysis.worker.ts', import.meta.url), { type: 'module' }));
  return remote;
}

/** The ensemble the studio uses (the bundled demo before any models are loaded). */
export function ensembleInUse(ensemble: EnsembleInUse | null = useStudio.getState().ensemble): EnsembleInUse {
  return ensemble ?? demoEnsemble(`${import.meta.env.BASE_URL}models/`);
}

/** Make sure `e` is loaded in the analysis worker (its files are read once per key). */
export async function ensureEnsemble(e: EnsembleInUse): Promise<EnsembleInfo> {
  const have = await analysisWorker().ensembleInfo(e.key);
  if (have && have.name === e.name) return have;
  return analysisWorker().loadEnsemble(e.key, e.name, await e.files());
}

/**
 * Wrap a progress callback so comlink can call it from the worker. Call `stop()` when the call
 * returned: the proxy's messages travel on their own port, so a last progress report can arrive
 * after the result (and would otherwise leave the view looking busy for ever).
 */
export function progress<A extends unknown[]>(cb: (...args: A) => void): ((...args: A) => void) & { stop(): void } {
  let on = true;
  const f = Comlink.proxy((...args: A) => { if (on) cb(...args); });
  return Object.assign(f, { stop: () => { on = false; } });
}
