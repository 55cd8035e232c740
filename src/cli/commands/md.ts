/**
 * `nanostudio md`: molecular dynamics of one frame of an extended XYZ file in the NVE, NVT
 * (Langevin, Nosé–Hoover chain, CSVR, Berendsen) or NPT (MTK) ensemble; prints progress and a
 * summary, writes every K-th frame (positions, velocities, forces, energies) as extended XYZ.
 * With a DP ensemble (dp:A,B,…) also model_devi.out (DeePMD's layout) and max_devi_f / devi_e per frame.
 */
import type { Command } from '../command.ts';
import { numberOption, parseOptions, readFrameOption, required, type OptionValues } from '../args.ts';
import { UsageError } from '../command.ts';
import type { Frame } from '../../core/atoms.ts';
import { cellVolume, validateFrame } from '../../core/atoms.ts';
import type { Calculator } from '../../core/potentials/calculator.ts';
import { initBerendsen, berendsen } from '../../core/md/berendsen.ts';
import { initCsvr, csvr } from '../../core/md/csvr.ts';
import { initLangevin, langevin } from '../../core/md/langevin.ts';
import { initNoseHooverChain, noseHooverChain } from '../../core/md/nose-hoover-chain.ts';
import { initNpt, npt } from '../../core/md/npt.ts';
import { MdExplosionError, runMd, type MdStepInfo } from '../../core/md/run-md.ts';
import type { Integrator, MdState } from '../../core/md/state.ts';
import { kineticEnergy, pressure } from '../../core/md/thermo.ts';
import { initVerlet, verlet } from '../../core/md/verlet.ts';
import { withMaxwellBoltzmann } from '../../core/md/velocities.ts';
import { evPerA3ToBar } from '../../core/units.ts';
import { loadPotential, noTabulateUsage } from '../potential-spec.ts';
import { runMdWebgpu } from '../md-webgpu.ts';
import { annotate, deviRow, DeviationTap, modelDeviPath, writeRunFiles, type FrameDeviation, type TrajectoryFrame } from '../md-deviation.ts';
import type { ModelDeviRow } from '../../core/io/model-devi.ts';

export const ENSEMBLES = ['nve', 'langevin', 'nhc', 'csvr', 'berendsen', 'npt'] as const;
export type Ensemble = (typeof ENSEMBLES)[number];

const USAGE = [
  'usage: nanostudio md --potential SPEC --structure S.extxyz --ensemble nve|langevin|nhc|csvr|berendsen|npt',
  '                     --temperature K [--pressure-bar P | --pressure-atm P] --steps N --out traj.extxyz',
  '                     [--dt 1] [--save-every 10] [--seed 1] [--frame 0] [--tau-t 100] [--tau-p 1000]',
  '                     [--friction 0.01] [--barostat isotropic|anisotropic] [--print-every N]',
  '                     [--escape-distance 10] [--engine cpu|webgpu] [--model-devi-out FILE] [--no-tabulate]',
  '',
  'ensembles:',
  '  nve        velocity Verlet (Swope 1982)',
  '  langevin   Langevin BAOAB (Leimkuhler & Matthews 2013), seeded, friction --friction 1/fs',
  '  nhc        Nosé–Hoover chain of 3 (Martyna–Tuckerman–Klein), period --tau-t fs',
  '  csvr       stochastic velocity rescaling (Bussi, Donadio & Parrinello 2007), seeded, --tau-t fs',
  '  berendsen  Berendsen weak coupling, --tau-t fs — NOT canonical, for equilibration only',
  '  npt        MTK barostat + Nosé–Hoover chains (periodic cells), --tau-t / --tau-p fs',
  '',
  'options:',
  '  --potential SPEC     eam:FILE, lj:epsilon=E,sigma=S[,rc=R], dp:MODEL[,MODEL...] (several = ensemble:',
  '                       the trajectory follows model 0, the others give the deviation)',
  '  --structure FILE     extended XYZ input; its velocities (Å/fs) are used if present, otherwise',
  '                       Maxwell–Boltzmann velocities at --temperature are drawn (seeded)',
  '  --temperature K      target temperature (NVE: initial velocities only)',
  '  --pressure-bar P     target pressure for npt, bar (or --pressure-atm, atm)',
  '  --dt FS              time step, fs (default 1)',
  '  --steps N            number of steps',
  '  --save-every K       write every K-th frame (default 10; the initial frame is written too)',
  '  --seed S             seed for initial velocities and stochastic thermostats (default 1)',
  '  --out FILE           trajectory (extended XYZ: positions Å, velocities Å/fs, forces eV/Å, energy eV)',
  '  --model-devi-out F   ensembles: model deviation per saved frame in DeePMD\'s model_devi.out layout',
  '                       (default: model_devi.out next to --out); max_devi_f (eV/Å) and devi_e (eV/atom)',
  '                       also go into each frame\'s info line',
  '  --escape-distance D  clusters: stop when an atom is D Å beyond the initial radius (default 10)',
  '  --engine cpu|webgpu  cpu: float64 (default); webgpu: DP models only, the whole run on the WebGPU adapter',
  '                       (a GPU, or SwiftShader from Debian\'s chromium); nve, langevin and nhc',
  ...noTabulateUsage(23),
  '',
  'The run stops with exit code 1 (frames so far written to --out) when positions or energies',
  'become non-finite, T exceeds 10× --temperature, or an atom leaves the cluster.',
].join('\n');

/** Parsed `nanostudio md` options (units: K, bar, fs, 1/fs). */
export interface MdOptions {
  ensemble: Ensemble;
  temperatureK: number | undefined;
  pressureBar?: number;
  pressureAtm?: number;
  dt: number;
  steps: number;
  saveEvery: number;
  seed: number;
  tauTFs?: number;
  tauPFs?: number;
  frictionPerFs?: number;
  barostat: 'isotropic' | 'anisotropic';
  printEvery: number;
  /** Clusters: distance beyond the initial radius (Å) at which an atom counts as escaped. */
  escapeDistanceA: number;
}

/** Set up the integrator and its initial state for the chosen ensemble. */
export function setupMd(frame: Frame, calc: Calculator, o: MdOptions): { integrator: Integrator<MdState>; state: MdState } {
  const needT = (): number => {
    if (o.temperatureK === undefined) throw new UsageError(`--temperature is required for --ensemble ${o.ensemble}`);
    return o.temperatureK;
  };
  let f = frame;
  if (!f.velocities) {
    if (o.temperatureK === undefined) throw new UsageError('the structure has no velocities: give --temperature to draw Maxwell–Boltzmann ones');
    // Langevin does not conserve angular momentum, so its clusters keep the rotation (f = 3N − 3).
    f = withMaxwellBoltzmann(frame, o.temperatureK, o.seed, o.ensemble === 'langevin' ? { zeroAngularMomentum: false } : {});
  }
  const dt = o.dt;
  switch (o.ensemble) {
    case 'nve':
      return { integrator: verlet, state: initVerlet(f, calc, { dt }) };
    case 'langevin':
      return { integrator: langevin, state: initLangevin(f, calc, { dt, temperatureK: needT(), seed: o.seed + 1, frictionPerFs: o.frictionPerFs }) };
    case 'nhc':
      return { integrator: noseHooverChain, state: initNoseHooverChain(f, calc, { dt, temperatureK: needT(), tauFs: o.tauTFs }) };
    case 'csvr':
      return { integrator: csvr, state: initCsvr(f, calc, { dt, temperatureK: needT(), tauFs: o.tauTFs, seed: o.seed + 1 }) };
    case 'berendsen':
      return { integrator: berendsen, state: initBerendsen(f, calc, { dt, temperatureK: needT(), tauFs: o.tauTFs }) };
    case 'npt':
      if (o.pressureBar === undefined && o.pressureAtm === undefined) throw new UsageError('--ensemble npt needs --pressure-bar or --pressure-atm');
      return {
        integrator: npt,
        state: initNpt(f, calc, { dt, temperatureK: needT(), pressureBar: o.pressureBar, pressureAtm: o.pressureAtm, mode: o.barostat, tauTFs: o.tauTFs, tauPFs: o.tauPFs }),
      };
  }
}

/** Parse the option values of `nanostudio md` (without potential/structure/out). */
export function parseMdOptions(v: OptionValues): MdOptions {
  const ensemble = v.ensemble ?? 'nve';
  if (!(ENSEMBLES as readonly string[]).includes(ensemble)) throw new UsageError(`--ensemble must be one of ${ENSEMBLES.join(', ')}; got '${ensemble}'`);
  if (v['pressure-bar'] !== undefined && v['pressure-atm'] !== undefined) throw new UsageError('give --pressure-bar or --pressure-atm, not both');
  const barostat = v.barostat ?? 'isotropic';
  if (barostat !== 'isotropic' && barostat !== 'anisotropic') throw new UsageError(`--barostat must be isotropic or anisotropic, got '${barostat}'`);
  const steps = numberOption(v, 'steps', { integer: true, min: 0 });
  if (steps === undefined) throw new UsageError('--steps is required');
  return {
    ensemble: ensemble as Ensemble,
    temperatureK: numberOption(v, 'temperature', { min: 0 }),
    pressureBar: numberOption(v, 'pressure-bar'),
    pressureAtm: numberOption(v, 'pressure-atm'),
    dt: numberOption(v, 'dt', { positive: true }) ?? 1,
    steps,
    saveEvery: numberOption(v, 'save-every', { integer: true, positive: true }) ?? 10,
    seed: numberOption(v, 'seed', { integer: true }) ?? 1,
    tauTFs: numberOption(v, 'tau-t', { positive: true }),
    tauPFs: numberOption(v, 'tau-p', { positive: true }),
    frictionPerFs: numberOption(v, 'friction', { positive: true }),
    barostat,
    printEvery: numberOption(v, 'print-every', { integer: true, positive: true }) ?? Math.max(1, Math.floor(steps / 20)),
    escapeDistanceA: numberOption(v, 'escape-distance', { positive: true }) ?? 10,
  };
}

function progressLine(info: MdStepInfo, extra: string): string {
  return `${String(info.step).padStart(8)} ${info.time.toFixed(1).padStart(10)} ${info.temperature.toFixed(2).padStart(10)} ${info.potentialEnergy.toFixed(6).padStart(16)} ${info.totalEnergy.toFixed(6).padStart(16)}${extra}`;
}

/** `--engine webgpu`: the whole run on the GPU (see md-webgpu.ts). */
async function runOnGpu(frame: Frame, potential: string, o: MdOptions, out: string, deviOut: string): Promise<number> {
  try {
    const r = await runMdWebgpu(frame, potential, o, (l) => console.log(l));
    console.log(`md: done, ${o.steps} steps in ${r.wallSeconds.toFixed(2)} s on ${r.adapter}; final T ${r.final.temperature.toFixed(2)} K, Epot ${r.final.potential.toFixed(6)} eV`);
    if (o.ensemble !== 'langevin') console.log(`md: conserved quantity drift ${r.drift.toExponential(3)} eV (${(r.drift / frame.symbols.length).toExponential(3)} eV/atom)`);
    for (const l of writeRunFiles(out, r.frames, r.deviation, deviOut)) console.log(l);
    return 0;
  } catch (e) {
    const { frames, deviation } = e as { frames?: TrajectoryFrame[]; deviation?: ModelDeviRow[] };
    if (frames) {
      console.error(`md: ${(e as Error).message}`);
      for (const l of writeRunFiles(out, frames, deviation ?? [], deviOut)) console.error(`${l} (computed before the stop)`);
      return 1;
    }
    throw e;
  }
}

export const mdCommand: Command = {
  name: 'md',
  summary: 'molecular dynamics (NVE, Langevin, Nosé–Hoover chain, CSVR, Berendsen, NPT)',
  usage: USAGE,
  async run(argv) {
    const values = parseOptions(argv, ['potential', 'structure', 'out', 'ensemble', 'temperature', 'pressure-bar', 'pressure-atm', 'dt', 'steps',
      'save-every', 'seed', 'frame', 'tau-t', 'tau-p', 'friction', 'barostat', 'print-every', 'escape-distance', 'engine', 'model-devi-out'], ['no-tabulate']);
    const potential = required(values, 'potential');
    const structure = required(values, 'structure');
    const out = required(values, 'out');
    const o = parseMdOptions(values);
    const frame = readFrameOption(structure, values);
    validateFrame(frame);
    const engine = values.engine ?? 'cpu';
    if (engine !== 'cpu' && engine !== 'webgpu') throw new UsageError(`--engine must be cpu or webgpu, got '${engine}'`);
    const deviOut = modelDeviPath(out, values['model-devi-out']);
    if (engine === 'webgpu') return runOnGpu(frame, potential, o, out, deviOut);
    const calc = new DeviationTap(await loadPotential(potential, { tabulate: !values['no-tabulate'] }));
    const { integrator, state } = setupMd(frame, calc, o);
    // Ensembles: the deviation of each saved state, by step (the tap holds the last evaluation's).
    const deviation = new Map<number, FrameDeviation>();
    const recordDeviation = (f: Frame, step: number) => {
      if (calc.reports && !deviation.has(step)) deviation.set(step, calc.deviationAt(f));
    };
    recordDeviation(state.frame, state.step);
    const periodic = state.frame.cell !== null && state.frame.pbc.every(Boolean);
    console.log(`md: ${integrator.name}, ${state.masses.length} atoms, ${calc.name}, dt ${o.dt} fs, ${o.steps} steps, f = ${state.dof} degrees of freedom${frame.velocities ? ', velocities from the structure' : `, Maxwell–Boltzmann velocities at ${o.temperatureK} K (seed ${o.seed})`}`);
    console.log(`${'step'.padStart(8)} ${'time/fs'.padStart(10)} ${'T/K'.padStart(10)} ${'Epot/eV'.padStart(16)} ${'Etot/eV'.padStart(16)}${periodic ? `${'P/bar'.padStart(12)}${'V/Å³'.padStart(12)}` : ''}`);
    const extra = (s: MdState): string => {
      if (!periodic || !s.virial) return '';
      const v = cellVolume(s.frame);
      return `${evPerA3ToBar(pressure(kineticEnergy(s.masses, s.frame.velocities!), s.virial, v)).toFixed(1).padStart(12)}${v.toFixed(2).padStart(12)}`;
    };
    let sumT = 0, sumE = 0, sumP = 0, count = 0;
    const c0 = integrator.conservedEnergy(state);
    const t0 = performance.now();
    const write = (fs: TrajectoryFrame[]): string[] => {
      const rows: ModelDeviRow[] = [];
      for (const f of fs) {
        const step = Number(f.info?.step);
        recordDeviation(f, step); // normally recorded by the observer; the last frame of a failed run is not
        const d = deviation.get(step);
        if (d) {
          annotate(f, d);
          rows.push(deviRow(step, d));
        }
      }
      return writeRunFiles(out, fs, rows, deviOut);
    };
    let result;
    try {
      result = runMd(integrator, state, calc, {
        steps: o.steps,
        saveEvery: o.saveEvery,
        referenceTemperatureK: o.temperatureK,
        escapeDistanceA: o.escapeDistanceA,
        observer: (s, info) => {
          sumT += info.temperature; sumE += info.potentialEnergy; count++;
          if (periodic && s.virial) sumP += evPerA3ToBar(pressure(info.kineticEnergy, s.virial, cellVolume(s.frame)));
          if (info.saved) recordDeviation(s.frame, s.step);
          if (info.step % o.printEvery === 0) console.log(progressLine(info, extra(s)));
        },
      });
    } catch (e) {
      if (e instanceof MdExplosionError) {
        console.error(`md: ${e.message}`);
        for (const l of write(e.frames)) console.error(`${l} (computed before the stop)`);
        return 1;
      }
      throw e;
    }
    const written = write(result.frames);
    const wall = (performance.now() - t0) / 1000;
    const s = result.state;
    const simPs = s.time / 1000;
    console.log(`md: done, ${o.steps} steps (${simPs.toFixed(3)} ps) in ${wall.toFixed(2)} s (${(simPs / 1000 / (wall / 86400)).toFixed(3)} ns/day)`);
    if (count > 0) {
      console.log(`md: mean T ${(sumT / count).toFixed(2)} K, mean Epot ${(sumE / count).toFixed(6)} eV` + (periodic ? `, mean P ${(sumP / count).toFixed(1)} bar` : ''));
      console.log(`md: conserved quantity drift ${(integrator.conservedEnergy(s) - c0).toExponential(3)} eV (${((integrator.conservedEnergy(s) - c0) / s.masses.length).toExponential(3)} eV/atom)`);
    }
    for (const l of written) console.log(l);
    return 0;
  },
};
