// The studio's heating ladder (worker/melting-run.ts) on the all-GPU integrator (GpuSimulation,
// model 0 of the demo ensemble) against the same ladder on the float64 CPU path (Simulation +
// DpCalculator), from the same start (same seeded Maxwell–Boltzmann velocities). The Langevin
// friction is set ~0 (1e-9 fs⁻¹: exp(−γ dt) rounds to 1 in float32, and the CPU noise is ~6e-5
// of the thermal velocity), so both engines follow the same deterministic trajectory and the
// rung statistics are comparable without depending on the two random streams. Tolerances from
// float32 (shared/docs/dp-se-spec.md §6): E per atom 1e-4 eV; T from the same energy error
// carried into the kinetic energy; δ from max|Δx| ≈ 1e-4 Å over 20 steps (md-gpu.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { countingRunner } from '../helpers/counting-runner.ts';
import { GpuSimulation } from '../../src/worker/gpu-simulation.ts';
import { Simulation } from '../../src/worker/simulation.ts';
import { MeltingRun, meltingSimParams, type MeltingResult, type MeltingRunParams } from '../../src/worker/melting-run.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { KB_EV_PER_K } from '../../src/core/units.ts';
import { demoModels } from '../worker/demo-ensemble.ts';
import { jitteredIcosahedron } from './gpu-test-systems.ts';

const gpu = useNodeGpu();
let model0: DpModel;
beforeAll(async () => {
  model0 = (await demoModels())[0];
});

describe('melting ladder on WebGPU vs the float64 CPU path (Cu13, demo model 0)', () => {
  it('same rung statistics within float32 tolerances; positions read back only on sampled steps', async () => {
    const frame = jitteredIcosahedron(2, 0.03, 11);
    const n = frame.symbols.length;
    const params: MeltingRunParams = { temperaturesK: [300, 600], equilibrationSteps: 3, samplingSteps: 8, sampleEvery: 2, dtFs: 2, frictionPerFs: 1e-9, seed: 5 };
    const sim = await GpuSimulation.create(gpu.device, [model0], frame, meltingSimParams(params), 'SwiftShader', 'WebGPU model 0');
    const g = countingRunner(sim);
    let onGpu: MeltingResult;
    try {
      onGpu = await new MeltingRun(g, { natoms: n }, params).loop();
    } finally {
      sim.destroy();
    }
    const onCpu = await new MeltingRun(new Simulation(frame, new DpCalculator(model0, { onWarning: () => {} }), meltingSimParams(params)), { natoms: n }, params).loop();
    expect(onGpu.engine).toBe('WebGPU model 0');
    // 11 steps per rung, samples at steps 5, 7, 9, 11 of each.
    expect(g.snapshotsAt).toEqual([5, 7, 9, 11, 16, 18, 20, 22]);
    expect(onGpu.points).toHaveLength(2);
    expect(onCpu.points).toHaveLength(2);
    const dof = 3 * n - 3;
    const tolT = (2 * n * 1e-4) / (dof * KB_EV_PER_K); // K: 1e-4 eV/atom moved into the kinetic energy
    for (let k = 0; k < 2; k++) {
      const a = onGpu.points[k], b = onCpu.points[k];
      console.log(`rung ${a.targetK} K: E/atom GPU ${a.potentialEnergyPerAtom.toFixed(6)} CPU ${b.potentialEnergyPerAtom.toFixed(6)} eV, T ${a.meanTemperatureK.toFixed(2)} / ${b.meanTemperatureK.toFixed(2)} K, δ ${a.lindemann.toExponential(4)} / ${b.lindemann.toExponential(4)}`);
      expect(a.samples).toBe(4);
      expect(Math.abs(a.potentialEnergyPerAtom - b.potentialEnergyPerAtom)).toBeLessThan(1e-4);
      expect(Math.abs(a.meanTemperatureK - b.meanTemperatureK)).toBeLessThan(tolT);
      // δ_ij = σ(r)/⟨r⟩ with ⟨r⟩ ≥ 2.3 Å: |Δσ| ≤ 2·max|Δx| ≤ 2e-4 Å → |Δδ| ≤ 2e-4 / 2.3 < 1e-4.
      expect(Math.abs(a.lindemann - b.lindemann)).toBeLessThan(1e-4);
      expect(a.lindemann).toBeGreaterThan(0);
    }
  }, 900_000);
});
