/**
 * Bulk crystals: fcc, bcc, hcp and diamond unit cells (the same cells and atoms as
 * `ase.build.bulk(symbol, structure, a, c=…, cubic=…, orthorhombic=…)`) and supercells (the
 * same atoms in the same order as ASE's `Atoms.repeat`).
 *
 * Cells (rows = lattice vectors, Å):
 *  - fcc primitive  a/2·[[0,1,1],[1,0,1],[1,1,0]], 1 atom; cubic: a·I, atoms (0,0,0) (0,½,½) (½,0,½) (½,½,0);
 *    orthorhombic: (a/√2, a/√2, a), atoms (0,0,0) (½,½,½)
 *  - bcc primitive  a/2·[[−1,1,1],[1,−1,1],[1,1,−1]], 1 atom; cubic or orthorhombic: a·I, atoms (0,0,0) (½,½,½)
 *  - hcp            a1 = (a,0,0), a2 = (−a/2, a√3/2, 0), a3 = (0,0,c), atoms (0,0,0) (⅓,⅔,½);
 *    orthorhombic: (a, a√3, c), atoms (0,0,0) (½,½,0) (½,⅙,½) (0,⅔,½); no cubic cell
 *  - diamond        the fcc primitive cell with atoms at 0 and (a/4)(1,1,1) Cartesian; cubic: a·I
 *    with 8 atoms; orthorhombic: (a/√2, a/√2, a) with 4 atoms
 * (fractional coordinates in parentheses).
 */
import { makeFrame, type Frame } from '../atoms.ts';
import { element, latticeConstantFor, type Lattice } from '../elements.ts';

export type BulkStructure = Lattice;

export interface BulkOptions {
  /** Lattice constant a, Å (default: the element's reference value if its lattice is `structure`). */
  a?: number;
  /** hcp lattice constant c, Å (default: reference c/a · a for an hcp element, else √(8/3)·a). */
  c?: number;
  /** hcp c/a ratio (give c or covera, not both). */
  covera?: number;
  /** Conventional cubic cell (fcc, bcc, diamond). */
  cubic?: boolean;
  /** Orthorhombic cell (fcc, bcc, hcp, diamond). */
  orthorhombic?: boolean;
  /** Supercell repetitions along the three cell vectors, positive integers (default 1,1,1). */
  repeat?: [number, number, number];
}

const BULK_STRUCTURES: BulkStructure[] = ['fcc', 'bcc', 'hcp', 'diamond'];

/**
 * A periodic bulk crystal (pbc all true), positions and cell in Å.
 * @param symbol element symbol
 * @param structure crystal structure (default: the element's reference lattice)
 */
export function bulk(symbol: string, structure?: BulkStructure, opts: BulkOptions = {}): Frame {
  const el = element(symbol);
  const st = structure ?? el.lattice;
  if (st === undefined) throw new Error(`element ${symbol} has no reference crystal structure; pass one (fcc, bcc, hcp, diamond)`);
  if (!BULK_STRUCTURES.includes(st)) throw new Error(`unknown crystal structure '${String(st)}' (known: ${BULK_STRUCTURES.join(', ')})`);
  const a = latticeConstantFor(symbol, st, opts.a);
  if (opts.cubic && st === 'hcp') throw new Error('cannot make a cubic cell of an hcp crystal (use orthorhombic)');
  if (st !== 'hcp' && (opts.c !== undefined || opts.covera !== undefined)) throw new Error(`c and c/a apply to hcp only, not ${st}`);

  let cell: number[];
  let frac: number[][];
  if (opts.orthorhombic) {
    ({ cell, frac } = orthorhombicCell(st, a, hcpCovera(symbol, st, a, opts)));
  } else if (opts.cubic) {
    cell = [a, 0, 0, 0, a, 0, 0, 0, a];
    frac = st === 'fcc'
      ? [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
      : st === 'bcc'
        ? [[0, 0, 0], [0.5, 0.5, 0.5]]
        : [[0, 0, 0], [0.25, 0.25, 0.25], [0, 0.5, 0.5], [0.25, 0.75, 0.75], [0.5, 0, 0.5], [0.75, 0.25, 0.75], [0.5, 0.5, 0], [0.75, 0.75, 0.25]];
  } else if (st === 'fcc' || st === 'diamond') {
    const b = a / 2;
    cell = [0, b, b, b, 0, b, b, b, 0];
    // Diamond: the second atom at (a/4)(1,1,1) Cartesian = (¼,¼,¼) fractional of this cell.
    frac = st === 'fcc' ? [[0, 0, 0]] : [[0, 0, 0], [0.25, 0.25, 0.25]];
  } else if (st === 'bcc') {
    const b = a / 2;
    cell = [-b, b, b, b, -b, b, b, b, -b];
    frac = [[0, 0, 0]];
  } else {
    const covera = hcpCovera(symbol, st, a, opts);
    cell = [a, 0, 0, -0.5 * a, (a * Math.sqrt(3)) / 2, 0, 0, 0, covera * a];
    frac = [[0, 0, 0], [1 / 3, 2 / 3, 0.5]];
  }
  const pos: number[] = [];
  for (const f of frac) {
    for (let k = 0; k < 3; k++) pos.push(f[0] * cell[k] + f[1] * cell[3 + k] + f[2] * cell[6 + k]);
  }
  const unit = makeFrame(new Array<string>(frac.length).fill(symbol), pos, cell, [true, true, true]);
  return opts.repeat ? repeatFrame(unit, opts.repeat) : unit;
}

function hcpCovera(symbol: string, st: BulkStructure, a: number, opts: BulkOptions): number {
  if (st !== 'hcp') return 0;
  if (opts.c !== undefined && opts.covera !== undefined) throw new Error("give hcp c or c/a, not both");
  if (opts.c !== undefined) {
    if (!(opts.c > 0) || !Number.isFinite(opts.c)) throw new Error(`hcp c must be a positive number of Å, got ${opts.c}`);
    return opts.c / a;
  }
  if (opts.covera !== undefined) {
    if (!(opts.covera > 0) || !Number.isFinite(opts.covera)) throw new Error(`hcp c/a must be positive, got ${opts.covera}`);
    return opts.covera;
  }
  return defaultCovera(symbol);
}

/** The c/a ratio used for hcp when none is given: the element's reference value if hcp, else ideal √(8/3). */
export function defaultCovera(symbol: string): number {
  const el = element(symbol);
  return el.lattice === 'hcp' && el.covera !== undefined ? el.covera : Math.sqrt(8 / 3);
}

function orthorhombicCell(st: BulkStructure, a: number, covera: number): { cell: number[]; frac: number[][] } {
  const b = a / Math.SQRT2;
  switch (st) {
    case 'fcc': return { cell: [b, 0, 0, 0, b, 0, 0, 0, a], frac: [[0, 0, 0], [0.5, 0.5, 0.5]] };
    case 'bcc': return { cell: [a, 0, 0, 0, a, 0, 0, 0, a], frac: [[0, 0, 0], [0.5, 0.5, 0.5]] };
    case 'hcp':
      return {
        cell: [a, 0, 0, 0, a * Math.sqrt(3), 0, 0, 0, covera * a],
        frac: [[0, 0, 0], [0.5, 0.5, 0], [0.5, 1 / 6, 0.5], [0, 2 / 3, 0.5]],
      };
    case 'diamond':
      return { cell: [b, 0, 0, 0, b, 0, 0, 0, a], frac: [[0, 0, 0], [0.5, 0, 0.25], [0.5, 0.5, 0.5], [0, 0.5, 0.75]] };
  }
}

/**
 * Supercell of a periodic frame: the whole block of atoms copied with offset m0·a1 + m1·a2 + m2·a3
 * for m0 (outermost loop) … m2 (innermost), cell rows scaled by the repetitions (as ASE's
 * `Atoms.repeat`). Positions and cell in Å; velocities and info are carried over.
 */
export function repeatFrame(frame: Frame, reps: [number, number, number]): Frame {
  if (!frame.cell) throw new Error('repeat needs a frame with a cell');
  for (const r of reps) if (!Number.isInteger(r) || r < 1) throw new Error(`repeat counts must be integers ≥ 1, got ${reps.join(',')}`);
  const n = frame.symbols.length;
  const cell = frame.cell;
  const total = n * reps[0] * reps[1] * reps[2];
  const pos = new Float64Array(3 * total);
  const vel = frame.velocities ? new Float64Array(3 * total) : undefined;
  const symbols: string[] = [];
  let block = 0;
  for (let m0 = 0; m0 < reps[0]; m0++) {
    for (let m1 = 0; m1 < reps[1]; m1++) {
      for (let m2 = 0; m2 < reps[2]; m2++) {
        const sh = [0, 1, 2].map((k) => m0 * cell[k] + m1 * cell[3 + k] + m2 * cell[6 + k]);
        for (let i = 0; i < n; i++) {
          const o = 3 * (block * n + i);
          for (let k = 0; k < 3; k++) {
            pos[o + k] = frame.positions[3 * i + k] + sh[k];
            if (vel && frame.velocities) vel[o + k] = frame.velocities[3 * i + k];
          }
          symbols.push(frame.symbols[i]);
        }
        block++;
      }
    }
  }
  const newCell = Float64Array.from(cell, (v, idx) => v * reps[Math.floor(idx / 3)]);
  const out = makeFrame(symbols, pos, newCell, frame.pbc);
  if (vel) out.velocities = vel;
  if (frame.info) out.info = { ...frame.info };
  return out;
}
