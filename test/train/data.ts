/** Labeled Cu training frames for the trainer tests and benchmark: rattled icosahedra labeled by EAM (Cu_u3). */
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { bulk, repeatFrame } from '../../src/core/build/bulk.ts';
import { makeFrame, type Frame } from '../../src/core/atoms.ts';
import { loadEamFile } from '../../src/node/eam-file.ts';
import { Rng } from '../../src/core/random.ts';
import type { LabeledFrame } from '../../src/core/train/types.ts';

/** A copy of `base` with every coordinate displaced by N(0, sigma²) Å and the cluster scaled by `scale`. */
export function rattled(base: Frame, rng: Rng, sigma: number, scale = 1): Frame {
  const p = new Float64Array(base.positions.length);
  for (let i = 0; i < p.length; i++) p[i] = base.positions[i] * scale + sigma * rng.normal();
  return makeFrame(base.symbols, p);
}

/** Cu13 icosahedron and a Cu19 fragment of Cu55 (centre, first shell, 6 atoms of the second shell). */
export function baseClusters(): Frame[] {
  const ico13 = icosahedron('Cu', 2);
  const ico55 = icosahedron('Cu', 3);
  // Cu19: the 19 atoms of Cu55 closest to one vertex-side point (a compact, asymmetric cluster).
  const c = [0.8, 0.5, 0.3];
  const idx = Array.from({ length: 55 }, (_, i) => i).sort((a, b) => {
    const da = Math.hypot(ico55.positions[3 * a] - c[0], ico55.positions[3 * a + 1] - c[1], ico55.positions[3 * a + 2] - c[2]);
    const db = Math.hypot(ico55.positions[3 * b] - c[0], ico55.positions[3 * b + 1] - c[1], ico55.positions[3 * b + 2] - c[2]);
    return da - db;
  }).slice(0, 19);
  const pos: number[] = [];
  for (const i of idx) pos.push(ico55.positions[3 * i], ico55.positions[3 * i + 1], ico55.positions[3 * i + 2]);
  return [ico13, makeFrame(Array(19).fill('Cu'), pos)];
}

/** n EAM-labeled frames (energies eV, forces eV/Å) from rattled Cu13/Cu19 (sigma 0.05–0.2 Å, scale 0.97–1.03). */
export async function eamFrames(n: number, seed: number, bases: Frame[] = baseClusters()): Promise<LabeledFrame[]> {
  const eam = await loadEamFile('Cu_u3.eam');
  const rng = new Rng(seed);
  const out: LabeledFrame[] = [];
  for (let k = 0; k < n; k++) {
    const base = bases[k % bases.length];
    const f = rattled(base, rng, 0.05 + 0.15 * rng.uniform(), 0.97 + 0.06 * rng.uniform());
    const r = eam.compute(f);
    out.push({ frame: f, energy: r.energy, forces: Float64Array.from(r.forces) });
  }
  return out;
}

/**
 * n EAM-labeled periodic fcc Cu cells (conventional cell, 4 atoms, or `reps` of it) with their
 * virials (eV): each cell strained by up to ±4 % (normal) and ±3 % (shear) and rattled by 0.06 Å.
 */
export async function eamBulkFrames(n: number, seed: number, reps: [number, number, number] = [1, 1, 1]): Promise<LabeledFrame[]> {
  const eam = await loadEamFile('Cu_u3.eam');
  const rng = new Rng(seed);
  const base = repeatFrame(bulk('Cu', 'fcc', { cubic: true }), reps);
  const out: LabeledFrame[] = [];
  for (let k = 0; k < n; k++) {
    const e = [0, 1, 2].map(() => 0.08 * (rng.uniform() - 0.5));
    const g = [0, 1, 2].map(() => 0.06 * (rng.uniform() - 0.5));
    const strain = [1 + e[0], g[0], g[1], g[0], 1 + e[1], g[2], g[1], g[2], 1 + e[2]];
    const map = (v: ArrayLike<number>, o: number): number[] => [0, 1, 2].map((c) => v[o] * strain[c] + v[o + 1] * strain[3 + c] + v[o + 2] * strain[6 + c]);
    const cell = [...map(base.cell!, 0), ...map(base.cell!, 3), ...map(base.cell!, 6)];
    const pos: number[] = [];
    for (let i = 0; i < base.positions.length; i += 3) pos.push(...map(base.positions, i).map((x) => x + 0.06 * rng.normal()));
    const f = makeFrame(base.symbols, pos, cell, [true, true, true]);
    const r = eam.compute(f);
    if (!r.virial) throw new Error('EAM returned no virial');
    out.push({ frame: f, energy: r.energy, forces: Float64Array.from(r.forces), virial: Float64Array.from(r.virial) });
  }
  return out;
}
