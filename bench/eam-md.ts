/**
 * EAM force evaluation and NVE MD speed (CPU, float64) on Cu nanoparticles:
 * Cu147 (Mackay icosahedron, 4 shells) and Cu1103, Cu3535 — not Mackay magic numbers; src/core/build
 * has no truncated-shape builder yet, so those two are SPHERICAL CUTS OF FCC Cu (core/build/fcc-sphere.ts): the
 * N lattice sites nearest to an atom, ties broken by lattice order.
 * Potential: bundled Cu_u3.eam (funcfl, cutoff 4.95 Å) and Cu_mishin1.eam.alloy (5.507 Å).
 * Run: npx tsx bench/eam-md.ts   (or npm run bench -- eam-md)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../src/core/atoms.ts';
import { icosahedron } from '../src/core/build/icosahedron.ts';
import { fccSphere } from '../src/core/build/fcc-sphere.ts';
import { Eam } from '../src/core/potentials/eam.ts';
import { initVerlet, verletStep } from '../src/core/md/verlet.ts';
import { withMaxwellBoltzmann } from '../src/core/md/velocities.ts';

/** The n fcc sites nearest to the site at the origin (moved to src/core/build; re-exported for the other benches). */
export { fccSphere };

function timeIt(minSeconds: number, minReps: number, f: () => void): { reps: number; seconds: number } {
  const t0 = performance.now();
  let reps = 0;
  while (reps < minReps || performance.now() - t0 < minSeconds * 1000) { f(); reps++; }
  return { reps, seconds: (performance.now() - t0) / 1000 };
}

export async function run(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const files = ['Cu_u3.eam', 'Cu_mishin1.eam.alloy'];
  const pots = files.map((f) => {
    const text = readFileSync(`${here}../public/potentials/${f}`, 'utf8');
    // skin 0: the neighbour list is rebuilt on every call; default skin 0.5 Å: cached (MD).
    return { fresh: Eam.fromText(text, f, undefined, { skin: 0 }), cached: Eam.fromText(text, f) };
  });
  const systems: Array<[string, Frame]> = [
    ['Cu147 icosahedron', icosahedron('Cu', 4)],
    ['Cu1103 fcc sphere', fccSphere('Cu', 1103)],
    ['Cu3535 fcc sphere', fccSphere('Cu', 3535)],
  ];
  const dt = 2; // fs
  const rows: string[][] = [];
  for (const { fresh, cached: calc } of pots) {
    for (const [label, frame] of systems) {
      const n = frame.symbols.length;
      fresh.compute(frame); // warm-up (JIT)
      calc.compute(frame);
      const ev = timeIt(1.5, 3, () => fresh.compute(frame));
      const evalsPerS = ev.reps / ev.seconds;
      const evc = timeIt(1.5, 3, () => calc.compute(frame));
      let state = initVerlet(withMaxwellBoltzmann(frame, 300, 1), calc, { dt });
      const md = timeIt(1.5, 3, () => { state = verletStep(state, calc); });
      const stepsPerS = md.reps / md.seconds;
      rows.push([
        calc.name.replace('EAM ', ''), label, String(n),
        (1000 / evalsPerS).toFixed(2), ((evalsPerS * n) / 1e6).toFixed(3), ((1000 * evc.seconds) / evc.reps).toFixed(2),
        stepsPerS.toFixed(1), ((stepsPerS * dt * 86400) / 1e6).toFixed(2),
      ]);
    }
  }
  const head = ['potential', 'system', 'atoms', 'eval ms (new list)', 'Matom-evals/s (new list)', 'eval ms (cached list)', 'MD steps/s', 'ns/day (dt 2 fs)'];
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) => '| ' + r.map((c, k) => (k < 2 ? c.padEnd(w[k]) : c.padStart(w[k]))).join(' | ') + ' |';
  console.log('EAM (CPU, float64, one thread): energy+forces+virial; "new list" rebuilds the cell-list neighbour list');
  console.log('every call, "cached list" reuses it (Verlet skin 0.5 Å, same frame); MD = NVE velocity Verlet at 300 K with the cache');
  console.log(line(head));
  console.log('|' + w.map((x, k) => (k < 2 ? ':' + '-'.repeat(x + 1) : '-'.repeat(x + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
