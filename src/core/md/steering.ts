/**
 * Interactive steering (as in interactive MD, e.g. Stone et al., "A system for interactive
 * molecular dynamics simulation", I3D 2001): a harmonic spring pulls one atom toward a target
 * point the user drags with the mouse,
 *   U_s = ½ k |x_a − x_target|²,   F_a += −k (x_a − x_target),
 * added on top of any calculator. The spring energy is reported separately (it is work done by
 * the user, not part of the potential). Units: k in eV/Å², positions Å, energies eV.
 */
import type { Frame } from '../atoms.ts';
import type { CalcResult, Calculator } from '../potentials/calculator.ts';

export interface Steer {
  /** Atom index being pulled. */
  atom: number;
  /** Target point, Å. */
  target: [number, number, number];
  /** Spring constant, eV/Å² (> 0). */
  k: number;
}

/** A calculator with an optional steering spring; `steer` may change between calls. */
export class SteeredCalculator implements Calculator {
  steer: Steer | null = null;
  /** Spring energy of the last evaluation, eV. */
  springEnergy = 0;

  constructor(readonly base: Calculator) {}

  get name(): string { return `${this.base.name} + steering spring`; }
  get implementedProperties() { return this.base.implementedProperties; }

  compute(frame: Frame): CalcResult {
    const r = this.base.compute(frame);
    const s = this.steer;
    this.springEnergy = 0;
    if (!s) return r;
    const n = frame.symbols.length;
    if (!Number.isInteger(s.atom) || s.atom < 0 || s.atom >= n) throw new Error(`steering: atom ${s.atom} does not exist (the structure has ${n} atoms)`);
    if (!(s.k > 0) || !Number.isFinite(s.k)) throw new Error(`steering: spring constant must be > 0 eV/Å², got ${s.k}`);
    const forces = new Float64Array(r.forces);
    let e = 0;
    for (let d = 0; d < 3; d++) {
      const dx = frame.positions[3 * s.atom + d] - s.target[d];
      forces[3 * s.atom + d] -= s.k * dx;
      e += 0.5 * s.k * dx * dx;
    }
    this.springEnergy = e;
    // The virial would include the external spring; drop it rather than report a wrong one.
    return { energy: r.energy, forces, atomicEnergies: r.atomicEnergies };
  }
}
