/**
 * DeePMD-kit's exponential learning rate and loss prefactor schedules.
 *   lr(step) = start_lr · r^floor(step / decay_steps),  r = (stop_lr / start_lr)^(decay_steps / num_steps)
 *   pref(lr) = limit_pref + (start_pref − limit_pref) · lr / start_lr
 * When decay_steps ≥ num_steps (short runs), decay_steps becomes max(1, floor(num_steps / 10)) so the
 * rate still reaches stop_lr at the end (DeePMD-kit adjusts it likewise).
 */

export interface LrSchedule {
  startLr: number;
  stopLr: number;
  decaySteps: number;
  numSteps: number;
}

export function effectiveDecaySteps(s: LrSchedule): number {
  return s.decaySteps >= s.numSteps ? Math.max(1, Math.floor(s.numSteps / 10)) : s.decaySteps;
}

/** Learning rate at `step` (0-based). */
export function learningRate(s: LrSchedule, step: number): number {
  const ds = effectiveDecaySteps(s);
  const rate = Math.pow(s.stopLr / s.startLr, ds / s.numSteps);
  return s.startLr * Math.pow(rate, Math.floor(step / ds));
}

/** Loss prefactor for the current learning rate. */
export function prefactor(start: number, limit: number, lr: number, startLr: number): number {
  return limit + (start - limit) * (lr / startLr);
}

/** Adam (Kingma & Ba 2015) over a list of parameter arrays, updated in place. */
export class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;
  constructor(private readonly params: Array<{ p: Float64Array; g: Float64Array }>, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly eps = 1e-8) {
    this.m = params.map(({ p }) => new Float64Array(p.length));
    this.v = params.map(({ p }) => new Float64Array(p.length));
  }

  step(lr: number): void {
    this.t++;
    const c1 = 1 - Math.pow(this.beta1, this.t), c2 = 1 - Math.pow(this.beta2, this.t);
    this.params.forEach(({ p, g }, k) => {
      const m = this.m[k], v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = this.beta1 * m[i] + (1 - this.beta1) * g[i];
        v[i] = this.beta2 * v[i] + (1 - this.beta2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + this.eps);
      }
    });
  }
}
