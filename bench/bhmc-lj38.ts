/**
 * Basin hopping on LJ38, nanostudio vs scipy.optimize.basinhopping, side by side (issue 13):
 * random starts (grown as BHMC grows them: ≥ 0.9σ apart, each new atom 1.0–1.5σ from an earlier
 * one; the SAME start coordinates go to both codes), kT 0.8 ε, step 0.4 σ, L-BFGS (ours: BHMC's
 * L-BFGS, fmax 1e-3 ε/σ; scipy: L-BFGS-B with the analytic gradient, its default tolerances).
 * Global minimum −173.928427 ε (Cambridge Cluster Database); "found" = a minimum within 1e-3 ε.
 *
 * Two measurements, both in one run:
 *  A. cost per hop, interleaved per seed (the machine's load hits both alike): scipy and
 *     nanostudio each make exactly --compare-hops hops from the same start (seeds 1…--compare-seeds);
 *     wall s/hop and energy+gradient evaluations per hop; the ratio nanostudio/scipy.
 *  B. hops to the global minimum for seeds 1…--seeds (nanostudio with scipy's adaptive-step rule;
 *     also with the paper's fixed step with --fixed), at most --max-hops each; scipy too with --scipy-to-gm (slow: scipy needs
 *     38–1583 hops in the 6 of 20 seeds that found it within 2500, ~60–150 s per 2500 hops; see bench/RESULTS.md §1 B).
 * scipy runs through python3 (bench/bhmc_lj38_scipy.py, Debian `python3-scipy`); without it only
 * nanostudio runs, with a message.
 * --lbfgs-max-step X: nanostudio's L-BFGS caps each atom's move per iteration at X σ instead of BHMC_LBFGS's default
 * 0.2 (scipy's L-BFGS-B has no such cap; issue 13's experiment).
 * Run: npm run bench -- bhmc-lj38 [--seeds 20] [--max-hops 10000] [--compare-seeds 20] [--compare-hops 100] [--first-seed 1] [--fixed] [--scipy-to-gm] [--lbfgs-max-step 0.2]
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BHMC_LBFGS, bhmcInit, bhmcPending, runBhmc, type BhmcParams } from '../src/core/bhmc.ts';
import { LennardJones } from '../src/core/potentials/lj.ts';

const GM = -173.928427;
const TOL = 1e-3;
const BASE: BhmcParams = {
  natoms: 38, steps: 0, seed: 0, kT: 0.8, stepSize: 0.4, fmax: 1e-3, optimizer: 'lbfgs',
  startDistances: { min: 0.9, lo: 1.0, hi: 1.5 }, evaporationDistance: 2.5, keepTrajectories: false,
};

function arg(name: string, def: number): number {
  const k = process.argv.indexOf(name);
  return k > 0 ? Number(process.argv[k + 1]) : def;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** The random start of a seed (the same one bhmcInit grows). */
function startOf(seed: number): number[] {
  return Array.from(bhmcPending(bhmcInit({ ...BASE, seed, steps: 1 }))!.positions);
}

interface Run { hops: number; found: boolean; evals: number; wall: number; best: number }

function ours(seed: number, hops: number, adaptive: boolean, stopAtGm: boolean): Run {
  const lj = new LennardJones({ epsilon: 1, sigma: 1 });
  let found = -1;
  const t0 = performance.now();
  const maxStep = arg('--lbfgs-max-step', NaN);
  const lbfgs = Number.isFinite(maxStep) ? { ...BHMC_LBFGS, maxStep } : BHMC_LBFGS;
  const r = runBhmc(lj, { ...BASE, seed, steps: hops, adaptiveStep: adaptive, lbfgs }, (t) => {
    if (stopAtGm && t.energy < GM + TOL) { found = t.trial; return true; }
  });
  const wall = (performance.now() - t0) / 1000;
  return { hops: found >= 0 ? found : r.trials.length - 1, found: found >= 0, evals: r.evaluations, wall, best: r.best.energy };
}

function scipyAvailable(): string | null {
  const r = spawnSync('python3', ['-c', 'import scipy, numpy; print(scipy.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function scipy(seed: number, hops: number, stopAtGm: boolean): Run {
  const script = fileURLToPath(new URL('./bhmc_lj38_scipy.py', import.meta.url));
  const input = JSON.stringify({ start: startOf(seed), seed, T: 0.8, stepsize: 0.4, target: stopAtGm ? GM : -1e9, tol: TOL, max_hops: hops });
  // One core, like nanostudio: no BLAS/OpenMP thread pool (its spinning threads starve on a loaded machine).
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync('python3', [script], { input, encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (r.status !== 0) throw new Error(`bhmc_lj38_scipy.py failed (exit ${r.status}): ${r.stderr.slice(-1500)}`);
  const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as { hops: number; found: boolean; nfev: number; wall: number; best: number };
  return { hops: o.hops, found: o.found, evals: o.nfev, wall: o.wall, best: o.best };
}

export async function run(): Promise<void> {
  const seeds = arg('--seeds', 20), firstSeed = arg('--first-seed', 1), maxHops = arg('--max-hops', 10000);
  const cmpSeeds = arg('--compare-seeds', 20), cmpHops = arg('--compare-hops', 100);
  const scipyToGm = process.argv.includes('--scipy-to-gm');
  const sv = scipyAvailable();
  console.log(`LJ38 basin hopping, kT 0.8 ε, step 0.4 σ, L-BFGS; node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at start), ${new Date().toISOString()}`);
  if (!sv) console.log('python3 with scipy not found: install Debian\'s python3-scipy for the side-by-side columns; nanostudio only.');
  else console.log(`scipy ${sv} (python3 on PATH)`);

  // A. cost per hop, interleaved.
  if (sv && cmpSeeds > 0 && cmpHops > 0) {
    console.log(`\nA. cost per hop: ${cmpHops} hops from the same start, seeds 1…${cmpSeeds}, interleaved\n`);
    console.log('| seed | scipy s/hop | scipy evals/hop | nanostudio s/hop | nanostudio evals/hop | wall ratio ours/scipy |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    const ratios: number[] = [], se: number[] = [], oe: number[] = [], sw: number[] = [], ow: number[] = [];
    for (let seed = 1; seed <= cmpSeeds; seed++) {
      const a = scipy(seed, cmpHops, false);
      const b = ours(seed, cmpHops, true, false);
      // scipy counts the start's minimization in nfev too; both are per hop over (hops + 1) minimizations.
      const sh = a.wall / cmpHops, oh = b.wall / cmpHops;
      ratios.push(oh / sh); se.push(a.evals / (cmpHops + 1)); oe.push(b.evals / (cmpHops + 1)); sw.push(sh); ow.push(oh);
      console.log(`| ${seed} | ${sh.toFixed(4)} | ${se.at(-1)!.toFixed(0)} | ${oh.toFixed(4)} | ${oe.at(-1)!.toFixed(0)} | ${(oh / sh).toFixed(3)} |`);
    }
    console.log(`| median | ${median(sw).toFixed(4)} | ${median(se).toFixed(0)} | ${median(ow).toFixed(4)} | ${median(oe).toFixed(0)} | **${median(ratios).toFixed(3)}** |`);
  }

  // B. hops to the global minimum.
  console.log(`\nB. hops to the global minimum (within ${TOL} ε of ${GM}), at most ${maxHops} hops, seeds ${firstSeed}…${seeds}\n`);
  const fixed = process.argv.includes('--fixed');
  const cols = [...(fixed ? ['nanostudio fixed step'] : []), 'nanostudio adaptive step', ...(sv && scipyToGm ? ['scipy (adaptive step)'] : [])];
  console.log(`| seed | ${cols.map((c) => `${c} hops | s | evals/hop`).join(' | ')} |`);
  console.log(`|---:|${cols.map(() => '---:|---:|---:').join('|')}|`);
  const res: Run[][] = cols.map(() => []);
  for (let seed = firstSeed; seed <= seeds; seed++) {
    const row = [...(fixed ? [ours(seed, maxHops, false, true)] : []), ours(seed, maxHops, true, true)];
    if (sv && scipyToGm) row.push(scipy(seed, maxHops, true));
    row.forEach((r, k) => res[k].push(r));
    console.log(`| ${seed} | ${row.map((r) => `${r.found ? r.hops : `>${r.hops}`} | ${r.wall.toFixed(1)} | ${(r.evals / (r.hops + 1)).toFixed(0)}`).join(' | ')} |`);
  }
  // Seeds that did not find it count as +∞ in the medians (shown as >max).
  const med = (rs: Run[], f: (r: Run) => number) => median(rs.map((r) => (r.found ? f(r) : Infinity)));
  const fmt = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : `>${maxHops}`);
  console.log(`| median | ${res.map((rs) => `${fmt(med(rs, (r) => r.hops), 0)} | ${fmt(med(rs, (r) => r.wall), 1)} | ${median(rs.map((r) => r.evals / (r.hops + 1))).toFixed(0)}`).join(' | ')} |`);
  console.log(`found: ${res.map((rs, k) => `${cols[k]} ${rs.filter((r) => r.found).length}/${rs.length}`).join(', ')}; load average ${loadavg()[0].toFixed(1)} at the end`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
