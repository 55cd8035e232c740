/**
 * `nanostudio train`: an ensemble of DP-SE models from labeled extended XYZ frames with the
 * built-in trainer (DeePMD's energy + force loss), standalone (no server). Writes DeePMD-kit v3 `.dp` files
 * and ensemble.json (settings, train/validation RMSE, learning curves).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { optionCommand, UsageError, type OptionSpec } from '../command.ts';
import { readExtxyz } from '../../core/io/extxyz.ts';
import { estimateEnsembleTime, startEnsembleTraining, TrainJobSettingsSchema, type LabeledFrameRecord } from '../../backend/index.ts';
import { formatDuration } from '../../core/train/speed.ts';

const USAGE = [
  'usage: nanostudio train --data labeled.extxyz [--data more.extxyz ...] [--models 4] [--steps N] [--out DIR]',
  '                        [--seed 1] [--rcut 8] [--rcut-smth 0.5] [--embedding 25,50,100] [--fitting 240,240,240]',
  '                        [--axis-neuron 16] [--start-lr 1e-3] [--stop-lr 3.5e-8] [--decay-steps 2000]',
  '                        [--start-pref-e 0.02] [--limit-pref-e 1] [--start-pref-f 1000] [--limit-pref-f 1] [--validation 0.1]',
  '',
  'Trains --models DP-SE (se_e2_a) models that differ only by their seeds (seed, seed+1, …), one worker',
  'thread per model, and writes DIR/model-K.dp (DeePMD-kit v3) and DIR/ensemble.json.',
  'Data: extended XYZ frames with energy=… (eV) in the comment line and a forces column (eV/Å),',
  'as `nanostudio label` writes them. Defaults are the paper settings (400 000 steps: set --steps).',
  'Loss: DeePMD\'s pref_e·(ΔE/N)² + pref_f·|ΔF|²/3N; --start-pref-f 0 --limit-pref-f 0 trains on energies only',
  '(much cheaper: the force term costs one DP force evaluation and two extra energy gradients per step).',
].join('\n');

const list = (s: string | undefined, name: string): number[] | undefined => {
  if (s === undefined) return undefined;
  const v = s.split(',').map(Number);
  if (!v.every((x) => Number.isInteger(x) && x > 0)) throw new UsageError(`--${name} must be positive integers separated by commas, got '${s}'`);
  return v;
};
const num = (s: string | undefined, name: string): number | undefined => {
  if (s === undefined) return undefined;
  const x = Number(s);
  if (!Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got '${s}'`);
  return x;
};

/** Labeled frames of extxyz files: energy from info.energy (eV), forces from the forces column (eV/Å). */
export function readLabeledExtxyz(paths: string[]): LabeledFrameRecord[] {
  const out: LabeledFrameRecord[] = [];
  for (const p of paths) {
    readExtxyz(readFileSync(p, 'utf8'), p).forEach((f, k) => {
      const e = f.info?.energy;
      if (typeof e !== 'number') throw new Error(`${p}: frame ${k} has no energy= in its comment line`);
      const forces = f.arrays.forces;
      if (!forces || forces.length !== f.positions.length) throw new Error(`${p}: frame ${k} has no forces column`);
      out.push({ id: out.length + 1, frame: f, energy: e, forces, virial: null, calculator: String(f.info?.calculator ?? '') });
    });
  }
  return out;
}

const OPTIONS = {
  data: { type: 'string', multiple: true }, models: { type: 'string' }, steps: { type: 'string' }, out: { type: 'string', default: 'models' },
  seed: { type: 'string' }, rcut: { type: 'string' }, 'rcut-smth': { type: 'string' }, embedding: { type: 'string' }, fitting: { type: 'string' },
  'axis-neuron': { type: 'string' }, 'start-lr': { type: 'string' }, 'stop-lr': { type: 'string' }, 'decay-steps': { type: 'string' },
  'start-pref-e': { type: 'string' }, 'limit-pref-e': { type: 'string' }, 'start-pref-f': { type: 'string' }, 'limit-pref-f': { type: 'string' },
  validation: { type: 'string' },
} satisfies OptionSpec;

export const trainCommand = optionCommand({ name: 'train', summary: 'train an ensemble of DP-SE models (built-in float64 trainer) from labeled extxyz frames', usage: USAGE, options: OPTIONS }, async (values) => {
  if (!values.data?.length) throw new UsageError('--data is required');
  const raw = {
    models: num(values.models, 'models'), steps: num(values.steps, 'steps'), seed: num(values.seed, 'seed'), rcut: num(values.rcut, 'rcut'),
    rcutSmth: num(values['rcut-smth'], 'rcut-smth'), embedding: list(values.embedding, 'embedding'), fitting: list(values.fitting, 'fitting'),
    axisNeuron: num(values['axis-neuron'], 'axis-neuron'), startLr: num(values['start-lr'], 'start-lr'), stopLr: num(values['stop-lr'], 'stop-lr'),
    decaySteps: num(values['decay-steps'], 'decay-steps'), startPrefE: num(values['start-pref-e'], 'start-pref-e'),
    limitPrefE: num(values['limit-pref-e'], 'limit-pref-e'), startPrefF: num(values['start-pref-f'], 'start-pref-f'),
    limitPrefF: num(values['limit-pref-f'], 'limit-pref-f'), validationFraction: num(values.validation, 'validation'),
  };
  const parsed = TrainJobSettingsSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const settings = parsed.data;
  const frames = readLabeledExtxyz(values.data);
  if (frames.length < 2) throw new UsageError(`need at least 2 labeled frames, got ${frames.length}`);
  console.error(`training ${settings.models} models × ${settings.steps} steps on ${frames.length} frames (prefactors energy ${settings.startPrefE}→${settings.limitPrefE}, force ${settings.startPrefF}→${settings.limitPrefF})`);
  const est = estimateEnsembleTime(frames, settings);
  console.error(`measured ${est.stepsPerSecond.toFixed(2)} steps/s per model (${est.parameters} parameters, ${est.steps} steps in ${est.seconds.toFixed(1)} s, one thread); ` +
    `estimated wall time ${formatDuration(est.estimatedSeconds)} for ${settings.models} × ${settings.steps} steps on ${est.threads} thread(s) — Ctrl-C to stop, --steps to shorten`);
  const run = startEnsembleTraining(frames, settings, (k, row) => {
    console.error(`model ${k} step ${row.step}/${settings.steps} lr ${row.lr.toExponential(2)} loss ${row.loss.toExponential(3)} RMSE E/atom train ${row.rmseETrain.toExponential(3)} eV${row.rmseEVal !== null ? ` val ${row.rmseEVal.toExponential(3)} eV` : ''}`);
  });
  const models = await run.promise;
  mkdirSync(values.out, { recursive: true });
  models.forEach((m, k) => writeFileSync(join(values.out, `model-${k}.dp`), m.dp));
  writeFileSync(join(values.out, 'ensemble.json'), JSON.stringify({ settings, trainer: 'nanostudio built-in DP-SE (float64)', data: values.data,
    models: models.map((m, k) => ({ file: `model-${k}.dp`, seed: m.seed, metrics: m.metrics, learningCurve: m.curve })) }, null, 1));
  for (const [k, m] of models.entries()) {
    console.log(`model-${k}.dp seed ${m.seed}: RMSE E/atom train ${m.metrics.rmseEnergyPerAtomTrain.toExponential(3)} eV` +
      (m.metrics.rmseEnergyPerAtomValidation !== undefined ? `, validation ${m.metrics.rmseEnergyPerAtomValidation.toExponential(3)} eV` : '') +
      `; RMSE F train ${m.metrics.rmseForceTrain.toFixed(4)} eV/Å`);
  }
  console.log(`wrote ${models.length} models and ensemble.json to ${values.out}`);
  return 0;
});
