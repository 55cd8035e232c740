/**
 * EAM MD, nanostudio vs LAMMPS, side by side in one run (issue 13): the same Cu1103 cluster (a
 * spherical cut of fcc Cu, a = 3.61 Å, from bench/eam-md.ts), the same potential
 * (Cu_mishin1.eam.alloy), NVE velocity Verlet, dt 2 fs, velocities at 300 K, the same number of
 * steps, one core each (LAMMPS serial, OMP_NUM_THREADS=1; Node is single-threaded), both with
 * a 0.5 Å Verlet skin. LAMMPS' time is its own "Loop time" (set-up excluded); ours is the wall
 * time of the step loop after one warm-up step. The energy drift of both runs is printed as a
 * check that both integrate the same dynamics. The machine is shared, so the two codes run in
 * alternation --rounds times (default 3; each round: LAMMPS, then nanostudio from the same start)
 * and each code's best round is compared.
 * Needs Debian's `lammps` (`lmp` on PATH); prints how to get it otherwise.
 * Run: npm run bench -- eam-lammps   [--steps N] [--rounds R]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fccSphere } from './eam-md.ts';
import { Eam } from '../src/core/potentials/eam.ts';
import { initVerlet, verletStep } from '../src/core/md/verlet.ts';
import { withMaxwellBoltzmann } from '../src/core/md/velocities.ts';
import { stateKinetic } from '../src/core/md/state.ts';
import { atomicMass } from '../src/core/elements.ts';

function lammpsAvailable(): boolean {
  return spawnSync('lmp', ['-h'], { encoding: 'utf8' }).status === 0;
}

export async function run(): Promise<void> {
  const arg = process.argv.indexOf('--steps');
  const steps = arg > 0 ? Number(process.argv[arg + 1]) : 2000;
  const here = fileURLToPath(new URL('.', import.meta.url));
  const potFile = join(here, '../public/potentials/Cu_mishin1.eam.alloy');
  const frame0 = withMaxwellBoltzmann(fccSphere('Cu', 1103), 300, 7);
  const n = frame0.symbols.length;
  const dt = 2;

  const ra = process.argv.indexOf('--rounds');
  const rounds = ra > 0 ? Number(process.argv[ra + 1]) : 3;
  const text = readFileSync(potFile, 'utf8');
  // nanostudio: one run of `steps` steps from frame0 (fresh calculator); returns wall s, drift, builds.
  const oursRun = () => {
    const calc = Eam.fromText(text, 'Cu_mishin1.eam.alloy');
    let s = initVerlet(frame0, calc, { dt });
    const e0 = s.potentialEnergy + stateKinetic(s);
    s = verletStep(s, calc); // warm-up (JIT)
    const t0 = performance.now();
    for (let k = 0; k < steps; k++) s = verletStep(s, calc);
    const wall = (performance.now() - t0) / 1000;
    return { wall, drift: (s.potentialEnergy + stateKinetic(s) - e0) / n, builds: calc.neighborListBuilds };
  };

  if (!lammpsAvailable()) {
    const { wall: ours } = oursRun();
    console.log(`nanostudio: ${steps} steps of Cu${n} in ${ours.toFixed(2)} s (${((ours / steps / n) * 1e6).toFixed(2)} µs/atom-step).`);
    console.log('LAMMPS not found: install Debian\'s `lammps` (apt-get install lammps) for the side-by-side ratio.');
    return;
  }
  // LAMMPS: the same atoms and velocities (Å/fs → LAMMPS metal units Å/ps: ×1000).
  const dir = mkdtempSync(join(tmpdir(), 'nanostudio-lmp-'));
  try {
    copyFileSync(potFile, join(dir, 'Cu.eam.alloy'));
    const x = frame0.positions, v = frame0.velocities!;
    let lo = Infinity, hi = -Infinity;
    for (const c of x) { lo = Math.min(lo, c); hi = Math.max(hi, c); }
    lo -= 20; hi += 20;
    const data = [
      'Cu cluster from nanostudio', '', `${n} atoms`, '1 atom types', '',
      `${lo} ${hi} xlo xhi`, `${lo} ${hi} ylo yhi`, `${lo} ${hi} zlo zhi`, '', 'Masses', '', `1 ${atomicMass('Cu')}`, '', 'Atoms # atomic', '',
      ...Array.from({ length: n }, (_, i) => `${i + 1} 1 ${x[3 * i]} ${x[3 * i + 1]} ${x[3 * i + 2]}`), '', 'Velocities', '',
      ...Array.from({ length: n }, (_, i) => `${i + 1} ${v[3 * i] * 1000} ${v[3 * i + 1] * 1000} ${v[3 * i + 2] * 1000}`), '',
    ].join('\n');
    writeFileSync(join(dir, 'cu.data'), data);
    writeFileSync(join(dir, 'in.md'), [
      'units metal', 'atom_style atomic', 'boundary f f f', 'read_data cu.data',
      'pair_style eam/alloy', 'pair_coeff * * Cu.eam.alloy Cu',
      'neighbor 0.5 bin', 'neigh_modify every 1 delay 0 check yes',
      `timestep ${dt / 1000}`, 'fix 1 all nve', 'thermo_style custom step pe ke etotal', `thermo ${steps}`,
      `run ${steps}`, '',
    ].join('\n'));
    const lammpsRun = () => {
      const r = spawnSync('lmp', ['-in', 'in.md', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      if (r.status !== 0) throw new Error(`lmp failed (exit ${r.status}): ${r.stderr || readFileSync(join(dir, 'log.lammps'), 'utf8').slice(-2000)}`);
      const log = readFileSync(join(dir, 'log.lammps'), 'utf8');
      const loop = /Loop time of ([\d.eE+-]+) on (\d+) procs/.exec(log);
      if (!loop) throw new Error('no "Loop time" in the LAMMPS log');
      return { wall: Number(loop[1]), log };
    };
    const lw: number[] = [], ow: number[] = [];
    let log = '', oursDrift = NaN, oursBuilds = 0;
    for (let k = 0; k < rounds; k++) {
      const a = lammpsRun();
      lw.push(a.wall); log = a.log;
      const b = oursRun();
      ow.push(b.wall); oursDrift = b.drift; oursBuilds = b.builds;
    }
    const theirs = Math.min(...lw), ours = Math.min(...ow);
    const thermo = [...log.matchAll(/^\s+(\d+)\s+(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*$/gm)].map((m) => Number(m[4]));
    const lmpDrift = thermo.length >= 2 ? (thermo[thermo.length - 1] - thermo[0]) / n : NaN;
    const version = /LAMMPS \(([^)]+)\)/.exec(log)?.[1] ?? '?';
    const lmpBuilds = /Neighbor list builds = (\d+)/.exec(log)?.[1] ?? '?';
    const us = (t: number) => ((t / steps / n) * 1e6).toFixed(3);
    console.log(`EAM NVE MD, Cu${n} (fcc sphere), Cu_mishin1.eam.alloy, dt ${dt} fs, ${steps} steps, skin 0.5 Å, one core each`);
    console.log('| code | wall s | µs/atom-step | steps/s | E drift (eV/atom) | neighbour-list builds |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(`| LAMMPS ${version} | ${theirs.toFixed(2)} | ${us(theirs)} | ${(steps / theirs).toFixed(1)} | ${lmpDrift.toExponential(2)} | ${lmpBuilds} |`);
    console.log(`| nanostudio (TS, float64) | ${ours.toFixed(2)} | ${us(ours)} | ${(steps / ours).toFixed(1)} | ${oursDrift.toExponential(2)} | ${oursBuilds} |`);
    console.log(`rounds (LAMMPS, nanostudio wall s): ${lw.map((x, k) => `(${x.toFixed(2)}, ${ow[k].toFixed(2)})`).join(' ')}; best of each compared; load average ${loadavg()[0].toFixed(1)}`);
    console.log(`ratio nanostudio / LAMMPS wall time: ${(ours / theirs).toFixed(2)}×  (node ${process.version}, ${new Date().toISOString()})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
