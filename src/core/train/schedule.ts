/**
 * Learning-rate schedule, loss prefactors and the Adam optimiser, as DeePMD-kit trains.
 *
 * LearningRateExp (deepmd/dpmodel/utils/learning_rate.py, read, not copied): with S = numSteps,
 *   decay_steps ← (S//10 > 100 ? 100 : S//100 + 1)   when the given decay_steps ≥ S
 *   decay_rate  = exp(ln(stop_lr/start_lr) / (S / decay_steps))
 *   lr(t)       = max(stop_lr, start_lr · decay_rate^floor(t / decay_steps))   (a staircase)
 * so lr reaches stop_lr at t = S. Loss prefactors (deepmd/pt/loss/ener.py):
 *   p(t) = p_limit + (p_start − p_limit) · lr(t) / start_lr.
 * Adam as torch.optim.Adam (β1 0.9, β2 0.999, ε 1e-8, bias-corrected, no weight decay).
 */

export interface LrSchedule {
  startLr: number;
  stopLr: number;
  /** Effective decay interval (steps). */
  decaySteps: number;
  decayRate: number;
}

/** DeePMD's exponential schedule for numSteps steps. */
export function makeLrSchedule(startLr: number, stopLr: number, decaySteps: number, numSteps: number): LrSchedule {
  if (!(startLr > 0) || !(stopLr > 0)) throw new Error(`learning rates must be positive (start ${startLr}, stop ${stopLr})`);
  if (!Number.isInteger(numSteps) || numSteps < 1) throw new Error(`numSteps must be a positive integer, got ${numSteps}`);
  let ds = Math.max(1, Math.floor(decaySteps));
  if (ds >= numSteps) ds = Math.floor(numSteps / 10) > 100 ? 100 : Math.floor(numSteps / 100) + 1;
  const decayRate = Math.exp(Math.log(stopLr / startLr) / (numSteps / ds));
  return { startLr, stopLr, decaySteps: ds, decayRate };
}

/** Learning rate at step t (0-based). */
export function lrAt(s: LrSchedule, t: number): number {
  return Math.max(s.stopLr, s.startLr * Math.pow(s.decayRate, Math.floor(t / s.decaySteps)));
}

/** Loss prefactor p(t) = limit + (start − limit)·lr/startLr. */
export function prefactor(start: number, limit: number, lr: number, startLr: number): number {
  return limit + (start - limit) * (lr / startLr);
}

/** Adam state over a flat parameter vector. */
export class Adam {
  readonly m: Float64Array;
  readonly v: Float64Array;
  t = 0;

  constructor(n: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  /** θ ← θ − lr · m̂ / (√v̂ + ε) with the gradient g of the loss. */
  step(theta: Float64Array, g: Float64Array, lr: number): void {
    this.t++;
    const { m, v, beta1: b1, beta2: b2, eps } = this;
    const bc1 = 1 - Math.pow(b1, this.t);
    const sbc2 = Math.sqrt(1 - Math.pow(b2, this.t));
    const stepSize = lr / bc1;
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i];
      const mi = (m[i] = b1 * m[i] + (1 - b1) * gi);
      const vi = (v[i] = b2 * v[i] + (1 - b2) * gi * gi);
      theta[i] -= (stepSize * mi) / (Math.sqrt(vi) / sbc2 + eps);
    }
  }
}
