/**
 * The DP kernels a WebGPU ensemble uses, checked against the float64 CPU evaluator on one small
 * frame (the studio runs it at start and whenever an ensemble is loaded): every model's atomic
 * energies and forces, and the ensemble's max force deviation. Tolerances are those of
 * docs/dp-se.md §6 for a float32 port (per-atom energy 1e-4 eV, forces 1e-4 eV/Å).
 * Units: eV, eV/Å.
 */
/// <reference types="@webgpu/types" />
import type { Frame } from '../core/atoms.ts';
import { icosahedron } from '../core/build/icosahedron.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { DpEnsembleCalculator } from '../core/potentials/dp/ensemble.ts';
import type { DpGpuCalculator } from './dp-gpu-calculator.ts';

/** Spec §6 tolerances of the float32 GPU path against float64. */
export const DP_CHECK_TOLERANCES = {
  /** max |ΔE_i|, eV. */
  atomicEnergy: 1e-4,
  /** max |ΔF| per component, eV/Å. */
  force: 1e-4,
} as const;

/** The WebGPU DP ensemble against the float64 CPU evaluator on one frame (plain data). */
export interface DpKernelCheck {
  /** What was evaluated, e.g. "Cu13 icosahedron". */
  system: string;
  natoms: number;
  nmodels: number;
  /** max |E_i(gpu) − E_i(cpu)| over atoms and models, eV. */
  maxAtomicEnergyError: number;
  /** max |F(gpu) − F(cpu)| over components and models, eV/Å. */
  maxForceError: number;
  /** |max_devi_f(gpu) − max_devi_f(cpu)|, eV/Å (0 for one model). */
  maxDeviError: number;
  tolerances: { atomicEnergy: number; force: number };
  passed: boolean;
  /** Name of the GPU calculator checked. */
  engine: string;
  /** Wall time of the GPU evaluation, ms (includes compilation and allocation on a first use). */
  gpuMs: number;
}

/** The default check frame: a 13-atom icosahedron of the models' first element. */
export function checkCluster(models: DpModel[]): { frame: Frame; system: string } {
  const el = models[0].typeMap[0];
  return { frame: icosahedron(el, 2), system: `${el}13 icosahedron` };
}

/**
 * Evaluate `frame` with the GPU calculator and with the float64 ensemble of the same models,
 * and compare every model's atomic energies and forces (and the deviation) with the §6
 * tolerances (or `tolerances`, e.g. the studio's test-only override). The deviation difference
 * is reported, and must be within the force tolerance.
 */
export async function checkDpKernels(
  calc: DpGpuCalculator, models: DpModel[], frame: Frame, system: string,
  tolerances: { atomicEnergy: number; force: number } = DP_CHECK_TOLERANCES,
): Promise<DpKernelCheck> {
  const t0 = performance.now();
  const gpu = await calc.compute(frame);
  const gpuMs = performance.now() - t0;
  const cpu = new DpEnsembleCalculator(models, { onWarning: () => {} }).compute(frame);
  let eErr = 0, fErr = 0;
  cpu.models.forEach((c, k) => {
    const g = gpu.models[k];
    for (let i = 0; i < c.atomicEnergies.length; i++) eErr = Math.max(eErr, Math.abs(g.atomicEnergies[i] - c.atomicEnergies[i]));
    for (let i = 0; i < c.forces.length; i++) fErr = Math.max(fErr, Math.abs(g.forces[i] - c.forces[i]));
  });
  // NaN compares false with every tolerance: a non-finite GPU result fails the check.
  if (!Number.isFinite(eErr)) eErr = NaN;
  if (!Number.isFinite(fErr)) fErr = NaN;
  const dErr = gpu.deviation ? Math.abs(gpu.deviation.max_devi_f - cpu.deviation.max_devi_f) : 0;
  const tol = tolerances;
  return {
    system,
    natoms: frame.symbols.length,
    nmodels: models.length,
    maxAtomicEnergyError: eErr,
    maxForceError: fErr,
    maxDeviError: dErr,
    tolerances: { atomicEnergy: tol.atomicEnergy, force: tol.force },
    passed: eErr <= tol.atomicEnergy && fErr <= tol.force && dErr <= tol.force,
    engine: calc.name,
    gpuMs,
  };
}
