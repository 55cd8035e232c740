/**
 * Pass A of the trainer: energy, atomic energies and (when wanted) forces and virial with the
 * current θ; leaves in the workspace the caches the tangent and reverse passes read.
 */
import { netForward, netReverse } from './net-tape.ts';
import { transposeWeights } from './param-layout.ts';
import { atomDescriptor, padEmbeddings } from './descriptor-pass.ts';
import { atomForces } from './force-pass.ts';
import type { PreparedFrame } from './frame-prepare.ts';
import { ensureCapacity, type TrainCore, type TrainWorkspace } from './workspace.ts';

export interface EnergyForces {
  /** eV. */
  energy: number;
  /** eV/Å (3N), a view into the workspace valid until the next pass (zero when not wanted). */
  forces: Float64Array;
  /** eV, row-major 3×3. */
  virial: Float64Array;
  /** eV per atom. */
  atomicEnergies: Float64Array;
}

const ONE = Float64Array.of(1);
const ZERO = Float64Array.of(0);

export function energyForces(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, wantForces: boolean): EnergyForces {
  const n = pf.natoms;
  ensureCapacity(c, ws, pf.slots.offsets[n], n, pf.maxEntries);
  transposeWeights(c.layout, c.theta, c.thetaT);
  padEmbeddings(c, ws);
  const forces = ws.forces.subarray(0, 3 * n);
  forces.fill(0);
  const atomicEnergies = new Float64Array(n);
  const virial = new Float64Array(9);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    const ti = pf.types[i];
    atomDescriptor(c, ws, pf, i);
    const ei = netForward(c.layout.fit[ti], c.theta, c.thetaT, ws.fit, 0, false) + c.bias[ti];
    atomicEnergies[i] = ei;
    energy += ei;
    if (!wantForces) continue;
    netReverse(c.layout.fit[ti], c.theta, null, ws.fit, 0, 1, ONE, ZERO, ws.rev, true);
    atomForces(c, ws, pf, i, ws.rev.xbar, forces, virial);
  }
  return { energy, forces, virial, atomicEnergies };
}
