/**
 * Extended XYZ reader and writer (the format of ASE and of the paper's tooling).
 *
 * Line 1: atom count. Line 2: key=value pairs; `Lattice="ax ay az bx by bz cx cy cz"` (Å),
 * `Properties=species:S:1:pos:R:3[:name:R|I|S|L:ncols...]`, `pbc="T T F"`, and free keys.
 * Per-atom columns beyond species/pos (forces, velocities, …) are kept in `arrays`.
 */
import type { Frame, Pbc } from '../atoms.ts';

export interface XyzFrame extends Frame {
  /** Extra per-atom columns by name (e.g. forces: 3N numbers, eV/Å). */
  arrays: Record<string, Float64Array>;
}

interface Column { name: string; kind: 'S' | 'R' | 'I' | 'L'; ncols: number }

/** Split the comment line into key=value pairs, honouring "double" quotes and {braces}. */
export function parseKeyValues(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z_][\w\-:.]*)\s*(?:=\s*("(?:[^"\\]|\\.)*"|\{[^}]*\}|[^\s"]+))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    let v = m[2] ?? 'T';
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith('{') && v.endsWith('}'))) v = v.slice(1, -1);
    out.set(m[1], v);
  }
  return out;
}

function parseProperties(spec: string, where: string): Column[] {
  const parts = spec.split(':');
  if (parts.length % 3 !== 0) throw new Error(`${where}: malformed Properties=${spec}`);
  const cols: Column[] = [];
  for (let k = 0; k < parts.length; k += 3) {
    const kind = parts[k + 1].toUpperCase();
    if (!['S', 'R', 'I', 'L'].includes(kind)) throw new Error(`${where}: unknown column type '${parts[k + 1]}' in Properties`);
    const ncols = Number(parts[k + 2]);
    if (!Number.isInteger(ncols) || ncols < 1) throw new Error(`${where}: bad column count in Properties=${spec}`);
    cols.push({ name: parts[k], kind: kind as Column['kind'], ncols });
  }
  return cols;
}

function parseBool(s: string): boolean {
  const t = s.trim().toUpperCase();
  if (t === 'T' || t === 'TRUE' || t === '1') return true;
  if (t === 'F' || t === 'FALSE' || t === '0') return false;
  throw new Error(`not a boolean: '${s}'`);
}

/**
 * Parse every frame of an extended (or plain) XYZ text. Errors name the line (1-based).
 * Plain XYZ (no Properties) is read as species + positions, open boundaries.
 */
export function readExtxyz(text: string, source = 'extxyz'): XyzFrame[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const frames: XyzFrame[] = [];
  let ln = 0;
  while (ln < lines.length) {
    if (lines[ln].trim() === '') { ln++; continue; }
    const where = `${source}:${ln + 1}`;
    const nat = Number(lines[ln].trim());
    if (!Number.isInteger(nat) || nat < 0) throw new Error(`${where}: expected an atom count, got '${lines[ln].trim().slice(0, 40)}'`);
    if (ln + 2 + nat > lines.length) {
      throw new Error(`${where}: frame announces ${nat} atoms but the file ends early`);
    }
    const kv = parseKeyValues(lines[ln + 1] ?? '');
    const cols = parseProperties(kv.get('Properties') ?? 'species:S:1:pos:R:3', `${source}:${ln + 2}`);
    const speciesCol = cols.find((c) => c.name === 'species' || c.name === 'element' || c.name === 'symbols');
    const posCol = cols.find((c) => c.name === 'pos' || c.name === 'positions');
    if (!speciesCol || !posCol || posCol.ncols !== 3) throw new Error(`${source}:${ln + 2}: Properties must contain species:S:1 and pos:R:3`);
    let cell: Float64Array | null = null;
    let pbc: Pbc = [false, false, false];
    const lat = kv.get('Lattice');
    if (lat !== undefined) {
      const nums = lat.trim().split(/\s+/).map(Number);
      if (nums.length !== 9 || !nums.every(Number.isFinite)) throw new Error(`${source}:${ln + 2}: Lattice needs 9 finite numbers, got "${lat}"`);
      cell = Float64Array.from(nums);
      pbc = [true, true, true];
    }
    const pbcStr = kv.get('pbc');
    if (pbcStr !== undefined) {
      const b = pbcStr.trim().split(/\s+/);
      if (b.length !== 3) throw new Error(`${source}:${ln + 2}: pbc needs 3 booleans, got "${pbcStr}"`);
      pbc = b.map(parseBool) as Pbc;
      if (pbc.some(Boolean) && !cell) throw new Error(`${source}:${ln + 2}: pbc is periodic but there is no Lattice`);
    }
    const symbols: string[] = [];
    const positions = new Float64Array(3 * nat);
    const arrays: Record<string, Float64Array> = {};
    for (const c of cols) if (c !== speciesCol && c !== posCol && c.kind !== 'S') arrays[c.name] = new Float64Array(nat * c.ncols);
    const width = cols.reduce((s, c) => s + c.ncols, 0);
    for (let i = 0; i < nat; i++) {
      const lno = ln + 2 + i;
      const tok = (lines[lno] ?? '').trim().split(/\s+/);
      if (tok.length < width) throw new Error(`${source}:${lno + 1}: atom ${i} has ${tok.length} columns, expected ${width}`);
      let t = 0;
      for (const c of cols) {
        for (let k = 0; k < c.ncols; k++, t++) {
          const s = tok[t];
          if (c === speciesCol) symbols.push(s);
          else if (c.kind === 'S') continue;
          else {
            const v = c.kind === 'L' ? (parseBool(s) ? 1 : 0) : Number(s);
            if (!Number.isFinite(v)) throw new Error(`${source}:${lno + 1}: atom ${i} column ${c.name} has non-finite value '${s}'`);
            if (c === posCol) positions[3 * i + k] = v;
            else arrays[c.name][i * c.ncols + k] = v;
          }
        }
      }
    }
    const info: Record<string, string | number | boolean> = {};
    for (const [k, v] of kv) {
      if (k === 'Lattice' || k === 'Properties' || k === 'pbc') continue;
      const num = Number(v);
      info[k] = v !== '' && Number.isFinite(num) ? num : v === 'T' ? true : v === 'F' ? false : v;
    }
    const frame: XyzFrame = { symbols, positions, cell, pbc, arrays, info };
    if (arrays.velocities) frame.velocities = arrays.velocities;
    frames.push(frame);
    ln += 2 + nat;
  }
  if (frames.length === 0) throw new Error(`${source}: no frames found`);
  return frames;
}

/** One column: always separated by a space; exponent form for large magnitudes. */
function fmt(x: number): string {
  return ' ' + (Math.abs(x) < 1e6 ? x.toFixed(10).padStart(17) : x.toExponential(12));
}

/** Write frames as extended XYZ. `arrays` entries with 3 values per atom become R:3 columns. */
export function writeExtxyz(frames: Array<Frame & { arrays?: Record<string, Float64Array> }>): string {
  const out: string[] = [];
  for (const f of frames) {
    const n = f.symbols.length;
    const extra = Object.entries(f.arrays ?? {}).filter(([, a]) => a.length % n === 0 && n > 0);
    const props = ['species:S:1', 'pos:R:3', ...extra.map(([k, a]) => `${k}:R:${a.length / n}`)].join(':');
    const kv: string[] = [];
    if (f.cell) kv.push(`Lattice="${Array.from(f.cell, (x) => x.toFixed(10)).join(' ')}"`);
    kv.push(`Properties=${props}`);
    for (const [k, v] of Object.entries(f.info ?? {})) {
      const s = typeof v === 'boolean' ? (v ? 'T' : 'F') : String(v);
      kv.push(/[\s"=]/.test(s) ? `${k}="${s.replace(/"/g, '\\"')}"` : `${k}=${s}`);
    }
    kv.push(`pbc="${f.pbc.map((b) => (b ? 'T' : 'F')).join(' ')}"`);
    out.push(String(n), kv.join(' '));
    for (let i = 0; i < n; i++) {
      let line = f.symbols[i].padEnd(3) + fmt(f.positions[3 * i]) + fmt(f.positions[3 * i + 1]) + fmt(f.positions[3 * i + 2]);
      for (const [, a] of extra) {
        const w = a.length / n;
        for (let k = 0; k < w; k++) line += fmt(a[i * w + k]);
      }
      out.push(line);
    }
  }
  return out.join('\n') + '\n';
}
