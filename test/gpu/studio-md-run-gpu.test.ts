// The studio's MD run loop (worker/md-run.ts) on the all-GPU integrator in Node (SwiftShader):
// pause holds the step, "step" advances exactly one step each time and shows it, resume goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { getNodeGpu, releaseNodeGpu, type NodeGpu } from '../../src/node/gpu-device.ts';
import { GpuSimulation } from '../../src/worker/gpu-simulation.ts';
import { MdRun } from '../../src/worker/md-run.ts';
import type { RunInfo, SavedFrame } from '../../src/worker/frames.ts';
import type { SimSnapshot } from '../../src/worker/simulation.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { demoModels } from '../worker/demo-ensemble.ts';

let gpu: NodeGpu;
let models: DpModel[];
beforeAll(async () => {
  gpu = await getNodeGpu();
  models = await demoModels();
});
afterAll(() => {
  gpu?.device.destroy();
  releaseNodeGpu();
});

const info: RunInfo = {
  id: 'md-test', kind: 'md', ensemble: 'langevin', structure: 'Cu13', temperatureK: 300, dtFs: 2, engine: 'webgpu', models: [],
  trustLo: 0.05, trustHi: 0.15, seed: 1, startedAt: new Date(0).toISOString(),
};

describe('MdRun on GpuSimulation', () => {
  it('pause, three single steps, resume', async () => {
    const start = icosahedron('Cu', 2);
    const sim = await GpuSimulation.create(gpu.device, models, start, { ensemble: 'langevin', temperatureK: 300, dtFs: 2, seed: 1 }, 'SwiftShader');
    const shown: SimSnapshot[] = [];
    const saved: SavedFrame[] = [];
    let ended = '';
    const run = new MdRun(sim, info, [...start.symbols], undefined, { steps: 100000, saveEvery: 4 }, {
      onSnapshot: (s) => shown.push(s),
      onFrames: (f) => saved.push(...f),
      onEnd: (how) => { ended = how.kind === 'error' ? how.message : how.kind; },
    });
    const done = run.loop();
    const t0 = Date.now();
    while (sim.step < 3 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 50));
    await run.pause();
    const held = shown.at(-1)!.step;
    expect(held).toBe(sim.step);
    for (let k = 1; k <= 3; k++) {
      await run.step();
      expect(shown.at(-1)!.step).toBe(held + k);
    }
    run.resume();
    const t1 = Date.now();
    while (sim.step < held + 5 && Date.now() - t1 < 120_000) await new Promise((r) => setTimeout(r, 50));
    run.stop();
    await done;
    sim.destroy();
    expect(ended).toBe('stopped');
    expect(sim.step).toBeGreaterThanOrEqual(held + 5);
    // Frames are saved on the interval only (also while stepping), each with the GPU per-atom deviation.
    expect(saved.length).toBeGreaterThan(1);
    for (const f of saved) {
      expect(f.step % 4).toBe(0);
      expect(Math.max(...f.atomicDeviF)).toBeCloseTo(f.maxDeviF, 5);
    }
  }, 300_000);
});
