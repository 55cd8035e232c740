/**
 * The teaching mode's simulation: Langevin MD of a small cluster with EAM, LJ or model 0 of the
 * DP ensemble, a live heat/cool target temperature, and a steering spring on a dragged atom.
 * Pure TypeScript (the teach worker drives it; tests run it in Node). Units: Å, fs, K, eV.
 */
import type { Frame } from '../core/atoms.ts';
import type { Calculator } from '../core/potentials/calculator.ts';
import { initLangevin, langevin, type LangevinState } from '../core/md/langevin.ts';
import { stepWith, stateKinetic } from '../core/md/state.ts';
import { temperature } from '../core/md/thermo.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import { explosionReason } from '../core/md/run-md.ts';
import { SteeredCalculator, type Steer } from '../core/md/steering.ts';

export interface TeachSnapshot {
  step: number;
  timeFs: number;
  /** Positions, Å (3N). */
  positions: Float64Array;
  temperatureK: number;
  targetK: number;
  potentialEnergy: number;
  kineticEnergy: number;
  /** Energy stored in the steering spring, eV (0 when nothing is dragged). */
  springEnergy: number;
  steeredAtom: number | null;
}

export class TeachSimulation {
  private state: LangevinState;
  private readonly calc: SteeredCalculator;
  private readonly maxRadiusA: number;

  constructor(start: Frame, base: Calculator, opts: { temperatureK: number; dtFs?: number; frictionPerFs?: number; seed?: number }) {
    this.calc = new SteeredCalculator(base);
    const seed = opts.seed ?? 1;
    this.state = initLangevin(withMaxwellBoltzmann(start, opts.temperatureK, seed), this.calc, {
      dt: opts.dtFs ?? 2, temperatureK: opts.temperatureK, frictionPerFs: opts.frictionPerFs ?? 0.02, seed: seed + 1,
    });
    const x = start.positions, n = start.symbols.length;
    const c = [0, 1, 2].map((k) => { let t = 0; for (let i = 0; i < n; i++) t += x[3 * i + k]; return t / n; });
    let r = 0;
    for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]));
    this.maxRadiusA = r + 15;
  }

  /** Heat or cool: the thermostat's new target, K (≥ 0). */
  setTemperature(t: number): void {
    if (!(t >= 0) || !Number.isFinite(t)) throw new Error(`temperature must be ≥ 0 K, got ${t}`);
    this.state = { ...this.state, temperatureK: t };
  }

  /** Pull an atom toward a point (Å) with a spring (eV/Å², default 2), or release with null. */
  steer(s: Steer | null): void {
    this.calc.steer = s;
  }

  /** Run n steps; throws (keeping the last good state) when the dynamics blow up. */
  advance(n: number): TeachSnapshot {
    for (let k = 0; k < n; k++) {
      const next = stepWith(langevin, this.state, this.calc);
      // The user pulls atoms far: allow a large radius but still catch non-finite states.
      const why = explosionReason(langevin, next, { maxTemperatureFactor: 50, maxRadiusA: this.maxRadiusA });
      if (why) throw new Error(`MD stopped at step ${next.step}: ${why}`);
      this.state = next;
    }
    return this.snapshot();
  }

  snapshot(): TeachSnapshot {
    const s = this.state;
    const ke = stateKinetic(s);
    return {
      step: s.step, timeFs: s.time, positions: new Float64Array(s.frame.positions),
      temperatureK: temperature(ke, s.dof), targetK: s.temperatureK, potentialEnergy: s.potentialEnergy, kineticEnergy: ke,
      springEnergy: this.calc.springEnergy, steeredAtom: this.calc.steer?.atom ?? null,
    };
  }
}
