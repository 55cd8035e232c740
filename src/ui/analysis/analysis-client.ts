/**
 * The page's handle on the analysis worker (src/worker/analysis.worker.ts): one worker, created
 * on first use, with the DP model the analyses use (model 0 of the ensemble in use; by default
 * the bundled demo). Every call is asynchronous and off the UI thread.
 */
import * as Comlink from 'comlink';
import type { AnalysisService } from '../../worker/analysis-service.ts';

let remote: Comlink.Remote<AnalysisService> | undefined;
let modelName: string | null = null;

export function analysisWorker(): Comlink.Remote<AnalysisService> {
  remote ??= Comlink.wrap<AnalysisService>(new Worker(new URL('../../worker/analysis.worker.ts', import.meta.url), { type: 'module' }));
  return remote;
}

/** Give the analyses a model file (bytes of a .dp/.yaml/.json). */
export async function setAnalysisModel(file: { name: string; bytes: Uint8Array }): Promise<string> {
  const r = await analysisWorker().setModel(file);
  modelName = r.name;
  return r.name;
}

/** Make sure a model is loaded: the bundled demo model 0 unless the user gave another. */
export async function ensureAnalysisModel(): Promise<string> {
  if (modelName) return modelName;
  const url = new URL(`${import.meta.env.BASE_URL}models/cu_eam_demo_0.dp`, self.location.href).href;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch the demo model ${url}: HTTP ${res.status}`);
  return setAnalysisModel({ name: 'cu_eam_demo_0.dp', bytes: new Uint8Array(await res.arrayBuffer()) });
}

/** Wrap a progress callback so comlink can call it from the worker. */
export function progress(cb: (fraction: number) => void): (fraction: number) => void {
  return Comlink.proxy(cb);
}
