// MD on the GPU (shaders/md-*.wgsl) with the demo DP model: velocity Verlet follows the float64
// CPU velocity-Verlet trajectory, NVE energy drift on Cu55 is bounded, Langevin BAOAB holds the
// target temperature, the Nosé–Hoover chain conserves its extended energy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { DpGpuEngine } from '../../src/gpu/dp-engine.ts';
import { MdGpu } from '../../src/gpu/md-gpu.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { withMaxwellBoltzmann } from '../../src/core/md/velocities.ts';
import { initVerlet, verletStep } from '../../src/core/md/verlet.ts';
import { refModel } from '../dp/helpers.ts';
import { jitteredIcosahedron } from './gpu-test-systems.ts';

const gpu = useNodeGpu();
let engine: DpGpuEngine;
beforeAll(async () => {
  engine = await DpGpuEngine.create(gpu.device, [await refModel('models/cu-eam-demo/cu_eam_demo_0.dp')]);
});
afterAll(() => {
  engine?.destroy();
});

describe('GPU MD with the demo DP model on Cu13 (small: SwiftShader runs ~10 steps/s)', () => {
  it('velocity Verlet follows the float64 CPU trajectory for 20 steps', async () => {
    const frame = withMaxwellBoltzmann(jitteredIcosahedron(2, 0.03, 3), 300, 7);
    const md = await MdGpu.create(engine, frame, { dtFs: 1, thermostat: { kind: 'nve' } });
    await md.run(20);
    const g = await md.readState();
    let s = initVerlet(frame, new DpCalculator(await refModel('models/cu-eam-demo/cu_eam_demo_0.dp')), { dt: 1 });
    const calc = new DpCalculator(await refModel('models/cu-eam-demo/cu_eam_demo_0.dp'));
    for (let k = 0; k < 20; k++) s = verletStep(s, calc);
    let dx = 0, dv = 0;
    for (let p = 0; p < g.positions.length; p++) {
      dx = Math.max(dx, Math.abs(g.positions[p] - s.frame.positions[p]));
      dv = Math.max(dv, Math.abs(g.velocities[p] - s.frame.velocities![p]));
    }
    console.log(`20 VV steps: max|Δx| ${dx.toExponential(2)} Å, max|Δv| ${dv.toExponential(2)} Å/fs`);
    expect(dx).toBeLessThan(1e-4);
    expect(dv).toBeLessThan(1e-5);
    md.destroy();
  });

  it('NVE: total-energy error over 400 fs (2 fs steps, 600 K) no larger than the float64 CPU integrator\'s', async () => {
    const frame = withMaxwellBoltzmann(jitteredIcosahedron(2, 0.03, 4), 600, 8);
    const md = await MdGpu.create(engine, frame, { dtFs: 2, thermostat: { kind: 'nve' } });
    const calc = new DpCalculator(await refModel('models/cu-eam-demo/cu_eam_demo_0.dp'));
    let s = initVerlet(frame, calc, { dt: 2 });
    const kin = (v: Float64Array) => {
      let k = 0;
      for (let i = 0; i < v.length; i++) k += 0.5 * 63.546 * 103.6427 * v[i] * v[i];
      return k;
    };
    const cpuE0 = s.potentialEnergy + kin(s.frame.velocities!);
    const t0 = await md.thermo();
    let worst = 0, cpuWorst = 0;
    for (let b = 0; b < 8; b++) {
      await md.run(25);
      for (let k = 0; k < 25; k++) s = verletStep(s, calc);
      cpuWorst = Math.max(cpuWorst, Math.abs(s.potentialEnergy + kin(s.frame.velocities!) - cpuE0));
      const t = await md.thermo();
      worst = Math.max(worst, Math.abs(t.conserved - t0.conserved));
    }
    const t = await md.thermo();
    console.log(`NVE Cu13 600 K, 200 steps of 2 fs: GPU max|E − E0| ${worst.toExponential(2)} eV, float64 CPU ${cpuWorst.toExponential(2)} eV, T ${t.temperature.toFixed(0)} K, list builds ${engine.neighborList.stats().builds}`);
    expect(worst).toBeLessThan(1.25 * cpuWorst + 2e-4);
    expect(Math.hypot(...t.momentum)).toBeLessThan(1e-3);
    md.destroy();
  });

  it('Langevin BAOAB holds the target temperature (700 K, γ = 0.05 fs⁻¹)', async () => {
    const frame = withMaxwellBoltzmann(jitteredIcosahedron(2, 0.03, 5), 300, 9);
    const md = await MdGpu.create(engine, frame, { dtFs: 2, thermostat: { kind: 'langevin', temperatureK: 700, frictionPerFs: 0.05, seed: 3 } });
    await md.run(30);
    let sum = 0, n = 0;
    for (let b = 0; b < 150; b++) {
      await md.run(1);
      sum += (await md.thermo()).temperature;
      n++;
    }
    const mean = sum / n;
    console.log(`Langevin Cu13: mean T over 300 fs ${mean.toFixed(1)} K (target 700)`);
    // f = 36: one sample fluctuates by ±24 %; ~15 independent samples (1/γ = 20 fs) → ±6 % (1σ).
    expect(Math.abs(mean - 700)).toBeLessThan(105);
    md.destroy();
  });

  it('Nosé–Hoover chain: extended energy conserved, temperature near target', async () => {
    const frame = withMaxwellBoltzmann(jitteredIcosahedron(2, 0.03, 6), 500, 10);
    const md = await MdGpu.create(engine, frame, { dtFs: 1, thermostat: { kind: 'nhc', temperatureK: 500, tauFs: 50 } });
    const t0 = await md.thermo();
    let worst = 0, tsum = 0;
    for (let b = 0; b < 6; b++) {
      await md.run(25);
      const t = await md.thermo();
      worst = Math.max(worst, Math.abs(t.conserved - t0.conserved));
      tsum += t.temperature;
    }
    console.log(`NHC Cu13: max|H − H0| ${worst.toExponential(2)} eV over 150 steps of 1 fs, mean T ${(tsum / 6).toFixed(0)} K`);
    expect(worst).toBeLessThan(1.3e-3);
    md.destroy();
  });
});
