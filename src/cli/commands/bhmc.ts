/**
 * `nanostudio bhmc`: basin-hopping Monte Carlo from a random cluster (paper §1). Writes the
 * distinct minima, the accepted chain, every relaxation trajectory (extended XYZ) and a trial
 * log to an output folder; prints progress and the lowest energy found.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from '../command.ts';
import { numberOption, parseOptions } from '../args.ts';
import { UsageError } from '../command.ts';
import { readExtxyz, writeExtxyz } from '../../core/io/extxyz.ts';
import { cloneFrame, type Frame } from '../../core/atoms.ts';
import { isElement } from '../../core/elements.ts';
import { kT as kTofK } from '../../core/units.ts';
import { bhmcBest, bhmcInit, bhmcPending, bhmcResult, bhmcScale, bhmcStep, type BhmcParams } from '../../core/bhmc.ts';
import type { OptimizerName } from '../../core/optimize/relax.ts';
import { loadPotential, noTabulateUsage } from '../potential-spec.ts';

const USAGE = [
  'usage: nanostudio bhmc --potential SPEC --natoms N --steps K --seed S (--temperature T | --kT E) --out DIR',
  '                       [--element Cu] [--step 0.8] [--fmax 0.05] [--optimizer fire|lbfgs] [--max-relax-steps 1000]',
  '                       [--start FILE.extxyz] [--start-distances MIN,LO,HI] [--evaporation D] [--collapse D] [--no-tabulate]',
  '',
  'Basin hopping: random cluster → relax → (displace every coordinate by U(−step, step) → relax →',
  'Metropolis at T) × K. Lengths Å, energies eV; lj:epsilon=E,sigma=S works in the units of σ and ε.',
  'The length, fmax and energy-tolerance defaults follow the potential and are printed: for lj in σ and ε',
  '(start 0.9σ,1.0σ,1.5σ, step 0.4σ, fmax 1e-3 ε/σ), otherwise scaled by the nearest-neighbour distance',
  'd of the element\'s reference crystal (the values below are Cu\'s, d = 2.553 Å).',
  '',
  'options:',
  '  --potential SPEC        eam:FILE (eam:Cu_u3.eam is bundled), lj:epsilon=E,sigma=S, dp:MODEL',
  '  --natoms N              atoms of the random start (default: grown at 1.8–3.0 Å, ≥ 1.5 Å apart)',
  '  --steps K               number of basin-hopping trials',
  '  --seed S                random seed (start, displacements, Metropolis)',
  '  --temperature T         Metropolis temperature, K (default 600 K) ...',
  '  --kT E                  ... or k_B·T directly, in the potential\'s energy unit (eV; ε for lj)',
  '  --element E             element of the random start (default Cu)',
  '  --step D                displacement half-width, Å (default 0.8)',
  '  --fmax F                relaxation threshold, eV/Å (default 0.05)',
  '  --optimizer NAME        fire (default) or lbfgs',
  '  --max-relax-steps N     optimizer steps per relaxation (default 1000)',
  '  --start FILE            start from the first frame of FILE instead of a random cluster',
  '  --start-distances A,B,C random start: minimum distance, placement range lo–hi, Å (default 1.5,1.8,3.0)',
  '  --evaporation D         a fragment with no bond < D Å to the rest is evaporated (default 1.5·hi)',
  '  --collapse D            two atoms closer than D Å reject a trial as collapsed (default MIN)',
  '  --out DIR               output folder: minima.extxyz, chain.extxyz, trajectories.extxyz, trials.tsv',
  ...noTabulateUsage(26),
].join('\n');

export const bhmcCommand: Command = {
  name: 'bhmc',
  summary: 'basin-hopping Monte Carlo from a random cluster; writes minima and all trajectories',
  usage: USAGE,
  async run(argv) {
    const values = parseOptions(argv, ['potential', 'natoms', 'steps', 'seed', 'temperature', 'kT', 'element', 'step', 'fmax', 'optimizer',
      'max-relax-steps', 'start', 'start-distances', 'evaporation', 'collapse', 'out'], ['no-tabulate']);
    for (const k of ['potential', 'steps', 'seed', 'out']) if (values[k] === undefined) throw new UsageError(`--${k} is required`);
    if (values.natoms === undefined && values.start === undefined) throw new UsageError('--natoms (or --start) is required');
    if ((values.temperature === undefined) === (values.kT === undefined)) throw new UsageError('give exactly one of --temperature (K) and --kT (eV)');
    const steps = numberOption(values, 'steps', { integer: true, min: 0 })!;
    const seed = numberOption(values, 'seed', { integer: true })!;
    const kT = values.kT !== undefined
      ? numberOption(values, 'kT', { min: 0, what: 'a non-negative energy (eV)' })!
      : kTofK(numberOption(values, 'temperature', { min: 0, what: 'a non-negative temperature (K)' })!);
    const element = values.element ?? 'Cu';
    if (!isElement(element)) throw new UsageError(`--element: unknown element '${element}'`);
    const optimizer = (values.optimizer ?? 'fire') as OptimizerName;
    if (optimizer !== 'fire' && optimizer !== 'lbfgs') throw new UsageError(`--optimizer must be fire or lbfgs, got '${values.optimizer}'`);
    let startDistances: BhmcParams['startDistances'];
    if (values['start-distances'] !== undefined) {
      const d = values['start-distances'].split(',').map(Number);
      if (d.length !== 3 || !d.every((x) => Number.isFinite(x) && x > 0) || !(d[0] <= d[1] && d[1] < d[2])) {
        throw new UsageError(`--start-distances must be MIN,LO,HI with 0 < MIN ≤ LO < HI (Å), got '${values['start-distances']}'`);
      }
      startDistances = { min: d[0], lo: d[1], hi: d[2] };
    }
    let start: Frame | undefined;
    if (values.start !== undefined) {
      start = cloneFrame(readExtxyz(readFileSync(values.start, 'utf8'), basename(values.start))[0]);
      delete start.info;
    }
    const calc = await loadPotential(values.potential!, { tabulate: !values['no-tabulate'] });
    const scale = bhmcScale(calc, start ? start.symbols[0] : element);
    const params: BhmcParams = {
      scale,
      natoms: start ? start.symbols.length : numberOption(values, 'natoms', { positive: true, integer: true })!,
      element, steps, seed, kT, optimizer, start, startDistances,
      stepSize: numberOption(values, 'step', { positive: true, what: 'a positive length (Å)' }),
      fmax: numberOption(values, 'fmax', { positive: true, what: 'a positive force (eV/Å)' }),
      maxRelaxSteps: numberOption(values, 'max-relax-steps', { positive: true, integer: true }),
      evaporationDistance: numberOption(values, 'evaporation', { positive: true, what: 'a positive length (Å)' }),
      collapseDistance: numberOption(values, 'collapse', { positive: true, what: 'a positive length (Å)' }),
    };
    const out = values.out!;
    mkdirSync(out, { recursive: true });

    const st = bhmcInit(params);
    const p = st.params;
    const g = (x: number) => String(Number(x.toPrecision(4)));
    const [len, en] = scale.kind === 'lj' ? ['σ', 'ε'] : ['Å', 'eV'];
    // LJ particles have no element: the symbol only names them in the output files.
    const atoms = start ? `${p.natoms} × given start` : scale.kind === 'lj' ? `${p.natoms} LJ particles (symbol ${element} in the output files)` : `${p.natoms} × ${element}`;
    console.error(
      `bhmc: ${atoms}, ${calc.name}, ${steps} trials, kT = ${kT.toPrecision(6)} ${en}` +
        `${values.temperature !== undefined ? ` (${values.temperature} K)` : ''}, ${p.optimizer}, seed ${seed}\n` +
        `bhmc: defaults in units of ${scale.describe} (options override): start distances ${g(p.startDistances.min)}, ${g(p.startDistances.lo)}, ${g(p.startDistances.hi)} ${len}, ` +
        `step ${g(p.stepSize)} ${len}, evaporation ${g(p.evaporationDistance)} ${len}, collapse ${g(p.collapseDistance)} ${len}, fmax ${g(p.fmax)} ${en}/${len}, ` +
        `same minimum within ${g(p.energyTolerance)} ${en} and ${g(p.distanceTolerance)} ${len}`,
    );
    const t0 = performance.now();
    const every = steps <= 200 ? 1 : Math.ceil(steps / 100);
    let seen = 0;
    for (let f = bhmcPending(st); f; f = bhmcPending(st)) {
      bhmcStep(st, calc.compute(f));
      for (; seen < st.trials.length; seen++) {
        const t = st.trials[seen];
        if (t.trial % every !== 0 && t.trial !== steps) continue;
        const best = bhmcBest(st);
        console.error(
          `  trial ${String(t.trial).padStart(String(steps).length)}/${steps}  E = ${Number.isNaN(t.energy) ? '—' : t.energy.toFixed(5)} ${en}` +
            `  ${t.reason}  (${t.relaxSteps} steps${t.converged ? '' : ', not converged'})  current ${t.currentEnergy.toFixed(5)}  best ${best ? best.energy.toFixed(5) : '—'} ${en}`,
        );
      }
    }
    const r = bhmcResult(st);
    const secs = (performance.now() - t0) / 1000;

    const minima = r.minima.map((m, k) => {
      const f = cloneFrame(m.frame) as typeof m.frame;
      f.arrays = m.frame.arrays;
      f.info = { ...m.frame.info, rank: k, minimum: m.id, visits: m.visits, first_trial: m.firstTrial, converged: m.converged };
      return f;
    });
    writeFileSync(join(out, 'minima.extxyz'), writeExtxyz(minima));
    writeFileSync(join(out, 'chain.extxyz'), writeExtxyz(r.chain));
    const traj = r.trajectories.flatMap((t) => t.frames.map((f) => ({ ...f, info: { ...f.info, trial: t.trial, outcome: t.outcome } })));
    writeFileSync(join(out, 'trajectories.extxyz'), writeExtxyz(traj));
    writeFileSync(
      join(out, 'trials.tsv'),
      ['trial\tenergy_eV\taccepted\treason\trelax_steps\tconverged\tcurrent_eV\tminimum',
        ...r.trials.map((t) => [t.trial, t.energy, t.accepted, t.reason, t.relaxSteps, t.converged, t.currentEnergy, t.minimum].join('\t'))].join('\n') + '\n',
    );
    const accepted = r.trials.filter((t) => t.trial > 0 && t.accepted).length;
    const rejectedBad = r.trials.filter((t) => /evaporated|collapsed|exploded/.test(t.reason)).length;
    console.log(
      `bhmc: ${steps} trials in ${secs.toFixed(2)} s (${r.evaluations} energy/force evaluations), accepted ${accepted}/${steps}` +
        `${rejectedBad ? `, ${rejectedBad} rejected as evaporated/collapsed/exploded` : ''}\n` +
        `  lowest energy found: ${r.best.energy.toFixed(6)} ${en} (${(r.best.energy / p.natoms).toFixed(6)} ${en}/atom), first at trial ${r.best.firstTrial}, visited ${r.best.visits}×\n` +
        `  ${r.minima.length} distinct minima → ${join(out, 'minima.extxyz')}; ${r.chain.length} accepted → chain.extxyz; ` +
        `${traj.length} relaxation frames → trajectories.extxyz; log → trials.tsv`,
    );
    return 0;
  },
};
