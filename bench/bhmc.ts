/**
 * Basin-hopping speed (CPU): trials/s and energy-force evaluations/s for LJ38 (reduced units,
 * kT 0.8 ε, step 0.4 σ) and Cu38 with the bundled Cu_u3 EAM (600 K, step 0.8 Å), FIRE and
 * L-BFGS, fmax 1e-3 ε/σ (LJ) and 0.05 eV/Å (Cu). 30 trials each, seed 1; also the lowest
 * energy reached (LJ38 global minimum −173.928427 ε; not expected in 30 trials).
 * Run: npx tsx bench/bhmc.ts   (or npm run bench -- bhmc)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBhmc, type BhmcParams } from '../src/core/bhmc.ts';
import type { Calculator } from '../src/core/potentials/calculator.ts';
import { Eam } from '../src/core/potentials/eam.ts';
import { LennardJones } from '../src/core/potentials/lj.ts';
import { kT } from '../src/core/units.ts';
import type { OptimizerName } from '../src/core/optimize/relax.ts';

export async function run(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const eam = Eam.fromText(readFileSync(`${here}../public/potentials/Cu_u3.eam`, 'utf8'), 'Cu_u3.eam');
  const lj = new LennardJones({ epsilon: 1, sigma: 1 });
  const trials = 30;
  const cases: Array<[string, Calculator, Omit<BhmcParams, 'optimizer'>]> = [
    ['LJ38 (ε, σ)', lj, { natoms: 38, steps: trials, seed: 1, kT: 0.8, stepSize: 0.4, fmax: 1e-3, startDistances: { min: 0.9, lo: 1.0, hi: 1.5 }, evaporationDistance: 2.5 }],
    ['Cu38 EAM Cu_u3', eam, { natoms: 38, steps: trials, seed: 1, kT: kT(600), stepSize: 0.8, fmax: 0.05 }],
  ];
  const rows: string[][] = [];
  for (const [label, calc, params] of cases) {
    for (const optimizer of ['fire', 'lbfgs'] as OptimizerName[]) {
      const t0 = performance.now();
      const r = runBhmc(calc, { ...params, optimizer });
      const s = (performance.now() - t0) / 1000;
      const relaxSteps = r.trials.reduce((a, t) => a + t.relaxSteps, 0) / r.trials.length;
      const bad = r.trials.filter((t) => /evaporated|collapsed|exploded/.test(t.reason)).length;
      rows.push([label, optimizer, String(trials), s.toFixed(2), (trials / s).toFixed(2), (r.evaluations / s).toFixed(0),
        relaxSteps.toFixed(0), String(r.minima.length), String(bad), r.best.energy.toFixed(4)]);
    }
  }
  const head = ['system', 'optimizer', 'trials', 'wall s', 'trials/s', 'evals/s', 'relax steps/trial', 'minima', 'rejected bad', 'lowest E'];
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (r: string[]) => '| ' + r.map((c, k) => (k < 2 ? c.padEnd(w[k]) : c.padStart(w[k]))).join(' | ') + ' |';
  console.log('Basin hopping (CPU, float64, one thread); energies in ε (LJ) or eV (Cu)');
  console.log(line(head));
  console.log('|' + w.map((x, k) => (k < 2 ? ':' + '-'.repeat(x + 1) : '-'.repeat(x + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
