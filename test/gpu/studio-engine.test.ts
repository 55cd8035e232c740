// The studio's WebGPU engine (worker side) in Node on SwiftShader: the DP kernel check against
// float64 passes for the demo ensemble and fails when the GPU disagrees; GPU MD (MdGpu) follows
// the float64 CPU run and its GPU-computed deviation matches the float64 ensemble's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { DpGpuCalculator } from '../../src/gpu/dp-gpu-calculator.ts';
import { checkCluster, checkDpKernels, DP_CHECK_TOLERANCES } from '../../src/gpu/dp-kernel-check.ts';
import { GpuSimulation } from '../../src/worker/gpu-simulation.ts';
import { Simulation } from '../../src/worker/simulation.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { jitteredIcosahedron } from './gpu-test-systems.ts';
import { demoModels } from '../worker/demo-ensemble.ts';

const gpu = useNodeGpu();
let models: DpModel[];
let calc: DpGpuCalculator;
beforeAll(async () => {
  models = await demoModels();
  calc = await DpGpuCalculator.create(gpu.device, models, { onWarning: () => {} });
});
afterAll(() => {
  calc?.destroy();
});

describe('studio WebGPU engine (demo ensemble, Cu13)', () => {
  it('DP kernel check: passes for the demo ensemble within the spec §6 tolerances, fails when the GPU disagrees', async () => {
    const { frame, system } = checkCluster(models);
    expect(system).toBe('Cu13 icosahedron');
    const ok = await checkDpKernels(calc, models, frame, system);
    console.log(`DP check: ${JSON.stringify(ok)}`);
    expect(ok.passed).toBe(true);
    expect(ok.nmodels).toBe(4);
    expect(ok.maxAtomicEnergyError).toBeLessThan(DP_CHECK_TOLERANCES.atomicEnergy);
    expect(ok.maxForceError).toBeLessThan(DP_CHECK_TOLERANCES.force);
    // The GPU evaluates [m0, m1, m2, m3]; compare against [m1, m0, m2, m3] as if the kernels
    // computed model 0 wrongly: the check must see it.
    const jittered = jitteredIcosahedron(2, 0.1, 5);
    const bad = await checkDpKernels(calc, [models[1], models[0], models[2], models[3]], jittered, 'Cu13 jittered');
    expect(bad.passed).toBe(false);
    expect(bad.maxForceError).toBeGreaterThan(DP_CHECK_TOLERANCES.force);
  });

  it('GPU MD (NVE) follows the float64 CPU run; its GPU deviation matches the float64 ensemble deviation', async () => {
    const start = jitteredIcosahedron(2, 0.03, 7);
    const params = { ensemble: 'nve' as const, temperatureK: 400, dtFs: 1, seed: 11 };
    const g = await GpuSimulation.create(gpu.device, models, start, params, 'SwiftShader');
    const cpuEnsemble = new DpEnsembleCalculator(models, { onWarning: () => {} });
    const c = new Simulation(start, cpuEnsemble, params);
    await g.run(15);
    await c.run(15);
    const gs = await g.snapshot();
    const cs = await c.snapshot();
    expect(gs.step).toBe(15);
    let dx = 0;
    for (let k = 0; k < gs.positions.length; k++) dx = Math.max(dx, Math.abs(gs.positions[k] - cs.positions[k]));
    expect(dx).toBeLessThan(1e-4);
    expect(Math.abs(gs.potentialEnergy - cs.potentialEnergy)).toBeLessThan(1e-3);
    // The deviation the GPU computed for its own state vs the float64 ensemble at the GPU positions.
    const ref = cpuEnsemble.compute(makeFrame(start.symbols, gs.positions)).deviation;
    let de = 0;
    for (let i = 0; i < 13; i++) de = Math.max(de, Math.abs(gs.atomicDeviF[i] - ref.atomic_devi_f[i]));
    expect(gs.maxDeviF).toBeGreaterThan(0);
    expect(de).toBeLessThan(1e-4);
    expect(Math.abs(gs.maxDeviF - ref.max_devi_f)).toBeLessThan(1e-4);
    expect(() => g.setTemperature(900)).toThrow(/NVE has no target temperature/);
    g.destroy();
  });

  it('GPU Langevin: a live temperature change heats the cluster; NPT is refused with the reason', async () => {
    const start = jitteredIcosahedron(2, 0.03, 8);
    const g = await GpuSimulation.create(gpu.device, models, start, { ensemble: 'langevin', temperatureK: 300, frictionPerFs: 0.1, dtFs: 2, seed: 3 }, 'SwiftShader');
    await g.run(5);
    g.setTemperature(1500);
    let hot = 0;
    for (let k = 0; k < 3; k++) {
      await g.run(12);
      hot = Math.max(hot, (await g.snapshot()).temperatureK);
    }
    expect(hot).toBeGreaterThan(700);
    g.destroy();
    await expect(GpuSimulation.create(gpu.device, models, start, { ensemble: 'npt' }, 'x')).rejects.toThrow(/NPT has no WebGPU integrator/);
  });
});
