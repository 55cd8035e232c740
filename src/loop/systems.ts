/**
 * Exploration tasks of one iteration: every plan system expanded into MD runs (start structure ×
 * temperature [× pressure]) with their seeds. Start structures come from the builders (bulk,
 * slabs, icosahedra/decahedra/octahedra of the requested size), random clusters, or the lowest
 * minima of a short BHMC run with model 0 of the current ensemble (the paper's "BHMC update").
 * Units: K, atm, Å, fs.
 */
import type { Frame } from '../core/atoms.ts';
import { bulk, repeatFrame } from '../core/build/bulk.ts';
import { decahedron } from '../core/build/decahedron.ts';
import { icosahedron } from '../core/build/icosahedron.ts';
import { octahedron } from '../core/build/octahedron.ts';
import { randomCluster } from '../core/build/random-cluster.ts';
import { surface, type Facet } from '../core/build/surface.ts';
import { bhmcDefaults, bhmcScale, runBhmc } from '../core/bhmc.ts';
import type { Calculator } from '../core/potentials/calculator.ts';
import { kT } from '../core/units.ts';
import type { Plan, PlanSystem, SystemKind } from './plan.ts';
import { systemsFor } from './plan.ts';

export interface ExploreTask {
  /** Unique within the iteration and file-name safe, e.g. `clusters-Cu13-bhmc0-300K`. */
  id: string;
  system: string;
  kind: SystemKind;
  start: Frame;
  ensemble: 'nvt' | 'npt';
  temperatureK: number;
  pressureAtm?: number;
  steps: number;
  saveEvery: number;
  dt: number;
  seed: number;
}

type BuilderKind = 'icosahedron' | 'decahedron' | 'octahedron';

/** A cluster of exactly n atoms from a builder, or null when it makes no such size (small parameter search). */
export function builderCluster(kind: BuilderKind, element: string, n: number): Frame | null {
  const tryBuild = (f: () => Frame): Frame | null => {
    try {
      const fr = f();
      return fr.symbols.length === n ? fr : null;
    } catch {
      return null;
    }
  };
  if (kind === 'icosahedron') {
    for (let s = 1; s <= 8; s++) { const f = tryBuild(() => icosahedron(element, s)); if (f) return f; }
  } else if (kind === 'octahedron') {
    for (let l = 1; l <= 12; l++) for (let c = 0; 2 * c + 1 <= l; c++) { const f = tryBuild(() => octahedron(element, l, c)); if (f) return f; }
  } else {
    for (let p = 1; p <= 5; p++) for (let q = 1; q <= 5; q++) for (let r = 0; r <= 3; r++) { const f = tryBuild(() => decahedron(element, p, q, r)); if (f) return f; }
  }
  return null;
}

/** Deterministic 31-bit seed from a base seed and labels. */
export function mixSeed(base: number, ...parts: Array<string | number>): number {
  let h = (base >>> 0) ^ 0x811c9dc5;
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

function clusterStarts(plan: Plan, s: Extract<PlanSystem, { kind: 'cluster' }>, n: number, seed: number, model0: Calculator | null, log: (m: string) => void): Array<{ label: string; frame: Frame }> {
  const out: Array<{ label: string; frame: Frame }> = [];
  for (const start of s.starts) {
    if (start === 'bhmc') {
      if (!model0) throw new Error(`system ${s.name}: bhmc starts need a trained model`);
      const r = runBhmc(model0, { natoms: n, element: plan.element, steps: s.bhmcTrials, seed: mixSeed(seed, 'bhmc', n), kT: kT(600), maxRelaxSteps: s.bhmcRelaxSteps, keepTrajectories: false });
      const minima = [...r.minima].filter((m) => Number.isFinite(m.energy)).sort((a, b) => a.energy - b.energy).slice(0, s.bhmcMinima);
      log(`  BHMC update ${plan.element}${n} with model 0: ${s.bhmcTrials} trials, ${r.minima.length} minima, lowest ${minima[0]?.energy.toFixed(4) ?? 'none'} eV`);
      minima.forEach((m, k) => out.push({ label: `bhmc${k}`, frame: { symbols: m.frame.symbols, positions: m.frame.positions, cell: null, pbc: [false, false, false] } }));
    } else if (start === 'random') {
      out.push({ label: 'random', frame: randomCluster(plan.element, n, { dmin: startDistances(plan.element).min, placeMin: startDistances(plan.element).lo, dmax: startDistances(plan.element).hi, seed: mixSeed(seed, 'random', n) }) });
    } else {
      const f = builderCluster(start, plan.element, n);
      if (f) out.push({ label: start, frame: f });
      else log(`  note: no ${start} with ${n} atoms; that start is skipped for ${s.name}`);
    }
  }
  return out;
}

/**
 * The MD runs of iteration `n`. `model0` (the current ensemble's model 0) is needed only for
 * `bhmc` cluster starts. Seeds derive from `seed`, the iteration and the task.
 */
export function explorationTasks(plan: Plan, n: number, seed: number, model0: Calculator | null, log: (m: string) => void = () => {}): ExploreTask[] {
  const tasks: ExploreTask[] = [];
  const base = mixSeed(seed, 'iteration', n);
  for (const s of systemsFor(plan, n)) {
    const common = { system: s.name, kind: s.kind, steps: s.steps, saveEvery: s.saveEvery, dt: plan.dt };
    if (s.kind === 'cluster') {
      for (const size of s.sizes) {
        for (const st of clusterStarts(plan, s, size, base, model0, log)) {
          for (const t of s.temperatures) {
            const id = `${s.name}-${plan.element}${size}-${st.label}-${t}K`;
            tasks.push({ ...common, id, start: st.frame, ensemble: 'nvt', temperatureK: t, seed: mixSeed(base, id) });
          }
        }
      }
    } else if (s.kind === 'bulk') {
      for (const structure of s.structures) {
        const cell = structure === 'hcp' ? bulk(plan.element, 'hcp', { orthorhombic: true }) : bulk(plan.element, structure, { cubic: true });
        const start = repeatFrame(cell, s.repeat);
        for (const t of s.temperatures) {
          for (const p of s.pressures) {
            const id = `${s.name}-${structure}-${t}K-${p}atm`;
            tasks.push({ ...common, id, start, ensemble: 'npt', temperatureK: t, pressureAtm: p, seed: mixSeed(base, id) });
          }
        }
      }
    } else {
      for (const facet of s.facets) {
        const start = surface(plan.element, `fcc${facet}` as Facet, s.size, { vacuum: s.vacuum });
        for (const t of s.temperatures) {
          const id = `${s.name}-fcc${facet}-${t}K`;
          tasks.push({ ...common, id, start, ensemble: 'nvt', temperatureK: t, seed: mixSeed(base, id) });
        }
      }
    }
  }
  return tasks;
}

/** Random-start distances for an element's clusters (Å), the BHMC defaults at its nearest-neighbour distance. */
function startDistances(element: string) {
  return bhmcDefaults(bhmcScale(null, element)).startDistances;
}
