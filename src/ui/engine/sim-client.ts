/** The one simulation worker of the page (comlink), shared by every component that runs simulations. */
import * as Comlink from 'comlink';
import type { SimWorkerApi } from '../../worker/api.ts';

let worker: Comlink.Remote<SimWorkerApi> | undefined;

/**
 * Test-only URL parameter: `?dpCheckTolerance=<eV>` replaces both tolerances of the DP kernel
 * check (a value far below float32 precision, e.g. 1e-9, makes the check fail and shows the
 * fallback to the CPU path). Returns the tolerance, null when absent; throws a named error for
 * anything but a finite number ≥ 0.
 */
export function dpCheckToleranceFromUrl(search: string): number | null {
  const raw = new URLSearchParams(search).get('dpCheckTolerance');
  if (raw === null) return null;
  const tol = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(tol) || tol < 0) throw new Error(`URL parameter dpCheckTolerance must be a finite number ≥ 0 (eV, eV/Å), got "${raw}"`);
  return tol;
}

/** The worker's API (created on first use; the URL's test options are sent before any other call). */
export function simWorker(): Comlink.Remote<SimWorkerApi> {
  if (!worker) {
    worker = Comlink.wrap<SimWorkerApi>(new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), { type: 'module' }));
    let tol: number | null = null;
    try {
      tol = typeof location === 'undefined' ? null : dpCheckToleranceFromUrl(location.search);
    } catch (e) {
      console.error(e);
    }
    if (tol !== null) {
      console.warn(`test option: DP kernel check tolerance ${tol} (URL parameter dpCheckTolerance)`);
      void worker.setDpCheckTolerance(tol);
    }
  }
  return worker;
}
