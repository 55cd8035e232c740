/**
 * Kernel self-test: run shaders/lj-gather.wgsl on a Cu13-sized LJ cluster and compare with the
 * float64 CPU Lennard-Jones calculator. Used by the studio at start-up (to prove the adapter
 * computes correctly) and by the tests in Node and Chromium.
 */
/// <reference types="@webgpu/types" />
import { icosahedron } from '../core/build/icosahedron.ts';
import { LennardJones } from '../core/potentials/lj.ts';
import { LennardJonesGpu } from './lj-gpu.ts';

/** Result of the LJ kernel self-test (plain data). */
export interface GpuSelfTest {
  /** Which kernel ran. */
  kernel: string;
  natoms: number;
  /** max over atoms and components of |F_gpu − F_cpu|, eV/Å. */
  maxForceError: number;
  /** |E_gpu − E_cpu| / N, eV/atom. */
  energyErrorPerAtom: number;
  passed: boolean;
  /** Wall time of one GPU evaluation, ms (after compilation). */
  gpuMs: number;
}

/** Tolerances for float32 vs float64 LJ (ε = 0.4 eV, σ = 2.3 Å, near-equilibrium Cu55). */
export const SELF_TEST_FORCE_TOL = 1e-4; // eV/Å
export const SELF_TEST_ENERGY_TOL = 1e-5; // eV/atom

/** Evaluate LJ on an icosahedron with `shells` shells on the GPU and on the CPU, and compare. */
export async function ljSelfTest(device: GPUDevice, shells = 3): Promise<GpuSelfTest> {
  const frame = icosahedron('Cu', shells);
  const epsilon = 0.4, sigma = 2.3;
  const cpu = new LennardJones({ epsilon, sigma }).compute(frame);
  const gpu = new LennardJonesGpu(device, epsilon, sigma);
  try {
    await gpu.compute(frame.positions); // compile + warm up
    const t0 = performance.now();
    const res = await gpu.compute(frame.positions);
    const gpuMs = performance.now() - t0;
    let maxForceError = 0;
    for (let k = 0; k < res.forces.length; k++) maxForceError = Math.max(maxForceError, Math.abs(res.forces[k] - cpu.forces[k]));
    const n = frame.symbols.length;
    const energyErrorPerAtom = Math.abs(res.energy - cpu.energy) / n;
    return {
      kernel: 'lj-gather',
      natoms: n,
      maxForceError,
      energyErrorPerAtom,
      passed: maxForceError <= SELF_TEST_FORCE_TOL && energyErrorPerAtom <= SELF_TEST_ENERGY_TOL,
      gpuMs,
    };
  } finally {
    gpu.destroy();
  }
}
