/**
 * Gradient of DeePMD's force loss  L_F = p_f · (1/3N) Σ_k (F_k − F_ref,k)²  with respect to the
 * network weights, where F = −∂E/∂x. Exactly,
 *   ∂L_F/∂θ = (2 p_f / 3N) Σ_k ΔF_k ∂F_k/∂θ = −(2 p_f / 3N) ∂/∂θ [∇_x E · ΔF]   (ΔF held fixed),
 * and ∇_x E · ΔF is the derivative of E along ΔF, evaluated here by a central difference:
 *   ∇_x E · ΔF ≈ (E(x + hΔF) − E(x − hΔF)) / 2h,
 * so the weight gradient needs two ordinary energy back-propagations at displaced positions
 * (error O(h²); h is chosen so that the largest displacement is 1e-4 Å). Forces eV/Å, energies eV.
 */
import type { Frame } from '../../core/atoms.ts';
import { DpCalculator } from '../../core/potentials/dp/evaluator.ts';
import type { LabeledFrame } from '../export/labeled-frame.ts';
import type { DpSeEnergyModel } from './energy-model.ts';
import { makeSamples, type Sample } from './samples.ts';

/** Largest displacement of the central difference, Å. */
export const FORCE_FD_STEP_A = 1e-4;

function displaced(frame: Frame, dir: Float64Array, h: number): Frame {
  const p = new Float64Array(frame.positions);
  for (let k = 0; k < p.length; k++) p[k] += h * dir[k];
  return { ...frame, positions: p };
}

/**
 * Accumulate ∂L_F/∂θ for one sample into the model's gradients; returns the force loss
 * p_f · mean(ΔF²) (eV²/Å²) and the predicted forces (eV/Å).
 */
export function accumulateForceLoss(em: DpSeEnergyModel, s: Sample, prefF: number): { loss: number; forces: Float64Array } {
  const forces = new DpCalculator(em.model).compute(s.frame).forces;
  const dF = new Float64Array(forces.length);
  let sq = 0, maxAbs = 0;
  for (let k = 0; k < forces.length; k++) {
    dF[k] = forces[k] - s.forces[k];
    sq += dF[k] * dF[k];
    maxAbs = Math.max(maxAbs, Math.abs(dF[k]));
  }
  const n3 = forces.length;
  if (prefF === 0 || maxAbs === 0) return { loss: (prefF * sq) / n3, forces };
  const h = FORCE_FD_STEP_A / maxAbs;
  const lf = (f: Frame): LabeledFrame => ({ id: s.frameId, frame: f, energy: 0, forces: s.forces, virial: null, calculator: '' });
  const [plus, minus] = makeSamples([lf(displaced(s.frame, dF, h)), lf(displaced(s.frame, dF, -h))], em.model);
  const c = (2 * prefF) / n3 / (2 * h);
  em.backward(plus, -c);
  em.backward(minus, c);
  return { loss: (prefF * sq) / n3, forces };
}
