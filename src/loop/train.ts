/**
 * Training stage of an iteration: the ensemble (one model per seed, seed, seed+1, …) trained by
 * the core DP-SE trainer in worker threads, each member continuing from the same member of the
 * previous iteration when there is one (DeePMD's --init-model), otherwise from random weights.
 * A member's model is written to MODELDIR/model-K.dp (atomically) with its metrics when it
 * finishes; while it trains, a checkpoint with the Adam state (core trainer API) is written every
 * plan.training.checkpointEvery steps, and after a kill finished members are kept and the others
 * continue from their last checkpoint.
 * Units: energies eV (RMSE eV/atom), forces eV/Å.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from '../core/atoms.ts';
import { trainEnsembleInThreads } from '../node/train/ensemble-threads.ts';
import type { TrainCheckpoint, TrainResult, TrainSettings } from '../core/train/types.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { encodeDpModelH5 } from '../core/potentials/dp/write.ts';
import { readDpModelFile } from '../node/dp-file.ts';
import type { Plan } from './plan.ts';
import { writeAtomic } from '../node/write-atomic.ts';

export interface TrainingFrame { id: number; frame: Frame; energy: number; forces: Float64Array }

export interface MemberResult {
  seed: number;
  file: string;
  metrics: Record<string, number>;
  curve: Array<Record<string, number>>;
  /** Frame ids held out for validation (the same split for every member). */
  validationIds: number[];
}

/** Core trainer settings for an iteration (first iteration: plan.training.steps and startPref*, later: continueSteps and continueStartPref*). */
export function iterationTrainSettings(plan: Plan, typeMap: string[], continuing: boolean, splitSeed: number, steps?: number): TrainSettings {
  const t = plan.training;
  const numSteps = steps ?? (continuing ? t.continueSteps : t.steps);
  return {
    arch: { typeMap, rcut: plan.model.rcut, rcutSmth: plan.model.rcutSmth, sel: plan.model.sel, embedding: plan.model.embedding, axisNeuron: plan.model.axisNeuron, fitting: plan.model.fitting },
    numSteps,
    startLr: continuing ? t.continueStartLr ?? t.startLr : t.startLr,
    stopLr: Math.min(t.stopLr, continuing ? t.continueStartLr ?? t.startLr : t.startLr),
    decaySteps: Math.min(t.decaySteps, numSteps),
    startPrefE: continuing ? t.continueStartPrefE ?? t.startPrefE : t.startPrefE,
    limitPrefE: t.limitPrefE,
    startPrefF: continuing ? t.continueStartPrefF ?? t.startPrefF : t.startPrefF,
    limitPrefF: t.limitPrefF,
    validationFraction: t.validationFraction,
    splitSeed,
    progressEvery: Math.max(1, Math.min(numSteps, Math.floor(numSteps / 20))),
  };
}

function metricsOf(r: TrainResult): Record<string, number> {
  const m: Record<string, number> = { rmseEnergyPerAtomTrain: r.train.rmseE, rmseForceTrain: r.train.rmseF, trainFrames: r.train.frames, seconds: r.seconds, stepsPerSecond: r.stepsPerSecond };
  if (r.validation.frames > 0) Object.assign(m, { rmseEnergyPerAtomValidation: r.validation.rmseE, rmseForceValidation: r.validation.rmseF, validationFrames: r.validation.frames });
  return m;
}

/** Path of member k's model in a model folder, and of its metadata (MemberResult JSON). */
export const memberFile = (dir: string, k: number): string => join(dir, `model-${k}.dp`);
export const memberMetaFile = (dir: string, k: number): string => join(dir, `model-${k}.json`);

/** Member k's metadata, or null when it has not finished training. */
export function readMember(dir: string, k: number): MemberResult | null {
  return existsSync(memberFile(dir, k)) && existsSync(memberMetaFile(dir, k)) ? (JSON.parse(readFileSync(memberMetaFile(dir, k), 'utf8')) as MemberResult) : null;
}

/** Load the models of a finished ensemble folder (k = 0 … n−1). */
export async function loadEnsemble(dir: string, n: number): Promise<DpModel[]> {
  return Promise.all(Array.from({ length: n }, (_, k) => readDpModelFile(memberFile(dir, k), { onWarning: () => {} })));
}

/**
 * Train (or finish training) the ensemble into `dir`: member k with seeds[k] and `settings`,
 * continuing from previous[k] when given (the last iteration's models), `threads` models at a
 * time. `only` restricts training to those members (the others' entries stay undefined).
 */
export async function trainIterationEnsemble(opts: {
  dir: string; data: TrainingFrame[]; settings: TrainSettings; seeds: number[]; previous: DpModel[] | null; threads: number;
  only?: number[];
  /** A checkpoint (weights + Adam state, DIR/checkpoint-K.json) every this many steps; a killed member resumes from it. */
  checkpointEvery: number;
  /** Called after each checkpoint is written (e.g. to record the stage's wall time so far). */
  onCheckpoint?: () => void;
  log: (m: string) => void; signal?: AbortSignal;
}): Promise<Array<MemberResult | undefined>> {
  const { dir, data, seeds, previous } = opts;
  mkdirSync(dir, { recursive: true });
  const ckptFile = (k: number): string => join(dir, `checkpoint-${k}.json`);
  const members = opts.only ?? seeds.map((_, k) => k);
  const results: (MemberResult | undefined)[] = seeds.map((_, k) => (members.includes(k) ? readMember(dir, k) ?? undefined : undefined));
  const todo = members.filter((k) => !results[k]);
  if (todo.length < members.length) opts.log(`  training: ${members.length - todo.length} of ${members.length} models already trained (resumed)`);
  const coreData = data.map((d) => ({ frame: d.frame, energy: d.energy, forces: d.forces }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const k = todo[next++];
      const seed = seeds[k];
      let lastLogged = 0;
      let resume: TrainCheckpoint[] | undefined;
      if (existsSync(ckptFile(k))) {
        const cp = JSON.parse(readFileSync(ckptFile(k), 'utf8')) as TrainCheckpoint;
        opts.log(`  model ${k} (seed ${seed}): resuming from its checkpoint at step ${cp.step}/${cp.numSteps} (weights and Adam state)`);
        resume = [cp];
      }
      const [r] = await trainEnsembleInThreads(coreData, opts.settings, {
        seeds: [seed], threads: 1, signal: opts.signal, initModel: previous?.[k], resume,
        checkpointEvery: opts.checkpointEvery,
        onCheckpoint: (cp) => {
          writeAtomic(ckptFile(k), JSON.stringify(cp));
          opts.onCheckpoint?.();
        },
        onWarning: () => {},
        onProgress: (p) => {
          if (p.step === p.numSteps || p.seconds - lastLogged > 30) {
            lastLogged = p.seconds;
            opts.log(`  model ${k} (seed ${seed}) step ${p.step}/${p.numSteps}: RMSE E ${(p.rmseE_per_atom * 1000).toFixed(2)} meV/atom, F ${p.rmseF.toFixed(3)} eV/Å`);
          }
        },
      });
      const m: MemberResult = {
        seed, file: memberFile(dir, k), metrics: metricsOf(r),
        curve: r.curve.map((c) => ({ step: c.step, lr: c.lr, loss: c.loss, rmseETrain: c.rmseE_per_atom, rmseFTrain: c.rmseF, ...(c.valRmseE_per_atom !== undefined ? { rmseEVal: c.valRmseE_per_atom } : {}) })),
        validationIds: r.validationIndices.map((i) => data[i].id),
      };
      writeAtomic(memberFile(dir, k), await encodeDpModelH5(r.model));
      writeAtomic(memberMetaFile(dir, k), JSON.stringify(m));
      results[k] = m;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.threads, todo.length)) }, worker));
  return results;
}
