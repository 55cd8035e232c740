/** An MdRunner wrapper that records the step of every snapshot (state read-back) the driver asks for. */
import type { MdRunner } from '../../src/worker/simulation.ts';

export function countingRunner(r: MdRunner): MdRunner & { snapshotsAt: number[] } {
  const snapshotsAt: number[] = [];
  return {
    engineKind: r.engineKind, engineName: r.engineName, get step() { return r.step; },
    run: (n) => r.run(n), setTemperature: (t) => r.setTemperature(t), destroy: () => r.destroy(),
    snapshot: async () => { snapshotsAt.push(r.step); return r.snapshot(); },
    snapshotsAt,
  };
}
