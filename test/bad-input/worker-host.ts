/**
 * The studio's simulation worker (src/worker/sim.worker.ts) booted in Node: the module runs as it
 * does in the browser, exposing its API with comlink on its global scope; here that scope's
 * addEventListener/postMessage are one end of a MessageChannel and the test talks to the other end
 * through Comlink.wrap, so every call crosses a structured-clone boundary as in the page. Node 20
 * has no `self`/`navigator`: they are given as in a worker without WebGPU (navigator.gpu missing),
 * so the worker takes its CPU float64 path.
 */
import * as Comlink from 'comlink';
import type { SimWorkerApi } from '../../src/worker/api.ts';

let booted: { api: Comlink.Remote<SimWorkerApi>; close(): void } | undefined;

export async function bootSimWorker(): Promise<{ api: Comlink.Remote<SimWorkerApi>; close(): void }> {
  if (booted) return booted;
  const { port1, port2 } = new MessageChannel();
  const g = globalThis as unknown as Record<string, unknown>;
  g.self ??= globalThis;
  g.navigator ??= {};
  g.addEventListener = port1.addEventListener.bind(port1);
  g.removeEventListener = port1.removeEventListener.bind(port1);
  g.postMessage = port1.postMessage.bind(port1);
  g.start = port1.start.bind(port1);
  await import('../../src/worker/sim.worker.ts');
  const api = Comlink.wrap<SimWorkerApi>(port2);
  booted = {
    api,
    close: () => {
      api[Comlink.releaseProxy]();
      port1.close();
      port2.close();
    },
  };
  return booted;
}
