/**
 * Lennard-Jones pair potential (CPU, float64).
 *
 *   φ(r) = 4ε [ (σ/r)¹² − (σ/r)⁶ ]                      (Lennard-Jones 1924; Allen & Tildesley §1.4)
 *   φ'(r) = −(24ε / r) [ 2(σ/r)¹² − (σ/r)⁶ ]
 *
 * Two modes:
 * - no cutoff (rc undefined, the default): every pair of an open cluster, untruncated and
 *   unshifted — the convention of the Cambridge Cluster Database (LJ13 = −44.326801 ε).
 *   Periodic frames need a cutoff and are rejected in this mode.
 * - cutoff rc (Å): pairs with r < rc from the cell-list neighbour list (any pbc, any box size).
 *   By default the energy is SHIFTED, φ_s(r) = φ(r) − φ(rc), so the energy is continuous at rc
 *   (ASE's LennardJones does the same); the forces are those of φ (not shifted), so they jump by
 *   φ'(rc) at rc — small for rc ≥ 2.5σ. Pass `shift: false` for LAMMPS' plain truncated `lj/cut`.
 *
 * Units: ε in eV, σ and rc in Å, energy eV, forces eV/Å, virial eV.
 * Virial convention (calculator.ts): W = −∂E/∂ε (strain derivative), i.e. for pairs
 * W = Σ_pairs r_ij ⊗ F_ij with r_ij = r_i − r_j and F_ij the force on i from j;
 * instantaneous pressure P = (2K + tr W) / (3V), stress = −W/V.
 */
import type { Frame } from '../atoms.ts';
import { buildNeighborList } from '../neighbor/neighbor-list.ts';
import type { CalcResult, Calculator } from './calculator.ts';

export interface LennardJonesParams {
  /** Well depth ε, eV (> 0). */
  epsilon: number;
  /** Zero-crossing distance σ, Å (> 0); the minimum is at 2^(1/6) σ. */
  sigma: number;
  /** Optional cutoff radius, Å. Undefined: all pairs of an open cluster (untruncated). */
  rc?: number;
  /** With rc: subtract φ(rc) from every pair energy (default true). Ignored without rc. */
  shift?: boolean;
}

export class LennardJones implements Calculator {
  readonly name: string;
  readonly implementedProperties = ['virial', 'atomicEnergies'] as const;
  readonly epsilon: number;
  readonly sigma: number;
  readonly rc: number | undefined;
  readonly shift: boolean;
  /** Energy subtracted per pair, eV (φ(rc) when shifted, else 0). */
  private readonly eShift: number;

  constructor(p: LennardJonesParams) {
    if (!(p.epsilon > 0) || !Number.isFinite(p.epsilon)) throw new Error(`LJ epsilon must be a positive number (eV), got ${p.epsilon}`);
    if (!(p.sigma > 0) || !Number.isFinite(p.sigma)) throw new Error(`LJ sigma must be a positive number (Å), got ${p.sigma}`);
    if (p.rc !== undefined && (!(p.rc > 0) || !Number.isFinite(p.rc))) throw new Error(`LJ rc must be a positive number (Å), got ${p.rc}`);
    this.epsilon = p.epsilon;
    this.sigma = p.sigma;
    this.rc = p.rc;
    this.shift = p.rc !== undefined && (p.shift ?? true);
    this.eShift = this.shift ? this.pair(p.rc! * p.rc!).e : 0;
    this.name = `LJ eps=${p.epsilon} sigma=${p.sigma}` + (p.rc !== undefined ? ` rc=${p.rc}${this.shift ? ' shifted' : ''}` : '');
  }

  /** Pair energy φ (eV) and −φ'(r)/r (eV/Å²) at squared distance r2 (Å²). */
  private pair(r2: number): { e: number; fOverR: number } {
    const s2 = (this.sigma * this.sigma) / r2;
    const s6 = s2 * s2 * s2;
    const s12 = s6 * s6;
    return { e: 4 * this.epsilon * (s12 - s6), fOverR: (24 * this.epsilon * (2 * s12 - s6)) / r2 };
  }

  compute(frame: Frame): CalcResult {
    const n = frame.symbols.length;
    const pos = frame.positions;
    const forces = new Float64Array(3 * n);
    const atomicEnergies = new Float64Array(n);
    const virial = new Float64Array(9);
    let energy = 0;
    const periodic = frame.cell !== null && frame.pbc.some(Boolean);

    if (this.rc === undefined) {
      if (periodic) throw new Error('LennardJones without a cutoff only handles open clusters; give rc (Å) for a periodic frame');
      const sig2 = this.sigma * this.sigma, eps4 = 4 * this.epsilon, eps24 = 24 * this.epsilon;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          // d = r_j − r_i
          const dx = pos[3 * j] - pos[3 * i], dy = pos[3 * j + 1] - pos[3 * i + 1], dz = pos[3 * j + 2] - pos[3 * i + 2];
          // this.pair() inlined (the same operations in the same order: identical results).
          const r2 = dx * dx + dy * dy + dz * dz;
          const s2 = sig2 / r2;
          const s6 = s2 * s2 * s2;
          const s12 = s6 * s6;
          const e = eps4 * (s12 - s6);
          const fOverR = (eps24 * (2 * s12 - s6)) / r2;
          energy += e;
          atomicEnergies[i] += 0.5 * e;
          atomicEnergies[j] += 0.5 * e;
          // Force on i: −∂φ/∂r_i = φ'(r) d/r = −fOverR · d.
          const fx = fOverR * dx, fy = fOverR * dy, fz = fOverR * dz;
          forces[3 * i] -= fx; forces[3 * i + 1] -= fy; forces[3 * i + 2] -= fz;
          forces[3 * j] += fx; forces[3 * j + 1] += fy; forces[3 * j + 2] += fz;
          addVirial(virial, dx, dy, dz, fOverR);
        }
      }
      return { energy, forces, virial, atomicEnergies };
    }

    // Full neighbour list: every pair appears twice (i→j and j→i), so energy and virial take ½.
    const nl = buildNeighborList(frame, this.rc);
    const v = nl.vectors;
    for (let i = 0; i < n; i++) {
      for (let p = nl.offsets[i]; p < nl.offsets[i + 1]; p++) {
        const dx = v[3 * p], dy = v[3 * p + 1], dz = v[3 * p + 2];
        const { e, fOverR } = this.pair(dx * dx + dy * dy + dz * dz);
        const es = e - this.eShift;
        energy += 0.5 * es;
        atomicEnergies[i] += 0.5 * es;
        forces[3 * i] -= fOverR * dx;
        forces[3 * i + 1] -= fOverR * dy;
        forces[3 * i + 2] -= fOverR * dz;
        addVirial(virial, dx, dy, dz, 0.5 * fOverR);
      }
    }
    return { energy, forces, virial, atomicEnergies };
  }
}

/**
 * Add one pair's virial r_ij ⊗ F_ij = (−d) ⊗ (−fOverR·d) = fOverR · d ⊗ d (eV), d = r_j − r_i.
 */
function addVirial(w: Float64Array, dx: number, dy: number, dz: number, fOverR: number): void {
  w[0] += fOverR * dx * dx; w[1] += fOverR * dx * dy; w[2] += fOverR * dx * dz;
  w[3] += fOverR * dy * dx; w[4] += fOverR * dy * dy; w[5] += fOverR * dy * dz;
  w[6] += fOverR * dz * dx; w[7] += fOverR * dz * dy; w[8] += fOverR * dz * dz;
}

/**
 * Parse the `--potential lj:` argument `epsilon=E,sigma=S[,rc=R][,shift=true|false]`
 * (ε in eV, σ and rc in Å) into a calculator. Used by src/cli/potential-spec.ts.
 */
export function parseLennardJonesSpec(arg: string): LennardJones {
  const kv = new Map<string, string>();
  for (const part of arg.split(',')) {
    const m = /^\s*(\w+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new Error(`lj: expected key=value, got '${part}' (form: lj:epsilon=E,sigma=S[,rc=R][,shift=false])`);
    kv.set(m[1], m[2]);
  }
  for (const k of kv.keys()) {
    if (!['epsilon', 'sigma', 'rc', 'shift'].includes(k)) throw new Error(`lj: unknown key '${k}' (known: epsilon, sigma, rc, shift)`);
  }
  const num = (k: string): number | undefined => {
    const s = kv.get(k);
    if (s === undefined) return undefined;
    const x = Number(s);
    if (!Number.isFinite(x)) throw new Error(`lj: ${k} must be a number, got '${s}'`);
    return x;
  };
  const epsilon = num('epsilon');
  const sigma = num('sigma');
  if (epsilon === undefined || sigma === undefined) throw new Error('lj: epsilon and sigma are required (lj:epsilon=E,sigma=S[,rc=R])');
  const shiftS = kv.get('shift');
  if (shiftS !== undefined && shiftS !== 'true' && shiftS !== 'false') throw new Error(`lj: shift must be true or false, got '${shiftS}'`);
  return new LennardJones({ epsilon, sigma, rc: num('rc'), shift: shiftS === undefined ? undefined : shiftS === 'true' });
}

/** Async loader for the `--potential lj:` scheme (see parseLennardJonesSpec). */
export async function loadLennardJones(arg: string): Promise<Calculator> {
  return parseLennardJonesSpec(arg);
}
