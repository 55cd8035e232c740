/**
 * DeePMD-kit training adapter (trainer 'deepmd'): one ensemble member per task folder, trained by
 * DeePMD-kit itself where `dp` is on the PATH (a user's cluster), through the executor (a Slurm
 * task, or the same script run here by the local executor). Layout of a member's folder:
 *   data/<system>/{type.raw,type_map.raw,[nopbc],set.000/*.npy}   deepmd/npy (export/deepmd-npy.ts)
 *   input.json     DeePMD-kit v3 input (export/deepmd-input.ts), seed = settings.seed + member
 *   run.sh         dp [--pt] train input.json [--restart CKPT] → dp [--pt] freeze -o frozen_model.{pth|pb}
 *                  → dp convert-backend frozen_model.{pth|pb} model.dp → wrapper `deepmd DIR`
 *   lcurve.out     DeePMD-kit's learning curve (read back by name of its columns)
 *   model.dp       the backend-independent DeePMD-kit v3 model, stored as the member's model
 * A resubmitted task restarts from DeePMD-kit's own checkpoint (model.ckpt.pt / model.ckpt.index)
 * when one is there. Documented formats: DeePMD-kit CLI (train/freeze/convert-backend), the
 * backend file extensions (.pth/.pt PyTorch, .pb/.index TensorFlow, .dp), lcurve.out columns.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabeledFrameRecord } from '../export/labeled-frame.ts';
import { deepmdNpyEntries, writeEntries } from '../export/deepmd-npy.ts';
import { deepmdInputJson } from '../export/deepmd-input.ts';
import type { TrainJobSettings } from '../schemas.ts';
import { dataTypeMap } from './train-models.ts';
import type { TrainTaskResult } from '../executor/task-files.ts';
import { which } from '../../node/which.ts';

/** File names of each backend (DeePMD-kit docs: "Backend"). */
export const DEEPMD_BACKENDS = {
  pytorch: { flag: '--pt', frozen: 'frozen_model.pth', checkpoint: 'model.ckpt.pt', checkpointMark: 'model.ckpt.pt' },
  tensorflow: { flag: '', frozen: 'frozen_model.pb', checkpoint: 'model.ckpt', checkpointMark: 'model.ckpt.index' },
} as const;

/** DeePMD-kit's `dp` is not installed where the training would run. */
export class DeepmdNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeepmdNotFoundError';
  }
}

/**
 * The `dp` the local executor would run, or a DeepmdNotFoundError at once (before any task is
 * made: a missing program is not a failure that a resubmission mends).
 */
export function requireLocalDp(path = process.env.PATH ?? ''): string {
  const dp = which('dp', path);
  if (dp === null) throw new DeepmdNotFoundError('DeepmdNotFoundError: dp (DeePMD-kit) is not on the PATH of the service; install DeePMD-kit here, or train with executor slurm (dp on the compute nodes) or with the built-in trainer');
  return dp;
}

/** Write data/ and input.json of one member; returns the systems (relative to the folder). */
export function writeDeepmdInputs(dir: string, frames: LabeledFrameRecord[], settings: TrainJobSettings, member: number): string[] {
  const systems = writeEntries(dir, deepmdNpyEntries(frames, 'data')).map((p) => p.slice(dir.length + 1)).sort();
  const input = deepmdInputJson(settings, dataTypeMap(frames), systems, settings.seed + member);
  // Checkpoints often enough that a resubmission loses little (DeePMD-kit's save_freq, in steps).
  (input.training as Record<string, unknown>).save_freq = Math.max(1, Math.min(10_000, Math.floor(settings.steps / 10)));
  (input.training as Record<string, unknown>).disp_freq = Math.max(1, Math.min(1000, Math.floor(settings.steps / 50)));
  writeFileSync(join(dir, 'input.json'), JSON.stringify(input, null, 2) + '\n');
  return systems;
}

/** The dp command lines of one member (run in its folder), in order. */
export function deepmdCommands(backend: TrainJobSettings['deepmdBackend'], dp = 'dp'): string[] {
  const b = DEEPMD_BACKENDS[backend];
  const dpb = [dp, b.flag].filter(Boolean).join(' ');
  return [
    `command -v ${dp} >/dev/null || { echo "nanostudio: ${dp} (DeePMD-kit) not found on the PATH" >&2; exit 127; }`,
    `if [ -e ${b.checkpointMark} ]; then touch restarted; ${dpb} train input.json --restart ${b.checkpoint}; else ${dpb} train input.json; fi || exit $?`,
    `${dpb} freeze -o ${b.frozen} || exit $?`,
    `${dp} convert-backend ${b.frozen} model.dp || exit $?`,
  ];
}

/** Body of run.sh after the header: the dp commands, then the wrapper that writes result.json. */
export function deepmdScriptBody(settings: TrainJobSettings, wrapper: string, dp = 'dp'): string[] {
  return [...deepmdCommands(settings.deepmdBackend, dp), wrapper];
}

/** DeePMD-kit's lcurve.out as learning-curve rows (columns found by their header names; rmse_e is per atom, eV). */
export function parseLcurve(text: string): TrainTaskResult['curve'] {
  const lines = text.split('\n');
  const header = lines.find((l) => l.trim().startsWith('#') && /\bstep\b/.test(l));
  if (!header) throw new Error('lcurve.out has no header line (# step …)');
  const cols = header.replace(/^\s*#/, '').trim().split(/\s+/);
  const at = (name: string): number => cols.indexOf(name);
  const [iStep, iLr, iE, iF, iLoss, iEv] = [at('step'), at('lr'), at('rmse_e_trn'), at('rmse_f_trn'), at('rmse_trn'), at('rmse_e_val')];
  if (iStep < 0 || iLr < 0 || iE < 0) throw new Error(`lcurve.out header lacks step/lr/rmse_e_trn: '${header.trim()}'`);
  const rows: TrainTaskResult['curve'] = [];
  for (const l of lines) {
    const t = l.trim();
    if (!t || t.startsWith('#')) continue;
    const v = t.split(/\s+/).map(Number);
    rows.push({ step: v[iStep], lr: v[iLr], loss: iLoss >= 0 ? v[iLoss] : NaN, rmseETrain: v[iE], rmseFTrain: iF >= 0 ? v[iF] : NaN, rmseEVal: iEv >= 0 ? v[iEv] : null });
  }
  return rows;
}

/** The result of a finished DeePMD-kit member (wrapper mode `deepmd`): model.dp and the learning curve. */
export function deepmdResult(dir: string, item: number, settings: TrainJobSettings, member: number): TrainTaskResult {
  const modelFile = join(dir, 'model.dp');
  if (!existsSync(modelFile)) throw new Error(`dp convert-backend wrote no ${modelFile}`);
  const curve = existsSync(join(dir, 'lcurve.out')) ? parseLcurve(readFileSync(join(dir, 'lcurve.out'), 'utf8')) : [];
  const last = curve.at(-1);
  const metrics: Record<string, number> = {};
  if (last) {
    metrics.rmseEnergyPerAtomTrain = last.rmseETrain;
    if (Number.isFinite(last.rmseFTrain)) metrics.rmseForceTrain = last.rmseFTrain;
    metrics.steps = last.step;
  }
  return { kind: 'train', item, seed: settings.seed + member, trainer: `DeePMD-kit (dp${DEEPMD_BACKENDS[settings.deepmdBackend].flag ? ' ' + DEEPMD_BACKENDS[settings.deepmdBackend].flag : ''})`, modelFile, format: 'dp', curve, metrics, resumedFromStep: null, restarted: existsSync(join(dir, 'restarted')) };
}
