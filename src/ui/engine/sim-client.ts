/** The one simulation worker of the page (comlink), shared by every component that runs simulations. */
import * as Comlink from 'comlink';
import type { SimWorkerApi } from '../../worker/api.ts';

let worker: Comlink.Remote<SimWorkerApi> | undefined;

/** The worker's API (created on first use). */
export function simWorker(): Comlink.Remote<SimWorkerApi> {
  worker ??= Comlink.wrap<SimWorkerApi>(new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}
