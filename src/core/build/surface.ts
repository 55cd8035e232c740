/**
 * Low-index slabs: fcc(100), fcc(110), fcc(111), bcc(100), bcc(110) and hcp(0001) — the same
 * atoms, order and cell as `ase.build.fcc100/fcc110/fcc111/bcc100/bcc110/hcp0001(symbol,
 * size=(nx, ny, nlayers), a, [c], vacuum, orthogonal, periodic)`.
 *
 * Each layer is an nx × ny patch of the 2-D surface lattice (in-plane vectors b1, b2 per facet
 * below, in units of a), layers stacked along z with the interlayer spacing d; a layer t
 * counted from the TOP (t = 0 topmost) is shifted in-plane by the stacking offset of t (in
 * units of b1, b2). Atoms are ordered layer by layer from the bottom, then y, then x (fastest).
 *
 *   facet     b1, b2 (×a)                d (×a)        shifts (t = layer from the top)
 *   fcc100    (1/√2, 0), (0, 1/√2)        1/2           t odd: (½, ½)
 *   fcc110    (1, 0), (0, 1/√2)           1/(2√2)       t odd: (½, ½)
 *   bcc100    (1, 0), (0, 1)              1/2           t odd: (½, ½)
 *   fcc111    (1/√2, 0), (1/(2√2), √(3/8)) 1/√3         t mod 3 = 1: (−⅓, ⅔); = 2: (⅓, ⅓)   (ABC)
 *   hcp0001   (1, 0), (½, √3/2)           c/(2a)        t odd: (−⅓, ⅔)                       (AB)
 *   bcc110    (1, 0), (½, 1/√2)           1/√2          t odd: (−½, 1)
 * With `orthogonal` (fcc111, hcp0001, bcc110; ny even) b2 is perpendicular to b1 instead and odd
 * rows are shifted by ±½ along x to keep the same lattice.
 *
 * Vacuum: the bottom layer sits at z = vacuum and the cell height is the slab thickness plus
 * vacuum on each side (ASE's `center(vacuum, axis=2)`). pbc = (true, true, periodic).
 */
import { makeFrame, type Frame } from '../atoms.ts';
import { defaultCovera } from './bulk.ts';
import { latticeConstantFor } from '../elements.ts';

export type Facet = 'fcc100' | 'fcc110' | 'fcc111' | 'bcc100' | 'bcc110' | 'hcp0001';
export const FACETS: Facet[] = ['fcc100', 'fcc110', 'fcc111', 'bcc100', 'bcc110', 'hcp0001'];

export interface SurfaceOptions {
  /** Lattice constant a, Å (default: the element's reference value if its lattice matches the facet). */
  a?: number;
  /** hcp c, Å (hcp0001 only; default reference c/a · a for an hcp element, else √(8/3)·a). */
  c?: number;
  /** Vacuum on each side of the slab along z, Å (default 0: the cell height is the slab thickness). */
  vacuum?: number;
  /**
   * Orthogonal cell for fcc111, hcp0001 and bcc110 (needs an even ny; default false as in ASE).
   * fcc100, fcc110 and bcc100 cells are always orthogonal.
   */
  orthogonal?: boolean;
  /** Periodic along z too (default false). Without vacuum, the cell height is then nlayers·d. */
  periodic?: boolean;
}

interface FacetGeometry {
  structure: 'fcc' | 'bcc' | 'hcp';
  /** ASE's cell triple (units of a): in-plane lengths and interlayer spacing. */
  cell: [number, number, number];
  /** Hexagonal-type facet (non-orthogonal b2 by default). */
  hexagonal: boolean;
}

function geometry(facet: Facet, covera: number): FacetGeometry {
  switch (facet) {
    case 'fcc100': return { structure: 'fcc', cell: [Math.sqrt(0.5), Math.sqrt(0.5), 0.5], hexagonal: false };
    case 'fcc110': return { structure: 'fcc', cell: [1, Math.sqrt(0.5), Math.sqrt(0.125)], hexagonal: false };
    case 'bcc100': return { structure: 'bcc', cell: [1, 1, 0.5], hexagonal: false };
    case 'fcc111': return { structure: 'fcc', cell: [Math.sqrt(0.5), Math.sqrt(0.375), 1 / Math.sqrt(3)], hexagonal: true };
    case 'hcp0001': return { structure: 'hcp', cell: [1, Math.sqrt(0.75), 0.5 * covera], hexagonal: true };
    case 'bcc110': return { structure: 'bcc', cell: [1, Math.sqrt(0.5), Math.sqrt(0.5)], hexagonal: true };
  }
}

/** In-plane shift (units of b1, b2) of atom row j in layer t counted from the top. */
function shift(facet: Facet, orthogonal: boolean, t: number, j: number): [number, number] {
  const odd = j % 2 === 1;
  switch (facet) {
    case 'fcc100':
    case 'fcc110':
    case 'bcc100':
      return t % 2 === 1 ? [0.5, 0.5] : [0, 0];
    case 'fcc111':
      if (!orthogonal) return t % 3 === 1 ? [-1 / 3, 2 / 3] : t % 3 === 2 ? [1 / 3, 1 / 3] : [0, 0];
      if (t % 3 === 0) return [odd ? 0.5 : 0, 0];
      if (t % 3 === 1) return [odd ? 0.5 : 0, 2 / 3];
      return [0.5 + (odd ? -0.5 : 0), 1 / 3];
    case 'hcp0001':
      if (!orthogonal) return t % 2 === 1 ? [-1 / 3, 2 / 3] : [0, 0];
      return [odd ? 0.5 : 0, t % 2 === 1 ? 2 / 3 : 0];
    case 'bcc110':
      if (!orthogonal) return t % 2 === 1 ? [-0.5, 1] : [0, 0];
      return [odd ? 0.5 : 0, t % 2 === 1 ? 1 : 0];
  }
}

/**
 * Build a slab. Positions and cell in Å.
 * @param symbol element symbol
 * @param facet one of fcc100, fcc110, fcc111, bcc100, bcc110, hcp0001
 * @param size [nx, ny, nlayers], positive integers
 */
export function surface(symbol: string, facet: Facet, size: [number, number, number], opts: SurfaceOptions = {}): Frame {
  if (!FACETS.includes(facet)) throw new Error(`unknown facet '${String(facet)}' (known: ${FACETS.join(', ')})`);
  if (size.length !== 3 || size.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`slab size must be three integers ≥ 1 (nx, ny, nlayers), got ${size.join(',')}`);
  }
  const vacuum = opts.vacuum;
  if (vacuum !== undefined && !(vacuum >= 0 && Number.isFinite(vacuum))) throw new Error(`vacuum must be a number of Å ≥ 0, got ${vacuum}`);
  const g0 = geometry(facet, 1);
  const a = latticeConstantFor(symbol, g0.structure, opts.a);
  let covera = 0;
  if (facet === 'hcp0001') {
    if (opts.c !== undefined) {
      if (!(opts.c > 0 && Number.isFinite(opts.c))) throw new Error(`hcp c must be a positive number of Å, got ${opts.c}`);
      covera = opts.c / a;
    } else {
      covera = defaultCovera(symbol);
    }
  } else if (opts.c !== undefined) {
    throw new Error(`c applies to hcp0001 only, not ${facet}`);
  }
  const geo = geometry(facet, covera);
  const orthogonal = geo.hexagonal ? opts.orthogonal ?? false : true;
  if (!geo.hexagonal && opts.orthogonal === false) throw new Error(`${facet} has only an orthogonal cell`);
  const [nx, ny, nz] = size;
  if (geo.hexagonal && orthogonal && ny % 2 === 1) throw new Error(`an orthogonal ${facet} cell needs an even ny, got size ${size.join(',')}`);

  const [c0, c1, c2] = geo.cell;
  // In-plane lattice vectors, Å.
  const b1 = [a * c0, 0];
  const b2 = geo.hexagonal && !orthogonal ? [(a * c0) / 2, a * c1] : [0, a * c1];
  const dz = a * c2;
  const z0 = vacuum ?? 0;
  const pos: number[] = [];
  for (let k = 0; k < nz; k++) {
    const t = nz - 1 - k;
    for (let j = 0; j < ny; j++) {
      const [sx, sy] = shift(facet, orthogonal, t, j);
      for (let i = 0; i < nx; i++) {
        const fx = i + sx, fy = j + sy;
        pos.push(fx * b1[0] + fy * b2[0], fx * b1[1] + fy * b2[1], k * dz + z0);
      }
    }
  }
  const periodic = opts.periodic ?? false;
  const height = vacuum !== undefined ? (nz - 1) * dz + 2 * vacuum : periodic ? nz * dz : (nz - 1) * dz;
  if (!(height > 0)) throw new Error(`a ${nz}-layer slab without vacuum has a zero cell height; give a vacuum > 0 Å`);
  const cell = [b1[0] * nx, b1[1] * nx, 0, b2[0] * ny, b2[1] * ny, 0, 0, 0, height];
  return makeFrame(new Array<string>(pos.length / 3).fill(symbol), pos, cell, [true, true, periodic]);
}
