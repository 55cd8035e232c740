/**
 * LAMMPS EAM potential files (DYNAMO formats) and their conversion to the tables LAMMPS
 * evaluates (pair_eam.cpp `read_file` + `file2array`, pair_eam_alloy.cpp for setfl).
 *
 * funcfl (`pair_style eam`, *.eam), one element:
 *   line 1  comment
 *   line 2  Z  mass(amu)  [a(Å)  lattice]
 *   line 3  nrho  drho  nr  dr(Å)  cutoff(Å)
 *   then nrho values F(ρ) (eV), nr values Z(r) (effective charge, √(Hartree·Bohr)),
 *   nr values ρ(r); values may be spread over lines in any number per line.
 * setfl (`pair_style eam/alloy`, *.eam.alloy), N elements:
 *   lines 1–3 comments; line 4  N  El1 … ElN; line 5  nrho drho nr dr cutoff
 *   per element: a line  Z mass a lattice, then nrho values F(ρ) (eV), nr values ρ(r);
 *   then r·φ(r) (eV·Å) for every pair i ≥ j (i = 1…N, j = 1…i), nr values each.
 *
 * Grid node k (1-based) of a table is at (k−1)·Δ.
 */
import { knownSymbols, element } from '../elements.ts';

/** One funcfl file as read (tables 0-based here; node k ↔ index k−1). */
export interface FuncflFile {
  source: string;
  element: string;
  z: number;
  mass: number;
  nrho: number;
  drho: number;
  nr: number;
  /** Å */
  dr: number;
  /** Å */
  cutoff: number;
  frho: Float64Array;
  zr: Float64Array;
  rhor: Float64Array;
}

/**
 * The arrays LAMMPS splines (its `frho`, `rhor`, `z2r` after file2array), on one common grid.
 * Units: r in Å, F in eV, r·φ in eV·Å.
 */
export interface EamTables {
  form: 'funcfl' | 'setfl';
  /** File name(s) the tables came from (for messages and the calculator name). */
  source: string;
  /** Element symbols, in table order. */
  elements: string[];
  /** Masses, amu, per element. */
  masses: number[];
  nrho: number;
  drho: number;
  nr: number;
  /** Å */
  dr: number;
  /** Interaction cutoff, Å (pairs with r < cutoff interact). */
  cutoff: number;
  /** Largest tabulated density; above it F is continued linearly (LAMMPS' energy-conserving fix). */
  rhomax: number;
  /** Embedding energy F(ρ), eV, per element, nrho values. */
  frho: Float64Array[];
  /** Electron density ρ(r) contributed by an atom of each element, nr values. */
  rhor: Float64Array[];
  /** r·φ(r), eV·Å, per element pair i ≥ j at index i(i+1)/2 + j, nr values. */
  z2r: Float64Array[];
}

/** Line-aware number reader: errors name `source:line`. */
class Reader {
  private line = 0; // index of the next line to read
  private pending: { tok: string[]; at: number; line: number } | null = null;
  constructor(private readonly lines: string[], readonly source: string) {}

  /** The next whole line (1-based number and text); throws at end of file. */
  nextLine(what: string): { no: number; text: string } {
    this.pending = null;
    if (this.line >= this.lines.length) throw new Error(`${this.source}: file ends before ${what} (after line ${this.lines.length})`);
    const no = ++this.line;
    return { no, text: this.lines[no - 1] };
  }

  /** A header line of exactly the numbers described by `names` (extra trailing tokens allowed when `extra`). */
  numbersLine(names: string[], what: string, extra = false): number[] {
    const { no, text } = this.nextLine(what);
    const tok = text.trim().split(/\s+/).filter((t) => t !== '');
    if (tok.length < names.length || (!extra && tok.length > names.length)) {
      throw new Error(`${this.source}:${no}: expected ${names.length} numbers '${names.join(' ')}' (${what}), got ${tok.length}: '${text.trim().slice(0, 80)}'`);
    }
    return names.map((name, k) => {
      const x = Number(tok[k]);
      if (!Number.isFinite(x)) throw new Error(`${this.source}:${no}: ${what}: '${name}' must be a number, got '${tok[k]}'`);
      return x;
    });
  }

  /**
   * n numbers starting on a new line and continuing over as many lines as needed (a table may
   * end mid-line; the next table then continues on that line, as LAMMPS' grab() reads).
   */
  values(n: number, what: string, continueLine = false): Float64Array {
    const out = new Float64Array(n);
    if (!continueLine) this.pending = null;
    let k = 0;
    while (k < n) {
      if (!this.pending || this.pending.at >= this.pending.tok.length) {
        if (this.line >= this.lines.length) {
          throw new Error(`${this.source}:${this.lines.length}: file ends after ${k} of ${n} values of ${what}`);
        }
        const no = ++this.line;
        this.pending = { tok: this.lines[no - 1].trim().split(/\s+/).filter((t) => t !== ''), at: 0, line: no };
        continue;
      }
      const t = this.pending.tok[this.pending.at++];
      const x = Number(t);
      if (!Number.isFinite(x) || t === '') {
        throw new Error(`${this.source}:${this.pending.line}: expected a number for ${what} (value ${k + 1} of ${n}), got '${t}'`);
      }
      out[k++] = x;
    }
    return out;
  }
}

function checkGrid(source: string, lineNo: number, nrho: number, drho: number, nr: number, dr: number, cut: number): void {
  const bad = (msg: string) => new Error(`${source}:${lineNo}: ${msg}`);
  if (!Number.isInteger(nrho) || nrho < 5) throw bad(`nrho must be an integer ≥ 5, got ${nrho}`);
  if (!Number.isInteger(nr) || nr < 5) throw bad(`nr must be an integer ≥ 5, got ${nr}`);
  if (!(drho > 0)) throw bad(`drho must be positive, got ${drho}`);
  if (!(dr > 0)) throw bad(`dr must be positive, got ${dr}`);
  if (!(cut > 0)) throw bad(`cutoff must be positive, got ${cut}`);
}

function symbolOfZ(z: number, source: string, lineNo: number): string {
  const s = knownSymbols().find((sym) => element(sym).z === z);
  if (!s) throw new Error(`${source}:${lineNo}: unknown atomic number ${z}`);
  return s;
}

/** Parse a funcfl (`.eam`) text. `source` names the file in error messages. */
export function parseFuncfl(text: string, source = 'funcfl'): FuncflFile {
  const r = new Reader(text.split(/\r?\n/), source);
  r.nextLine('the comment line');
  const [z, mass] = r.numbersLine(['Z', 'mass'], 'atomic number and mass', true);
  if (!Number.isInteger(z)) throw new Error(`${source}:2: atomic number must be an integer, got ${z}`);
  const sym = symbolOfZ(z, source, 2);
  const [nrho, drho, nr, dr, cutoff] = r.numbersLine(['nrho', 'drho', 'nr', 'dr', 'cutoff'], 'grid line', true);
  checkGrid(source, 3, nrho, drho, nr, dr, cutoff);
  const frho = r.values(nrho, 'F(rho)');
  const zr = r.values(nr, 'Z(r)', true);
  const rhor = r.values(nr, 'rho(r)', true);
  return { source, element: sym, z, mass, nrho, drho, nr, dr, cutoff, frho, zr, rhor };
}

/** Parse a setfl (`.eam.alloy`) text into LAMMPS tables (used as read: same grid for all). */
export function parseSetfl(text: string, source = 'setfl'): EamTables {
  const r = new Reader(text.split(/\r?\n/), source);
  for (let k = 0; k < 3; k++) r.nextLine('the three comment lines');
  const el = r.nextLine('the element line');
  const tok = el.text.trim().split(/\s+/).filter((t) => t !== '');
  const ne = Number(tok[0]);
  if (!Number.isInteger(ne) || ne < 1) throw new Error(`${source}:${el.no}: expected the number of elements, got '${tok[0] ?? ''}'`);
  if (tok.length !== ne + 1) throw new Error(`${source}:${el.no}: ${ne} elements announced but ${tok.length - 1} symbols given`);
  const elements = tok.slice(1);
  const [nrho, drho, nr, dr, cutoff] = r.numbersLine(['nrho', 'drho', 'nr', 'dr', 'cutoff'], 'grid line', true);
  checkGrid(source, el.no + 1, nrho, drho, nr, dr, cutoff);
  const masses: number[] = [];
  const frho: Float64Array[] = [];
  const rhor: Float64Array[] = [];
  for (let i = 0; i < ne; i++) {
    const [, mass] = r.numbersLine(['Z', 'mass'], `the header of element ${elements[i]}`, true);
    masses.push(mass);
    frho.push(r.values(nrho, `F(rho) of ${elements[i]}`));
    rhor.push(r.values(nr, `rho(r) of ${elements[i]}`, true));
  }
  const z2r: Float64Array[] = [];
  for (let i = 0; i < ne; i++) {
    for (let j = 0; j <= i; j++) z2r.push(r.values(nr, `r*phi(r) of ${elements[i]}-${elements[j]}`, true));
  }
  return { form: 'setfl', source, elements, masses, nrho, drho, nr, dr, cutoff, rhomax: (nrho - 1) * drho, frho, rhor, z2r };
}

/**
 * LAMMPS' 4-point Lagrange interpolation of a file table onto the common grid (file2array):
 * node k = clamp(int p, 2, n−2), p −= k, p = min(p, 2), table 1-based. With equal grids it
 * reproduces the file values (up to round-off in x/Δ).
 */
function lagrange4(table: Float64Array, x: number, delta: number): number {
  const n = table.length;
  const f = (k: number) => table[k - 1];
  let p = x / delta + 1.0;
  let k = Math.trunc(p);
  k = Math.min(k, n - 2);
  k = Math.max(k, 2);
  p -= k;
  p = Math.min(p, 2.0);
  const sixth = 1.0 / 6.0;
  const cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
  const cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
  const cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
  const cof4 = sixth * p * (p * p - 1.0);
  return cof1 * f(k - 1) + cof2 * f(k) + cof3 * f(k + 1) + cof4 * f(k + 2);
}

/**
 * Hartree·Bohr as LAMMPS writes it for funcfl files: r·φ = 27.2 · 0.529 · Z_i(r) · Z_j(r)
 * (= 14.3888 eV·Å, not CODATA's 14.39964; LAMMPS' rounded constants are part of the potential
 * as LAMMPS evaluates it, which is what the references are).
 */
export const FUNCFL_ZZ_TO_EV_A = 27.2 * 0.529;

/**
 * Convert funcfl file(s) to common tables exactly as LAMMPS `file2array` does: grid spacings
 * are the largest of the files, nr = round(max (nr_f−1)·dr_f / dr) (one node fewer than the
 * file for a single file), every table re-interpolated with 4-point Lagrange, and
 * z2r_ij = 27.2·0.529·Z_i·Z_j.
 */
export function funcflTables(files: FuncflFile[]): EamTables {
  if (files.length === 0) throw new Error('funcflTables needs at least one file');
  let dr = 0, drho = 0, rmax = 0, rhomax = 0;
  for (const f of files) {
    dr = Math.max(dr, f.dr);
    drho = Math.max(drho, f.drho);
    rmax = Math.max(rmax, (f.nr - 1) * f.dr);
    rhomax = Math.max(rhomax, (f.nrho - 1) * f.drho);
  }
  const nr = Math.trunc(rmax / dr + 0.5);
  const nrho = Math.trunc(rhomax / drho + 0.5);
  const frho = files.map((f) => Float64Array.from({ length: nrho }, (_, i) => lagrange4(f.frho, i * drho, f.drho)));
  const rhor = files.map((f) => Float64Array.from({ length: nr }, (_, i) => lagrange4(f.rhor, i * dr, f.dr)));
  const z2r: Float64Array[] = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = 0; j <= i; j++) {
      z2r.push(
        Float64Array.from({ length: nr }, (_, m) => {
          const r = m * dr;
          return FUNCFL_ZZ_TO_EV_A * lagrange4(files[i].zr, r, files[i].dr) * lagrange4(files[j].zr, r, files[j].dr);
        }),
      );
    }
  }
  return {
    form: 'funcfl',
    source: files.map((f) => f.source).join('+'),
    elements: files.map((f) => f.element),
    masses: files.map((f) => f.mass),
    nrho,
    drho,
    nr,
    dr,
    cutoff: Math.max(...files.map((f) => f.cutoff)),
    rhomax,
    frho,
    rhor,
    z2r,
  };
}

/** Which format a file name implies: `.eam.alloy`/`.setfl` → setfl, `.eam`/`.funcfl` → funcfl. */
export function eamFormOf(name: string): 'funcfl' | 'setfl' | null {
  const n = name.toLowerCase();
  if (n.endsWith('.eam.alloy') || n.endsWith('.setfl') || n.endsWith('.alloy')) return 'setfl';
  if (n.endsWith('.eam') || n.endsWith('.funcfl')) return 'funcfl';
  return null;
}

/**
 * Parse EAM file text into LAMMPS tables. The form comes from the name (eamFormOf) or, failing
 * that, from the content: in setfl line 4 starts with an element count followed by symbols.
 */
export function parseEamText(text: string, name: string, form?: 'funcfl' | 'setfl'): EamTables {
  let f = form ?? eamFormOf(name);
  if (!f) {
    const l4 = (text.split(/\r?\n/)[3] ?? '').trim().split(/\s+/);
    f = l4.length >= 2 && Number.isInteger(Number(l4[0])) && /^[A-Z][a-z]?$/.test(l4[1]) ? 'setfl' : 'funcfl';
  }
  return f === 'setfl' ? parseSetfl(text, name) : funcflTables([parseFuncfl(text, name)]);
}
