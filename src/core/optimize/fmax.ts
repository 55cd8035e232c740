/**
 * Convergence measure of geometry optimisation and fixed-atom masks, shared by FIRE and L-BFGS.
 */

/** Mask (1 = fixed) of n atoms from a list of 0-based indices; throws on an index out of range. */
export function fixedMask(n: number, fixed: readonly number[] = []): Uint8Array {
  const m = new Uint8Array(n);
  for (const i of fixed) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`fixed atom index ${i} out of range 0…${n - 1}`);
    m[i] = 1;
  }
  return m;
}

/** Largest force norm over the free atoms, eV/Å (the `fmax` of ASE's optimizers). */
export function maxAtomForce(forces: ArrayLike<number>, mask?: Uint8Array): number {
  let best = 0;
  const n = forces.length / 3;
  for (let i = 0; i < n; i++) {
    if (mask && mask[i]) continue;
    const f2 = forces[3 * i] ** 2 + forces[3 * i + 1] ** 2 + forces[3 * i + 2] ** 2;
    if (f2 > best) best = f2;
  }
  return Math.sqrt(best);
}

/** Copy of the forces with the rows of fixed atoms zeroed (as ASE's FixAtoms.adjust_forces), eV/Å. */
export function freeForces(forces: ArrayLike<number>, mask: Uint8Array): Float64Array {
  const f = Float64Array.from(forces);
  for (let i = 0; i < mask.length; i++) if (mask[i]) f[3 * i] = f[3 * i + 1] = f[3 * i + 2] = 0;
  return f;
}
