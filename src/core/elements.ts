/**
 * Element data: symbols, atomic numbers, standard atomic masses (amu, IUPAC 2013 abridged as
 * used by ASE) and reference crystal structures with lattice constants (Å, as in ASE's
 * `ase.data.reference_states`, which the ASE reference structures in shared/refdata used).
 */

export type Lattice = 'fcc' | 'bcc' | 'hcp' | 'diamond';

export interface ElementData {
  symbol: string;
  z: number;
  /** Standard atomic mass, amu. */
  mass: number;
  /** Reference ground-state lattice, if the element has one we build. */
  lattice?: Lattice;
  /** Lattice constant a, Å. */
  a?: number;
  /** c/a ratio for hcp. */
  covera?: number;
}

const TABLE: ElementData[] = [
  { symbol: 'H', z: 1, mass: 1.008 },
  { symbol: 'He', z: 2, mass: 4.002602 },
  { symbol: 'C', z: 6, mass: 12.011 },
  { symbol: 'N', z: 7, mass: 14.007 },
  { symbol: 'O', z: 8, mass: 15.999 },
  { symbol: 'Na', z: 11, mass: 22.98976928, lattice: 'bcc', a: 4.23 },
  { symbol: 'Mg', z: 12, mass: 24.305, lattice: 'hcp', a: 3.21, covera: 1.624 },
  { symbol: 'Al', z: 13, mass: 26.9815385, lattice: 'fcc', a: 4.05 },
  { symbol: 'Si', z: 14, mass: 28.085, lattice: 'diamond', a: 5.43 },
  { symbol: 'K', z: 19, mass: 39.0983, lattice: 'bcc', a: 5.23 },
  { symbol: 'Ti', z: 22, mass: 47.867, lattice: 'hcp', a: 2.95, covera: 1.588 },
  { symbol: 'V', z: 23, mass: 50.9415, lattice: 'bcc', a: 3.02 },
  { symbol: 'Cr', z: 24, mass: 51.9961, lattice: 'bcc', a: 2.88 },
  { symbol: 'Fe', z: 26, mass: 55.845, lattice: 'bcc', a: 2.87 },
  { symbol: 'Co', z: 27, mass: 58.933194, lattice: 'hcp', a: 2.51, covera: 1.623 },
  { symbol: 'Ni', z: 28, mass: 58.6934, lattice: 'fcc', a: 3.52 },
  { symbol: 'Cu', z: 29, mass: 63.546, lattice: 'fcc', a: 3.61 },
  { symbol: 'Zn', z: 30, mass: 65.38, lattice: 'hcp', a: 2.66, covera: 1.856 },
  { symbol: 'Zr', z: 40, mass: 91.224, lattice: 'hcp', a: 3.23, covera: 1.593 },
  { symbol: 'Nb', z: 41, mass: 92.90637, lattice: 'bcc', a: 3.3 },
  { symbol: 'Mo', z: 42, mass: 95.95, lattice: 'bcc', a: 3.15 },
  { symbol: 'Ru', z: 44, mass: 101.07, lattice: 'hcp', a: 2.7, covera: 1.584 },
  { symbol: 'Rh', z: 45, mass: 102.9055, lattice: 'fcc', a: 3.8 },
  { symbol: 'Pd', z: 46, mass: 106.42, lattice: 'fcc', a: 3.89 },
  { symbol: 'Ag', z: 47, mass: 107.8682, lattice: 'fcc', a: 4.09 },
  { symbol: 'Cd', z: 48, mass: 112.414, lattice: 'hcp', a: 2.98, covera: 1.886 },
  { symbol: 'Ta', z: 73, mass: 180.94788, lattice: 'bcc', a: 3.31 },
  { symbol: 'W', z: 74, mass: 183.84, lattice: 'bcc', a: 3.16 },
  { symbol: 'Os', z: 76, mass: 190.23, lattice: 'hcp', a: 2.74, covera: 1.579 },
  { symbol: 'Ir', z: 77, mass: 192.217, lattice: 'fcc', a: 3.84 },
  { symbol: 'Pt', z: 78, mass: 195.084, lattice: 'fcc', a: 3.92 },
  { symbol: 'Au', z: 79, mass: 196.966569, lattice: 'fcc', a: 4.08 },
  { symbol: 'Pb', z: 82, mass: 207.2, lattice: 'fcc', a: 4.95 },
];

const BY_SYMBOL = new Map(TABLE.map((e) => [e.symbol, e]));

/** Look up an element by symbol; throws a clear error for an unknown one. */
export function element(symbol: string): ElementData {
  const e = BY_SYMBOL.get(symbol);
  if (!e) throw new Error(`unknown element '${symbol}' (known: ${[...BY_SYMBOL.keys()].join(', ')})`);
  return e;
}

/** True if `symbol` is a known element symbol. */
export function isElement(symbol: string): boolean {
  return BY_SYMBOL.has(symbol);
}

/** Reference lattice constant a (Å) of an element; throws if it has none. */
export function latticeConstant(symbol: string): number {
  const e = element(symbol);
  if (e.a === undefined) throw new Error(`element ${symbol} has no reference lattice constant; pass one explicitly`);
  return e.a;
}

/** Atomic mass in amu. */
export function atomicMass(symbol: string): number {
  return element(symbol).mass;
}

/** All known element symbols. */
export function knownSymbols(): string[] {
  return TABLE.map((e) => e.symbol);
}

/**
 * The lattice constant a (Å) to build `structure` of `symbol` with: `explicitA` if given
 * (checked positive and finite), else the element's reference value, which only applies when
 * the element's reference lattice is `structure` (as in ASE: "you need to specify the lattice
 * constant"). Throws a clear error naming the element, its reference lattice and the fix.
 */
export function latticeConstantFor(symbol: string, structure: Lattice, explicitA?: number): number {
  const e = element(symbol);
  if (explicitA !== undefined) {
    if (!Number.isFinite(explicitA) || explicitA <= 0) throw new Error(`lattice constant must be a positive number of Å, got ${explicitA}`);
    return explicitA;
  }
  if (e.a === undefined || e.lattice === undefined) {
    throw new Error(`element ${symbol} has no reference lattice constant; pass one explicitly (--lattice A)`);
  }
  if (e.lattice !== structure) {
    const hint = structure === 'fcc' ? ` (an fcc lattice with ${symbol}'s nearest-neighbour distance ${nearestNeighborDistance(symbol).toFixed(4)} Å has a = ${(nearestNeighborDistance(symbol) * Math.SQRT2).toFixed(4)} Å)` : '';
    throw new Error(`the reference lattice of ${symbol} is ${e.lattice} (a = ${e.a} Å), not ${structure}; pass a ${structure} lattice constant explicitly (--lattice A)${hint}`);
  }
  return e.a;
}

/** Nearest-neighbour distance (Å) of an element's reference crystal (fcc a/√2, bcc a√3/2, hcp min(a, √(a²/3 + c²/4)), diamond a√3/4). */
export function nearestNeighborDistance(symbol: string): number {
  const e = element(symbol);
  if (e.a === undefined || e.lattice === undefined) throw new Error(`element ${symbol} has no reference lattice constant`);
  const a = e.a;
  switch (e.lattice) {
    case 'fcc': return a / Math.SQRT2;
    case 'bcc': return (a * Math.sqrt(3)) / 2;
    case 'diamond': return (a * Math.sqrt(3)) / 4;
    case 'hcp': {
      const c = (e.covera ?? Math.sqrt(8 / 3)) * a;
      return Math.min(a, Math.sqrt((a * a) / 3 + (c * c) / 4));
    }
  }
}
