/**
 * Export labeled frames as DeePMD-kit `deepmd/npy` systems, one folder per composition
 * (atoms sorted by type inside each frame, as dpdata does):
 *   <formula>/type.raw  type_map.raw  [nopbc]  set.000/{coord,box,energy,force[,virial]}.npy
 * coord Å (nframes × 3N), box Å (nframes × 9; for clusters the cubic box with 10 Å of vacuum,
 * and an empty `nopbc` file so DeePMD-kit ignores it), energy eV (nframes), force eV/Å
 * (nframes × 3N), virial eV (nframes × 9, only if every frame has one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clusterBox } from '../labelers/cp2k-input.ts';
import { encodeNpy } from './npy.ts';
import type { LabeledFrameRecord } from './labeled-frame.ts';
import type { TarEntry } from './tar.ts';

/** Hill-like formula of sorted symbols, e.g. Cu13, Ag3Cu10. */
export function formula(symbols: string[]): string {
  const counts = new Map<string, number>();
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()].sort().map((s) => `${s}${counts.get(s)}`).join('');
}

interface System { name: string; typeMap: string[]; types: number[]; nopbc: boolean; frames: LabeledFrameRecord[]; order: number[][] }

/** Group frames into DeePMD systems; `typeMap` is the global sorted element list unless given. */
export function deepmdSystems(frames: LabeledFrameRecord[], typeMap?: string[]): System[] {
  const tm = typeMap ?? [...new Set(frames.flatMap((f) => f.frame.symbols))].sort();
  const systems = new Map<string, System>();
  for (const f of frames) {
    const order = f.frame.symbols.map((_, i) => i).sort((a, b) => tm.indexOf(f.frame.symbols[a]) - tm.indexOf(f.frame.symbols[b]) || a - b);
    const types = order.map((i) => tm.indexOf(f.frame.symbols[i]));
    if (types.includes(-1)) throw new Error(`frame ${f.id} has an element outside the type map [${tm.join(', ')}]`);
    const nopbc = !f.frame.pbc.some(Boolean);
    const key = `${types.join(',')}|${nopbc}`;
    let sys = systems.get(key);
    if (!sys) {
      const base = formula(f.frame.symbols) + (nopbc ? '' : '-pbc');
      let name = base;
      for (let k = 1; [...systems.values()].some((s) => s.name === name); k++) name = `${base}.${k}`;
      sys = { name, typeMap: tm, types, nopbc, frames: [], order: [] };
      systems.set(key, sys);
    }
    sys.frames.push(f);
    sys.order.push(order);
  }
  return [...systems.values()];
}

/** Files of the deepmd/npy export (relative paths under `root`). */
export function deepmdNpyEntries(frames: LabeledFrameRecord[], root = 'deepmd'): TarEntry[] {
  const out: TarEntry[] = [];
  for (const s of deepmdSystems(frames)) {
    const dir = `${root}/${s.name}`;
    const nf = s.frames.length;
    const n = s.types.length;
    const coord = new Float64Array(nf * 3 * n);
    const force = new Float64Array(nf * 3 * n);
    const box = new Float64Array(nf * 9);
    const energy = new Float64Array(nf);
    const withVirial = s.frames.every((f) => f.virial && f.virial.length === 9);
    const virial = new Float64Array(nf * 9);
    s.frames.forEach((f, k) => {
      s.order[k].forEach((i, j) => {
        for (let c = 0; c < 3; c++) {
          coord[k * 3 * n + 3 * j + c] = f.frame.positions[3 * i + c];
          force[k * 3 * n + 3 * j + c] = f.forces[3 * i + c];
        }
      });
      box.set(s.nopbc || !f.frame.cell ? clusterBox(f.frame.positions, 10).cell : f.frame.cell, 9 * k);
      energy[k] = f.energy;
      if (withVirial) virial.set(f.virial!, 9 * k);
    });
    const text = (s: string): Uint8Array => Buffer.from(s);
    out.push({ path: `${dir}/type.raw`, data: text(s.types.join('\n') + '\n') });
    out.push({ path: `${dir}/type_map.raw`, data: text(s.typeMap.join('\n') + '\n') });
    if (s.nopbc) out.push({ path: `${dir}/nopbc`, data: new Uint8Array(0) });
    out.push({ path: `${dir}/set.000/coord.npy`, data: encodeNpy(coord, [nf, 3 * n]) });
    out.push({ path: `${dir}/set.000/box.npy`, data: encodeNpy(box, [nf, 9]) });
    out.push({ path: `${dir}/set.000/energy.npy`, data: encodeNpy(energy, [nf]) });
    out.push({ path: `${dir}/set.000/force.npy`, data: encodeNpy(force, [nf, 3 * n]) });
    if (withVirial) out.push({ path: `${dir}/set.000/virial.npy`, data: encodeNpy(virial, [nf, 9]) });
  }
  return out;
}

/** Write export entries into a folder on disk; returns the system folders written. */
export function writeEntries(dir: string, entries: TarEntry[]): string[] {
  const systems = new Set<string>();
  for (const e of entries) {
    const p = join(dir, e.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, e.data ?? new Uint8Array(0));
    if (e.path.endsWith('/type.raw')) systems.add(dirname(p));
  }
  return [...systems];
}
