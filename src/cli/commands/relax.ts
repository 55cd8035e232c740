/**
 * `nanostudio relax`: local geometry optimisation (FIRE or L-BFGS) of one frame of an extended
 * XYZ file; writes every step (positions, energy, forces) as extended XYZ — training data.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { numberOption, parseOptions, readFrameOption, required } from '../args.ts';
import { UsageError } from '../command.ts';
import { writeExtxyz } from '../../core/io/extxyz.ts';
import { cloneFrame, validateFrame } from '../../core/atoms.ts';
import { relaxInit, relaxPending, relaxResult, relaxStep, type OptimizerName } from '../../core/optimize/relax.ts';
import { loadPotential, noTabulateUsage } from '../potential-spec.ts';

const USAGE = [
  'usage: nanostudio relax --potential SPEC --structure S.extxyz --out FILE.extxyz',
  '                        [--optimizer fire|lbfgs] [--fmax 0.05] [--steps 1000] [--frame 0] [--fixed i,j,...] [--no-tabulate]',
  '',
  'Relax one frame until the largest force on a free atom is below fmax (eV/Å) and write every',
  'step (positions Å, info energy eV / fmax eV/Å / step, forces eV/Å) to FILE.extxyz.',
  '',
  'options:',
  '  --potential SPEC   eam:FILE (e.g. eam:Cu_u3.eam, bundled), lj:epsilon=E,sigma=S[,rc=R], dp:MODEL',
  '  --structure FILE   extended XYZ input',
  '  --frame N          which frame of the input (0-based, negative from the end; default 0)',
  '  --optimizer NAME   fire (default; Bitzek 2006, ASE defaults) or lbfgs (ASE-like, max step 0.2 Å)',
  '  --fmax F           convergence threshold, eV/Å (default 0.05)',
  '  --steps N          largest number of optimizer steps (default 1000)',
  '  --fixed LIST       comma-separated 0-based indices of atoms held fixed',
  '  --out FILE         trajectory output (extended XYZ)',
  ...noTabulateUsage(21),
  '',
  'Exit status 0 when converged, 1 when the step limit was reached or the energy went non-finite',
  '(the trajectory is written either way).',
].join('\n');

export const relaxCommand: Command = {
  name: 'relax',
  summary: 'relax a structure (FIRE or L-BFGS) and write the trajectory',
  usage: USAGE,
  async run(argv) {
    const values = parseOptions(argv, ['potential', 'structure', 'out', 'optimizer', 'fmax', 'steps', 'frame', 'fixed'], ['no-tabulate']);
    const potential = required(values, 'potential');
    const structure = required(values, 'structure');
    const out = required(values, 'out');
    const optimizer = (values.optimizer ?? 'fire') as OptimizerName;
    if (optimizer !== 'fire' && optimizer !== 'lbfgs') throw new UsageError(`--optimizer must be fire or lbfgs, got '${values.optimizer}'`);
    const fmax = numberOption(values, 'fmax', { positive: true }) ?? 0.05;
    const maxSteps = numberOption(values, 'steps', { positive: true, integer: true }) ?? 1000;
    const fixed = values.fixed ? values.fixed.split(',').map((t) => {
      const i = Number(t.trim());
      if (!Number.isInteger(i) || i < 0) throw new UsageError(`--fixed: '${t}' is not a 0-based atom index`);
      return i;
    }) : [];

    const start = cloneFrame(readFrameOption(structure, values));
    delete start.info;
    validateFrame(start);
    const calc = await loadPotential(potential, { tabulate: !values['no-tabulate'] });

    console.error(`relax: ${start.symbols.length} atoms, ${calc.name}, ${optimizer}, fmax ${fmax} eV/Å, at most ${maxSteps} steps`);
    const t0 = performance.now();
    let st = relaxInit(start, { optimizer, fmax, maxSteps, fixed });
    let lastReport = t0;
    while (!st.done) {
      st = relaxStep(st, calc.compute(relaxPending(st)));
      const now = performance.now();
      if (now - lastReport > 1000 || st.steps % 100 === 0) {
        lastReport = now;
        const e = st.energies[st.energies.length - 1], f = st.fmaxes[st.fmaxes.length - 1];
        console.error(`  step ${String(st.steps).padStart(5)}  E = ${e.toFixed(6)} eV  fmax = ${f.toExponential(3)} eV/Å`);
      }
    }
    const r = relaxResult(st);
    writeFileSync(out, writeExtxyz(r.frames));
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `relax: ${r.converged ? 'converged' : r.error ? `stopped (${r.error})` : 'NOT converged'} after ${r.steps} steps (${secs.toFixed(2)} s)\n` +
        `  E0 = ${r.energies[0].toFixed(6)} eV  →  E = ${r.energy.toFixed(6)} eV  (ΔE = ${(r.energy - r.energies[0]).toFixed(6)} eV, ${(r.energy / start.symbols.length).toFixed(6)} eV/atom)\n` +
        `  fmax = ${r.fmax.toExponential(3)} eV/Å; ${r.frames.length} frames written to ${values.out}`,
    );
    return r.converged ? 0 : 1;
  },
};
