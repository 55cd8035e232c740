/**
 * Initial data of a loop (before iteration 0's training). With --init-data: the frames of that
 * extended XYZ file. Otherwise, as in the paper: basin-hopping Monte Carlo (core BHMC) with the
 * labeler as the calculator for each size of plan.initData.bhmcSizes; every k-th frame of every
 * relaxation trajectory (and its last) is kept. Rattled (± rattle Å) and strained (±3 %) fcc
 * bulk cells and fcc slabs are added so that every system type has data from the start.
 * The frames are then labeled through a label job like every other frame (so a CP2K loop pays
 * for the kept BHMC frames twice: once inside BHMC, once in the job; EAM costs nothing).
 * Units: Å, eV, K.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from '../core/atoms.ts';
import { readExtxyz, writeExtxyz } from '../core/io/extxyz.ts';
import { runBhmcAsync } from '../core/bhmc.ts';
import { bulk, repeatFrame } from '../core/build/bulk.ts';
import { surface } from '../core/build/surface.ts';
import { Rng } from '../core/random.ts';
import { kT } from '../core/units.ts';
import type { Labeler } from '../backend/labelers/labeler.ts';
import type { Plan } from './plan.ts';
import { mixSeed } from './systems.ts';
import { writeAtomic } from '../node/write-atomic.ts';

function rattled(f: Frame, amp: number, strain: number, rng: Rng): Frame {
  const s = 1 + strain;
  const positions = f.positions.map((x) => s * x + amp * (2 * rng.uniform() - 1));
  const cell = f.cell ? f.cell.map((c, k) => (f.pbc[Math.floor(k / 3)] ? s * c : c)) : null;
  return { symbols: [...f.symbols], positions, cell, pbc: [...f.pbc] as Frame['pbc'] };
}

export interface InitFrame { frame: Frame; source: string }

/**
 * The initial frames, computed once into DIR/init/init.extxyz (reused on resume). `initData`
 * is the --init-data path, if given.
 */
export async function initialFrames(plan: Plan, dir: string, initData: string | undefined, labeler: Labeler, seed: number, log: (m: string) => void): Promise<InitFrame[]> {
  const file = join(dir, 'init', 'init.extxyz');
  if (existsSync(file)) {
    return readExtxyz(readFileSync(file, 'utf8'), file).map((f) => ({ frame: { symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc }, source: String(f.info?.source ?? 'init') }));
  }
  mkdirSync(join(dir, 'init'), { recursive: true });
  const out: InitFrame[] = [];
  if (initData) {
    let text: string;
    try {
      text = readFileSync(initData, 'utf8');
    } catch (e) {
      throw new Error(`--init-data ${initData}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const frames = readExtxyz(text, initData);
    if (frames.length === 0) throw new Error(`--init-data ${initData}: no frames`);
    frames.forEach((f, k) => out.push({ frame: { symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc }, source: `init:${initData}#${k}` }));
    log(`initial data: ${frames.length} frames from ${initData}`);
  } else {
    const calc = labeler; // a labeler is an asynchronous calculator (one calculator protocol)
    const minima: Frame[] = [];
    for (const n of plan.initData.bhmcSizes) {
      const r = await runBhmcAsync(calc, { natoms: n, element: plan.element, steps: plan.initData.bhmcTrials, seed: mixSeed(seed, 'init-bhmc', n), kT: kT(plan.initData.bhmcTemperature) });
      let kept = 0;
      for (const t of r.trajectories) {
        t.frames.forEach((f, i) => {
          if (i % plan.initData.keepEvery === 0 || i === t.frames.length - 1) {
            out.push({ frame: { symbols: f.symbols, positions: f.positions, cell: null, pbc: [false, false, false] }, source: `init:bhmc ${plan.element}${n} trial ${t.trial}` });
            kept++;
          }
        });
      }
      minima.push(r.best.frame);
      log(`initial data: BHMC ${plan.element}${n} with ${labeler.name}, ${plan.initData.bhmcTrials} trials, ${r.evaluations} evaluations, lowest ${r.best.energy.toFixed(4)} eV; kept ${kept} relaxation frames`);
    }
    writeAtomic(join(dir, 'init', 'bhmc-minima.extxyz'), writeExtxyz(minima));
  }
  const rng = new Rng(mixSeed(seed, 'init-rattle'));
  const fcc = repeatFrame(bulk(plan.element, 'fcc', { cubic: true }), [2, 2, 2]);
  for (let k = 0; k < plan.initData.rattledBulk; k++) {
    out.push({ frame: rattled(fcc, plan.initData.rattle, -0.03 + (0.06 * k) / Math.max(1, plan.initData.rattledBulk - 1), rng), source: 'init:rattled fcc bulk' });
  }
  const slabs = [surface(plan.element, 'fcc111', [2, 2, 4], { vacuum: 8 }), surface(plan.element, 'fcc100', [2, 2, 4], { vacuum: 8 })];
  for (let k = 0; k < plan.initData.rattledSurfaces; k++) {
    out.push({ frame: rattled(slabs[k % 2], plan.initData.rattle, 0, rng), source: `init:rattled fcc${k % 2 ? '100' : '111'} slab` });
  }
  writeAtomic(file, writeExtxyz(out.map((o) => ({ ...o.frame, info: { source: o.source } }))));
  log(`initial data: ${out.length} frames → ${file}`);
  return out;
}
